#include "passes/configure.h"

#include "passes/apply_config.h"
#include "passes/classify_weights.h"
#include "passes/infer_auto_precision.h"

namespace fixnn::passes {

Status Configure(ir::Graph& graph, const config::HlsConfig& config,
                 const ReuseFactorOptions& reuse_options) {
  if (Status s = ApplyConfig(graph, config); !s.ok()) return s;
  if (Status s = InferAutoPrecision(graph); !s.ok()) return s;
  if (Status s = ValidateReuseFactors(graph, reuse_options); !s.ok()) return s;
  return ClassifyWeights(graph);
}

}  // namespace fixnn::passes
