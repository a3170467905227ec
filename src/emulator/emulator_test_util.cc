#include "emulator/emulator_test_util.h"

#include <gtest/gtest.h>

#include "ir/shape_inference.h"

namespace fixnn::emulator::testing {

fixed::FixedType T(const std::string& text) {
  Result<fixed::FixedType> t = fixed::ParseFixedType(text);
  EXPECT_TRUE(t.ok()) << text << ": " << (t.ok() ? "" : t.error().message());
  return t.ok() ? *t : fixed::FixedType();
}

ir::Weight TypedWeight(const std::string& name, const ir::Shape& shape,
                       const std::vector<double>& values, const std::string& type) {
  ir::Weight w;
  w.name = name;
  w.shape = shape;
  w.values = values;
  w.precision.type = T(type);
  return w;
}

ChainBuilder::ChainBuilder(const ir::Shape& shape, const std::string& input_type) {
  Status s = graph_.AddInput("x", shape);
  EXPECT_TRUE(s.ok());
  graph_.FindTensor("x")->precision.type = T(input_type);
}

ChainBuilder& ChainBuilder::Add(ir::Node node, const std::string& result_type) {
  node.inputs = {last_};
  node.outputs = {node.name};
  last_ = node.name;
  Status s = graph_.AddNode(std::move(node));
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message());
  if (ir::Tensor* t = graph_.FindTensor(last_)) t->precision.type = T(result_type);
  return *this;
}

ir::Graph ChainBuilder::Finish() {
  Status s = graph_.MarkOutput(last_);
  EXPECT_TRUE(s.ok());
  s = ir::InferShapes(graph_);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message());
  return graph_;
}

ir::Node DenseNode(const std::string& name, int64_t n_in, int64_t n_out,
                   const std::vector<double>& kernel, const std::vector<double>& bias,
                   const std::string& weight_type, const std::string& bias_type,
                   const std::string& accum_type) {
  ir::Node node;
  node.name = name;
  node.source = "Dense";
  node.attrs = ir::DenseAttrs{n_out, !bias.empty()};
  node.weights.push_back(TypedWeight("kernel", {n_in, n_out}, kernel, weight_type));
  if (!bias.empty()) node.weights.push_back(TypedWeight("bias", {n_out}, bias, bias_type));
  node.types["accum"] = T(accum_type);
  return node;
}

ir::Node ActivationNode(const std::string& name, const ir::ActivationAttrs& attrs,
                        const std::map<std::string, std::string>& types) {
  ir::Node node;
  node.name = name;
  node.source = "Activation";
  node.attrs = attrs;
  for (const auto& [key, type] : types) node.types[key] = T(type);
  return node;
}

RunResult Emulate(const ir::Graph& graph, const std::vector<double>& x) {
  RunResult out;
  const ir::Shape& shape = graph.FindTensor(graph.inputs()[0])->shape;
  const int64_t per_sample = ir::NumElements(shape);
  Batch batch;
  batch.shape = shape;
  batch.shape.insert(batch.shape.begin(), static_cast<int64_t>(x.size()) / per_sample);
  batch.values = x;
  Result<Emulator> fast = Emulator::Create(graph);
  EXPECT_TRUE(fast.ok()) << (fast.ok() ? "" : fast.error().message());
  Result<Emulator> exact = Emulator::Create(graph, EmulatorOptions{true});
  EXPECT_TRUE(exact.ok());
  if (!fast.ok() || !exact.ok()) return out;
  EXPECT_FALSE(exact->uses_int64());
  OverflowReport exact_report;
  Result<std::vector<Batch>> y = fast->Run({batch}, nullptr, &out.overflows);
  Result<std::vector<Batch>> y_exact = exact->Run({batch}, nullptr, &exact_report);
  EXPECT_TRUE(y.ok()) << (y.ok() ? "" : y.error().message());
  EXPECT_TRUE(y_exact.ok());
  if (!y.ok() || !y_exact.ok()) return out;
  out.y = (*y)[0].values;
  EXPECT_EQ(out.y, (*y_exact)[0].values) << "the int64 and exact paths differ";
  EXPECT_EQ(out.overflows.ToString(), exact_report.ToString());
  EXPECT_EQ(out.overflows.total(), exact_report.total());
  return out;
}

std::string CreateError(const ir::Graph& graph) {
  Result<Emulator> e = Emulator::Create(graph);
  return e.ok() ? "" : e.error().message();
}

std::pair<int64_t, int64_t> Counts(const OverflowReport& r, const std::string& node,
                                   const std::string& site) {
  const CastSite* s = r.Find(node, site);
  if (s == nullptr) return {-1, -1};
  return {s->overflow, s->underflow};
}

}  // namespace fixnn::emulator::testing
