#include "passes/passes_test_util.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <random>

#include "config/project_config.h"
#include "emulator/emulator.h"
#include "ir/shape_inference.h"

namespace fixnn::passes::testing {

config::HlsConfig ParseConfig(const std::string& yaml) {
  Result<config::HlsConfig> c = config::ParseHlsConfig(YAML::Load(yaml), "config.yml");
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message());
  return c.ok() ? *c : config::HlsConfig{};
}

fixed::FixedType Type(const std::string& text) {
  Result<fixed::FixedType> t = fixed::ParseFixedType(text);
  EXPECT_TRUE(t.ok()) << text;
  return t.ok() ? *t : fixed::FixedType{};
}

ir::Weight MakeWeight(const std::string& name, const ir::Shape& shape,
                      const std::vector<double>& values) {
  ir::Weight w;
  w.name = name;
  w.shape = shape;
  w.values = values;
  return w;
}

ir::Quantizer FixedQuantizer(const std::string& type) {
  ir::Quantizer q;
  q.kind = ir::QuantizerKind::kFixed;
  q.type = Type(type);
  q.spelling = "quantized_bits";
  return q;
}

void AddNode(ir::Graph& graph, const std::string& name, ir::OpAttrs attrs,
             const std::vector<std::string>& inputs, std::vector<ir::Weight> weights,
             const std::string& source) {
  ir::Node n;
  n.name = name;
  n.source = source;
  n.attrs = std::move(attrs);
  n.inputs = inputs;
  n.outputs = {name};
  n.weights = std::move(weights);
  Status s = graph.AddNode(std::move(n));
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message());
}

void Finish(ir::Graph& graph, const std::string& output) {
  Status shapes = ir::InferShapes(graph);
  ASSERT_TRUE(shapes.ok()) << shapes.error().message();
  ASSERT_TRUE(graph.MarkOutput(output).ok());
}

namespace {

std::string Describe(const ir::Precision& p) {
  if (p.type) return p.type->ToString();
  if (p.per_element) return "per-element";
  return "unset";
}

}  // namespace

std::string TensorType(const ir::Graph& graph, const std::string& name) {
  const ir::Tensor* t = graph.FindTensor(name);
  return t == nullptr ? "missing" : Describe(t->precision);
}

std::string WeightType(const ir::Graph& graph, const std::string& node, const std::string& weight) {
  const ir::Node* n = graph.FindNode(node);
  const ir::Weight* w = n == nullptr ? nullptr : n->FindWeight(weight);
  return w == nullptr ? "missing" : Describe(w->precision);
}

std::string InternalTypeOf(const ir::Graph& graph, const std::string& node,
                           const std::string& key) {
  const ir::Node* n = graph.FindNode(node);
  if (n == nullptr) return "missing";
  auto it = n->types.find(key);
  return it == n->types.end() ? "unset" : it->second.ToString();
}

std::vector<std::string> NodeNames(const ir::Graph& graph) {
  std::vector<std::string> names;
  for (const ir::Node& n : graph.nodes()) names.push_back(n.name);
  return names;
}

std::vector<double> Emulate(const ir::Graph& graph, const std::vector<double>& x) {
  const ir::Tensor* in = graph.FindTensor(graph.inputs().at(0));
  const int64_t size = ir::NumElements(in->shape);
  reference::Batch batch;
  batch.shape = {static_cast<int64_t>(x.size()) / size};
  batch.shape.insert(batch.shape.end(), in->shape.begin(), in->shape.end());
  batch.values = x;
  std::vector<double> results[2];
  for (int exact = 0; exact < 2; ++exact) {
    emulator::EmulatorOptions options;
    options.exact_arithmetic = exact == 1;
    Result<emulator::Emulator> e = emulator::Emulator::Create(graph, options);
    EXPECT_TRUE(e.ok()) << (e.ok() ? "" : e.error().message());
    if (!e.ok()) return {};
    Result<std::vector<reference::Batch>> out = e->Run({batch});
    EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().message());
    if (!out.ok()) return {};
    results[exact] = out->at(0).values;
  }
  EXPECT_EQ(results[0], results[1]) << "the int64 and exact paths disagree";
  return results[0];
}

std::vector<double> Inputs(size_t count, double range, double lsb, unsigned seed) {
  std::mt19937 rng(seed);
  const auto steps = static_cast<int64_t>(std::llround(range / lsb));
  std::uniform_int_distribution<int64_t> dist(-steps, steps - 1);
  std::vector<double> out(count);
  for (double& v : out) v = static_cast<double>(dist(rng)) * lsb;
  return out;
}

}  // namespace fixnn::passes::testing
