#include "tools/fixnn/convert_command.h"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>

#include "backends/hls/compile.h"
#include "backends/hls/project_writer.h"
#include "config/config_to_yaml.h"
#include "emulator/emulator.h"
#include "io/npy.h"
#include "tools/fixnn/array_files.h"
#include "tools/fixnn/exit_codes.h"
#include "tools/fixnn/model_loading.h"
#include "tools/fixnn/project_record.h"

namespace fixnn::cli {
namespace {

namespace fs = std::filesystem;

struct ConvertOptions {
  std::string model;
  std::string weights;
  std::string config;
  std::string output;
  std::string project_name;
  std::string part;
  double clock_period = 0;
  std::vector<std::string> tb_inputs;
  bool check = false;
  int check_samples = 1000;
  bool force = false;
  bool hls4ml = false;
  ConfigOverrides overrides;
};

int Fail(const std::string& message) {
  std::cerr << "fixnn convert: " << message << "\n";
  return kExitUserError;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// Inputs for the check when no testbench data is given: normal values of varying scale.
std::vector<emulator::Batch> RandomInputs(const ir::Graph& g, int samples) {
  std::mt19937_64 rng(20261121);
  std::normal_distribution<double> normal(0.0, 1.0);
  const double scales[] = {0.25, 1.0, 4.0, 16.0};
  std::vector<emulator::Batch> batches;
  for (const std::string& name : g.inputs()) {
    const ir::Tensor* t = g.FindTensor(name);
    emulator::Batch b;
    b.shape = t->shape;
    b.shape.insert(b.shape.begin(), samples);
    const int64_t per = ir::NumElements(t->shape);
    for (int s = 0; s < samples; ++s) {
      const double scale = scales[s % 4];
      for (int64_t k = 0; k < per; ++k) {
        double v = normal(rng) * scale;
        if (t->integer_valued) v = std::floor(std::abs(v));
        b.values.push_back(static_cast<float>(v));
      }
    }
    batches.push_back(std::move(b));
  }
  return batches;
}

int RunConvert(const ConvertOptions& opt) {
  const auto start = std::chrono::steady_clock::now();
  Result<LoadedModel> loaded =
      LoadConfiguredModel(opt.model, opt.weights, opt.config, opt.hls4ml, opt.overrides);
  if (!loaded.ok()) return Fail(loaded.error().message());
  config::ProjectConfig project = loaded->project.value_or(config::ProjectConfig{});
  if (!opt.project_name.empty()) project.project_name = opt.project_name;
  if (!opt.part.empty()) project.part = opt.part;
  if (opt.clock_period > 0) project.clock_period = opt.clock_period;
  std::string output = opt.output;
  if (output.empty()) {
    if (!IsYamlPath(opt.model) && opt.config.empty()) {
      return Fail("give the project folder with -o (or a project file naming OutputDir)");
    }
    output = project.output_dir;
  }
  const ir::Graph& graph = loaded->graph;
  Result<emulator::Emulator> emu = emulator::Emulator::Create(graph);
  if (!emu.ok()) return Fail(emu.error().message());

  backends::hls::WriteOptions write;
  write.output_dir = output;
  write.force = opt.force;
  std::vector<emulator::Batch> check_inputs;
  if (!opt.tb_inputs.empty()) {
    Result<std::vector<emulator::Batch>> tb = ReadModelInputs(opt.tb_inputs, graph);
    if (!tb.ok()) return Fail(tb.error().message());
    Result<std::vector<emulator::Batch>> tb_out = emu->Run(*tb);
    if (!tb_out.ok()) return Fail(tb_out.error().message());
    write.tb_inputs = *tb;
    write.tb_outputs = std::move(tb_out).value();
    check_inputs = std::move(tb).value();
  }
  project.output_dir = output;
  if (Status s = backends::hls::WriteHlsProject(graph, project, write); !s.ok()) {
    return Fail(s.error().message());
  }
  // The configuration and choices, so that `fixnn predict DIR` computes with the same.
  for (const auto& [name, text] :
       {std::pair{ProjectConfigFileName(), config::ToYaml(project)},
        std::pair{ProjectRecordFileName(), ProjectRecordText(project, opt.hls4ml)}}) {
    if (Status s = WriteFileAtomically((fs::path(output) / name).string(), text, true); !s.ok()) {
      return Fail(s.error().message());
    }
  }
  std::cerr << fmt::format("wrote {} ({} layers, top function {}) in {:.3f} s\n", output,
                           graph.nodes().size(), project.project_name, Seconds(start));
  if (!opt.check) return kExitOk;

  const auto build_start = std::chrono::steady_clock::now();
  Result<backends::hls::CompiledProject> compiled =
      backends::hls::CompiledProject::Build(output, project.project_name);
  if (!compiled.ok()) return Fail(compiled.error().message());
  if (check_inputs.empty()) check_inputs = RandomInputs(graph, opt.check_samples);
  Result<std::vector<emulator::Batch>> want = emu->Run(check_inputs);
  Result<std::vector<emulator::Batch>> got = compiled->Predict(check_inputs);
  if (!want.ok()) return Fail(want.error().message());
  if (!got.ok()) return Fail(got.error().message());
  int64_t values = 0, mismatches = 0;
  for (size_t o = 0; o < want->size(); ++o) {
    const std::vector<double>& a = (*want)[o].values;
    const std::vector<double>& b = (*got)[o].values;
    values += static_cast<int64_t>(a.size());
    if (a.size() != b.size()) return Fail(fmt::format("output {}: sizes differ", o));
    for (size_t k = 0; k < a.size(); ++k) mismatches += a[k] != b[k] ? 1 : 0;
  }
  const int64_t samples = check_inputs.at(0).shape.at(0);
  std::cerr << fmt::format(
      "checked: the project built with g++ ({:.1f} s) against the emulator on {} inputs: {} "
      "values, {} differ\n",
      Seconds(build_start), samples, values, mismatches);
  return mismatches == 0 ? kExitOk : kExitUserError;
}

}  // namespace

void AddConvertCommand(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<ConvertOptions>();
  CLI::App* cmd = app.add_subcommand(
      "convert",
      "Write the model's Vitis/Vivado HLS project (io_parallel), bit-exact with predict");
  cmd->add_option("model", opt->model,
                  "Model file (.keras, .h5, .json architecture) or a project .yml")
      ->required();
  cmd->add_option("-w,--weights", opt->weights, "Weights file for a JSON architecture");
  cmd->add_option("-c,--config", opt->config,
                  "hls4ml-style configuration (default: hls4ml's config_from_keras_model with "
                  "granularity 'name')");
  cmd->add_option("-o,--output", opt->output,
                  "Project folder (default: the project file's OutputDir)");
  cmd->add_option("--project-name", opt->project_name, "Top function name (default: myproject)");
  cmd->add_option("--part", opt->part, "FPGA part for build_prj.tcl");
  cmd->add_option("--clock,--clock-period", opt->clock_period, "Clock period in ns")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--backend", opt->overrides.backend, "vitis or vivado (default: the project's)");
  cmd->add_option("--io-type", opt->overrides.io_type, "io_parallel or io_stream");
  cmd->add_option("--precision", opt->overrides.precision,
                  "The Model entry's default precision, e.g. 'ap_fixed<16,6>'");
  cmd->add_option("--reuse", opt->overrides.reuse_factor, "The Model entry's ReuseFactor")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--strategy", opt->overrides.strategy,
                  "The Model entry's Strategy: Latency or Resource");
  cmd->add_option(
      "--tb-input", opt->tb_inputs,
      "Testbench inputs (.npy / .csv per model input, or one .npz): written to tb_data/ with the "
      "emulator's outputs");
  cmd->add_flag("--check", opt->check,
                "Build the project with g++ and compare it with the emulator (the testbench "
                "inputs, or random ones)");
  cmd->add_option("--check-samples", opt->check_samples, "Random inputs for --check")
      ->check(CLI::Range(1, 10000000));
  cmd->add_flag("--force", opt->force, "Replace an existing project folder");
  cmd->add_flag("--hls4ml-compatible", opt->hls4ml,
                "Make every choice as hls4ml 1.3.0 does (as fixnn predict --hls4ml-compatible)");
  cmd->callback([opt, &exit_code] { exit_code = RunConvert(*opt); });
}

}  // namespace fixnn::cli
