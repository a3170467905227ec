#include "passes/keep_reshape_types.h"

namespace fixnn::passes {

int KeepReshapeTypes(ir::Graph& graph) {
  int changed = 0;
  for (const ir::Node& node : graph.nodes()) {
    if (node.kind() != ir::OpKind::kFlatten && node.kind() != ir::OpKind::kReshape) continue;
    if (node.inputs.size() != 1 || node.outputs.size() != 1) continue;
    const ir::Tensor* in = graph.FindTensor(node.inputs[0]);
    ir::Tensor* out = graph.FindTensor(node.outputs[0]);
    if (in == nullptr || out == nullptr) continue;
    if (!in->precision.per_element && !out->precision.per_element &&
        out->precision.type == in->precision.type) {
      continue;
    }
    out->precision = in->precision;
    ++changed;
  }
  return changed;
}

}  // namespace fixnn::passes
