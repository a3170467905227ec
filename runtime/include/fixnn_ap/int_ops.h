// Free operators of ap_int_base: with another ap integer, with C integer
// types (modelled as ap integers of the C type's width) and with float or
// double (computed in floating point on the low 64 bits, as the reference
// headers do).
#ifndef FIXNN_AP_INT_OPS_H_
#define FIXNN_AP_INT_OPS_H_

#include "int_base.h"

#define FIXNN_AP_INT_RTYPE(AW, AS, BW, BS, KIND) \
  typename ap_int_base<AW, AS>::template RType<BW, BS>::KIND

#define FIXNN_AP_INT_SUM(SYM, KIND, SUBTRACT)                                                  \
  template <int AW, bool AS, int BW, bool BS>                                                  \
  inline FIXNN_AP_INT_RTYPE(AW, AS, BW, BS, KIND) operator SYM(const ap_int_base<AW, AS>& a,   \
                                                               const ap_int_base<BW, BS>& b) { \
    typedef typename ap_int_base<AW, AS>::template RType<BW, BS> R;                            \
    typename R::KIND r;                                                                        \
    r.V = fixnn_ap::AlignedSum<R::KIND##_w, bool(R::KIND##_s)>(a.V, 0, b.V, 0, SUBTRACT);      \
    return r;                                                                                  \
  }
FIXNN_AP_INT_SUM(+, plus, false)
FIXNN_AP_INT_SUM(-, minus, true)
#undef FIXNN_AP_INT_SUM

template <int AW, bool AS, int BW, bool BS>
inline FIXNN_AP_INT_RTYPE(AW, AS, BW, BS, mult) operator*(const ap_int_base<AW, AS>& a,
                                                          const ap_int_base<BW, BS>& b) {
  typedef typename ap_int_base<AW, AS>::template RType<BW, BS> R;
  typename R::mult r;
  r.V = fixnn_ap::Product<R::mult_w, bool(R::mult_s)>(a.V, b.V);
  return r;
}

#define FIXNN_AP_INT_LOGIC(SYM)                                                                 \
  template <int AW, bool AS, int BW, bool BS>                                                   \
  inline FIXNN_AP_INT_RTYPE(AW, AS, BW, BS, logic) operator SYM(const ap_int_base<AW, AS>& a,   \
                                                                const ap_int_base<BW, BS>& b) { \
    typedef typename ap_int_base<AW, AS>::template RType<BW, BS> R;                             \
    typename R::logic r;                                                                        \
    r.V = fixnn_ap::Logic<R::logic_w, bool(R::logic_s)>(a.V, 0, b.V, 0, (#SYM)[0]);             \
    return r;                                                                                   \
  }
FIXNN_AP_INT_LOGIC(&)
FIXNN_AP_INT_LOGIC(|)
FIXNN_AP_INT_LOGIC(^)
#undef FIXNN_AP_INT_LOGIC

template <int AW, bool AS, int BW, bool BS>
inline FIXNN_AP_INT_RTYPE(AW, AS, BW, BS, div) operator/(const ap_int_base<AW, AS>& a,
                                                         const ap_int_base<BW, BS>& b) {
  typename ap_int_base<AW, AS>::template RType<BW, BS>::div r;
  r.V = fixnn_ap::IntDivision<AW, AS, BW, BS>(a.V, b.V, false).q;
  return r;
}

template <int AW, bool AS, int BW, bool BS>
inline FIXNN_AP_INT_RTYPE(AW, AS, BW, BS, mod) operator%(const ap_int_base<AW, AS>& a,
                                                         const ap_int_base<BW, BS>& b) {
  typename ap_int_base<AW, AS>::template RType<BW, BS>::mod r;
  r.V = fixnn_ap::IntDivision<AW, AS, BW, BS>(a.V, b.V, true).r;
  return r;
}

// Floating point operands: the ap integer becomes its 64-bit C value.
#define FIXNN_AP_INT_FLOAT_OP(SYM, F)                        \
  template <int AW, bool AS>                                 \
  inline F operator SYM(F x, const ap_int_base<AW, AS>& a) { \
    typename ap_int_base<AW, AS>::RetType v = a;             \
    return x SYM v;                                          \
  }                                                          \
  template <int AW, bool AS>                                 \
  inline F operator SYM(const ap_int_base<AW, AS>& a, F x) { \
    typename ap_int_base<AW, AS>::RetType v = a;             \
    return v SYM x;                                          \
  }
#define FIXNN_AP_INT_FLOAT_OPS(F) \
  FIXNN_AP_INT_FLOAT_OP(+, F)     \
  FIXNN_AP_INT_FLOAT_OP(-, F)     \
  FIXNN_AP_INT_FLOAT_OP(*, F)     \
  FIXNN_AP_INT_FLOAT_OP(/, F)
FIXNN_AP_INT_FLOAT_OPS(float)
FIXNN_AP_INT_FLOAT_OPS(double)
#undef FIXNN_AP_INT_FLOAT_OPS
#undef FIXNN_AP_INT_FLOAT_OP

#define FIXNN_AP_INT_FLOAT_CMP(SYM)                                  \
  template <int AW, bool AS>                                         \
  inline bool operator SYM(const ap_int_base<AW, AS>& a, double x) { \
    return a.to_double() SYM x;                                      \
  }                                                                  \
  template <int AW, bool AS>                                         \
  inline bool operator SYM(double x, const ap_int_base<AW, AS>& a) { \
    return x SYM a.to_double();                                      \
  }                                                                  \
  template <int AW, bool AS>                                         \
  inline bool operator SYM(const ap_int_base<AW, AS>& a, float x) {  \
    return a.to_double() SYM x;                                      \
  }                                                                  \
  template <int AW, bool AS>                                         \
  inline bool operator SYM(float x, const ap_int_base<AW, AS>& a) {  \
    return x SYM a.to_double();                                      \
  }
FIXNN_AP_INT_FLOAT_CMP(==)
FIXNN_AP_INT_FLOAT_CMP(!=)
FIXNN_AP_INT_FLOAT_CMP(<)
FIXNN_AP_INT_FLOAT_CMP(<=)
FIXNN_AP_INT_FLOAT_CMP(>)
FIXNN_AP_INT_FLOAT_CMP(>=)
#undef FIXNN_AP_INT_FLOAT_CMP

// C integer operands behave as ap integers of the C type's width.
#define FIXNN_AP_CW(T) fixnn_ap::CInt<T>::width
#define FIXNN_AP_CS(T) bool(fixnn_ap::CInt<T>::is_signed)
#define FIXNN_AP_AS_AP(T, x) ap_int_base<FIXNN_AP_CW(T), FIXNN_AP_CS(T)>(x)

#define FIXNN_AP_INT_C_BIN(SYM, KIND, T)                                                    \
  template <int AW, bool AS>                                                                \
  inline typename ap_int_base<FIXNN_AP_CW(T), FIXNN_AP_CS(T)>::template RType<AW, AS>::KIND \
  operator SYM(T x, const ap_int_base<AW, AS>& a) {                                         \
    return FIXNN_AP_AS_AP(T, x) SYM a;                                                      \
  }                                                                                         \
  template <int AW, bool AS>                                                                \
  inline FIXNN_AP_INT_RTYPE(AW, AS, FIXNN_AP_CW(T), FIXNN_AP_CS(T), KIND) operator SYM(     \
      const ap_int_base<AW, AS>& a, T x) {                                                  \
    return a SYM FIXNN_AP_AS_AP(T, x);                                                      \
  }

#define FIXNN_AP_INT_C_OPS(T)                                                               \
  FIXNN_AP_INT_C_BIN(+, plus, T)                                                            \
  FIXNN_AP_INT_C_BIN(-, minus, T)                                                           \
  FIXNN_AP_INT_C_BIN(*, mult, T)                                                            \
  FIXNN_AP_INT_C_BIN(/, div, T)                                                             \
  FIXNN_AP_INT_C_BIN(%, mod, T)                                                             \
  FIXNN_AP_INT_C_BIN(&, logic, T)                                                           \
  FIXNN_AP_INT_C_BIN(|, logic, T)                                                           \
  FIXNN_AP_INT_C_BIN(^, logic, T)                                                           \
  template <int AW, bool AS>                                                                \
  inline typename ap_int_base<AW, AS>::Self operator<<(const ap_int_base<AW, AS>& a, T x) { \
    typename ap_int_base<AW, AS>::Self r;                                                   \
    r.V = FIXNN_AP_CS(T) ? fixnn_ap::ShiftedLeftSigned(a.V, (long long)x)                   \
                         : fixnn_ap::ShiftedLeft(a.V, (unsigned long long)x);               \
    return r;                                                                               \
  }                                                                                         \
  template <int AW, bool AS>                                                                \
  inline typename ap_int_base<AW, AS>::Self operator>>(const ap_int_base<AW, AS>& a, T x) { \
    typename ap_int_base<AW, AS>::Self r;                                                   \
    r.V = FIXNN_AP_CS(T) ? fixnn_ap::ShiftedRightSigned(a.V, (long long)x)                  \
                         : fixnn_ap::ShiftedRight(a.V, (unsigned long long)x);              \
    return r;                                                                               \
  }                                                                                         \
  FIXNN_AP_INT_C_ASSIGN(+=, T)                                                              \
  FIXNN_AP_INT_C_ASSIGN(-=, T)                                                              \
  FIXNN_AP_INT_C_ASSIGN(*=, T)                                                              \
  FIXNN_AP_INT_C_ASSIGN(/=, T)                                                              \
  FIXNN_AP_INT_C_ASSIGN(%=, T)                                                              \
  FIXNN_AP_INT_C_ASSIGN(&=, T)                                                              \
  FIXNN_AP_INT_C_ASSIGN(|=, T)                                                              \
  FIXNN_AP_INT_C_ASSIGN(^=, T)                                                              \
  FIXNN_AP_INT_C_ASSIGN(<<=, T)                                                             \
  FIXNN_AP_INT_C_ASSIGN(>>=, T)                                                             \
  FIXNN_AP_INT_C_CMP(==, T)                                                                 \
  FIXNN_AP_INT_C_CMP(!=, T)                                                                 \
  FIXNN_AP_INT_C_CMP(<, T)                                                                  \
  FIXNN_AP_INT_C_CMP(<=, T)                                                                 \
  FIXNN_AP_INT_C_CMP(>, T)                                                                  \
  FIXNN_AP_INT_C_CMP(>=, T)

#define FIXNN_AP_INT_C_ASSIGN(SYM, T)                                     \
  template <int AW, bool AS>                                              \
  inline ap_int_base<AW, AS>& operator SYM(ap_int_base<AW, AS>& a, T x) { \
    return a SYM FIXNN_AP_AS_AP(T, x);                                    \
  }

#define FIXNN_AP_INT_C_CMP(SYM, T)                              \
  template <int AW, bool AS>                                    \
  inline bool operator SYM(T x, const ap_int_base<AW, AS>& a) { \
    return FIXNN_AP_AS_AP(T, x) SYM a;                          \
  }                                                             \
  template <int AW, bool AS>                                    \
  inline bool operator SYM(const ap_int_base<AW, AS>& a, T x) { \
    return a SYM FIXNN_AP_AS_AP(T, x);                          \
  }

FIXNN_AP_FOR_EACH_CINT(FIXNN_AP_INT_C_OPS)

#undef FIXNN_AP_INT_C_OPS
#undef FIXNN_AP_INT_C_BIN
#undef FIXNN_AP_INT_C_ASSIGN
#undef FIXNN_AP_INT_C_CMP

#endif  // FIXNN_AP_INT_OPS_H_
