#include "passes/split_qkeras_alpha.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "passes/graph_edit.h"

namespace fixnn::passes {

namespace {

bool HasAlpha(const ir::Quantizer& q) {
  switch (q.alpha) {
    case ir::AlphaKind::kAuto:
    case ir::AlphaKind::kAutoPo2:
      return true;
    case ir::AlphaKind::kValue:
      return q.has_scale();
    case ir::AlphaKind::kNone:
      return false;
  }
  return false;
}

// The kernel whose quantizer carries an alpha hls4ml factorizes, or nullptr.
ir::Weight* AlphaKernel(ir::Node& node) {
  if (!node.is<ir::DenseAttrs>() && !node.is<ir::ConvAttrs>()) return nullptr;
  ir::Weight* k = node.FindWeight("kernel");
  if (k == nullptr || !k->quantizer || k->quantizer->per_element || !HasAlpha(*k->quantizer)) {
    return nullptr;
  }
  return k;
}

// The quantized kernel divided by its scale, on the quantizer's grid. hls4ml computes
// float32(1/s) * q and quantizes that again with alpha 1; both land on the grid value, since
// q = s * v up to float32 rounding.
Result<std::vector<double>> UnscaledKernel(const ir::Node& node, const ir::Weight& kernel) {
  const ir::Quantizer& q = *kernel.quantizer;
  std::vector<double> scaled = kernel.values;
  ir::ApplyQuantizer(q, scaled);
  const double lsb = std::ldexp(1.0, q.type.lsb_exponent());
  std::vector<double> out(scaled.size());
  for (size_t k = 0; k < scaled.size(); ++k) {
    const double s = q.scale[k % q.scale.size()];
    if (s == 0.0) continue;
    const double v = std::nearbyint(scaled[k] / s / lsb) * lsb;
    if (std::fabs(v * s - scaled[k]) > std::ldexp(std::fabs(scaled[k]), -16)) {
      return Error(fmt::format(
          "layer '{}': kernel value {} is not its scale {} times a value of {} (quantizer {})",
          node.name, scaled[k], s, q.type.ToString(), q.spelling));
    }
    out[k] = v;
  }
  return out;
}

Status Split(ir::Graph& graph, const std::string& name, bool hls4ml_range) {
  ir::Node* node = graph.FindNode(name);
  ir::Weight* kernel = AlphaKernel(*node);
  Result<std::vector<double>> unscaled = UnscaledKernel(*node, *kernel);
  if (!unscaled.ok()) return unscaled.error();
  const int64_t channels = kernel->shape.empty() ? 1 : kernel->shape.back();
  const std::vector<double> scale_values = kernel->quantizer->scale;

  ir::Node alpha;
  alpha.name = name + "_alpha";
  alpha.source = kApplyAlphaSource;
  alpha.attrs = ir::ScaleAttrs{true};
  ir::Weight scale;
  scale.name = "scale";
  scale.shape = {channels};
  for (int64_t c = 0; c < channels; ++c) {
    scale.values.push_back(scale_values[static_cast<size_t>(c) % scale_values.size()]);
  }
  if (kernel->quantizer->alpha == ir::AlphaKind::kAutoPo2) {
    scale.quantizer = Po2ScaleQuantizer(scale.values, hls4ml_range);
  }
  ir::Weight bias;
  bias.name = "bias";
  bias.shape = {channels};
  bias.values.assign(static_cast<size_t>(channels), 0.0);
  if (ir::Weight* b = node->FindWeight("bias"); b != nullptr) {
    // hls4ml moves the bias as its layer holds it, already quantized.
    bias.values = b->values;
    if (b->quantizer) ir::ApplyQuantizer(*b->quantizer, bias.values);
    bias.quantizer = b->quantizer;
    b->values.assign(b->values.size(), 0.0);
  }
  alpha.weights = {std::move(scale), std::move(bias)};

  ir::Quantizer unit = *kernel->quantizer;
  unit.scale.clear();
  unit.alpha = ir::AlphaKind::kNone;
  unit.scale_mode = ir::ScaleMode::kAfter;
  unit.ternary_divisor.clear();
  // The quantizer without its alpha applies again when the kernel is stored, as hls4ml
  // quantizes the unscaled values again (qkeras.py:136; a binary use_01 kernel's zeros
  // become ones there).
  kernel->values = std::move(unscaled).value();
  kernel->quantizer = std::move(unit);

  if (node->outputs.size() != 1) {
    return Error(fmt::format("layer '{}': expected one output", name));
  }
  const std::string out = node->outputs[0];
  return InsertAfter(graph, out, std::move(alpha));
}

}  // namespace

ir::Quantizer Po2ScaleQuantizer(const std::vector<double>& scale, bool hls4ml_range) {
  double max_log = 0;
  int lo = 0, hi = 0;
  for (double s : scale) {
    if (s <= 0) continue;
    max_log = std::max(max_log, std::fabs(std::log2(s)));
    lo = std::min(lo, static_cast<int>(std::floor(std::log2(s))));
    hi = std::max(hi, static_cast<int>(std::ceil(std::log2(s))));
  }
  const int bits = std::max(static_cast<int>(max_log) + 1, 2);
  ir::Quantizer q;
  if (!hls4ml_range) {
    // The scales as they are: a fixed-point type holding every 2^e, e in [lo, hi].
    q.kind = ir::QuantizerKind::kFixed;
    q.type = fixed::FixedType::Fixed(hi + 2 - lo, hi + 2, fixed::Rounding::kRndConv,
                                     fixed::Overflow::kSat);
    q.spelling = fmt::format("the power-of-two scales 2^{}..2^{}", lo, hi);
    return q;
  }
  q.kind = ir::QuantizerKind::kPo2;
  q.qkeras = true;
  q.straight_through = true;
  const int effect_bits = bits - 2;
  q.min_exponent = -(1 << effect_bits);
  q.max_exponent = (1 << effect_bits) - 1;
  const int integer = q.max_exponent + 2;
  q.type = fixed::FixedType::Fixed(integer - q.min_exponent, integer, fixed::Rounding::kRndConv,
                                   fixed::Overflow::kSat);
  q.spelling = fmt::format("quantized_po2({})", bits);
  return q;
}

Result<bool> SplitQKerasAlpha(ir::Graph& graph, bool hls4ml_range) {
  std::vector<std::string> names;
  for (ir::Node& node : graph.nodes()) {
    if (AlphaKernel(node) != nullptr) names.push_back(node.name);
  }
  for (const std::string& name : names) {
    if (Status s = Split(graph, name, hls4ml_range); !s.ok()) return s.error();
  }
  return !names.empty();
}

}  // namespace fixnn::passes
