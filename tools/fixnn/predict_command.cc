#include "tools/fixnn/predict_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

#include "backends/hls/compile.h"
#include "emulator/emulator.h"
#include "tools/fixnn/array_files.h"
#include "tools/fixnn/exit_codes.h"
#include "tools/fixnn/model_loading.h"
#include "tools/fixnn/progress.h"
#include "tools/fixnn/project_record.h"

namespace fixnn::cli {
namespace {

namespace fs = std::filesystem;

struct PredictOptions {
  std::string model;
  std::string weights;
  std::string config;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  std::string trace_dir;
  int threads = 0;
  bool csim = false;
  bool overflow = false;
  bool force = false;
  bool hls4ml = false;
};

int Fail(const std::string& message) {
  std::cerr << "fixnn predict: " << message << "\n";
  return kExitUserError;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// Every node's outputs, gathered into one [N, shape...] array per output tensor.
class TraceCollector : public emulator::TraceSink {
 public:
  TraceCollector(const ir::Graph& g, int64_t samples) : samples_(samples) {
    for (const ir::Node& n : g.nodes()) {
      for (size_t k = 0; k < n.outputs.size(); ++k) {
        const std::string name = n.outputs.size() == 1 ? n.name : fmt::format("{}_{}", n.name, k);
        Entry& e = entries_[n.name + "#" + std::to_string(k)];
        e.file = name;
        e.batch.shape = g.FindTensor(n.outputs[k])->shape;
        e.batch.shape.insert(e.batch.shape.begin(), samples);
        e.batch.values.assign(static_cast<size_t>(ir::NumElements(e.batch.shape)), 0.0);
      }
    }
  }
  void OnNode(int64_t sample, const ir::Node& node,
              const std::vector<std::span<const double>>& outputs) override {
    for (size_t k = 0; k < outputs.size(); ++k) {
      auto it = entries_.find(node.name + "#" + std::to_string(k));
      if (it == entries_.end()) continue;
      const size_t per = it->second.batch.values.size() / static_cast<size_t>(samples_);
      std::copy(outputs[k].begin(), outputs[k].begin() + std::min(per, outputs[k].size()),
                it->second.batch.values.begin() + static_cast<ptrdiff_t>(sample * per));
    }
  }
  Status Write(const fs::path& dir) const {
    for (const auto& [key, e] : entries_) {
      if (Status s = WriteBatchFile((dir / (e.file + ".npy")).string(), e.batch, true); !s.ok()) {
        return s;
      }
    }
    return Status::Ok();
  }
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string file;
    emulator::Batch batch;
  };
  int64_t samples_;
  std::map<std::string, Entry> entries_;
};

// The emulator over `inputs`, in chunks with a progress bar when there are many samples.
Result<std::vector<emulator::Batch>> RunChunked(const emulator::Emulator& emu,
                                                const std::vector<emulator::Batch>& inputs,
                                                emulator::OverflowReport& overflows) {
  const int64_t samples = inputs.at(0).shape.at(0);
  const int64_t chunk = 20000;
  if (samples <= 2 * chunk) return emu.Run(inputs, nullptr, &overflows);
  std::vector<emulator::Batch> outputs;
  Progress progress("predict", samples, "samples");
  for (int64_t first = 0; first < samples; first += chunk) {
    const int64_t n = std::min(chunk, samples - first);
    std::vector<emulator::Batch> part;
    for (const emulator::Batch& b : inputs) {
      const int64_t per = ir::NumElements(b.shape) / samples;
      emulator::Batch p;
      p.shape = b.shape;
      p.shape[0] = n;
      p.values.assign(b.values.begin() + first * per, b.values.begin() + (first + n) * per);
      part.push_back(std::move(p));
    }
    emulator::OverflowReport part_overflows;
    Result<std::vector<emulator::Batch>> out = emu.Run(part, nullptr, &part_overflows);
    if (!out.ok()) return out.error();
    if (first == 0) {
      overflows = std::move(part_overflows);
      outputs = std::move(out).value();
    } else {
      overflows.Add(part_overflows);
      for (size_t o = 0; o < outputs.size(); ++o) {
        outputs[o].shape[0] += n;
        outputs[o].values.insert(outputs[o].values.end(), (*out)[o].values.begin(),
                                 (*out)[o].values.end());
      }
    }
    progress.Update(first + n);
  }
  progress.Done();
  return outputs;
}

int RunPredict(const PredictOptions& opt) {
  if (opt.outputs.empty() && !opt.overflow && opt.trace_dir.empty()) {
    return Fail(
        "nothing to do: give -o for the outputs, --trace for every layer's outputs "
        "and/or --overflow for the report");
  }
  // Refuse to replace files before doing any work.
  for (const std::string& out : opt.outputs) {
    if (fs::exists(out) && !opt.force) {
      return Fail(fmt::format("{}: the file exists; use --force to replace it", out));
    }
  }
  if (!opt.trace_dir.empty() && fs::exists(opt.trace_dir) && !opt.force) {
    return Fail(fmt::format("{}: the folder exists; use --force to write into it", opt.trace_dir));
  }
  // A project folder stands for the model and configuration it was written from.
  std::string model = opt.model, config = opt.config, weights = opt.weights;
  bool hls4ml = opt.hls4ml;
  std::string project_name;
  if (fs::is_directory(opt.model)) {
    Result<ProjectRecord> record = ReadProjectRecord(opt.model);
    if (!record.ok()) return Fail(record.error().message());
    if (!config.empty() || !weights.empty()) {
      return Fail(
          fmt::format("{}: a project folder brings its own model and configuration; "
                      "drop -c / -w",
                      opt.model));
    }
    model = record->config_file;
    hls4ml = hls4ml || record->hls4ml_compatible;
    project_name = record->project_name;
  } else if (opt.csim) {
    return Fail("--csim runs a project's C++: give the project folder fixnn convert wrote");
  }
  Result<LoadedModel> loaded = LoadConfiguredModel(model, weights, config, hls4ml);
  if (!loaded.ok()) return Fail(loaded.error().message());
  const ir::Graph& graph = loaded->graph;
  if (!opt.outputs.empty() && opt.outputs.size() != graph.outputs().size()) {
    return Fail(fmt::format("the model has {} output(s) ({}); give one -o file for each, in order",
                            graph.outputs().size(), fmt::join(graph.outputs(), ", ")));
  }
  Result<std::vector<emulator::Batch>> inputs = ReadModelInputs(opt.inputs, graph);
  if (!inputs.ok()) return Fail(inputs.error().message());
  const int64_t samples = inputs->at(0).shape.at(0);

  emulator::EmulatorOptions options;
  options.threads = opt.threads;
  Result<emulator::Emulator> emu = emulator::Emulator::Create(graph, options);
  if (!emu.ok()) return Fail(emu.error().message());

  std::vector<emulator::Batch> outputs;
  emulator::OverflowReport overflows;
  if (opt.csim) {
    const auto start = std::chrono::steady_clock::now();
    std::cerr << fmt::format("building {} with g++ ...\n", opt.model);
    Result<backends::hls::CompiledProject> compiled =
        backends::hls::CompiledProject::Build(opt.model, project_name);
    if (!compiled.ok()) return Fail(compiled.error().message());
    std::cerr << fmt::format("built in {:.1f} s\n", Seconds(start));
    const auto run_start = std::chrono::steady_clock::now();
    Result<std::vector<emulator::Batch>> out = compiled->Predict(*inputs);
    if (!out.ok()) return Fail(out.error().message());
    outputs = std::move(out).value();
    std::cerr << fmt::format("ran {} samples through the project's C++ in {:.4f} s\n", samples,
                             Seconds(run_start));
  }
  if (!opt.csim || opt.overflow) {
    const auto start = std::chrono::steady_clock::now();
    Result<std::vector<emulator::Batch>> out = RunChunked(*emu, *inputs, overflows);
    const double seconds = Seconds(start);
    if (!out.ok()) return Fail(out.error().message());
    if (!opt.csim) outputs = std::move(out).value();
    std::cerr << fmt::format("predicted {} samples in {:.4f} s ({:.0f} samples/s, {} threads)\n",
                             samples, seconds, seconds > 0 ? samples / seconds : 0.0,
                             emu->threads_for(samples));
  }
  if (!opt.trace_dir.empty()) {
    TraceCollector trace(graph, samples);
    Result<std::vector<emulator::Batch>> out = emu->Run(*inputs, &trace);
    if (!out.ok()) return Fail(out.error().message());
    std::error_code ec;
    fs::create_directories(opt.trace_dir, ec);
    if (ec)
      return Fail(fmt::format("{}: cannot create the folder ({})", opt.trace_dir, ec.message()));
    if (Status s = trace.Write(opt.trace_dir); !s.ok()) return Fail(s.error().message());
    std::cerr << fmt::format("traced {} layer outputs into {}\n", trace.size(), opt.trace_dir);
  }
  for (size_t o = 0; o < opt.outputs.size(); ++o) {
    if (Status s = WriteBatchFile(opt.outputs[o], outputs[o], opt.force); !s.ok()) {
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
      "predict", "Bit-exact fixed-point outputs of a model (the emulator) or of its HLS project");
  cmd->add_option("MODEL", opt->model,
                  "Model file (.keras, .h5, .json), a project .yml, or a project folder written "
                  "by fixnn convert")
      ->required();
  cmd->add_option("-w,--weights", opt->weights, "Weights file for a JSON architecture");
  cmd->add_option("-c,--config", opt->config,
                  "hls4ml-style configuration (default: every type 'auto', as hls4ml's "
                  "config_from_keras_model with granularity 'name')");
  cmd->add_option("-i,--input", opt->inputs,
                  "Inputs: a .npy ([N, input shape...]) or .csv (a sample per row) per model "
                  "input, in order, or one .npz holding them all")
      ->required();
  cmd->add_option("-o,--output", opt->outputs,
                  "Outputs, one per model output: .npy (float64) or .csv (exact decimals)");
  cmd->add_option("--trace", opt->trace_dir,
                  "Write every layer's outputs to this folder, <layer>.npy each (as hls4ml's "
                  "trace)");
  cmd->add_flag("--csim", opt->csim,
                "Run the project's C++ (built with g++) instead of the emulator; MODEL is the "
                "project folder");
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
