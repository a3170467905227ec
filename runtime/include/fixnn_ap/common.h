// Shared declarations for fixnn's ap_int / ap_fixed implementation: the public
// enums and aliases HLS code names directly, forward declarations of every
// class template, and small compile-time helpers.
#ifndef FIXNN_AP_COMMON_H_
#define FIXNN_AP_COMMON_H_

// The reference headers pull these in, and HLS code tends to rely on that.
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cassert>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>

// Quantization modes, in the order HLS code expects.
enum ap_q_mode {
  AP_RND,
  AP_RND_ZERO,
  AP_RND_MIN_INF,
  AP_RND_INF,
  AP_RND_CONV,
  AP_TRN,
  AP_TRN_ZERO,
};

// Overflow modes; AP_WRAP_SM is declared for source compatibility only.
enum ap_o_mode {
  AP_SAT,
  AP_SAT_ZERO,
  AP_SAT_SYM,
  AP_WRAP,
  AP_WRAP_SM,
};

// Radix names accepted by to_string().
enum BaseMode { AP_BIN = 2, AP_OCT = 8, AP_DEC = 10, AP_HEX = 16 };

typedef long long ap_slong;
typedef unsigned long long ap_ulong;

// HLS code uses these in template arguments (e.g. ap_uint<AP_MAX(a, b)>).
#ifndef AP_MAX
#define AP_MAX(a, b) ((a) > (b) ? (a) : (b))
#endif
#ifndef AP_MIN
#define AP_MIN(a, b) ((a) < (b) ? (a) : (b))
#endif
#ifndef AP_ABS
#define AP_ABS(a) ((a) >= 0 ? (a) : -(a))
#endif

template <int AW, bool AS>
struct ap_int_base;
template <int AW>
struct ap_int;
template <int AW>
struct ap_uint;
template <int AW, bool AS>
struct ap_range_ref;
template <int AW, bool AS>
struct ap_bit_ref;

template <int AW, int AI, bool AS = true, ap_q_mode AQ = AP_TRN, ap_o_mode AO = AP_WRAP, int AN = 0>
struct ap_fixed_base;
template <int AW, int AI, ap_q_mode AQ = AP_TRN, ap_o_mode AO = AP_WRAP, int AN = 0>
struct ap_fixed;
template <int AW, int AI, ap_q_mode AQ = AP_TRN, ap_o_mode AO = AP_WRAP, int AN = 0>
struct ap_ufixed;
template <int AW, int AI, bool AS, ap_q_mode AQ, ap_o_mode AO, int AN>
struct af_range_ref;
template <int AW, int AI, bool AS, ap_q_mode AQ, ap_o_mode AO, int AN>
struct af_bit_ref;

namespace fixnn_ap {

typedef unsigned long long Word;
typedef long long SWord;
__extension__ typedef unsigned __int128 UWide;
__extension__ typedef __int128 SWide;

constexpr int Max(int a, int b) { return a > b ? a : b; }
constexpr int Min(int a, int b) { return a < b ? a : b; }
constexpr int WordsFor(int bits) { return (bits + 63) / 64; }

// Maps a (width, signedness) pair to the user-facing integer class.
template <int W, bool S>
struct IntOf {
  typedef ap_int<W> type;
};
template <int W>
struct IntOf<W, false> {
  typedef ap_uint<W> type;
};

// Maps (width, integer bits, signedness) to the user-facing fixed class.
template <int W, int I, bool S>
struct FixedOf {
  typedef ap_fixed<W, I> type;
};
template <int W, int I>
struct FixedOf<W, I, false> {
  typedef ap_ufixed<W, I> type;
};

// Width and signedness of each C integer type, as the reference headers model
// them when such a value meets an ap type.
template <typename T>
struct CInt;
#define FIXNN_AP_CINT(T, W, S)         \
  template <>                          \
  struct CInt<T> {                     \
    enum { width = W, is_signed = S }; \
  };
FIXNN_AP_CINT(bool, 1, false)
FIXNN_AP_CINT(char, 8, (char)-1 < 0)
FIXNN_AP_CINT(signed char, 8, true)
FIXNN_AP_CINT(unsigned char, 8, false)
FIXNN_AP_CINT(short, 8 * sizeof(short), true)
FIXNN_AP_CINT(unsigned short, 8 * sizeof(short), false)
FIXNN_AP_CINT(int, 8 * sizeof(int), true)
FIXNN_AP_CINT(unsigned int, 8 * sizeof(int), false)
FIXNN_AP_CINT(long, 8 * sizeof(long), true)
FIXNN_AP_CINT(unsigned long, 8 * sizeof(long), false)
FIXNN_AP_CINT(long long, 64, true)
FIXNN_AP_CINT(unsigned long long, 64, false)
#undef FIXNN_AP_CINT

}  // namespace fixnn_ap

// Expands MACRO(type) once per C integer type, so operator overload sets match
// the reference headers one for one (this keeps overload resolution, and thus
// what compiles, the same).
#define FIXNN_AP_FOR_EACH_CINT(MACRO) \
  MACRO(bool)                         \
  MACRO(char)                         \
  MACRO(signed char)                  \
  MACRO(unsigned char)                \
  MACRO(short)                        \
  MACRO(unsigned short)               \
  MACRO(int)                          \
  MACRO(unsigned int)                 \
  MACRO(long)                         \
  MACRO(unsigned long)                \
  MACRO(long long)                    \
  MACRO(unsigned long long)

#endif  // FIXNN_AP_COMMON_H_
