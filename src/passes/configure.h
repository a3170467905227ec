// The passes that give every tensor, weight and internal value of a graph a concrete
// fixed-point type from an hls4ml-style configuration, in order: ApplyConfig,
// InferAutoPrecision, ValidateReuseFactors, ClassifyWeights.
#pragma once

#include "config/hls_config.h"
#include "ir/graph.h"
#include "passes/validate_reuse_factors.h"
#include "support/result.h"

namespace fixnn::passes {

Status Configure(ir::Graph& graph, const config::HlsConfig& config,
                 const ReuseFactorOptions& reuse_options = {});

}  // namespace fixnn::passes
