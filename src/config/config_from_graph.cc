#include "config/config_from_graph.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "config/layer_classes.h"

namespace fixnn::config {

namespace {

bool SameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// The LayerType key hls4ml's config_from_keras_model writes: the Keras class, except where
// its converter renames an Activation layer by function.
std::string TypeKey(const ir::Node& node) {
  const std::string cls = Hls4mlClassName(node);
  if (node.source.empty()) return cls;
  if (Hls4mlClassOf(node.source) == "Activation" && cls != "Activation") {
    if (cls == "ParametrizedActivation") {
      switch (node.as<ir::ActivationAttrs>().fn) {
        case ir::ActivationFn::kELU:
          return "ELU";
        case ir::ActivationFn::kLeakyReLU:
          return "LeakyReLU";
        default:
          return "ThresholdedReLU";
      }
    }
    return cls;
  }
  return node.source;
}

// DefaultLayerEntry for the node's class, with the quantizers' types.
LayerConfig EntryFor(const ir::Node& node, int64_t reuse_factor) {
  LayerConfig entry = DefaultLayerEntry(Hls4mlClassName(node), reuse_factor);
  for (const ir::Weight& w : node.weights) {
    if (w.quantizer.has_value()) {
      entry.precision[PrecisionKeyForWeight(node, w.name)] = PrecisionSpec::Of(w.quantizer->type);
    }
  }
  if (node.output_quantizer.has_value()) {
    entry.precision["result"] = PrecisionSpec::Of(node.output_quantizer->type);
  }
  if (node.is<ir::RecurrentAttrs>() && entry.direction.has_value()) {
    entry.direction = node.as<ir::RecurrentAttrs>().go_backwards ? RecurrentDirection::kBackward
                                                                 : RecurrentDirection::kForward;
  }
  return entry;
}

Result<PrecisionSpec> ExplicitType(std::string_view text, std::string_view what) {
  Result<PrecisionSpec> spec = ParsePrecisionSpec(text);
  if (!spec.ok()) return spec.error().WithContext(std::string(what));
  if (spec->is_auto()) {
    return Error(
        fmt::format("{}: 'auto' is not allowed; give an explicit type such as "
                    "fixed<16,6>",
                    what));
  }
  return spec;
}

}  // namespace

Result<HlsConfig> ConfigFromGraph(const ir::Graph& graph, Granularity granularity,
                                  std::string_view default_precision, int64_t default_reuse_factor,
                                  std::string_view max_precision) {
  Result<PrecisionSpec> def = ExplicitType(default_precision, "default precision");
  if (!def.ok()) return def.error();
  if (default_reuse_factor < 1) {
    return Error(
        fmt::format("default reuse factor: must be at least 1, found {}", default_reuse_factor));
  }
  HlsConfig config;
  config.model.precision["default"] = *def;
  if (!max_precision.empty()) {
    Result<PrecisionSpec> max = ExplicitType(max_precision, "maximum precision");
    if (!max.ok()) return max.error();
    config.model.precision["maximum"] = *max;
  }
  config.model.reuse_factor = default_reuse_factor;
  config.model.strategy = Strategy::kLatency;
  config.model.bram_factor = 1'000'000'000;
  config.options.trace_output = false;

  for (const ir::Node& node : graph.nodes()) {
    if (granularity == Granularity::kType) {
      const std::string key = TypeKey(node);
      const bool seen = std::any_of(config.by_type.begin(), config.by_type.end(),
                                    [&](const auto& e) { return SameName(e.first, key); });
      if (!seen) config.by_type.emplace(key, EntryFor(node, default_reuse_factor));
    } else if (granularity == Granularity::kName) {
      config.by_name.emplace(node.name, EntryFor(node, default_reuse_factor));
    }
  }
  return config;
}

}  // namespace fixnn::config
