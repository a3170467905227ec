// Dense, Dot, Embedding, BatchNorm, Scale, merges and Concatenate, worked out by hand.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>

#include "reference/reference_test_util.h"

namespace fixnn::reference {
namespace {

using testing::MakeNode;
using testing::Run1;
using testing::RunOne;
using testing::W;

using V = std::vector<double>;

TEST(ReferenceDense, ActsOnTheLastAxis) {
  // kernel [3, 2] = [[1, 2], [3, 4], [5, 6]], bias [0.5, -1]; input [2, 3].
  V y = Run1({2, 3},
             MakeNode("d", ir::DenseAttrs{2, true}, {"x0"},
                      {W("kernel", {3, 2}, {1, 2, 3, 4, 5, 6}), W("bias", {2}, {0.5, -1})}),
             {1, 0, -1, 2, 1, 0.5});
  EXPECT_EQ(y, (V{1 - 5 + 0.5, 2 - 6 - 1, 2 + 3 + 2.5 + 0.5, 4 + 4 + 3 - 1}));
  V z = Run1(
      {3},
      MakeNode("d", ir::DenseAttrs{2, false}, {"x0"}, {W("kernel", {3, 2}, {1, 2, 3, 4, 5, 6})}),
      {1, 1, 1});
  EXPECT_EQ(z, (V{9, 12}));
}

TEST(ReferenceDense, DotOverChosenAxes) {
  auto dot = [](std::vector<int64_t> axes, bool normalize, ir::Shape a, ir::Shape b, V va, V vb) {
    auto r = RunOne({a, b}, MakeNode("dot", ir::DotAttrs{axes, normalize}, {"x0", "x1"}), {va, vb});
    EXPECT_TRUE(r.ok()) << r.error().message();
    return r.ok() ? r->at(0) : V{};
  };
  EXPECT_EQ(dot({1, 1}, false, {3}, {3}, {1, 2, 3}, {4, 5, 6}), (V{32}));
  // a [2, 3], b [2, 2], axes (1, 1): out[i, j] = sum_k a[k, i] b[k, j] -> [3, 2].
  V a = {1, 2, 3, 4, 5, 6}, b = {1, 0, -1, 2};
  EXPECT_EQ(dot({1, 1}, false, {2, 3}, {2, 2}, a, b), (V{1 - 4, 8, 2 - 5, 10, 3 - 6, 12}));
  // axes (2, 1): a [2, 3] . c [3, 2], a matrix product.
  V c = {1, 2, 3, 4, 5, 6};
  EXPECT_EQ(dot({2, 1}, false, {2, 3}, {3, 2}, a, c), (V{22, 28, 49, 64}));
  EXPECT_EQ(dot({-1, -2}, false, {2, 3}, {3, 2}, a, c), (V{22, 28, 49, 64}));
  // normalize: cosine similarity.
  V cos = dot({1, 1}, true, {2}, {2}, {3, 4}, {4, 3});
  ASSERT_EQ(cos.size(), 1u);
  EXPECT_NEAR(cos[0], 24.0 / 25.0, 1e-15);
  // A zero vector normalizes to zero rather than NaN.
  V zero = dot({1, 1}, true, {2}, {2}, {0, 0}, {4, 3});
  EXPECT_EQ(zero, (V{0}));
}

TEST(ReferenceDense, EmbeddingLookupAndRange) {
  ir::Node node = MakeNode("emb", ir::EmbeddingAttrs{3, 2}, {"x0"},
                           {W("embeddings", {3, 2}, {0.1, 0.2, 1.1, 1.2, 2.1, 2.2})});
  EXPECT_EQ(Run1({4}, node, {2, 0, 1, 2}), (V{2.1, 2.2, 0.1, 0.2, 1.1, 1.2, 2.1, 2.2}));
  auto bad = RunOne({{2}}, node, {{1, 3}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("layer 'emb': index 3 at position 1 is outside [0, 3)"),
            std::string::npos)
      << bad.error().message();
  EXPECT_FALSE(RunOne({{1}}, node, {{-1}}).ok());
  EXPECT_FALSE(RunOne({{1}}, node, {{std::nan("")}}).ok());
}

TEST(ReferenceNormalization, BatchNormOnChosenAxis) {
  // gamma 2, beta 1, mean 0.5, var 3, eps 1: y = (x - 0.5) / 2 * 2 + 1 = x + 0.5 on channel 0;
  // channel 1: gamma 1, beta 0, mean -1, var 0.75, eps 1: y = (x + 1) / sqrt(1.75).
  ir::BatchNormAttrs bn;
  bn.axis = 1;  // the first axis after the batch: input [2, 3] has its channels there
  bn.epsilon = 1.0;
  V y = Run1({2, 3},
             MakeNode("bn", bn, {"x0"},
                      {W("gamma", {2}, {2, 1}), W("beta", {2}, {1, 0}),
                       W("moving_mean", {2}, {0.5, -1}), W("moving_variance", {2}, {3, 0.75})}),
             {1, 2, 3, 4, 5, 6});
  ASSERT_EQ(y.size(), 6u);
  for (int i = 0; i < 3; ++i) EXPECT_DOUBLE_EQ(y[i], i + 1 + 0.5);
  for (int i = 3; i < 6; ++i) EXPECT_DOUBLE_EQ(y[i], (i + 1 + 1) / std::sqrt(1.75));

  ir::BatchNormAttrs plain;  // axis -1, no gamma/beta
  plain.scale = plain.center = false;
  plain.epsilon = 0.0;
  V z = Run1({2, 2},
             MakeNode("bn", plain, {"x0"},
                      {W("moving_mean", {2}, {1, 2}), W("moving_variance", {2}, {4, 16})}),
             {3, 6, 5, 10});
  EXPECT_EQ(z, (V{1, 1, 2, 2}));
}

TEST(ReferenceNormalization, ScalePerChannelOrShared) {
  V y = Run1({2, 2},
             MakeNode("s", ir::ScaleAttrs{true}, {"x0"},
                      {W("scale", {2}, {2, -1}), W("bias", {1}, {0.5})}),
             {1, 2, 3, 4});
  EXPECT_EQ(y, (V{2.5, -1.5, 6.5, -3.5}));
  V z = Run1({3}, MakeNode("s", ir::ScaleAttrs{false}, {"x0"}, {W("scale", {1}, {0.25})}),
             {4, 8, -2});
  EXPECT_EQ(z, (V{1, 2, -0.5}));
}

V Merge(ir::MergeKind kind, std::vector<V> inputs) {
  std::vector<ir::Shape> shapes(inputs.size(), ir::Shape{3});
  std::vector<std::string> names;
  for (size_t i = 0; i < inputs.size(); ++i) names.push_back(fmt::format("x{}", i));
  auto r = RunOne(shapes, MakeNode("m", ir::MergeAttrs{kind}, names), inputs);
  EXPECT_TRUE(r.ok()) << r.error().message();
  return r.ok() ? r->at(0) : V{};
}

TEST(ReferenceMerge, ElementwiseKinds) {
  const V a = {1, -2, 3}, b = {4, 5, -6}, c = {0.5, 0.5, 2};
  using ir::MergeKind;
  EXPECT_EQ(Merge(MergeKind::kAdd, {a, b, c}), (V{5.5, 3.5, -1}));
  EXPECT_EQ(Merge(MergeKind::kSubtract, {a, b}), (V{-3, -7, 9}));
  EXPECT_EQ(Merge(MergeKind::kMultiply, {a, b, c}), (V{2, -5, -36}));
  EXPECT_EQ(Merge(MergeKind::kAverage, {a, b}), (V{2.5, 1.5, -1.5}));
  EXPECT_EQ(Merge(MergeKind::kMaximum, {a, b, c}), (V{4, 5, 3}));
  EXPECT_EQ(Merge(MergeKind::kMinimum, {a, b, c}), (V{0.5, -2, -6}));
}

TEST(ReferenceMerge, ConcatenateAxes) {
  // a [2, 2] = [[1, 2], [3, 4]], b [2, 1] = [[5], [6]] on the last axis.
  auto r = RunOne({{2, 2}, {2, 1}}, MakeNode("cat", ir::ConcatenateAttrs{-1}, {"x0", "x1"}),
                  {{1, 2, 3, 4}, {5, 6}});
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->at(0), (V{1, 2, 5, 3, 4, 6}));
  // a [2, 2] and c [1, 2] on Keras axis 1 (the first after the batch).
  r = RunOne({{2, 2}, {1, 2}}, MakeNode("cat", ir::ConcatenateAttrs{1}, {"x0", "x1"}),
             {{1, 2, 3, 4}, {7, 8}});
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->at(0), (V{1, 2, 3, 4, 7, 8}));
  // [2, 1, 2] and [2, 2, 2] on axis 2 (the middle axis).
  r = RunOne({{2, 1, 2}, {2, 2, 2}}, MakeNode("cat", ir::ConcatenateAttrs{2}, {"x0", "x1"}),
             {{1, 2, 3, 4}, {10, 11, 12, 13, 14, 15, 16, 17}});
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->at(0), (V{1, 2, 10, 11, 12, 13, 3, 4, 14, 15, 16, 17}));
}

}  // namespace
}  // namespace fixnn::reference
