// Two more of hls4ml 1.3.0's batch normalization passes (hls4ml/model/optimizer/passes/
// batchnorm_opt.py), for the kHls4ml policy (fold_batchnorm.h). A "batch normalization" is a
// BatchNorm or Scale node, as there.
#pragma once

#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::passes {

// fuse_consecutive_batch_normalization (:156-254), after ApplyConfig: merges the first batch
// normalization (in graph order) that reads another one whose result is "auto" and which no
// other layer reads, when their quantizers allow it (:177-192: not both scales quantized
// unless one scale is all ones, likewise the biases). The later node keeps its name and
// becomes a Scale (same source) with, in float32, scale = s0 * s1 and bias = s1 * b0 + b1 from
// the values hls4ml calls unquantized (a BatchNorm's computed scale and bias, a Scale's raw
// scale and its bias as received); the quantizer of a scale is kept only when the other scale
// is all ones, that of a bias only when the other bias is all ONES (hls4ml's test, :215-220);
// the types are the later node's configured scale and bias types (or the kept quantizer's).
// The earlier node is removed. Returns whether it merged a pair.
Result<bool> MergeConsecutiveBatchNormsHls4ml(ir::Graph& graph);

// remove_nop_batch_normalization (:257-274), run by hls4ml after precision inference: removes
// every batch normalization whose scale is all ones and bias all zeros (on the same values),
// whatever its types; its readers read its input. Returns how many it removed.
Result<int> RemoveNopBatchNormsHls4ml(ir::Graph& graph);

}  // namespace fixnn::passes
