// Pooling worked out by hand: window geometry and TensorFlow's 'same' padding, hls4ml's max
// padding value (the top bit: large and positive for unsigned inputs), the average's cast after
// every addition and its division truncating toward zero, global pooling sums that wrap, and
// the refusals.
#include <gtest/gtest.h>

#include "emulator/emulator_test_util.h"

namespace fixnn::emulator {
namespace {

using testing::ChainBuilder;
using testing::Counts;
using testing::Emulate;

using V = std::vector<double>;
using CountPair = std::pair<int64_t, int64_t>;

ir::Node PoolNode(ir::PoolKind kind, std::vector<int64_t> pool, std::vector<int64_t> strides,
                  ir::Padding padding, const std::string& accum) {
  ir::Node node;
  node.name = "p";
  node.source = kind == ir::PoolKind::kMax ? "MaxPooling" : "AveragePooling";
  node.attrs = ir::PoolAttrs{kind, std::move(pool), std::move(strides), padding, std::nullopt};
  node.types["accum"] = testing::T(accum);
  return node;
}

ir::Node GlobalNode(ir::PoolKind kind, int64_t rank, const std::string& accum) {
  ir::Node node;
  node.name = "g";
  node.source = "GlobalPooling";
  node.attrs = ir::GlobalPoolAttrs{kind, rank, false, std::nullopt};
  node.types["accum"] = testing::T(accum);
  return node;
}

ir::Graph Pool(const ir::Shape& shape, const std::string& in_type, ir::Node node,
               const std::string& out_type) {
  return ChainBuilder(shape, in_type).Add(std::move(node), out_type).Finish();
}

TEST(EmulatorPool, MaxOverValidWindows) {
  // [4, 4, 1], 2x2 windows, stride 2: the maximum of each quadrant.
  const V x = {1, -2, 3, 0.5, -1, 0.25, -4, 2, -3, -3.5, 7, 1, -3.25, -6, 0, 1.5};
  const ir::Graph g =
      Pool({4, 4, 1}, "fixed<8,4>",
           PoolNode(ir::PoolKind::kMax, {2, 2}, {2, 2}, ir::Padding::kValid, "fixed<8,4>"),
           "fixed<8,4>");
  EXPECT_EQ(Emulate(g, x).y, (V{1, 3, -3, 7}));
}

TEST(EmulatorPool, MaxSamePaddingIsTheMinimumOfASignedType) {
  // [3, 1] and [3, 3] inputs, 2-wide windows, stride 1, 'same': TensorFlow pads 1 after. The
  // padded cell holds -8 (the minimum of fixed<8,4>), so the border keeps the real value.
  EXPECT_EQ(Emulate(Pool({3, 1}, "fixed<8,4>",
                         PoolNode(ir::PoolKind::kMax, {2}, {1}, ir::Padding::kSame, "fixed<8,4>"),
                         "fixed<8,4>"),
                    {-5, -7, -8})
                .y,
            (V{-5, -7, -8}));
  // Two channels: each pooled on its own.
  EXPECT_EQ(Emulate(Pool({3, 2}, "fixed<8,4>",
                         PoolNode(ir::PoolKind::kMax, {2}, {1}, ir::Padding::kSame, "fixed<8,4>"),
                         "fixed<8,4>"),
                    {1, -1, 2, -3, -2, -6})
                .y,
            (V{2, -1, 2, -3, -2, -6}));
}

TEST(EmulatorPool, MaxSamePaddingIsLargeForAnUnsignedType) {
  // ufixed<8,3> (range [0, 8)): hls4ml's padded cell has only the top bit set, 2^(3-1) = 4, so
  // every window that touches the padding returns at least 4. [3, 3, 1] input, 2x2 windows,
  // stride 1, 'same' (padding after on both axes): the last row's windows give 4, the last
  // column's 5.5 (above the pad), the four others their real maximum.
  const V x = {0.5,  1,   1.5,  //
               2,    2.5, 5.5,  //
               0.25, 3,   0.75};
  const ir::Graph g =
      Pool({3, 3, 1}, "ufixed<8,3>",
           PoolNode(ir::PoolKind::kMax, {2, 2}, {1, 1}, ir::Padding::kSame, "ufixed<8,3>"),
           "ufixed<8,3>");
  EXPECT_EQ(Emulate(g, x).y, (V{2.5, 5.5, 5.5, 3, 5.5, 5.5, 4, 4, 4}));
}

TEST(EmulatorPool, MaxCastsToTheAccumulatorThenTheResult) {
  // Window [5.0625, 1]: 5.0625 saturates in accum fixed<6,3,TRN,SAT> (range [-4, 3.875]); the
  // result fixed<4,2,RND> (LSB 1/4, WRAP) rounds 3.875 up to 4, which wraps to 0.
  // Window [-1.0625, -2]: the accumulator floors -1.0625 to -1.125 (LSB 1/8), the result
  // rounds the tie -4.5 quarters up to -1.
  testing::RunResult r = Emulate(
      Pool({4, 1}, "fixed<8,4>",
           PoolNode(ir::PoolKind::kMax, {2}, {2}, ir::Padding::kValid, "fixed<6,3,TRN,SAT>"),
           "fixed<4,2,RND>"),
      {5.0625, 1, -1.0625, -2});
  EXPECT_EQ(r.y, (V{0, -1}));
  EXPECT_EQ(Counts(r.overflows, "p", "accum"), (CountPair{1, 0}));
  EXPECT_EQ(Counts(r.overflows, "p", "result"), (CountPair{1, 0}));
  EXPECT_EQ(r.overflows.Find("p", "accum")->casts, 2);
}

TEST(EmulatorPool, AverageCastsEveryPartialSum) {
  // accum fixed<6,4,RND> (LSB 1/4): 0 + 0.125 rounds up to 0.25, 0.25 + 0.125 to 0.5,
  // 0.5 + 0.125 to 0.75; 0.75 / 3 = 0.25, where the exact mean is 0.125.
  testing::RunResult r = Emulate(
      Pool({3, 1}, "fixed<8,4>",
           PoolNode(ir::PoolKind::kAverage, {3}, {3}, ir::Padding::kValid, "fixed<6,4,RND>"),
           "fixed<8,4>"),
      {0.125, 0.125, 0.125});
  EXPECT_EQ(r.y, (V{0.25}));
  EXPECT_EQ(r.overflows.Find("p", "accum")->casts, 3);
}

TEST(EmulatorPool, AverageDivisionTruncatesTowardZero) {
  // accum fixed<8,4> (LSB 1/16): sums -1/16 and +2/16 divided by 3 truncate to 0 (a floor
  // would give -1/16 for the first).
  EXPECT_EQ(
      Emulate(Pool({6, 1}, "fixed<8,4>",
                   PoolNode(ir::PoolKind::kAverage, {3}, {3}, ir::Padding::kValid, "fixed<8,4>"),
                   "fixed<8,4>"),
              {-0.0625, 0, 0, 0.0625, 0.0625, 0})
          .y,
      (V{0, 0}));
  // With a finer accumulator (LSB 1/256) the quotient -16/3 truncates to -5/256, and the result
  // cast (TRN, LSB 1/16) then floors it to -1/16: two different roundings.
  EXPECT_EQ(
      Emulate(Pool({3, 1}, "fixed<8,4>",
                   PoolNode(ir::PoolKind::kAverage, {3}, {3}, ir::Padding::kValid, "fixed<12,4>"),
                   "fixed<8,4>"),
              {-0.0625, 0, 0})
          .y,
      (V{-0.0625}));
}

TEST(EmulatorPool, AverageSamePaddingDividesByTheRealCells) {
  // [4, 1], 3-wide windows, stride 1, 'same': TensorFlow pads 1 before and 1 after; the border
  // windows divide by 2. accum LSB 1/1024: 6.5 / 3 and 9.5 / 3 truncate to 2218/1024 and
  // 3242/1024.
  EXPECT_EQ(
      Emulate(Pool({4, 1}, "fixed<8,4>",
                   PoolNode(ir::PoolKind::kAverage, {3}, {1}, ir::Padding::kSame, "fixed<16,6>"),
                   "fixed<16,6>"),
              {1, 2, 3.5, 4})
          .y,
      (V{1.5, 2.166015625, 3.166015625, 3.75}));
  // 2-D: [2, 3, 1], 2x2 windows, stride (1, 2), 'same': rows pad 1 after (total 1), columns
  // pad 1 after (total (2-1)*2 + 2 - 3 = 1). Windows: {0,1,3,4}, {2,5}, {3,4}, {5}.
  EXPECT_EQ(Emulate(Pool({2, 3, 1}, "fixed<8,4>",
                         PoolNode(ir::PoolKind::kAverage, {2, 2}, {1, 2}, ir::Padding::kSame,
                                  "fixed<16,6>"),
                         "fixed<16,6>"),
                    {1, 2, 3, 4, 5, 6})
                .y,
            (V{3, 4.5, 4.5, 6}));
}

TEST(EmulatorPool, AverageAccumulatorSaturatesInOrder) {
  // accum fixed<6,3,TRN,SAT> (max 3.875): 3, then 3 + 3 saturates to 3.875, then 0.875;
  // 0.875 / 3 = 7/3 eighths, truncated to 2/8.
  testing::RunResult r = Emulate(
      Pool({3, 1}, "fixed<8,4>",
           PoolNode(ir::PoolKind::kAverage, {3}, {1}, ir::Padding::kValid, "fixed<6,3,TRN,SAT>"),
           "fixed<8,4>"),
      {3, 3, -3});
  EXPECT_EQ(r.y, (V{0.25}));
  EXPECT_EQ(Counts(r.overflows, "p", "accum"), (CountPair{1, 0}));
}

TEST(EmulatorPool, GlobalAverageSumWraps) {
  // [2, 2, 1] in fixed<16,6> with the default accumulator fixed<16,6> (WRAP, range [-32, 32)):
  // 20 + 20 wraps to -24, so the mean is -6 where the true mean is 10.
  testing::RunResult r =
      Emulate(Pool({2, 2, 1}, "fixed<16,6>", GlobalNode(ir::PoolKind::kAverage, 2, "fixed<16,6>"),
                   "fixed<16,6>"),
              {20, 20, 0, 0});
  EXPECT_EQ(r.y, (V{-6}));
  EXPECT_EQ(Counts(r.overflows, "g", "accum"), (CountPair{1, 0}));
  // Truncation toward zero: -64/1024 divided by 3 gives -21/1024 (a floor: -22/1024).
  EXPECT_EQ(Emulate(Pool({3, 1}, "fixed<16,6>",
                         GlobalNode(ir::PoolKind::kAverage, 1, "fixed<16,6>"), "fixed<16,6>"),
                    {-0.0625, 0, 0})
                .y,
            (V{-21.0 / 1024}));
}

TEST(EmulatorPool, GlobalMaxPerChannel) {
  // [3, 2] (positions x channels).
  EXPECT_EQ(Emulate(Pool({3, 2}, "fixed<8,4>", GlobalNode(ir::PoolKind::kMax, 1, "fixed<8,4>"),
                         "fixed<6,3,TRN,SAT>"),
                    {1, -1, 5, -2, -3, -0.5})
                .y,
            (V{3.875, -0.5}));
}

TEST(EmulatorPool, WideTypesRunOnTheExactPath) {
  // A 70-bit accumulator: the exact path, with the same truncating division.
  const ir::Graph g =
      Pool({3, 1}, "fixed<40,20>",
           PoolNode(ir::PoolKind::kAverage, {3}, {3}, ir::Padding::kValid, "fixed<70,30>"),
           "fixed<70,30>");
  Result<Emulator> e = Emulator::Create(g);
  ASSERT_TRUE(e.ok()) << e.error().message();
  EXPECT_FALSE(e->uses_int64());
  // -2^-20 / 3 at LSB 2^-40: -2^20 / 3 truncates to -349525.
  EXPECT_EQ(Emulate(g, {-0x1p-20, 0, 0}).y, (V{-349525 * 0x1p-40}));
  // (1003 - 2^-20) / 3 at LSB 2^-40: (1003 * 2^40 - 2^20) / 3 = 367603387203584 (exact).
  EXPECT_EQ(Emulate(g, {-0x1p-20, 3, 1000}).y, (V{367603387203584 * 0x1p-40}));
}

TEST(EmulatorPool, RefusesWhatHls4mlCannotConvert) {
  ir::Node keep = GlobalNode(ir::PoolKind::kAverage, 2, "fixed<16,6>");
  keep.as<ir::GlobalPoolAttrs>().keepdims = true;
  EXPECT_EQ(
      testing::CreateError(ChainBuilder({2, 2, 1}, "fixed<8,4>").Add(keep, "fixed<8,4>").Finish()),
      "layer 'g' (GlobalPool): global pooling with keepdims=True: hls4ml 1.3.0 cannot "
      "convert it (its io_parallel code generation fails with an IndexError); fixnn "
      "refuses rather than guess the result");
  ir::Node q = PoolNode(ir::PoolKind::kAverage, {2}, {2}, ir::Padding::kValid, "fixed<16,6>");
  ir::Quantizer avg;
  avg.type = testing::T("fixed<8,1,RND_CONV,SAT>");
  avg.spelling = "quantized_bits(8,0,1)";
  q.as<ir::PoolAttrs>().average_quantizer = avg;
  EXPECT_EQ(testing::CreateError(ChainBuilder({4, 1}, "fixed<8,4>").Add(q, "fixed<8,4>").Finish()),
            "layer 'p' (Pool): average_quantizer 'quantized_bits(8,0,1)': hls4ml 1.3.0 cannot "
            "convert QKeras' quantized average pooling ('Unsupported layer type'), so there is "
            "no hls4ml result to emulate");
  ir::Node no_accum = PoolNode(ir::PoolKind::kMax, {2}, {2}, ir::Padding::kValid, "fixed<8,4>");
  no_accum.types.clear();
  EXPECT_EQ(
      testing::CreateError(ChainBuilder({4, 1}, "fixed<8,4>").Add(no_accum, "fixed<8,4>").Finish()),
      "layer 'p' (Pool): no 'accum' type; run passes::Configure first");
}

}  // namespace
}  // namespace fixnn::emulator
