// ap_fixed_base, ap_fixed and ap_ufixed: AW-bit two's complement values with
// AI integer bits. Arithmetic is exact in a widened result format; rounding
// (AQ) and overflow handling (AO, AN) happen only when a value is stored into
// a narrower format.
#ifndef FIXNN_AP_FIXED_BASE_H_
#define FIXNN_AP_FIXED_BASE_H_

#include "int_ops.h"

template <int AW, int AI, bool AS, ap_q_mode AQ, ap_o_mode AO, int AN>
struct ap_fixed_base {
  typedef fixnn_ap::Raw<AW, AS> Storage;
  static const int width = AW;
  static const int iwidth = AI;
  static const ap_q_mode qmode = AQ;
  static const ap_o_mode omode = AO;

  // Result formats of binary operators with a fixed value of format
  // (BW, BI, BS); every result holds the exact value.
  template <int BW, int BI, bool BS>
  struct RType {
    enum {
      f1 = AW - AI,
      f2 = BW - BI,
      mult_w = AW + BW,
      mult_i = AI + BI,
      mult_s = AS || BS,
      plus_i = fixnn_ap::Max(AI + (BS && !AS), BI + (AS && !BS)) + 1,
      plus_w = plus_i + fixnn_ap::Max(f1, f2),
      plus_s = AS || BS,
      minus_i = plus_i,
      minus_w = plus_w,
      minus_s = true,
      div_w = BS + AW + fixnn_ap::Max(f2, 0),
      div_i = BS + AI + f2,
      div_s = AS || BS,
      logic_i = fixnn_ap::Max(AI + (BS && !AS), BI + (AS && !BS)),
      logic_w = logic_i + fixnn_ap::Max(f1, f2),
      logic_s = AS || BS
    };
    typedef typename fixnn_ap::FixedOf<mult_w, mult_i, mult_s>::type mult;
    typedef typename fixnn_ap::FixedOf<plus_w, plus_i, plus_s>::type plus;
    typedef typename fixnn_ap::FixedOf<minus_w, minus_i, minus_s>::type minus;
    typedef typename fixnn_ap::FixedOf<logic_w, logic_i, logic_s>::type logic;
    typedef typename fixnn_ap::FixedOf<div_w, div_i, div_s>::type div;
    typedef typename fixnn_ap::FixedOf<AW, AI, AS>::type arg1;
    typedef ap_fixed_base<AW, AI, AS> lhs;
    typedef ap_fixed_base<BW, BI, BS> rhs;
    typedef ap_fixed_base<mult_w, mult_i, mult_s> mult_base;
    typedef ap_fixed_base<plus_w, plus_i, plus_s> plus_base;
    typedef ap_fixed_base<minus_w, minus_i, minus_s> minus_base;
    typedef ap_fixed_base<logic_w, logic_i, logic_s> logic_base;
    typedef ap_fixed_base<div_w, div_i, div_s> div_base;
    typedef ap_fixed_base<AW, AI, AS> arg1_base;
  };
#define FIXNN_AP_FX_PARAMS int BW, int BI, bool BS, ap_q_mode BQ, ap_o_mode BO, int BN
#define FIXNN_AP_FX_OTHER ap_fixed_base<BW, BI, BS, BQ, BO, BN>
#define FIXNN_AP_FX_SELF ap_fixed_base<AW, AI, AS, AQ, AO, AN>
#define FIXNN_AP_FX_RESULT(KIND) typename RType<BW, BI, BS>::KIND

  Storage V;

  ap_fixed_base() {}
  template <FIXNN_AP_FX_PARAMS>
  ap_fixed_base(const FIXNN_AP_FX_OTHER& op) {
    SetFixed<BW, BI>(op.V);
  }
  // An integer is a fixed value with no fraction bits.
  template <int BW, bool BS>
  ap_fixed_base(const ap_int_base<BW, BS>& op) {
    SetFixed<BW, BW>(op.V);
  }
#define FIXNN_AP_CTOR(T)                                                                 \
  ap_fixed_base(T v) {                                                                   \
    SetFixed<fixnn_ap::CInt<T>::width, fixnn_ap::CInt<T>::width>(                        \
        ap_int_base<fixnn_ap::CInt<T>::width, bool(fixnn_ap::CInt<T>::is_signed)>(v).V); \
  }
  FIXNN_AP_FOR_EACH_CINT(FIXNN_AP_CTOR)
#undef FIXNN_AP_CTOR
  // Parsing strings is not supported; without these a string literal would
  // silently convert through bool.
  ap_fixed_base(const char*) = delete;
  ap_fixed_base(const char*, signed char) = delete;
  ap_fixed_base(double v) { fixnn_ap::FixedFromDouble<AW, AI, AS, AQ, AO, AN>(V, v); }
  ap_fixed_base(float v) { fixnn_ap::FixedFromDouble<AW, AI, AS, AQ, AO, AN>(V, double(v)); }
  template <int BW, bool BS>
  ap_fixed_base(const ap_bit_ref<BW, BS>& op) {
    SetFixed<1, 1>(ap_int_base<1, false>(op.to_bool()).V);
  }
  template <int BW, bool BS>
  ap_fixed_base(const ap_range_ref<BW, BS>& op) {
    SetFixed<BW, BW>(op.get().V);
  }
  template <FIXNN_AP_FX_PARAMS>
  ap_fixed_base(const af_bit_ref<BW, BI, BS, BQ, BO, BN>& op) {
    SetFixed<1, 1>(ap_int_base<1, false>(bool(op)).V);
  }
  template <FIXNN_AP_FX_PARAMS>
  ap_fixed_base(const af_range_ref<BW, BI, BS, BQ, BO, BN>& op) {
    SetFixed<BW, BW>(op.get().V);
  }

  template <FIXNN_AP_FX_PARAMS>
  ap_fixed_base& operator=(const FIXNN_AP_FX_OTHER& op) {
    SetFixed<BW, BI>(op.V);
    return *this;
  }

  ap_fixed_base& setBits(ap_ulong bits) {
    V.SetUnsigned(bits);
    return *this;
  }

  // Integer part, truncated toward zero like a C cast when `cnative`.
  ap_int_base<fixnn_ap::Max(AI, 1), AS> to_ap_int_base(bool cnative = true) const {
    ap_int_base<fixnn_ap::Max(AI, 1), AS> r;
    if (AI > 0) {
      Storage t = fixnn_ap::ShiftedRight(V, fixnn_ap::Max(AW - AI, 0));
      r.V = typename ap_int_base<fixnn_ap::Max(AI, 1), AS>::Storage(t);
      if (AI > AW) r.V = fixnn_ap::ShiftedLeft(r.V, AI - AW);
    }
    // With no integer bits the reference result is only defined through
    // this correction, which then yields -1 for negative values.
    if (cnative && AI < AW && V.IsNeg() &&
        fixnn_ap::AnyBelow(V.w, Storage::kWords, AI < 0 ? AW : AW - AI)) {
      ++r;
    }
    return r;
  }
  template <int BW, bool BS>
  operator ap_int_base<BW, BS>() const {  // NOLINT: implicit like the reference
    return ap_int_base<BW, BS>(to_ap_int_base());
  }
  char to_char() const { return to_ap_int_base().to_char(); }
  int to_int() const { return to_ap_int_base().to_int(); }
  unsigned to_uint() const { return to_ap_int_base().to_uint(); }
  ap_slong to_int64() const { return to_ap_int_base().to_int64(); }
  ap_ulong to_uint64() const { return to_ap_int_base().to_uint64(); }
  double to_double() const {
    return fixnn_ap::BitsToDouble(fixnn_ap::FixedToFloatBits(V, AI, fixnn_ap::kDouble));
  }
  float to_float() const {
    return fixnn_ap::BitsToFloat(fixnn_ap::FixedToFloatBits(V, AI, fixnn_ap::kFloat));
  }
  // The reference headers convert implicitly to every C arithmetic type; the
  // same set keeps overload resolution (and ambiguity) identical.
  operator long double() const { return (long double)to_double(); }                   // NOLINT
  operator double() const { return to_double(); }                                     // NOLINT
  operator float() const { return to_float(); }                                       // NOLINT
  operator bool() const { return !V.IsZero(); }                                       // NOLINT
  operator char() const { return char(to_int()); }                                    // NOLINT
  operator signed char() const { return static_cast<signed char>(to_int()); }         // NOLINT
  operator unsigned char() const { return static_cast<unsigned char>(to_uint()); }    // NOLINT
  operator short() const { return short(to_int()); }                                  // NOLINT
  operator unsigned short() const { return static_cast<unsigned short>(to_uint()); }  // NOLINT
  operator int() const { return to_int(); }                                           // NOLINT
  operator unsigned int() const { return to_uint(); }                                 // NOLINT
  operator long() const { return long(to_int64()); }                                  // NOLINT
  operator unsigned long() const { return static_cast<unsigned long>(to_uint64()); }  // NOLINT
  operator ap_ulong() const { return to_uint64(); }                                   // NOLINT
  operator ap_slong() const { return to_int64(); }                                    // NOLINT

  int length() const { return AW; }
  int countLeadingZeros() const { return fixnn_ap::LeadingZeros(V.w, AW); }
  bool is_zero() const { return V.IsZero(); }
  bool is_neg() const { return V.IsNeg(); }
  int wl() const { return AW; }
  int iwl() const { return AI; }
  ap_q_mode q_mode() const { return AQ; }
  ap_o_mode o_mode() const { return AO; }
  int n_bits() const { return AN; }

  template <FIXNN_AP_FX_PARAMS>
  FIXNN_AP_FX_RESULT(mult)
  operator*(const FIXNN_AP_FX_OTHER& op) const {
    typedef RType<BW, BI, BS> R;
    typename R::mult r;
    r.V = fixnn_ap::Product<R::mult_w, bool(R::mult_s)>(V, op.V);
    return r;
  }
  template <FIXNN_AP_FX_PARAMS>
  FIXNN_AP_FX_RESULT(div)
  operator/(const FIXNN_AP_FX_OTHER& op) const {
    typedef RType<BW, BI, BS> R;
    typename R::div r;
    r.V = fixnn_ap::FixedQuotient<R::div_w, bool(R::div_s)>(V, op.V, BW - BI);
    return r;
  }
  template <FIXNN_AP_FX_PARAMS>
  FIXNN_AP_FX_RESULT(plus)
  operator+(const FIXNN_AP_FX_OTHER& op) const {
    typedef RType<BW, BI, BS> R;
    typename R::plus r;
    r.V = fixnn_ap::AlignedSum<R::plus_w, bool(R::plus_s)>(V, Align(R::f1, R::f2), op.V,
                                                           Align(R::f2, R::f1), false);
    return r;
  }
  template <FIXNN_AP_FX_PARAMS>
  FIXNN_AP_FX_RESULT(minus)
  operator-(const FIXNN_AP_FX_OTHER& op) const {
    typedef RType<BW, BI, BS> R;
    typename R::minus r;
    r.V = fixnn_ap::AlignedSum<R::minus_w, true>(V, Align(R::f1, R::f2), op.V, Align(R::f2, R::f1),
                                                 true);
    return r;
  }
#define FIXNN_AP_FX_LOGIC(SYM)                                                           \
  template <FIXNN_AP_FX_PARAMS>                                                          \
  FIXNN_AP_FX_RESULT(logic)                                                              \
  operator SYM(const FIXNN_AP_FX_OTHER& op) const {                                      \
    typedef RType<BW, BI, BS> R;                                                         \
    typename R::logic r;                                                                 \
    r.V = fixnn_ap::Logic<R::logic_w, bool(R::logic_s)>(V, Align(R::f1, R::f2), op.V,    \
                                                        Align(R::f2, R::f1), (#SYM)[0]); \
    return r;                                                                            \
  }
  FIXNN_AP_FX_LOGIC(&)
  FIXNN_AP_FX_LOGIC(|)
  FIXNN_AP_FX_LOGIC(^)
#undef FIXNN_AP_FX_LOGIC

  // Compound assignments compute exactly, then round and fit into this type.
#define FIXNN_AP_FX_COMPOUND(SYM)                               \
  template <FIXNN_AP_FX_PARAMS>                                 \
  ap_fixed_base& operator SYM##=(const FIXNN_AP_FX_OTHER& op) { \
    *this = *this SYM op;                                       \
    return *this;                                               \
  }
  FIXNN_AP_FX_COMPOUND(*)
  FIXNN_AP_FX_COMPOUND(/)
  FIXNN_AP_FX_COMPOUND(+)
  FIXNN_AP_FX_COMPOUND(-)
  FIXNN_AP_FX_COMPOUND(&)
  FIXNN_AP_FX_COMPOUND(|)
  FIXNN_AP_FX_COMPOUND(^)
#undef FIXNN_AP_FX_COMPOUND

  ap_fixed_base& operator++() { return *this += ap_fixed_base<AW - AI + 1, 1, false>(1); }
  ap_fixed_base& operator--() { return *this -= ap_fixed_base<AW - AI + 1, 1, false>(1); }
  const ap_fixed_base operator++(int) {
    ap_fixed_base old(*this);
    ++*this;
    return old;
  }
  const ap_fixed_base operator--(int) {
    ap_fixed_base old(*this);
    --*this;
    return old;
  }

  ap_fixed_base operator+() { return *this; }
  typename fixnn_ap::FixedOf<AW + 1, AI + 1, true>::type operator-() const {
    typename fixnn_ap::FixedOf<AW + 1, AI + 1, true>::type r;
    r.V = fixnn_ap::Raw<AW + 1, true>(V);
    fixnn_ap::Negate(r.V.w, fixnn_ap::Raw<AW + 1, true>::kWords);
    r.V.Fix();
    return r;
  }
  ap_fixed_base<AW, AI, true, AQ, AO, AN> getNeg() {
    ap_fixed_base<AW, AI, true, AQ, AO, AN> r(*this);
    fixnn_ap::Negate(r.V.w, Storage::kWords);
    r.V.Fix();
    return r;
  }
  bool operator!() const { return V.IsZero(); }
  ap_fixed_base<AW, AI, AS> operator~() const {
    ap_fixed_base<AW, AI, AS> r;
    for (int i = 0; i < Storage::kWords; ++i) r.V.w[i] = ~V.w[i];
    r.V.Fix();
    return r;
  }
  template <int SH>
  ap_fixed_base<AW, AI + SH, AS> lshift() const {
    ap_fixed_base<AW, AI + SH, AS> r;
    r.V = V;
    return r;
  }
  template <int SH>
  ap_fixed_base<AW, AI - SH, AS> rshift() const {
    ap_fixed_base<AW, AI - SH, AS> r;
    r.V = V;
    return r;
  }

  // Shifts move the raw bits and keep the type (no rounding or saturation).
  ap_fixed_base operator<<(unsigned int sh) const {
    ap_fixed_base r;
    r.V = fixnn_ap::ShiftedLeft(V, sh);
    return r;
  }
  ap_fixed_base operator>>(unsigned int sh) const {
    ap_fixed_base r;
    r.V = fixnn_ap::ShiftedRight(V, sh);
    return r;
  }
  ap_fixed_base operator<<(int sh) const {
    return sh < 0 ? *this >> (0u - unsigned(sh)) : *this << unsigned(sh);
  }
  ap_fixed_base operator>>(int sh) const {
    return sh < 0 ? *this << (0u - unsigned(sh)) : *this >> unsigned(sh);
  }
  template <int BW>
  ap_fixed_base operator<<(const ap_int_base<BW, true>& sh) const {
    return *this << sh.to_int();
  }
  template <int BW>
  ap_fixed_base operator>>(const ap_int_base<BW, true>& sh) const {
    return *this >> sh.to_int();
  }
  template <int BW>
  ap_fixed_base operator<<(const ap_int_base<BW, false>& sh) const {
    return *this << sh.to_uint();
  }
  template <int BW>
  ap_fixed_base operator>>(const ap_int_base<BW, false>& sh) const {
    return *this >> sh.to_uint();
  }
  template <FIXNN_AP_FX_PARAMS>
  ap_fixed_base operator<<(const FIXNN_AP_FX_OTHER& sh) {
    return *this << sh.to_ap_int_base();
  }
  template <FIXNN_AP_FX_PARAMS>
  ap_fixed_base operator>>(const FIXNN_AP_FX_OTHER& sh) {
    return *this >> sh.to_ap_int_base();
  }
  ap_fixed_base& operator<<=(const int sh) { return *this = *this << sh; }
  ap_fixed_base& operator<<=(const unsigned int sh) { return *this = *this << sh; }
  ap_fixed_base& operator>>=(const int sh) { return *this = *this >> sh; }
  ap_fixed_base& operator>>=(const unsigned int sh) { return *this = *this >> sh; }
  template <int BW, bool BS>
  ap_fixed_base& operator<<=(const ap_int_base<BW, BS>& sh) {
    return *this = *this << sh.to_int();
  }
  template <int BW, bool BS>
  ap_fixed_base& operator>>=(const ap_int_base<BW, BS>& sh) {
    return *this = *this >> sh.to_int();
  }
  template <FIXNN_AP_FX_PARAMS>
  ap_fixed_base& operator<<=(const FIXNN_AP_FX_OTHER& sh) {
    return *this = *this << sh.to_int();
  }
  template <FIXNN_AP_FX_PARAMS>
  ap_fixed_base& operator>>=(const FIXNN_AP_FX_OTHER& sh) {
    return *this = *this >> sh.to_int();
  }

#define FIXNN_AP_FX_CMP(SYM, EQUALITY)                   \
  template <FIXNN_AP_FX_PARAMS>                          \
  bool operator SYM(const FIXNN_AP_FX_OTHER& op) const { \
    return CompareWith<BW, BI>(op.V, EQUALITY) SYM 0;    \
  }                                                      \
  bool operator SYM(double d) const { return to_double() SYM d; }
  FIXNN_AP_FX_CMP(==, true)
  FIXNN_AP_FX_CMP(!=, true)
  FIXNN_AP_FX_CMP(<, false)
  FIXNN_AP_FX_CMP(<=, false)
  FIXNN_AP_FX_CMP(>, false)
  FIXNN_AP_FX_CMP(>=, false)
#undef FIXNN_AP_FX_CMP

  af_bit_ref<AW, AI, AS, AQ, AO, AN> operator[](unsigned index) {
    return af_bit_ref<AW, AI, AS, AQ, AO, AN>(this, index);
  }
  template <int BW, bool BS>
  af_bit_ref<AW, AI, AS, AQ, AO, AN> operator[](const ap_int_base<BW, BS>& index) {
    return af_bit_ref<AW, AI, AS, AQ, AO, AN>(this, index.to_int());
  }
  bool operator[](unsigned index) const { return V.Bit(index); }
  af_bit_ref<AW, AI, AS, AQ, AO, AN> bit(unsigned index) { return (*this)[index]; }
  bool bit(unsigned index) const { return V.Bit(index); }
  // get_bit counts from the binary point: index 0 is the unit bit.
  bool get_bit(int index) const { return V.Bit(index + AW - AI); }
  template <int BW>
  af_bit_ref<AW, AI, AS, AQ, AO, AN> get_bit(const ap_int_base<BW, true>& index) {
    return af_bit_ref<AW, AI, AS, AQ, AO, AN>(this, index.to_int() + AW - AI);
  }
  af_range_ref<AW, AI, AS, AQ, AO, AN> range(int hi, int lo) const {
    return af_range_ref<AW, AI, AS, AQ, AO, AN>(const_cast<ap_fixed_base*>(this), hi, lo);
  }
  template <int BW, bool BS, int CW, bool CS>
  af_range_ref<AW, AI, AS, AQ, AO, AN> range(const ap_int_base<BW, BS>& hi,
                                             const ap_int_base<CW, CS>& lo) const {
    return range(hi.to_int(), lo.to_int());
  }
  af_range_ref<AW, AI, AS, AQ, AO, AN> range() const { return range(AW - 1, 0); }
  af_range_ref<AW, AI, AS, AQ, AO, AN> operator()(int hi, int lo) const { return range(hi, lo); }
  template <int BW, bool BS, int CW, bool CS>
  af_range_ref<AW, AI, AS, AQ, AO, AN> operator()(const ap_int_base<BW, BS>& hi,
                                                  const ap_int_base<CW, CS>& lo) const {
    return range(hi.to_int(), lo.to_int());
  }

  // Radix 2, 8, 10 or 16; the default radix is 2 like the reference headers.
  std::string to_string(unsigned char radix = 2, bool sign = AS) const {
    return fixnn_ap::FixedToString<AW, AI, AS>(V.w, radix, sign);
  }

 private:
  template <int BW, int BI, bool BS>
  void SetFixed(const fixnn_ap::Raw<BW, BS>& src) {
    fixnn_ap::FixedFrom<AW, AI, AS, AQ, AO, AN, BW>(V, src.w, BS, (BW - BI) - (AW - AI));
  }
  static int Align(int mine, int other) { return mine < other ? other - mine : 0; }
  // Compares with another fixed value after moving both to a common LSB the
  // way the reference headers do (the side with fewer fraction bits widens),
  // so mixed-signedness comparisons follow the same integer rules.
  template <int BW, int BI, bool BS>
  int CompareWith(const fixnn_ap::Raw<BW, BS>& op, bool equality) const {
    enum {
      f1 = AW - AI,
      f2 = BW - BI,
      kRight = fixnn_ap::Max(BW + f1 - f2, 1),
      kLeft = fixnn_ap::Max(AW + f2 - f1 + 1, 1)
    };
    if (int(f1) == int(f2)) return Order(V, op, equality);
    if (int(f1) > int(f2)) {
      fixnn_ap::Raw<kRight, BS> r(op);
      return Order(V, fixnn_ap::ShiftedLeft(r, unsigned(f1 - f2)), equality);
    }
    fixnn_ap::Raw<kLeft, AS> l(V);
    return Order(fixnn_ap::ShiftedLeft(l, unsigned(f2 - f1)), op, equality);
  }
  template <int XW, bool XS, int YW, bool YS>
  static int Order(const fixnn_ap::Raw<XW, XS>& x, const fixnn_ap::Raw<YW, YS>& y, bool equality) {
    return equality ? !fixnn_ap::Same(x, y) : fixnn_ap::Compare(x, y);
  }
};

template <int AW, int AI, bool AS, ap_q_mode AQ, ap_o_mode AO, int AN>
const int ap_fixed_base<AW, AI, AS, AQ, AO, AN>::width;
template <int AW, int AI, bool AS, ap_q_mode AQ, ap_o_mode AO, int AN>
const int ap_fixed_base<AW, AI, AS, AQ, AO, AN>::iwidth;
template <int AW, int AI, bool AS, ap_q_mode AQ, ap_o_mode AO, int AN>
const ap_q_mode ap_fixed_base<AW, AI, AS, AQ, AO, AN>::qmode;
template <int AW, int AI, bool AS, ap_q_mode AQ, ap_o_mode AO, int AN>
const ap_o_mode ap_fixed_base<AW, AI, AS, AQ, AO, AN>::omode;

#define FIXNN_AP_FIXED_CTORS(CLASS)                                   \
  CLASS() {}                                                          \
  template <FIXNN_AP_FX_PARAMS>                                       \
  CLASS(const FIXNN_AP_FX_OTHER& op) : Base(op) {}                    \
  template <int BW, bool BS>                                          \
  CLASS(const ap_int_base<BW, BS>& op) : Base(op) {}                  \
  template <int BW, bool BS>                                          \
  CLASS(const ap_bit_ref<BW, BS>& op) : Base(op) {}                   \
  template <int BW, bool BS>                                          \
  CLASS(const ap_range_ref<BW, BS>& op) : Base(op) {}                 \
  template <FIXNN_AP_FX_PARAMS>                                       \
  CLASS(const af_bit_ref<BW, BI, BS, BQ, BO, BN>& op) : Base(op) {}   \
  template <FIXNN_AP_FX_PARAMS>                                       \
  CLASS(const af_range_ref<BW, BI, BS, BQ, BO, BN>& op) : Base(op) {} \
  CLASS(bool v) : Base(v) {}                                          \
  CLASS(char v) : Base(v) {}                                          \
  CLASS(signed char v) : Base(v) {}                                   \
  CLASS(unsigned char v) : Base(v) {}                                 \
  CLASS(short v) : Base(v) {}                                         \
  CLASS(unsigned short v) : Base(v) {}                                \
  CLASS(int v) : Base(v) {}                                           \
  CLASS(unsigned int v) : Base(v) {}                                  \
  CLASS(long v) : Base(v) {}                                          \
  CLASS(unsigned long v) : Base(v) {}                                 \
  CLASS(long long v) : Base(v) {}                                     \
  CLASS(unsigned long long v) : Base(v) {}                            \
  CLASS(float v) : Base(v) {}                                         \
  CLASS(double v) : Base(v) {}                                        \
  CLASS(const char*) = delete;                                        \
  CLASS(const char*, signed char) = delete;

template <int AW, int AI, ap_q_mode AQ, ap_o_mode AO, int AN>
struct ap_fixed : ap_fixed_base<AW, AI, true, AQ, AO, AN> {
  typedef ap_fixed_base<AW, AI, true, AQ, AO, AN> Base;
  FIXNN_AP_FIXED_CTORS(ap_fixed)
};

template <int AW, int AI, ap_q_mode AQ, ap_o_mode AO, int AN>
struct ap_ufixed : ap_fixed_base<AW, AI, false, AQ, AO, AN> {
  typedef ap_fixed_base<AW, AI, false, AQ, AO, AN> Base;
  FIXNN_AP_FIXED_CTORS(ap_ufixed)
};

#undef FIXNN_AP_FIXED_CTORS

#endif  // FIXNN_AP_FIXED_BASE_H_
