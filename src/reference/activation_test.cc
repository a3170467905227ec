// Activations against values Keras 3 (TensorFlow backend, float64) computes at the same points.
#include <gtest/gtest.h>

#include <cmath>

#include "reference/kernels.h"
#include "reference/reference_test_util.h"

namespace fixnn::reference {
namespace {

using ir::ActivationAttrs;
using ir::ActivationFn;
using testing::MakeNode;
using testing::Run1;
using testing::W;

const std::vector<double> kX = {-3, -1, -0.25, 0, 0.5, 2, 7};

std::vector<double> Act(ActivationAttrs a) { return Run1({7}, MakeNode("act", a, {"x0"}), kX); }

void ExpectNear(const std::vector<double>& got, const std::vector<double>& want,
                double tol = 1e-14) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_NEAR(got[i], want[i], tol * std::max(1.0, std::abs(want[i]))) << "element " << i;
  }
}

TEST(ReferenceActivation, SmoothFunctionsMatchKeras) {
  ExpectNear(Act({ActivationFn::kSELU}),
             {-1.670568728767112, -1.1113307378125628, -0.388890197478119, 0.0, 0.5253504936777402,
              2.101401974710961, 7.354906911488364});
  ActivationAttrs elu{ActivationFn::kELU};
  elu.alpha = 0.5;
  ExpectNear(Act(elu),
             {-0.475106465816068, -0.31606027941427883, -0.11059960846429756, 0.0, 0.5, 2.0, 7.0});
  // TensorFlow's gelu casts its constants (sqrt(2), sqrt(2/pi), 0.044715) to the input type
  // first; the reference uses the exact constants, hence the looser tolerance.
  ExpectNear(Act({ActivationFn::kGELU}),
             {-0.004049694777521031, -0.15865525807260966, -0.10032341899286551, 0.0,
              0.3457312291306712, 1.9544997324075772, 6.999999999991041},
             1e-8);
  ActivationAttrs gelu_tanh{ActivationFn::kGELU};
  gelu_tanh.approximate = true;
  ExpectNear(Act(gelu_tanh),
             {-0.0036373923237909, -0.15880800972132364, -0.10032464930063056, 0.0,
              0.3457140097922433, 1.9545976932119538, 6.999999999999997},
             1e-8);
  ExpectNear(Act({ActivationFn::kSoftplus}),
             {0.048587351573742055, 0.3132616875182228, 0.5759394198788435, 0.6931471805599453,
              0.9740769841801067, 2.1269280110429727, 7.000911466453774});
  ExpectNear(Act({ActivationFn::kSoftsign}), {-0.75, -0.5, -0.2, 0.0, 1.0 / 3, 2.0 / 3, 0.875});
  ExpectNear(Act({ActivationFn::kSwish}),
             {-0.14227761953270035, -0.2689414213699951, -0.10945587477855047, 0.0,
              0.3112296656009273, 1.7615941559557649, 6.993622641639195});
  ExpectNear(Act({ActivationFn::kSigmoid}),
             {0.04742587317756679, 0.2689414213699951, 0.4378234991142019, 0.5, 0.6224593312018546,
              0.8807970779778824, 0.9990889488055994});
  ExpectNear(Act({ActivationFn::kTanh}),
             {-0.9950547536867305, -0.7615941559557649, -0.2449186624037091, 0.0,
              0.46211715726000974, 0.9640275800758169, 0.9999983369439447});
  ExpectNear(Act({ActivationFn::kExponential}),
             {0.049787068367863944, 0.3678794411714423, 0.7788007830714049, 1.0, 1.6487212707001282,
              7.38905609893065, 1096.6331584284585});
  ExpectNear(Act({ActivationFn::kLinear}), kX);
}

TEST(ReferenceActivation, SoftplusDoesNotOverflow) {
  std::vector<double> y =
      Run1({2}, MakeNode("sp", ActivationAttrs{ActivationFn::kSoftplus}, {"x0"}), {800.0, -800.0});
  EXPECT_EQ(y[0], 800.0);
  EXPECT_EQ(y[1], 0.0);
}

TEST(ReferenceActivation, PiecewiseFunctions) {
  ActivationAttrs hs{ActivationFn::kHardSigmoid};
  hs.alpha = 1.0 / 6.0;  // Keras 3: relu6(x + 3) / 6
  ExpectNear(Act(hs),
             {0.0, 1.0 / 3, 0.4583333333333333, 0.5, 0.5833333333333334, 0.8333333333333334, 1.0});
  hs.alpha = 0.2;  // Keras 2: clip(0.2 x + 0.5, 0, 1)
  ExpectNear(Act(hs), {0.0, 0.3, 0.45, 0.5, 0.6, 0.9, 1.0});
  ExpectNear(Act({ActivationFn::kHardTanh}), {-1, -1, -0.25, 0, 0.5, 1, 1});
  ActivationAttrs leaky{ActivationFn::kLeakyReLU};
  leaky.alpha = 0.3;
  ExpectNear(Act(leaky), {-0.9, -0.3, -0.075, 0, 0.5, 2, 7});
  ActivationAttrs thr{ActivationFn::kThresholdedReLU};
  thr.threshold = 0.5;
  ExpectNear(Act(thr), {0, 0, 0, 0, 0, 2, 7});  // 0.5 is not above theta
}

TEST(ReferenceActivation, ReluOptionsAsKerasCombinesThem) {
  ExpectNear(Act({ActivationFn::kReLU}), {0, 0, 0, 0, 0.5, 2, 7});
  ActivationAttrs r{ActivationFn::kReLU};
  r.max_value = 6.0;
  ExpectNear(Act(r), {0, 0, 0, 0, 0.5, 2, 6});
  // relu(x, negative_slope=0.1, max_value=5, threshold=1) from Keras.
  r.alpha = 0.1;
  r.max_value = 5.0;
  r.threshold = 1.0;
  ExpectNear(Act(r), {-0.4, -0.2, -0.125, -0.1, -0.05, 2.0, 5.0});
  // A negative threshold keeps negative values above it (Keras' x * (x > threshold)).
  ActivationAttrs n{ActivationFn::kReLU};
  n.threshold = -1.5;
  ExpectNear(Act(n), {0.0, -1.0, -0.25, 0.0, 0.5, 2.0, 7.0});
  ActivationAttrs s{ActivationFn::kReLU};
  s.alpha = 0.2;
  s.max_value = 6.0;
  ExpectNear(Act(s), {-0.6, -0.2, -0.05, 0.0, 0.5, 2.0, 6.0});
}

TEST(ReferenceActivation, SoftmaxAlongKerasAxis) {
  const std::vector<double> x = {1, 2, 3, 0.5, -1, 4};
  ActivationAttrs sm{ActivationFn::kSoftmax};
  ExpectNear(Run1({2, 3}, MakeNode("sm", sm, {"x0"}), x),
             {0.09003057317038046, 0.2447284710547976, 0.6652409557748219, 0.0291217615374784,
              0.00649794331566194, 0.9643802951468596});
  sm.axis = 1;  // the first axis after the batch
  ExpectNear(Run1({2, 3}, MakeNode("sm", sm, {"x0"}), x),
             {0.6224593312018546, 0.9525741268224334, 0.26894142136999516, 0.37754066879814546,
              0.04742587317756679, 0.7310585786300049});
  sm.axis = -2;
  ExpectNear(Run1({2, 3}, MakeNode("sm", sm, {"x0"}), x),
             {0.6224593312018546, 0.9525741268224334, 0.26894142136999516, 0.37754066879814546,
              0.04742587317756679, 0.7310585786300049});
}

TEST(ReferenceActivation, PReLUSharedAxes) {
  // Input [2, 3, 2]; alpha shared over axis 1 (shape [1, 3, 2]).
  std::vector<double> alpha = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
  std::vector<double> x(12);
  for (int i = 0; i < 12; ++i) x[i] = (i % 3 == 0 ? 1.0 : -1.0) * (i + 1);
  std::vector<double> y = Run1(
      {2, 3, 2}, MakeNode("prelu", ir::PReLUAttrs{{1}}, {"x0"}, {W("alpha", {1, 3, 2}, alpha)}), x);
  ASSERT_EQ(y.size(), 12u);
  for (int r = 0; r < 2; ++r) {
    for (int j = 0; j < 3; ++j) {
      for (int c = 0; c < 2; ++c) {
        int i = r * 6 + j * 2 + c;
        double want = x[i] >= 0 ? x[i] : alpha[j * 2 + c] * x[i];
        EXPECT_DOUBLE_EQ(y[i], want) << i;
      }
    }
  }
}

TEST(ReferenceActivation, QuantizeAppliesTheOutputQuantizer) {
  ir::Node node = MakeNode("q", ir::QuantizeAttrs{}, {"x0"});
  ir::Quantizer q;
  q.type = fixed::FixedType::Fixed(4, 2, fixed::Rounding::kRnd, fixed::Overflow::kSat);
  node.output_quantizer = q;  // step 0.25, range [-2, 1.75]
  std::vector<double> y = Run1({5}, node, {0.3, -0.13, 1.9, -5.0, 0.625});
  EXPECT_EQ(y, (std::vector<double>{0.25, -0.25, 1.75, -2.0, 0.75}));
}

}  // namespace
}  // namespace fixnn::reference
