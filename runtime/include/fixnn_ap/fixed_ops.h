// Free operators of ap_fixed_base: stream I/O, and arithmetic, assignment
// and comparison with C integers (as ap_fixed<bits, bits>) and with ap
// integers (as ap_fixed<W, W>). Floating point operands are only accepted by
// comparisons, matching what compiles with the reference headers.
#ifndef FIXNN_AP_FIXED_OPS_H_
#define FIXNN_AP_FIXED_OPS_H_

#include "refs.h"

#define FIXNN_AP_FX_TPARAMS int AW, int AI, bool AS, ap_q_mode AQ, ap_o_mode AO, int AN
#define FIXNN_AP_FX_T ap_fixed_base<AW, AI, AS, AQ, AO, AN>

// Decimal text trimmed to the stream precision, padded to the stream width.
template <FIXNN_AP_FX_TPARAMS>
std::ostream& operator<<(std::ostream& out, const FIXNN_AP_FX_T& x) {
  unsigned width = unsigned(out.width());
  int precision = int(out.precision());
  char fill = out.fill();
  std::string text = fixnn_ap::ReducePrecision(x.to_string(10, AS), precision);
  // Each fill character goes through operator<<, so the first one is itself
  // padded to the pending width; the reference output has the same shape.
  for (unsigned i = 0; width > text.size() && i < width - text.size(); ++i) out << fill;
  return out << text;
}

template <FIXNN_AP_FX_TPARAMS>
std::istream& operator>>(std::istream& in, FIXNN_AP_FX_T& x) {
  double d;
  in >> d;
  x = FIXNN_AP_FX_T(d);
  return in;
}

#define FIXNN_AP_FX_RT(CW, CS, KIND) \
  typename ap_fixed_base<AW, AI, AS>::template RType<CW, CW, CS>::KIND
#define FIXNN_AP_INT_AS_FX(CW, CS, x) ap_fixed_base<CW, CW, CS>(x)

#define FIXNN_AP_FX_C_BIN(SYM, KIND, T)                                                            \
  template <FIXNN_AP_FX_TPARAMS>                                                                   \
  inline FIXNN_AP_FX_RT(FIXNN_AP_CW(T), FIXNN_AP_CS(T), KIND) operator SYM(const FIXNN_AP_FX_T& a, \
                                                                           T x) {                  \
    return a.operator SYM(FIXNN_AP_INT_AS_FX(FIXNN_AP_CW(T), FIXNN_AP_CS(T), x));                  \
  }                                                                                                \
  template <FIXNN_AP_FX_TPARAMS>                                                                   \
  inline FIXNN_AP_FX_RT(FIXNN_AP_CW(T), FIXNN_AP_CS(T), KIND) operator SYM(                        \
      T x, const FIXNN_AP_FX_T& a) {                                                               \
    return FIXNN_AP_INT_AS_FX(FIXNN_AP_CW(T), FIXNN_AP_CS(T), x).operator SYM(a);                  \
  }
#define FIXNN_AP_FX_C_SHIFT(SYM, T)                                                               \
  template <FIXNN_AP_FX_TPARAMS>                                                                  \
  inline FIXNN_AP_FX_RT(FIXNN_AP_CW(T), FIXNN_AP_CS(T), lhs) operator SYM(const FIXNN_AP_FX_T& a, \
                                                                          T x) {                  \
    return a.operator SYM(ap_int_base<FIXNN_AP_CW(T), FIXNN_AP_CS(T)>(x));                        \
  }                                                                                               \
  template <FIXNN_AP_FX_TPARAMS>                                                                  \
  inline FIXNN_AP_FX_T& operator SYM##=(FIXNN_AP_FX_T& a, T x) {                                  \
    return a.operator SYM##=(ap_int_base<FIXNN_AP_CW(T), FIXNN_AP_CS(T)>(x));                     \
  }
#define FIXNN_AP_FX_C_ASSIGN(SYM, T)                                              \
  template <FIXNN_AP_FX_TPARAMS>                                                  \
  inline FIXNN_AP_FX_T& operator SYM(FIXNN_AP_FX_T& a, T x) {                     \
    return a.operator SYM(FIXNN_AP_INT_AS_FX(FIXNN_AP_CW(T), FIXNN_AP_CS(T), x)); \
  }
#define FIXNN_AP_FX_C_CMP(SYM, T)                                                 \
  template <FIXNN_AP_FX_TPARAMS>                                                  \
  inline bool operator SYM(const FIXNN_AP_FX_T& a, T x) {                         \
    return a.operator SYM(FIXNN_AP_INT_AS_FX(FIXNN_AP_CW(T), FIXNN_AP_CS(T), x)); \
  }                                                                               \
  template <FIXNN_AP_FX_TPARAMS>                                                  \
  inline bool operator SYM(T x, const FIXNN_AP_FX_T& a) {                         \
    return FIXNN_AP_INT_AS_FX(FIXNN_AP_CW(T), FIXNN_AP_CS(T), x).operator SYM(a); \
  }
#define FIXNN_AP_FX_C_OPS(T)     \
  FIXNN_AP_FX_C_BIN(+, plus, T)  \
  FIXNN_AP_FX_C_BIN(-, minus, T) \
  FIXNN_AP_FX_C_BIN(*, mult, T)  \
  FIXNN_AP_FX_C_BIN(/, div, T)   \
  FIXNN_AP_FX_C_BIN(&, logic, T) \
  FIXNN_AP_FX_C_BIN(|, logic, T) \
  FIXNN_AP_FX_C_BIN(^, logic, T) \
  FIXNN_AP_FX_C_SHIFT(<<, T)     \
  FIXNN_AP_FX_C_SHIFT(>>, T)     \
  FIXNN_AP_FX_C_ASSIGN(+=, T)    \
  FIXNN_AP_FX_C_ASSIGN(-=, T)    \
  FIXNN_AP_FX_C_ASSIGN(*=, T)    \
  FIXNN_AP_FX_C_ASSIGN(/=, T)    \
  FIXNN_AP_FX_C_ASSIGN(&=, T)    \
  FIXNN_AP_FX_C_ASSIGN(|=, T)    \
  FIXNN_AP_FX_C_ASSIGN(^=, T)    \
  FIXNN_AP_FX_C_CMP(==, T)       \
  FIXNN_AP_FX_C_CMP(!=, T)       \
  FIXNN_AP_FX_C_CMP(<, T)        \
  FIXNN_AP_FX_C_CMP(<=, T)       \
  FIXNN_AP_FX_C_CMP(>, T)        \
  FIXNN_AP_FX_C_CMP(>=, T)
FIXNN_AP_FOR_EACH_CINT(FIXNN_AP_FX_C_OPS)
#undef FIXNN_AP_FX_C_OPS
#undef FIXNN_AP_FX_C_BIN
#undef FIXNN_AP_FX_C_SHIFT
#undef FIXNN_AP_FX_C_ASSIGN
#undef FIXNN_AP_FX_C_CMP

// ap integers on either side act as ap_fixed<BW, BW>.
#define FIXNN_AP_FX_INT_BIN(SYM, KIND)                                                      \
  template <FIXNN_AP_FX_TPARAMS, int BW, bool BS>                                           \
  inline typename ap_fixed_base<BW, BW, BS>::template RType<AW, AI, AS>::KIND operator SYM( \
      const ap_int_base<BW, BS>& i, const FIXNN_AP_FX_T& a) {                               \
    return ap_fixed_base<BW, BW, BS>(i).operator SYM(a);                                    \
  }                                                                                         \
  template <FIXNN_AP_FX_TPARAMS, int BW, bool BS>                                           \
  inline FIXNN_AP_FX_RT(BW, BS, KIND) operator SYM(const FIXNN_AP_FX_T& a,                  \
                                                   const ap_int_base<BW, BS>& i) {          \
    return a.operator SYM(ap_fixed_base<BW, BW, BS>(i));                                    \
  }
FIXNN_AP_FX_INT_BIN(+, plus)
FIXNN_AP_FX_INT_BIN(-, minus)
FIXNN_AP_FX_INT_BIN(*, mult)
FIXNN_AP_FX_INT_BIN(/, div)
FIXNN_AP_FX_INT_BIN(&, logic)
FIXNN_AP_FX_INT_BIN(|, logic)
FIXNN_AP_FX_INT_BIN(^, logic)
#undef FIXNN_AP_FX_INT_BIN

// An ap integer updated by a fixed value uses the fixed value's integer part.
#define FIXNN_AP_FX_INT_ASSIGN(SYM)                                                          \
  template <FIXNN_AP_FX_TPARAMS, int BW, bool BS>                                            \
  inline FIXNN_AP_FX_T& operator SYM(FIXNN_AP_FX_T& a, const ap_int_base<BW, BS>& i) {       \
    return a.operator SYM(ap_fixed_base<BW, BW, BS>(i));                                     \
  }                                                                                          \
  template <FIXNN_AP_FX_TPARAMS, int BW, bool BS>                                            \
  inline ap_int_base<BW, BS>& operator SYM(ap_int_base<BW, BS>& i, const FIXNN_AP_FX_T& a) { \
    return i.operator SYM(a.to_ap_int_base());                                               \
  }
FIXNN_AP_FX_INT_ASSIGN(+=)
FIXNN_AP_FX_INT_ASSIGN(-=)
FIXNN_AP_FX_INT_ASSIGN(*=)
FIXNN_AP_FX_INT_ASSIGN(/=)
FIXNN_AP_FX_INT_ASSIGN(&=)
FIXNN_AP_FX_INT_ASSIGN(|=)
FIXNN_AP_FX_INT_ASSIGN(^=)
#undef FIXNN_AP_FX_INT_ASSIGN

#define FIXNN_AP_FX_INT_CMP(SYM)                                                   \
  template <FIXNN_AP_FX_TPARAMS, int BW, bool BS>                                  \
  inline bool operator SYM(const FIXNN_AP_FX_T& a, const ap_int_base<BW, BS>& i) { \
    return a.operator SYM(ap_fixed_base<BW, BW, BS>(i));                           \
  }                                                                                \
  template <FIXNN_AP_FX_TPARAMS, int BW, bool BS>                                  \
  inline bool operator SYM(const ap_int_base<BW, BS>& i, const FIXNN_AP_FX_T& a) { \
    return ap_fixed_base<BW, BW, BS>(i).operator SYM(a);                           \
  }                                                                                \
  template <FIXNN_AP_FX_TPARAMS>                                                   \
  inline bool operator SYM(double d, const FIXNN_AP_FX_T& a) {                     \
    return d SYM a.to_double();                                                    \
  }
FIXNN_AP_FX_INT_CMP(==)
FIXNN_AP_FX_INT_CMP(!=)
FIXNN_AP_FX_INT_CMP(<)
FIXNN_AP_FX_INT_CMP(<=)
FIXNN_AP_FX_INT_CMP(>)
FIXNN_AP_FX_INT_CMP(>=)
#undef FIXNN_AP_FX_INT_CMP

#undef FIXNN_AP_INT_AS_FX
#undef FIXNN_AP_FX_RT

#endif  // FIXNN_AP_FIXED_OPS_H_
