#include "reference/reference_test_util.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <random>
#include <utility>

namespace fixnn::reference::testing {

ir::Weight W(std::string name, ir::Shape shape, std::vector<double> values) {
  ir::Weight w;
  w.name = std::move(name);
  w.shape = std::move(shape);
  w.values = std::move(values);
  return w;
}

ir::Node MakeNode(std::string name, ir::OpAttrs attrs, std::vector<std::string> inputs,
                  std::vector<ir::Weight> weights, std::vector<std::string> outputs) {
  ir::Node n;
  n.name = name;
  n.attrs = std::move(attrs);
  n.inputs = std::move(inputs);
  n.outputs = outputs.empty() ? std::vector<std::string>{name} : std::move(outputs);
  n.weights = std::move(weights);
  return n;
}

Result<std::vector<std::vector<double>>> RunOne(const std::vector<ir::Shape>& shapes, ir::Node node,
                                                const std::vector<std::vector<double>>& inputs) {
  ir::Graph g;
  std::vector<Batch> batches;
  for (size_t i = 0; i < shapes.size(); ++i) {
    std::string name = fmt::format("x{}", i);
    if (Status s = g.AddInput(name, shapes[i]); !s.ok()) return s.error();
    Batch b;
    b.shape = shapes[i];
    b.shape.insert(b.shape.begin(), 1);
    b.values = inputs[i];
    batches.push_back(std::move(b));
  }
  std::vector<std::string> outputs = node.outputs;
  if (Status s = g.AddNode(std::move(node)); !s.ok()) return s.error();
  for (const std::string& out : outputs) {
    if (Status s = g.MarkOutput(out); !s.ok()) return s.error();
  }
  auto r = RunReference(g, batches);
  if (!r) return r.error();
  std::vector<std::vector<double>> values;
  for (Batch& b : *r) values.push_back(std::move(b.values));
  return values;
}

std::vector<double> Run1(const ir::Shape& shape, ir::Node node, const std::vector<double>& input) {
  auto r = RunOne({shape}, std::move(node), {input});
  EXPECT_TRUE(r.ok()) << r.error().message();
  if (!r.ok()) return {};
  return r->at(0);
}

std::vector<double> Ramp(int64_t n, double scale, double offset) {
  std::vector<double> v(n);
  for (int64_t i = 0; i < n; ++i) v[i] = offset + scale * static_cast<double>(i);
  return v;
}

std::vector<double> Pseudo(int64_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> dist(-1.0, 1.0);
  std::vector<double> v(n);
  for (double& x : v) x = dist(gen);
  return v;
}

}  // namespace fixnn::reference::testing
