#include "tools/fixnn/predict_command.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>

#include "config/config_from_graph.h"
#include "emulator/emulator.h"
#include "io/npy.h"
#include "passes/configure.h"
#include "tools/fixnn/exit_codes.h"
#include "tools/fixnn/model_loading.h"

namespace fixnn::cli {
namespace {

namespace fs = std::filesystem;

struct PredictOptions {
  std::string model;
  std::string weights;
  std::string config;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  int threads = 0;
  bool overflow = false;
  bool force = false;
  bool hls4ml = false;
};

Result<ir::Graph> ConfiguredModel(const PredictOptions& opt) {
  Result<LoadedModel> loaded = LoadConfiguredModel(opt.model, opt.weights, opt.config, opt.hls4ml);
  if (!loaded.ok()) return loaded.error();
  return std::move(loaded->graph);
}

// The inputs as the graph's inputs in order: [N, shape...] or, for one sample, [shape...].
Result<std::vector<emulator::Batch>> ReadInputs(const PredictOptions& opt, const ir::Graph& g) {
  if (opt.inputs.size() != g.inputs().size()) {
    return Error(fmt::format("the model has {} input(s) ({}); give one -i file for each, in order",
                             g.inputs().size(), fmt::join(g.inputs(), ", ")));
  }
  std::vector<emulator::Batch> batches;
  for (size_t i = 0; i < opt.inputs.size(); ++i) {
    Result<io::Array> a = io::ReadNpy(opt.inputs[i]);
    if (!a.ok()) return a.error();
    const ir::Shape& shape = g.FindTensor(g.inputs()[i])->shape;
    emulator::Batch b;
    b.shape = a->shape;
    if (b.shape == shape) b.shape.insert(b.shape.begin(), 1);  // a single sample
    const ir::Shape per_sample(b.shape.begin() + (b.shape.empty() ? 0 : 1), b.shape.end());
    if (b.shape.empty() || per_sample != shape) {
      return Error(fmt::format("{}: shape {} does not hold samples of input '{}', shape {}",
                               opt.inputs[i], io::ShapeToString(a->shape), g.inputs()[i],
                               ir::ToString(shape)));
    }
    const int64_t per = ir::NumElements(shape);
    for (size_t k = 0; k < a->values.size(); ++k) {
      if (!std::isfinite(a->values[k])) {
        return Error(fmt::format("{}: sample {}, element {}: {} is not a number fixnn can convert",
                                 opt.inputs[i], static_cast<int64_t>(k) / per,
                                 static_cast<int64_t>(k) % per, a->values[k]));
      }
    }
    b.values = std::move(a->values);
    batches.push_back(std::move(b));
  }
  return batches;
}

int Fail(const std::string& message) {
  std::cerr << "fixnn predict: " << message << "\n";
  return kExitUserError;
}

int RunPredict(const PredictOptions& opt) {
  if (opt.outputs.empty() && !opt.overflow) {
    return Fail("nothing to do: give -o for the outputs and/or --overflow for the report");
  }
  // Refuse to replace files before doing any work.
  for (const std::string& out : opt.outputs) {
    if (fs::exists(out) && !opt.force) {
      return Fail(fmt::format("{}: the file exists; use --force to replace it", out));
    }
  }
  Result<ir::Graph> graph = ConfiguredModel(opt);
  if (!graph.ok()) return Fail(graph.error().message());
  if (!opt.outputs.empty() && opt.outputs.size() != graph->outputs().size()) {
    return Fail(fmt::format("the model has {} output(s) ({}); give one -o file for each, in order",
                            graph->outputs().size(), fmt::join(graph->outputs(), ", ")));
  }
  Result<std::vector<emulator::Batch>> inputs = ReadInputs(opt, *graph);
  if (!inputs.ok()) return Fail(inputs.error().message());

  emulator::EmulatorOptions options;
  options.threads = opt.threads;
  Result<emulator::Emulator> emu = emulator::Emulator::Create(*graph, options);
  if (!emu.ok()) return Fail(emu.error().message());

  const auto start = std::chrono::steady_clock::now();
  emulator::OverflowReport overflows;
  Result<std::vector<emulator::Batch>> outputs = emu->Run(*inputs, nullptr, &overflows);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!outputs.ok()) return Fail(outputs.error().message());
  const int64_t samples = inputs->at(0).shape.at(0);
  std::cerr << fmt::format("predicted {} samples in {:.4f} s ({:.0f} samples/s, {} threads)\n",
                           samples, seconds, seconds > 0 ? samples / seconds : 0.0,
                           emu->threads_for(samples));

  for (size_t o = 0; o < opt.outputs.size(); ++o) {
    io::Array a{(*outputs)[o].shape, std::move((*outputs)[o].values)};
    Result<std::string> bytes = io::EncodeNpy(a, io::NpyDtype::kFloat64);
    if (!bytes.ok()) return Fail(bytes.error().message());
    if (Status s = WriteFileAtomically(opt.outputs[o], *bytes, opt.force); !s.ok()) {
      return Fail(s.error().message());
    }
  }
  if (opt.overflow) {
    const emulator::OverflowReport& setup = emu->setup_overflows();
    std::cout << fmt::format("values out of range while storing weights and tables: {}\n",
                             setup.total());
    if (setup.total() > 0) std::cout << setup.ToString();
    std::cout << fmt::format("values out of range in the run ({} samples): {}\n", samples,
                             overflows.total());
    if (overflows.total() > 0) std::cout << overflows.ToString();
  }
  return kExitOk;
}

}  // namespace

void AddPredictCommand(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<PredictOptions>();
  CLI::App* cmd = app.add_subcommand(
      "predict", "Bit-exact fixed-point outputs of a model on .npy inputs (the emulator)");
  cmd->add_option("MODEL", opt->model, "Model file (.keras, .h5, .json) or a project .yml")
      ->required();
  cmd->add_option("-w,--weights", opt->weights, "Weights file for a JSON architecture");
  cmd->add_option("-c,--config", opt->config,
                  "hls4ml-style configuration (default: every type 'auto', as hls4ml's "
                  "config_from_keras_model with granularity 'name')");
  cmd->add_option("-i,--input", opt->inputs, "Input .npy, [N, input shape...]; one per input")
      ->required();
  cmd->add_option("-o,--output", opt->outputs, "Output .npy (float64); one per output");
  cmd->add_option("-j,--threads", opt->threads, "Threads (default: one per core)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--overflow", opt->overflow,
                "Print how many values wrapped or saturated at each cast");
  cmd->add_flag("--force", opt->force, "Replace existing output files");
  cmd->add_flag("--hls4ml-compatible", opt->hls4ml,
                "Make every choice as hls4ml 1.3.0 does (its 'auto' types, BatchNorm folding, "
                "linear-activation removal, Flatten types), to get hls4ml's predict bit for "
                "bit; default: fixnn's exact choices");
  cmd->callback([opt, &exit_code] { exit_code = RunPredict(*opt); });
}

}  // namespace fixnn::cli
