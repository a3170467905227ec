// QKeras alpha as an explicit scale layer, as hls4ml 1.3.0's qkeras_factorize_alpha pass
// does (hls4ml/model/optimizer/passes/qkeras.py:86-190).
//
// Before: a Dense or Conv whose kernel quantizer has a scale other than 1 (quantized_bits with
// alpha 'auto', 'auto_po2' or explicit values; binary or ternary with an alpha), whose kernel
// then holds s_c * q_k on output channel c.
// After:
//   - the layer's kernel holds the unscaled grid values q_k and keeps its quantizer without
//     the scale (so it is still stored in the quantizer's type);
//   - its bias is zero (same quantizer and type; a layer without bias keeps none);
//   - a Scale node "<layer>_alpha" (source "ApplyAlpha", hls4ml's ApplyAlpha) reads the layer's
//     output and writes y = x * s_c + b_c, with weight 'scale' the per-channel scale (one value
//     repeated over the channels when the quantizer has one; for 'auto_po2' with hls4ml's
//     power-of-two quantizer, see Po2ScaleQuantizer) and weight 'bias' the layer's former
//     bias, quantized, with its quantizer (zeros without a bias: hls4ml's Dense always has
//     one);
//     every former reader of the layer's output, graph outputs included, reads it instead.
// hls4ml runs this only for Dense and Conv1D/Conv2D (not DepthwiseConv, SeparableConv or
// recurrent layers, whose scaled kernels it rounds onto the unscaled grid; fixnn keeps them as
// they are and so computes the same). An alpha given as a list makes hls4ml 1.3.0 fail
// ('ListWrapper' has no numpy); fixnn splits it like the others. ApplyConfig gives the
// "<layer>_alpha" node hls4ml's types.
//
// Runs before ApplyConfig, so that the configuration can name "<layer>_alpha". Returns whether
// the graph changed. Errors name the layer: an unscaled value that is not on the quantizer's
// grid (which would mean the scale is not the quantizer's), or a name already taken.
#pragma once

#include <vector>

#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::passes {

// The source (class) of the Scale nodes this pass makes.
inline constexpr const char* kApplyAlphaSource = "ApplyAlpha";

// hls4ml_range: the 'auto_po2' scales go through hls4ml's quantizer (Po2ScaleQuantizer), which
// clips a largest scale of 2 or 4 to half its value; otherwise (fixnn's own mode) they keep the
// values QKeras multiplies by.
Result<bool> SplitQKerasAlpha(ir::Graph& graph, bool hls4ml_range = true);

// The quantizer for 'auto_po2' scales. hls4ml_range: hls4ml's quantized_po2(bits),
// bits = max(floor(max |log2 s|) + 1, 2), as QKeras defines it (no max_value: the exponent has
// a sign bit and spans [-2^(bits-2), 2^(bits-2) - 1]; a scale beyond is clipped, as in hls4ml:
// 2 becomes 1); its type is the narrowest fixed type holding every +-2^e. Otherwise a plain
// fixed-point quantizer whose type holds every 2^e of the scales' exponents exactly.
ir::Quantizer Po2ScaleQuantizer(const std::vector<double>& scale, bool hls4ml_range = true);

}  // namespace fixnn::passes
