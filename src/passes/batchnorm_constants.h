// The per-channel y = x * scale + bias of a batch normalization, as hls4ml 1.3.0 holds it in
// Python before storing it (docs/hls4ml-numerics.md, sections 2.2 and 8), for the passes that
// fold or merge batch normalizations.
#pragma once

#include <vector>

#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::passes {

struct ScaleBias {
  // One float32 value (held exactly) per channel of the last axis, or one for all.
  std::vector<double> scale, bias;
};

// BatchNorm: scale = gamma / sqrt(moving_variance + epsilon), bias = beta - scale *
// moving_mean, every step in float32 (epsilon rounded to float32 first; no gamma: 1, no beta:
// 0), from the stored weights (hls4ml ignores QBatchNormalization's quantizers).
// Scale: its 'scale' and 'bias' weights with their quantizers applied (no bias weight: 0).
// Errors name the layer: a missing weight, weights of different sizes, a BatchNorm weight
// that is not a float32 value (hls4ml's arithmetic would not be float32).
Result<ScaleBias> BatchNormScaleBias(const ir::Node& node);

// float32 arithmetic, each operation rounded once to float32 (a double holds the exact
// product of two floats, and rounding a double sum, quotient or square root to float is the
// correctly rounded float result, so no fused multiply-add can change it).
double Mul32(double a, double b);
double Add32(double a, double b);

}  // namespace fixnn::passes
