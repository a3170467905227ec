// LSTM, GRU, SimpleRNN and the Bidirectional wrapper.
#include <fmt/format.h>

#include "frontends/keras/activations.h"
#include "frontends/keras/layer_builder.h"

namespace fixnn::frontends::keras {
namespace {

using Outputs = Result<std::vector<std::string>>;

Result<ir::ActivationAttrs> RecurrentActivation(const LayerCall& call, const ConfigFields& f,
                                                const std::string& key,
                                                const std::string& fallback) {
  const nlohmann::json* spec = f.Find(key);
  std::string name = fallback;
  if (spec != nullptr) {
    if (!spec->is_string()) {
      return f.Fail(fmt::format("{} {} is not supported", key, spec->dump()));
    }
    name = spec->get<std::string>();
  }
  Result<std::optional<ir::ActivationAttrs>> a =
      ActivationFromName(name, call.source.keras_major, call.class_name[0] == 'Q');
  if (!a.ok()) return f.Fail(fmt::format("{}: {}", key, a.error().message()));
  return a->value_or(ir::ActivationAttrs{ir::ActivationFn::kLinear});
}

std::vector<std::string> OutputNames(const std::string& base, size_t n) {
  std::vector<std::string> names = {base};
  for (size_t i = 1; i < n; ++i) names.push_back(fmt::format("{}:{}", base, i));
  return names;
}

size_t StateCount(ir::RecurrentCell cell) { return cell == ir::RecurrentCell::kLSTM ? 2 : 1; }

std::vector<std::string> RecurrentWeightNames(const ir::RecurrentAttrs& a,
                                              const std::string& prefix) {
  std::vector<std::string> names = {prefix + "kernel", prefix + "recurrent_kernel"};
  if (a.use_bias) names.push_back(prefix + "bias");
  return names;
}

// Reads the cell's weights from `sub` and renames them with `prefix`.
Result<std::vector<ir::Weight>> CellWeights(const LayerCall& call, const ir::RecurrentAttrs& a,
                                            const std::string& sub, const std::string& prefix) {
  Result<std::vector<ir::Weight>> w = call.TakeWeights(RecurrentWeightNames(a, ""), sub);
  if (!w.ok()) return w.error();
  for (ir::Weight& weight : *w) weight.name = prefix + weight.name;
  return w;
}

Result<ir::RecurrentCell> CellOf(const LayerCall& call, const std::string& class_name) {
  if (class_name == "LSTM" || class_name == "QLSTM") return ir::RecurrentCell::kLSTM;
  if (class_name == "GRU" || class_name == "QGRU") return ir::RecurrentCell::kGRU;
  if (class_name == "SimpleRNN" || class_name == "QSimpleRNN") {
    return ir::RecurrentCell::kSimpleRNN;
  }
  return call.Fail(fmt::format("recurrent layer '{}' is not supported", class_name));
}

}  // namespace

Result<ir::RecurrentAttrs> MakeRecurrentAttrs(const LayerCall& call, ir::RecurrentCell cell,
                                              const nlohmann::json& config) {
  ConfigFields f(config, call.fields.where());
  ir::RecurrentAttrs a;
  a.cell = cell;
  Result<int64_t> units = f.Int("units");
  if (!units.ok()) return units.error();
  if (*units < 1) return f.Fail("units must be positive");
  a.units = *units;
  Result<ir::ActivationAttrs> act = RecurrentActivation(call, f, "activation", "tanh");
  if (!act.ok()) return act.error();
  a.activation = *act;
  if (cell != ir::RecurrentCell::kSimpleRNN) {
    Result<ir::ActivationAttrs> ract =
        RecurrentActivation(call, f, "recurrent_activation", "sigmoid");
    if (!ract.ok()) return ract.error();
    a.recurrent_activation = *ract;
  }
  struct Flag {
    const char* key;
    bool fallback;
    bool* target;
  };
  // Keras GRUs before reset_after existed (Keras < 2.1.4) compute the original formulation.
  for (const Flag& flag :
       {Flag{"use_bias", true, &a.use_bias}, Flag{"return_sequences", false, &a.return_sequences},
        Flag{"return_state", false, &a.return_state}, Flag{"go_backwards", false, &a.go_backwards},
        Flag{"unit_forget_bias", true, &a.unit_forget_bias},
        Flag{"reset_after", false, &a.reset_after}}) {
    Result<bool> v = f.Bool(flag.key, flag.fallback);
    if (!v.ok()) return v.error();
    *flag.target = *v;
  }
  if (cell != ir::RecurrentCell::kGRU) a.reset_after = false;
  for (const char* key : {"stateful", "time_major"}) {
    Result<bool> v = f.Bool(key, false);
    if (!v.ok()) return v.error();
    if (*v) return f.Fail(fmt::format("{}=True is not supported", key));
  }
  return a;
}

Result<ir::Node> MakeRecurrentNode(const LayerCall& call, ir::RecurrentCell cell) {
  if (Status s = CheckInputCount(call, 1, 1); !s.ok()) return s.error();
  Result<ir::RecurrentAttrs> a = MakeRecurrentAttrs(call, cell, call.config);
  if (!a.ok()) return a.error();
  Result<std::vector<ir::Weight>> w = CellWeights(call, *a, "cell", "");
  if (!w.ok()) return w.error();
  ir::Node node;
  node.name = call.node_name;
  node.outputs = OutputNames(call.node_name, a->return_state ? 1 + StateCount(cell) : 1);
  node.attrs = std::move(a).value();
  node.weights = std::move(w).value();
  return node;
}

namespace {

LayerBuilder Recurrent(ir::RecurrentCell cell) {
  return [cell](const LayerCall& call) -> Outputs {
    Result<ir::Node> node = MakeRecurrentNode(call, cell);
    if (!node.ok()) return node.error();
    std::vector<std::string> outputs = node->outputs;
    Result<std::string> out = call.Add(std::move(node).value());
    if (!out.ok()) return out.error();
    return outputs;
  };
}

Outputs Bidirectional(const LayerCall& call) {
  if (Status s = CheckInputCount(call, 1, 1); !s.ok()) return s.error();
  const nlohmann::json* layer = call.fields.Find("layer");
  if (layer == nullptr || !layer->is_object() || !layer->contains("class_name") ||
      !(*layer)["class_name"].is_string() || !layer->contains("config")) {
    return call.Fail("config field 'layer' is missing or not a layer");
  }
  const std::string inner = (*layer)["class_name"].get<std::string>();
  if (!inner.empty() && inner[0] == 'Q') return QBidirectional(call);
  Result<ir::RecurrentCell> cell = CellOf(call, inner);
  if (!cell.ok()) return cell.error();
  ir::BidirectionalAttrs a;
  Result<ir::RecurrentAttrs> forward = MakeRecurrentAttrs(call, *cell, (*layer)["config"]);
  if (!forward.ok()) return forward.error();
  a.forward = *forward;
  a.backward = *forward;
  a.backward.go_backwards = !forward->go_backwards;
  if (const nlohmann::json* back = call.fields.Find("backward_layer"); back != nullptr) {
    if (!back->is_object() || !back->contains("config") || !back->contains("class_name") ||
        !(*back)["class_name"].is_string()) {
      return call.Fail("config field 'backward_layer' is not a layer");
    }
    Result<ir::RecurrentCell> back_cell = CellOf(call, (*back)["class_name"].get<std::string>());
    if (!back_cell.ok()) return back_cell.error();
    Result<ir::RecurrentAttrs> backward = MakeRecurrentAttrs(call, *back_cell, (*back)["config"]);
    if (!backward.ok()) return backward.error();
    a.backward = *backward;
  }
  if (a.forward.return_state || a.backward.return_state) {
    return call.Fail("return_state=True inside Bidirectional is not supported");
  }
  if (a.forward.return_sequences != a.backward.return_sequences) {
    return call.Fail("forward and backward layers differ in return_sequences");
  }
  const nlohmann::json* merge = call.fields.Find("merge_mode");
  std::string mode = merge == nullptr
                         ? "none"
                         : (merge->is_string() ? merge->get<std::string>() : std::string("?"));
  if (mode == "concat") {
    a.merge = ir::BidirectionalMerge::kConcat;
  } else if (mode == "sum") {
    a.merge = ir::BidirectionalMerge::kSum;
  } else if (mode == "mul") {
    a.merge = ir::BidirectionalMerge::kMul;
  } else if (mode == "ave") {
    a.merge = ir::BidirectionalMerge::kAverage;
  } else if (mode == "none") {
    a.merge = ir::BidirectionalMerge::kNone;
  } else {
    return call.Fail(fmt::format("merge_mode {} is not supported", merge->dump()));
  }
  Result<std::vector<ir::Weight>> fw =
      CellWeights(call, a.forward, "forward_layer/cell", "forward_");
  if (!fw.ok()) return fw.error();
  Result<std::vector<ir::Weight>> bw =
      CellWeights(call, a.backward, "backward_layer/cell", "backward_");
  if (!bw.ok()) return bw.error();
  ir::Node node;
  node.name = call.node_name;
  node.outputs = OutputNames(call.node_name, a.merge == ir::BidirectionalMerge::kNone ? 2 : 1);
  node.attrs = a;
  node.weights = std::move(fw).value();
  for (ir::Weight& w : *bw) node.weights.push_back(std::move(w));
  std::vector<std::string> outputs = node.outputs;
  Result<std::string> out = call.Add(std::move(node));
  if (!out.ok()) return out.error();
  return outputs;
}

}  // namespace

void RegisterRecurrentLayers(std::map<std::string, LayerBuilder>& b) {
  b["LSTM"] = Recurrent(ir::RecurrentCell::kLSTM);
  b["GRU"] = Recurrent(ir::RecurrentCell::kGRU);
  b["SimpleRNN"] = Recurrent(ir::RecurrentCell::kSimpleRNN);
  b["Bidirectional"] = Bidirectional;
}

}  // namespace fixnn::frontends::keras
