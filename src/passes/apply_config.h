// Configuration pass: gives every tensor, stored weight and internal type of the graph the
// precision its hls4ml configuration resolves to, and every node its settings.
//
// Before: precisions unset, settings at their defaults. After: every precision set, except
// those configured "auto", which are listed in Node::settings.auto_precisions for
// InferAutoPrecision; settings hold the resolved reuse factors, strategy, table size, softmax
// implementation and trace flag, and the Model's default and maximum for inference.
//
// Per node, with config::Resolve (LayerName > LayerType > Model, per key):
// - Result: Precision("result") on every output tensor. A graph input configured "auto" (as
//   config_from_keras_model writes it) takes the Model default now: hls4ml infers nothing for
//   an Input and falls back to that default.
// - Weights, by hls4ml's key (config::PrecisionKeyForWeight): Precision(key), except where a
//   framework quantizer decides, as in hls4ml:
//     Dense, Conv, DepthwiseConv, SeparableConv: a weight with a QKeras quantizer is stored in
//       the quantizer's type whatever the configuration says (hls4ml's add_weights_variable
//       replaces the configured precision by the quantizer's hls_type).
//     Recurrent, Bidirectional: hls4ml reads these quantizers only through the configuration
//       config_from_keras_model writes, so a key an applied entry names explicitly wins; when
//       none does (or it says "auto"), the quantizer's type is used rather than the level's
//       default, which would change the quantized values.
//   BatchNorm's gamma, beta, moving_mean and moving_variance are not stored (IsStoredWeight):
//   they keep their quantizer's type if any, and no precision otherwise.
// - Internal types (layer_types.h): Precision(key); a key no applied entry names takes
//   hls4ml's attribute default where it has one (tables, slope, shift). A recurrent layer's
//   "state", when not named, is its state quantizer's type, else the result type (hls4ml keeps
//   the state in the result type); recurrent biases follow the bias quantizer when not named.
// - Settings: ReuseFactor (per direction / per half where the layer has several products,
//   each falling back to ReuseFactor), Strategy, TableSize (1024), Implementation for a
//   Softmax (stable), Trace.
// - A "<layer>_alpha" Scale node (SplitQKerasAlpha): hls4ml gives it the LayerName entry
//   {Precision: auto}, replacing the configuration's, except that the Precision keys a
//   LayerName entry for it names one by one still apply. So: result, scale and bias are the
//   named types or "auto" (LayerType and Model entries do not apply), a weight with a quantizer
//   is in the quantizer's type, and ReuseFactor and Trace are the split layer's.
// Errors name the configuration key: a Model default that is "auto", a maximum that is "auto",
// a Softmax Implementation that is not a softmax one.
#pragma once

#include "config/hls_config.h"
#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::passes {

// Configures `graph` from scratch (earlier precisions, types and settings are replaced).
// `hls4ml_recurrent_reuse`: every product of a recurrent layer (a Bidirectional's four) takes
// the layer's ReuseFactor, as hls4ml's Vivado/Vitis backend does whatever RecurrentReuseFactor
// and the Forward/Backward keys say.
Status ApplyConfig(ir::Graph& graph, const config::HlsConfig& config,
                   bool hls4ml_recurrent_reuse = false);

}  // namespace fixnn::passes
