#include "emulator/exponent_product.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace fixnn::emulator {

bool IsExponentWeight(const ir::Weight& w) {
  return w.quantizer && w.quantizer->kind == ir::QuantizerKind::kPo2 && !w.quantizer->po2_relu;
}

int ExponentBits(const ir::Quantizer& q) {
  int effect_bits = 0;
  while ((1 << effect_bits) < -q.min_exponent) ++effect_bits;
  const int sign_bit = !q.po2_max_value || *q.po2_max_value > 1 ? 1 : 0;
  return effect_bits + 1 + sign_bit;
}

Result<std::vector<ExponentWeight>> ExponentWeightsOf(BuildContext& ctx, const ir::Weight& w) {
  const ir::Quantizer& q = *w.quantizer;
  if (std::any_of(q.scale.begin(), q.scale.end(), [](double s) { return s != 1.0; })) {
    return ctx.NotHandled(fmt::format("weight '{}' with a quantizer scale (alpha)", w.name));
  }
  const int bits = ExponentBits(q);
  std::vector<double> values = w.values;
  ir::ApplyQuantizer(q, values);
  std::vector<ExponentWeight> out;
  out.reserve(values.size());
  for (double v : values) {
    int e = 0;
    const double mantissa = std::frexp(std::fabs(v), &e);
    if (mantissa != 0.5) {
      return ctx.NotHandled(fmt::format(
          "weight '{}': quantized value {} of {} is not a power of two", w.name, v, q.spelling));
    }
    // hls4ml writes int(log2|v|) into its ap_int<B> exponent.
    const int exponent = e - 1;
    if (exponent < -(1 << (bits - 1)) || exponent >= (1 << (bits - 1))) {
      return ctx.NotHandled(
          fmt::format("weight '{}': exponent {} outside hls4ml's {}-bit exponent type", w.name,
                      exponent, bits));
    }
    out.push_back({exponent, v < 0});
  }
  return out;
}

namespace {

// N = B + x's width; r_t = ap_fixed<2N, N> has LSB 2^-N.
int HalfWidth(int bits, const fixed::FixedType& x) { return bits + x.width; }

bool CanWrap(int n, const fixed::FixedType& x, const std::vector<ExponentWeight>& weights) {
  // Every step stays in r_t when x shifted by the largest exponent keeps a spare bit.
  int widest = 0;
  for (const ExponentWeight& w : weights) widest = std::max(widest, w.exponent);
  return x.integer + widest >= n;
}

}  // namespace

bool ExponentProductIsExact(int bits, const fixed::FixedType& x,
                            const std::vector<ExponentWeight>& weights) {
  const int n = HalfWidth(bits, x);
  int lowest = 0;
  for (const ExponentWeight& w : weights) lowest = std::min(lowest, w.exponent);
  // x's LSB shifted by the most negative exponent stays on r_t's grid (LSB 2^-n).
  return x.lsb_exponent() + lowest >= -n && !CanWrap(n, x, weights);
}

Result<ExponentProduct> MakeExponentProduct(BuildContext& ctx, int bits, const fixed::FixedType& x,
                                            const std::vector<ExponentWeight>& weights,
                                            const std::string& what) {
  const int n = HalfWidth(bits, x);
  if (2 * n > fixed::kMaxWidth) {
    return ctx.NotHandled(
        fmt::format("a power-of-two {} product of {} bits (ap_fixed<2 * ({} + {}), {} + {}>)", what,
                    2 * n, bits, x.width, bits, x.width));
  }
  ExponentProduct p;
  p.type = fixed::FixedType::Fixed(2 * n, n);
  p.input_shift = x.lsb_exponent() - p.type.lsb_exponent();
  p.can_wrap = CanWrap(n, x, weights);
  return p;
}

}  // namespace fixnn::emulator
