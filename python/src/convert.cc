#include "convert.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <regex>

#include "config/config_from_graph.h"
#include "config/config_to_yaml.h"
#include "errors.h"
#include "fixed/fixed_type.h"
#include "frontends/keras/keras_frontend.h"
#include "passes/configure.h"
#include "tools/fixnn/model_loading.h"

namespace fixnn::python {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
  return s;
}

config::IOType ParseIOType(const std::string& text) {
  for (config::IOType v : {config::IOType::kParallel, config::IOType::kStream}) {
    if (Lower(text) == Lower(std::string(config::ToString(v)))) return v;
  }
  Raise(Error(fmt::format("io_type '{}': expected io_parallel or io_stream", text)));
}

config::Backend ParseBackend(const std::string& text) {
  using B = config::Backend;
  std::vector<std::string> names;
  for (B v : {B::kVivado, B::kVivadoAccelerator, B::kVitis, B::kQuartus, B::kCatapult,
              B::kSymbolicExpression, B::kOneAPI, B::kLibero}) {
    if (Lower(text) == Lower(std::string(config::ToString(v)))) return v;
    names.emplace_back(config::ToString(v));
  }
  Raise(Error(fmt::format("backend '{}': expected one of {}", text, fmt::join(names, ", "))));
}

passes::ConfigureOptions Options(bool hls4ml_compatible, const config::ProjectConfig& project) {
  passes::ConfigureOptions options =
      hls4ml_compatible ? passes::ConfigureOptions::Hls4ml() : passes::ConfigureOptions();
  options.reuse.io_stream = project.io_type == config::IOType::kStream;
  return options;
}

// A YAML scalar as the Python value hls4ml's dict holds: bool, int, float, None or str;
// precisions (under a Precision key) in hls4ml's spelling.
nb::object Scalar(const YAML::Node& node, bool precision) {
  const std::string& s = node.Scalar();
  if (node.Tag() != "!") {  // not quoted
    if (s == "true" || s == "True") return nb::bool_(true);
    if (s == "false" || s == "False") return nb::bool_(false);
    if (s == "null" || s == "~") return nb::none();
    static const std::regex kInt("[-+]?[0-9]+");
    static const std::regex kFloat("[-+]?([0-9]+\\.[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");
    if (std::regex_match(s, kInt)) return nb::int_(std::stoll(s));
    if (std::regex_match(s, kFloat)) return nb::float_(std::stod(s));
  }
  if (precision) {
    Result<fixed::FixedType> t = fixed::ParseFixedType(s);
    if (t.ok()) return nb::str(t->ToHls4mlString().c_str());
  }
  return nb::str(s.c_str());
}

nb::object ToPython(const YAML::Node& node, bool precision) {
  if (node.IsMap()) {
    nb::dict d;
    for (const auto& kv : node) {
      const std::string key = kv.first.Scalar();
      d[key.c_str()] = ToPython(kv.second, precision || key == "Precision");
    }
    return d;
  }
  if (node.IsSequence()) {
    nb::list l;
    for (const auto& item : node) l.append(ToPython(item, precision));
    return l;
  }
  if (node.IsScalar()) return Scalar(node, precision);
  return nb::none();
}

// An error in the HLSConfig dict: positions in the JSON text it was passed as mean nothing to
// the user, so "hls_config:1: HLSConfig.Model: ..." becomes "hls_config: HLSConfig.Model: ...".
[[noreturn]] void RaiseConfigError(const Error& error) {
  static const std::regex kPosition("hls_config:[0-9]+: ");
  std::string message = std::regex_replace(error.message(), kPosition, "hls_config: ");
  if (message.rfind("hls_config", 0) != 0) message = "hls_config: " + message;
  Raise(Error(message));
}

config::Granularity ParseGranularity(const std::string& text) {
  if (text == "model") return config::Granularity::kModel;
  if (text == "type") return config::Granularity::kType;
  if (text == "name") return config::Granularity::kName;
  Raise(Error(fmt::format("granularity '{}': expected 'model', 'type' or 'name'", text)));
}

}  // namespace

Model LoadModel(const LoadArgs& args) {
  config::ProjectConfig project;
  project.output_dir = args.output_dir;
  project.project_name = args.project_name;
  project.part = args.part;
  if (!(args.clock_period > 0)) {
    Raise(
        Error(fmt::format("clock_period {}: expected a positive number of ns", args.clock_period)));
  }
  project.clock_period = args.clock_period;
  project.io_type = ParseIOType(args.io_type);
  project.backend = ParseBackend(args.backend);
  project.keras_model = args.model;

  frontends::keras::KerasLoadOptions load;
  load.weights_path = args.weights;
  ir::Graph graph = Unwrap(frontends::keras::LoadKerasModel(args.model, load));
  const passes::ConfigureOptions options = Options(args.hls4ml_compatible, project);
  if (args.hls_config_json) {
    YAML::Node node;
    try {
      node = YAML::Load(*args.hls_config_json);
    } catch (const YAML::Exception& e) {
      Raise(Error(fmt::format("hls_config: not a mapping hls4ml reads ({})", e.what())));
    }
    Result<config::HlsConfig> hls = config::ParseHlsConfig(node, "hls_config");
    if (!hls.ok()) RaiseConfigError(hls.error());
    project.hls = std::move(hls).value();
    if (Status s = passes::Configure(graph, project.hls, options); !s.ok()) {
      RaiseConfigError(s.error());
    }
  } else {
    project.hls = Unwrap(config::ConfigFromGraph(graph, config::Granularity::kName));
    Check(passes::Configure(graph, project.hls, options));
  }
  return Model(std::move(graph), std::move(project), args.hls4ml_compatible);
}

Model LoadProject(const std::string& path, bool hls4ml_compatible) {
  // As the command line reads a project file: its model, configured with its HLSConfig.
  cli::LoadedModel loaded = Unwrap(cli::LoadConfiguredModel(path, "", "", hls4ml_compatible));
  return Model(std::move(loaded.graph), std::move(*loaded.project), hls4ml_compatible);
}

nb::object ConfigFromModel(const std::string& model, const std::string& weights,
                           const std::string& granularity, const std::string& default_precision,
                           int64_t default_reuse_factor, const std::string& max_precision) {
  const config::Granularity g = ParseGranularity(granularity);
  frontends::keras::KerasLoadOptions load;
  load.weights_path = weights;
  ir::Graph graph = Unwrap(frontends::keras::LoadKerasModel(model, load));
  config::HlsConfig hls = Unwrap(
      config::ConfigFromGraph(graph, g, default_precision, default_reuse_factor, max_precision));
  return ToPython(YAML::Load(config::ToYaml(hls)), false);
}

}  // namespace fixnn::python
