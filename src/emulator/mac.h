// Building blocks of the multiply-accumulate layers (Dense, Conv, DepthwiseConv,
// SeparableConv), as hls4ml's io_parallel code computes them (docs/hls4ml-numerics.md, sections
// 2 and 4-6).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "emulator/exponent_product.h"
#include "emulator/kernel.h"

namespace fixnn::emulator {

using fixed::FixedType;
using fixed::WideInt;

enum class MacLayer { kDense, kConv };

// The weight's values as hls4ml stores them: the framework quantizer applied, then the
// decimal round trip into the weight's type. Counts the values that left the type's range
// (setup site "weight:<name>").
Result<std::vector<WideInt>> StoredWeight(BuildContext& ctx, const ir::Weight& w);

// The input index of each product, in the order the node's strategy sums them: ascending
// (Latency; Resource with reuse factor >= n_in), or stride RF (Resource with RF < n_in).
// Refuses what hls4ml cannot compute (a convolution with RF > n_in).
Result<std::vector<int64_t>> SummationOrder(BuildContext& ctx, int64_t n_in, MacLayer layer);

// Refuses what hls4ml's product does not compute as a plain product (its ternary product for
// 2-bit integer weights reads -2 as +1; binary inputs).
Status CheckProduct(BuildContext& ctx, const FixedType& x, const FixedType& w,
                    const std::vector<WideInt>& weights, MacLayer layer);

// The node's internal type `key` ("accum", "depthwise_result", ...), noted in the context.
Result<FixedType> InternalType(BuildContext& ctx, const std::string& key);

// The cast plans and run sites of one multiply-accumulate: each product and partial sum into
// accum_t (sites "<prefix>product", "<prefix>accum"), the result into result_t.
struct MacPlans {
  CastPlan product, sum, result;
  int product_site = 0, sum_site = 0, result_site = 0;
};

Result<MacPlans> MakeMacPlans(BuildContext& ctx, const FixedType& x, const FixedType& w,
                              const FixedType& accum, const FixedType& result,
                              const std::string& prefix, const std::string& result_site,
                              int64_t products, int64_t results);

// The same with the product's type given (an exponent product's r_t).
Result<MacPlans> MakeMacPlans(BuildContext& ctx, const FixedType& product, const FixedType& accum,
                              const FixedType& result, const std::string& prefix,
                              const std::string& result_site, int64_t products, int64_t results);

// A power-of-two weight multiplied as hls4ml's nnet::product::weight_exponential
// (exponent_product.h). `weights` is empty where the node multiplies plainly: its settings do
// not ask for exponent products (ir::LayerSettings::exponent_products), the weight is not a
// quantized_po2 one, or every product is exactly x * w anyway (then the plain product, which
// has the int64 fast path, computes the same).
struct ExponentMac {
  std::vector<ExponentWeight> weights;  // the weight's values in their stored order
  ExponentProduct product;
};

// Builds the exponent product of weight `w` for inputs of type `x`. When it is used: records
// setup site "weight:<name>" (the exponents in ap_int<B>, which always hold them) and, when a
// product can leave r_t, run site `prefix` + "exponent_product" (r_t) counting the products
// that wrapped there, `products` per sample.
Result<ExponentMac> MakeExponentMac(BuildContext& ctx, const ir::Weight& w, const FixedType& x,
                                    const std::string& prefix, int64_t products);

// The bias cast into accum_t, per output: the same every sample, so done once and counted per
// sample and position at run site "bias". No bias: hls4ml's zero bias, 0.
Result<std::vector<WideInt>> BiasInAccum(BuildContext& ctx, const ir::Weight* bias, int64_t n,
                                         const FixedType& accum, int64_t positions);

// A multiply-accumulate whose casts provably change nothing: every product is a multiple of
// accum_t's LSB and every product and partial sum lies inside accum_t's range for any input of
// x's type (hls4ml's inferred accumulators are built that way). Then the sum can run in plain
// int64 arithmetic and the product and accum sites count no events. Returns the weights in
// accum_t's units (w * 2^(LSB(product) - LSB(accum))), index(j, k) giving weight k of output j,
// or nullopt when a cast could round or leave the range.
template <class Index>
std::optional<std::vector<int64_t>> ExactWeights(const FixedType& x, const FixedType& w,
                                                 const FixedType& accum,
                                                 const std::vector<WideInt>& weights,
                                                 const std::vector<WideInt>& acc0, int64_t n,
                                                 Index index) {
  const int shift = x.lsb_exponent() + w.lsb_exponent() - accum.lsb_exponent();
  if (shift < 0 || shift > 62 || !fixed::FitsInt64Mantissa(x) || !fixed::FitsInt64Mantissa(w) ||
      !fixed::FitsInt64Mantissa(accum)) {
    return std::nullopt;
  }
  // lo excludes the minimum itself, which AP_SAT_SYM moves.
  const WideInt lo = fixed::MinMantissa(accum) + WideInt(1), hi = fixed::MaxMantissa(accum);
  const WideInt x_lo = fixed::MinMantissa(x), x_hi = fixed::MaxMantissa(x);
  std::vector<int64_t> out(weights.size());
  for (size_t j = 0; j < acc0.size(); ++j) {
    // x's range holds 0 (a padded tap), so each term lies in [t_lo <= 0, t_hi >= 0] and every
    // partial sum in [acc0 + sum of t_lo, acc0 + sum of t_hi].
    WideInt sum_lo = acc0[j], sum_hi = acc0[j];
    for (int64_t k = 0; k < n; ++k) {
      const size_t i = index(static_cast<int64_t>(j), k);
      const WideInt scaled = weights[i].ShiftLeft(shift);
      const WideInt a = scaled * x_lo, b = scaled * x_hi;
      const WideInt t_lo = std::min(a, b), t_hi = std::max(a, b);
      if (t_lo < lo || t_hi > hi) return std::nullopt;
      sum_lo = sum_lo + t_lo;
      sum_hi = sum_hi + t_hi;
      out[i] = scaled.ToInt64();  // |scaled| <= t_hi - t_lo <= 2 hi: fits
    }
    if (sum_lo < lo || sum_hi > hi) return std::nullopt;
  }
  return out;
}

// One Conv over a whole input: per pixel, the gathered row against every filter.

}  // namespace fixnn::emulator
