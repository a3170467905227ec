// ap_int_base, ap_int and ap_uint: arbitrary-width two's complement integers
// whose arithmetic results widen as the reference headers specify, while
// compound assignments wrap back to the left operand's width.
#ifndef FIXNN_AP_INT_BASE_H_
#define FIXNN_AP_INT_BASE_H_

#include <type_traits>

#include "arith.h"
#include "convert.h"
#include "format.h"

template <int AW, bool AS>
struct ap_int_base {
  typedef fixnn_ap::Raw<AW, AS> Storage;
  // Implicit conversions go through the 64-bit C type of matching signedness.
  typedef typename std::conditional<AS, ap_slong, ap_ulong>::type RetType;
  static const int width = AW;

  // Result formats of binary operators with an ap_int_base<BW, BS>.
  template <int BW, bool BS>
  struct RType {
    enum {
      mult_w = AW + BW,
      mult_s = AS || BS,
      plus_w = fixnn_ap::Max(AW + (BS && !AS), BW + (AS && !BS)) + 1,
      plus_s = AS || BS,
      minus_w = fixnn_ap::Max(AW + (BS && !AS), BW + (AS && !BS)) + 1,
      minus_s = true,
      div_w = AW + BS,
      div_s = AS || BS,
      mod_w = fixnn_ap::Min(AW, BW + (!BS && AS)),
      mod_s = AS,
      logic_w = fixnn_ap::Max(AW + (BS && !AS), BW + (AS && !BS)),
      logic_s = AS || BS
    };
    typedef typename fixnn_ap::IntOf<mult_w, mult_s>::type mult;
    typedef typename fixnn_ap::IntOf<plus_w, plus_s>::type plus;
    typedef typename fixnn_ap::IntOf<minus_w, minus_s>::type minus;
    typedef typename fixnn_ap::IntOf<logic_w, logic_s>::type logic;
    typedef typename fixnn_ap::IntOf<div_w, div_s>::type div;
    typedef typename fixnn_ap::IntOf<mod_w, mod_s>::type mod;
    typedef typename fixnn_ap::IntOf<AW, AS>::type arg1;
    typedef ap_int_base<mult_w, mult_s> mult_base;
    typedef ap_int_base<plus_w, plus_s> plus_base;
    typedef ap_int_base<minus_w, minus_s> minus_base;
    typedef ap_int_base<logic_w, logic_s> logic_base;
    typedef ap_int_base<div_w, div_s> div_base;
    typedef ap_int_base<mod_w, mod_s> mod_base;
    typedef ap_int_base<AW, AS> arg1_base;
    typedef bool reduce;
  };
  typedef typename RType<AW, AS>::arg1 Self;

  Storage V;

  ap_int_base() {}
  template <int BW, bool BS>
  ap_int_base(const ap_int_base<BW, BS>& op) : V(op.V) {}
#define FIXNN_AP_CTOR(T) \
  ap_int_base(T v) { SetFromC(v); }
  FIXNN_AP_FOR_EACH_CINT(FIXNN_AP_CTOR)
#undef FIXNN_AP_CTOR
  // Parsing strings is not supported; without these a string literal would
  // silently convert through bool.
  ap_int_base(const char*) = delete;
  ap_int_base(const char*, signed char) = delete;
  ap_int_base(float v) { fixnn_ap::IntFromFloat(V, fixnn_ap::FloatBits(v), fixnn_ap::kFloat); }
  ap_int_base(double v) { fixnn_ap::IntFromFloat(V, fixnn_ap::DoubleBits(v), fixnn_ap::kDouble); }
  template <int BW, int BI, bool BS, ap_q_mode BQ, ap_o_mode BO, int BN>
  ap_int_base(const ap_fixed_base<BW, BI, BS, BQ, BO, BN>& op) : V(op.to_ap_int_base().V) {}
  template <int BW, bool BS>
  ap_int_base(const ap_range_ref<BW, BS>& ref) : V(ref.get().V) {}
  template <int BW, bool BS>
  ap_int_base(const ap_bit_ref<BW, BS>& ref) {
    V.SetUnsigned(ref.to_bool());
  }
  template <int BW, int BI, bool BS, ap_q_mode BQ, ap_o_mode BO, int BN>
  ap_int_base(const af_range_ref<BW, BI, BS, BQ, BO, BN>& ref) : V(ref.get().V) {}
  template <int BW, int BI, bool BS, ap_q_mode BQ, ap_o_mode BO, int BN>
  ap_int_base(const af_bit_ref<BW, BI, BS, BQ, BO, BN>& ref) {
    V.SetUnsigned(bool(ref));
  }

  template <int BW, bool BS>
  ap_int_base& operator=(const ap_int_base<BW, BS>& op) {
    V = Storage(op.V);
    return *this;
  }
#define FIXNN_AP_ASSIGN(T)      \
  ap_int_base& operator=(T v) { \
    SetFromC(v);                \
    return *this;               \
  }
  FIXNN_AP_FOR_EACH_CINT(FIXNN_AP_ASSIGN)
#undef FIXNN_AP_ASSIGN

  operator RetType() const { return RetType(V.w[0]); }  // NOLINT: implicit by design

  bool to_bool() const { return V.w[0] != 0; }
  char to_char() const { return char(V.w[0]); }
  signed char to_schar() const { return static_cast<signed char>(V.w[0]); }
  unsigned char to_uchar() const { return static_cast<unsigned char>(V.w[0]); }
  short to_short() const { return short(V.w[0]); }
  unsigned short to_ushort() const { return static_cast<unsigned short>(V.w[0]); }
  int to_int() const { return int(V.w[0]); }
  unsigned to_uint() const { return unsigned(V.w[0]); }
  long to_long() const { return long(V.w[0]); }
  unsigned long to_ulong() const { return static_cast<unsigned long>(V.w[0]); }
  ap_slong to_int64() const { return ap_slong(V.w[0]); }
  ap_ulong to_uint64() const { return V.w[0]; }
  // Only the low 64 bits take part, as in the reference headers.
  float to_float() const { return float(RetType(V.w[0])); }
  double to_double() const { return double(RetType(V.w[0])); }

  int length() const { return AW; }
  bool iszero() const { return V.IsZero(); }
  bool is_zero() const { return V.IsZero(); }
  bool sign() const { return V.IsNeg(); }
  bool test(int i) const { return V.Bit(i); }
  bool get_bit(int i) const { return V.Bit(i); }
  void set_bit(int i, bool v) {
    fixnn_ap::SetBit(V.w, i, v);
    V.Fix();
  }
  void set(int i, bool v) { set_bit(i, v); }
  void set(int i) { set_bit(i, true); }
  void clear(int i) { set_bit(i, false); }
  void invert(int i) { set_bit(i, !V.Bit(i)); }
  void b_not() {
    for (int i = 0; i < Storage::kWords; ++i) V.w[i] = ~V.w[i];
    V.Fix();
  }
  ap_int_base& reverse() {
    V = Storage(fixnn_ap::GetRange(V, 0, AW - 1));
    return *this;
  }
  ap_int_base& lrotate(int n) {
    Storage hi = fixnn_ap::ShiftedLeft(V, n);
    Storage lo =
        fixnn_ap::Raw<AW, false>(fixnn_ap::ShiftedRight(fixnn_ap::Raw<AW, false>(V), AW - n));
    for (int i = 0; i < Storage::kWords; ++i) V.w[i] = hi.w[i] | lo.w[i];
    V.Fix();
    return *this;
  }
  ap_int_base& rrotate(int n) { return lrotate((AW - n) % AW); }
  bool and_reduce() const { return CountOnes() == AW; }
  bool nand_reduce() const { return !and_reduce(); }
  bool or_reduce() const { return !V.IsZero(); }
  bool nor_reduce() const { return V.IsZero(); }
  bool xor_reduce() const { return CountOnes() % 2; }
  bool xnor_reduce() const { return !xor_reduce(); }
  int countLeadingZeros() const { return fixnn_ap::LeadingZeros(V.w, AW); }
  ap_int_base& get() { return *this; }

  // Compound assignments wrap the exact result into this width.
  template <int BW, bool BS>
  ap_int_base& operator+=(const ap_int_base<BW, BS>& op) {
    Storage t(op.V);
    fixnn_ap::Add(V.w, V.w, t.w, Storage::kWords);
    V.Fix();
    return *this;
  }
  template <int BW, bool BS>
  ap_int_base& operator-=(const ap_int_base<BW, BS>& op) {
    Storage t(op.V);
    fixnn_ap::Sub(V.w, V.w, t.w, Storage::kWords);
    V.Fix();
    return *this;
  }
  template <int BW, bool BS>
  ap_int_base& operator*=(const ap_int_base<BW, BS>& op) {
    Storage t(op.V), r;
    fixnn_ap::Mul(r.w, V.w, t.w, Storage::kWords);
    V = r;
    V.Fix();
    return *this;
  }
  template <int BW, bool BS>
  ap_int_base& operator/=(const ap_int_base<BW, BS>& op) {
    V = Storage((*this / op).V);
    return *this;
  }
  template <int BW, bool BS>
  ap_int_base& operator%=(const ap_int_base<BW, BS>& op) {
    V = Storage((*this % op).V);
    return *this;
  }
  template <int BW, bool BS>
  ap_int_base& operator&=(const ap_int_base<BW, BS>& op) {
    return BitAssign(Storage(op.V), '&');
  }
  template <int BW, bool BS>
  ap_int_base& operator|=(const ap_int_base<BW, BS>& op) {
    return BitAssign(Storage(op.V), '|');
  }
  template <int BW, bool BS>
  ap_int_base& operator^=(const ap_int_base<BW, BS>& op) {
    return BitAssign(Storage(op.V), '^');
  }
  template <int BW>
  ap_int_base& operator<<=(const ap_int_base<BW, true>& op) {
    V = (*this << op).V;
    return *this;
  }
  template <int BW>
  ap_int_base& operator<<=(const ap_int_base<BW, false>& op) {
    V = fixnn_ap::ShiftedLeft(V, op.to_uint());
    return *this;
  }
  template <int BW>
  ap_int_base& operator>>=(const ap_int_base<BW, true>& op) {
    V = (*this >> op).V;
    return *this;
  }
  template <int BW>
  ap_int_base& operator>>=(const ap_int_base<BW, false>& op) {
    V = fixnn_ap::ShiftedRight(V, op.to_uint());
    return *this;
  }

  ap_int_base& operator++() { return *this += ap_int_base<1, false>(1); }
  ap_int_base& operator--() { return *this -= ap_int_base<1, false>(1); }
  const Self operator++(int) {
    ap_int_base old = *this;
    ++*this;
    return old;
  }
  const Self operator--(int) {
    ap_int_base old = *this;
    --*this;
    return old;
  }

  Self operator+() const { return *this; }
  typename RType<1, false>::minus operator-() const { return ap_int_base<1, false>(0) - *this; }
  bool operator!() const { return V.IsZero(); }
  Self operator~() const {
    Self r;
    for (int i = 0; i < Storage::kWords; ++i) r.V.w[i] = ~V.w[i];
    r.V.Fix();
    return r;
  }

  // Shifts keep this width; a negative signed count shifts the other way.
  template <int BW>
  Self operator<<(const ap_int_base<BW, true>& op) const {
    if (op.V.IsNeg()) return *this >> ap_int_base<BW, false>(-op);
    return *this << ap_int_base<BW, false>(op);
  }
  template <int BW>
  Self operator<<(const ap_int_base<BW, false>& op) const {
    Self r;
    r.V = fixnn_ap::ShiftedLeft(V, op.to_uint());
    return r;
  }
  template <int BW>
  Self operator>>(const ap_int_base<BW, true>& op) const {
    if (op.V.IsNeg()) return *this << ap_int_base<BW, false>(-op);
    return *this >> ap_int_base<BW, false>(op);
  }
  template <int BW>
  Self operator>>(const ap_int_base<BW, false>& op) const {
    Self r;
    r.V = fixnn_ap::ShiftedRight(V, op.to_uint());
    return r;
  }

  template <int BW, bool BS>
  bool operator==(const ap_int_base<BW, BS>& op) const {
    return fixnn_ap::Same(V, op.V);
  }
  template <int BW, bool BS>
  bool operator!=(const ap_int_base<BW, BS>& op) const {
    return !fixnn_ap::Same(V, op.V);
  }
  template <int BW, bool BS>
  bool operator<(const ap_int_base<BW, BS>& op) const {
    return fixnn_ap::Compare(V, op.V) < 0;
  }
  template <int BW, bool BS>
  bool operator>=(const ap_int_base<BW, BS>& op) const {
    return fixnn_ap::Compare(V, op.V) >= 0;
  }
  template <int BW, bool BS>
  bool operator>(const ap_int_base<BW, BS>& op) const {
    return fixnn_ap::Compare(V, op.V) > 0;
  }
  template <int BW, bool BS>
  bool operator<=(const ap_int_base<BW, BS>& op) const {
    return fixnn_ap::Compare(V, op.V) <= 0;
  }

  ap_range_ref<AW, AS> range(int hi, int lo) const {
    return ap_range_ref<AW, AS>(const_cast<ap_int_base*>(this), hi, lo);
  }
  template <int BW, bool BS, int CW, bool CS>
  ap_range_ref<AW, AS> range(const ap_int_base<BW, BS>& hi, const ap_int_base<CW, CS>& lo) const {
    return range(hi.to_int(), lo.to_int());
  }
  ap_range_ref<AW, AS> range() const { return range(AW - 1, 0); }
  ap_range_ref<AW, AS> operator()(int hi, int lo) const { return range(hi, lo); }
  template <int BW, bool BS, int CW, bool CS>
  ap_range_ref<AW, AS> operator()(const ap_int_base<BW, BS>& hi,
                                  const ap_int_base<CW, CS>& lo) const {
    return range(hi.to_int(), lo.to_int());
  }
  ap_bit_ref<AW, AS> operator[](int i) { return ap_bit_ref<AW, AS>(this, i); }
  template <int BW, bool BS>
  ap_bit_ref<AW, AS> operator[](const ap_int_base<BW, BS>& i) {
    return ap_bit_ref<AW, AS>(this, i.to_int());
  }
  bool operator[](int i) const { return V.Bit(i); }
  template <int BW, bool BS>
  bool operator[](const ap_int_base<BW, BS>& i) const {
    return V.Bit(i.to_int());
  }
  ap_bit_ref<AW, AS> bit(int i) { return ap_bit_ref<AW, AS>(this, i); }
  template <int BW, bool BS>
  ap_bit_ref<AW, AS> bit(const ap_int_base<BW, BS>& i) {
    return ap_bit_ref<AW, AS>(this, i.to_int());
  }
  bool bit(int i) const { return V.Bit(i); }
  template <int BW, bool BS>
  bool bit(const ap_int_base<BW, BS>& i) const {
    return V.Bit(i.to_int());
  }

  // Radix 2, 8, 10 or 16; the default radix is 2 like the reference headers.
  std::string to_string(signed char radix = 2, bool sign = AS) const {
    if (radix == 2) sign = false;
    return fixnn_ap::IntToString<AW>(V.w, AS, radix, radix == 10 ? AS : sign);
  }

 private:
  template <typename T>
  void SetFromC(T v) {
    if (fixnn_ap::CInt<T>::is_signed) {
      V.SetSigned(fixnn_ap::SWord(v));
    } else {
      V.SetUnsigned(fixnn_ap::Word(v));
    }
  }
  ap_int_base& BitAssign(const Storage& t, char op) {
    for (int i = 0; i < Storage::kWords; ++i) {
      V.w[i] = op == '&' ? (V.w[i] & t.w[i]) : op == '|' ? (V.w[i] | t.w[i]) : (V.w[i] ^ t.w[i]);
    }
    V.Fix();
    return *this;
  }
  int CountOnes() const {
    fixnn_ap::Raw<AW, false> u(V);
    int n = 0;
    for (int i = 0; i < fixnn_ap::Raw<AW, false>::kWords; ++i) n += __builtin_popcountll(u.w[i]);
    return n;
  }
};

template <int AW, bool AS>
const int ap_int_base<AW, AS>::width;

// The user-facing classes only add constructors: assignment from any other
// type goes through a converting constructor and the implicit copy.
#define FIXNN_AP_INT_CTORS(CLASS)                                        \
  CLASS() {}                                                             \
  template <int BW, bool BS>                                             \
  CLASS(const ap_int_base<BW, BS>& op) : Base(op) {}                     \
  template <int BW, bool BS>                                             \
  CLASS(const ap_range_ref<BW, BS>& ref) : Base(ref) {}                  \
  template <int BW, bool BS>                                             \
  CLASS(const ap_bit_ref<BW, BS>& ref) : Base(ref) {}                    \
  template <int BW, int BI, bool BS, ap_q_mode BQ, ap_o_mode BO, int BN> \
  CLASS(const af_range_ref<BW, BI, BS, BQ, BO, BN>& ref) : Base(ref) {}  \
  template <int BW, int BI, bool BS, ap_q_mode BQ, ap_o_mode BO, int BN> \
  CLASS(const af_bit_ref<BW, BI, BS, BQ, BO, BN>& ref) : Base(ref) {}    \
  template <int BW, int BI, bool BS, ap_q_mode BQ, ap_o_mode BO, int BN> \
  CLASS(const ap_fixed_base<BW, BI, BS, BQ, BO, BN>& op) : Base(op) {}   \
  CLASS(bool v) : Base(v) {}                                             \
  CLASS(char v) : Base(v) {}                                             \
  CLASS(signed char v) : Base(v) {}                                      \
  CLASS(unsigned char v) : Base(v) {}                                    \
  CLASS(short v) : Base(v) {}                                            \
  CLASS(unsigned short v) : Base(v) {}                                   \
  CLASS(int v) : Base(v) {}                                              \
  CLASS(unsigned int v) : Base(v) {}                                     \
  CLASS(long v) : Base(v) {}                                             \
  CLASS(unsigned long v) : Base(v) {}                                    \
  CLASS(long long v) : Base(v) {}                                        \
  CLASS(unsigned long long v) : Base(v) {}                               \
  CLASS(float v) : Base(v) {}                                            \
  CLASS(double v) : Base(v) {}                                           \
  CLASS(const char*) = delete;                                           \
  CLASS(const char*, signed char) = delete;

template <int AW>
struct ap_int : ap_int_base<AW, true> {
  typedef ap_int_base<AW, true> Base;
  FIXNN_AP_INT_CTORS(ap_int)
};

template <int AW>
struct ap_uint : ap_int_base<AW, false> {
  typedef ap_int_base<AW, false> Base;
  FIXNN_AP_INT_CTORS(ap_uint)
};

#undef FIXNN_AP_INT_CTORS

#endif  // FIXNN_AP_INT_BASE_H_
