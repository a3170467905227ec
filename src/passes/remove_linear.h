// Removing linear activations, as hls4ml 1.3.0's eliminate_linear_activation and
// merge_linear_activation passes do (hls4ml/model/optimizer/passes/linear.py), after
// ApplyConfig and before InferAutoPrecision (their place in hls4ml's convert flow).
//
// Linear activations: an Activation 'linear' node (the "<layer>_linear" node hls4ml's Keras 2
// reader splits off every layer with activation='linear', or an Activation('linear') layer),
// and a QActivation(quantized_bits) Quantize node, which hls4ml reads as an Activation
// 'linear' with the quantizer's type as its result (converters/keras/qkeras.py:146-174).
//
// Two rules, tried in this order on the first linear activation (in graph order) they match:
//   eliminate (linear.py:6-15): the activation's configured result precision equals its
//     input's: both "auto" (an Input configured "auto" counts as "auto", as in hls4ml before
//     inference), or the same type (hls4ml's type equality: parameters and integer/fixed
//     spelling). The node is removed.
//   merge (linear.py:18-44): its input comes from a Dense, Conv, DepthwiseConv,
//     SeparableConv, BatchNorm, Scale or any activation (hls4ml's "safe parents" and their
//     subclasses) whose result is "auto". The node is removed; its readers read the parent.
//     What becomes of the activation's own type is the policy:
//       kHls4ml: it is dropped (hls4ml keeps only a QONNX quantizer's type, and QKeras'
//         QActivation(quantized_bits) has none there): the parent's "auto" result is inferred
//         as if the activation had never been there, so a QActivation(quantized_bits) after
//         a Dense quantizes nothing.
//       kKeepType (fixnn's default): the parent's result takes the activation's type (for a
//         Quantize node left "auto", its quantizer's type, as InferAutoPrecision would give
//         it), so the parent casts straight into it: the same bits as the parent's exact
//         result followed by the cast. When another layer or a graph output also reads the
//         parent, the activation is kept instead (merging would cast that reader's input too).
//         A Quantize node left "auto" also counts as its quantizer's type for the eliminate
//         rule, so that it is never removed as a no-op.
// Removing makes every reader of the activation's output (graph outputs included) read its
// input.
#pragma once

#include "config/hls_config.h"
#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::passes {

enum class LinearMergePolicy {
  kKeepType,  // the removed activation's type moves to the parent (fixnn's default)
  kHls4ml,    // the removed activation's type is dropped, as in hls4ml 1.3.0
};

// Whether `node` is a linear activation in hls4ml's sense (see above).
bool IsLinearActivation(const ir::Node& node);

// Removes the first linear activation a rule matches; returns whether it removed one.
// `config` tells whether an Input's result was configured "auto".
Result<bool> RemoveLinear(ir::Graph& graph, const config::HlsConfig& config,
                          LinearMergePolicy policy);

}  // namespace fixnn::passes
