// Convolution and pooling: small cases worked out by hand, and larger ones against a direct
// implementation in the test that pads the input explicitly first.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "reference/reference_test_util.h"

namespace fixnn::reference {
namespace {

using ir::Padding;
using testing::MakeNode;
using testing::Pseudo;
using testing::Ramp;
using testing::Run1;
using testing::W;

ir::ConvAttrs Conv(int64_t filters, std::vector<int64_t> k, std::vector<int64_t> s,
                   std::vector<int64_t> d, Padding p, bool bias = false) {
  ir::ConvAttrs a;
  a.filters = filters;
  a.kernel = std::move(k);
  a.strides = std::move(s);
  a.dilation = std::move(d);
  a.padding = p;
  a.use_bias = bias;
  return a;
}

TEST(ReferenceConv, Conv1DPaddingByHand) {
  const std::vector<double> x = {1, 2, 3, 4};
  auto run = [&](ir::ConvAttrs a, std::vector<double> k) {
    return Run1({4, 1}, MakeNode("c", a, {"x0"}, {W("kernel", {(int64_t)k.size(), 1, 1}, k)}), x);
  };
  // valid: 4 - 3 + 1 = 2 outputs.
  EXPECT_EQ(run(Conv(1, {3}, {}, {}, Padding::kValid), {1, 10, 100}),
            (std::vector<double>{321, 432}));
  // same, stride 1: one zero before, one after.
  EXPECT_EQ(run(Conv(1, {3}, {1}, {}, Padding::kSame), {1, 10, 100}),
            (std::vector<double>{210, 321, 432, 43}));
  // same, stride 2: total pad 1, all of it after.
  EXPECT_EQ(run(Conv(1, {3}, {2}, {}, Padding::kSame), {1, 10, 100}),
            (std::vector<double>{321, 43}));
  // causal: k - 1 zeros before.
  EXPECT_EQ(run(Conv(1, {3}, {}, {}, Padding::kCausal), {1, 10, 100}),
            (std::vector<double>{100, 210, 321, 432}));
  // causal, dilation 2: y[t] = x[t-2] + 10 x[t].
  EXPECT_EQ(run(Conv(1, {2}, {}, {2}, Padding::kCausal), {1, 10}),
            (std::vector<double>{10, 20, 31, 42}));
  // Keras 3 Conv1D(1, 2, dilation_rate=3, padding='same') on 1..6 gives 30 41 52 63 4 5: the
  // window spans 4, one pad before and two after.
  EXPECT_EQ(Run1({6, 1},
                 MakeNode("c", Conv(1, {2}, {}, {3}, Padding::kSame), {"x0"},
                          {W("kernel", {2, 1, 1}, {1, 10})}),
                 {1, 2, 3, 4, 5, 6}),
            (std::vector<double>{30, 41, 52, 63, 4, 5}));
  // causal, stride 2: outputs at t = 0, 2.
  EXPECT_EQ(run(Conv(1, {3}, {2}, {}, Padding::kCausal), {1, 10, 100}),
            (std::vector<double>{100, 321}));
}

TEST(ReferenceConv, Conv2DSameEvenKernelPadsAfter) {
  // 5x5 ramp, kernel [[1, 2], [3, 4]], stride 2, same: 3x3 outputs, the pad row/column after.
  std::vector<double> y =
      Run1({5, 5, 1},
           MakeNode("c", Conv(1, {2, 2}, {2, 2}, {}, Padding::kSame, true), {"x0"},
                    {W("kernel", {2, 2, 1, 1}, {1, 2, 3, 4}), W("bias", {1}, {0.5})}),
           Ramp(25));
  ASSERT_EQ(y.size(), 9u);
  EXPECT_EQ(y[0], 0 * 1 + 1 * 2 + 5 * 3 + 6 * 4 + 0.5);
  EXPECT_EQ(y[2], 4 * 1 + 9 * 3 + 0.5);
  EXPECT_EQ(y[6], 20 * 1 + 21 * 2 + 0.5);
  EXPECT_EQ(y[8], 24 + 0.5);
}

// Direct 2D convolution over an explicitly zero-padded copy of the input.
std::vector<double> DirectConv2D(const std::vector<double>& x, int h, int w, int cin,
                                 const std::vector<double>& kernel, int kh, int kw, int filters,
                                 int groups, int sh, int sw, int dh, int dw, bool same) {
  int oh, ow, pt = 0, pl = 0;
  if (same) {
    oh = (h + sh - 1) / sh;
    ow = (w + sw - 1) / sw;
    pt = std::max((oh - 1) * sh + (kh - 1) * dh + 1 - h, 0) / 2;
    pl = std::max((ow - 1) * sw + (kw - 1) * dw + 1 - w, 0) / 2;
  } else {
    oh = (h - (kh - 1) * dh - 1) / sh + 1;
    ow = (w - (kw - 1) * dw - 1) / sw + 1;
  }
  const int ph = h + 2 * kh * dh + sh, pw = w + 2 * kw * dw + sw;  // generous zero border
  std::vector<double> padded(ph * pw * cin, 0.0);
  for (int i = 0; i < h; ++i)
    for (int j = 0; j < w; ++j)
      for (int c = 0; c < cin; ++c)
        padded[((i + pt) * pw + j + pl) * cin + c] = x[(i * w + j) * cin + c];
  const int cpg = cin / groups, fpg = filters / groups;
  std::vector<double> y(oh * ow * filters, 0.0);
  for (int f = 0; f < filters; ++f) {
    const int g = f / fpg;
    for (int i = 0; i < oh; ++i)
      for (int j = 0; j < ow; ++j) {
        double acc = 0;
        for (int a = 0; a < kh; ++a)
          for (int b = 0; b < kw; ++b)
            for (int c = 0; c < cpg; ++c)
              acc += padded[((i * sh + a * dh) * pw + j * sw + b * dw) * cin + g * cpg + c] *
                     kernel[((a * kw + b) * cpg + c) * filters + f];
        y[(i * ow + j) * filters + f] = acc;
      }
  }
  return y;
}

void ExpectAllNear(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12) << "element " << i;
}

TEST(ReferenceConv, Conv2DAgainstDirectLoops) {
  struct Case {
    int h, w, cin, kh, kw, filters, groups, sh, sw, dh, dw;
    bool same;
  };
  const Case cases[] = {
      {6, 7, 3, 3, 3, 4, 1, 1, 1, 1, 1, false}, {6, 7, 3, 3, 2, 4, 1, 2, 3, 1, 1, true},
      {7, 7, 2, 3, 3, 2, 1, 1, 1, 2, 2, true},  {8, 6, 2, 2, 3, 3, 1, 2, 1, 2, 1, false},
      {5, 5, 4, 3, 3, 6, 2, 1, 1, 1, 1, true},  {6, 5, 6, 1, 2, 3, 3, 1, 2, 1, 1, false},
  };
  unsigned seed = 1;
  for (const Case& c : cases) {
    const int cpg = c.cin / c.groups;
    std::vector<double> x = Pseudo(c.h * c.w * c.cin, seed++);
    std::vector<double> k = Pseudo(c.kh * c.kw * cpg * c.filters, seed++);
    ir::ConvAttrs a = Conv(c.filters, {c.kh, c.kw}, {c.sh, c.sw}, {c.dh, c.dw},
                           c.same ? Padding::kSame : Padding::kValid);
    a.groups = c.groups;
    std::vector<double> y =
        Run1({c.h, c.w, c.cin},
             MakeNode("c", a, {"x0"}, {W("kernel", {c.kh, c.kw, cpg, c.filters}, k)}), x);
    SCOPED_TRACE(::testing::Message() << "case " << (&c - cases));
    ExpectAllNear(y, DirectConv2D(x, c.h, c.w, c.cin, k, c.kh, c.kw, c.filters, c.groups, c.sh,
                                  c.sw, c.dh, c.dw, c.same));
  }
}

TEST(ReferenceConv, DepthwiseAndSeparable) {
  // Input [3, 2]: channel 0 = 1, 2, 3; channel 1 = 10, 20, 30. Kernel 2, depth multiplier 2.
  const std::vector<double> x = {1, 10, 2, 20, 3, 30};
  // depthwise_kernel[k, c, m]
  const std::vector<double> dk = {1, 2, 3, 4,   // k = 0: (c0: m0, m1), (c1: m0, m1)
                                  5, 6, 7, 8};  // k = 1
  ir::DepthwiseConvAttrs d;
  d.depth_multiplier = 2;
  d.kernel = {2};
  d.use_bias = true;
  std::vector<double> y =
      Run1({3, 2},
           MakeNode("dw", d, {"x0"},
                    {W("depthwise_kernel", {2, 2, 2}, dk), W("bias", {4}, {0.5, 0, 0, -1})}),
           x);
  // Output channel c * 2 + m at t: x[t, c] dk[0, c, m] + x[t + 1, c] dk[1, c, m] + bias.
  EXPECT_EQ(y, (std::vector<double>{1 * 1 + 2 * 5 + 0.5, 1 * 2 + 2 * 6, 10 * 3 + 20 * 7,
                                    10 * 4 + 20 * 8 - 1, 2 * 1 + 3 * 5 + 0.5, 2 * 2 + 3 * 6,
                                    20 * 3 + 30 * 7, 20 * 4 + 30 * 8 - 1}));

  ir::SeparableConvAttrs s;
  s.filters = 1;
  s.depth_multiplier = 2;
  s.kernel = {2};
  s.use_bias = true;
  const std::vector<double> pk = {1, -1, 0.5, 2};  // pointwise_kernel[0, j, 0]
  std::vector<double> z =
      Run1({3, 2},
           MakeNode("sep", s, {"x0"},
                    {W("depthwise_kernel", {2, 2, 2}, dk), W("pointwise_kernel", {1, 4, 1}, pk),
                     W("bias", {1}, {0.25})}),
           x);
  ASSERT_EQ(z.size(), 2u);
  for (int t = 0; t < 2; ++t) {
    double want = 0.25;
    for (int j = 0; j < 4; ++j) {
      double dwv = y[t * 4 + j] - (j == 0 ? 0.5 : j == 3 ? -1 : 0);  // without the bias
      want += dwv * pk[j];
    }
    EXPECT_DOUBLE_EQ(z[t], want) << t;
  }
}

ir::PoolAttrs Pool(ir::PoolKind kind, std::vector<int64_t> pool, std::vector<int64_t> strides,
                   Padding p) {
  ir::PoolAttrs a;
  a.kind = kind;
  a.pool = std::move(pool);
  a.strides = std::move(strides);
  a.padding = p;
  return a;
}

TEST(ReferencePool, OneDimensionalByHand) {
  const std::vector<double> x = {1, -2, 3, 4, 5};
  using ir::PoolKind;
  EXPECT_EQ(Run1({5, 1}, MakeNode("p", Pool(PoolKind::kMax, {2}, {}, Padding::kValid), {"x0"}), x),
            (std::vector<double>{1, 4}));
  EXPECT_EQ(Run1({5, 1}, MakeNode("p", Pool(PoolKind::kMax, {2}, {}, Padding::kSame), {"x0"}), x),
            (std::vector<double>{1, 4, 5}));
  // Average with 'same' divides by the in-bounds count: the last window holds only 5.
  EXPECT_EQ(
      Run1({5, 1}, MakeNode("p", Pool(PoolKind::kAverage, {2}, {}, Padding::kSame), {"x0"}), x),
      (std::vector<double>{-0.5, 3.5, 5}));
  // pool 3, stride 1, same: one pad before, one after.
  EXPECT_EQ(
      Run1({5, 1}, MakeNode("p", Pool(PoolKind::kAverage, {3}, {1}, Padding::kSame), {"x0"}), x),
      (std::vector<double>{-0.5, 2.0 / 3, 5.0 / 3, 4, 4.5}));
  // All-negative window under max pooling with padding: padding never wins.
  EXPECT_EQ(
      Run1({2, 1}, MakeNode("p", Pool(PoolKind::kMax, {3}, {1}, Padding::kSame), {"x0"}), {-3, -4}),
      (std::vector<double>{-3, -3}));
}

TEST(ReferencePool, MatchesKerasSamePadding) {
  // Outputs of Keras 3 AveragePooling2D((2, 2), strides=1, padding='same') on the 3x3 ramp and
  // MaxPooling1D(3, strides=2, padding='same') on [1, -2, 3, 4, 5, -6].
  EXPECT_EQ(
      Run1({3, 3, 1},
           MakeNode("p", Pool(ir::PoolKind::kAverage, {2, 2}, {1, 1}, Padding::kSame), {"x0"}),
           Ramp(9)),
      (std::vector<double>{2, 3, 3.5, 5, 6, 6.5, 6.5, 7.5, 8}));
  EXPECT_EQ(Run1({6, 1}, MakeNode("p", Pool(ir::PoolKind::kMax, {3}, {2}, Padding::kSame), {"x0"}),
                 {1, -2, 3, 4, 5, -6}),
            (std::vector<double>{3, 5, 5}));
}

TEST(ReferencePool, TwoDimensionalSameAndChannels) {
  // 3x3x2: channel 0 the ramp 0..8, channel 1 its negative. Pool 2x2, stride 2, same: 2x2.
  std::vector<double> x(18);
  for (int i = 0; i < 9; ++i) {
    x[2 * i] = i;
    x[2 * i + 1] = -i;
  }
  std::vector<double> avg =
      Run1({3, 3, 2},
           MakeNode("p", Pool(ir::PoolKind::kAverage, {2, 2}, {}, Padding::kSame), {"x0"}), x);
  EXPECT_EQ(avg, (std::vector<double>{(0 + 1 + 3 + 4) / 4.0, -(0 + 1 + 3 + 4) / 4.0, (2 + 5) / 2.0,
                                      -(2 + 5) / 2.0, (6 + 7) / 2.0, -(6 + 7) / 2.0, 8, -8}));
  std::vector<double> mx =
      Run1({3, 3, 2},
           MakeNode("p", Pool(ir::PoolKind::kMax, {2, 2}, {1, 1}, Padding::kValid), {"x0"}), x);
  EXPECT_EQ(mx, (std::vector<double>{4, 0, 5, -1, 7, -3, 8, -4}));
}

TEST(ReferencePool, QKerasAverageQuantizerRescales) {
  ir::PoolAttrs a = Pool(ir::PoolKind::kAverage, {3}, {}, Padding::kValid);
  ir::Quantizer q;
  q.type = fixed::FixedType::Fixed(8, 1);  // truncation: q(1/3) = 42/128
  a.average_quantizer = q;
  std::vector<double> y = Run1({6, 1}, MakeNode("p", a, {"x0"}), {1, 2, 3, 4, 5, 6});
  EXPECT_DOUBLE_EQ(y[0], 6 * 42.0 / 128);
  EXPECT_DOUBLE_EQ(y[1], 15 * 42.0 / 128);

  ir::GlobalPoolAttrs g{ir::PoolKind::kAverage, 1, false, q};
  std::vector<double> z = Run1({3, 1}, MakeNode("g", g, {"x0"}), {1, 2, 4});
  EXPECT_DOUBLE_EQ(z[0], 7 * 42.0 / 128);
}

TEST(ReferencePool, GlobalPooling) {
  // [2, 2, 3]
  std::vector<double> x = {1, -1, 5, 2, -2, 6, 3, -3, 7, 4, -4, 9};
  ir::GlobalPoolAttrs avg{ir::PoolKind::kAverage, 2, true, std::nullopt};
  EXPECT_EQ(Run1({2, 2, 3}, MakeNode("g", avg, {"x0"}), x), (std::vector<double>{2.5, -2.5, 6.75}));
  ir::GlobalPoolAttrs mx{ir::PoolKind::kMax, 2, false, std::nullopt};
  EXPECT_EQ(Run1({2, 2, 3}, MakeNode("g", mx, {"x0"}), x), (std::vector<double>{4, -1, 9}));
}

}  // namespace
}  // namespace fixnn::reference
