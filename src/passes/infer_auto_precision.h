// Inference pass: replaces every precision configured "auto" (listed in
// Node::settings.auto_precisions by ApplyConfig) with a concrete type, node by node in
// topological order, from the types of the node's inputs and its weights' actual values.
//
// Before: ApplyConfig has run. After: every tensor, stored weight and internal type has a
// type, and every auto_precisions list is empty.
//
// The rules, per op (the type rules themselves are in precision_rules.h and
// exact_accumulator.h):
// - Dense, Conv, DepthwiseConv: "weight"/"bias" take the Model default (hls4ml: the
//   quantizer's type when there is one, which ApplyConfig has already set). "accum" and
//   "result" take the exact accumulator type (ExactAccumulatorType over the kernel values in
//   their type, the input type's range and the bias), capped by the Model maximum. This is
//   fixnn's rule, tighter than hls4ml's W_in + W_w + ceil(log2 n_in), and like it never
//   overflows (below the cap).
// - SeparableConv: depthwise_accum and depthwise_result from the depthwise kernel (per
//   channel, no bias); pointwise_accum and result from the pointwise kernel over the
//   depthwise_result type, with the bias; each capped. (hls4ml splits the layer into these two
//   convolutions and infers each alike.)
// - Pool: accum = the input type (max) or AveragePoolAccumType (average), never capped;
//   result = the input's precision (hls4ml).
// - BatchNorm: scale and bias take the Model default; result = BatchNormType(input, scale,
//   bias), capped (hls4ml). Scale (ApplyAlpha): its scale / bias weights likewise, result
//   BatchNormType over the weights' types.
// - Merge: add, subtract, average fold AddType over the inputs, multiply MultiplyType (each
//   step capped); maximum, minimum MaxMinType (not capped). Concatenate folds
//   ConcatenateType (capped). Dot: DotType over the contracted axis (capped), for result and
//   accum (hls4ml infers only the result of a Dot).
// - Flatten, Reshape: result = the input's precision, per-element types included; Permute,
//   ZeroPadding, UpSampling: the input's type (per-element types reduced to CoveringType).
// - Activation: ReLU without negative slope and with threshold >= 0: ReLUType(input); param:
//   the input type for ThresholdedReLU, ConstantType(alpha) for LeakyReLU, ELU and a ReLU with
//   a negative slope (hls4ml's LeakyReLU);
//   HardSigmoid slope / shift: ap_ufixed<16,0> / ap_ufixed<2,0> (hls4ml's HardActivation).
// - PReLU: the alpha weight ("param") takes the input type (hls4ml).
// - Quantize: result = its quantizer's type (per element for HGQ). hls4ml would take the
//   Model default here, which changes the quantized values; its own comment calls "auto" on a
//   quantized activation broken.
// - Recurrent, Bidirectional: state = the result type (hls4ml keeps the state in it).
// - Everything else falls back to the Model default, as hls4ml's _infer_default_type does:
//   the results of every other activation (Softmax, sigmoid, tanh, ...), ParametrizedActivation,
//   PReLU, GlobalPool, Cropping, Embedding, Recurrent and Bidirectional layers and Inputs; the
//   tables, the Softmax accum, the recurrent accum and biases, Embedding's embeddings.
// Errors name the layer: an input without a precision, a type wider than 256 bits.
#pragma once

#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::passes {

// kExact: the rules above. kHls4ml: hls4ml 1.3.0's own (InferPrecisionTypes), where they
// differ: Dense, Conv, DepthwiseConv and both halves of a SeparableConv take
// Hls4mlCommonType over the weight and bias types (the Model default when a weight type is not
// one fixed type: per-element, power-of-two, binary), an Activation's result the Model default, a
// Dot's result grows by its first input's first dimension (its accum takes the Model default).
enum class InferencePolicy { kExact, kHls4ml };

Status InferAutoPrecision(ir::Graph& graph, InferencePolicy policy = InferencePolicy::kExact);

}  // namespace fixnn::passes
