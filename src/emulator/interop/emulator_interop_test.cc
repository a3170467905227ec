// The emulator against hls4ml 1.3.0's own predict, bit for bit, on every model hls4ml converts:
// hls4ml_predict.py converts each model (the Keras fixtures, a probe model and the third-party
// models in ../shared/models) under several configurations, predicts with trace on seeded
// random inputs and records the types it used (cached; see the script). This test loads the
// same models with fixnn, configures them with those types as hls4ml would
// (passes::ConfigureOptions::Hls4ml), runs the emulator and compares the outputs and every
// traced layer exactly.
//
// Per case it prints "<model>__<config>: N values, M mismatches", "refused by fixnn: <reason>"
// or "hls4ml failed: <reason>", and at the end the totals. It fails on any mismatch, on a
// refusal that expected_refusals.txt does not list, and on a listed refusal that no longer
// happens. hls4ml's own failures are reported and do not fail it.
//
// Environment: FIXNN_INTEROP_CASES (comma-separated patterns, <model>__<config> or <model>,
// '*' allowed), FIXNN_INTEROP_SAMPLES (default 10000), FIXNN_INTEROP_JOBS (hls4ml cases
// generated at once), FIXNN_INTEROP_THREADS (cases compared at once), FIXNN_INTEROP_CACHE.
#include <fmt/format.h>
#include <fnmatch.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <span>
#include <sstream>
#include <thread>

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

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

// Runs `cmd`, echoing its output as it comes (the script prints its progress) and keeping it
// in `log`. Returns the exit status.
int RunEchoing(const std::string& cmd, const fs::path& log) {
  std::ofstream out(log);
  FILE* pipe = popen((cmd + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  char line[4096];
  while (fgets(line, sizeof line, pipe) != nullptr) {
    std::cout << "  " << line << std::flush;
    out << line;
  }
  return pclose(pipe);
}

// ---------------------------------------------------------------------------------------------
// Expected refusals: "<case pattern> | <reason substring> | <why>" per line, '#' comments.

struct Expectation {
  std::string pattern;
  std::string reason;
  std::string why;
  int line = 0;
  int matched_cases = 0;  // cases the pattern matched whose hls4ml side ran
  int refusals = 0;       // of those, refused with the reason
};

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

std::vector<Expectation> ReadExpectations(const fs::path& path, std::string* error) {
  std::vector<Expectation> out;
  std::ifstream in(path);
  if (!in) {
    *error = fmt::format("{}: cannot read", path.string());
    return out;
  }
  std::string text;
  for (int n = 1; std::getline(in, text); ++n) {
    text = Trim(text);
    if (text.empty() || text[0] == '#') continue;
    std::vector<std::string> fields;
    std::stringstream s(text);
    for (std::string f; std::getline(s, f, '|');) fields.push_back(Trim(f));
    if (fields.size() != 3 || fields[0].empty() || fields[1].empty() || fields[2].empty()) {
      *error +=
          fmt::format("{}:{}: expected '<case pattern> | <reason> | <why>'\n", path.string(), n);
      continue;
    }
    out.push_back({fields[0], fields[1], fields[2], n});
  }
  return out;
}

bool Matches(const std::string& pattern, const std::string& name) {
  return fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}

// ---------------------------------------------------------------------------------------------
// One case.

enum class Outcome { kCompared, kRefused, kHls4mlFailed, kBroken };

struct CaseResult {
  std::string name, model, config;
  Outcome outcome = Outcome::kBroken;
  std::string reason;  // refusal, hls4ml failure or harness problem
  int64_t samples = 0, traced_samples = 0;
  int64_t values = 0, mismatches = 0, layers = 0;
  std::string first_mismatches;
  std::vector<std::string> unmatched_layers;  // hls4ml layers fixnn has no node for
  const Expectation* expected = nullptr;      // the entry allowing the refusal
  std::string path;                           // "int64" or "exact"
  double seconds = 0;                         // fixnn's side: load, configure, emulate, compare
};

// Every node's outputs for the first `samples` samples, by node name.
class CollectTrace : public TraceSink {
 public:
  void OnNode(int64_t, const ir::Node& node,
              const std::vector<std::span<const double>>& outputs) override {
    if (outputs.empty()) return;
    std::vector<double>& v = values[node.name];
    v.insert(v.end(), outputs[0].begin(), outputs[0].end());
  }
  std::map<std::string, std::vector<double>> values;
};

// Compares `got` with hls4ml's `want` exactly; records the first differences of each layer.
void Compare(const std::string& what, std::span<const double> got, std::span<const double> want,
             int64_t samples, CaseResult& out) {
  if (got.size() != want.size()) {
    ++out.mismatches;
    out.first_mismatches +=
        fmt::format("  {}: fixnn gives {} values, hls4ml {}\n", what, got.size(), want.size());
    return;
  }
  const int64_t per_sample = samples > 0 ? static_cast<int64_t>(got.size()) / samples : 0;
  out.values += static_cast<int64_t>(got.size());
  int64_t here = 0;
  std::string examples;
  for (size_t i = 0; i < got.size(); ++i) {
    if (got[i] == want[i]) continue;
    if (here++ < 3) {
      examples +=
          fmt::format("    sample {} index {}: hls4ml {}, fixnn {}\n",
                      per_sample > 0 ? static_cast<int64_t>(i) / per_sample : 0,
                      per_sample > 0 ? static_cast<int64_t>(i) % per_sample : 0, want[i], got[i]);
    }
  }
  if (here == 0) return;
  out.mismatches += here;
  out.first_mismatches +=
      fmt::format("  {}: {} of {} values differ\n{}", what, here, got.size(), examples);
}

// The position in `names` of `name`, else `fallback` (fixnn and hls4ml name inputs and
// outputs after the Keras layers; positions are the fallback).
size_t IndexOf(const std::vector<std::string>& names, const std::string& name, size_t fallback) {
  auto it = std::find(names.begin(), names.end(), name);
  return it != names.end() ? static_cast<size_t>(it - names.begin()) : fallback;
}

// Samples [begin, end) of a batch.
Batch Slice(const Batch& b, int64_t begin, int64_t end) {
  const int64_t per = b.shape[0] > 0 ? static_cast<int64_t>(b.values.size()) / b.shape[0] : 0;
  Batch out;
  out.shape = b.shape;
  out.shape[0] = end - begin;
  out.values.assign(b.values.begin() + begin * per, b.values.begin() + end * per);
  return out;
}

CaseResult RunCase(const nlohmann::json& c) {
  CaseResult out;
  out.name = c["name"].get<std::string>();
  out.model = c["model"].get<std::string>();
  out.config = c["config"].get<std::string>();
  if (c["status"].get<std::string>() != "ok") {
    out.outcome = Outcome::kHls4mlFailed;
    out.reason = c.value("error", std::string("?"));
    return out;
  }
  auto refuse = [&](const std::string& stage, const Error& e) {
    out.outcome = Outcome::kRefused;
    out.reason = fmt::format("{}: {}", stage, e.message());
    return out;
  };
  auto broken = [&](const std::string& what) {
    out.outcome = Outcome::kBroken;
    out.reason = what;
    return out;
  };
  out.samples = c["samples"].get<int64_t>();
  out.traced_samples = c["traced_samples"].get<int64_t>();

  Result<config::ProjectConfig> project =
      config::LoadProjectConfig(c["config_path"].get<std::string>());
  if (!project.ok()) return refuse("config", project.error());
  frontends::keras::KerasLoadOptions load;
  std::string model_path = project->keras_model;
  if (!project->keras_json.empty()) {
    model_path = project->keras_json;
    load.weights_path = project->keras_h5;
  } else if (model_path.empty()) {
    model_path = project->keras_h5;
  }
  Result<ir::Graph> graph = frontends::keras::LoadKerasModel(model_path, load);
  if (!graph.ok()) return refuse("model", graph.error());
  if (Status s = passes::Configure(*graph, project->hls, passes::ConfigureOptions::Hls4ml());
      !s.ok()) {
    return refuse("configure", s.error());
  }
  EmulatorOptions options;
  options.threads = 1;  // cases run on several threads at once
  Result<Emulator> emulator = Emulator::Create(*graph, options);
  if (!emulator.ok()) return refuse("emulator", emulator.error());
  const ir::Graph& g = emulator->graph();
  out.path = emulator->uses_int64() ? "int64" : "exact";

  Result<std::map<std::string, io::Array>> xs = io::ReadNpz(c["inputs_npz"].get<std::string>());
  Result<std::map<std::string, io::Array>> ys = io::ReadNpz(c["outputs_npz"].get<std::string>());
  Result<std::map<std::string, io::Array>> trace = io::ReadNpz(c["trace_npz"].get<std::string>());
  if (!xs.ok()) return broken(xs.error().message());
  if (!ys.ok()) return broken(ys.error().message());
  if (!trace.ok()) return broken(trace.error().message());

  // Inputs in the graph's order, matched by name (else position).
  const std::vector<std::string> in_names = c["inputs"].get<std::vector<std::string>>();
  if (in_names.size() != g.inputs().size()) {
    return broken(fmt::format("hls4ml has {} inputs ({}), fixnn {} ({})", in_names.size(),
                              fmt::join(in_names, ", "), g.inputs().size(),
                              fmt::join(g.inputs(), ", ")));
  }
  std::vector<Batch> inputs;
  for (size_t i = 0; i < g.inputs().size(); ++i) {
    const std::string& hls_name = in_names[IndexOf(in_names, g.inputs()[i], i)];
    auto found = xs->find(hls_name);
    if (found == xs->end()) return broken(fmt::format("no input '{}' in the cache", hls_name));
    const io::Array& a = found->second;
    Batch b;
    b.shape = g.FindTensor(g.inputs()[i])->shape;
    if (ir::NumElements(b.shape) * out.samples != static_cast<int64_t>(a.values.size())) {
      return broken(fmt::format("input '{}': hls4ml's shape {} does not hold {} samples of {}",
                                hls_name, io::ShapeToString(a.shape), out.samples,
                                ir::ToString(b.shape)));
    }
    b.shape.insert(b.shape.begin(), out.samples);
    b.values = a.values;
    inputs.push_back(std::move(b));
  }

  // The traced samples with the trace, the rest without.
  CollectTrace collected;
  std::vector<Batch> head, tail;
  for (const Batch& b : inputs) head.push_back(Slice(b, 0, out.traced_samples));
  Result<std::vector<Batch>> got = emulator->Run(head, &collected);
  if (!got.ok()) return refuse("run", got.error());
  if (out.traced_samples < out.samples) {
    for (const Batch& b : inputs) tail.push_back(Slice(b, out.traced_samples, out.samples));
    Result<std::vector<Batch>> rest = emulator->Run(tail);
    if (!rest.ok()) return refuse("run", rest.error());
    for (size_t o = 0; o < got->size(); ++o) {
      (*got)[o].values.insert((*got)[o].values.end(), (*rest)[o].values.begin(),
                              (*rest)[o].values.end());
    }
  }
  out.outcome = Outcome::kCompared;

  const std::vector<std::string> out_names = c["outputs"].get<std::vector<std::string>>();
  if (out_names.size() != g.outputs().size()) {
    return broken(fmt::format("hls4ml has {} outputs ({}), fixnn {} ({})", out_names.size(),
                              fmt::join(out_names, ", "), g.outputs().size(),
                              fmt::join(g.outputs(), ", ")));
  }
  for (size_t o = 0; o < out_names.size(); ++o) {
    const size_t mine = IndexOf(g.outputs(), out_names[o], o);
    auto want = ys->find(out_names[o]);
    if (want == ys->end()) return broken(fmt::format("no output '{}' in the cache", out_names[o]));
    Compare(fmt::format("output '{}'", out_names[o]), (*got)[mine].values, want->second.values,
            out.samples, out);
  }
  for (const auto& [layer, values] : *trace) {
    auto it = collected.values.find(layer);
    if (it == collected.values.end()) {
      out.unmatched_layers.push_back(layer);
      continue;
    }
    Compare(fmt::format("layer '{}'", layer), it->second, values.values, out.traced_samples, out);
    ++out.layers;
  }
  return out;
}

std::string Describe(const CaseResult& r) {
  switch (r.outcome) {
    case Outcome::kCompared: {
      std::string s = fmt::format(
          "{}: {} values, {} mismatches ({} samples; output and {} traced layers on {}; {} path; "
          "{:.1f} s)",
          r.name, r.values, r.mismatches, r.samples, r.layers, r.traced_samples, r.path, r.seconds);
      if (!r.unmatched_layers.empty()) {
        s += fmt::format("; hls4ml layers without a fixnn node: {}",
                         fmt::join(r.unmatched_layers, ", "));
      }
      if (r.mismatches > 0) s += "\n" + r.first_mismatches;
      return s;
    }
    case Outcome::kRefused:
      return fmt::format("{}: refused by fixnn: {}{}", r.name, r.reason,
                         r.expected != nullptr ? fmt::format(" [expected: {}]", r.expected->why)
                                               : std::string(" [NOT EXPECTED]"));
    case Outcome::kHls4mlFailed:
      return fmt::format("{}: hls4ml failed: {}", r.name, r.reason);
    case Outcome::kBroken:
      break;
  }
  return fmt::format("{}: BROKEN CASE: {}", r.name, r.reason);
}

// A refusal without what varies from case to case (the configuration file's path, quoted
// names, types), so that one cause groups its cases.
std::string Cause(const std::string& reason) {
  static const std::regex kPath(R"(/\S*config\.yml:\d+: )");
  static const std::regex kQuoted(R"('[^']*')");
  static const std::regex kType(R"((ap_u?fixed|ap_u?int|u?fixed|u?int)<[^>]*>)");
  std::string s = std::regex_replace(reason, kPath, "");
  s = std::regex_replace(s, kQuoted, "'*'");
  return std::regex_replace(s, kType, "T");
}

// ---------------------------------------------------------------------------------------------

TEST(EmulatorInterop, MatchesHls4mlPredictBitForBit) {
  if (FindPython("venv-keras3").empty() && FindPython("venv-keras2").empty()) {
    GTEST_SKIP() << "no fixnn environment with hls4ml (~/.cache/fixnn/venv-keras3 or "
                    "venv-keras2); run scripts/setup.sh";
  }
  std::string expectation_error;
  std::vector<Expectation> expectations =
      ReadExpectations(FIXNN_INTEROP_EXPECTATIONS, &expectation_error);
  ASSERT_TRUE(expectation_error.empty()) << expectation_error;

  const fs::path dir =
      fs::temp_directory_path() / fmt::format("fixnn_emulator_interop_{}", getpid());
  fs::remove_all(dir);
  // Keras 3 models in the Keras 3 environment, Keras 2 and QKeras models in the Keras 2 one.
  std::vector<nlohmann::json> cases;
  std::vector<std::string> skipped;
  for (const std::string venv : {"venv-keras3", "venv-keras2"}) {
    const std::string python = FindPython(venv);
    if (python.empty()) {
      std::cout << fmt::format("note: ~/.cache/fixnn/{} not found: its models are skipped\n", venv);
      continue;
    }
    const fs::path out = dir / venv;
    fs::create_directories(out);
    std::string cmd =
        fmt::format("'{}' '{}' --out '{}' --shared-models '{}'", python,
                    FIXNN_EMULATOR_INTEROP_SCRIPT, out.string(), FIXNN_SHARED_MODELS_DIR);
    if (!Env("FIXNN_INTEROP_CASES").empty()) {
      cmd += fmt::format(" --cases '{}'", Env("FIXNN_INTEROP_CASES"));
    }
    if (!Env("FIXNN_INTEROP_SAMPLES").empty()) {
      cmd += fmt::format(" --samples {}", Env("FIXNN_INTEROP_SAMPLES"));
    }
    std::cout << "hls4ml_predict.py (" << venv << "):\n";
    const int rc = RunEchoing(cmd, out / "hls4ml_predict.log");
    ASSERT_EQ(rc, 0) << "hls4ml_predict.py (" << venv << ") failed; see "
                     << (out / "hls4ml_predict.log").string();
    std::ifstream in(out / "manifest.json");
    const nlohmann::json manifest = nlohmann::json::parse(in);
    for (const nlohmann::json& c : manifest["cases"]) cases.push_back(c);
    for (const nlohmann::json& s : manifest["skipped"]) {
      skipped.push_back(
          fmt::format("{} ({})", s["model"].get<std::string>(), s["reason"].get<std::string>()));
    }
  }
  if (!skipped.empty()) {
    std::cout << fmt::format("models not run: {}\n", fmt::join(skipped, "; "));
  }

  // Compare the cases, a few at once; print each as it finishes.
  int threads = static_cast<int>(std::max(1u, std::min(2u, std::thread::hardware_concurrency())));
  if (!Env("FIXNN_INTEROP_THREADS").empty()) threads = std::stoi(Env("FIXNN_INTEROP_THREADS"));
  std::cout << fmt::format("comparing {} cases, {} at once\n", cases.size(), threads);
  std::vector<CaseResult> results(cases.size());
  std::atomic<size_t> next{0};
  std::mutex print;
  size_t finished = 0;
  auto work = [&] {
    for (size_t i; (i = next++) < cases.size();) {
      const auto start = std::chrono::steady_clock::now();
      results[i] = RunCase(cases[i]);
      CaseResult& r = results[i];
      r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (r.outcome == Outcome::kRefused) {
        for (const Expectation& e : expectations) {
          if (Matches(e.pattern, r.name) && r.reason.find(e.reason) != std::string::npos) {
            r.expected = &e;
            break;
          }
        }
      }
      std::lock_guard<std::mutex> lock(print);
      std::cout << fmt::format("[{}/{}] {}\n", ++finished, cases.size(), Describe(r)) << std::flush;
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(work);
  for (std::thread& t : pool) t.join();

  // Every expectation must still hold where its cases ran.
  for (Expectation& e : expectations) {
    for (const CaseResult& r : results) {
      if (!Matches(e.pattern, r.name) || r.outcome == Outcome::kHls4mlFailed) continue;
      ++e.matched_cases;
      if (r.outcome == Outcome::kRefused && r.reason.find(e.reason) != std::string::npos) {
        ++e.refusals;
      }
    }
  }

  std::set<std::string> models, configs;
  int64_t inputs = 0, values = 0, mismatches = 0, compared = 0, exact_cases = 0;
  int refused = 0, refused_expected = 0, hls4ml_failed = 0, broken = 0;
  std::vector<std::string> failures;
  std::map<std::string, std::vector<std::string>> refusals_by_reason;
  for (const CaseResult& r : results) {
    switch (r.outcome) {
      case Outcome::kCompared:
        ++compared;
        models.insert(r.model);
        configs.insert(r.config);
        inputs += r.samples;
        values += r.values;
        mismatches += r.mismatches;
        if (r.mismatches == 0) ++exact_cases;
        if (r.mismatches > 0) failures.push_back(Describe(r));
        break;
      case Outcome::kRefused: {
        ++refused;
        refusals_by_reason[Cause(r.reason)].push_back(r.name);
        if (r.expected != nullptr) {
          ++refused_expected;
        } else {
          failures.push_back(Describe(r));
        }
        break;
      }
      case Outcome::kHls4mlFailed:
        ++hls4ml_failed;
        break;
      case Outcome::kBroken:
        ++broken;
        failures.push_back(Describe(r));
        break;
    }
  }
  for (const Expectation& e : expectations) {
    if (e.matched_cases > 0 && e.refusals == 0) {
      failures.push_back(fmt::format(
          "{}:{}: '{} | {}' no longer happens in the {} case(s) it matches: remove or update it",
          FIXNN_INTEROP_EXPECTATIONS, e.line, e.pattern, e.reason, e.matched_cases));
    }
  }

  std::cout << "\nrefusals by reason (cases):\n";
  for (const auto& [reason, names] : refusals_by_reason) {
    std::cout << fmt::format(
        "  {} x {}: {}{}\n", names.size(), reason,
        fmt::join(names.begin(), names.begin() + std::min<size_t>(names.size(), 6), ", "),
        names.size() > 6 ? ", ..." : "");
  }
  std::cout << fmt::format(
      "\n{} cases: {} compared bit for bit ({} exact, {} with mismatches), {} refused by fixnn "
      "({} expected), {} hls4ml failures, {} broken\n",
      results.size(), compared, exact_cases, compared - exact_cases, refused, refused_expected,
      hls4ml_failed, broken);
  std::cout << fmt::format(
      "{} models x {} configs ({} cases) x {} inputs compared ({} values: outputs and traced "
      "layers), {} mismatches\n",
      models.size(), configs.size(), compared, compared == 0 ? 0 : inputs / compared, values,
      mismatches);
  for (const std::string& f : failures) ADD_FAILURE() << f;
  EXPECT_GT(values, 0) << "no case was compared";
  if (HasFailure()) {
    std::cout << "the cases' configurations are kept in " << dir.string() << "\n";
  } else {
    fs::remove_all(dir);
  }
}

}  // namespace
}  // namespace fixnn::emulator
