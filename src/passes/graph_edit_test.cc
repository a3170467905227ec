#include "passes/graph_edit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "passes/passes_test_util.h"

namespace fixnn::passes {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace fixnn::passes::testing;  // NOLINT(build/namespaces)

// x -> fc -> act -> out, with act also read by "side"; outputs: out, act.
ir::Graph Chain() {
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("x", {2}).ok());
  AddNode(g, "fc", ir::DenseAttrs{2, false}, {"x"}, {MakeWeight("kernel", {2, 2}, {1, 2, 3, 4})});
  AddNode(g, "act", ir::ActivationAttrs{ir::ActivationFn::kReLU}, {"fc"});
  AddNode(g, "out", ir::ActivationAttrs{ir::ActivationFn::kSigmoid}, {"act"});
  AddNode(g, "side", ir::MergeAttrs{ir::MergeKind::kAdd}, {"act", "fc"});
  Finish(g, "out");
  EXPECT_TRUE(g.MarkOutput("act").ok());
  EXPECT_TRUE(g.MarkOutput("side").ok());
  g.FindTensor("fc")->precision.type = Type("fixed<9,3>");
  g.name = "m";
  return g;
}

TEST(GraphEditTest, RemoveNodeRewiresReadersAndOutputs) {
  ir::Graph g = Chain();
  ASSERT_TRUE(RemoveNode(g, "act", "fc").ok());
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "fc", "out", "side"));
  EXPECT_THAT(g.FindNode("out")->inputs, ElementsAre("fc"));
  EXPECT_THAT(g.FindNode("side")->inputs, ElementsAre("fc", "fc"));
  EXPECT_THAT(g.outputs(), ElementsAre("out", "fc", "side"));
  EXPECT_THAT(g.inputs(), ElementsAre("x"));
  EXPECT_EQ(g.FindTensor("act"), nullptr);
  // Everything else is kept: tensor types and shapes, weights, the graph's name.
  EXPECT_EQ(TensorType(g, "fc"), "ap_fixed<9,3>");
  EXPECT_THAT(g.FindTensor("out")->shape, ElementsAre(2));
  EXPECT_EQ(g.FindNode("fc")->weights.size(), 1u);
  EXPECT_EQ(g.name, "m");
  EXPECT_TRUE(g.Validate().ok());
}

TEST(GraphEditTest, InsertAfterMovesEveryReader) {
  ir::Graph g = Chain();
  ir::Node scale;
  scale.name = "fc_alpha";
  scale.attrs = ir::ScaleAttrs{false};
  scale.weights = {MakeWeight("scale", {2}, {0.5, 2})};
  ASSERT_TRUE(InsertAfter(g, "fc", scale).ok());
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "fc", "fc_alpha", "act", "out", "side"));
  EXPECT_THAT(g.FindNode("fc_alpha")->inputs, ElementsAre("fc"));
  EXPECT_THAT(g.FindNode("act")->inputs, ElementsAre("fc_alpha"));
  EXPECT_THAT(g.FindNode("side")->inputs, ElementsAre("act", "fc_alpha"));
  EXPECT_THAT(g.FindTensor("fc_alpha")->shape, ElementsAre(2));
  EXPECT_EQ(TensorType(g, "fc_alpha"), "unset");
  EXPECT_EQ(TensorType(g, "fc"), "ap_fixed<9,3>");
  EXPECT_TRUE(g.Validate().ok());
}

TEST(GraphEditTest, InsertAfterAGraphOutput) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {3}).ok());
  AddNode(g, "fc", ir::DenseAttrs{2, false}, {"x"},
          {MakeWeight("kernel", {3, 2}, {1, 2, 3, 4, 5, 6})});
  Finish(g, "fc");
  ir::Node n;
  n.name = "fc_alpha";
  n.attrs = ir::ScaleAttrs{false};
  ASSERT_TRUE(InsertAfter(g, "fc", n).ok());
  EXPECT_THAT(g.outputs(), ElementsAre("fc_alpha"));
  // An input is re-created as an input.
  EXPECT_THAT(g.inputs(), ElementsAre("x"));
  EXPECT_THAT(g.FindTensor("x")->shape, ElementsAre(3));
}

TEST(GraphEditTest, Errors) {
  ir::Graph g = Chain();
  ir::Node n;
  n.name = "act";
  EXPECT_THAT(InsertAfter(g, "fc", n).error().message(), HasSubstr("'act' already exists"));
  EXPECT_THAT(RemoveNode(g, "nope", "fc").error().message(), HasSubstr("no layer named 'nope'"));
  // The replacement must exist before the readers.
  EXPECT_FALSE(RemoveNode(g, "fc", "out").ok());
}

TEST(GraphEditTest, SingleUse) {
  const ir::Graph g = Chain();
  EXPECT_FALSE(HasSingleUse(g, "fc"));   // act and side
  EXPECT_FALSE(HasSingleUse(g, "act"));  // a graph output
  EXPECT_FALSE(HasSingleUse(g, "out"));
  EXPECT_TRUE(HasSingleUse(g, "x"));
}

}  // namespace
}  // namespace fixnn::passes
