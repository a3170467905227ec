// Conv, DepthwiseConv and SeparableConv worked out by hand: padding ('same' split, causal),
// strides, the im2col row order (kh, kw, c), the Resource summation order under saturation,
// the depthwise result type between the two stages of a separable convolution, the overflow
// counts of each cast site, the configurations hls4ml cannot compute, and hls4ml's product for
// power-of-two weights in every stage.
#include <gtest/gtest.h>

#include <optional>

#include "emulator/emulator_test_util.h"

namespace fixnn::emulator {
namespace {

using testing::ChainBuilder;
using testing::Counts;
using testing::CreateError;
using testing::Emulate;
using testing::T;
using testing::TypedWeight;

using V = std::vector<double>;
using Dims = std::vector<int64_t>;
using CountPair = std::pair<int64_t, int64_t>;

// Conv with kernel [k..., channels, filters] (Keras order) and an optional bias.
ir::Node ConvNode(const Dims& kernel_size, const Dims& strides, ir::Padding padding,
                  int64_t channels, int64_t filters, const V& kernel, const V& bias,
                  const std::string& accum, const std::string& weight_type = "fixed<16,4>") {
  ir::Node node;
  node.name = "c";
  node.source = kernel_size.size() == 1 ? "Conv1D" : "Conv2D";
  node.attrs = ir::ConvAttrs{filters, kernel_size, strides,      Dims(kernel_size.size(), 1),
                             padding, 1,           !bias.empty()};
  Dims shape = kernel_size;
  shape.push_back(channels);
  shape.push_back(filters);
  node.weights.push_back(TypedWeight("kernel", shape, kernel, weight_type));
  if (!bias.empty()) node.weights.push_back(TypedWeight("bias", {filters}, bias, "fixed<16,6>"));
  node.types["accum"] = T(accum);
  return node;
}

// DepthwiseConv with kernel [k..., channels, 1].
ir::Node DepthwiseNode(const Dims& kernel_size, const Dims& strides, ir::Padding padding,
                       int64_t channels, const V& kernel, const V& bias, const std::string& accum) {
  ir::Node node;
  node.name = "dw";
  node.source = kernel_size.size() == 1 ? "DepthwiseConv1D" : "DepthwiseConv2D";
  node.attrs = ir::DepthwiseConvAttrs{1,       kernel_size,  strides, Dims(kernel_size.size(), 1),
                                      padding, !bias.empty()};
  Dims shape = kernel_size;
  shape.push_back(channels);
  shape.push_back(1);
  node.weights.push_back(TypedWeight("depthwise_kernel", shape, kernel, "fixed<16,4>"));
  if (!bias.empty()) node.weights.push_back(TypedWeight("bias", {channels}, bias, "fixed<16,6>"));
  node.types["accum"] = T(accum);
  return node;
}

// SeparableConv1D: depthwise kernel [k, channels, 1], pointwise kernel [1, channels, filters].
ir::Node SeparableNode(int64_t k, int64_t channels, int64_t filters, const V& depthwise,
                       const V& pointwise, const V& bias, const std::string& middle) {
  ir::Node node;
  node.name = "sep";
  node.source = "SeparableConv1D";
  node.attrs =
      ir::SeparableConvAttrs{filters, 1, {k}, {1}, {1}, ir::Padding::kValid, !bias.empty()};
  node.weights.push_back(
      TypedWeight("depthwise_kernel", {k, channels, 1}, depthwise, "fixed<16,4>"));
  node.weights.push_back(
      TypedWeight("pointwise_kernel", {1, channels, filters}, pointwise, "fixed<16,4>"));
  if (!bias.empty()) node.weights.push_back(TypedWeight("bias", {filters}, bias, "fixed<16,6>"));
  node.types["depthwise_accum"] = T("fixed<24,8>");
  node.types["depthwise_result"] = T(middle);
  node.types["pointwise_accum"] = T("fixed<24,8>");
  return node;
}

ir::Graph Chain(const Dims& in, const ir::Node& node, const std::string& result,
                const std::string& input_type = "fixed<8,5>") {
  return ChainBuilder(in, input_type).Add(node, result).Finish();
}

TEST(EmulatorConv, Conv1DSamePadsTheSmallerHalfBefore) {
  // x = [1, 2, 3, 4], w = [1, 2, 4], bias 0.5. k = 3: one padded tap on each side:
  // y0 = 2*1 + 4*2, y1 = 1 + 4 + 12, y2 = 2 + 6 + 16, y3 = 3 + 8 (+ 0.5 each).
  const ir::Node c = ConvNode({3}, {1}, ir::Padding::kSame, 1, 1, {1, 2, 4}, {0.5}, "fixed<16,8>");
  EXPECT_EQ(Emulate(Chain({4, 1}, c, "fixed<16,8>"), {1, 2, 3, 4}).y, (V{10.5, 17.5, 24.5, 11.5}));
  // k = 2: the total padding 1 goes after: y_i = x_i + 2 x_{i+1}, y3 = 4.
  const ir::Node even = ConvNode({2}, {1}, ir::Padding::kSame, 1, 1, {1, 2}, {}, "fixed<16,8>");
  EXPECT_EQ(Emulate(Chain({4, 1}, even, "fixed<16,8>"), {1, 2, 3, 4}).y, (V{5, 8, 11, 4}));
}

TEST(EmulatorConv, Conv1DCausalPadsKMinusOneBefore) {
  // y0 = 4*1, y1 = 2*1 + 4*2, y2 = 1 + 4 + 12, y3 = 2 + 6 + 16.
  const ir::Node c = ConvNode({3}, {1}, ir::Padding::kCausal, 1, 1, {1, 2, 4}, {}, "fixed<16,8>");
  EXPECT_EQ(Emulate(Chain({4, 1}, c, "fixed<16,8>"), {1, 2, 3, 4}).y, (V{4, 10, 17, 24}));
}

TEST(EmulatorConv, Conv1DStridedSame) {
  // n = 5, k = 3, stride 2: 3 outputs, total padding (3-1)*2 + 3 - 5 = 2, one before.
  // Windows: [-1, 0, 1], [1, 2, 3], [3, 4, 5]: y = 2 + 8, 2 + 6 + 16, 4 + 10.
  const ir::Node c = ConvNode({3}, {2}, ir::Padding::kSame, 1, 1, {1, 2, 4}, {}, "fixed<16,8>");
  EXPECT_EQ(Emulate(Chain({5, 1}, c, "fixed<16,8>"), {1, 2, 3, 4, 5}).y, (V{10, 24, 14}));
  // 'valid' stride 2 over 5: windows [0, 1, 2] and [2, 3, 4].
  const ir::Node v = ConvNode({3}, {2}, ir::Padding::kValid, 1, 1, {1, 2, 4}, {}, "fixed<16,8>");
  EXPECT_EQ(Emulate(Chain({5, 1}, v, "fixed<16,8>"), {1, 2, 3, 4, 5}).y, (V{17, 31}));
}

TEST(EmulatorConv, Conv2DRowsAreOrderedKhKwC) {
  // x[h][w][c] = 6h + 2w + c + 1 over [2, 3, 2]; 2x2 'valid' gives [1, 2, 2 filters].
  // Filter 0 takes only tap (kh 1, kw 0, c 1): x[1][ow][1] = 8, 10.
  // Filter 1: tap (0, 1, 0) + 0.5 * tap (1, 1, 1): 3 + 5 = 8 and 5 + 6 = 11.
  V kernel(2 * 2 * 2 * 2, 0.0);
  auto at = [](int kh, int kw, int c, int f) { return ((kh * 2 + kw) * 2 + c) * 2 + f; };
  kernel[at(1, 0, 1, 0)] = 1.0;
  kernel[at(0, 1, 0, 1)] = 1.0;
  kernel[at(1, 1, 1, 1)] = 0.5;
  // accum fixed<32,12> holds every product and partial sum exactly (int64 path: the
  // cast-free sum; the exact path: every cast; Emulate checks that they agree).
  const ir::Node c =
      ConvNode({2, 2}, {1, 1}, ir::Padding::kValid, 2, 2, kernel, {}, "fixed<32,12>");
  V x;
  for (int i = 1; i <= 12; ++i) x.push_back(i);
  EXPECT_EQ(Emulate(Chain({2, 3, 2}, c, "fixed<32,12>"), x).y, (V{8, 8, 10, 11}));
}

TEST(EmulatorConv, Conv2DSameStridedNonSquare) {
  // x = [[1,2,3],[4,5,6],[7,8,9],[10,11,12]], kernel 3x2 with rows (1, 0, 2), stride (2, 1),
  // 'same': height: 2 outputs, total padding 1, all after (rows 0-2 and 2-4); width: 3
  // outputs, total padding 1, after (columns 0-1, 1-2, 2-3).
  // oh 0: row0 + 2 row2: 3 + 30, 5 + 34, 3 + 18. oh 1: row2 + 2 * padding: 15, 17, 9.
  const ir::Node c =
      ConvNode({3, 2}, {2, 1}, ir::Padding::kSame, 1, 1, {1, 1, 0, 0, 2, 2}, {}, "fixed<16,8>");
  V x;
  for (int i = 1; i <= 12; ++i) x.push_back(i);
  EXPECT_EQ(Emulate(Chain({4, 3, 1}, c, "fixed<16,8>"), x).y, (V{33, 39, 21, 15, 17, 9}));
}

TEST(EmulatorConv, CastsProductsAndCountsEveryCastSite) {
  // The 'same' k = 3 example with bias 0.25 and result fixed<6,5,RND,SAT> (LSB 0.5, max
  // 15.5): 10.25 -> 10.5 (RND), 17.25 and 24.25 saturate, 11.25 -> 11.5.
  const ir::Node c = ConvNode({3}, {1}, ir::Padding::kSame, 1, 1, {1, 2, 4}, {0.25}, "fixed<16,8>");
  testing::RunResult r = Emulate(Chain({4, 1}, c, "fixed<6,5,RND,SAT>"), {1, 2, 3, 4});
  EXPECT_EQ(r.y, (V{10.5, 15.5, 15.5, 11.5}));
  EXPECT_EQ(Counts(r.overflows, "c", "result"), (CountPair{2, 0}));
  // Padded taps are products too: 4 pixels x 3 taps.
  ASSERT_NE(r.overflows.Find("c", "product"), nullptr);
  EXPECT_EQ(r.overflows.Find("c", "product")->casts, 12);
  EXPECT_EQ(r.overflows.Find("c", "accum")->casts, 12);
  EXPECT_EQ(r.overflows.Find("c", "bias")->casts, 4);

  // Products keep accum_t's LSB: x = 0.75, w = 0.375, accum LSB 1/4: 0.28125 -> TRN 0.25.
  const ir::Node coarse = ConvNode({1}, {1}, ir::Padding::kValid, 1, 1, {0.375}, {}, "fixed<8,6>");
  EXPECT_EQ(Emulate(Chain({2, 1}, coarse, "fixed<16,8>"), {0.75, -0.75}).y, (V{0.25, -0.5}));
}

TEST(EmulatorConv, ExactAccumulatorsGiveTheCastSum) {
  // x fixed<8,4>, w fixed<8,2>, accum fixed<24,12> (LSB 2^-12, products have LSB 2^-10,
  // |sum| <= 8 * 8 * 2 + 3): no cast can round or overflow. 'same' 3x3 over [3, 3, 1] with
  // weights 0.015625 * (1..9), bias 0.5, result fixed<24,12>; centre pixel:
  // 0.5 + 0.015625 * sum(i * x_i) with x = 1.25 * (1..9): 0.5 + 0.015625 * 1.25 * 285.
  V kernel, x;
  for (int i = 1; i <= 9; ++i) {
    kernel.push_back(0.015625 * i);
    x.push_back(1.25 * i - 6.0);
  }
  const ir::Node c = ConvNode({3, 3}, {1, 1}, ir::Padding::kSame, 1, 1, kernel, {0.5},
                              "fixed<24,12>", "fixed<8,2>");
  testing::RunResult r = Emulate(Chain({3, 3, 1}, c, "fixed<24,12>", "fixed<8,4>"), x);
  double centre = 0.5;
  for (int i = 1; i <= 9; ++i) centre += 0.015625 * i * (1.25 * i - 6.0);
  ASSERT_EQ(r.y.size(), 9u);
  EXPECT_EQ(r.y[4], centre);
  // Corner (0, 0): taps (1, 1), (1, 2), (2, 1), (2, 2) of the kernel: weights 5, 6, 8, 9
  // against x_1, x_2, x_4, x_5.
  EXPECT_EQ(r.y[0], 0.5 + 0.015625 * (5 * x[0] + 6 * x[1] + 8 * x[3] + 9 * x[4]));
  EXPECT_EQ(r.overflows.total(), 0);
}

TEST(EmulatorConv, TightAccumulatorsKeepTheirCasts) {
  // Products are exact in accum fixed<6,2,TRN,SAT> (LSB 2^-4, max 1.9375) but a sum of two
  // can leave it: 1.5 + 1.5 saturates.
  const ir::Node c =
      ConvNode({2}, {1}, ir::Padding::kValid, 1, 1, {1, 1}, {}, "fixed<6,2,TRN,SAT>", "fixed<4,2>");
  testing::RunResult r = Emulate(Chain({2, 1}, c, "fixed<8,4>", "fixed<4,2>"), {1.5, 1.5});
  EXPECT_EQ(r.y, V{1.9375});
  EXPECT_EQ(Counts(r.overflows, "c", "accum"), (CountPair{1, 0}));
}

TEST(EmulatorConv, BiasOverflowIsCountedPerPixelAndSample) {
  // Bias 3.0 saturates into accum fixed<4,2,SAT> (1.75): once per pixel (3) and sample (2).
  const ir::Node c =
      ConvNode({1}, {1}, ir::Padding::kValid, 1, 1, {0.0}, {3.0}, "fixed<4,2,TRN,SAT>");
  testing::RunResult r = Emulate(Chain({3, 1}, c, "fixed<8,4>"), {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(r.y, (V{1.75, 1.75, 1.75, 1.75, 1.75, 1.75}));
  EXPECT_EQ(Counts(r.overflows, "c", "bias"), (CountPair{6, 0}));
}

// Conv1D 'same', k = 2, 2 channels, all weights 1, accum fixed<4,2,TRN,SAT> (range
// [-2, 1.75]) over x = [[1.5, 1.5], [-1.5, -1.5]]: pixel 0's row is (1.5, 1.5, -1.5, -1.5),
// pixel 1's (-1.5, -1.5, 0, 0) with two padded taps.
ir::Graph SaturatingConv(ir::Strategy strategy, int64_t rf) {
  ir::Node c = ConvNode({2}, {1}, ir::Padding::kSame, 2, 1, {1, 1, 1, 1}, {}, "fixed<4,2,TRN,SAT>",
                        "fixed<8,2>");
  c.settings.strategy = strategy;
  c.settings.reuse_factor = rf;
  return Chain({2, 2}, c, "fixed<8,4>", "fixed<8,4>");
}

TEST(EmulatorConv, SaturatingSumsFollowTheStrategysOrder) {
  const V x = {1.5, 1.5, -1.5, -1.5};
  // Latency: pixel 0: 1.5, 3 -> 1.75, 0.25, -1.25; pixel 1: -1.5, -3 -> -2, -2, -2.
  testing::RunResult latency = Emulate(SaturatingConv(ir::Strategy::kLatency, 1), x);
  EXPECT_EQ(latency.y, (V{-1.25, -2}));
  EXPECT_EQ(Counts(latency.overflows, "c", "accum"), (CountPair{1, 1}));
  // Resource RF 2 sums row values 0, 2, 1, 3: pixel 0: 1.5, 0, 1.5, 0; pixel 1: -1.5, -1.5
  // (a padded 0), -3 -> -2, -2.
  testing::RunResult resource = Emulate(SaturatingConv(ir::Strategy::kResource, 2), x);
  EXPECT_EQ(resource.y, (V{0, -2}));
  EXPECT_EQ(Counts(resource.overflows, "c", "accum"), (CountPair{0, 1}));
  // RF = kh*kw*C sums in ascending order again.
  EXPECT_EQ(Emulate(SaturatingConv(ir::Strategy::kResource, 4), x).y, (V{-1.25, -2}));
}

TEST(EmulatorConv, DepthwiseSumsTapsPerChannel) {
  // x = [[1, 2], [3, 4], [5, 6]], kernel taps (1, 0.5) and (2, -1), bias (0.25, -0.25),
  // 'same' k = 2 (padding after): c0: 1 + 6, 3 + 10, 5 + 0; c1: 1 - 4, 2 - 6, 3 - 0.
  // accum fixed<32,12> holds every sum exactly: the int64 path sums without casts.
  const ir::Node dw = DepthwiseNode({2}, {1}, ir::Padding::kSame, 2, {1, 0.5, 2, -1}, {0.25, -0.25},
                                    "fixed<32,12>");
  testing::RunResult r = Emulate(Chain({3, 2}, dw, "fixed<32,12>"), {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(r.y, (V{7.25, -3.25, 13.25, -4.25, 5.25, 2.75}));
  EXPECT_EQ(r.overflows.Find("dw", "product")->casts, 12);
  EXPECT_EQ(r.overflows.Find("dw", "result")->casts, 6);
}

TEST(EmulatorConv, Depthwise2DSaturatesPerChannel) {
  // 2x2 'valid' over [2, 2, 2], all taps 1, accum fixed<4,2,TRN,SAT>: channel 0 sums
  // 1.5 four times (1.5, 3 -> 1.75, 3.25 -> 1.75, 1.75: 3 overflows); channel 1 sums
  // 0.25 + 0.25 - 0.5 - 0.5 = -0.5 without saturating.
  const ir::Node dw =
      DepthwiseNode({2, 2}, {1, 1}, ir::Padding::kValid, 2, V(8, 1.0), {}, "fixed<4,2,TRN,SAT>");
  testing::RunResult r = Emulate(Chain({2, 2, 2}, dw, "fixed<8,4>", "fixed<8,4>"),
                                 {1.5, 0.25, 1.5, 0.25, 1.5, -0.5, 1.5, -0.5});
  EXPECT_EQ(r.y, (V{1.75, -0.5}));
  EXPECT_EQ(Counts(r.overflows, "dw", "accum"), (CountPair{3, 0}));
}

TEST(EmulatorConv, SeparableRoundsIntoTheDepthwiseResultType) {
  // Depthwise k = 2 over x = [0.75, 0.5] with taps 0.5: 0.625, into depthwise_result
  // fixed<4,2,RND,SAT> (LSB 0.25): 0.75 (TRN would give 0.5). Pointwise 2, bias 0.25: 1.75.
  const ir::Node sep = SeparableNode(2, 1, 1, {0.5, 0.5}, {2.0}, {0.25}, "fixed<4,2,RND,SAT>");
  testing::RunResult r = Emulate(Chain({2, 1}, sep, "fixed<16,6>"), {0.75, 0.5});
  EXPECT_EQ(r.y, V{1.75});
  // x = [3, 3]: 3 saturates to 1.75 in the middle: 3.5 + 0.25.
  testing::RunResult sat = Emulate(Chain({2, 1}, sep, "fixed<16,6>"), {3, 3});
  EXPECT_EQ(sat.y, V{3.75});
  EXPECT_EQ(Counts(sat.overflows, "sep", "depthwise_result"), (CountPair{1, 0}));
  EXPECT_EQ(sat.overflows.Find("sep", "depthwise_product")->casts, 2);
  EXPECT_EQ(sat.overflows.Find("sep", "depthwise_accum")->casts, 2);
  EXPECT_EQ(sat.overflows.Find("sep", "product")->casts, 1);
  EXPECT_EQ(sat.overflows.Find("sep", "bias")->casts, 1);
  EXPECT_EQ(Counts(sat.overflows, "sep", "depthwise_bias"), (CountPair{-1, -1}));
  EXPECT_EQ(Emulate(Chain({2, 1}, SeparableNode(2, 1, 1, {0.5, 0.5}, {2.0}, {0.25}, "fixed<4,2>"),
                          "fixed<16,6>"),
                    {0.75, 0.5})
                .y,
            V{1.25});
}

TEST(EmulatorConv, SeparableMixesChannelsPerPixel) {
  // Two channels, two filters, k = 1 (the depthwise stage scales each channel), no bias:
  // middle = (2 x0, -x1); filters (1, 1) and (0.5, -1).
  const ir::Node sep = SeparableNode(1, 2, 2, {2, -1}, {1, 0.5, 1, -1}, {}, "fixed<16,6>");
  EXPECT_EQ(Emulate(Chain({2, 2}, sep, "fixed<16,6>"), {1, 2, 3, -1}).y, (V{0, 3, 7, 2}));
}

TEST(EmulatorConv, RefusesWhatHls4mlCannotCompute) {
  auto error = [](const ir::Node& node, const Dims& in) {
    return CreateError(ChainBuilder(in, "fixed<8,4>").Add(node, "fixed<16,8>").Finish());
  };
  ir::Node dilated = ConvNode({2}, {1}, ir::Padding::kValid, 1, 1, {1, 1}, {}, "fixed<16,8>");
  std::get<ir::ConvAttrs>(dilated.attrs).dilation = {2};
  EXPECT_EQ(error(dilated, {5, 1}),
            "layer 'c' (Conv): dilation_rate 2 is refused: hls4ml's io_parallel convolution "
            "ignores or rejects dilation");

  ir::Node resource =
      ConvNode({2}, {1}, ir::Padding::kValid, 2, 1, {1, 1, 1, 1}, {}, "fixed<16,8>");
  resource.settings.strategy = ir::Strategy::kResource;
  resource.settings.reuse_factor = 8;
  EXPECT_EQ(error(resource, {3, 2}),
            "layer 'c' (Conv): the Resource strategy with reuse factor 8 above the 4 products "
            "per output (kernel size x channels) is refused: hls4ml's Conv1D aborts and its "
            "Conv2D reads out of bounds");
  resource.settings.reuse_factor = 3;
  EXPECT_EQ(error(resource, {3, 2}),
            "layer 'c' (Conv): Resource strategy with reuse factor 3 for 4 products per output: "
            "hls4ml needs a divisor (run passes::Configure, which validates reuse factors)");

  ir::Node grouped = ConvNode({1}, {1}, ir::Padding::kValid, 1, 2, {1, 1}, {}, "fixed<16,8>");
  std::get<ir::ConvAttrs>(grouped.attrs).groups = 2;
  EXPECT_EQ(error(grouped, {3, 2}),
            "layer 'c' (Conv): the emulator does not handle grouped convolutions (groups=2) yet");

  const ir::Node causal =
      ConvNode({3}, {2}, ir::Padding::kCausal, 1, 1, {1, 1, 1}, {}, "fixed<16,8>");
  EXPECT_EQ(error(causal, {6, 1}),
            "layer 'c' (Conv): causal padding with stride 2 and kernel 3 is refused: hls4ml's "
            "Keras 2 converter pads 1 before, its Keras 3 converter 2");

  ir::Node conv3d =
      ConvNode({1, 1, 1}, {1, 1, 1}, ir::Padding::kValid, 1, 1, {1}, {}, "fixed<16,8>");
  EXPECT_EQ(error(conv3d, {2, 2, 2, 1}),
            "layer 'c' (Conv): the emulator does not handle 3-D convolutions (hls4ml has 1D and "
            "2D) yet");

  ir::Node no_accum = ConvNode({1}, {1}, ir::Padding::kValid, 1, 1, {1}, {}, "fixed<16,8>");
  no_accum.types.clear();
  EXPECT_EQ(error(no_accum, {2, 1}),
            "layer 'c' (Conv): no 'accum' type; run passes::Configure first");

  ir::Node dm2 = DepthwiseNode({1}, {1}, ir::Padding::kValid, 1, {1}, {}, "fixed<16,8>");
  std::get<ir::DepthwiseConvAttrs>(dm2.attrs).depth_multiplier = 2;
  dm2.weights[0].shape = {1, 1, 2};
  dm2.weights[0].values = {1, 1};
  EXPECT_EQ(error(dm2, {2, 1}),
            "layer 'dw' (DepthwiseConv): depth_multiplier 2 is refused: hls4ml's predict aborts "
            "on a depth multiplier above 1");

  ir::Node dw_resource = DepthwiseNode({1}, {1}, ir::Padding::kValid, 1, {1}, {}, "fixed<16,8>");
  dw_resource.settings.strategy = ir::Strategy::kResource;
  EXPECT_EQ(error(dw_resource, {2, 1}),
            "layer 'dw' (DepthwiseConv): a depthwise convolution with a strategy other than "
            "Latency is refused: hls4ml's predict aborts on Resource");

  ir::Node sep_resource = SeparableNode(1, 1, 1, {1}, {1}, {}, "fixed<16,6>");
  sep_resource.settings.strategy = ir::Strategy::kResource;
  EXPECT_EQ(error(sep_resource, {2, 1}),
            "layer 'sep' (SeparableConv): a depthwise convolution with a strategy other than "
            "Latency is refused: hls4ml's predict aborts on Resource");

  ir::Node sep_dm2 = SeparableNode(1, 1, 1, {1}, {1}, {}, "fixed<16,6>");
  std::get<ir::SeparableConvAttrs>(sep_dm2.attrs).depth_multiplier = 2;
  sep_dm2.weights[0].shape = {1, 1, 2};
  sep_dm2.weights[0].values = {1, 1};
  sep_dm2.weights[1].shape = {1, 2, 1};
  sep_dm2.weights[1].values = {1, 1};
  EXPECT_EQ(error(sep_dm2, {2, 1}),
            "layer 'sep' (SeparableConv): depth_multiplier 2 is refused: hls4ml's predict aborts "
            "on a depth multiplier above 1");

  ir::Node sep_untyped = SeparableNode(1, 1, 1, {1}, {1}, {}, "fixed<16,6>");
  sep_untyped.types.erase("depthwise_result");
  EXPECT_EQ(error(sep_untyped, {2, 1}),
            "layer 'sep' (SeparableConv): no 'depthwise_result' type; run passes::Configure "
            "first");
}

// QKeras quantized_po2(bits, max_value): exponents in [-2^k, 2^k - 1], k = bits - 1 - s, s = 0
// when max_value <= 1 (else 1); hls4ml stores the exponent in ap_int<bits>.
ir::Quantizer Po2(int bits, std::optional<double> max_value = std::nullopt) {
  ir::Quantizer q;
  q.kind = ir::QuantizerKind::kPo2;
  q.qkeras = true;
  q.straight_through = true;
  const int k = bits - 1 - (!max_value || *max_value > 1 ? 1 : 0);
  q.min_exponent = -(1 << k);
  q.max_exponent = (1 << k) - 1;
  q.po2_max_value = max_value;
  q.spelling = "quantized_po2(" + std::to_string(bits) + ")";
  return q;
}

TEST(EmulatorConv, PowerOfTwoKernelShiftsInHls4mlsProductType) {
  // quantized_po2(4, max_value=1) kernel taps {-2^-5, 0.5} ({0,-5}, {1,-1}); x ufixed<2,0>:
  // r_t = ap_fixed<12,6> (LSB 2^-6), x = 0.75, 0.5, 0.25 are 48, 32, 16 there. 'valid' k = 2:
  //   pixel 0: 48>>5 = 1, negated -1; 32>>1 = 16: 15/64 = 0.234375.
  //   pixel 1: 32>>5 = 1, -1; 16>>1 = 8: 7/64 = 0.109375.
  ir::Node c = ConvNode({2}, {1}, ir::Padding::kValid, 1, 1, {-0x1p-5, 0.5}, {}, "fixed<16,6>",
                        "fixed<12,2>");
  c.weights[0].quantizer = Po2(4, 1.0);
  c.settings.exponent_products = true;
  testing::RunResult r = Emulate(Chain({3, 1}, c, "fixed<16,6>", "ufixed<2,0>"), {0.75, 0.5, 0.25});
  EXPECT_EQ(r.y, (V{0.234375, 0.109375}));
  EXPECT_EQ(Counts(r.overflows, "c", "exponent_product"), (CountPair{-1, -1}));
  EXPECT_EQ(r.overflows.Find("c", "product")->casts, 4);
  // fixnn's own products are exact: -0.0234375 + 0.25, -0.015625 + 0.125.
  c.settings.exponent_products = false;
  EXPECT_EQ(Emulate(Chain({3, 1}, c, "fixed<16,6>", "ufixed<2,0>"), {0.75, 0.5, 0.25}).y,
            (V{0.2265625, 0.109375}));
}

TEST(EmulatorConv, PowerOfTwoDepthwiseKernelShiftsPerChannel) {
  // Taps (t, c): {2^-7, -0.25; -2^-3, 1} of quantized_po2(4, max_value=1); x ufixed<2,0>
  // [[0.75, 0.5], [0.25, 0.75]] (48, 32; 16, 48 in r_t = ap_fixed<12,6>), 'valid' k = 2:
  //   c0: 48>>7 = 0; 16>>3 = 2, negated: -2/64 = -0.03125 (exactly -0.025390625).
  //   c1: 32>>2 = 8, negated; 48: 40/64 = 0.625.
  ir::Node dw = DepthwiseNode({2}, {1}, ir::Padding::kValid, 2, {0x1p-7, -0.25, -0.125, 1}, {},
                              "fixed<16,6>");
  dw.weights[0].quantizer = Po2(4, 1.0);
  dw.settings.exponent_products = true;
  EXPECT_EQ(Emulate(Chain({2, 2}, dw, "fixed<16,6>", "ufixed<2,0>"), {0.75, 0.5, 0.25, 0.75}).y,
            (V{-0.03125, 0.625}));
}

TEST(EmulatorConv, PowerOfTwoSeparableKernelsUseTheirStagesInput) {
  // The pointwise stage's x is the depthwise result: ufixed<2,0> (here x times 1), so its
  // r_t is ap_fixed<12,6>. Pointwise {-2^-5, 2^-8} of quantized_po2(4, max_value=1):
  //   x = 0.75 (48): 48>>5 = 1, negated: -0.015625; 48>>8 = 0.
  //   x = 0.25 (16): 16>>5 = 0; 0.
  ir::Node sep = SeparableNode(1, 1, 2, {1}, {-0x1p-5, 0x1p-8}, {}, "ufixed<2,0>");
  sep.weights[1].quantizer = Po2(4, 1.0);
  sep.settings.exponent_products = true;
  EXPECT_EQ(Emulate(Chain({2, 1}, sep, "fixed<16,6>", "ufixed<2,0>"), {0.75, 0.25}).y,
            (V{-0.015625, 0, 0, 0}));
  // A depthwise kernel {2} of quantized_po2(3) over x fixed<4,7> (LSB 8, [-64, 56]): r_t =
  // ap_fixed<14,7>, range [-64, 64): 56 << 1 = 112 wraps to -16 (above), -64 << 1 = -128 to 0
  // (below), counted at the depthwise stage's site.
  ir::Node wraps = SeparableNode(1, 1, 1, {2}, {1}, {}, "fixed<16,8>");
  wraps.weights[0].quantizer = Po2(3);
  wraps.settings.exponent_products = true;
  testing::RunResult r = Emulate(Chain({2, 1}, wraps, "fixed<16,8>", "fixed<4,7>"), {56, -64});
  EXPECT_EQ(r.y, (V{-16, 0}));
  EXPECT_EQ(Counts(r.overflows, "sep", "depthwise_exponent_product"), (CountPair{1, 1}));
  EXPECT_EQ(Counts(r.overflows, "sep", "exponent_product"), (CountPair{-1, -1}));
}

}  // namespace
}  // namespace fixnn::emulator
