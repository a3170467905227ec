#include "passes/hls4ml_exponent_products.h"

namespace fixnn::passes {

namespace {

// hls4ml's converter maps the QKeras class quantized_po2 (only) to its exponent quantizer.
bool IsQuantizedPo2(const ir::Weight& w) {
  return w.quantizer && w.quantizer->kind == ir::QuantizerKind::kPo2 && !w.quantizer->po2_relu;
}

bool HasProductKernels(ir::OpKind kind) {
  return kind == ir::OpKind::kDense || kind == ir::OpKind::kConv ||
         kind == ir::OpKind::kDepthwiseConv || kind == ir::OpKind::kSeparableConv;
}

}  // namespace

int MarkHls4mlExponentProducts(ir::Graph& graph) {
  int marked = 0;
  for (ir::Node& node : graph.nodes()) {
    if (!HasProductKernels(node.kind())) continue;
    for (const char* name : {"kernel", "depthwise_kernel", "pointwise_kernel"}) {
      const ir::Weight* w = node.FindWeight(name);
      if (w != nullptr && IsQuantizedPo2(*w)) {
        node.settings.exponent_products = true;
        ++marked;
        break;
      }
    }
  }
  return marked;
}

}  // namespace fixnn::passes
