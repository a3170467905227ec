#include "backends/hls/hls_test_util.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include "config/config_from_graph.h"
#include "emulator/emulator.h"
#include "frontends/keras/keras_frontend.h"
#include "ir/shape_inference.h"
#include "passes/configure.h"

namespace fixnn::backends::hls::testing {

namespace fs = std::filesystem;

fs::path FixtureDir(const std::string& fixture) { return fs::path(FIXNN_KERAS_FIXTURES) / fixture; }

namespace {

config::PrecisionSpec Spec(const char* text) {
  return config::PrecisionSpec::Of(*fixed::ParseFixedType(text));
}

void SetResult(config::HlsConfig& c) {
  for (auto& [name, entry] : c.by_name) entry.precision["result"] = Spec("fixed<12,4,RND,SAT>");
}

// The smallest divisor of n above 1 (n itself when prime; 1 when n is 1).
int64_t SmallestDivisor(int64_t n) {
  for (int64_t d = 2; d <= n; ++d) {
    if (n % d == 0) return d;
  }
  return 1;
}

void SetResource(config::HlsConfig& c, const ir::Graph& g, bool big) {
  for (const ir::Node& node : g.nodes()) {
    if (!node.is<ir::DenseAttrs>() && !node.is<ir::ConvAttrs>()) continue;
    auto it = c.by_name.find(node.name);
    if (it == c.by_name.end()) continue;
    const ir::Weight* k = node.FindWeight("kernel");
    const int64_t n_out = k->shape.back(), n_in = ir::NumElements(k->shape) / n_out;
    it->second.strategy = config::Strategy::kResource;
    if (node.is<ir::DenseAttrs>()) {
      it->second.reuse_factor = big ? ((n_out % 2 == 0) ? 2 * n_in : n_in) : SmallestDivisor(n_in);
    } else {
      // A convolution takes no reuse factor above its products per output.
      it->second.reuse_factor = big ? n_in : SmallestDivisor(n_in);
    }
    it->second.precision["accum"] = Spec("fixed<10,3,RND,SAT>");
  }
}

// The fixture with every Concatenate or Merge of more than two inputs made a chain of
// two-input layers (hls4ml converts two-input merges only), as the emulator's interop matrix
// does with its '.split' models (an Average chain averages pairs: not the model's average, but
// the project and the emulator run the same graph). The last layer of a chain keeps the
// original name and output.
//
// Nodes named in `cut`, and every node reading what they compute, are left out; the tensors
// they read become outputs (so that what is computed before them is still observed).
Result<ir::Graph> SplitMerges(const ir::Graph& g, const std::set<std::string>& cut) {
  ir::Graph out;
  out.name = g.name;
  std::set<std::string> dropped;  // tensors no longer computed
  std::vector<std::string> cut_inputs;
  for (const ir::Node& node : g.nodes()) {
    if (node.kind() != ir::OpKind::kInput) {
      const bool reads_dropped =
          std::any_of(node.inputs.begin(), node.inputs.end(),
                      [&](const std::string& t) { return dropped.count(t); });
      if (reads_dropped || cut.count(node.name) != 0) {
        for (const std::string& t : node.inputs) {
          if (dropped.count(t) == 0) cut_inputs.push_back(t);
        }
        dropped.insert(node.outputs.begin(), node.outputs.end());
        continue;
      }
    }
    if (node.kind() == ir::OpKind::kInput) {
      const ir::Tensor* t = g.FindTensor(node.outputs[0]);
      if (Status s = out.AddInput(node.outputs[0], t->shape, t->integer_valued); !s.ok()) {
        return s.error();
      }
      continue;
    }
    bool split = node.inputs.size() > 2 && node.is<ir::ConcatenateAttrs>();
    if (node.inputs.size() > 2 && node.is<ir::MergeAttrs>()) {
      const ir::MergeKind k = node.as<ir::MergeAttrs>().kind;
      split = k != ir::MergeKind::kSubtract;
    }
    if (!split) {
      if (Status s = out.AddNode(node); !s.ok()) return s.error();
      continue;
    }
    std::string acc = node.inputs[0];
    for (size_t i = 1; i < node.inputs.size(); ++i) {
      ir::Node part = node;
      const bool last = i + 1 == node.inputs.size();
      part.name = last ? node.name : fmt::format("{}_part{}", node.name, i);
      part.inputs = {acc, node.inputs[i]};
      part.outputs = {last ? node.outputs[0] : part.name};
      acc = part.outputs[0];
      if (Status s = out.AddNode(std::move(part)); !s.ok()) return s.error();
    }
  }
  std::set<std::string> marked;
  for (const std::string& t : g.outputs()) {
    if (dropped.count(t) != 0 || !marked.insert(t).second) continue;
    if (Status s = out.MarkOutput(t); !s.ok()) return s.error();
  }
  for (const std::string& t : cut_inputs) {
    const bool graph_input = std::find(g.inputs().begin(), g.inputs().end(), t) != g.inputs().end();
    if (graph_input || dropped.count(t) != 0 || !marked.insert(t).second) continue;
    if (Status s = out.MarkOutput(t); !s.ok()) return s.error();
  }
  if (Status s = ir::InferShapes(out); !s.ok()) return s.error();
  return out;
}

// The layer an error names ("layer 'x' (Conv): ..."), or "".
std::string NamedLayer(const std::string& message) {
  const std::string prefix = "layer '";
  if (message.rfind(prefix, 0) != 0) return "";
  const size_t end = message.find('\'', prefix.size());
  return end == std::string::npos ? "" : message.substr(prefix.size(), end - prefix.size());
}

// The fixture without the nodes in `cut`, configured as `config_name` says.
Result<ir::Graph> Configured(const ir::Graph& loaded, const std::set<std::string>& cut,
                             std::string config_name) {
  const std::string exponent_prefix = "exponent_products";
  const bool exponent_products = config_name.rfind(exponent_prefix, 0) == 0;
  if (exponent_products) {
    config_name = config_name == exponent_prefix                ? "default"
                  : config_name == exponent_prefix + "_rnd_sat" ? "rnd_sat"
                                                                : "unknown: " + config_name;
  }
  Result<ir::Graph> g = SplitMerges(loaded, cut);
  if (!g.ok()) return g.error();
  Result<config::HlsConfig> c = config::ConfigFromGraph(*g, config::Granularity::kName);
  if (!c.ok()) return c.error();
  if (config_name != "default" && config_name != "resource_big_rf") SetResult(*c);
  if (config_name == "softmax_stable" || config_name == "softmax_latency" ||
      config_name == "softmax_legacy") {
    for (auto& [name, entry] : c->by_name) {
      if (!entry.implementation) continue;
      entry.implementation = config_name == "softmax_stable"    ? config::Implementation::kStable
                             : config_name == "softmax_latency" ? config::Implementation::kLatency
                                                                : config::Implementation::kLegacy;
      entry.table_size = 512;
    }
  } else if (config_name == "resource_sat" || config_name == "resource_big_rf") {
    SetResource(*c, *g, config_name == "resource_big_rf");
  } else if (config_name != "default" && config_name != "rnd_sat") {
    return Error(fmt::format("unknown test configuration '{}'", config_name));
  }
  // hls4ml's choices; power-of-two kernels multiply exactly unless asked otherwise.
  passes::ConfigureOptions options = passes::ConfigureOptions::Hls4ml();
  options.hls4ml_exponent_products = exponent_products;
  if (Status s = passes::Configure(*g, *c, options); !s.ok()) return s.error();
  if (Status s = ir::InferShapes(*g); !s.ok()) return s.error();
  return g;
}

}  // namespace

Result<ir::Graph> LoadFixture(const std::string& fixture, const std::string& config_name) {
  const std::string cut_suffix = ".cut";
  const bool cut_refused =
      fixture.size() > cut_suffix.size() &&
      fixture.compare(fixture.size() - cut_suffix.size(), cut_suffix.size(), cut_suffix) == 0;
  const std::string name =
      cut_refused ? fixture.substr(0, fixture.size() - cut_suffix.size()) : fixture;
  const fs::path dir = FixtureDir(name);
  const fs::path model = fs::exists(dir / "model.keras") ? dir / "model.keras" : dir / "model.h5";
  Result<ir::Graph> loaded = frontends::keras::LoadKerasModel(model.string());
  if (!loaded.ok()) return loaded.error();
  // The layers the emulator (or the configuration) refuses under the default configuration.
  std::set<std::string> cut;
  while (cut_refused) {
    Result<ir::Graph> g = Configured(*loaded, cut, "default");
    Error refused("");
    if (g.ok()) {
      Result<emulator::Emulator> em = emulator::Emulator::Create(*g);
      if (em.ok()) break;
      refused = em.error();
    } else {
      refused = g.error();  // the configuration refuses a layer
    }
    const std::string layer = NamedLayer(refused.message());
    if (layer.empty() || !cut.insert(layer).second) return refused;
  }
  return Configured(*loaded, cut, config_name);
}

std::vector<reference::Batch> RandomInputs(const ir::Graph& graph, int64_t n, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> log_scale(std::log(0.25), std::log(48.0));
  std::vector<reference::Batch> out;
  for (const std::string& name : graph.inputs()) {
    const ir::Tensor* t = graph.FindTensor(name);
    reference::Batch b;
    b.shape = t->shape;
    b.shape.insert(b.shape.begin(), n);
    const int64_t size = ir::NumElements(t->shape);
    b.values.reserve(static_cast<size_t>(n * size));
    for (int64_t s = 0; s < n; ++s) {
      const double scale = std::exp(log_scale(rng));
      for (int64_t i = 0; i < size; ++i) {
        b.values.push_back(static_cast<float>(normal(rng) * scale));
      }
    }
    out.push_back(std::move(b));
  }
  return out;
}

fs::path ScratchDir(const std::string& tag) {
  static int counter = 0;
  const fs::path dir =
      fs::temp_directory_path() / fmt::format("fixnn-hls-{}-{}-{}", tag, ::getpid(), counter++);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace fixnn::backends::hls::testing
