#include "passes/softmax_norm_types.h"

#include <cmath>

namespace fixnn::passes {

using fixed::FixedType;

FixedType Hls4mlSoftmaxNormType(const FixedType& input) {
  return input.is_signed ? FixedType::UFixed(input.width - 1, input.integer - 1)
                         : FixedType::UFixed(input.width, input.integer);
}

FixedType StableSoftmaxNormType(const ir::Node& node, const FixedType& input) {
  auto it = node.types.find("inp_norm");
  return it != node.types.end() ? it->second : Hls4mlSoftmaxNormType(input);
}

FixedType FixnnSoftmaxNormType(const FixedType& exp_table, int64_t table_size) {
  int bits = 1;
  while (bits < 24 && (int64_t{1} << bits) < table_size) ++bits;
  const double needed = (exp_table.frac_bits() + 1) * std::log(2.0);
  int integer = 1;
  while (std::ldexp(1.0, integer) < needed) ++integer;
  return FixedType::UFixed(bits, integer, fixed::Rounding::kTrn, fixed::Overflow::kSat);
}

Status SetSoftmaxNormTypes(ir::Graph& graph, InferencePolicy policy) {
  for (ir::Node& node : graph.nodes()) {
    if (node.kind() != ir::OpKind::kActivation ||
        node.as<ir::ActivationAttrs>().fn != ir::ActivationFn::kSoftmax ||
        node.settings.softmax_implementation != ir::SoftmaxImplementation::kStable ||
        node.inputs.empty()) {
      continue;
    }
    const ir::Tensor* in = graph.FindTensor(node.inputs[0]);
    if (in == nullptr || !in->precision.type) continue;  // the emulator names what is missing
    const FixedType& xt = *in->precision.type;
    if (policy == InferencePolicy::kHls4ml) {
      if (xt.is_signed && xt.width < 2) continue;  // refused by the emulator
      node.types["inp_norm"] = Hls4mlSoftmaxNormType(xt);
      continue;
    }
    auto exp_table = node.types.find("exp_table");
    if (exp_table == node.types.end()) continue;
    node.types["inp_norm"] = FixnnSoftmaxNormType(exp_table->second, node.settings.table_size);
  }
  return Status::Ok();
}

}  // namespace fixnn::passes
