// Softmax, as hls4ml's softmax_stable and softmax_latency compute it
// (docs/hls4ml-numerics.md, section 10):
//   stable:  m = max x;  d_i = inp_norm_t(m - x_i)  (ufixed<W-1, I-1>, TRN, WRAP)
//            e_i = accum_t(exp_table[top bits of d_i]),  exp_table[k] = exp(-value(k))
//   latency: e_i = accum_t(exp_table[top bits of x_i]),  exp_table[k] = exp(value(k))
//   s = inv_inp_t(tree sum of e in accum_t);  r = inv_table[top bits of s]
//   y_i = result_t(e_i * r)
// Table sizes: table_size, reduced to 2^min(W_in, W_inv_table) when larger (hls4ml's
// fix_softmax_table_size); for stable with a signed input the exp table has at most
// 2^(W_in - 1) entries.
#include <fmt/format.h>

#include "emulator/hls4ml_tables.h"
#include "emulator/kernel.h"
#include "fixed/fixed_value.h"

namespace fixnn::emulator {
namespace {

using fixed::FixedType;
using fixed::FixedValue;
using fixed::WideInt;

struct SoftmaxSpec {
  bool stable = true;
  int in = 0, out = 0;
  int64_t n = 0;         // elements in the slice (the whole tensor)
  FixedType index_type;  // the type whose top bits index the exp table
  int exp_bits = 0, inv_bits = 0;
  int inv_inp_width = 0;
  CastPlan norm;                   // m - x_i -> inp_norm_t (stable)
  CastPlan sum;                    // accum_t + accum_t -> accum_t
  CastPlan inv_inp;                // accum_t -> inv_inp_t
  CastPlan result;                 // accum_t * inv_table_t -> result_t
  std::vector<WideInt> exp_accum;  // accum_t(exp_table[k])
  std::vector<uint8_t> exp_out;    // 0, 1: above accum_t's range, 2: below
  std::vector<WideInt> inv_table;  // inv_table[k] in inv_table_t
  int norm_site = 0, exp_site = 0, sum_site = 0, inv_inp_site = 0, result_site = 0;
  int scratch = 0;
};

template <class M>
class SoftmaxKernel final : public Kernel<M> {
 public:
  using A = Arith<M>;

  explicit SoftmaxKernel(const SoftmaxSpec& s) : s_(s) {
    for (const WideInt& v : s.exp_accum) exp_accum_.push_back(A::FromWideInt(v));
    for (const WideInt& v : s.inv_table) inv_table_.push_back(A::FromWideInt(v));
  }

  void Run(Workspace<M>& ws) const override {
    const std::vector<M>& x = ws.tensors[static_cast<size_t>(s_.in)];
    std::vector<M>& y = ws.tensors[static_cast<size_t>(s_.out)];
    std::vector<M>& e = ws.scratch[static_cast<size_t>(s_.scratch)];
    const SiteCounter exp_count = ws.Counter(s_.exp_site);
    const int index_width = s_.index_type.width;
    M top{};
    if (s_.stable) {
      top = x[0];
      for (int64_t i = 1; i < s_.n; ++i) {
        if (x[static_cast<size_t>(i)] > top) top = x[static_cast<size_t>(i)];
      }
    }
    const SiteCounter norm_count = ws.Counter(s_.norm_site);
    for (int64_t i = 0; i < s_.n; ++i) {
      M v = x[static_cast<size_t>(i)];
      if (s_.stable) v = A::Cast(A::Widen(top) - A::Widen(v), s_.norm, norm_count);
      const uint32_t k = A::TopBits(v, index_width, s_.exp_bits);
      e[static_cast<size_t>(i)] = exp_accum_[k];
      if (s_.exp_out[k] != 0) ++exp_count[s_.exp_out[k] - 1];
    }
    const M total = Reduce(e.data(), s_.n, ws.Counter(s_.sum_site));
    const M s = A::Cast(A::Widen(total), s_.inv_inp, ws.Counter(s_.inv_inp_site));
    const M r = inv_table_[A::TopBits(s, s_.inv_inp_width, s_.inv_bits)];
    const SiteCounter result_count = ws.Counter(s_.result_site);
    for (int64_t i = 0; i < s_.n; ++i) {
      y[static_cast<size_t>(i)] =
          A::Cast(A::Mul(e[static_cast<size_t>(i)], r), s_.result, result_count);
    }
  }

 private:
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

  SoftmaxSpec s_;
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

}  // namespace

template <class M>
KernelResult<M> MakeSoftmaxKernel(BuildContext& ctx) {
  const ir::Node& node = ctx.node();
  if (node.output_quantizer) return ctx.NotHandled("an output quantizer on a softmax");
  const TensorInfo& x = ctx.Tensor(node.inputs.at(0));
  const TensorInfo& y = ctx.Tensor(node.outputs.at(0));
  SoftmaxSpec s;
  s.in = ctx.TensorId(node.inputs[0]);
  s.out = ctx.TensorId(node.outputs[0]);
  s.n = x.size;
  int64_t outer = 1;
  for (size_t d = 0; d + 1 < x.shape.size(); ++d) outer *= x.shape[d];
  if (outer != 1) {
    return ctx.NotHandled(fmt::format("softmax over a tensor of shape {}", ir::ToString(x.shape)));
  }
  const ir::LayerSettings& settings = node.settings;
  switch (settings.softmax_implementation) {
    case ir::SoftmaxImplementation::kStable:
      s.stable = true;
      break;
    case ir::SoftmaxImplementation::kLatency:
      s.stable = false;
      break;
    case ir::SoftmaxImplementation::kArgmax:
      return ctx.NotHandled("the argmax softmax implementation");
    case ir::SoftmaxImplementation::kLegacy:
      return ctx.NotHandled("the legacy softmax implementation");
  }
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

  // Table sizes as hls4ml fixes them.
  int64_t table_size = settings.table_size;
  const int narrow = std::min(x.type.width, inv_t->width);
  if (narrow < 62 && (int64_t{1} << narrow) < table_size) table_size = int64_t{1} << narrow;
  int64_t exp_size = table_size;
  const int64_t inv_size = table_size;
  if (s.stable) {
    if (x.type.is_signed) {
      if (x.type.width < 2) return ctx.NotHandled("a stable softmax of a 1-bit signed input");
      s.index_type = FixedType::UFixed(x.type.width - 1, x.type.integer - 1);
      if (x.type.width - 1 < 62) exp_size = std::min(exp_size, int64_t{1} << (x.type.width - 1));
    } else {
      s.index_type = FixedType::UFixed(x.type.width, x.type.integer);
    }
  } else {
    s.index_type = x.type;
  }
  if (!IsPowerOfTwo(exp_size) || !IsPowerOfTwo(inv_size) || exp_size < 2 || inv_size < 2) {
    return ctx.NotHandled(fmt::format(
        "a softmax table size of {} (below 2 or not a power of two: hls4ml indexes past the "
        "table)",
        table_size));
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
  for (float f : SoftmaxExpTableFloats(s.index_type, exp_size, s.stable)) {
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
  if (s.stable) {
    Result<FixedType> diff_type = fixed::SubResultType(x.type, x.type);
    if (!diff_type.ok()) return ctx.Fail(diff_type.error().message());
    s.norm = ctx.Plan(*diff_type, s.index_type);
    s.norm_site = ctx.AddRunSite("norm", s.index_type, s.n);
  }
  s.sum = ctx.Plan(*sum_type, *accum_t);
  s.inv_inp = ctx.Plan(*accum_t, *inv_inp_t);
  s.result = ctx.Plan(*product_type, y.type);
  s.exp_site = ctx.AddRunSite("exp", *accum_t, s.n);
  if (!s.stable) s.norm_site = s.exp_site;  // unused
  s.sum_site = ctx.AddRunSite("sum", *accum_t, s.n - 1);
  s.inv_inp_site = ctx.AddRunSite("inv_inp", *inv_inp_t, 1);
  s.result_site = ctx.AddRunSite("result", y.type, s.n);
  s.scratch = ctx.AddScratch(s.n);
  return std::unique_ptr<Kernel<M>>(new SoftmaxKernel<M>(s));
}

template KernelResult<std::int64_t> MakeSoftmaxKernel<std::int64_t>(BuildContext&);
template KernelResult<fixed::WideInt> MakeSoftmaxKernel<fixed::WideInt>(BuildContext&);

}  // namespace fixnn::emulator
