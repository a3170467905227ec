#include "passes/remove_linear.h"

#include <algorithm>
#include <optional>
#include <string>

#include "config/layer_classes.h"
#include "passes/graph_edit.h"

namespace fixnn::passes {

namespace {

// A node's configured result: "auto" (nullopt) or its type. `quantizer_for_auto`: a Quantize
// node left "auto" counts as its quantizer's type.
struct Configured {
  bool is_auto = false;
  std::optional<fixed::FixedType> type;  // set when !is_auto and the type is a single one
};

Configured ResultOf(const ir::Graph& graph, const config::HlsConfig& config,
                    const std::string& tensor, bool quantizer_for_auto) {
  Configured c;
  const ir::Node* producer = graph.Producer(tensor);
  if (producer == nullptr) return c;
  if (producer->kind() == ir::OpKind::kInput) {
    c.is_auto = config::Resolve(config, *producer).Precision("result").spec.is_auto();
  } else {
    c.is_auto = producer->settings.IsAuto("result");
  }
  if (c.is_auto && quantizer_for_auto && producer->is<ir::QuantizeAttrs>() &&
      producer->output_quantizer && !producer->output_quantizer->per_element) {
    c.is_auto = false;
    c.type = producer->output_quantizer->type;
    return c;
  }
  if (!c.is_auto) {
    if (const ir::Tensor* t = graph.FindTensor(tensor); t != nullptr && t->precision.type) {
      c.type = *t->precision.type;
    }
  }
  return c;
}

// hls4ml's precision equality: same class (integer or fixed spelling) and parameters.
bool SameType(const Configured& a, const Configured& b) {
  if (a.is_auto || b.is_auto) return a.is_auto && b.is_auto;
  return a.type && b.type && *a.type == *b.type &&
         a.type->integer_spelling == b.type->integer_spelling;
}

// hls4ml's _safe_parents (Dense, Conv1D, Conv2D, BatchNormalization, Activation) and their
// subclasses, as fixnn's ops.
bool IsSafeParent(const ir::Node& node) {
  switch (node.kind()) {
    case ir::OpKind::kDense:
    case ir::OpKind::kConv:
    case ir::OpKind::kDepthwiseConv:
    case ir::OpKind::kSeparableConv:
    case ir::OpKind::kBatchNorm:
    case ir::OpKind::kScale:
    case ir::OpKind::kActivation:
    case ir::OpKind::kPReLU:
      return true;
    case ir::OpKind::kQuantize:
      return config::Hls4mlClassName(node) == "Activation";
    default:
      return false;
  }
}

Status Remove(ir::Graph& graph, const ir::Node& node) {
  const std::string name = node.name, input = node.inputs[0];
  return RemoveNode(graph, name, input);
}

}  // namespace

bool IsLinearActivation(const ir::Node& node) {
  if (node.inputs.size() != 1 || node.outputs.size() != 1) return false;
  if (node.is<ir::ActivationAttrs>()) {
    return node.as<ir::ActivationAttrs>().fn == ir::ActivationFn::kLinear && !node.output_quantizer;
  }
  if (node.is<ir::QuantizeAttrs>()) {
    return node.output_quantizer && node.output_quantizer->kind == ir::QuantizerKind::kFixed &&
           !node.output_quantizer->per_element && config::Hls4mlClassName(node) == "Activation";
  }
  return false;
}

Result<bool> RemoveLinear(ir::Graph& graph, const config::HlsConfig& config,
                          LinearMergePolicy policy) {
  const bool keep_type = policy == LinearMergePolicy::kKeepType;
  // eliminate_linear_activation.
  for (const ir::Node& node : graph.nodes()) {
    if (!IsLinearActivation(node)) continue;
    if (SameType(ResultOf(graph, config, node.inputs[0], false),
                 ResultOf(graph, config, node.outputs[0], keep_type))) {
      if (Status s = Remove(graph, node); !s.ok()) return s.error();
      return true;
    }
  }
  // merge_linear_activation.
  for (const ir::Node& node : graph.nodes()) {
    if (!IsLinearActivation(node)) continue;
    const ir::Node* parent = graph.Producer(node.inputs[0]);
    if (parent == nullptr || !IsSafeParent(*parent) || !parent->settings.IsAuto("result")) {
      continue;
    }
    if (keep_type) {
      const Configured own = ResultOf(graph, config, node.outputs[0], true);
      if (!own.is_auto) {
        if (!own.type || parent->outputs.size() != 1 || !HasSingleUse(graph, node.inputs[0])) {
          continue;
        }
        ir::Node& p = *graph.FindNode(parent->name);
        auto& keys = p.settings.auto_precisions;
        keys.erase(std::remove(keys.begin(), keys.end(), "result"), keys.end());
        graph.FindTensor(p.outputs[0])->precision = {};
        graph.FindTensor(p.outputs[0])->precision.type = *own.type;
      }
    }
    if (Status s = Remove(graph, node); !s.ok()) return s.error();
    return true;
  }
  return false;
}

}  // namespace fixnn::passes
