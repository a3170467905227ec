// Softmax, as hls4ml's nnet_activation.h computes it (docs/hls4ml-numerics.md, section 10),
// per slice of n values:
//   stable:  m = max x;  d_i = inp_norm_t(m - x_i)  (ufixed<W-1, I-1>, TRN, WRAP)
//            e_i = accum_t(exp_table[top bits of d_i]),  exp_table[k] = exp(-value(k))
//   latency: e_i = accum_t(exp_table[top bits of x_i]),  exp_table[k] = exp(value(k))
//            s = inv_inp_t(tree sum of e in accum_t);  r = inv_table[top bits of s]
//            y_i = result_t(e_i * r)
//   legacy:  acc_i = table_t sum over j of (i == j ? 1 : exp[int((x_j - x_i) * N / 16) + N/2])
//            y_i = result_t(inv[int(acc_i * N / 64)]), indices clamped, table_t always
//            ap_fixed<18,8> (the configured table_t does not reach the softmax)
//   argmax:  y = result_t(0) everywhere but result_t(1) at the first largest x_i
// Table sizes: table_size, reduced to 2^min(W_in, W_inv_table) when larger (hls4ml's
// fix_softmax_table_size); for stable with a signed input the exp table has at most
// 2^(W_in - 1) entries. Stable and latency index their tables by top bits, so a size that is
// not a power of two could read past the table: refused.
//
// Slices: a Keras Softmax layer on a rank > 1 tensor normalises along its axis (hls4ml's
// softmax_multidim, Keras 3 converter); Activation('softmax') and activation='softmax' (the
// node's source is "Activation") normalise the whole flattened tensor.
#include <fmt/format.h>

#include "emulator/hls4ml_tables.h"
#include "emulator/kernel.h"
#include "fixed/fixed_value.h"
#include "passes/softmax_norm_types.h"

namespace fixnn::emulator {
namespace {

using fixed::FixedType;
using fixed::FixedValue;
using fixed::WideInt;

enum class Impl { kStable, kLatency, kLegacy, kArgmax };

struct SoftmaxSpec {
  Impl impl = Impl::kStable;
  int in = 0, out = 0;
  int64_t outer = 1, slice = 0, inner = 1;  // the tensor as [outer, slice, inner]
  // Stable and latency.
  FixedType index_type;  // the type whose top bits index the exp table
  int exp_bits = 0, inv_bits = 0;
  int inv_inp_width = 0;
  CastPlan norm;                   // m - x_i -> inp_norm_t (stable)
  CastPlan sum;                    // accum_t + accum_t -> accum_t (legacy: table_t)
  CastPlan inv_inp;                // accum_t -> inv_inp_t
  CastPlan result;                 // accum_t * inv_table_t -> result_t
  std::vector<WideInt> exp_accum;  // accum_t(exp_table[k]) (legacy: exp_table[k] in table_t)
  std::vector<uint8_t> exp_out;    // 0, 1: above accum_t's range, 2: below
  std::vector<WideInt> inv_table;  // inv_table[k] in inv_table_t (legacy: result_t(inv[k]))
  std::vector<uint8_t> inv_out;    // legacy: the result casts' out-of-range flags
  // Legacy.
  int64_t exp_size = 0, inv_size = 0;
  int x_lsb = 0, table_lsb = 0;
  WideInt one;  // table_t(1)
  // Argmax: result_t(0), result_t(1).
  WideInt zero_result, one_result;
  int norm_site = 0, exp_site = 0, sum_site = 0, inv_inp_site = 0, result_site = 0, one_site = 0;
  int in_scratch = 0, out_scratch = 0, e_scratch = 0;
};

template <class M>
class SoftmaxKernel final : public Kernel<M> {
 public:
  using A = Arith<M>;

  explicit SoftmaxKernel(const SoftmaxSpec& s)
      : s_(s),
        one_(A::FromWideInt(s.one)),
        zero_result_(A::FromWideInt(s.zero_result)),
        one_result_(A::FromWideInt(s.one_result)) {
    for (const WideInt& v : s.exp_accum) exp_accum_.push_back(A::FromWideInt(v));
    for (const WideInt& v : s.inv_table) inv_table_.push_back(A::FromWideInt(v));
  }

  void Run(Workspace<M>& ws) const override {
    const std::vector<M>& x = ws.tensors[static_cast<size_t>(s_.in)];
    std::vector<M>& y = ws.tensors[static_cast<size_t>(s_.out)];
    const bool whole = s_.outer == 1 && s_.inner == 1;
    M* in = whole ? nullptr : ws.scratch[static_cast<size_t>(s_.in_scratch)].data();
    M* out = whole ? y.data() : ws.scratch[static_cast<size_t>(s_.out_scratch)].data();
    for (int64_t o = 0; o < s_.outer; ++o) {
      for (int64_t k = 0; k < s_.inner; ++k) {
        const int64_t base = o * s_.slice * s_.inner + k;
        if (!whole) {
          for (int64_t j = 0; j < s_.slice; ++j)
            in[j] = x[static_cast<size_t>(base + j * s_.inner)];
        }
        Slice(whole ? x.data() : in, out, ws);
        if (!whole) {
          for (int64_t j = 0; j < s_.slice; ++j)
            y[static_cast<size_t>(base + j * s_.inner)] = out[j];
        }
      }
    }
  }

 private:
  void Slice(const M* x, M* y, Workspace<M>& ws) const {
    switch (s_.impl) {
      case Impl::kStable:
      case Impl::kLatency:
        return Table(x, y, ws);
      case Impl::kLegacy:
        return Legacy(x, y, ws);
      case Impl::kArgmax:
        return Argmax(x, y);
    }
  }

  void Table(const M* x, M* y, Workspace<M>& ws) const {
    const int64_t n = s_.slice;
    M* e = ws.scratch[static_cast<size_t>(s_.e_scratch)].data();
    const SiteCounter exp_count = ws.Counter(s_.exp_site);
    const int index_width = s_.index_type.width;
    const bool stable = s_.impl == Impl::kStable;
    M top{};
    if (stable) {
      top = x[0];
      for (int64_t i = 1; i < n; ++i) {
        if (x[i] > top) top = x[i];
      }
    }
    const SiteCounter norm_count = ws.Counter(s_.norm_site);
    for (int64_t i = 0; i < n; ++i) {
      M v = x[i];
      if (stable) v = A::Cast(A::Widen(top) - A::Widen(v), s_.norm, norm_count);
      const uint32_t k = A::TopBits(v, index_width, s_.exp_bits);
      e[i] = exp_accum_[k];
      if (s_.exp_out[k] != 0) ++exp_count[s_.exp_out[k] - 1];
    }
    const M total = Reduce(e, n, ws.Counter(s_.sum_site));
    const M s = A::Cast(A::Widen(total), s_.inv_inp, ws.Counter(s_.inv_inp_site));
    const M r = inv_table_[A::TopBits(s, s_.inv_inp_width, s_.inv_bits)];
    const SiteCounter result_count = ws.Counter(s_.result_site);
    for (int64_t i = 0; i < n; ++i) y[i] = A::Cast(A::Mul(e[i], r), s_.result, result_count);
  }

  // hls4ml's reduce: a run of n splits into 2^floor(log2(n-1)) and the rest; every addition
  // is cast to accum_t.
  M Reduce(const M* v, int64_t n, SiteCounter counter) const {
    if (n == 1) return v[0];
    if (n == 2) return A::Cast(A::Widen(v[0]) + A::Widen(v[1]), s_.sum, counter);
    int64_t left = 1;
    while (left * 2 <= n - 1) left *= 2;
    const M a = Reduce(v, left, counter);
    const M b = Reduce(v + left, n - left, counter);
    return A::Cast(A::Widen(a) + A::Widen(b), s_.sum, counter);
  }

  void Legacy(const M* x, M* y, Workspace<M>& ws) const {
    const int64_t n = s_.slice;
    const SiteCounter sum_count = ws.Counter(s_.sum_site);
    const SiteCounter result_count = ws.Counter(s_.result_site);
    for (int64_t i = 0; i < n; ++i) {
      M acc = A::FromWideInt(WideInt(0));
      for (int64_t j = 0; j < n; ++j) {
        M term = one_;
        if (i != j) {
          const int64_t k =
              ActivationTableIndex(A::Widen(x[j]) - A::Widen(x[i]), s_.x_lsb, s_.exp_size, 16);
          term = exp_accum_[static_cast<size_t>(k)];
        }
        acc = A::Cast(A::Widen(acc) + A::Widen(term), s_.sum, sum_count);
      }
      const auto k = static_cast<size_t>(ClampTableIndex(
          TableQuotient(A::Widen(acc), s_.table_lsb, s_.inv_size, 6), 0, s_.inv_size));
      y[i] = inv_table_[k];
      if (s_.inv_out[k] != 0) ++result_count[s_.inv_out[k] - 1];
    }
  }

  void Argmax(const M* x, M* y) const {
    int64_t best = 0;
    for (int64_t i = 1; i < s_.slice; ++i) {
      if (x[i] > x[best]) best = i;
    }
    for (int64_t i = 0; i < s_.slice; ++i) y[i] = i == best ? one_result_ : zero_result_;
  }

  SoftmaxSpec s_;
  M one_, zero_result_, one_result_;
  std::vector<M> exp_accum_, inv_table_;
};

bool IsPowerOfTwo(int64_t n) { return n > 0 && (n & (n - 1)) == 0; }

Result<FixedType> InternalType(BuildContext& ctx, const std::string& key) {
  const ir::Node& node = ctx.node();
  auto it = node.types.find(key);
  if (it == node.types.end()) {
    return ctx.Fail(fmt::format("no '{}' type; run passes::Configure first", key));
  }
  return it->second;
}

// The tensor as [outer, slice, inner] around the softmax axis.
Status SetSlices(BuildContext& ctx, SoftmaxSpec& s, const TensorInfo& x) {
  const ir::Node& node = ctx.node();
  const auto rank = static_cast<int64_t>(x.shape.size());
  s.slice = x.size;
  if (rank <= 1 || node.source == "Activation") return Status::Ok();
  const int64_t axis = node.as<ir::ActivationAttrs>().axis;
  const int64_t with_batch = axis < 0 ? axis + rank + 1 : axis;
  if (with_batch < 1 || with_batch > rank) {
    return ctx.Fail(fmt::format("softmax axis {} is out of range for a tensor of shape {}", axis,
                                ir::ToString(x.shape)));
  }
  const auto d = static_cast<size_t>(with_batch - 1);
  s.outer = 1;
  s.inner = 1;
  for (size_t i = 0; i < d; ++i) s.outer *= x.shape[i];
  for (size_t i = d + 1; i < x.shape.size(); ++i) s.inner *= x.shape[i];
  s.slice = x.shape[d];
  return Status::Ok();
}

// Stable and latency: exp and inverse tables indexed by top bits.
Status SetTables(BuildContext& ctx, SoftmaxSpec& s, const FixedType& xt, const FixedType& yt,
                 int64_t table_size) {
  Result<FixedType> exp_t = InternalType(ctx, "exp_table");
  Result<FixedType> inv_t = InternalType(ctx, "inv_table");
  Result<FixedType> inv_inp_t = InternalType(ctx, "inv_inp");
  Result<FixedType> accum_t = InternalType(ctx, "accum");
  for (const Result<FixedType>* t : {&exp_t, &inv_t, &inv_inp_t, &accum_t}) {
    if (!t->ok()) return t->error();
  }
  ctx.NoteType(*accum_t);
  ctx.NoteType(*inv_t);
  ctx.NoteType(*inv_inp_t);
  const bool stable = s.impl == Impl::kStable;
  int64_t exp_size = table_size;
  const int64_t inv_size = table_size;
  if (stable) {
    // inp_norm_t (passes/softmax_norm_types.h); the exp table has at most 2^W entries (for
    // hls4ml's rule on an unsigned input, fix_softmax_table_size already keeps it below).
    if (xt.is_signed && xt.width < 2) {
      return ctx.NotHandled("a stable softmax of a 1-bit signed input");
    }
    s.index_type = passes::StableSoftmaxNormType(ctx.node(), xt);
    if (s.index_type.is_signed) {
      return ctx.Fail(
          fmt::format("inp_norm type {} must be unsigned (the distance from the "
                      "maximum is never negative)",
                      s.index_type.ToString()));
    }
    if (s.index_type.width < 62) exp_size = std::min(exp_size, int64_t{1} << s.index_type.width);
  } else {
    s.index_type = xt;
  }
  if (!IsPowerOfTwo(exp_size) || !IsPowerOfTwo(inv_size) || exp_size < 2 || inv_size < 2) {
    return ctx.Fail(fmt::format(
        "a {} softmax with tables of {} and {} entries: the index is a table's top bits, which "
        "reach past a table whose size is not a power of two (hls4ml reads out of bounds); use "
        "a power of two of at least 2",
        stable ? "stable" : "latency", exp_size, inv_size));
  }
  s.exp_bits = SoftmaxIndexBits(exp_size);
  s.inv_bits = SoftmaxIndexBits(inv_size);
  s.inv_inp_width = inv_inp_t->width;
  if (s.exp_bits > s.index_type.width || s.inv_bits > inv_inp_t->width || s.exp_bits > 24 ||
      s.inv_bits > 24) {
    return ctx.NotHandled(fmt::format(
        "a softmax whose table index bits ({}, {}) exceed the indexing types' widths ({}, {})",
        s.exp_bits, s.inv_bits, s.index_type.width, inv_inp_t->width));
  }

  fixed::OverflowCounts exp_counts, inv_counts;
  for (float f : SoftmaxExpTableFloats(s.index_type, exp_size, stable)) {
    fixed::CastEvents ev;
    Result<FixedValue> v = FloatToFixed(f, *exp_t, &ev);
    if (!v.ok()) return ctx.Fail(v.error().message());
    exp_counts.overflow += ev.overflow;
    exp_counts.underflow += ev.underflow;
    fixed::CastEvents out;
    s.exp_accum.push_back(fixed::Cast(*v, *accum_t, &out).mantissa());
    s.exp_out.push_back(out.overflow ? 1 : out.underflow ? 2 : 0);
  }
  for (float f : SoftmaxInvTableFloats(*inv_inp_t, int64_t{1} << s.inv_bits)) {
    fixed::CastEvents ev;
    Result<FixedValue> v = FloatToFixed(f, *inv_t, &ev);
    if (!v.ok()) return ctx.Fail(v.error().message());
    inv_counts.overflow += ev.overflow;
    inv_counts.underflow += ev.underflow;
    s.inv_table.push_back(v->mantissa());
  }
  ctx.AddSetupSite("exp_table", *exp_t, exp_size, exp_counts);
  ctx.AddSetupSite("inv_table", *inv_t, int64_t{1} << s.inv_bits, inv_counts);

  Result<FixedType> sum_type = fixed::AddResultType(*accum_t, *accum_t);
  Result<FixedType> product_type = fixed::MulResultType(*accum_t, *inv_t);
  if (!sum_type.ok()) return ctx.Fail(sum_type.error().message());
  if (!product_type.ok()) return ctx.Fail(product_type.error().message());
  const int64_t n = s.outer * s.inner * s.slice, slices = s.outer * s.inner;
  if (stable) {
    Result<FixedType> diff_type = fixed::SubResultType(xt, xt);
    if (!diff_type.ok()) return ctx.Fail(diff_type.error().message());
    s.norm = ctx.Plan(*diff_type, s.index_type);
    s.norm_site = ctx.AddRunSite("norm", s.index_type, n);
  }
  s.sum = ctx.Plan(*sum_type, *accum_t);
  s.inv_inp = ctx.Plan(*accum_t, *inv_inp_t);
  s.result = ctx.Plan(*product_type, yt);
  s.exp_site = ctx.AddRunSite("exp", *accum_t, n);
  if (!stable) s.norm_site = s.exp_site;  // unused
  s.sum_site = ctx.AddRunSite("sum", *accum_t, slices * (s.slice - 1));
  s.inv_inp_site = ctx.AddRunSite("inv_inp", *inv_inp_t, slices);
  s.result_site = ctx.AddRunSite("result", yt, n);
  s.e_scratch = ctx.AddScratch(s.slice);
  return Status::Ok();
}

// Legacy: exp and inverse tables of table_t indexed by truncated quotients, clamped. hls4ml's
// softmax config struct does not define table_t, so the one it inherits from activ_config,
// ap_fixed<18,8>, is used whatever the layer's table_t says.
Status SetLegacy(BuildContext& ctx, SoftmaxSpec& s, const FixedType& xt, const FixedType& yt,
                 int64_t table_size) {
  const FixedType table_t = FixedType::Fixed(18, 8);
  if (table_size < 1 || table_size > (int64_t{1} << 24)) {
    return ctx.Fail(fmt::format("table size {} is outside [1, 2^24]", table_size));
  }
  s.exp_size = s.inv_size = table_size;
  s.x_lsb = xt.lsb_exponent();
  s.table_lsb = table_t.lsb_exponent();
  fixed::OverflowCounts exp_counts, inv_counts;
  for (float f : LegacySoftmaxExpTableFloats(table_size)) {
    fixed::CastEvents ev;
    Result<FixedValue> v = FloatToFixed(f, table_t, &ev);
    if (!v.ok()) return ctx.Fail(v.error().message());
    exp_counts.overflow += ev.overflow;
    exp_counts.underflow += ev.underflow;
    s.exp_accum.push_back(v->mantissa());
  }
  for (double d : LegacySoftmaxInvTableValues(table_size)) {
    fixed::CastEvents ev;
    Result<FixedValue> v = fixed::Quantize(d, table_t, &ev);
    if (!v.ok()) return ctx.Fail(v.error().message());
    inv_counts.overflow += ev.overflow;
    inv_counts.underflow += ev.underflow;
    fixed::CastEvents out;
    s.inv_table.push_back(fixed::Cast(*v, yt, &out).mantissa());
    s.inv_out.push_back(out.overflow ? 1 : out.underflow ? 2 : 0);
  }
  ctx.AddSetupSite("exp_table", table_t, table_size, exp_counts);
  ctx.AddSetupSite("inv_table", table_t, table_size, inv_counts);
  Result<FixedType> sum_type = fixed::AddResultType(table_t, table_t);
  if (!sum_type.ok()) return ctx.Fail(sum_type.error().message());
  s.sum = ctx.Plan(*sum_type, table_t);
  // `exp_diff_res = 1`: the int 1 into table_t, once per element and slice.
  fixed::CastEvents one_events;
  s.one =
      fixed::Cast(FixedValue::FromMantissa(FixedType::Int(32), WideInt(1)), table_t, &one_events)
          .mantissa();
  const int64_t n = s.outer * s.inner * s.slice;
  ctx.AddRunSite("one", table_t, n, one_events.overflow ? n : 0, one_events.underflow ? n : 0);
  s.sum_site = ctx.AddRunSite("exp_sum", table_t, n * s.slice);
  s.result_site = ctx.AddRunSite("result", yt, n);
  return Status::Ok();
}

// Argmax: the int constants 0 and 1 into result_t; their casts are the same every sample.
void SetArgmax(BuildContext& ctx, SoftmaxSpec& s, const FixedType& yt) {
  fixed::CastEvents zero_events, one_events;
  const FixedType int32 = FixedType::Int(32);
  s.zero_result =
      fixed::Cast(FixedValue::FromMantissa(int32, WideInt(0)), yt, &zero_events).mantissa();
  s.one_result =
      fixed::Cast(FixedValue::FromMantissa(int32, WideInt(1)), yt, &one_events).mantissa();
  const int64_t slices = s.outer * s.inner;
  ctx.AddRunSite("result", yt, slices * (s.slice + 1), slices * (one_events.overflow ? 1 : 0),
                 slices * (one_events.underflow ? 1 : 0));
}

}  // namespace

template <class M>
KernelResult<M> MakeSoftmaxKernel(BuildContext& ctx) {
  const ir::Node& node = ctx.node();
  if (node.output_quantizer) return ctx.NotHandled("an output quantizer on a softmax");
  if (node.inputs.size() != 1 || node.outputs.size() != 1) {
    return ctx.Fail("expected one input and one output");
  }
  const TensorInfo& x = ctx.Tensor(node.inputs[0]);
  const TensorInfo& y = ctx.Tensor(node.outputs[0]);
  if (x.size != y.size || x.size == 0) return ctx.Fail("the output size differs from the input's");
  SoftmaxSpec s;
  s.in = ctx.TensorId(node.inputs[0]);
  s.out = ctx.TensorId(node.outputs[0]);
  if (Status st = SetSlices(ctx, s, x); !st.ok()) return st.error();
  const ir::LayerSettings& settings = node.settings;
  switch (settings.softmax_implementation) {
    case ir::SoftmaxImplementation::kStable:
      s.impl = Impl::kStable;
      break;
    case ir::SoftmaxImplementation::kLatency:
      s.impl = Impl::kLatency;
      break;
    case ir::SoftmaxImplementation::kLegacy:
      s.impl = Impl::kLegacy;
      break;
    case ir::SoftmaxImplementation::kArgmax:
      s.impl = Impl::kArgmax;
      break;
  }
  Status st;
  if (s.impl == Impl::kArgmax) {
    SetArgmax(ctx, s, y.type);
  } else {
    // hls4ml's fix_softmax_table_size, whatever the implementation.
    Result<FixedType> inv_t = InternalType(ctx, "inv_table");
    if (!inv_t.ok()) return inv_t.error();
    int64_t table_size = settings.table_size;
    const int narrow = std::min(x.type.width, inv_t->width);
    if (narrow < 62 && (int64_t{1} << narrow) < table_size) table_size = int64_t{1} << narrow;
    st = s.impl == Impl::kLegacy ? SetLegacy(ctx, s, x.type, y.type, table_size)
                                 : SetTables(ctx, s, x.type, y.type, table_size);
  }
  if (!st.ok()) return st.error();
  if (s.outer != 1 || s.inner != 1) {
    s.in_scratch = ctx.AddScratch(s.slice);
    s.out_scratch = ctx.AddScratch(s.slice);
  }
  return std::unique_ptr<Kernel<M>>(new SoftmaxKernel<M>(s));
}

template KernelResult<std::int64_t> MakeSoftmaxKernel<std::int64_t>(BuildContext&);
template KernelResult<fixed::WideInt> MakeSoftmaxKernel<fixed::WideInt>(BuildContext&);

}  // namespace fixnn::emulator
