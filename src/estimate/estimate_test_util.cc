#include "estimate/estimate_test_util.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "ir/shape_inference.h"
#include "passes/configure.h"

namespace fixnn::estimate::testing {

ir::Weight MakeWeight(const std::string& name, const ir::Shape& shape,
                      const std::vector<double>& values) {
  ir::Weight w;
  w.name = name;
  w.shape = shape;
  w.values = values;
  return w;
}

std::vector<double> Filled(size_t count, double value) { return std::vector<double>(count, value); }

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

void AddDense(ir::Graph& graph, const std::string& name, const std::string& input, int64_t n_in,
              int64_t units, double value) {
  AddNode(graph, name, ir::DenseAttrs{units, true}, {input},
          {MakeWeight("kernel", {n_in, units}, Filled(n_in * units, value)),
           MakeWeight("bias", {units}, Filled(units, 0.0))},
          "Dense");
}

void AddActivation(ir::Graph& graph, const std::string& name, const std::string& input,
                   ir::ActivationFn fn) {
  AddNode(graph, name, ir::ActivationAttrs{fn}, {input}, {}, "Activation");
}

void AddRecurrent(ir::Graph& graph, const std::string& name, const std::string& input,
                  int64_t features, int64_t units, ir::RecurrentCell cell, double value) {
  ir::RecurrentAttrs a;
  a.cell = cell;
  a.units = units;
  const int64_t g = cell == ir::RecurrentCell::kLSTM ? 4 : cell == ir::RecurrentCell::kGRU ? 3 : 1;
  std::vector<ir::Weight> w = {
      MakeWeight("kernel", {features, g * units}, Filled(features * g * units, value)),
      MakeWeight("recurrent_kernel", {units, g * units}, Filled(units * g * units, value))};
  if (cell == ir::RecurrentCell::kGRU) {
    w.push_back(MakeWeight("bias", {2, g * units}, Filled(2 * g * units, 0.0)));
  } else {
    w.push_back(MakeWeight("bias", {g * units}, Filled(g * units, 0.0)));
  }
  const char* source = cell == ir::RecurrentCell::kLSTM  ? "LSTM"
                       : cell == ir::RecurrentCell::kGRU ? "GRU"
                                                         : "SimpleRNN";
  AddNode(graph, name, a, {input}, std::move(w), source);
}

void Finish(ir::Graph& graph, const std::string& output) {
  Status shapes = ir::InferShapes(graph);
  ASSERT_TRUE(shapes.ok()) << shapes.error().message();
  ASSERT_TRUE(graph.MarkOutput(output).ok());
}

config::ProjectConfig Configure(ir::Graph& graph, const std::string& hls_yaml,
                                const std::string& part, config::IOType io) {
  config::ProjectConfig project;
  project.part = part;
  project.io_type = io;
  Result<config::HlsConfig> hls = config::ParseHlsConfig(YAML::Load(hls_yaml), "config.yml");
  EXPECT_TRUE(hls.ok()) << (hls.ok() ? "" : hls.error().message());
  if (!hls.ok()) return project;
  project.hls = *hls;
  passes::ReuseFactorOptions reuse;
  reuse.io_stream = io == config::IOType::kStream;
  Status s = passes::Configure(graph, project.hls, reuse);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message());
  return project;
}

ModelEstimate EstimateOrFail(const ir::Graph& graph, const config::ProjectConfig& project) {
  Result<ModelEstimate> e = Estimate(graph, project);
  EXPECT_TRUE(e.ok()) << (e.ok() ? "" : e.error().message());
  return e.ok() ? *e : ModelEstimate{};
}

const LayerEstimate& Layer(const ModelEstimate& e, const std::string& name) {
  static const LayerEstimate kNone;
  for (const LayerEstimate& l : e.layers) {
    if (l.name == name) return l;
  }
  ADD_FAILURE() << "no layer '" << name << "' in the estimate";
  return kNone;
}

int64_t Used(const backends::hls_reports::Resources& r, backends::hls_reports::ResourceKind k) {
  return r[k].used.value_or(0);
}

}  // namespace fixnn::estimate::testing
