// Dense, as hls4ml's io_parallel dense computes it (docs/hls4ml-numerics.md, section 4), per
// position of the leading axes (hls4ml runs a Dense on a tensor of rank > 1 as a pointwise
// convolution, the same arithmetic per pixel):
//   acc = accum_t(bias_j)
//   for i in the strategy's order: acc = accum_t(acc + accum_t(x_i * w_ij))
//   y_j = result_t(acc)
// Latency (and Resource with RF >= n_in) sums i = 0..n_in-1; Resource with RF < n_in sums
// i = r + k*RF for r = 0..RF-1, k = 0..n_in/RF-1. The order only matters when a partial sum
// saturates (or wraps with saturation bits).
// Where accum_t provably holds every product and partial sum exactly (hls4ml's inferred
// accumulators do), the int64 path sums without those casts, which would change nothing.
// With LayerSettings::exponent_products a quantized_po2 kernel's product x_i * w_ij is hls4ml's
// weight_exponential (exponent_product.h), a mantissa of its r_t, cast into accum_t as above.
#include <fmt/format.h>

#include <algorithm>
#include <type_traits>

#include "emulator/exponent_product.h"
#include "emulator/kernel.h"
#include "emulator/mac.h"
#include "fixed/fixed_value.h"

namespace fixnn::emulator {
namespace {

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
    MacPlans plans;
    // ExactWeights in the natural input order [j * n_in + i] (empty: not exact).
    std::vector<int64_t> exact_weights;
    // Exponent products: the weights as `weights` (empty: plain products).
    std::vector<ExponentWeight> exponent_weights;
    ExponentProduct exponent;
  };

  explicit DenseKernel(const Spec& s)
      : in_(s.in),
        out_(s.out),
        n_in_(s.n_in),
        n_out_(s.n_out),
        positions_(s.positions),
        order_(s.order),
        plans_(s.plans),
        exact_weights_(s.exact_weights),
        exponent_weights_(s.exponent_weights),
        exponent_(s.exponent) {
    for (const fixed::WideInt& w : s.weights) weights_.push_back(A::FromWideInt(w));
    for (const fixed::WideInt& a : s.acc0) acc0_.push_back(A::FromWideInt(a));
  }

  void Run(Workspace<M>& ws) const override {
    const std::vector<M>& x = ws.tensors[static_cast<size_t>(in_)];
    std::vector<M>& y = ws.tensors[static_cast<size_t>(out_)];
    if constexpr (std::is_same_v<M, std::int64_t>) {
      if (!exact_weights_.empty()) return RunExact(x, y, ws);
    }
    if (!exponent_weights_.empty()) {
      const SiteCounter wraps = exponent_.site >= 0 ? ws.Counter(exponent_.site) : nullptr;
      return RunWith(x, y, ws, [&](const M& v, size_t i) {
        return exponent_.Multiply(v, exponent_weights_[i], wraps);
      });
    }
    RunWith(x, y, ws, [this](const M& v, size_t i) { return A::Mul(v, weights_[i]); });
  }

 private:
  // Every product (product(x, i): input x times weight i of the [j * n_in + k] layout) and
  // partial sum cast into accum_t.
  template <class Product>
  void RunWith(const std::vector<M>& x, std::vector<M>& y, Workspace<M>& ws,
               Product product) const {
    const SiteCounter product_count = ws.Counter(plans_.product_site);
    const SiteCounter sum_count = ws.Counter(plans_.sum_site);
    const SiteCounter result_count = ws.Counter(plans_.result_site);
    for (int64_t p = 0; p < positions_; ++p) {
      const M* xp = x.data() + p * n_in_;
      for (int64_t j = 0; j < n_out_; ++j) {
        const size_t w = static_cast<size_t>(j * n_in_);
        M acc = acc0_[static_cast<size_t>(j)];
        for (int64_t k = 0; k < n_in_; ++k) {
          const M prod =
              A::Cast(product(xp[order_[static_cast<size_t>(k)]], w + static_cast<size_t>(k)),
                      plans_.product, product_count);
          acc = A::Cast(A::Widen(acc) + A::Widen(prod), plans_.sum, sum_count);
        }
        y[static_cast<size_t>(p * n_out_ + j)] =
            A::Cast(A::Widen(acc), plans_.result, result_count);
      }
    }
  }

  // No product or partial sum can round or leave accum_t: the order does not matter, the sum
  // runs in int64 and only the result is cast.
  void RunExact(const std::vector<M>& x, std::vector<M>& y, Workspace<M>& ws) const {
    const SiteCounter result_count = ws.Counter(plans_.result_site);
    for (int64_t p = 0; p < positions_; ++p) {
      const int64_t* xp = x.data() + p * n_in_;
      for (int64_t j = 0; j < n_out_; ++j) {
        const int64_t* w = exact_weights_.data() + j * n_in_;
        int64_t acc = acc0_[static_cast<size_t>(j)];
        for (int64_t i = 0; i < n_in_; ++i) acc += xp[i] * w[i];
        y[static_cast<size_t>(p * n_out_ + j)] =
            A::Cast(A::Widen(acc), plans_.result, result_count);
      }
    }
  }

  int in_, out_;
  int64_t n_in_, n_out_, positions_;
  std::vector<int64_t> order_;
  std::vector<M> weights_, acc0_;
  MacPlans plans_;
  std::vector<int64_t> exact_weights_;
  std::vector<ExponentWeight> exponent_weights_;
  ExponentProduct exponent_;
};

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
  Result<FixedType> accum = InternalType(ctx, "accum");
  if (!accum.ok()) return accum.error();

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

  const int64_t products = s.positions * s.n_out * s.n_in;
  Result<ExponentMac> exponent = MakeExponentMac(ctx, *kernel, x.type, "", products);
  if (!exponent.ok()) return exponent.error();
  const bool exponent_products = !exponent->weights.empty();
  std::vector<fixed::WideInt> w;  // plain products: the stored kernel
  if (!exponent_products) {
    Result<std::vector<fixed::WideInt>> stored = StoredWeight(ctx, *kernel);
    if (!stored.ok()) return stored.error();
    w = std::move(stored).value();
  }
  const FixedType& wt = *kernel->precision.type;  // checked by either
  if (Status st = CheckProduct(ctx, x.type, wt, w, MacLayer::kDense); !st.ok()) {
    return st.error();
  }
  Result<std::vector<int64_t>> order = SummationOrder(ctx, s.n_in, MacLayer::kDense);
  if (!order.ok()) return order.error();
  s.order = std::move(order).value();
  // Keras' kernel is [in, out]: weight i of output j is w[i * n_out + j].
  auto stored_index = [&s](int64_t j, int64_t k) {
    return static_cast<size_t>(s.order[static_cast<size_t>(k)] * s.n_out + j);
  };
  for (int64_t j = 0; j < s.n_out; ++j) {
    for (int64_t k = 0; k < s.n_in; ++k) {
      if (exponent_products) {
        s.exponent_weights.push_back(exponent->weights[stored_index(j, k)]);
      } else {
        s.weights.push_back(w[stored_index(j, k)]);
      }
    }
  }
  Result<std::vector<fixed::WideInt>> acc0 = BiasInAccum(ctx, bias, s.n_out, *accum, s.positions);
  if (!acc0.ok()) return acc0.error();
  s.acc0 = std::move(acc0).value();
  if (exponent_products) {
    s.exponent = exponent->product;
  } else {
    const int64_t n_out = s.n_out;
    std::optional<std::vector<int64_t>> exact =
        ExactWeights(x.type, wt, *accum, w, s.acc0, s.n_in,
                     [n_out](int64_t j, int64_t i) { return static_cast<size_t>(i * n_out + j); });
    if (exact) {
      s.exact_weights.resize(exact->size());
      for (int64_t j = 0; j < s.n_out; ++j) {
        for (int64_t i = 0; i < s.n_in; ++i) {
          s.exact_weights[static_cast<size_t>(j * s.n_in + i)] =
              (*exact)[static_cast<size_t>(i * s.n_out + j)];
        }
      }
    }
  }
  const int64_t results = s.positions * s.n_out;
  Result<MacPlans> plans =
      exponent_products
          ? MakeMacPlans(ctx, s.exponent.type, *accum, y.type, "", "result", products, results)
          : MakeMacPlans(ctx, x.type, wt, *accum, y.type, "", "result", products, results);
  if (!plans.ok()) return plans.error();
  s.plans = *plans;
  return std::unique_ptr<Kernel<M>>(new DenseKernel<M>(s));
}

template KernelResult<std::int64_t> MakeDenseKernel<std::int64_t>(BuildContext&);
template KernelResult<fixed::WideInt> MakeDenseKernel<fixed::WideInt>(BuildContext&);

}  // namespace fixnn::emulator
