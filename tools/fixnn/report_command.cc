#include "tools/fixnn/report_command.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "analysis/profile.h"
#include "backends/hls_reports/synthesis_report.h"
#include "emulator/emulator.h"
#include "estimate/estimate.h"
#include "io/npy.h"
#include "reference/reference_executor.h"
#include "report/html_report.h"
#include "report/roc.h"
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
  std::string html;
  bool force = false;
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

// The first output in floating point and in fixed point (from `fixed_out`, `float_out`), with
// the labels (class indices [N] or one-hot / score rows [N, C]) when given.
Result<report::DataComparison> CompareOutputs(const ir::Graph& graph,
                                              std::vector<emulator::Batch> fixed_out,
                                              std::vector<emulator::Batch> float_out,
                                              const ReportOptions& opt) {
  report::DataComparison d;
  d.output = graph.outputs().at(0);
  d.shape = fixed_out.at(0).shape;
  d.fixed_values = std::move(fixed_out.at(0).values);
  d.float_values = std::move(float_out.at(0).values);
  const int64_t n = d.shape.at(0);
  if (!opt.labels.empty()) {
    Result<io::Array> labels = io::ReadNpy(opt.labels);
    if (!labels.ok()) return labels.error();
    if (labels->shape.size() == 1) {
      for (double v : labels->values) d.labels.push_back(static_cast<int64_t>(v));
    } else if (labels->shape.size() == 2) {
      d.labels = report::PredictedClasses(labels->values, labels->shape[1]);
    }
    if (static_cast<int64_t>(d.labels.size()) != n) {
      return Error(fmt::format("{}: shape {} does not hold one label per sample ({} samples)",
                               opt.labels, io::ShapeToString(labels->shape), n));
    }
    if (Status s = report::CheckComparison(d); !s.ok()) return s.error().WithContext(opt.labels);
  }
  return d;
}

// Float against fixed outputs: largest difference, classes that agree, and, with labels, each
// one's accuracy.
nlohmann::json ComparisonJson(const report::DataComparison& d) {
  const int64_t n = d.shape.at(0);
  const int64_t per = n > 0 ? static_cast<int64_t>(d.fixed_values.size()) / n : 0;
  double max_diff = 0;
  for (size_t k = 0; k < d.fixed_values.size(); ++k) {
    max_diff = std::max(max_diff, std::abs(d.fixed_values[k] - d.float_values[k]));
  }
  const std::vector<int64_t> cf = report::PredictedClasses(d.fixed_values, per);
  const std::vector<int64_t> cr = report::PredictedClasses(d.float_values, per);
  nlohmann::json j = {{"samples", n},
                      {"output", d.output},
                      {"max_abs_difference", max_diff},
                      {"same_class_fraction", report::Accuracy(cf, cr)}};
  if (!d.labels.empty()) {
    j["accuracy_float"] = report::Accuracy(cr, d.labels);
    j["accuracy_fixed"] = report::Accuracy(cf, d.labels);
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
  if (!opt.html.empty() && fs::exists(opt.html) && !opt.force) {
    return Fail(fmt::format("{}: the file exists; use --force to replace it", opt.html));
  }
  // A synthesis report file.
  if (IsReportFile(path)) {
    if (!opt.html.empty()) {
      return Fail(
          fmt::format("{}: --html needs the model: give a model file or a folder "
                      "written by fixnn convert",
                      opt.path));
    }
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
  const reports::SynthesisReport* synthesis_report =
      synthesis && synthesis->ok() ? &**synthesis : nullptr;
  nlohmann::json json = nlohmann::json::object();
  std::string text;
  if (have_model) {
    Result<LoadedModel> loaded = LoadConfiguredModel(model, opt.weights, config, hls4ml);
    if (!loaded.ok()) return Fail(loaded.error().message());
    Result<estimate::ModelEstimate> e = estimate::Estimate(loaded->graph, *loaded->project);
    if (!e.ok()) return Fail(e.error().message());
    text += estimate::FormatEstimate(*e);
    json["estimate"] = estimate::ToJson(*e);
    std::optional<report::DataComparison> comparison;
    std::optional<analysis::ModelProfile> profile;
    if (!opt.data.empty()) {
      Result<std::vector<emulator::Batch>> inputs = ReadModelInputs(opt.data, loaded->graph);
      if (!inputs.ok()) return Fail(inputs.error().message());
      // The model runs once in each arithmetic: the profile (for the HTML report) keeps the
      // outputs it computed.
      std::vector<emulator::Batch> fixed_out, float_out;
      if (!opt.html.empty()) {
        Result<analysis::ModelProfile> p = analysis::ProfileModel(loaded->graph, *inputs);
        if (!p.ok()) return Fail(p.error().message());
        profile = std::move(*p);
        fixed_out = std::move(profile->fixed_outputs);
        float_out = std::move(profile->float_outputs);
      } else {
        Result<emulator::Emulator> emu = emulator::Emulator::Create(loaded->graph);
        if (!emu.ok()) return Fail(emu.error().message());
        Result<std::vector<emulator::Batch>> f = emu->Run(*inputs);
        if (!f.ok()) return Fail(f.error().message());
        Result<std::vector<reference::Batch>> r = reference::RunReference(loaded->graph, *inputs);
        if (!r.ok()) return Fail(r.error().message());
        fixed_out = std::move(f).value();
        float_out = std::move(r).value();
      }
      Result<report::DataComparison> cmp =
          CompareOutputs(loaded->graph, std::move(fixed_out), std::move(float_out), opt);
      if (!cmp.ok()) return Fail(cmp.error().message());
      comparison = std::move(*cmp);
      const nlohmann::json cmp_json = ComparisonJson(*comparison);
      text += "\n" + FormatComparison(cmp_json);
      json["float_vs_fixed"] = cmp_json;
    }
    if (!opt.html.empty()) {
      report::ReportInputs in;
      in.graph = &loaded->graph;
      in.project = &*loaded->project;
      in.estimate = &*e;
      in.profile = profile ? &*profile : nullptr;
      in.comparison = comparison ? &*comparison : nullptr;
      in.synthesis = synthesis_report;
      Result<std::string> html = report::RenderHtmlReport(in);
      if (!html.ok()) return Fail(html.error().message());
      if (Status s = WriteFileAtomically(opt.html, *html, opt.force); !s.ok()) {
        return Fail(s.error().message());
      }
      std::cerr << "fixnn report: wrote " << opt.html << "\n";
    }
  } else if (!opt.data.empty() || !opt.html.empty()) {
    return Fail(
        fmt::format("{}: {} needs the model: give a model file or a folder written by "
                    "fixnn convert",
                    opt.path, opt.data.empty() ? "--html" : "--data"));
  }
  if (synthesis_report != nullptr) {
    text += (text.empty() ? "" : "\n") + reports::FormatReport(*synthesis_report);
    json["synthesis"] = reports::ToJson(*synthesis_report);
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
                  "both, and ROC curves in the --html report");
  cmd->add_option("--html", opt->html,
                  "Also write an HTML report (one self-contained file): the model graph, the "
                  "per-layer types and estimates, the synthesis figures, and with --data the "
                  "value distributions against the types, float against fixed point and, with "
                  "--labels, ROC curves");
  cmd->add_flag("--force", opt->force, "Replace an existing --html file");
  cmd->add_flag("--json", opt->json, "Print the report as JSON");
  cmd->add_flag("--hls4ml-compatible", opt->hls4ml, "Configure as hls4ml 1.3.0 does");
  cmd->callback([opt, &exit_code] { exit_code = RunReport(*opt); });
}

}  // namespace fixnn::cli
