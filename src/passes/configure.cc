#include "passes/configure.h"

#include "passes/apply_config.h"
#include "passes/classify_weights.h"
#include "passes/hls4ml_exponent_products.h"
#include "passes/hls4ml_weight_types.h"
#include "passes/infer_auto_precision.h"
#include "passes/keep_reshape_types.h"
#include "passes/merge_batchnorms.h"
#include "passes/refuse_hls4ml_rewrites.h"
#include "passes/softmax_norm_types.h"
#include "passes/split_qkeras_alpha.h"

namespace fixnn::passes {

namespace {

// Step 4: hls4ml applies one transformation at a time and starts its list again after each.
Status Restructure(ir::Graph& graph, const config::HlsConfig& config,
                   const ConfigureOptions& options) {
  for (;;) {
    if (options.fold == FoldPolicy::kHls4ml) {
      Result<bool> merged = MergeConsecutiveBatchNormsHls4ml(graph);
      if (!merged.ok()) return merged.error();
      if (*merged) continue;
      Result<bool> folded = FoldBatchNormHls4ml(graph, config);
      if (!folded.ok()) return folded.error();
      if (*folded) continue;
    }
    Result<bool> removed = RemoveLinear(graph, config, options.linear_merge);
    if (!removed.ok()) return removed.error();
    if (!*removed) return Status::Ok();
  }
}

}  // namespace

Status Configure(ir::Graph& graph, const config::HlsConfig& config,
                 const ConfigureOptions& options) {
  if (Result<bool> r = SplitQKerasAlpha(graph, options.hls4ml_alpha_range); !r.ok()) {
    return r.error();
  }
  if (Status s = config::CheckAgainstGraph(config, graph); !s.ok()) return s;
  if (options.refuse_hls4ml_rewrites) {
    if (Status s = RefuseHls4mlRewrites(graph); !s.ok()) return s;
  }
  if (Status s = ApplyConfig(graph, config, options.hls4ml_recurrent_reuse); !s.ok()) return s;
  if (options.hls4ml_quantized_bits_types) UseHls4mlQuantizedBitsTypes(graph);
  if (Status s = Restructure(graph, config, options); !s.ok()) return s;
  const AutoPrecisions before_inference = SnapshotAutoPrecisions(graph);
  if (Status s = InferAutoPrecision(graph, options.inference); !s.ok()) return s;
  if (Status s = SetSoftmaxNormTypes(graph, options.inference); !s.ok()) return s;
  if (options.fold == FoldPolicy::kHls4ml) {
    if (Result<int> r = RemoveNopBatchNormsHls4ml(graph); !r.ok()) return r.error();
  } else {
    if (Result<int> r = FoldBatchNormWhenExact(graph, before_inference); !r.ok()) {
      return r.error();
    }
  }
  if (options.reshape_keeps_type) KeepReshapeTypes(graph);
  if (options.hls4ml_exponent_products) MarkHls4mlExponentProducts(graph);
  if (Status s = ValidateReuseFactors(graph, options.reuse); !s.ok()) return s;
  return ClassifyWeights(graph);
}

Status Configure(ir::Graph& graph, const config::HlsConfig& config,
                 const ReuseFactorOptions& reuse_options) {
  ConfigureOptions options;
  options.reuse = reuse_options;
  return Configure(graph, config, options);
}

}  // namespace fixnn::passes
