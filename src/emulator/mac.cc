#include "emulator/mac.h"

#include <fmt/format.h>

#include <algorithm>

#include "emulator/hls4ml_weights.h"
#include "fixed/fixed_value.h"

namespace fixnn::emulator {

namespace {

Status CheckWeightType(BuildContext& ctx, const ir::Weight& w) {
  if (w.precision.type) return Status::Ok();
  if (w.precision.per_element) return ctx.NotHandled("per-element weight types");
  return ctx.Fail(fmt::format("weight '{}' has no type; run passes::Configure first", w.name));
}

}  // namespace

Result<std::vector<WideInt>> StoredWeight(BuildContext& ctx, const ir::Weight& w) {
  if (Status st = CheckWeightType(ctx, w); !st.ok()) return st.error();
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
  Result<std::vector<WideInt>> stored = StoreArrayThroughText(values, t, &counts);
  if (!stored.ok()) {
    return ctx.Fail(fmt::format("weight '{}': {}", w.name, stored.error().message()));
  }
  ctx.AddSetupSite("weight:" + w.name, t, static_cast<int64_t>(values.size()), counts);
  return stored;
}

Result<std::vector<int64_t>> SummationOrder(BuildContext& ctx, int64_t n_in, MacLayer layer) {
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
  if (rf > n_in && layer == MacLayer::kConv) {
    return ctx.Fail(fmt::format(
        "the Resource strategy with reuse factor {} above the {} products per output (kernel "
        "size x channels) is refused: hls4ml's Conv1D aborts and its Conv2D reads out of bounds",
        rf, n_in));
  }
  if (rf > n_in && rf % n_in != 0) {
    return ctx.NotHandled(fmt::format(
        "Resource strategy with reuse factor {} above {} inputs and not a multiple of them", rf,
        n_in));
  }
  if (rf < 1 || (rf < n_in && n_in % rf != 0)) {
    return ctx.Fail(fmt::format(
        "Resource strategy with reuse factor {} for {} products per output: hls4ml needs a "
        "divisor (run passes::Configure, which validates reuse factors)",
        rf, n_in));
  }
  const int64_t stride = std::min(rf, n_in);
  for (int64_t r = 0; r < stride; ++r) {
    for (int64_t i = r; i < n_in; i += stride) order.push_back(i);
  }
  return order;
}

Status CheckProduct(BuildContext& ctx, const FixedType& x, const FixedType& w,
                    const std::vector<WideInt>& weights, MacLayer layer) {
  // A 2-bit signed integer weight gets hls4ml's ternary product, which reads -2 as +1.
  if (w.is_signed && w.width == 2 && w.integer == 2 && w.integer_spelling &&
      std::any_of(weights.begin(), weights.end(),
                  [](const WideInt& v) { return v == WideInt(-2); })) {
    return ctx.NotHandled("a weight of -2 in a 2-bit integer type (hls4ml's ternary product)");
  }
  if (!x.is_signed && x.width == 1 && x.integer_spelling) {
    return ctx.NotHandled(layer == MacLayer::kConv ? "ap_uint<1> (binary) inputs to a convolution"
                                                   : "ap_uint<1> (binary) inputs to Dense");
  }
  return Status::Ok();
}

Result<FixedType> InternalType(BuildContext& ctx, const std::string& key) {
  auto it = ctx.node().types.find(key);
  if (it == ctx.node().types.end()) {
    return ctx.Fail(fmt::format("no '{}' type; run passes::Configure first", key));
  }
  ctx.NoteType(it->second);
  return it->second;
}

Result<MacPlans> MakeMacPlans(BuildContext& ctx, const FixedType& x, const FixedType& w,
                              const FixedType& accum, const FixedType& result,
                              const std::string& prefix, const std::string& result_site,
                              int64_t products, int64_t results) {
  Result<FixedType> product_type = fixed::MulResultType(x, w);
  if (!product_type.ok()) return ctx.Fail(product_type.error().message());
  return MakeMacPlans(ctx, *product_type, accum, result, prefix, result_site, products, results);
}

Result<MacPlans> MakeMacPlans(BuildContext& ctx, const FixedType& product, const FixedType& accum,
                              const FixedType& result, const std::string& prefix,
                              const std::string& result_site, int64_t products, int64_t results) {
  Result<FixedType> sum_type = fixed::AddResultType(accum, accum);
  if (!sum_type.ok()) return ctx.Fail(sum_type.error().message());
  MacPlans p;
  p.product = ctx.Plan(product, accum);
  p.sum = ctx.Plan(*sum_type, accum);
  p.result = ctx.Plan(accum, result);
  p.product_site = ctx.AddRunSite(prefix + "product", accum, products);
  p.sum_site = ctx.AddRunSite(prefix + "accum", accum, products);
  p.result_site = ctx.AddRunSite(result_site, result, results);
  return p;
}

Result<ExponentMac> MakeExponentMac(BuildContext& ctx, const ir::Weight& w, const FixedType& x,
                                    const std::string& prefix, int64_t products) {
  ExponentMac mac;
  if (!ctx.node().settings.exponent_products || !IsExponentWeight(w)) return mac;
  if (Status st = CheckWeightType(ctx, w); !st.ok()) return st.error();
  Result<std::vector<ExponentWeight>> weights = ExponentWeightsOf(ctx, w);
  if (!weights.ok()) return weights.error();
  const int bits = ExponentBits(*w.quantizer);
  if (ExponentProductIsExact(bits, x, *weights)) return mac;
  Result<ExponentProduct> product = MakeExponentProduct(ctx, bits, x, *weights, "weight");
  if (!product.ok()) return product.error();
  mac.weights = std::move(weights).value();
  mac.product = *product;
  ctx.AddSetupSite("weight:" + w.name, FixedType::Int(bits),
                   static_cast<int64_t>(mac.weights.size()), fixed::OverflowCounts{});
  if (mac.product.can_wrap) {
    mac.product.site = ctx.AddRunSite(prefix + "exponent_product", mac.product.type, products);
  }
  return mac;
}

Result<std::vector<WideInt>> BiasInAccum(BuildContext& ctx, const ir::Weight* bias, int64_t n,
                                         const FixedType& accum, int64_t positions) {
  std::vector<WideInt> acc0(static_cast<size_t>(n), WideInt(0));
  if (bias == nullptr) return acc0;
  Result<std::vector<WideInt>> b = StoredWeight(ctx, *bias);
  if (!b.ok()) return b.error();
  if (static_cast<int64_t>(b->size()) != n) return ctx.Fail("the bias has the wrong size");
  const FixedType& bt = *bias->precision.type;
  int64_t over = 0, under = 0;
  for (int64_t j = 0; j < n; ++j) {
    fixed::CastEvents ev;
    acc0[static_cast<size_t>(j)] =
        fixed::Cast(fixed::FixedValue::FromMantissa(bt, (*b)[static_cast<size_t>(j)]), accum, &ev)
            .mantissa();
    over += ev.overflow;
    under += ev.underflow;
  }
  ctx.AddRunSite("bias", accum, positions * n, over * positions, under * positions);
  return acc0;
}

}  // namespace fixnn::emulator
