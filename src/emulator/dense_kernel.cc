// Dense, as hls4ml's io_parallel dense computes it (docs/hls4ml-numerics.md, section 4), per
// position of the leading axes (hls4ml runs a Dense on a tensor of rank > 1 as a pointwise
// convolution, the same arithmetic per pixel):
//   acc = accum_t(bias_j)
//   for i in the strategy's order: acc = accum_t(acc + accum_t(x_i * w_ij))
//   y_j = result_t(acc)
// Latency (and Resource with RF >= n_in) sums i = 0..n_in-1; Resource with RF < n_in sums
// i = r + k*RF for r = 0..RF-1, k = 0..n_in/RF-1. The order only matters when a partial sum
// saturates (or wraps with saturation bits).
#include <fmt/format.h>

#include <algorithm>

#include "emulator/hls4ml_weights.h"
#include "emulator/kernel.h"
#include "fixed/fixed_value.h"

namespace fixnn::emulator {
namespace {

using fixed::FixedType;

template <class M>
class DenseKernel final : public Kernel<M> {
 public:
  using A = Arith<M>;

  struct Spec {
    int in = 0, out = 0;
    int64_t n_in = 0, n_out = 0, positions = 0;
    std::vector<int64_t> order;           // input index of the k-th product
    std::vector<fixed::WideInt> weights;  // [j * n_in + k]: weight of input order[k], output j
    std::vector<fixed::WideInt> acc0;     // the bias in accum_t, per output
    CastPlan product, sum, result;
    int product_site = 0, sum_site = 0, result_site = 0;
  };

  explicit DenseKernel(const Spec& s)
      : in_(s.in),
        out_(s.out),
        n_in_(s.n_in),
        n_out_(s.n_out),
        positions_(s.positions),
        order_(s.order),
        product_(s.product),
        sum_(s.sum),
        result_(s.result),
        product_site_(s.product_site),
        sum_site_(s.sum_site),
        result_site_(s.result_site) {
    for (const fixed::WideInt& w : s.weights) weights_.push_back(A::FromWideInt(w));
    for (const fixed::WideInt& a : s.acc0) acc0_.push_back(A::FromWideInt(a));
  }

  void Run(Workspace<M>& ws) const override {
    const std::vector<M>& x = ws.tensors[static_cast<size_t>(in_)];
    std::vector<M>& y = ws.tensors[static_cast<size_t>(out_)];
    const SiteCounter product_count = ws.Counter(product_site_);
    const SiteCounter sum_count = ws.Counter(sum_site_);
    const SiteCounter result_count = ws.Counter(result_site_);
    for (int64_t p = 0; p < positions_; ++p) {
      const M* xp = x.data() + p * n_in_;
      for (int64_t j = 0; j < n_out_; ++j) {
        const M* w = weights_.data() + j * n_in_;
        M acc = acc0_[static_cast<size_t>(j)];
        for (int64_t k = 0; k < n_in_; ++k) {
          const M prod =
              A::Cast(A::Mul(xp[order_[static_cast<size_t>(k)]], w[k]), product_, product_count);
          acc = A::Cast(A::Widen(acc) + A::Widen(prod), sum_, sum_count);
        }
        y[static_cast<size_t>(p * n_out_ + j)] = A::Cast(A::Widen(acc), result_, result_count);
      }
    }
  }

 private:
  int in_, out_;
  int64_t n_in_, n_out_, positions_;
  std::vector<int64_t> order_;
  std::vector<M> weights_, acc0_;
  CastPlan product_, sum_, result_;
  int product_site_, sum_site_, result_site_;
};

// The weight's values as hls4ml stores them: the framework quantizer applied, then the
// decimal round trip into the weight's type. Counts the values that left the type's range.
Result<std::vector<fixed::WideInt>> StoredWeight(BuildContext& ctx, const ir::Weight& w) {
  if (!w.precision.type) {
    if (w.precision.per_element) return ctx.NotHandled("per-element weight types");
    return ctx.Fail(fmt::format("weight '{}' has no type; run passes::Configure first", w.name));
  }
  std::vector<double> values = w.values;
  if (w.quantizer) {
    const bool unit_scale = std::all_of(w.quantizer->scale.begin(), w.quantizer->scale.end(),
                                        [](double s) { return s == 1.0; });
    if (!unit_scale) {
      return ctx.NotHandled(fmt::format("weight '{}' with a quantizer scale (alpha)", w.name));
    }
    ir::ApplyQuantizer(*w.quantizer, values);
  }
  const FixedType& t = *w.precision.type;
  ctx.NoteType(t);
  fixed::OverflowCounts counts;
  Result<std::vector<fixed::WideInt>> stored = StoreArrayThroughText(values, t, &counts);
  if (!stored.ok())
    return ctx.Fail(fmt::format("weight '{}': {}", w.name, stored.error().message()));
  ctx.AddSetupSite("weight:" + w.name, t, static_cast<int64_t>(values.size()), counts);
  return stored;
}

// Input index of each product, in the order the strategy sums them.
Result<std::vector<int64_t>> SummationOrder(BuildContext& ctx, int64_t n_in) {
  const ir::LayerSettings& s = ctx.node().settings;
  std::vector<int64_t> order;
  if (s.strategy == ir::Strategy::kLatency) {
    for (int64_t i = 0; i < n_in; ++i) order.push_back(i);
    return order;
  }
  if (s.strategy != ir::Strategy::kResource) {
    return ctx.NotHandled(s.strategy == ir::Strategy::kResourceUnrolled
                              ? "the ResourceUnrolled strategy"
                              : "the DistributedArithmetic strategy");
  }
  const int64_t rf = s.reuse_factor;
  if (rf < n_in && n_in % rf != 0) {
    return ctx.Fail(fmt::format(
        "Resource strategy with reuse factor {} for {} inputs: hls4ml needs a divisor of the "
        "input count (run passes::Configure, which validates reuse factors)",
        rf, n_in));
  }
  if (rf > n_in && rf % n_in != 0) {
    return ctx.NotHandled(fmt::format(
        "Resource strategy with reuse factor {} above {} inputs and not a multiple of them", rf,
        n_in));
  }
  const int64_t stride = std::min(rf, n_in);
  for (int64_t r = 0; r < stride; ++r) {
    for (int64_t i = r; i < n_in; i += stride) order.push_back(i);
  }
  return order;
}

}  // namespace

template <class M>
KernelResult<M> MakeDenseKernel(BuildContext& ctx) {
  const ir::Node& node = ctx.node();
  const auto& attrs = node.as<ir::DenseAttrs>();
  if (node.output_quantizer) return ctx.NotHandled("an output quantizer on Dense");
  const TensorInfo& x = ctx.Tensor(node.inputs.at(0));
  const TensorInfo& y = ctx.Tensor(node.outputs.at(0));
  const ir::Weight* kernel = node.FindWeight("kernel");
  const ir::Weight* bias = attrs.use_bias ? node.FindWeight("bias") : nullptr;
  if (kernel == nullptr || kernel->shape.size() != 2 || (attrs.use_bias && bias == nullptr)) {
    return ctx.Fail("expected a kernel [in, units] and a bias [units]");
  }
  auto accum_it = node.types.find("accum");
  if (accum_it == node.types.end()) {
    return ctx.Fail("no 'accum' type; run passes::Configure first");
  }
  const FixedType& accum = accum_it->second;
  ctx.NoteType(accum);

  typename DenseKernel<M>::Spec s;
  s.in = ctx.TensorId(node.inputs[0]);
  s.out = ctx.TensorId(node.outputs[0]);
  s.n_in = kernel->shape[0];
  s.n_out = kernel->shape[1];
  if (x.shape.empty() || x.shape.back() != s.n_in || s.n_in == 0) {
    return ctx.Fail(fmt::format("input shape {} does not end in the kernel's {} inputs",
                                ir::ToString(x.shape), s.n_in));
  }
  s.positions = x.size / s.n_in;

  Result<std::vector<fixed::WideInt>> w = StoredWeight(ctx, *kernel);
  if (!w.ok()) return w.error();
  const FixedType& wt = *kernel->precision.type;
  // hls4ml multiplies by a 2-bit signed integer weight with its ternary product, which reads
  // -2 as +1; other values multiply as usual.
  if (wt.is_signed && wt.width == 2 && wt.integer == 2 && wt.integer_spelling &&
      std::any_of(w->begin(), w->end(),
                  [](const fixed::WideInt& v) { return v == fixed::WideInt(-2); })) {
    return ctx.NotHandled("a weight of -2 in a 2-bit integer type (hls4ml's ternary product)");
  }
  if (!x.type.is_signed && x.type.width == 1 && x.type.integer_spelling) {
    return ctx.NotHandled("ap_uint<1> (binary) inputs to Dense");
  }

  Result<std::vector<int64_t>> order = SummationOrder(ctx, s.n_in);
  if (!order.ok()) return order.error();
  s.order = std::move(order).value();
  s.weights.resize(static_cast<size_t>(s.n_in * s.n_out));
  for (int64_t j = 0; j < s.n_out; ++j) {
    for (int64_t k = 0; k < s.n_in; ++k) {
      s.weights[static_cast<size_t>(j * s.n_in + k)] =
          (*w)[static_cast<size_t>(s.order[static_cast<size_t>(k)] * s.n_out + j)];
    }
  }

  // The bias cast into the accumulator is the same every sample: done once, counted per
  // sample and position.
  s.acc0.assign(static_cast<size_t>(s.n_out), fixed::WideInt(0));
  int64_t bias_over = 0, bias_under = 0;
  if (bias != nullptr) {
    Result<std::vector<fixed::WideInt>> b = StoredWeight(ctx, *bias);
    if (!b.ok()) return b.error();
    if (static_cast<int64_t>(b->size()) != s.n_out) return ctx.Fail("the bias has the wrong size");
    const FixedType& bt = *bias->precision.type;
    for (int64_t j = 0; j < s.n_out; ++j) {
      fixed::CastEvents ev;
      s.acc0[static_cast<size_t>(j)] =
          fixed::Cast(fixed::FixedValue::FromMantissa(bt, (*b)[static_cast<size_t>(j)]), accum, &ev)
              .mantissa();
      bias_over += ev.overflow;
      bias_under += ev.underflow;
    }
    ctx.AddRunSite("bias", accum, s.positions * s.n_out, bias_over * s.positions,
                   bias_under * s.positions);
  }

  Result<FixedType> product_type = fixed::MulResultType(x.type, wt);
  Result<FixedType> sum_type = fixed::AddResultType(accum, accum);
  if (!product_type.ok()) return ctx.Fail(product_type.error().message());
  if (!sum_type.ok()) return ctx.Fail(sum_type.error().message());
  s.product = ctx.Plan(*product_type, accum);
  s.sum = ctx.Plan(*sum_type, accum);
  s.result = ctx.Plan(accum, y.type);
  const int64_t products = s.positions * s.n_out * s.n_in;
  s.product_site = ctx.AddRunSite("product", accum, products);
  s.sum_site = ctx.AddRunSite("accum", accum, products);
  s.result_site = ctx.AddRunSite("result", y.type, s.positions * s.n_out);
  return std::unique_ptr<Kernel<M>>(new DenseKernel<M>(s));
}

template KernelResult<std::int64_t> MakeDenseKernel<std::int64_t>(BuildContext&);
template KernelResult<fixed::WideInt> MakeDenseKernel<fixed::WideInt>(BuildContext&);

}  // namespace fixnn::emulator
