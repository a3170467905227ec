// The emulator against hls4ml 1.3.0's own predict, bit for bit: hls4ml_predict.py converts
// Dense-only models under several configurations, predicts (with trace) on seeded random
// inputs and writes the types it used; this test loads the same models with fixnn, configures
// them with those types (config::LoadProjectConfig + passes::Configure), runs the emulator and
// compares the outputs and every traced layer's values exactly. Environment: FIXNN_INTEROP_CASES
// (comma-separated <model>__<config>) and FIXNN_INTEROP_SAMPLES narrow the run.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <span>
#include <sstream>

#include "config/project_config.h"
#include "emulator/emulator.h"
#include "frontends/keras/keras_frontend.h"
#include "io/npy.h"
#include "passes/configure.h"

namespace fixnn::emulator {
namespace {

namespace fs = std::filesystem;

// The Python of a fixnn environment with hls4ml ("venv-keras3", "venv-keras2"), or "".
std::string FindPython(const std::string& venv) {
  std::vector<fs::path> roots;
  if (const char* cache = std::getenv("FIXNN_CACHE")) roots.emplace_back(cache);
  if (const char* home = std::getenv("HOME")) roots.push_back(fs::path(home) / ".cache" / "fixnn");
  for (const fs::path& root : roots) {
    const fs::path python = root / venv / "bin" / "python";
    if (fs::exists(python)) return python.string();
  }
  return "";
}

std::string Tail(const fs::path& path, size_t chars) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  const std::string text = s.str();
  return text.size() > chars ? text.substr(text.size() - chars) : text;
}

struct CaseResult {
  int64_t values = 0;
  int64_t mismatches = 0;
  int64_t layers = 0;  // traced layers compared
  std::string first_mismatches;
  std::string error;
};

// Every node's outputs for every sample, by node name.
class CollectTrace : public TraceSink {
 public:
  void OnNode(int64_t, const ir::Node& node,
              const std::vector<std::span<const double>>& outputs) override {
    std::vector<double>& v = values[node.name];
    v.insert(v.end(), outputs[0].begin(), outputs[0].end());
  }
  std::map<std::string, std::vector<double>> values;
};

// Compares `got` with hls4ml's `want` exactly; records the first differences.
void Compare(const std::string& what, const std::vector<double>& got,
             const std::vector<double>& want, int64_t samples, CaseResult& out) {
  if (got.size() != want.size()) {
    out.error += fmt::format("{}: {} values, hls4ml gave {}\n", what, got.size(), want.size());
    return;
  }
  const int64_t per_sample = static_cast<int64_t>(got.size()) / samples;
  out.values += static_cast<int64_t>(got.size());
  for (size_t i = 0; i < got.size(); ++i) {
    if (got[i] == want[i]) continue;
    if (out.mismatches++ < 8) {
      out.first_mismatches += fmt::format("  {} sample {} element {}: hls4ml {}, fixnn {}\n", what,
                                          static_cast<int64_t>(i) / per_sample,
                                          static_cast<int64_t>(i) % per_sample, want[i], got[i]);
    }
  }
}

CaseResult RunCase(const nlohmann::json& c) {
  CaseResult out;
  auto fail = [&](const std::string& what, const Error& e) {
    out.error = fmt::format("{}: {}", what, e.message());
    return out;
  };
  Result<config::ProjectConfig> project =
      config::LoadProjectConfig(c["config_path"].get<std::string>());
  if (!project.ok()) return fail("config", project.error());
  Result<ir::Graph> graph = frontends::keras::LoadKerasModel(c["model_path"].get<std::string>());
  if (!graph.ok()) return fail("model", graph.error());
  if (Status s = passes::Configure(*graph, project->hls); !s.ok()) {
    return fail("configure", s.error());
  }
  Result<Emulator> emulator = Emulator::Create(*graph);
  if (!emulator.ok()) return fail("emulator", emulator.error());
  Result<io::Array> x = io::ReadNpy(c["input"].get<std::string>());
  Result<io::Array> y = io::ReadNpy(c["output"].get<std::string>());
  if (!x.ok()) return fail("input", x.error());
  if (!y.ok()) return fail("output", y.error());
  Result<std::map<std::string, io::Array>> trace = io::ReadNpz(c["trace"].get<std::string>());
  if (!trace.ok()) return fail("trace", trace.error());
  Batch batch{x->shape, x->values};
  OverflowReport overflows;
  CollectTrace collected;
  Result<std::vector<Batch>> got = emulator->Run({batch}, &collected, &overflows);
  if (!got.ok()) return fail("run", got.error());
  const int64_t samples = x->shape[0];
  Compare("output", (*got)[0].values, y->values, samples, out);
  std::string unmatched;
  for (const auto& [layer, values] : *trace) {
    auto it = collected.values.find(layer);
    if (it == collected.values.end()) {  // a layer fixnn names otherwise (or does not have)
      unmatched += (unmatched.empty() ? "" : ", ") + layer;
      continue;
    }
    Compare("layer '" + layer + "'", it->second, values.values, samples, out);
    ++out.layers;
  }
  if (!unmatched.empty()) {
    std::cout << fmt::format("  note: hls4ml layers with no fixnn node of that name: {}\n",
                             unmatched);
  }
  std::cout << fmt::format(
      "{}: output and {} of {} traced layers, {} values, {} mismatches; {} values out of range "
      "in the run ({} path)\n",
      c["name"].get<std::string>(), out.layers, trace->size(), out.values, out.mismatches,
      overflows.total(), emulator->uses_int64() ? "int64" : "exact");
  return out;
}

TEST(EmulatorInterop, MatchesHls4mlPredictBitForBit) {
  if (FindPython("venv-keras3").empty() && FindPython("venv-keras2").empty()) {
    GTEST_SKIP() << "no fixnn environment with hls4ml (~/.cache/fixnn/venv-keras3 or "
                    "venv-keras2); run scripts/setup.sh";
  }
  const fs::path dir =
      fs::temp_directory_path() / fmt::format("fixnn_emulator_interop_{}", getpid());
  fs::remove_all(dir);
  // Keras 3 models in the Keras 3 environment, QKeras models in the Keras 2 one.
  std::vector<nlohmann::json> cases;
  for (const std::string venv : {"venv-keras3", "venv-keras2"}) {
    const std::string python = FindPython(venv);
    if (python.empty()) {
      std::cout << fmt::format("note: ~/.cache/fixnn/{} not found: its models are skipped\n", venv);
      continue;
    }
    const fs::path out = dir / venv;
    fs::create_directories(out);
    const fs::path log = out / "hls4ml_predict.log";
    std::string cmd =
        fmt::format("'{}' '{}' --out '{}'", python, FIXNN_EMULATOR_INTEROP_SCRIPT, out.string());
    if (const char* only = std::getenv("FIXNN_INTEROP_CASES")) {
      cmd += fmt::format(" --cases '{}'", only);
    }
    if (const char* samples = std::getenv("FIXNN_INTEROP_SAMPLES")) {
      cmd += fmt::format(" --samples {}", samples);
    }
    const int rc = std::system(fmt::format("{} > '{}' 2>&1", cmd, log.string()).c_str());
    ASSERT_EQ(rc, 0) << "hls4ml_predict.py (" << venv << ") failed:\n" << Tail(log, 4000);
    std::ifstream in(out / "manifest.json");
    const nlohmann::json manifest = nlohmann::json::parse(in);
    for (const nlohmann::json& c : manifest["cases"]) cases.push_back(c);
  }
  std::set<std::string> models, configs;
  int64_t samples = 0, values = 0, mismatches = 0;
  for (const nlohmann::json& c : cases) {
    CaseResult r = RunCase(c);
    EXPECT_TRUE(r.error.empty()) << c["name"].get<std::string>() << ": " << r.error;
    EXPECT_EQ(r.mismatches, 0) << c["name"].get<std::string>() << ":\n" << r.first_mismatches;
    models.insert(c["model"].get<std::string>());
    configs.insert(c["config"].get<std::string>());
    samples += c["samples"].get<int64_t>();
    values += r.values;
    mismatches += r.mismatches;
  }
  std::cout << fmt::format(
      "{} models x {} configs ({} cases) x {} inputs compared ({} values: outputs and traced "
      "layers), {} mismatches\n",
      models.size(), configs.size(), cases.size(),
      cases.empty() ? 0 : samples / static_cast<int64_t>(cases.size()), values, mismatches);
  EXPECT_GT(values, 0);
  if (HasFailure()) {
    std::cout << "the cases are kept in " << dir.string() << "\n";
  } else {
    fs::remove_all(dir);
  }
}

}  // namespace
}  // namespace fixnn::emulator
