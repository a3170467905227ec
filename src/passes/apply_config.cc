#include "passes/apply_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include "config/layer_classes.h"
#include "passes/layer_types.h"
#include "passes/split_qkeras_alpha.h"

namespace fixnn::passes {

using config::PrecisionSpec;
using fixed::FixedType;

namespace {

bool SameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// "config.yml:3: " where the key was written, or "" for a configuration built in code.
std::string ModelKeyWhere(const config::HlsConfig& c, const std::string& key) {
  const std::string pos = c.model.key_pos.Find("Precision." + key, c.model.pos).ToString();
  return pos.empty() ? "" : pos + ": ";
}

// HLSConfig.Model.Precision.default, or hls4ml's fixed<16,6> when the Model sets none.
Result<FixedType> ModelDefault(const config::HlsConfig& c) {
  auto it = c.model.precision.find("default");
  if (it == c.model.precision.end()) return FixedType::Fixed(16, 6);
  if (it->second.is_auto()) {
    return Error(fmt::format(
        "{}HLSConfig.Model.Precision.default: 'auto' cannot be the model default (it is what "
        "'auto' falls back to); give a type such as fixed<16,6>",
        ModelKeyWhere(c, "default")));
  }
  return *it->second.type;
}

Result<std::optional<FixedType>> ModelMaximum(const config::HlsConfig& c) {
  auto it = c.model.precision.find("maximum");
  if (it == c.model.precision.end()) return std::optional<FixedType>();
  if (it->second.is_auto()) {
    return Error(fmt::format(
        "{}HLSConfig.Model.Precision.maximum: 'auto' is not a bound; give a type such as "
        "fixed<32,16>",
        ModelKeyWhere(c, "maximum")));
  }
  return std::optional<FixedType>(*it->second.type);
}

// The configuration entry behind an applied level ("LayerName.fc1", "LayerType.Dense",
// "Model"), matched ignoring case as Resolve matches it.
const config::LayerConfig* LevelEntry(const config::HlsConfig& c, const std::string& level) {
  if (level == "Model") return &c.model;
  auto find = [&](const std::map<std::string, config::LayerConfig>& entries,
                  std::string_view name) -> const config::LayerConfig* {
    for (const auto& [key, entry] : entries) {
      if (SameName(key, name)) return &entry;
    }
    return nullptr;
  };
  constexpr std::string_view kName = "LayerName.", kType = "LayerType.";
  if (level.rfind(kName, 0) == 0)
    return find(c.by_name, std::string_view(level).substr(kName.size()));
  if (level.rfind(kType, 0) == 0)
    return find(c.by_type, std::string_view(level).substr(kType.size()));
  return nullptr;
}

// The most specific applied entry that names `key` itself (level defaults do not count).
std::optional<PrecisionSpec> NamedSpec(const config::HlsConfig& c,
                                       const config::ResolvedLayerConfig& r,
                                       const std::string& key) {
  for (const std::string& level : r.applied) {
    const config::LayerConfig* entry = LevelEntry(c, level);
    if (entry == nullptr) continue;
    auto it = entry->precision.find(key);
    if (it != entry->precision.end()) return it->second;
  }
  return std::nullopt;
}

void MarkAuto(ir::LayerSettings& s, const std::string& key) {
  if (!s.IsAuto(key)) s.auto_precisions.push_back(key);
}

ir::Precision QuantizerPrecision(const ir::Quantizer& q) {
  ir::Precision p;
  if (q.per_element) {
    p.per_element = q.per_element;
  } else {
    p.type = q.type;
  }
  return p;
}

ir::Strategy ToIr(config::Strategy s) {
  switch (s) {
    case config::Strategy::kLatency:
      return ir::Strategy::kLatency;
    case config::Strategy::kResource:
      return ir::Strategy::kResource;
    case config::Strategy::kResourceUnrolled:
      return ir::Strategy::kResourceUnrolled;
    case config::Strategy::kDistributedArithmetic:
      return ir::Strategy::kDistributedArithmetic;
  }
  return ir::Strategy::kLatency;
}

bool IsSoftmax(const ir::Node& node) {
  return node.is<ir::ActivationAttrs>() &&
         node.as<ir::ActivationAttrs>().fn == ir::ActivationFn::kSoftmax;
}

Status ApplySettings(const ir::Node& node, const config::ResolvedLayerConfig& r,
                     bool hls4ml_recurrent_reuse, ir::LayerSettings& s) {
  const config::LayerConfig& m = r.merged;
  const int64_t rf = r.reuse_factor();
  s.reuse_factor = rf;
  s.recurrent_reuse_factor = m.recurrent_reuse_factor.value_or(rf);
  if (node.is<ir::BidirectionalAttrs>()) {
    s.reuse_factor = m.forward_reuse_factor.value_or(rf);
    s.recurrent_reuse_factor =
        m.forward_recurrent_reuse_factor.value_or(m.recurrent_reuse_factor.value_or(rf));
    s.backward_reuse_factor = m.backward_reuse_factor.value_or(rf);
    s.backward_recurrent_reuse_factor =
        m.backward_recurrent_reuse_factor.value_or(m.recurrent_reuse_factor.value_or(rf));
  }
  if (hls4ml_recurrent_reuse &&
      (node.is<ir::RecurrentAttrs>() || node.is<ir::BidirectionalAttrs>())) {
    s.reuse_factor = s.recurrent_reuse_factor = rf;
    s.backward_reuse_factor = s.backward_recurrent_reuse_factor = rf;
  }
  s.depthwise_reuse_factor = m.depthwise_reuse_factor.value_or(rf);
  s.pointwise_reuse_factor = m.pointwise_reuse_factor.value_or(rf);
  s.strategy = ToIr(r.strategy());
  s.table_size = r.table_size();
  s.trace = r.trace();
  s.static_state = m.recurrent_static.value_or(true);
  if (IsSoftmax(node)) {
    switch (r.implementation()) {
      case config::Implementation::kStable:
        s.softmax_implementation = ir::SoftmaxImplementation::kStable;
        break;
      case config::Implementation::kLatency:
        s.softmax_implementation = ir::SoftmaxImplementation::kLatency;
        break;
      case config::Implementation::kArgmax:
        s.softmax_implementation = ir::SoftmaxImplementation::kArgmax;
        break;
      case config::Implementation::kLegacy:
        s.softmax_implementation = ir::SoftmaxImplementation::kLegacy;
        break;
      default:
        return Error(fmt::format(
            "{}: layer '{}': Implementation '{}' is not a Softmax implementation; use one of "
            "latency, stable, argmax, legacy",
            r.Where("Implementation").ToString(), node.name, ToString(r.implementation())));
    }
  }
  return Status::Ok();
}

// The weight whose quantizer stands for internal type `key` when the configuration does not
// name it: the bias quantizer quantizes the whole bias, recurrent half included.
const ir::Weight* RecurrentBiasWeight(const ir::Node& node, const std::string& key) {
  if (key == "recurrent_bias") return node.FindWeight("bias");
  if (key == "forward_recurrent_bias") return node.FindWeight("forward_bias");
  if (key == "backward_recurrent_bias") return node.FindWeight("backward_bias");
  return nullptr;
}

const ir::Quantizer* StateQuantizer(const ir::Node& node) {
  if (node.is<ir::RecurrentAttrs>()) {
    const auto& q = node.as<ir::RecurrentAttrs>().state_quantizer;
    return q ? &*q : nullptr;
  }
  if (node.is<ir::BidirectionalAttrs>()) {
    const auto& q = node.as<ir::BidirectionalAttrs>().forward.state_quantizer;
    return q ? &*q : nullptr;
  }
  return nullptr;
}

Status ConfigureNode(ir::Graph& graph, ir::Node& node, const config::HlsConfig& config,
                     const FixedType& model_default, const std::optional<FixedType>& maximum,
                     bool hls4ml_recurrent_reuse) {
  const config::ResolvedLayerConfig r = config::Resolve(config, node);
  ir::LayerSettings s;
  s.auto_fallback = model_default;
  s.auto_maximum = maximum;
  if (Status st = ApplySettings(node, r, hls4ml_recurrent_reuse, s); !st.ok()) return st;

  // Result: every output tensor (recurrent layers' state outputs too, as in hls4ml).
  std::optional<FixedType> result = r.Precision("result").spec.type;
  if (!result && node.kind() == ir::OpKind::kInput) result = model_default;
  for (const std::string& out : node.outputs) {
    ir::Tensor* t = graph.FindTensor(out);
    if (t == nullptr) continue;
    t->precision = {};
    if (result) t->precision.type = *result;
  }
  if (!result) MarkAuto(s, "result");

  // Weights.
  const bool recurrent = node.is<ir::RecurrentAttrs>() || node.is<ir::BidirectionalAttrs>();
  for (ir::Weight& w : node.weights) {
    w.precision = {};
    if (!IsStoredWeight(node, w)) {
      if (w.quantizer) w.precision = QuantizerPrecision(*w.quantizer);
      continue;
    }
    const std::string key = config::PrecisionKeyForWeight(node, w.name);
    if (w.quantizer) {
      const std::optional<PrecisionSpec> named = NamedSpec(config, r, key);
      if (!recurrent || !named || named->is_auto()) {
        w.precision = QuantizerPrecision(*w.quantizer);
        continue;
      }
    }
    const PrecisionSpec& spec = r.Precision(key).spec;
    if (spec.type) {
      w.precision.type = *spec.type;
    } else {
      MarkAuto(s, key);
    }
  }

  // Internal types.
  node.types.clear();
  for (const InternalType& it : InternalTypes(node)) {
    const std::optional<PrecisionSpec> named = NamedSpec(config, r, it.key);
    if (it.key == "state") {
      const ir::Quantizer* q = StateQuantizer(node);
      if (named && named->type) {
        node.types[it.key] = *named->type;
      } else if (!named && q != nullptr) {
        // Holding the state in the quantizer's type computes the quantizer for a plain
        // quantized_bits (a cast with its rounding and saturation) and for QKeras' binary sign
        // (a cast that keeps the sign, then +-1: LayerSettings::binary_state).
        const bool sign = q->kind == ir::QuantizerKind::kBinary && !q->binary_use_01 &&
                          !q->has_scale() && !q->per_element && q->alpha == ir::AlphaKind::kNone;
        if (!sign && (q->kind != ir::QuantizerKind::kFixed || q->has_scale() || q->per_element)) {
          return Error(fmt::format(
              "layer '{}': state_quantizer '{}' is neither a plain fixed-point quantizer nor "
              "a binary sign without alpha: fixnn holds the state in a fixed-point type and "
              "cannot compute it; name the state precision in the configuration to choose "
              "that type",
              node.name, q->spelling));
        }
        s.binary_state = sign;
        node.types[it.key] =
            sign ? FixedType::Fixed(2, 2, fixed::Rounding::kTrn, fixed::Overflow::kSat) : q->type;
      } else if (!named && result) {
        node.types[it.key] = *result;
      } else {
        MarkAuto(s, it.key);  // inferred as the result type
      }
      continue;
    }
    if (it.unnamed_default) {
      if (!named) {
        node.types[it.key] = *it.unnamed_default;
      } else if (named->type) {
        node.types[it.key] = *named->type;
      } else {
        MarkAuto(s, it.key);
      }
      continue;
    }
    if (const ir::Weight* bias = RecurrentBiasWeight(node, it.key);
        bias != nullptr && bias->quantizer && (!named || named->is_auto())) {
      node.types[it.key] = bias->quantizer->type;
      continue;
    }
    const PrecisionSpec& spec = r.Precision(it.key).spec;
    if (spec.type) {
      node.types[it.key] = *spec.type;
    } else {
      MarkAuto(s, it.key);
    }
  }
  node.settings = std::move(s);
  return Status::Ok();
}

bool IsApplyAlpha(const ir::Node& node) {
  return node.is<ir::ScaleAttrs>() && node.source == kApplyAlphaSource;
}

// hls4ml's qkeras_factorize_alpha gives "<layer>_alpha" the name entry {Precision: auto},
// replacing whatever the configuration said about it, except that the per-key Precision
// entries of a LayerName entry for it (parsed before) still win; a weight with a quantizer is
// in the quantizer's type; ReuseFactor and Trace are the split layer's.
void ConfigureApplyAlpha(ir::Graph& graph, ir::Node& node, const config::HlsConfig& config) {
  const config::LayerConfig* entry = LevelEntry(config, "LayerName." + node.name);
  auto named = [&](const std::string& key) -> std::optional<FixedType> {
    if (entry == nullptr) return std::nullopt;
    auto it = entry->precision.find(key);
    if (it == entry->precision.end()) return std::nullopt;
    return it->second.type;
  };
  ir::LayerSettings& s = node.settings;
  s.auto_precisions.clear();
  for (ir::Weight& w : node.weights) {
    w.precision = {};
    if (w.quantizer) {
      w.precision = QuantizerPrecision(*w.quantizer);
    } else if (std::optional<FixedType> t = named(w.name)) {
      w.precision.type = *t;
    } else {
      MarkAuto(s, w.name);
    }
  }
  const std::optional<FixedType> result = named("result");
  for (const std::string& out : node.outputs) {
    if (ir::Tensor* t = graph.FindTensor(out); t != nullptr) {
      t->precision = {};
      if (result) t->precision.type = *result;
    }
  }
  if (!result) MarkAuto(s, "result");
  if (const ir::Node* layer = node.inputs.empty() ? nullptr : graph.Producer(node.inputs[0])) {
    s.reuse_factor = layer->settings.reuse_factor;
    s.trace = layer->settings.trace;
  }
}

}  // namespace

Status ApplyConfig(ir::Graph& graph, const config::HlsConfig& config, bool hls4ml_recurrent_reuse) {
  Result<FixedType> model_default = ModelDefault(config);
  if (!model_default.ok()) return model_default.error();
  Result<std::optional<FixedType>> maximum = ModelMaximum(config);
  if (!maximum.ok()) return maximum.error();
  for (ir::Node& node : graph.nodes()) {
    if (Status s =
            ConfigureNode(graph, node, config, *model_default, *maximum, hls4ml_recurrent_reuse);
        !s.ok()) {
      return s;
    }
    if (IsApplyAlpha(node)) ConfigureApplyAlpha(graph, node, config);
  }
  return Status::Ok();
}

}  // namespace fixnn::passes
