#include "ir/shape_inference.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace fixnn::ir {
namespace {

Weight W(std::string name, Shape shape) {
  Weight w;
  w.name = std::move(name);
  w.shape = std::move(shape);
  w.values.assign(NumElements(w.shape), 0.0);
  return w;
}

Node MakeNode(std::string name, OpAttrs attrs, std::vector<std::string> inputs,
              std::vector<Weight> weights = {}, std::vector<std::string> outputs = {}) {
  Node n;
  n.name = name;
  n.attrs = std::move(attrs);
  n.inputs = std::move(inputs);
  n.outputs = outputs.empty() ? std::vector<std::string>{name} : std::move(outputs);
  n.weights = std::move(weights);
  return n;
}

// A graph with input "x" of `in` and one node reading it; returns the status of InferShapes
// and leaves the graph for inspection.
struct OneOp {
  Graph g;
  Status status;
  OneOp(const Shape& in, Node node) {
    EXPECT_TRUE(g.AddInput("x", in).ok());
    EXPECT_TRUE(g.AddNode(std::move(node)).ok());
    status = InferShapes(g);
  }
  Shape out(const std::string& name) const { return g.FindTensor(name)->shape; }
};

Shape InferOne(const Shape& in, Node node) {
  std::string name = node.outputs[0];
  OneOp op(in, std::move(node));
  EXPECT_TRUE(op.status.ok()) << op.status.error().message();
  return op.status.ok() ? op.out(name) : Shape{-999};
}

std::string InferError(const Shape& in, Node node) {
  OneOp op(in, std::move(node));
  EXPECT_FALSE(op.status.ok());
  return op.status.ok() ? "" : op.status.error().message();
}

ConvAttrs Conv(int64_t filters, std::vector<int64_t> k, std::vector<int64_t> s,
               std::vector<int64_t> d, Padding p) {
  ConvAttrs a;
  a.filters = filters;
  a.kernel = std::move(k);
  a.strides = std::move(s);
  a.dilation = std::move(d);
  a.padding = p;
  return a;
}

TEST(ShapeInference, DenseActsOnLastAxis) {
  EXPECT_EQ(InferOne({7}, MakeNode("d", DenseAttrs{5, true}, {"x"},
                                   {W("kernel", {7, 5}), W("bias", {5})})),
            (Shape{5}));
  EXPECT_EQ(InferOne({4, 3, 7}, MakeNode("d", DenseAttrs{5, false}, {"x"}, {W("kernel", {7, 5})})),
            (Shape{4, 3, 5}));
}

TEST(ShapeInference, ConvValidSameCausalStridesDilation) {
  auto conv2d = [](Shape in, ConvAttrs a) {
    Shape kernel = a.kernel;
    kernel.push_back(in.back());
    kernel.push_back(a.filters);
    return InferOne(in, MakeNode("c", a, {"x"}, {W("kernel", kernel), W("bias", {a.filters})}));
  };
  // valid: floor((n - d(k-1) - 1)/s) + 1
  EXPECT_EQ(conv2d({10, 9, 2}, Conv(8, {3, 3}, {}, {}, Padding::kValid)), (Shape{8, 7, 8}));
  EXPECT_EQ(conv2d({10, 9, 2}, Conv(8, {3, 3}, {2, 3}, {}, Padding::kValid)), (Shape{4, 3, 8}));
  EXPECT_EQ(conv2d({10, 9, 2}, Conv(8, {3, 3}, {1, 1}, {2, 3}, Padding::kValid)), (Shape{6, 3, 8}));
  // same: ceil(n/s)
  EXPECT_EQ(conv2d({10, 9, 2}, Conv(4, {3, 2}, {3, 2}, {}, Padding::kSame)), (Shape{4, 5, 4}));
  EXPECT_EQ(conv2d({10, 9, 2}, Conv(4, {5, 5}, {1, 1}, {2, 2}, Padding::kSame)), (Shape{10, 9, 4}));
  // causal (1D): like same
  EXPECT_EQ(conv2d({11, 3}, Conv(2, {3}, {2}, {2}, Padding::kCausal)), (Shape{6, 2}));
  EXPECT_EQ(conv2d({11, 3}, Conv(2, {4}, {3}, {1}, Padding::kValid)), (Shape{3, 2}));
}

TEST(ShapeInference, GroupedConvKernelShape) {
  ConvAttrs a = Conv(6, {3}, {}, {}, Padding::kValid);
  a.groups = 2;
  EXPECT_EQ(InferOne({8, 4}, MakeNode("c", a, {"x"}, {W("kernel", {3, 2, 6}), W("bias", {6})})),
            (Shape{6, 6}));
  a.groups = 3;
  EXPECT_NE(InferError({8, 4}, MakeNode("c", a, {"x"}, {W("kernel", {3, 2, 6}), W("bias", {6})}))
                .find("groups 3 must divide"),
            std::string::npos);
}

TEST(ShapeInference, WeightShapeErrorNamesLayerAndWeight) {
  ConvAttrs a = Conv(8, {3, 3}, {}, {}, Padding::kValid);
  EXPECT_EQ(InferError({6, 6, 2},
                       MakeNode("conv2d", a, {"x"}, {W("kernel", {3, 3, 4, 8}), W("bias", {8})})),
            "layer 'conv2d': weight 'kernel' has shape [3, 3, 4, 8], expected [3, 3, 2, 8]");
  EXPECT_EQ(InferError({6, 6, 2}, MakeNode("conv2d", a, {"x"}, {W("kernel", {3, 3, 2, 8})})),
            "layer 'conv2d': weight 'bias' is missing");
  EXPECT_EQ(
      InferError({5}, MakeNode("dense_1", DenseAttrs{3, false}, {"x"}, {W("kernel", {4, 3})})),
      "layer 'dense_1': weight 'kernel' has shape [4, 3], expected [5, 3]");
}

TEST(ShapeInference, WindowTooLargeIsAnError) {
  ConvAttrs a = Conv(1, {3}, {}, {3}, Padding::kValid);
  std::string e =
      InferError({6, 1}, MakeNode("c1", a, {"x"}, {W("kernel", {3, 1, 1}), W("bias", {1})}));
  EXPECT_NE(e.find("layer 'c1': a window of 7"), std::string::npos) << e;
  ConvAttrs b = Conv(1, {3, 3}, {}, {}, Padding::kCausal);
  e = InferError({6, 6, 1}, MakeNode("c2", b, {"x"}, {W("kernel", {3, 3, 1, 1}), W("bias", {1})}));
  EXPECT_NE(e.find("causal"), std::string::npos) << e;
  e = InferError({6, 1}, MakeNode("c3", b, {"x"}, {W("kernel", {3, 3, 1, 1}), W("bias", {1})}));
  EXPECT_NE(e.find("rank 3"), std::string::npos) << e;
}

TEST(ShapeInference, DepthwiseAndSeparable) {
  DepthwiseConvAttrs d;
  d.depth_multiplier = 2;
  d.kernel = {3, 3};
  d.padding = Padding::kSame;
  d.strides = {2, 2};
  EXPECT_EQ(InferOne({7, 8, 3}, MakeNode("dw", d, {"x"},
                                         {W("depthwise_kernel", {3, 3, 3, 2}), W("bias", {6})})),
            (Shape{4, 4, 6}));
  SeparableConvAttrs s;
  s.filters = 5;
  s.depth_multiplier = 2;
  s.kernel = {3};
  EXPECT_EQ(InferOne({9, 3}, MakeNode("sep", s, {"x"},
                                      {W("depthwise_kernel", {3, 3, 2}),
                                       W("pointwise_kernel", {1, 6, 5}), W("bias", {5})})),
            (Shape{7, 5}));
  EXPECT_EQ(InferError({9, 3}, MakeNode("sep", s, {"x"},
                                        {W("depthwise_kernel", {3, 3, 2}),
                                         W("pointwise_kernel", {6, 5}), W("bias", {5})})),
            "layer 'sep': weight 'pointwise_kernel' has shape [6, 5], expected [1, 6, 5]");
}

TEST(ShapeInference, Pooling) {
  PoolAttrs p;
  p.pool = {2, 3};
  EXPECT_EQ(InferOne({7, 8, 3}, MakeNode("p", p, {"x"})), (Shape{3, 2, 3}));  // strides = pool
  p.strides = {1, 1};
  EXPECT_EQ(InferOne({7, 8, 3}, MakeNode("p", p, {"x"})), (Shape{6, 6, 3}));
  p.padding = Padding::kSame;
  p.strides = {};
  EXPECT_EQ(InferOne({7, 8, 3}, MakeNode("p", p, {"x"})), (Shape{4, 3, 3}));
  GlobalPoolAttrs g{PoolKind::kAverage, 2, false, std::nullopt};
  EXPECT_EQ(InferOne({7, 8, 3}, MakeNode("g", g, {"x"})), (Shape{3}));
  g.keepdims = true;
  EXPECT_EQ(InferOne({7, 8, 3}, MakeNode("g", g, {"x"})), (Shape{1, 1, 3}));
  g.spatial_rank = 1;
  EXPECT_EQ(InferOne({7, 3}, MakeNode("g", g, {"x"})), (Shape{1, 3}));
}

TEST(ShapeInference, ReshapeFlattenPermute) {
  EXPECT_EQ(InferOne({4, 3, 2}, MakeNode("f", FlattenAttrs{}, {"x"})), (Shape{24}));
  EXPECT_EQ(InferOne({4, 3, 2}, MakeNode("r", ReshapeAttrs{{2, -1, 3}}, {"x"})), (Shape{2, 4, 3}));
  EXPECT_EQ(InferOne({4, 3, 2}, MakeNode("r", ReshapeAttrs{{6, 4}}, {"x"})), (Shape{6, 4}));
  EXPECT_EQ(InferError({4, 3, 2}, MakeNode("r", ReshapeAttrs{{5, -1}}, {"x"})),
            "layer 'r': cannot reshape [4, 3, 2] (24 elements) into [5, -1]");
  EXPECT_EQ(InferOne({4, 3, 2}, MakeNode("p", PermuteAttrs{{3, 1, 2}}, {"x"})), (Shape{2, 4, 3}));
  EXPECT_NE(
      InferError({4, 3, 2}, MakeNode("p", PermuteAttrs{{0, 1, 2}}, {"x"})).find("permutation"),
      std::string::npos);
}

TEST(ShapeInference, PadCropUpsample) {
  EXPECT_EQ(InferOne({4, 3, 2}, MakeNode("z", ZeroPaddingAttrs{{{1, 2}, {0, 3}}}, {"x"})),
            (Shape{7, 6, 2}));
  EXPECT_EQ(InferOne({6, 2}, MakeNode("c", CroppingAttrs{{{1, 2}}}, {"x"})), (Shape{3, 2}));
  EXPECT_NE(InferError({3, 2}, MakeNode("c", CroppingAttrs{{{1, 2}}}, {"x"})).find("removes all"),
            std::string::npos);
  EXPECT_EQ(InferOne({4, 3, 2}, MakeNode("u", UpSamplingAttrs{{2, 3}}, {"x"})), (Shape{8, 9, 2}));
}

TEST(ShapeInference, IdentityShapedOps) {
  EXPECT_EQ(InferOne({4, 3}, MakeNode("a", ActivationAttrs{ActivationFn::kReLU}, {"x"})),
            (Shape{4, 3}));
  EXPECT_EQ(InferOne({4, 3}, MakeNode("q", QuantizeAttrs{}, {"x"})), (Shape{4, 3}));
  EXPECT_EQ(InferOne({4, 3}, MakeNode("bn", BatchNormAttrs{}, {"x"},
                                      {W("gamma", {3}), W("beta", {3}), W("moving_mean", {3}),
                                       W("moving_variance", {3})})),
            (Shape{4, 3}));
  BatchNormAttrs bn1;
  bn1.axis = 1;
  bn1.center = false;
  EXPECT_EQ(InferOne({4, 3},
                     MakeNode("bn", bn1, {"x"},
                              {W("gamma", {4}), W("moving_mean", {4}), W("moving_variance", {4})})),
            (Shape{4, 3}));
  EXPECT_EQ(
      InferOne({4, 3}, MakeNode("s", ScaleAttrs{true}, {"x"}, {W("scale", {3}), W("bias", {1})})),
      (Shape{4, 3}));
  EXPECT_EQ(InferOne({4, 5, 3}, MakeNode("pr", PReLUAttrs{{1, 2}}, {"x"}, {W("alpha", {1, 1, 3})})),
            (Shape{4, 5, 3}));
  EXPECT_EQ(InferError({4, 5, 3}, MakeNode("pr", PReLUAttrs{{1}}, {"x"}, {W("alpha", {1, 1, 3})})),
            "layer 'pr': weight 'alpha' has shape [1, 1, 3], expected [1, 5, 3]");
  ActivationAttrs sm{ActivationFn::kSoftmax};
  sm.axis = 3;
  EXPECT_NE(InferError({4, 3}, MakeNode("sm", sm, {"x"})).find("softmax axis 3 is out of range"),
            std::string::npos);
}

// Two inputs "a" and "b", then `node`.
Status TwoInputs(const Shape& a, const Shape& b, Node node, Shape* out) {
  Graph g;
  EXPECT_TRUE(g.AddInput("a", a).ok());
  EXPECT_TRUE(g.AddInput("b", b).ok());
  std::string name = node.outputs[0];
  EXPECT_TRUE(g.AddNode(std::move(node)).ok());
  Status s = InferShapes(g);
  if (s.ok()) *out = g.FindTensor(name)->shape;
  return s;
}

TEST(ShapeInference, MergeNeedsEqualShapes) {
  Shape out;
  ASSERT_TRUE(TwoInputs({4, 3}, {4, 3}, MakeNode("add", MergeAttrs{}, {"a", "b"}), &out).ok());
  EXPECT_EQ(out, (Shape{4, 3}));
  Status s = TwoInputs({4, 3}, {4, 1}, MakeNode("add_1", MergeAttrs{}, {"a", "b"}), &out);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(),
            "layer 'add_1': add needs inputs of equal shapes, got [4, 3] and [4, 1]");
}

TEST(ShapeInference, ConcatenateKerasAxis) {
  Shape out;
  ASSERT_TRUE(
      TwoInputs({4, 3}, {4, 5}, MakeNode("c", ConcatenateAttrs{-1}, {"a", "b"}), &out).ok());
  EXPECT_EQ(out, (Shape{4, 8}));
  ASSERT_TRUE(TwoInputs({4, 3}, {4, 5}, MakeNode("c", ConcatenateAttrs{2}, {"a", "b"}), &out).ok());
  EXPECT_EQ(out, (Shape{4, 8}));
  ASSERT_TRUE(TwoInputs({4, 3}, {2, 3}, MakeNode("c", ConcatenateAttrs{1}, {"a", "b"}), &out).ok());
  EXPECT_EQ(out, (Shape{6, 3}));
  ASSERT_TRUE(
      TwoInputs({4, 3}, {2, 3}, MakeNode("c", ConcatenateAttrs{-2}, {"a", "b"}), &out).ok());
  EXPECT_EQ(out, (Shape{6, 3}));
  Status s = TwoInputs({4, 3}, {2, 3}, MakeNode("cat", ConcatenateAttrs{-1}, {"a", "b"}), &out);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("layer 'cat': Concatenate on axis -1"), std::string::npos);
  s = TwoInputs({4, 3}, {2, 3}, MakeNode("cat", ConcatenateAttrs{0}, {"a", "b"}), &out);
  EXPECT_FALSE(s.ok());
}

TEST(ShapeInference, DotAxes) {
  Shape out;
  ASSERT_TRUE(TwoInputs({5}, {5}, MakeNode("d", DotAttrs{{1, 1}}, {"a", "b"}), &out).ok());
  EXPECT_EQ(out, (Shape{1}));
  ASSERT_TRUE(TwoInputs({3, 4}, {3, 6}, MakeNode("d", DotAttrs{{1, 1}}, {"a", "b"}), &out).ok());
  EXPECT_EQ(out, (Shape{4, 6}));
  ASSERT_TRUE(TwoInputs({3, 4}, {6, 4}, MakeNode("d", DotAttrs{{2, -1}}, {"a", "b"}), &out).ok());
  EXPECT_EQ(out, (Shape{3, 6}));
  Status s = TwoInputs({3, 4}, {6, 4}, MakeNode("dot", DotAttrs{{1, 1}}, {"a", "b"}), &out);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("layer 'dot': Dot axes 1 of [3, 4] and 1 of [6, 4] differ"),
            std::string::npos);
}

TEST(ShapeInference, Embedding) {
  EXPECT_EQ(InferOne({6}, MakeNode("e", EmbeddingAttrs{10, 4}, {"x"}, {W("embeddings", {10, 4})})),
            (Shape{6, 4}));
}

RecurrentAttrs Rnn(RecurrentCell cell, int64_t units, bool seq, bool state) {
  RecurrentAttrs a;
  a.cell = cell;
  a.units = units;
  a.return_sequences = seq;
  a.return_state = state;
  return a;
}

TEST(ShapeInference, RecurrentOutputsAndStates) {
  auto lstm = Rnn(RecurrentCell::kLSTM, 4, true, true);
  Node n = MakeNode("lstm", lstm, {"x"},
                    {W("kernel", {3, 16}), W("recurrent_kernel", {4, 16}), W("bias", {16})},
                    {"y", "h", "c"});
  OneOp op({7, 3}, n);
  ASSERT_TRUE(op.status.ok()) << op.status.error().message();
  EXPECT_EQ(op.out("y"), (Shape{7, 4}));
  EXPECT_EQ(op.out("h"), (Shape{4}));
  EXPECT_EQ(op.out("c"), (Shape{4}));

  auto gru = Rnn(RecurrentCell::kGRU, 2, false, false);
  EXPECT_EQ(InferOne({7, 3}, MakeNode("gru", gru, {"x"},
                                      {W("kernel", {3, 6}), W("recurrent_kernel", {2, 6}),
                                       W("bias", {2, 6})})),
            (Shape{2}));
  gru.reset_after = false;
  EXPECT_EQ(InferError({7, 3}, MakeNode("gru", gru, {"x"},
                                        {W("kernel", {3, 6}), W("recurrent_kernel", {2, 6}),
                                         W("bias", {2, 6})})),
            "layer 'gru': weight 'bias' has shape [2, 6], expected [6]");
  // return_state needs the state outputs.
  auto rnn = Rnn(RecurrentCell::kSimpleRNN, 2, false, true);
  EXPECT_NE(InferError({7, 3}, MakeNode("rnn", rnn, {"x"},
                                        {W("kernel", {3, 2}), W("recurrent_kernel", {2, 2}),
                                         W("bias", {2})}))
                .find("has 2 output(s), got 1"),
            std::string::npos);
}

TEST(ShapeInference, BidirectionalMerges) {
  BidirectionalAttrs b;
  b.forward = Rnn(RecurrentCell::kGRU, 3, true, false);
  b.backward = b.forward;
  b.backward.go_backwards = true;
  std::vector<Weight> w;
  for (std::string p : {"forward_", "backward_"}) {
    w.push_back(W(p + "kernel", {2, 9}));
    w.push_back(W(p + "recurrent_kernel", {3, 9}));
    w.push_back(W(p + "bias", {2, 9}));
  }
  EXPECT_EQ(InferOne({5, 2}, MakeNode("bi", b, {"x"}, w)), (Shape{5, 6}));
  b.merge = BidirectionalMerge::kSum;
  EXPECT_EQ(InferOne({5, 2}, MakeNode("bi", b, {"x"}, w)), (Shape{5, 3}));
  // A different backward cell (Keras backward_layer): LSTM forward, GRU backward with states.
  BidirectionalAttrs mixed;
  mixed.forward = Rnn(RecurrentCell::kLSTM, 2, false, true);
  mixed.backward = Rnn(RecurrentCell::kGRU, 3, false, true);
  std::vector<Weight> mw = {W("forward_kernel", {2, 8}),
                            W("forward_recurrent_kernel", {2, 8}),
                            W("forward_bias", {8}),
                            W("backward_kernel", {2, 9}),
                            W("backward_recurrent_kernel", {3, 9}),
                            W("backward_bias", {2, 9})};
  OneOp m({5, 2}, MakeNode("mixed", mixed, {"x"}, mw, {"y", "hf", "cf", "hb"}));
  ASSERT_TRUE(m.status.ok()) << m.status.error().message();
  EXPECT_EQ(m.out("y"), (Shape{5}));
  EXPECT_EQ(m.out("cf"), (Shape{2}));
  EXPECT_EQ(m.out("hb"), (Shape{3}));
  b.merge = BidirectionalMerge::kNone;
  b.forward.return_sequences = b.backward.return_sequences = false;
  OneOp op({5, 2}, MakeNode("bi", b, {"x"}, w, {"f", "r"}));
  ASSERT_TRUE(op.status.ok()) << op.status.error().message();
  EXPECT_EQ(op.out("f"), (Shape{3}));
  EXPECT_EQ(op.out("r"), (Shape{3}));
}

TEST(ShapeInference, ChainsThroughTheGraph) {
  Graph g;
  ASSERT_TRUE(g.AddInput("in", {8, 8, 1}).ok());
  ASSERT_TRUE(g.AddNode(MakeNode("conv", Conv(4, {3, 3}, {}, {}, Padding::kSame), {"in"},
                                 {W("kernel", {3, 3, 1, 4}), W("bias", {4})}))
                  .ok());
  PoolAttrs p;
  p.pool = {2, 2};
  ASSERT_TRUE(g.AddNode(MakeNode("pool", p, {"conv"})).ok());
  ASSERT_TRUE(g.AddNode(MakeNode("flat", FlattenAttrs{}, {"pool"})).ok());
  ASSERT_TRUE(g.AddNode(MakeNode("dense", DenseAttrs{3, true}, {"flat"},
                                 {W("kernel", {64, 3}), W("bias", {3})}))
                  .ok());
  ASSERT_TRUE(InferShapes(g).ok());
  EXPECT_EQ(g.FindTensor("pool")->shape, (Shape{4, 4, 4}));
  EXPECT_EQ(g.FindTensor("dense")->shape, (Shape{3}));
}

}  // namespace
}  // namespace fixnn::ir
