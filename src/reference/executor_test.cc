// The executor: graph walk over several samples, weight and output quantizers, traces, and
// the errors a caller can cause.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "reference/reference_executor.h"
#include "reference/reference_test_util.h"

namespace fixnn::reference {
namespace {

using testing::MakeNode;
using testing::W;

using V = std::vector<double>;

ir::Quantizer Steps(double step_log2_neg) {
  ir::Quantizer q;
  q.type = fixed::FixedType::Fixed(8, 8 - static_cast<int>(step_log2_neg));  // truncation
  return q;
}

// a [2] -> dense (kernel quantized to steps of 0.25) -> add with b [2] (output quantized to
// steps of 0.5); outputs: the sum and the dense result.
ir::Graph TwoInputGraph() {
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("a", {2}).ok());
  EXPECT_TRUE(g.AddInput("b", {2}).ok());
  ir::Node dense = MakeNode("dense", ir::DenseAttrs{2, true}, {"a"},
                            {W("kernel", {2, 2}, {0.3, 1.0, -0.6, 0.5}), W("bias", {2}, {0.1, 0})});
  dense.weights[0].quantizer = Steps(2);  // kernel -> [0.25, 1, -0.75, 0.5]
  EXPECT_TRUE(g.AddNode(dense).ok());
  ir::Node add = MakeNode("add", ir::MergeAttrs{ir::MergeKind::kAdd}, {"dense", "b"});
  add.output_quantizer = Steps(1);
  EXPECT_TRUE(g.AddNode(add).ok());
  EXPECT_TRUE(g.MarkOutput("add").ok());
  EXPECT_TRUE(g.MarkOutput("dense").ok());
  return g;
}

struct Recorder : TraceSink {
  std::vector<std::string> events;
  void OnNode(int64_t sample, const ir::Node& node,
              const std::vector<std::span<const double>>& outputs) override {
    std::string e = fmt::format("{}:{}:", sample, node.name);
    for (std::span<const double> o : outputs) {
      for (double v : o) e += fmt::format("{},", v);
    }
    events.push_back(e);
  }
};

TEST(ReferenceExecutor, RunsEverySampleWithQuantizersAndTrace) {
  ir::Graph g = TwoInputGraph();
  Batch a{{3, 2}, {1, 0, 0, 1, 2, -1}};
  Batch b{{3, 2}, {0, 0, 0.2, 0.2, -1, 1}};
  Recorder rec;
  auto r = RunReference(g, {a, b}, &rec);
  ASSERT_TRUE(r.ok()) << r.error().message();
  ASSERT_EQ(r->size(), 2u);
  // dense(x) = [0.25 x0 - 0.75 x1 + 0.1, x0 + 0.5 x1]
  EXPECT_EQ((*r)[1].shape, (std::vector<int64_t>{3, 2}));
  const V dense = {0.35, 1, -0.65, 0.5, 1.35, 1.5};
  for (size_t i = 0; i < dense.size(); ++i) EXPECT_NEAR((*r)[1].values[i], dense[i], 1e-15);
  // add, truncated to steps of 0.5: [0.35, 1] -> [0, 1]; [-0.45, 0.7] -> [-0.5, 0.5];
  // [0.35, 2.5] -> [0, 2.5]
  EXPECT_EQ((*r)[0].values, (V{0, 1, -0.5, 0.5, 0, 2.5}));
  // Trace: every node (inputs included) for every sample, in graph order.
  ASSERT_EQ(rec.events.size(), 12u);
  EXPECT_EQ(rec.events[0], "0:a:1,0,");
  EXPECT_EQ(rec.events[3], "0:add:0,1,");
  EXPECT_EQ(rec.events[11], "2:add:0,2.5,");
  // The caller's graph keeps its unquantized weights.
  EXPECT_EQ(g.FindNode("dense")->weights[0].values[0], 0.3);
}

TEST(ReferenceExecutor, ExecutorIsReusable) {
  auto ex = ReferenceExecutor::Create(TwoInputGraph());
  ASSERT_TRUE(ex.ok()) << ex.error().message();
  EXPECT_EQ(ex->graph().FindNode("dense")->weights[0].values[0], 0.25);
  auto r1 = ex->Run({Batch{{1, 2}, {1, 0}}, Batch{{1, 2}, {0, 0}}});
  auto r2 = ex->Run({Batch{{1, 2}, {1, 0}}, Batch{{1, 2}, {0, 0}}});
  ASSERT_TRUE(r1.ok() && r2.ok());
  EXPECT_EQ((*r1)[0].values, (*r2)[0].values);
}

TEST(ReferenceExecutor, InputErrors) {
  ir::Graph g = TwoInputGraph();
  auto r = RunReference(g, {Batch{{1, 2}, {1, 0}}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "the model takes 2 input(s), got 1");
  r = RunReference(g, {Batch{{1, 3}, {1, 0, 0}}, Batch{{1, 2}, {0, 0}}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "input 'a': got shape [1, 3] with 3 values, expected [N, 2]");
  r = RunReference(g, {Batch{{2, 2}, {1, 0, 0, 1}}, Batch{{1, 2}, {0, 0}}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "input 'b' has 1 samples, the first input has 2");
  r = RunReference(g, {Batch{{1, 2}, {1, 0, 0}}, Batch{{1, 2}, {0, 0}}});
  EXPECT_FALSE(r.ok());
}

TEST(ReferenceExecutor, GraphErrorsNameTheLayer) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {3}).ok());
  ASSERT_TRUE(g.AddNode(MakeNode("dense_1", ir::DenseAttrs{2, false}, {"x"},
                                 {W("kernel", {4, 2}, V(8, 0.0))}))
                  .ok());
  ASSERT_TRUE(g.MarkOutput("dense_1").ok());
  auto r = RunReference(g, {Batch{{1, 3}, {1, 2, 3}}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(),
            "layer 'dense_1': weight 'kernel' has shape [4, 2], expected [3, 2]");
}

TEST(ReferenceExecutor, KernelErrorsNameTheSample) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("tokens", {2}, true).ok());
  ASSERT_TRUE(g.AddNode(MakeNode("emb", ir::EmbeddingAttrs{2, 1}, {"tokens"},
                                 {W("embeddings", {2, 1}, {5, 6})}))
                  .ok());
  ASSERT_TRUE(g.MarkOutput("emb").ok());
  auto r = RunReference(g, {Batch{{2, 2}, {0, 1, 1, 7}}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "sample 1: layer 'emb': index 7 at position 1 is outside [0, 2)");
}

TEST(ReferenceExecutor, ZeroSamples) {
  auto r = RunReference(TwoInputGraph(), {Batch{{0, 2}, {}}, Batch{{0, 2}, {}}});
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ((*r)[0].shape, (std::vector<int64_t>{0, 2}));
  EXPECT_TRUE((*r)[0].values.empty());
}

}  // namespace
}  // namespace fixnn::reference
