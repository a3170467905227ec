// Proxies returned by range(), operator()(hi, lo) and operator[] on ap_int
// and ap_fixed values. Reading yields an unsigned integer of the parent's
// width; assigning writes the low bits of the new value into the selected bits.
#ifndef FIXNN_AP_REFS_H_
#define FIXNN_AP_REFS_H_

#include "fixed_base.h"

// Assignment from every C arithmetic type, through an unsigned ap integer of
// the parent's width (so doubles convert like ap_uint(double) does).
#define FIXNN_AP_REF_ASSIGN_C(CLASS, T) \
  CLASS& operator=(T v) { return Store(ap_int_base<AW, false>(v)); }
#define FIXNN_AP_REF_ASSIGN_ALL_C(CLASS)           \
  FIXNN_AP_REF_ASSIGN_C(CLASS, bool)               \
  FIXNN_AP_REF_ASSIGN_C(CLASS, char)               \
  FIXNN_AP_REF_ASSIGN_C(CLASS, signed char)        \
  FIXNN_AP_REF_ASSIGN_C(CLASS, unsigned char)      \
  FIXNN_AP_REF_ASSIGN_C(CLASS, short)              \
  FIXNN_AP_REF_ASSIGN_C(CLASS, unsigned short)     \
  FIXNN_AP_REF_ASSIGN_C(CLASS, int)                \
  FIXNN_AP_REF_ASSIGN_C(CLASS, unsigned int)       \
  FIXNN_AP_REF_ASSIGN_C(CLASS, long)               \
  FIXNN_AP_REF_ASSIGN_C(CLASS, unsigned long)      \
  FIXNN_AP_REF_ASSIGN_C(CLASS, long long)          \
  FIXNN_AP_REF_ASSIGN_C(CLASS, unsigned long long) \
  FIXNN_AP_REF_ASSIGN_C(CLASS, float)              \
  FIXNN_AP_REF_ASSIGN_C(CLASS, double)

// Integer readers shared by both range proxies (low 64 bits, C casts).
#define FIXNN_AP_REF_READERS                                                                 \
  operator ap_ulong() const { return to_uint64(); }         /* NOLINT: implicit by design */ \
  operator ap_int_base<AW, false>() const { return get(); } /* NOLINT */                     \
  int length() const { return hi_ >= lo_ ? hi_ - lo_ + 1 : lo_ - hi_ + 1; }                  \
  char to_char() const { return char(get().V.w[0]); }                                        \
  int to_int() const { return int(get().V.w[0]); }                                           \
  unsigned to_uint() const { return unsigned(get().V.w[0]); }                                \
  long to_long() const { return long(get().V.w[0]); }                                        \
  unsigned long to_ulong() const { return static_cast<unsigned long>(get().V.w[0]); }        \
  ap_slong to_int64() const { return ap_slong(get().V.w[0]); }                               \
  ap_ulong to_uint64() const { return get().V.w[0]; }                                        \
  std::string to_string(signed char radix = 2) const { return get().to_string(radix); }

template <int AW, bool AS>
struct ap_range_ref {
  ap_range_ref(const ap_int_base<AW, AS>* parent, int hi, int lo)
      : parent_(const_cast<ap_int_base<AW, AS>*>(parent)), hi_(hi), lo_(lo) {}
  ap_range_ref(const ap_range_ref&) = default;

  ap_int_base<AW, false> get() const {
    ap_int_base<AW, false> r;
    r.V = fixnn_ap::GetRange(parent_->V, hi_, lo_);
    return r;
  }
  template <int BW>
  void set(const ap_int_base<BW, false>& v) {
    Store(v);
  }
  FIXNN_AP_REF_READERS

  FIXNN_AP_REF_ASSIGN_ALL_C(ap_range_ref)
  ap_range_ref& operator=(const char*) = delete;  // strings are not parsed
  template <int BW, bool BS>
  ap_range_ref& operator=(const ap_int_base<BW, BS>& v) {
    return Store(v);
  }
  ap_range_ref& operator=(const ap_range_ref& v) { return Store(v.get()); }
  template <int BW, bool BS>
  ap_range_ref& operator=(const ap_range_ref<BW, BS>& v) {
    return Store(v.get());
  }
  template <int BW, bool BS>
  ap_range_ref& operator=(const ap_bit_ref<BW, BS>& v) {
    return Store(ap_int_base<AW, false>(ap_ulong(v.to_bool())));
  }
  // A fixed value contributes its integer part.
  template <int BW, int BI, bool BS, ap_q_mode BQ, ap_o_mode BO, int BN>
  ap_range_ref& operator=(const ap_fixed_base<BW, BI, BS, BQ, BO, BN>& v) {
    return Store(v.to_ap_int_base());
  }
  template <int BW, int BI, bool BS, ap_q_mode BQ, ap_o_mode BO, int BN>
  ap_range_ref& operator=(const af_range_ref<BW, BI, BS, BQ, BO, BN>& v) {
    return Store(v.get());
  }
  template <int BW, int BI, bool BS, ap_q_mode BQ, ap_o_mode BO, int BN>
  ap_range_ref& operator=(const af_bit_ref<BW, BI, BS, BQ, BO, BN>& v) {
    return Store(ap_int_base<AW, false>(ap_ulong(bool(v))));
  }

 private:
  template <int BW, bool BS>
  ap_range_ref& Store(const ap_int_base<BW, BS>& v) {
    fixnn_ap::SetRange(parent_->V, hi_, lo_, v.V);
    return *this;
  }
  ap_int_base<AW, AS>* parent_;
  int hi_, lo_;
};

template <int AW, bool AS>
struct ap_bit_ref {
  ap_bit_ref(const ap_int_base<AW, AS>* parent, int index = 0)
      : parent_(const_cast<ap_int_base<AW, AS>*>(parent)), index_(index) {}
  ap_bit_ref(const ap_bit_ref&) = default;

  operator bool() const { return parent_->V.Bit(index_); }  // NOLINT: implicit by design
  bool to_bool() const { return parent_->V.Bit(index_); }
  bool get() const { return to_bool(); }
  bool operator~() const { return !to_bool(); }
  int length() const { return 1; }

#define FIXNN_AP_BIT_ASSIGN(T) \
  ap_bit_ref& operator=(T v) { return Store(v != 0); }
  FIXNN_AP_FOR_EACH_CINT(FIXNN_AP_BIT_ASSIGN)
#undef FIXNN_AP_BIT_ASSIGN
  ap_bit_ref& operator=(float v) { return Store(bool(v)); }
  ap_bit_ref& operator=(double v) { return Store(bool(v)); }
  ap_bit_ref& operator=(const ap_bit_ref& v) { return Store(v.to_bool()); }
  template <int BW, bool BS>
  ap_bit_ref& operator=(const ap_bit_ref<BW, BS>& v) {
    return Store(v.to_bool());
  }
  template <int BW, bool BS>
  ap_bit_ref& operator=(const ap_int_base<BW, BS>& v) {
    return Store(!v.V.IsZero());
  }
  template <int BW, bool BS>
  ap_bit_ref& operator=(const ap_range_ref<BW, BS>& v) {
    return Store(!v.get().V.IsZero());
  }
  template <int BW, int BI, bool BS, ap_q_mode BQ, ap_o_mode BO, int BN>
  ap_bit_ref& operator=(const af_bit_ref<BW, BI, BS, BQ, BO, BN>& v) {
    return Store(bool(v));
  }
  template <int BW, bool BS>
  bool operator==(const ap_bit_ref<BW, BS>& o) const {
    return to_bool() == o.to_bool();
  }
  template <int BW, bool BS>
  bool operator!=(const ap_bit_ref<BW, BS>& o) const {
    return to_bool() != o.to_bool();
  }

 private:
  ap_bit_ref& Store(bool v) {
    fixnn_ap::SetBit(parent_->V.w, index_, v);
    parent_->V.Fix();
    return *this;
  }
  ap_int_base<AW, AS>* parent_;
  int index_;
};

template <int AW, int AI, bool AS, ap_q_mode AQ, ap_o_mode AO, int AN>
struct af_range_ref {
  typedef ap_fixed_base<AW, AI, AS, AQ, AO, AN> Parent;
  af_range_ref(const Parent* parent, int hi, int lo)
      : parent_(const_cast<Parent*>(parent)), hi_(hi), lo_(lo) {}
  af_range_ref(const af_range_ref&) = default;

  ap_int_base<AW, false> get() const {
    ap_int_base<AW, false> r;
    r.V = fixnn_ap::GetRange(parent_->V, hi_, lo_);
    return r;
  }
  ap_int_base<AW, false> to_ap_int_base() const { return get(); }
  template <int BW>
  void set(const ap_int_base<BW, false>& v) {
    Store(v);
  }
  FIXNN_AP_REF_READERS

  FIXNN_AP_REF_ASSIGN_ALL_C(af_range_ref)
  af_range_ref& operator=(const char*) = delete;  // strings are not parsed
  template <int BW, bool BS>
  af_range_ref& operator=(const ap_int_base<BW, BS>& v) {
    return Store(v);
  }
  af_range_ref& operator=(const af_range_ref& v) { return Store(v.get()); }
  template <int BW, int BI, bool BS, ap_q_mode BQ, ap_o_mode BO, int BN>
  af_range_ref& operator=(const af_range_ref<BW, BI, BS, BQ, BO, BN>& v) {
    return Store(v.get());
  }
  template <int BW, bool BS>
  af_range_ref& operator=(const ap_range_ref<BW, BS>& v) {
    return Store(v.get());
  }
  template <int BW, bool BS>
  af_range_ref& operator=(const ap_bit_ref<BW, BS>& v) {
    return Store(ap_int_base<1, false>(v.to_bool()));
  }
  template <int BW, int BI, bool BS, ap_q_mode BQ, ap_o_mode BO, int BN>
  af_range_ref& operator=(const af_bit_ref<BW, BI, BS, BQ, BO, BN>& v) {
    return Store(ap_int_base<1, false>(bool(v)));
  }
  // A fixed value contributes its raw bits (unlike ap_range_ref).
  template <int BW, int BI, bool BS, ap_q_mode BQ, ap_o_mode BO, int BN>
  af_range_ref& operator=(const ap_fixed_base<BW, BI, BS, BQ, BO, BN>& v) {
    fixnn_ap::SetRange(parent_->V, hi_, lo_, v.V);
    return *this;
  }

 private:
  template <int BW, bool BS>
  af_range_ref& Store(const ap_int_base<BW, BS>& v) {
    fixnn_ap::SetRange(parent_->V, hi_, lo_, v.V);
    return *this;
  }
  Parent* parent_;
  int hi_, lo_;
};

template <int AW, int AI, bool AS, ap_q_mode AQ, ap_o_mode AO, int AN>
struct af_bit_ref {
  typedef ap_fixed_base<AW, AI, AS, AQ, AO, AN> Parent;
  af_bit_ref(const Parent* parent, int index = 0)
      : parent_(const_cast<Parent*>(parent)), index_(index) {}
  af_bit_ref(const af_bit_ref&) = default;

  operator bool() const { return parent_->V.Bit(index_); }  // NOLINT: implicit by design
  bool get() const { return parent_->V.Bit(index_); }
  bool operator~() const { return !get(); }
  int length() const { return 1; }
  std::string to_string() const { return get() ? "1" : "0"; }

  af_bit_ref& operator=(bool v) {
    fixnn_ap::SetBit(parent_->V.w, index_, v);
    parent_->V.Fix();
    return *this;
  }
  af_bit_ref& operator=(const af_bit_ref& v) { return *this = v.get(); }
  template <int BW, int BI, bool BS, ap_q_mode BQ, ap_o_mode BO, int BN>
  af_bit_ref& operator=(const af_bit_ref<BW, BI, BS, BQ, BO, BN>& v) {
    return *this = v.get();
  }
  template <int BW, bool BS>
  af_bit_ref& operator=(const ap_bit_ref<BW, BS>& v) {
    return *this = v.to_bool();
  }
  template <int BW, bool BS>
  af_bit_ref& operator=(const ap_int_base<BW, BS>& v) {
    return *this = !v.V.IsZero();
  }
  template <int BW, bool BS>
  af_bit_ref& operator=(const ap_range_ref<BW, BS>& v) {
    return *this = !v.get().V.IsZero();
  }
  template <int BW, int BI, bool BS, ap_q_mode BQ, ap_o_mode BO, int BN>
  af_bit_ref& operator=(const af_range_ref<BW, BI, BS, BQ, BO, BN>& v) {
    return *this = !v.get().V.IsZero();
  }
  template <int BW, int BI, bool BS, ap_q_mode BQ, ap_o_mode BO, int BN>
  bool operator==(const af_bit_ref<BW, BI, BS, BQ, BO, BN>& o) const {
    return get() == o.get();
  }
  template <int BW, int BI, bool BS, ap_q_mode BQ, ap_o_mode BO, int BN>
  bool operator!=(const af_bit_ref<BW, BI, BS, BQ, BO, BN>& o) const {
    return get() != o.get();
  }

 private:
  Parent* parent_;
  int index_;
};

#undef FIXNN_AP_REF_READERS
#undef FIXNN_AP_REF_ASSIGN_ALL_C
#undef FIXNN_AP_REF_ASSIGN_C

#endif  // FIXNN_AP_REFS_H_
