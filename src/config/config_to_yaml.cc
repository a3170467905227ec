#include "config/config_to_yaml.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cctype>

namespace fixnn::config {

namespace {

// Strings YAML would read as something else (null, a boolean) or lose (outer spaces) are
// quoted; yaml-cpp quotes the rest as needed.
void EmitString(YAML::Emitter& out, std::string_view s) {
  static constexpr std::string_view kSpecial[] = {"",   "~",  "null", "true", "false", "yes",
                                                  "no", "on", "off",  "y",    "n"};
  std::string lower(s);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool quote = !s.empty() && (std::isspace(static_cast<unsigned char>(s.front())) ||
                              std::isspace(static_cast<unsigned char>(s.back())));
  for (std::string_view special : kSpecial) quote = quote || lower == special;
  if (quote) out << YAML::DoubleQuoted;
  out << std::string(s);
}

void EmitValue(YAML::Emitter& out, int64_t v) { out << v; }
void EmitValue(YAML::Emitter& out, bool v) { out << (v ? "true" : "false"); }
template <typename E>
void EmitValue(YAML::Emitter& out, E v) {
  out << std::string(ToString(v));
}

void EmitPrecision(YAML::Emitter& out, const std::map<std::string, PrecisionSpec>& precision) {
  if (precision.empty()) return;
  out << YAML::Key << "Precision" << YAML::Value;
  if (precision.size() == 1 && precision.count("default") != 0) {
    out << precision.at("default").ToString();
    return;
  }
  out << YAML::BeginMap;
  if (auto it = precision.find("default"); it != precision.end()) {
    out << YAML::Key << "default" << YAML::Value << it->second.ToString();
  }
  for (const auto& [key, spec] : precision) {
    if (key != "default") out << YAML::Key << key << YAML::Value << spec.ToString();
  }
  out << YAML::EndMap;
}

void EmitEntry(YAML::Emitter& out, const LayerConfig& c, const ModelOptions* options) {
  out << YAML::BeginMap;
  EmitPrecision(out, c.precision);
#define FIXNN_CONFIG_EMIT(key, member, type, check) \
  if (c.member.has_value()) {                       \
    out << YAML::Key << #key << YAML::Value;        \
    EmitValue(out, *c.member);                      \
  }
  FIXNN_CONFIG_LAYER_FIELDS(FIXNN_CONFIG_EMIT)
#undef FIXNN_CONFIG_EMIT
  if (options != nullptr) {
#define FIXNN_CONFIG_EMIT(key, member, type, check) \
  if (options->member.has_value()) {                \
    out << YAML::Key << #key << YAML::Value;        \
    EmitValue(out, *options->member);               \
  }
    FIXNN_CONFIG_MODEL_OPTIONS(FIXNN_CONFIG_EMIT)
#undef FIXNN_CONFIG_EMIT
  }
  out << YAML::EndMap;
}

void EmitList(YAML::Emitter& out, std::string_view key,
              const std::optional<std::vector<std::string>>& list) {
  if (!list.has_value()) return;
  out << YAML::Key << std::string(key) << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const std::string& s : *list) EmitString(out, s);
  out << YAML::EndSeq;
}

void EmitHls(YAML::Emitter& out, const HlsConfig& c) {
  out << YAML::BeginMap;
  out << YAML::Key << "Model" << YAML::Value;
  EmitEntry(out, c.model, &c.options);
  for (const auto& [section, entries] :
       {std::pair{"LayerType", &c.by_type}, std::pair{"LayerName", &c.by_name}}) {
    if (entries->empty()) continue;
    out << YAML::Key << section << YAML::Value << YAML::BeginMap;
    for (const auto& [name, entry] : *entries) {
      out << YAML::Key;
      EmitString(out, name);
      out << YAML::Value;
      EmitEntry(out, entry, nullptr);
    }
    out << YAML::EndMap;
  }
  EmitList(out, "Flows", c.flows);
  EmitList(out, "Optimizers", c.optimizers);
  EmitList(out, "SkipOptimizers", c.skip_optimizers);
  out << YAML::EndMap;
}

void EmitKeyString(YAML::Emitter& out, std::string_view key, const std::string& value,
                   bool even_if_empty = false) {
  if (value.empty() && !even_if_empty) return;
  out << YAML::Key << std::string(key) << YAML::Value;
  EmitString(out, value);
}

void EmitKeyString(YAML::Emitter& out, std::string_view key,
                   const std::optional<std::string>& value) {
  if (value.has_value()) EmitKeyString(out, key, *value, true);
}

}  // namespace

std::string ToYaml(const HlsConfig& config) {
  YAML::Emitter out;
  EmitHls(out, config);
  return std::string(out.c_str()) + "\n";
}

std::string ToYaml(const ProjectConfig& c) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  EmitKeyString(out, "KerasJson", c.keras_json);
  EmitKeyString(out, "KerasH5", c.keras_h5);
  EmitKeyString(out, "KerasModel", c.keras_model);
  EmitKeyString(out, "OnnxModel", c.onnx_model);
  EmitKeyString(out, "PytorchModel", c.pytorch_model);
  EmitKeyString(out, "InputData", c.input_data);
  EmitKeyString(out, "OutputPredictions", c.output_predictions);
  EmitKeyString(out, "OutputDir", c.output_dir, true);
  EmitKeyString(out, "ProjectName", c.project_name, true);
  EmitKeyString(out, "ProjectDir", c.project_dir);
  out << YAML::Key << "Backend" << YAML::Value << std::string(ToString(c.backend));
  EmitKeyString(out, "Part", c.part);
  EmitKeyString(out, "Board", c.board);
  out << YAML::Key << "ClockPeriod" << YAML::Value << fmt::format("{}", c.clock_period);
  EmitKeyString(out, "ClockUncertainty", c.clock_uncertainty);
  out << YAML::Key << "IOType" << YAML::Value << std::string(ToString(c.io_type));
  EmitKeyString(out, "Version", c.version);
  EmitKeyString(out, "Stamp", c.stamp);
  if (!c.input_shapes.empty()) {
    out << YAML::Key << "InputShape" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const std::vector<int64_t>& shape : c.input_shapes) {
      out << YAML::Flow << YAML::BeginSeq;
      for (int64_t d : shape) out << d;
      out << YAML::EndSeq;
    }
    out << YAML::EndSeq;
  }
  if (c.writer != WriterConfig{}) {
    out << YAML::Key << "WriterConfig" << YAML::Value << YAML::BeginMap;
    EmitKeyString(out, "Namespace", c.writer.namespace_name);
    for (const auto& [key, flag] :
         {std::pair{"WriteWeightsTxt", &c.writer.write_weights_txt},
          std::pair{"WriteTar", &c.writer.write_tar},
          std::pair{"WriteEmulationConstants", &c.writer.write_emulation_constants}}) {
      if (flag->has_value()) {
        out << YAML::Key << key << YAML::Value;
        EmitValue(out, **flag);
      }
    }
    EmitKeyString(out, "TBOutputStream", c.writer.tb_output_stream);
    out << YAML::EndMap;
  }
  if (c.accelerator.has_value()) {
    const AcceleratorConfig& a = *c.accelerator;
    out << YAML::Key << "AcceleratorConfig" << YAML::Value << YAML::BeginMap;
    EmitKeyString(out, "Board", a.board);
    EmitKeyString(out, "Interface", a.interface);
    EmitKeyString(out, "Driver", a.driver);
    EmitKeyString(out, "Platform", a.platform);
    if (a.input_precision.has_value() || a.output_precision.has_value()) {
      out << YAML::Key << "Precision" << YAML::Value << YAML::BeginMap;
      EmitKeyString(out, "Input", a.input_precision);
      EmitKeyString(out, "Output", a.output_precision);
      out << YAML::EndMap;
    }
    out << YAML::EndMap;
  }
  for (const auto& [key, value] : c.backend_options) EmitKeyString(out, key, value, true);
  out << YAML::Key << "HLSConfig" << YAML::Value;
  EmitHls(out, c.hls);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace fixnn::config
