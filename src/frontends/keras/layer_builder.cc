#include "frontends/keras/layer_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "frontends/keras/activations.h"
#include "frontends/keras/qkeras_quantizers.h"

namespace fixnn::frontends::keras {

namespace {

// NaN or infinite weights have no fixed-point value; refuse them by name and position.
Status CheckFinite(const LayerCall& call, const std::vector<ir::Weight>& weights) {
  for (const ir::Weight& w : weights) {
    for (size_t i = 0; i < w.values.size(); ++i) {
      if (!std::isfinite(w.values[i])) {
        return call.Fail(fmt::format("weight '{}' holds {} at index {}", w.name, w.values[i], i));
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<ir::Weight>> LayerCall::TakeWeights(
    const std::vector<std::string>& expected, const std::string& sub,
    const std::vector<std::string>& ignore) const {
  Result<StoredWeights> stored = source.weights->Get(ref, sub);
  if (!stored.ok()) return stored.error();
  std::vector<ir::Weight> out;
  if (!stored->named) {
    const bool prefix_ok = !leave_for_later.empty() && stored->arrays.size() > expected.size();
    if (stored->arrays.size() != expected.size() && !prefix_ok) {
      return Fail(fmt::format("{} holds {} weight arrays for this layer{}, expected {} ({})",
                              source.weights->file_name(), stored->arrays.size(),
                              sub.empty() ? "" : " (" + sub + ")", expected.size(),
                              fmt::join(expected, ", ")));
    }
    for (size_t i = 0; i < expected.size(); ++i) {
      ir::Weight w;
      w.name = expected[i].substr(0, expected[i].find('|'));
      w.shape = stored->arrays[i].shape;
      w.values = std::move(stored->arrays[i].values);
      out.push_back(std::move(w));
    }
    if (Status s = CheckFinite(*this, out); !s.ok()) return s.error();
    return out;
  }
  std::vector<bool> used(stored->names.size(), false);
  for (const std::string& spec : expected) {
    // "depthwise_kernel|kernel": the IR name, then other names versions of Keras store.
    std::vector<std::string> aliases;
    for (size_t start = 0;;) {
      size_t bar = spec.find('|', start);
      aliases.push_back(spec.substr(start, bar - start));
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    const std::string& name = aliases.front();
    auto it = stored->names.end();
    for (const std::string& alias : aliases) {
      it = std::find(stored->names.begin(), stored->names.end(), alias);
      if (it != stored->names.end()) break;
    }
    if (it == stored->names.end()) {
      return Fail(fmt::format("weight '{}'{} is missing in {}", name,
                              sub.empty() ? "" : " (" + sub + ")", source.weights->file_name()));
    }
    size_t i = static_cast<size_t>(it - stored->names.begin());
    used[i] = true;
    ir::Weight w;
    w.name = name;
    w.shape = stored->arrays[i].shape;
    w.values = std::move(stored->arrays[i].values);
    out.push_back(std::move(w));
  }
  for (size_t i = 0; i < used.size(); ++i) {
    if (!used[i] && std::find(ignore.begin(), ignore.end(), stored->names[i]) == ignore.end() &&
        std::find(leave_for_later.begin(), leave_for_later.end(), stored->names[i]) ==
            leave_for_later.end()) {
      return Fail(fmt::format("{} holds a weight '{}' that this layer does not use",
                              source.weights->file_name(), stored->names[i]));
    }
  }
  if (Status s = CheckFinite(*this, out); !s.ok()) return s.error();
  return out;
}

Result<std::optional<ir::ActivationAttrs>> LayerCall::ActivationNamed(
    const std::string& name) const {
  bool qkeras = !class_name.empty() && class_name[0] == 'Q';
  Result<std::optional<ir::ActivationAttrs>> a =
      ActivationFromName(name, source.keras_major, qkeras);
  if (!a.ok()) return Fail(a.error().message());
  return a;
}

// QKeras computes an 'auto' alpha of an activation quantizer from each batch it sees, so no
// fixed scale reproduces it.
Status RefuseBatchAlpha(const LayerCall& call, const ir::Quantizer& q) {
  if ((q.alpha == ir::AlphaKind::kAuto || q.alpha == ir::AlphaKind::kAutoPo2) && q.scale.empty()) {
    return call.Fail(fmt::format(
        "activation quantizer {} has an 'auto' alpha, which QKeras recomputes from every "
        "batch; it has no fixed-point equivalent",
        q.spelling));
  }
  return Status::Ok();
}

Result<std::string> LayerCall::Add(ir::Node node) const {
  if (node.inputs.empty()) node.inputs = inputs;
  if (node.outputs.empty()) node.outputs = {node.name};
  if (node.source.empty()) node.source = class_name;
  std::string out = node.outputs.front();
  if (Status s = graph.AddNode(std::move(node)); !s.ok()) {
    return Error(fmt::format("{}: {}", source.file_name, s.error().message()));
  }
  return out;
}

Result<std::string> LayerCall::AddActivationField(const std::string& tensor,
                                                  const std::string& key) const {
  const nlohmann::json* spec = fields.Find(key);
  if (spec == nullptr) return tensor;
  if (IsQKerasQuantizerSpec(*spec)) {
    Result<ir::Quantizer> q = ParseQKerasQuantizer(*spec);
    if (!q.ok()) return Fail(q.error().message());
    if (Status s = RefuseBatchAlpha(*this, *q); !s.ok()) return s.error();
    ir::Node node;
    std::string kind = spec->is_string() ? spec->get<std::string>()
                                         : spec->value("class_name", std::string("quantizer"));
    kind = kind.substr(0, kind.find('('));
    node.name = names.Claim(ref.name + "_" + kind);
    node.attrs = ir::QuantizeAttrs{};
    node.inputs = {tensor};
    node.output_quantizer = std::move(q).value();
    return Add(std::move(node));
  }
  if (!spec->is_string()) {
    return Fail(fmt::format("activation {} is not supported", spec->dump()));
  }
  const std::string name = spec->get<std::string>();
  Result<std::optional<ir::ActivationAttrs>> act = ActivationNamed(name);
  if (!act.ok()) return act.error();
  // hls4ml's Keras 2 reader splits every activation written in the config, 'linear' included,
  // into "<layer>_<name as written>"; its Keras 3 reader splits the others only and names them
  // after the function (keras.activations.get resolves the aliases 'swish' and 'hard_swish').
  const bool keras2 = source.keras_major < 3;
  if (!act->has_value() && !(keras2 && name == "linear")) return tensor;
  std::string suffix = name;
  if (!keras2 && name == "swish") suffix = "silu";
  if (!keras2 && name == "hard_swish") suffix = "hard_silu";
  ir::Node node;
  node.name = names.Claim(ref.name + "_" + suffix);
  node.source = "Activation";
  node.attrs = act->has_value() ? **act : ir::ActivationAttrs{ir::ActivationFn::kLinear};
  node.inputs = {tensor};
  return Add(std::move(node));
}

Status CheckInputCount(const LayerCall& call, size_t min, size_t max) {
  if (call.inputs.size() < min || call.inputs.size() > max) {
    return call.Fail(fmt::format(
        "takes {} input(s), the model gives it {}",
        min == max ? std::to_string(min) : fmt::format("{} to {}", min, max), call.inputs.size()));
  }
  return Status::Ok();
}

Status CheckChannelsLast(const LayerCall& call) {
  Result<std::string> format = call.fields.String("data_format", "channels_last");
  if (!format.ok()) return format.error();
  if (*format != "channels_last") {
    return call.Fail(
        fmt::format("data_format '{}' is not supported (only channels_last)", *format));
  }
  return Status::Ok();
}

const std::map<std::string, LayerBuilder>& LayerBuilders() {
  static const std::map<std::string, LayerBuilder> builders = [] {
    std::map<std::string, LayerBuilder> b;
    RegisterCoreLayers(b);
    RegisterConvLayers(b);
    RegisterRecurrentLayers(b);
    RegisterQKerasLayers(b);
    return b;
  }();
  return builders;
}

const std::vector<std::string>& InferenceNoOps() {
  static const std::vector<std::string> kNoOps = {
      "Dropout",          "SpatialDropout1D",       "SpatialDropout2D",
      "SpatialDropout3D", "GaussianNoise",          "GaussianDropout",
      "AlphaDropout",     "ActivityRegularization", "Identity"};
  return kNoOps;
}

bool IsInferenceNoOp(const std::string& class_name) {
  const std::vector<std::string>& noops = InferenceNoOps();
  return std::find(noops.begin(), noops.end(), class_name) != noops.end();
}

}  // namespace fixnn::frontends::keras
