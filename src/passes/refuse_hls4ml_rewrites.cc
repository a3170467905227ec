#include "passes/refuse_hls4ml_rewrites.h"

#include <fmt/format.h>

#include <string>
#include <tuple>

namespace fixnn::passes {

namespace {

// What hls4ml's io_parallel recurrent layers compute other than the model ("" for nothing).
std::string RecurrentRefusal(const ir::RecurrentAttrs& a, bool inside_bidirectional) {
  if (a.cell == ir::RecurrentCell::kSimpleRNN) {
    return "SimpleRNN: hls4ml's Vivado/Vitis backend has no SimpleRNN template and emits no "
           "code for it (the layer's output is left uninitialized)";
  }
  if (a.cell == ir::RecurrentCell::kGRU && !a.reset_after) {
    return "GRU with reset_after=False: hls4ml computes the reset_after=True formula, its input "
           "and recurrent biases the bias's first and second value followed by zeros";
  }
  if (a.go_backwards && !inside_bidirectional) {
    return "go_backwards=True: hls4ml reads the sequence forwards";
  }
  if (a.return_state) return "return_state=True: hls4ml's recurrent converters refuse it";
  for (const auto& [act, q, which] :
       {std::tuple{&a.activation, &a.activation_quantizer, "activation"},
        std::tuple{&a.recurrent_activation, &a.recurrent_activation_quantizer,
                   "recurrent_activation"}}) {
    if (a.cell == ir::RecurrentCell::kSimpleRNN && *which == 'r') continue;
    if (*q) {
      return fmt::format(
          "a QKeras {} quantizer ('{}') in the cell: hls4ml asserts on the hard forms "
          "('Hard activation not supported') and runs the others as the plain activation in the "
          "result type, dropping the quantizer",
          which, (*q)->spelling);
    }
    const ir::ActivationFn fn = act->fn;
    if (fn != ir::ActivationFn::kSigmoid && fn != ir::ActivationFn::kTanh &&
        fn != ir::ActivationFn::kReLU) {
      return fmt::format(
          "{} '{}' in the cell: hls4ml's recurrent templates instantiate only sigmoid, tanh and "
          "relu (the project does not compile)",
          which, ir::ToString(fn));
    }
  }
  if (a.state_quantizer) {
    return "a QKeras state_quantizer: hls4ml uses its type as accum_t and keeps the state in the "
           "result type";
  }
  return "";
}

std::string RecurrentRefusal(const ir::Node& node) {
  if (node.is<ir::RecurrentAttrs>()) return RecurrentRefusal(node.as<ir::RecurrentAttrs>(), false);
  if (!node.is<ir::BidirectionalAttrs>()) return "";
  const auto& a = node.as<ir::BidirectionalAttrs>();
  if (a.merge != ir::BidirectionalMerge::kConcat) {
    return "a Bidirectional merge mode other than concat: hls4ml's Vitis backend switches it to "
           "concat after sizing the output for the merged one, and writes past its end";
  }
  std::string why = RecurrentRefusal(a.forward, true);
  return why.empty() ? RecurrentRefusal(a.backward, true) : why;
}

}  // namespace

Status RefuseHls4mlRewrites(const ir::Graph& graph) {
  for (const ir::Node& node : graph.nodes()) {
    if (const std::string why = RecurrentRefusal(node); !why.empty()) {
      return Error(fmt::format(
          "layer '{}' ({}): {}; fixnn refuses to reproduce this in hls4ml-compatible mode "
          "(without it, fixnn computes the model)",
          node.name, ir::OpName(node.kind()), why));
    }
    const bool mac = node.is<ir::DenseAttrs>() || node.is<ir::ConvAttrs>() ||
                     node.is<ir::DepthwiseConvAttrs>() || node.is<ir::SeparableConvAttrs>();
    if (mac && graph.framework == "keras2" && node.FindWeight("bias") == nullptr &&
        node.name.find("bias") != std::string::npos) {
      return Error(fmt::format(
          "layer '{}' ({}): a layer without a bias whose name contains \"bias\": hls4ml's Keras 2 "
          "reader finds weights by substring and takes the kernel's first values as its bias; "
          "fixnn refuses to reproduce this in hls4ml-compatible mode (rename the layer, or "
          "without the mode fixnn computes the model)",
          node.name, ir::OpName(node.kind())));
    }
  }
  for (const ir::Node& node : graph.nodes()) {
    const bool flatten =
        node.is<ir::FlattenAttrs>() ||
        (node.is<ir::ReshapeAttrs>() && node.as<ir::ReshapeAttrs>().shape.size() == 1);
    if (!flatten || node.inputs.size() != 1 || node.outputs.size() != 1) continue;
    const ir::Node* permute = graph.Producer(node.inputs[0]);
    if (permute == nullptr || !permute->is<ir::PermuteAttrs>()) continue;
    const std::vector<const ir::Node*> readers = graph.Consumers(node.outputs[0]);
    if (readers.size() != 1 || !readers[0]->is<ir::DenseAttrs>()) continue;
    const ir::Tensor* t = graph.FindTensor(permute->outputs[0]);
    if (t == nullptr || (t->shape.size() != 2 && t->shape.size() != 3)) continue;
    return Error(fmt::format(
        "layer '{}' (Permute): hls4ml removes a Permute before a Flatten that feeds a Dense "
        "('{}') and permutes the Dense's kernel instead, as if the Permute were a channels-first "
        "conversion (its RemoveTransposeBeforeFlatten): the Dense sums in another order or with "
        "the wrong kernel, and other readers of the Permute lose it; fixnn refuses to reproduce "
        "this in hls4ml-compatible mode (without it, fixnn computes the model)",
        permute->name, readers[0]->name));
  }
  return Status::Ok();
}

}  // namespace fixnn::passes
