// Folding a batch normalization into the Dense or convolution before it.
//
// A "batch normalization" here is a BatchNorm node or a Scale node (a merged or kept batch
// normalization, QKeras' ApplyAlpha): per channel c of the last axis, y = x * s_c + b_c. The
// layer before it ("the layer") is a Dense, Conv, DepthwiseConv or SeparableConv (whose
// pointwise kernel takes the scale) whose output nothing else reads and which is not a graph
// output. Folding sets kernel'_k = s_c * kernel_k (c the output channel of entry k) and
// bias'_c = s_c * bias_c + b_c, removes the batch normalization, and makes its readers (and
// the graph outputs) read the layer's output. The layer keeps its name.
//
// Two policies:
//
// kWhenExact (fixnn's default; FoldBatchNormWhenExact, after InferAutoPrecision): folds only
// when the folded layer computes, for every input, the same bits as the pair. With every value
// as the hardware stores it (hls4ml's decimal text, passes/weight_values.h):
//   x the layer's input (type X), w_k, bias_c its stored kernel and bias (types W, B), s_c,
//   b_c the normalization's stored scale and bias, A and R the layer's accumulator and result
//   types, T the normalization's result type; v_c = sum_k x_k w_k + bias_c the exact sum.
// The pair computes y = T(R(v) * s + b) (hls4ml's normalize: exact product and sum, one cast),
// where R(v) comes through the accumulator's casts. The folded layer computes
// y' = T'(sum_k x_k w'_k + bias'_c) through its accumulator A'. y' = y for every input when
//   1. A and R each hold every partial sum the layer can form exactly (their LSB divides and
//      their range covers ExactAccumulatorType over X and the stored w, bias), so R(v) = v;
//   2. every s_c * w_k is exactly a value of W (and fits a double), and every s_c * bias_c +
//      b_c exactly a value of B (a layer without a bias gets one in the normalization's bias
//      type, which holds b_c);
//   3. A' holds every partial sum of the folded layer exactly: A' = A when A already does,
//      else, when the accumulator was "auto", the exact accumulator type of the folded layer,
//      if the Model maximum does not cap it;
//   4. the folded layer's result type T' is T (the layer's output takes the normalization's
//      output type, so every reader sees the same type as before).
// Then y' = T(s * v + b) = y: both casts see the same exact value. Conditions 1 and 3 hold for
// the exact types InferAutoPrecision gives "auto" accumulators; 2 fails as soon as a scale
// needs more fractional bits than W has spare, and then the normalization stays a layer with
// its own scale, bias and result types (and its own overflow counts). Chains fold one after
// the other. Not folded: per-element types, output quantizers, a layer without an accumulator
// type.
//
// kHls4ml (FoldBatchNormHls4ml, after ApplyConfig and before InferAutoPrecision): exactly
// hls4ml 1.3.0's fuse_batch_normalization (hls4ml/model/optimizer/passes/bn_fuse.py):
//   - folds when the layer's result is "auto" (bn_fuse.py:20-26), its kernel is not binary
//     (:28-32), and the quantizers are compatible (:33-47): kernel and normalization scale not
//     both quantized unless the layer's raw kernel is all ones or the normalization's scale
//     is, and likewise for the biases (a BatchNorm node has no scale or bias quantizer: hls4ml
//     ignores QBatchNormalization's quantizers; a Scale node's are its weights' quantizers);
//   - not when a kernel, bias, scale or normalization bias is in a power-of-two (exponent)
//     type (:65-74);
//   - kernel' = s * kernel and bias' = s * bias + b in float32 (:76-77), with kernel and bias
//     as hls4ml holds them (quantized by their quantizers; a missing bias is zero), and s, b
//     from BatchNormScaleBias; the kernel and bias keep their configured types, or take the
//     normalization's scale / bias quantizer when it has one, else keep the layer's (:79-95);
//   - the normalization's configured types (result included) are dropped; the layer's result
//     stays "auto" and is inferred from the folded weights.
//   - a DepthwiseConv with depth multiplier 1 and C > 1 channels: hls4ml multiplies its
//     [k..., C, 1] kernel by the [C] scale with numpy broadcasting, which gives a [k..., C, C]
//     array, and its depthwise kernel reads the first k...*C entries: entry p becomes
//     s_(p mod C) * kernel_(p div C). fixnn reproduces that. With a depth multiplier > 1 and
//     C > 1 the broadcast fails and hls4ml does not convert: an error.
// Errors name the layer.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/hls_config.h"
#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::passes {

enum class FoldPolicy {
  kWhenExact,  // fold only when the bits do not change (fixnn's default)
  kHls4ml,     // fold as hls4ml 1.3.0 does
};

// BatchNorm, or Scale (hls4ml's BatchNormalization and ApplyAlpha).
bool IsBatchNormLike(const ir::Node& node);

// The precision keys each node had "auto" after ApplyConfig (Node::settings.auto_precisions),
// which InferAutoPrecision empties.
using AutoPrecisions = std::map<std::string, std::vector<std::string>>;
AutoPrecisions SnapshotAutoPrecisions(const ir::Graph& graph);

// kHls4ml: folds the first batch normalization (in graph order) that hls4ml would fold;
// returns whether it folded one. `config` resolves the bias type of a layer that had no bias.
Result<bool> FoldBatchNormHls4ml(ir::Graph& graph, const config::HlsConfig& config);

// kWhenExact: folds every batch normalization the conditions above allow, in graph order;
// returns how many. `before_inference` tells which accumulators were "auto".
Result<int> FoldBatchNormWhenExact(ir::Graph& graph, const AutoPrecisions& before_inference);

}  // namespace fixnn::passes
