// Dense worked out by hand: a cast after every product and partial sum, the bias cast first,
// the Resource strategy's summation order under saturation, hls4ml's decimal weights, and the
// overflow counts of each cast site.
#include <gtest/gtest.h>

#include "emulator/emulator_test_util.h"

namespace fixnn::emulator {
namespace {

using testing::ChainBuilder;
using testing::Counts;
using testing::DenseNode;
using testing::Emulate;

using V = std::vector<double>;
using CountPair = std::pair<int64_t, int64_t>;

ir::Graph TwoInputDense(const std::string& accum, V x_kernel = {0.75, -0.5}, V bias = {0.25}) {
  return ChainBuilder({2}, "fixed<8,4>")
      .Add(DenseNode("d", 2, 1, x_kernel, bias, "fixed<8,2>", "fixed<8,2>", accum), "fixed<8,3>")
      .Finish();
}

TEST(EmulatorDense, CastsEveryProductToTheAccumulator) {
  // x = [17/16, 9/16]: products 0.796875 and -0.28125. accum LSB 1/8, TRN: 0.75 and -0.375;
  // bias 0.25; 0.25 + 0.75 - 0.375 = 0.625 (the exact sum is 0.765625).
  EXPECT_EQ(Emulate(TwoInputDense("fixed<6,3>"), {1.0625, 0.5625}).y, V{0.625});
  // RND: 0.796875 -> 0.75, -0.28125 -> -0.25: 0.75.
  EXPECT_EQ(Emulate(TwoInputDense("fixed<6,3,RND>"), {1.0625, 0.5625}).y, V{0.75});
}

TEST(EmulatorDense, ProductTiesFollowTheAccumulatorRounding) {
  // x = [+-10/16, 0], w = 0.5: products +-0.3125 = +-2.5 LSBs of the accumulator (1/8).
  struct Case {
    const char* accum;
    double pos, neg;
  };
  for (const Case& c :
       {Case{"fixed<6,3,RND>", 0.375, -0.25}, Case{"fixed<6,3,RND_CONV>", 0.25, -0.25},
        Case{"fixed<6,3,RND_ZERO>", 0.25, -0.25}, Case{"fixed<6,3,RND_INF>", 0.375, -0.375},
        Case{"fixed<6,3,RND_MIN_INF>", 0.25, -0.375}, Case{"fixed<6,3,TRN_ZERO>", 0.25, -0.25}}) {
    const ir::Graph g = TwoInputDense(c.accum, {0.5, 0.0}, {0.0});
    EXPECT_EQ(Emulate(g, {0.625, 0.0}).y, V{c.pos}) << c.accum;
    EXPECT_EQ(Emulate(g, {-0.625, 0.0}).y, V{c.neg}) << c.accum;
  }
}

// x = [1.5, 1.5, -1.5, -1.5], all weights 1, accum fixed<4,2> (range [-2, 1.75]).
ir::Graph SaturatingDense(const std::string& accum, ir::Strategy strategy, int64_t rf) {
  ir::Node d = DenseNode("d", 4, 1, {1, 1, 1, 1}, {}, "fixed<8,2>", "fixed<8,2>", accum);
  d.settings.strategy = strategy;
  d.settings.reuse_factor = rf;
  return ChainBuilder({4}, "fixed<8,4>").Add(d, "fixed<8,4>").Finish();
}

TEST(EmulatorDense, SaturatingSumsFollowTheStrategysOrder) {
  const V x = {1.5, 1.5, -1.5, -1.5};
  // Latency, ascending: 1.5, 3 -> 1.75 (saturated), 0.25, -1.25.
  testing::RunResult latency =
      Emulate(SaturatingDense("fixed<4,2,TRN,SAT>", ir::Strategy::kLatency, 1), x);
  EXPECT_EQ(latency.y, V{-1.25});
  EXPECT_EQ(Counts(latency.overflows, "d", "accum"), (CountPair{1, 0}));
  // Resource RF 2 sums inputs 0, 2, 1, 3: 1.5, 0, 1.5, 0, never saturating.
  testing::RunResult resource =
      Emulate(SaturatingDense("fixed<4,2,TRN,SAT>", ir::Strategy::kResource, 2), x);
  EXPECT_EQ(resource.y, V{0.0});
  EXPECT_EQ(Counts(resource.overflows, "d", "accum"), (CountPair{0, 0}));
  // RF = n_in and RF a multiple of n_in sum in ascending order again.
  EXPECT_EQ(Emulate(SaturatingDense("fixed<4,2,TRN,SAT>", ir::Strategy::kResource, 4), x).y,
            V{-1.25});
  EXPECT_EQ(Emulate(SaturatingDense("fixed<4,2,TRN,SAT>", ir::Strategy::kResource, 8), x).y,
            V{-1.25});
}

TEST(EmulatorDense, WrappingSumsAreTheExactSumModulo) {
  // WRAP: 1.5, 3 -> -1 (above), -2.5 -> 1.5 (below), 0: the exact sum, in any order.
  testing::RunResult r =
      Emulate(SaturatingDense("fixed<4,2>", ir::Strategy::kLatency, 1), {1.5, 1.5, -1.5, -1.5});
  EXPECT_EQ(r.y, V{0.0});
  EXPECT_EQ(Counts(r.overflows, "d", "accum"), (CountPair{1, 1}));
  EXPECT_EQ(Counts(r.overflows, "d", "product"), (CountPair{0, 0}));
  EXPECT_EQ(r.overflows.Find("d", "accum")->casts, 4);
}

TEST(EmulatorDense, WeightsGoThroughDecimalText) {
  // 0.5 - 2^-24 prints as "0.500000" with 6 decimals (F of fixed<8,2>) and is stored as 0.5,
  // where a direct TRN cast gives 0.484375. -1e-12 prints "-0.000000": 0, not -1/64.
  const ir::Graph g = ChainBuilder({2}, "fixed<16,6>")
                          .Add(DenseNode("d", 2, 2, {0.5 - 0x1p-24, -1e-12, -1e-12, 0.25 - 0x1p-25},
                                         {}, "fixed<8,2>", "fixed<8,2>", "fixed<32,12>"),
                               "fixed<32,12>")
                          .Finish();
  EXPECT_EQ(Emulate(g, {1.0, 0.0}).y, (V{0.5, 0.0}));
  EXPECT_EQ(Emulate(g, {0.0, 1.0}).y, (V{0.0, 0.25}));
}

TEST(EmulatorDense, BiasOverflowIsCountedEverySample) {
  // Bias 3.0 saturates into fixed<4,2,SAT> (1.75) once per sample and output.
  const ir::Graph g =
      ChainBuilder({1}, "fixed<8,4>")
          .Add(DenseNode("d", 1, 1, {0.0}, {3.0}, "fixed<8,2>", "fixed<8,3>", "fixed<4,2,TRN,SAT>"),
               "fixed<8,4>")
          .Finish();
  testing::RunResult r = Emulate(g, {1.0, 2.0, 3.0});
  EXPECT_EQ(r.y, (V{1.75, 1.75, 1.75}));
  EXPECT_EQ(Counts(r.overflows, "d", "bias"), (CountPair{3, 0}));
  EXPECT_EQ(r.overflows.samples, 3);
}

TEST(EmulatorDense, InputConversionRoundsAndCounts) {
  // Input fixed<6,3,RND,SAT> (LSB 1/8, range [-4, 3.875]): 0.0625 ties up to 0.125, 5 -> 3.875,
  // -9 -> -4. Identity weights.
  const ir::Graph g = ChainBuilder({3}, "fixed<6,3,RND,SAT>")
                          .Add(DenseNode("d", 3, 3, {1, 0, 0, 0, 1, 0, 0, 0, 1}, {}, "fixed<4,2>",
                                         "fixed<4,2>", "fixed<16,6>"),
                               "fixed<16,6>")
                          .Finish();
  testing::RunResult r = Emulate(g, {0.0625, 5.0, -9.0});
  EXPECT_EQ(r.y, (V{0.125, 3.875, -4.0}));
  EXPECT_EQ(Counts(r.overflows, "x", "input"), (CountPair{1, 1}));
}

TEST(EmulatorDense, RunsPerPositionOfALeadingAxis) {
  // Input [2, 2]: the same Dense for each row, as hls4ml's pointwise convolution.
  const ir::Graph g =
      ChainBuilder({2, 2}, "fixed<16,6>")
          .Add(DenseNode("d", 2, 1, {1.0, -2.0}, {0.5}, "fixed<8,4>", "fixed<8,4>", "fixed<24,12>"),
               "fixed<24,12>")
          .Finish();
  EXPECT_EQ(Emulate(g, {1.0, 2.0, 3.0, 0.25}).y, (V{-2.5, 3.0}));
}

TEST(EmulatorDense, WideTypesRunOnTheExactPath) {
  // A 70-bit accumulator does not fit int64: the exact path runs, with the same rules.
  const ir::Graph g = ChainBuilder({2}, "fixed<40,20>")
                          .Add(DenseNode("d", 2, 1, {0x1p-20, 3.0}, {0.5}, "fixed<40,20>",
                                         "fixed<40,20>", "fixed<70,30>"),
                               "fixed<70,30>")
                          .Finish();
  Result<Emulator> e = Emulator::Create(g);
  ASSERT_TRUE(e.ok()) << e.error().message();
  EXPECT_FALSE(e->uses_int64());
  Batch b{{1, 2}, {0x1p-20, 1.0}};
  Result<std::vector<Batch>> y = e->Run({b});
  ASSERT_TRUE(y.ok());
  EXPECT_EQ((*y)[0].values, V{0.5 + 0x1p-40 + 3.0});
}

TEST(EmulatorDense, RefusesWhatItDoesNotHandle) {
  ir::Node d = DenseNode("d", 2, 1, {1, 1}, {}, "fixed<8,2>", "fixed<8,2>", "fixed<16,6>");
  d.settings.strategy = ir::Strategy::kResourceUnrolled;
  EXPECT_EQ(testing::CreateError(ChainBuilder({2}, "fixed<8,4>").Add(d, "fixed<8,4>").Finish()),
            "layer 'd' (Dense): the emulator does not handle the ResourceUnrolled strategy yet");
  ir::Node scaled = DenseNode("d", 2, 1, {1, 1}, {}, "fixed<8,2>", "fixed<8,2>", "fixed<16,6>");
  scaled.weights[0].quantizer = ir::Quantizer{};
  scaled.weights[0].quantizer->type = testing::T("fixed<8,2>");
  scaled.weights[0].quantizer->scale = {0.5};
  EXPECT_EQ(
      testing::CreateError(ChainBuilder({2}, "fixed<8,4>").Add(scaled, "fixed<8,4>").Finish()),
      "layer 'd' (Dense): the emulator does not handle weight 'kernel' with a quantizer "
      "scale (alpha) yet");
  ir::Node no_accum = DenseNode("d", 2, 1, {1, 1}, {}, "fixed<8,2>", "fixed<8,2>", "fixed<16,6>");
  no_accum.types.clear();
  EXPECT_EQ(
      testing::CreateError(ChainBuilder({2}, "fixed<8,4>").Add(no_accum, "fixed<8,4>").Finish()),
      "layer 'd' (Dense): no 'accum' type; run passes::Configure first");
}

}  // namespace
}  // namespace fixnn::emulator
