#include "passes/hls4ml_weight_types.h"

#include "passes/layer_types.h"

namespace fixnn::passes {

int UseHls4mlQuantizedBitsTypes(ir::Graph& graph) {
  int changed = 0;
  for (ir::Node& node : graph.nodes()) {
    for (ir::Weight& w : node.weights) {
      if (!IsStoredWeight(node, w) || !w.quantizer) continue;
      const ir::Quantizer& q = *w.quantizer;
      if (q.kind != ir::QuantizerKind::kFixed || !q.qkeras || q.keep_negative || q.per_element) {
        continue;
      }
      if (!w.precision.type || !(*w.precision.type == q.type) || q.type.is_signed) continue;
      w.precision.type = fixed::FixedType::Fixed(q.type.width, q.type.integer + 1);
      ++changed;
    }
  }
  return changed;
}

}  // namespace fixnn::passes
