// Free operators taking bit and range proxies. A range reads as an unsigned
// integer of its parent's width and a bit as ap_uint<1>, so these forward to
// the ap integer operators.
#ifndef FIXNN_AP_REF_OPS_H_
#define FIXNN_AP_REF_OPS_H_

#include "fixed_ops.h"

// The reference headers pick the radix from std::cout's flags for every
// stream; doing the same keeps printed output identical.
namespace fixnn_ap {
inline signed char StreamRadix() {
  std::ios_base::fmtflags f = std::cout.flags();
  return (f & std::ios_base::hex) ? 16 : (f & std::ios_base::oct) ? 8 : 10;
}
}  // namespace fixnn_ap

template <int AW, bool AS>
std::ostream& operator<<(std::ostream& os, const ap_int_base<AW, AS>& x) {
  return os << x.to_string(fixnn_ap::StreamRadix());
}

template <int AW, bool AS>
std::istream& operator>>(std::istream& in, ap_int_base<AW, AS>& x) {
  long long v;
  in >> v;
  x = ap_int_base<AW, AS>(v);
  return in;
}

template <int AW, bool AS>
std::ostream& operator<<(std::ostream& os, const ap_range_ref<AW, AS>& x) {
  return os << x.to_string(fixnn_ap::StreamRadix());
}

template <int AW, int AI, bool AS, ap_q_mode AQ, ap_o_mode AO, int AN>
std::ostream& operator<<(std::ostream& os, const af_range_ref<AW, AI, AS, AQ, AO, AN>& x) {
  return os << x.to_string();
}

template <int AW, int AI, bool AS, ap_q_mode AQ, ap_o_mode AO, int AN>
std::ostream& operator<<(std::ostream& os, const af_bit_ref<AW, AI, AS, AQ, AO, AN>& x) {
  return os << x.to_string();
}

#define FIXNN_AP_RANGE_RT(LW, LS, RW, RS, KIND) \
  typename ap_int_base<LW, LS>::template RType<RW, RS>::KIND
#define FIXNN_AP_AF_TPARAMS int AW, int AI, bool AS, ap_q_mode AQ, ap_o_mode AO, int AN
#define FIXNN_AP_AF_RANGE af_range_ref<AW, AI, AS, AQ, AO, AN>
#define FIXNN_AP_AF_BIT af_bit_ref<AW, AI, AS, AQ, AO, AN>

// Range with range, and range with ap integer, in both orders.
#define FIXNN_AP_RANGE_BIN(SYM, KIND)                                                             \
  template <int AW, bool AS, int BW, bool BS>                                                     \
  inline FIXNN_AP_RANGE_RT(AW, false, BW, false, KIND) operator SYM(                              \
      const ap_range_ref<AW, AS>& a, const ap_range_ref<BW, BS>& b) {                             \
    return a.get() SYM b.get();                                                                   \
  }                                                                                               \
  template <int AW, bool AS, int BW, bool BS>                                                     \
  inline FIXNN_AP_RANGE_RT(AW, false, BW, BS, KIND) operator SYM(const ap_range_ref<AW, AS>& a,   \
                                                                 const ap_int_base<BW, BS>& b) {  \
    return a.get() SYM b;                                                                         \
  }                                                                                               \
  template <int AW, bool AS, int BW, bool BS>                                                     \
  inline FIXNN_AP_RANGE_RT(AW, AS, BW, false, KIND) operator SYM(const ap_int_base<AW, AS>& a,    \
                                                                 const ap_range_ref<BW, BS>& b) { \
    return a SYM b.get();                                                                         \
  }                                                                                               \
  template <int AW, bool AS, int BW, bool BS>                                                     \
  inline FIXNN_AP_RANGE_RT(AW, AS, 1, false, KIND) operator SYM(const ap_int_base<AW, AS>& a,     \
                                                                const ap_bit_ref<BW, BS>& b) {    \
    return a SYM ap_int_base<1, false>(b.to_bool());                                              \
  }                                                                                               \
  template <int AW, bool AS, int BW, bool BS>                                                     \
  inline FIXNN_AP_RANGE_RT(1, false, BW, BS, KIND) operator SYM(const ap_bit_ref<AW, AS>& a,      \
                                                                const ap_int_base<BW, BS>& b) {   \
    return ap_int_base<1, false>(a.to_bool()) SYM b;                                              \
  }
FIXNN_AP_RANGE_BIN(+, plus)
FIXNN_AP_RANGE_BIN(-, minus)
FIXNN_AP_RANGE_BIN(*, mult)
FIXNN_AP_RANGE_BIN(/, div)
FIXNN_AP_RANGE_BIN(%, mod)
FIXNN_AP_RANGE_BIN(&, logic)
FIXNN_AP_RANGE_BIN(|, logic)
FIXNN_AP_RANGE_BIN(^, logic)
FIXNN_AP_RANGE_BIN(<<, arg1)
FIXNN_AP_RANGE_BIN(>>, arg1)
#undef FIXNN_AP_RANGE_BIN

#define FIXNN_AP_RANGE_ASSIGN(SYM)                                          \
  template <int AW, bool AS, int BW, bool BS>                               \
  inline ap_int_base<AW, AS>& operator SYM(ap_int_base<AW, AS>& a,          \
                                           const ap_range_ref<BW, BS>& b) { \
    return a SYM b.get();                                                   \
  }                                                                         \
  template <int AW, bool AS, int BW, bool BS>                               \
  inline ap_range_ref<AW, AS>& operator SYM(ap_range_ref<AW, AS>& a,        \
                                            const ap_int_base<BW, BS>& b) { \
    ap_int_base<AW, false> t = a.get();                                     \
    t SYM b;                                                                \
    a = t;                                                                  \
    return a;                                                               \
  }
FIXNN_AP_RANGE_ASSIGN(+=)
FIXNN_AP_RANGE_ASSIGN(-=)
FIXNN_AP_RANGE_ASSIGN(*=)
FIXNN_AP_RANGE_ASSIGN(/=)
FIXNN_AP_RANGE_ASSIGN(%=)
FIXNN_AP_RANGE_ASSIGN(&=)
FIXNN_AP_RANGE_ASSIGN(|=)
FIXNN_AP_RANGE_ASSIGN(^=)
FIXNN_AP_RANGE_ASSIGN(<<=)
FIXNN_AP_RANGE_ASSIGN(>>=)
#undef FIXNN_AP_RANGE_ASSIGN

#define FIXNN_AP_REF_CMP(SYM)                                                                 \
  template <int AW, bool AS, int BW, bool BS>                                                 \
  inline bool operator SYM(const ap_range_ref<AW, AS>& a, const ap_range_ref<BW, BS>& b) {    \
    return a.get() SYM b.get();                                                               \
  }                                                                                           \
  template <int AW, bool AS, int BW, bool BS>                                                 \
  inline bool operator SYM(const ap_range_ref<AW, AS>& a, const ap_int_base<BW, BS>& b) {     \
    return a.get() SYM b;                                                                     \
  }                                                                                           \
  template <int AW, bool AS, int BW, bool BS>                                                 \
  inline bool operator SYM(const ap_int_base<AW, AS>& a, const ap_range_ref<BW, BS>& b) {     \
    return a SYM b.get();                                                                     \
  }                                                                                           \
  template <int AW, bool AS, int BW, bool BS>                                                 \
  inline bool operator SYM(const ap_int_base<AW, AS>& a, const ap_bit_ref<BW, BS>& b) {       \
    return a SYM ap_int_base<1, false>(b.to_bool());                                          \
  }                                                                                           \
  template <int AW, bool AS, int BW, bool BS>                                                 \
  inline bool operator SYM(const ap_bit_ref<AW, AS>& a, const ap_int_base<BW, BS>& b) {       \
    return ap_int_base<1, false>(a.to_bool()) SYM b;                                          \
  }                                                                                           \
  template <FIXNN_AP_AF_TPARAMS, int BW, bool BS>                                             \
  inline bool operator SYM(const FIXNN_AP_AF_RANGE& a, const ap_int_base<BW, BS>& b) {        \
    return a.get() SYM b;                                                                     \
  }                                                                                           \
  template <FIXNN_AP_AF_TPARAMS, int BW, bool BS>                                             \
  inline bool operator SYM(const ap_int_base<BW, BS>& b, const FIXNN_AP_AF_RANGE& a) {        \
    return b SYM a.get();                                                                     \
  }                                                                                           \
  template <FIXNN_AP_AF_TPARAMS, int BW, bool BS>                                             \
  inline bool operator SYM(const FIXNN_AP_AF_RANGE& a, const ap_range_ref<BW, BS>& b) {       \
    return a.get() SYM b.get();                                                               \
  }                                                                                           \
  template <FIXNN_AP_AF_TPARAMS, int BW, int BI, bool BS, ap_q_mode BQ, ap_o_mode BO, int BN> \
  inline bool operator SYM(const FIXNN_AP_AF_RANGE& a,                                        \
                           const af_range_ref<BW, BI, BS, BQ, BO, BN>& b) {                   \
    return a.get() SYM b.get();                                                               \
  }                                                                                           \
  template <FIXNN_AP_AF_TPARAMS, int BW, bool BS>                                             \
  inline bool operator SYM(const FIXNN_AP_AF_BIT& a, const ap_int_base<BW, BS>& b) {          \
    return ap_int_base<1, false>(bool(a)) SYM b;                                              \
  }                                                                                           \
  template <FIXNN_AP_AF_TPARAMS, int BW, bool BS>                                             \
  inline bool operator SYM(const ap_int_base<BW, BS>& b, const FIXNN_AP_AF_BIT& a) {          \
    return b SYM ap_int_base<1, false>(bool(a));                                              \
  }
FIXNN_AP_REF_CMP(==)
FIXNN_AP_REF_CMP(!=)
FIXNN_AP_REF_CMP(<)
FIXNN_AP_REF_CMP(<=)
FIXNN_AP_REF_CMP(>)
FIXNN_AP_REF_CMP(>=)
#undef FIXNN_AP_REF_CMP

// C integers: ranges act as unsigned integers of the parent's width, bits as
// bool.
#define FIXNN_AP_REF_C_BIN(SYM, KIND, T)                                                  \
  template <int AW, bool AS>                                                              \
  inline FIXNN_AP_RANGE_RT(AW, false, FIXNN_AP_CW(T), FIXNN_AP_CS(T), KIND) operator SYM( \
      const ap_range_ref<AW, AS>& a, T x) {                                               \
    return a.get() SYM FIXNN_AP_AS_AP(T, x);                                              \
  }                                                                                       \
  template <int AW, bool AS>                                                              \
  inline FIXNN_AP_RANGE_RT(FIXNN_AP_CW(T), FIXNN_AP_CS(T), AW, false, KIND) operator SYM( \
      T x, const ap_range_ref<AW, AS>& a) {                                               \
    return FIXNN_AP_AS_AP(T, x) SYM a.get();                                              \
  }
#define FIXNN_AP_REF_C_CMP(SYM, T)                               \
  template <int AW, bool AS>                                     \
  inline bool operator SYM(const ap_range_ref<AW, AS>& a, T x) { \
    return a.get() SYM FIXNN_AP_AS_AP(T, x);                     \
  }                                                              \
  template <int AW, bool AS>                                     \
  inline bool operator SYM(const ap_bit_ref<AW, AS>& a, T x) {   \
    return a.to_bool() SYM x;                                    \
  }                                                              \
  template <int AW, bool AS>                                     \
  inline bool operator SYM(T x, const ap_bit_ref<AW, AS>& a) {   \
    return x SYM a.to_bool();                                    \
  }                                                              \
  template <FIXNN_AP_AF_TPARAMS>                                 \
  inline bool operator SYM(const FIXNN_AP_AF_RANGE& a, T x) {    \
    return a.get() SYM FIXNN_AP_AS_AP(T, x);                     \
  }                                                              \
  template <FIXNN_AP_AF_TPARAMS>                                 \
  inline bool operator SYM(T x, const FIXNN_AP_AF_RANGE& a) {    \
    return FIXNN_AP_AS_AP(T, x) SYM a.get();                     \
  }                                                              \
  template <FIXNN_AP_AF_TPARAMS>                                 \
  inline bool operator SYM(const FIXNN_AP_AF_BIT& a, T x) {      \
    return bool(a) SYM x;                                        \
  }                                                              \
  template <FIXNN_AP_AF_TPARAMS>                                 \
  inline bool operator SYM(T x, const FIXNN_AP_AF_BIT& a) {      \
    return x SYM bool(a);                                        \
  }
#define FIXNN_AP_REF_C_OPS(T)     \
  FIXNN_AP_REF_C_BIN(+, plus, T)  \
  FIXNN_AP_REF_C_BIN(-, minus, T) \
  FIXNN_AP_REF_C_BIN(*, mult, T)  \
  FIXNN_AP_REF_C_BIN(/, div, T)   \
  FIXNN_AP_REF_C_BIN(%, mod, T)   \
  FIXNN_AP_REF_C_BIN(&, logic, T) \
  FIXNN_AP_REF_C_BIN(|, logic, T) \
  FIXNN_AP_REF_C_BIN(^, logic, T) \
  FIXNN_AP_REF_C_BIN(<<, arg1, T) \
  FIXNN_AP_REF_C_BIN(>>, arg1, T) \
  FIXNN_AP_REF_C_CMP(==, T)       \
  FIXNN_AP_REF_C_CMP(!=, T)       \
  FIXNN_AP_REF_C_CMP(<, T)        \
  FIXNN_AP_REF_C_CMP(<=, T)       \
  FIXNN_AP_REF_C_CMP(>, T)        \
  FIXNN_AP_REF_C_CMP(>=, T)
FIXNN_AP_FOR_EACH_CINT(FIXNN_AP_REF_C_OPS)
#undef FIXNN_AP_REF_C_OPS
#undef FIXNN_AP_REF_C_BIN
#undef FIXNN_AP_REF_C_CMP
#undef FIXNN_AP_AF_BIT
#undef FIXNN_AP_AF_RANGE
#undef FIXNN_AP_AF_TPARAMS
#undef FIXNN_AP_RANGE_RT

#endif  // FIXNN_AP_REF_OPS_H_
