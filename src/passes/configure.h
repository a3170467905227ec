// The passes that turn a graph and an hls4ml-style configuration into a configured graph,
// every tensor, weight and internal value with a concrete fixed-point type, in hls4ml 1.3.0's
// order (its "convert" flow, then its "optimize" flow):
//   1. SplitQKerasAlpha        QKeras alpha scales become "<layer>_alpha" Scale nodes
//   2. config::CheckAgainstGraph  a LayerName the model does not have is an error;
//      RefuseHls4mlRewrites (refuse_hls4ml_rewrites)
//   3. ApplyConfig             types and settings from the configuration ("auto" left open);
//      UseHls4mlQuantizedBitsTypes (hls4ml_quantized_bits_types)
//   4. until none applies, the first of:
//        MergeConsecutiveBatchNormsHls4ml, FoldBatchNormHls4ml   (fold policy kHls4ml)
//        RemoveLinear                                           (both rules)
//   5. InferAutoPrecision      "auto" types from the inputs and the weights
//   6. RemoveNopBatchNormsHls4ml (kHls4ml) or FoldBatchNormWhenExact (kWhenExact);
//      KeepReshapeTypes (reshape_keeps_type);
//      MarkHls4mlExponentProducts (hls4ml_exponent_products)
//   7. ValidateReuseFactors, ClassifyWeights
// The exact fold comes after inference because its condition needs every type.
#pragma once

#include "config/hls_config.h"
#include "ir/graph.h"
#include "passes/fold_batchnorm.h"
#include "passes/infer_auto_precision.h"
#include "passes/remove_linear.h"
#include "passes/validate_reuse_factors.h"
#include "support/result.h"

namespace fixnn::passes {

struct ConfigureOptions {
  ReuseFactorOptions reuse;
  // How batch normalizations are folded into the layer before them (fold_batchnorm.h).
  FoldPolicy fold = FoldPolicy::kWhenExact;
  // What becomes of a removed linear activation's type (remove_linear.h).
  LinearMergePolicy linear_merge = LinearMergePolicy::kKeepType;
  // The rules that resolve "auto" types (infer_auto_precision.h).
  InferencePolicy inference = InferencePolicy::kExact;
  // Flatten and Reshape keep their input's type (keep_reshape_types.h), as hls4ml's
  // io_parallel code does; otherwise they cast into their configured type.
  bool reshape_keeps_type = false;
  // QKeras keep_negative=False quantized_bits weights in hls4ml's signed type
  // (hls4ml_weight_types.h); otherwise in the quantizer's exact type.
  bool hls4ml_quantized_bits_types = false;
  // Refuse what hls4ml's optimizers rewrite into something other than the model
  // (refuse_hls4ml_rewrites.h).
  bool refuse_hls4ml_rewrites = false;
  // quantized_po2 kernels multiply as hls4ml's weight_exponential (hls4ml_exponent_products.h);
  // otherwise exactly.
  bool hls4ml_exponent_products = false;
  // A recurrent layer's products all take its ReuseFactor (apply_config.h), as hls4ml's
  // Vivado/Vitis backend sets them; otherwise RecurrentReuseFactor and the Forward/Backward
  // keys apply.
  bool hls4ml_recurrent_reuse = false;
  // QKeras 'auto_po2' alpha scales through hls4ml's power-of-two quantizer, which clips a
  // largest scale of 2 or 4 to half its value (split_qkeras_alpha.h); otherwise exactly.
  bool hls4ml_alpha_range = false;

  // Every choice as hls4ml 1.3.0 makes it (to compare with its predict and trace).
  static ConfigureOptions Hls4ml() {
    ConfigureOptions o;
    o.fold = FoldPolicy::kHls4ml;
    o.linear_merge = LinearMergePolicy::kHls4ml;
    o.inference = InferencePolicy::kHls4ml;
    o.reshape_keeps_type = true;
    o.hls4ml_quantized_bits_types = true;
    o.refuse_hls4ml_rewrites = true;
    o.hls4ml_exponent_products = true;
    o.hls4ml_recurrent_reuse = true;
    o.hls4ml_alpha_range = true;
    return o;
  }
};

// Configures `graph` (which the passes may restructure: see above) with `config`. Run it once,
// on the graph a frontend made: the configuration names layers the passes may remove. Errors
// name the layer or the configuration key.
Status Configure(ir::Graph& graph, const config::HlsConfig& config,
                 const ConfigureOptions& options);

// fixnn's default choices with the given reuse-factor options.
Status Configure(ir::Graph& graph, const config::HlsConfig& config,
                 const ReuseFactorOptions& reuse_options = {});

}  // namespace fixnn::passes
