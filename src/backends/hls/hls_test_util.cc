#include "backends/hls/hls_test_util.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <random>

#include "config/config_from_graph.h"
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
    if (!node.is<ir::DenseAttrs>()) continue;
    auto it = c.by_name.find(node.name);
    if (it == c.by_name.end()) continue;
    const ir::Weight* k = node.FindWeight("kernel");
    const int64_t n_in = k->shape[0], n_out = k->shape[1];
    it->second.strategy = config::Strategy::kResource;
    it->second.reuse_factor = big ? ((n_out % 2 == 0) ? 2 * n_in : n_in) : SmallestDivisor(n_in);
    it->second.precision["accum"] = Spec("fixed<10,3,RND,SAT>");
  }
}

// The fixture with every Concatenate or Merge of more than two inputs made a chain of
// two-input layers (hls4ml converts two-input merges only), as the emulator's interop matrix
// does with its '.split' models (an Average chain averages pairs: not the model's average, but
// the project and the emulator run the same graph). The last layer of a chain keeps the
// original name and output.
Result<ir::Graph> SplitMerges(const ir::Graph& g) {
  ir::Graph out;
  out.name = g.name;
  for (const ir::Node& node : g.nodes()) {
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
  for (const std::string& t : g.outputs()) {
    if (Status s = out.MarkOutput(t); !s.ok()) return s.error();
  }
  if (Status s = ir::InferShapes(out); !s.ok()) return s.error();
  return out;
}

}  // namespace

Result<ir::Graph> LoadFixture(const std::string& fixture, const std::string& config_name) {
  const fs::path dir = FixtureDir(fixture);
  const fs::path model = fs::exists(dir / "model.keras") ? dir / "model.keras" : dir / "model.h5";
  Result<ir::Graph> loaded = frontends::keras::LoadKerasModel(model.string());
  if (!loaded.ok()) return loaded.error();
  Result<ir::Graph> g = SplitMerges(*loaded);
  if (!g.ok()) return g.error();
  Result<config::HlsConfig> c = config::ConfigFromGraph(*g, config::Granularity::kName);
  if (!c.ok()) return c.error();
  if (config_name != "default" && config_name != "resource_big_rf") SetResult(*c);
  if (config_name == "softmax_stable" || config_name == "softmax_latency") {
    for (auto& [name, entry] : c->by_name) {
      if (!entry.implementation) continue;
      entry.implementation = config_name == "softmax_stable" ? config::Implementation::kStable
                                                             : config::Implementation::kLatency;
      entry.table_size = 512;
    }
  } else if (config_name == "resource_sat" || config_name == "resource_big_rf") {
    SetResource(*c, *g, config_name == "resource_big_rf");
  } else if (config_name != "default" && config_name != "rnd_sat") {
    return Error(fmt::format("unknown test configuration '{}'", config_name));
  }
  if (Status s = passes::Configure(*g, *c, passes::ConfigureOptions::Hls4ml()); !s.ok()) {
    return s.error();
  }
  if (Status s = ir::InferShapes(*g); !s.ok()) return s.error();
  return g;
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
