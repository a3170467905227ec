// Merge, Concatenate and Dot of two inputs worked out by hand: exact sums, differences and
// products cast once into result_t, the average's lost half LSB, maximum / minimum comparing
// before the cast, the concatenation variants by axis, Dot's saturating sequential sum, and
// the refusals (three inputs, rank-2 Dot, rank-4 Concatenate).
#include <gtest/gtest.h>

#include "emulator/emulator_test_util.h"
#include "ir/shape_inference.h"

namespace fixnn::emulator {
namespace {

using testing::Counts;
using testing::T;

using V = std::vector<double>;
using CountPair = std::pair<int64_t, int64_t>;

// Inputs "a" (type A, fixed<10,4>: LSB 1/64) and "b" (type B, fixed<12,3,RND,SAT>: LSB 1/512)
// unless given, and `node` reading them.
struct TwoInputs {
  ir::Shape a = {1}, b = {1};
  std::string ta = "fixed<10,4>", tb = "fixed<12,3,RND,SAT>";
  std::vector<std::string> extra;  // more inputs of shape b
};

ir::Graph Build(const TwoInputs& in, ir::Node node, const std::string& out_type) {
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("a", in.a).ok());
  EXPECT_TRUE(g.AddInput("b", in.b).ok());
  g.FindTensor("a")->precision.type = T(in.ta);
  g.FindTensor("b")->precision.type = T(in.tb);
  node.inputs = {"a", "b"};
  for (const std::string& e : in.extra) {
    EXPECT_TRUE(g.AddInput(e, in.b).ok());
    g.FindTensor(e)->precision.type = T(in.tb);
    node.inputs.push_back(e);
  }
  node.outputs = {node.name};
  const std::string out = node.name;
  Status s = g.AddNode(std::move(node));
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message());
  g.FindTensor(out)->precision.type = T(out_type);
  EXPECT_TRUE(g.MarkOutput(out).ok());
  s = ir::InferShapes(g);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message());
  return g;
}

ir::Node MergeNode(ir::MergeKind kind) {
  ir::Node n;
  n.name = "m";
  n.attrs = ir::MergeAttrs{kind};
  return n;
}

// Runs one sample per input list through both number paths; they must agree.
testing::RunResult Run2(const ir::Graph& g, const V& a, const V& b) {
  testing::RunResult out;
  std::vector<Batch> batches;
  for (const auto& [name, values] : {std::pair{"a", a}, std::pair{"b", b}}) {
    Batch batch;
    batch.shape = g.FindTensor(name)->shape;
    batch.shape.insert(batch.shape.begin(),
                       static_cast<int64_t>(values.size()) / ir::NumElements(batch.shape));
    batch.values = values;
    batches.push_back(batch);
  }
  Result<Emulator> fast = Emulator::Create(g);
  Result<Emulator> exact = Emulator::Create(g, EmulatorOptions{true});
  EXPECT_TRUE(fast.ok()) << (fast.ok() ? "" : fast.error().message());
  if (!fast.ok() || !exact.ok()) return out;
  OverflowReport exact_report;
  Result<std::vector<Batch>> y = fast->Run(batches, nullptr, &out.overflows);
  Result<std::vector<Batch>> y_exact = exact->Run(batches, nullptr, &exact_report);
  EXPECT_TRUE(y.ok() && y_exact.ok());
  if (!y.ok() || !y_exact.ok()) return out;
  out.y = (*y)[0].values;
  EXPECT_EQ(out.y, (*y_exact)[0].values) << "the int64 and exact paths differ";
  EXPECT_EQ(out.overflows.ToString(), exact_report.ToString());
  return out;
}

TEST(EmulatorMerge, ExactResultCastOnce) {
  // a = 97/64 = 1.515625, b = -258/512 = -0.50390625; result fixed<8,3> (TRN, LSB 1/32):
  //   add 1.01171875 -> floor(32.375) = 32 -> 1;  subtract 2.01953125 -> 64 -> 2
  //   multiply -0.76373291 -> floor(-24.44) = -25 -> -0.78125
  //   average 0.505859375 -> floor(16.19) = 16 -> 0.5
  // Second sample: a = 7.984375, b = 3.998046875: the sum 11.98 wraps to 3.96875 (383 - 256
  // LSBs), an overflow.
  const V a = {1.515625, 7.984375}, b = {-0.50390625, 3.998046875};
  testing::RunResult r = Run2(Build({}, MergeNode(ir::MergeKind::kAdd), "fixed<8,3>"), a, b);
  EXPECT_EQ(r.y, (V{1.0, 3.96875}));
  EXPECT_EQ(Counts(r.overflows, "m", "result"), (CountPair{1, 0}));
  EXPECT_EQ(Run2(Build({}, MergeNode(ir::MergeKind::kSubtract), "fixed<8,3>"), a, b).y[0], 2.0);
  EXPECT_EQ(Run2(Build({}, MergeNode(ir::MergeKind::kMultiply), "fixed<8,3>"), a, b).y[0],
            -0.78125);
  EXPECT_EQ(Run2(Build({}, MergeNode(ir::MergeKind::kAverage), "fixed<8,3>"), a, b).y[0], 0.5);
}

TEST(EmulatorMerge, AverageInTheAddTypeLosesTheHalfLsb) {
  // hls4ml gives Average the Add type fixed<14,5> (LSB 1/512): 0 and 1/512 average to 1/1024,
  // which TRN drops; 3/512 gives 1.5/512 -> 1/512. RND_CONV on a wider type keeps it.
  const ir::Graph g = Build({}, MergeNode(ir::MergeKind::kAverage), "fixed<14,5>");
  EXPECT_EQ(Run2(g, {0.0, 0.0}, {1.0 / 512, 3.0 / 512}).y, (V{0.0, 1.0 / 512}));
  EXPECT_EQ(Run2(Build({}, MergeNode(ir::MergeKind::kAverage), "fixed<16,5,RND_CONV>"), {0.0},
                 {1.0 / 512})
                .y,
            (V{1.0 / 1024}));
}

TEST(EmulatorMerge, MaximumAndMinimumCompareBeforeTheCast) {
  // a = 5 > b = 3.998046875, so Maximum picks a, whose cast into fixed<6,3> (range [-4, 4),
  // WRAP) gives -3; comparing the cast values would have picked b. Minimum picks b: 3.875.
  const V a = {5.0}, b = {3.998046875};
  testing::RunResult r = Run2(Build({}, MergeNode(ir::MergeKind::kMaximum), "fixed<6,3>"), a, b);
  EXPECT_EQ(r.y, (V{-3.0}));
  EXPECT_EQ(Counts(r.overflows, "m", "result"), (CountPair{1, 0}));
  EXPECT_EQ(Run2(Build({}, MergeNode(ir::MergeKind::kMinimum), "fixed<6,3>"), a, b).y, (V{3.875}));
  // Equal values: Maximum takes b (a > b is false), Minimum too.
  EXPECT_EQ(Run2(Build({}, MergeNode(ir::MergeKind::kMaximum), "fixed<16,6>"), {0.5}, {0.5}).y,
            (V{0.5}));
}

ir::Node ConcatNode(int64_t axis) {
  ir::Node n;
  n.name = "m";
  n.attrs = ir::ConcatenateAttrs{axis};
  return n;
}

TEST(EmulatorMerge, ConcatenateByAxis) {
  // Each value cast from its own type into fixed<8,3,RND,SAT> (LSB 1/32); b's 1.0078125
  // (516/512) rounds to 1.0, a's 5 saturates to 3.96875.
  TwoInputs in;
  in.a = {2, 2};
  in.b = {2, 1};
  testing::RunResult r =
      Run2(Build(in, ConcatNode(-1), "fixed<8,3,RND,SAT>"), {1, 2, 3, 5}, {1.0078125, 0.5});
  EXPECT_EQ(r.y, (V{1, 2, 1.0, 3, 3.96875, 0.5}));
  EXPECT_EQ(Counts(r.overflows, "m", "result"), (CountPair{1, 0}));
  // Axis 1 of a 2-D tensor joins the first axis: a's rows, then b's.
  in.b = {1, 2};
  EXPECT_EQ(Run2(Build(in, ConcatNode(1), "fixed<16,6>"), {1, 2, 3, 4}, {0.25, 0.75}).y,
            (V{1, 2, 3, 4, 0.25, 0.75}));
  // 3-D, axis 2 (the middle one): per position of the first axis, a's block then b's.
  in.a = {2, 1, 2};
  in.b = {2, 2, 2};
  EXPECT_EQ(Run2(Build(in, ConcatNode(2), "fixed<16,6>"), {1, 2, 3, 4},
                 {-1, -2, -3, -4, -0.5, -1.5, -2.5, -3.5})
                .y,
            (V{1, 2, -1, -2, -3, -4, 3, 4, -0.5, -1.5, -2.5, -3.5}));
  // Rank 4: hls4ml has no concatenate4d.
  in.a = {1, 1, 1, 1};
  in.b = {1, 1, 1, 1};
  EXPECT_EQ(testing::CreateError(Build(in, ConcatNode(-1), "fixed<16,6>")),
            "layer 'm' (Concatenate): Concatenate of rank-4 tensors: hls4ml 1.3.0 has "
            "concatenate1d/2d/3d only");
}

ir::Node DotNode(const std::string& accum) {
  ir::Node n;
  n.name = "m";
  n.attrs = ir::DotAttrs{{1, 1}, false};
  n.types["accum"] = T(accum);
  return n;
}

TEST(EmulatorMerge, DotSumsInOrderIntoTheAccumulator) {
  // accum fixed<8,3,TRN,SAT> (range [-4, 3.96875]): products 3, 3, -3 accumulate to 3, then
  // 6 saturates to 3.96875, then 0.96875 (the exact dot product is 3).
  TwoInputs in;
  in.a = {3};
  in.b = {3};
  in.tb = "fixed<12,3,RND,SAT>";
  testing::RunResult r =
      Run2(Build(in, DotNode("fixed<8,3,TRN,SAT>"), "fixed<16,6>"), {3, 3, -3}, {1, 1, 1});
  EXPECT_EQ(r.y, (V{0.96875}));
  EXPECT_EQ(Counts(r.overflows, "m", "accum"), (CountPair{1, 0}));
  // Each product is cast to accum_t first: 0.5 * 0.001953125 = 1/1024 truncates to 0.
  EXPECT_EQ(Run2(Build(in, DotNode("fixed<8,3,TRN,SAT>"), "fixed<16,6>"), {0.5, 1, 1},
                 {0.001953125, 0.5, 0.25})
                .y,
            (V{0.75}));
}

TEST(EmulatorMerge, RefusesWhatHls4mlDoesNotConvert) {
  TwoInputs three;
  three.extra = {"c"};
  EXPECT_EQ(testing::CreateError(Build(three, MergeNode(ir::MergeKind::kAdd), "fixed<16,6>")),
            "layer 'm' (Merge): 3 inputs: hls4ml 1.3.0 converts merges of exactly two inputs "
            "(chain two-input layers instead)");
  TwoInputs matrices;
  matrices.a = {2, 3};
  matrices.b = {2, 3};
  ir::Node dot = DotNode("fixed<16,6>");
  dot.attrs = ir::DotAttrs{{2, 2}, false};
  EXPECT_EQ(testing::CreateError(Build(matrices, dot, "fixed<16,6>")),
            "layer 'm' (Dot): Dot of [2, 3] and [2, 3]: hls4ml 1.3.0 converts Dot of rank-1 "
            "inputs only");
}

}  // namespace
}  // namespace fixnn::emulator
