#include "tools/fixnn/report_command.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "backends/hls_reports/synthesis_report.h"
#include "emulator/emulator.h"
#include "estimate/estimate.h"
#include "io/npy.h"
#include "reference/reference_executor.h"
#include "tools/fixnn/array_files.h"
#include "tools/fixnn/exit_codes.h"
#include "tools/fixnn/model_loading.h"
#include "tools/fixnn/project_record.h"

namespace fixnn::cli {
namespace {

namespace fs = std::filesystem;
namespace reports = backends::hls_reports;

struct ReportOptions {
  std::string path;
  std::string weights;
  std::string config;
  std::vector<std::string> data;
  std::string labels;
  bool json = false;
  bool hls4ml = false;
};

int Fail(const std::string& message) {
  std::cerr << "fixnn report: " << message << "\n";
  return kExitUserError;
}

bool IsReportFile(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".xml" || ext == ".rpt";
}

// Index of the largest value of each sample (or value > 0.5 for one output column).
std::vector<int64_t> Classes(const emulator::Batch& b) {
  const int64_t n = b.shape.at(0);
  const int64_t per = n > 0 ? static_cast<int64_t>(b.values.size()) / n : 0;
  std::vector<int64_t> out(static_cast<size_t>(n));
  for (int64_t s = 0; s < n; ++s) {
    const double* row = b.values.data() + s * per;
    if (per == 1) {
      out[static_cast<size_t>(s)] = row[0] > 0.5 ? 1 : 0;
      continue;
    }
    out[static_cast<size_t>(s)] = std::max_element(row, row + per) - row;
  }
  return out;
}

// Float against fixed outputs on the data: largest difference, classes that agree, and, with
// labels (class indices [N] or one-hot [N, C]), each one's accuracy.
Result<nlohmann::json> CompareOnData(const ir::Graph& graph, const ReportOptions& opt) {
  Result<std::vector<emulator::Batch>> inputs = ReadModelInputs(opt.data, graph);
  if (!inputs.ok()) return inputs.error();
  Result<emulator::Emulator> emu = emulator::Emulator::Create(graph);
  if (!emu.ok()) return emu.error();
  Result<std::vector<emulator::Batch>> fixed_out = emu->Run(*inputs);
  if (!fixed_out.ok()) return fixed_out.error();
  Result<std::vector<reference::Batch>> float_out = reference::RunReference(graph, *inputs);
  if (!float_out.ok()) return float_out.error();
  const emulator::Batch& fx = fixed_out->at(0);
  const reference::Batch& fl = float_out->at(0);
  double max_diff = 0;
  for (size_t k = 0; k < fx.values.size(); ++k) {
    max_diff = std::max(max_diff, std::abs(fx.values[k] - fl.values[k]));
  }
  const std::vector<int64_t> cf = Classes(fx), cr = Classes(fl);
  int64_t agree = 0;
  for (size_t s = 0; s < cf.size(); ++s) agree += cf[s] == cr[s] ? 1 : 0;
  const int64_t n = fx.shape.at(0);
  nlohmann::json j = {{"samples", n},
                      {"output", graph.outputs().at(0)},
                      {"max_abs_difference", max_diff},
                      {"same_class_fraction", n > 0 ? static_cast<double>(agree) / n : 0.0}};
  if (!opt.labels.empty()) {
    Result<io::Array> labels = io::ReadNpy(opt.labels);
    if (!labels.ok()) return labels.error();
    std::vector<int64_t> truth;
    if (labels->shape.size() == 1) {
      for (double v : labels->values) truth.push_back(static_cast<int64_t>(v));
    } else if (labels->shape.size() == 2) {
      truth = Classes(emulator::Batch{labels->shape, labels->values});
    }
    if (static_cast<int64_t>(truth.size()) != n) {
      return Error(fmt::format("{}: shape {} does not hold one label per sample ({} samples)",
                               opt.labels, io::ShapeToString(labels->shape), n));
    }
    int64_t right_float = 0, right_fixed = 0;
    for (int64_t s = 0; s < n; ++s) {
      right_float += cr[static_cast<size_t>(s)] == truth[static_cast<size_t>(s)] ? 1 : 0;
      right_fixed += cf[static_cast<size_t>(s)] == truth[static_cast<size_t>(s)] ? 1 : 0;
    }
    j["accuracy_float"] = n > 0 ? static_cast<double>(right_float) / n : 0.0;
    j["accuracy_fixed"] = n > 0 ? static_cast<double>(right_fixed) / n : 0.0;
  }
  return j;
}

std::string FormatComparison(const nlohmann::json& j) {
  std::string s = fmt::format(
      "Float against fixed point on {} samples (output '{}'): largest difference {:.6g}, same "
      "class for {:.2f} % of the samples\n",
      j["samples"].get<int64_t>(), j["output"].get<std::string>(),
      j["max_abs_difference"].get<double>(), 100 * j["same_class_fraction"].get<double>());
  if (j.contains("accuracy_float")) {
    s += fmt::format("Accuracy: float {:.2f} %, fixed point {:.2f} %\n",
                     100 * j["accuracy_float"].get<double>(),
                     100 * j["accuracy_fixed"].get<double>());
  }
  return s;
}

int RunReport(const ReportOptions& opt) {
  const fs::path path = opt.path;
  if (!fs::exists(path)) return Fail(fmt::format("{}: no such file or folder", opt.path));
  // A synthesis report file.
  if (IsReportFile(path)) {
    Result<reports::SynthesisReport> r =
        path.extension() == ".xml" ? reports::ReadCsynthXml(path) : reports::ReadCsynthRpt(path);
    if (!r.ok()) return Fail(r.error().message());
    std::cout << (opt.json ? reports::ToJson(*r).dump(2) + "\n" : reports::FormatReport(*r));
    return kExitOk;
  }
  // A model, or a project folder: the estimate (a folder written by fixnn convert records its
  // model), and the synthesis report when the folder has one.
  std::string model = opt.path, config = opt.config;
  bool hls4ml = opt.hls4ml;
  std::optional<Result<reports::SynthesisReport>> synthesis;
  bool have_model = true;
  if (fs::is_directory(path)) {
    synthesis = reports::FindAndReadReport(path);
    Result<ProjectRecord> record = ReadProjectRecord(path);
    if (record.ok()) {
      model = record->config_file;
      config.clear();
      hls4ml = hls4ml || record->hls4ml_compatible;
    } else if (synthesis->ok()) {
      have_model = false;  // a project written by another tool: its report only
    } else {
      return Fail(synthesis->error().message());
    }
  }
  nlohmann::json json = nlohmann::json::object();
  std::string text;
  if (have_model) {
    Result<LoadedModel> loaded = LoadConfiguredModel(model, opt.weights, config, hls4ml);
    if (!loaded.ok()) return Fail(loaded.error().message());
    Result<estimate::ModelEstimate> e = estimate::Estimate(loaded->graph, *loaded->project);
    if (!e.ok()) return Fail(e.error().message());
    text += estimate::FormatEstimate(*e);
    json["estimate"] = estimate::ToJson(*e);
    if (!opt.data.empty()) {
      Result<nlohmann::json> cmp = CompareOnData(loaded->graph, opt);
      if (!cmp.ok()) return Fail(cmp.error().message());
      text += "\n" + FormatComparison(*cmp);
      json["float_vs_fixed"] = *cmp;
    }
  } else if (!opt.data.empty()) {
    return Fail(
        fmt::format("{}: --data needs the model: give a model file or a folder written "
                    "by fixnn convert",
                    opt.path));
  }
  if (synthesis && synthesis->ok()) {
    text += (text.empty() ? "" : "\n") + reports::FormatReport(**synthesis);
    json["synthesis"] = reports::ToJson(**synthesis);
  }
  std::cout << (opt.json ? json.dump(2) + "\n" : text);
  return kExitOk;
}

}  // namespace

void AddReportCommand(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Resource and latency estimates of a model or project, its HLS synthesis report when there "
      "is one, and float against fixed point on data");
  cmd->add_option("path", opt->path,
                  "A model file (.keras, .h5, .json) or project .yml; a project folder (written "
                  "by fixnn convert: estimate and synthesis report; by another tool: its "
                  "synthesis report); or a csynth.xml / *_csynth.rpt / csynth.rpt file")
      ->required();
  cmd->add_option("-w,--weights", opt->weights, "Weights file for a JSON architecture");
  cmd->add_option("-c,--config", opt->config, "hls4ml-style configuration for a model file");
  cmd->add_option("-d,--data", opt->data,
                  "Inputs (.npy / .csv per model input, or one .npz): compare the float model "
                  "with the fixed-point one on them");
  cmd->add_option("--labels", opt->labels,
                  "True classes for --data (.npy: [N] indices or [N, C] one-hot): accuracy of "
                  "both");
  cmd->add_flag("--json", opt->json, "Print the report as JSON");
  cmd->add_flag("--hls4ml-compatible", opt->hls4ml, "Configure as hls4ml 1.3.0 does");
  cmd->callback([opt, &exit_code] { exit_code = RunReport(*opt); });
}

}  // namespace fixnn::cli
