#include "tools/fixnn/model_commands.h"

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "frontends/keras/keras_frontend.h"
#include "ir/print.h"
#include "tools/fixnn/exit_codes.h"

namespace fixnn::cli {
namespace {

struct ShowOptions {
  std::string model;
  std::string weights;
  bool weights_stats = false;
};

int RunShow(const ShowOptions& opt) {
  frontends::keras::KerasLoadOptions load;
  load.weights_path = opt.weights;
  Result<ir::Graph> graph = frontends::keras::LoadKerasModel(opt.model, load);
  if (!graph.ok()) {
    std::cerr << "fixnn show: " << graph.error().message() << "\n";
    return kExitUserError;
  }
  ir::PrintOptions print;
  print.weights = opt.weights_stats;
  std::cout << ir::ToText(*graph, print);
  return kExitOk;
}

}  // namespace

void AddModelCommands(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<ShowOptions>();
  CLI::App* show = app.add_subcommand("show", "Read a model and print fixnn's graph of it");
  show->add_option("MODEL", opt->model,
                   "Model file: .keras, .h5 (full model) or .json architecture")
      ->required();
  show->add_option("-w,--weights", opt->weights,
                   "Weights file for a JSON architecture (default: found beside it)");
  show->add_flag("--weight-stats", opt->weights_stats, "Print min/max/zeros of every weight");
  show->callback([opt, &exit_code] { exit_code = RunShow(*opt); });

  CLI::App* layers = app.add_subcommand("layers", "List the Keras layers fixnn reads");
  layers->callback([&exit_code] {
    for (const std::string& name : frontends::keras::SupportedKerasLayers()) {
      std::cout << name << "\n";
    }
    exit_code = kExitOk;
  });
}

}  // namespace fixnn::cli
