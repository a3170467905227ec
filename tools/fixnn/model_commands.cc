#include "tools/fixnn/model_commands.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "config/config_from_graph.h"
#include "config/config_to_yaml.h"
#include "config/hls_config.h"
#include "config/project_config.h"
#include "frontends/keras/keras_frontend.h"
#include "frontends/keras/keras_source.h"
#include "ir/print.h"
#include "passes/configure.h"
#include "tools/fixnn/exit_codes.h"
#include "tools/fixnn/model_loading.h"

namespace fixnn::cli {
namespace {

namespace fs = std::filesystem;

// One line per node: the settings the configuration gives it and where they came from.
std::string DescribeConfig(const ir::Graph& graph, const config::HlsConfig& hls) {
  std::string text = "configuration per layer:\n";
  for (const ir::Node& node : graph.nodes()) {
    if (node.kind() == ir::OpKind::kInput) continue;
    config::ResolvedLayerConfig r = config::Resolve(hls, node);
    std::vector<std::string> precisions;
    for (const auto& [key, p] : r.precision) {
      precisions.push_back(fmt::format("{}={}", key, p.spec.ToString()));
    }
    precisions.push_back(fmt::format("other={}", r.default_precision.spec.ToString()));
    text += fmt::format("  {:<28} {}  reuse={} strategy={}  [{}]\n", node.name,
                        fmt::join(precisions, " "), r.reuse_factor(), ToString(r.strategy()),
                        fmt::join(r.applied, " > "));
  }
  return text;
}

struct ShowOptions {
  std::string model;
  std::string weights;
  std::string config;
  bool weights_stats = false;
  bool hls4ml = false;
};

int RunShow(const ShowOptions& opt) {
  Result<LoadedModel> loaded = LoadModelArg(opt.model, opt.weights, opt.config, opt.hls4ml);
  if (!loaded.ok()) {
    std::cerr << "fixnn show: " << loaded.error().message() << "\n";
    return kExitUserError;
  }
  ir::PrintOptions print;
  print.weights = opt.weights_stats;
  std::cout << ir::ToText(loaded->graph, print);
  if (loaded->project) std::cout << DescribeConfig(loaded->graph, loaded->project->hls);
  return kExitOk;
}

struct ConfigOptions {
  std::string model;
  std::string weights;
  std::string granularity = "model";
  std::string precision = "fixed<16,6>";
  int64_t reuse = 1;
  std::string output;
  bool force = false;
};

int RunConfig(const ConfigOptions& opt) {
  Result<LoadedModel> loaded = LoadModelArg(opt.model, opt.weights, "");
  if (!loaded.ok()) {
    std::cerr << "fixnn config: " << loaded.error().message() << "\n";
    return kExitUserError;
  }
  config::Granularity g = opt.granularity == "name"   ? config::Granularity::kName
                          : opt.granularity == "type" ? config::Granularity::kType
                                                      : config::Granularity::kModel;
  Result<config::HlsConfig> hls =
      config::ConfigFromGraph(loaded->graph, g, opt.precision, opt.reuse);
  if (!hls.ok()) {
    std::cerr << "fixnn config: " << hls.error().message() << "\n";
    return kExitUserError;
  }
  config::ProjectConfig project;
  if (loaded->project) project = *loaded->project;
  if (!IsYamlPath(opt.model)) {
    fs::path model = fs::absolute(opt.model);
    if (model.extension() == ".json") {
      project.keras_json = model.string();
      std::string weights =
          opt.weights.empty() ? frontends::keras::FindWeightsBeside(model.string()) : opt.weights;
      project.keras_h5 = weights.empty() ? "" : fs::absolute(weights).string();
    } else {
      project.keras_model = model.string();
    }
  }
  project.hls = std::move(hls).value();
  std::string text = config::ToYaml(project);
  if (opt.output.empty() || opt.output == "-") {
    std::cout << text;
    return kExitOk;
  }
  if (Status s = WriteFileAtomically(opt.output, text, opt.force); !s.ok()) {
    std::cerr << "fixnn config: " << s.error().message() << "\n";
    return kExitUserError;
  }
  return kExitOk;
}

}  // namespace

void AddModelCommands(CLI::App& app, int& exit_code) {
  auto show_opt = std::make_shared<ShowOptions>();
  CLI::App* show = app.add_subcommand("show", "Read a model and print fixnn's graph of it");
  show->add_option("MODEL", show_opt->model,
                   "Model file (.keras, .h5 full model, .json architecture) or a project .yml")
      ->required();
  show->add_option("-w,--weights", show_opt->weights,
                   "Weights file for a JSON architecture (default: found beside it)");
  show->add_option("-c,--config", show_opt->config,
                   "hls4ml-style configuration: print each layer's resolved settings");
  show->add_flag("--weight-stats", show_opt->weights_stats, "Print min/max/zeros of every weight");
  show->add_flag("--hls4ml-compatible", show_opt->hls4ml,
                 "Configure as hls4ml 1.3.0 does (as fixnn predict --hls4ml-compatible)");
  show->callback([show_opt, &exit_code] { exit_code = RunShow(*show_opt); });

  auto config_opt = std::make_shared<ConfigOptions>();
  CLI::App* cfg = app.add_subcommand(
      "config", "Write an hls4ml-style configuration for a model (as config_from_keras_model)");
  cfg->add_option("MODEL", config_opt->model, "Model file or project .yml")->required();
  cfg->add_option("-w,--weights", config_opt->weights, "Weights file for a JSON architecture");
  cfg->add_option("-g,--granularity", config_opt->granularity,
                  "model: one Model entry; type: one entry per layer class; name: per layer")
      ->check(CLI::IsMember({"model", "type", "name"}));
  cfg->add_option("--precision", config_opt->precision, "Default precision (default fixed<16,6>)");
  cfg->add_option("--reuse", config_opt->reuse, "Default ReuseFactor (default 1)")
      ->check(CLI::PositiveNumber);
  cfg->add_option("-o,--output", config_opt->output, "Write to this file (default: stdout)");
  cfg->add_flag("--force", config_opt->force, "Replace an existing output file");
  cfg->callback([config_opt, &exit_code] { exit_code = RunConfig(*config_opt); });

  CLI::App* layers = app.add_subcommand("layers", "List the Keras layers fixnn reads");
  layers->callback([&exit_code] {
    for (const std::string& name : frontends::keras::SupportedKerasLayers()) {
      std::cout << name << "\n";
    }
    exit_code = kExitOk;
  });
}

}  // namespace fixnn::cli
