// How a framework quantizes a tensor, held exactly: a fixed-point type, optionally a scale
// (QKeras alpha, per output channel or one for all), and the quantizer as the model wrote it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fixed/fixed_type.h"

namespace fixnn::ir {

using fixed::FixedType;

// The family of the quantizer. Each maps to exact fixed-point values as written beside it.
enum class QuantizerKind {
  kFixed,       // value = mantissa * 2^(I-W) of `type` (quantized_bits, HGQ, hls4ml types)
  kReLU,        // quantized_relu: unsigned `type` after relu (negative_slope 0)
  kPo2,         // quantized_po2 / quantized_relu_po2: sign * 2^e, e in [min_exp, max_exp]
  kBinary,      // binary: +-1 (or 0/1 when use_01) times scale
  kTernary,     // ternary: -1, 0, +1 times scale, with `threshold`
  kTanh,        // quantized_tanh: tanh then `type`
  kSigmoid,     // quantized_sigmoid: sigmoid then `type`
};

struct Quantizer {
  QuantizerKind kind = QuantizerKind::kFixed;
  // The value grid. For kPo2/kBinary/kTernary this is the narrowest fixed type holding every
  // value the quantizer can produce (before scale).
  FixedType type;
  // Multiplier applied after quantization (QKeras alpha). Empty: 1. One entry: all channels.
  // Otherwise one per channel of the last axis.
  std::vector<double> scale;
  // kPo2: exponent range; kTernary: threshold; kReLU: negative slope (0 for plain relu).
  int min_exponent = 0;
  int max_exponent = 0;
  bool po2_relu = false;        // quantized_relu_po2: no negative values
  double threshold = 0.0;
  double relu_negative_slope = 0.0;
  bool binary_use_01 = false;
  bool sigmoid_hard = false;    // quantized_sigmoid/tanh use_real_* / hard forms
  bool symmetric = false;       // quantized_bits symmetric: min is -max
  // Exactly how the model spelled it, e.g. "quantized_bits(6,0,alpha=1)".
  std::string spelling;

  bool has_scale() const { return !scale.empty(); }
};

// Heterogeneous precision: one type per element, in the tensor's row-major order.
struct ElementTypes {
  std::vector<FixedType> types;
};

}  // namespace fixnn::ir
