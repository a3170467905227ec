// Elementwise nodes worked out by hand: ReLU family, leaky ReLU with its 8-bit parameter,
// sigmoid and tanh through hls4ml's tables and truncating index, QKeras activation quantizers.
#include <gtest/gtest.h>

#include <cmath>

#include "emulator/emulator_test_util.h"
#include "emulator/hls4ml_tables.h"

namespace fixnn::emulator {
namespace {

using testing::ActivationNode;
using testing::ChainBuilder;
using testing::Counts;
using testing::Emulate;

using V = std::vector<double>;
using CountPair = std::pair<int64_t, int64_t>;
using Fn = ir::ActivationFn;

ir::Graph One(const std::string& in_type, int64_t n, ir::Node node, const std::string& out_type) {
  return ChainBuilder({n}, in_type).Add(std::move(node), out_type).Finish();
}

TEST(EmulatorActivation, LinearCastsToTheResultType) {
  // fixed<8,4> -> fixed<5,2,RND,SAT> (LSB 1/8): 0.3125 ties up, 2.5 saturates to 1.875.
  testing::RunResult r =
      Emulate(One("fixed<8,4>", 3, ActivationNode("a", {Fn::kLinear}), "fixed<5,2,RND,SAT>"),
              {0.3125, 2.5, -0.0625});
  EXPECT_EQ(r.y, (V{0.375, 1.875, 0.0}));
  EXPECT_EQ(Counts(r.overflows, "a", "result"), (CountPair{1, 0}));
}

TEST(EmulatorActivation, ReLUZeroesAndWrapsTheResult) {
  // ufixed<6,2> (range [0, 3.9375]) wraps 7.9375 to 3.9375.
  testing::RunResult r =
      Emulate(One("fixed<8,4>", 4, ActivationNode("a", {Fn::kReLU}), "ufixed<6,2>"),
              {-1.5, 0.0, 0.0625, 7.9375});
  EXPECT_EQ(r.y, (V{0.0, 0.0, 0.0625, 3.9375}));
  EXPECT_EQ(Counts(r.overflows, "a", "result"), (CountPair{1, 0}));
}

TEST(EmulatorActivation, ReLU6ClipsAtSix) {
  ir::ActivationAttrs relu6{Fn::kReLU};
  relu6.max_value = 6.0;
  EXPECT_EQ(Emulate(One("fixed<10,5>", 5, ActivationNode("a", relu6), "fixed<16,6>"),
                    {-0.5, 5.96875, 6.0, 6.03125, 15.96875})
                .y,
            (V{0.0, 5.96875, 6.0, 6.0, 6.0}));
  // The cap is cast into the result type like any value: 6 wraps in fixed<6,3> to -2.
  testing::RunResult r =
      Emulate(One("fixed<10,5>", 2, ActivationNode("a", relu6), "fixed<6,3>"), {7.0, 3.5});
  EXPECT_EQ(r.y, (V{-2.0, 3.5}));
  EXPECT_EQ(Counts(r.overflows, "a", "result"), (CountPair{1, 0}));
}

TEST(EmulatorActivation, ThresholdIsStrict) {
  ir::ActivationAttrs t{Fn::kReLU};
  t.threshold = 0.5;
  EXPECT_EQ(
      Emulate(One("fixed<10,5>", 3, ActivationNode("a", t), "fixed<10,5>"), {0.5, 0.53125, -3}).y,
      (V{0.0, 0.53125, 0.0}));
  // ThresholdedReLU's theta in its param type: 0.7 in ufixed<8,0> is 179/256 = 0.69921875.
  ir::ActivationAttrs tr{Fn::kThresholdedReLU};
  tr.threshold = 0.7;
  EXPECT_EQ(Emulate(One("fixed<12,2>", 2, ActivationNode("a", tr, {{"param", "ufixed<8,0>"}}),
                        "fixed<12,2>"),
                    {0.69921875, 0.7001953125})
                .y,
            (V{0.0, 0.7001953125}));
}

TEST(EmulatorActivation, LeakyReLUMultipliesByTheStoredSlope) {
  // 0.3 in ufixed<8,-1> (LSB 2^-9) is 153/512 = 0.298828125. x = -1: -0.298828125 into
  // fixed<8,2> (LSB 1/64, TRN) = floor(-19.125) / 64 = -0.3125. x = -3: -0.896484375 ->
  // floor(-57.375) / 64 = -0.90625.
  ir::ActivationAttrs leaky{Fn::kLeakyReLU};
  leaky.alpha = 0.3;
  testing::RunResult r = Emulate(
      One("fixed<16,6>", 3, ActivationNode("a", leaky, {{"param", "ufixed<8,-1>"}}), "fixed<8,2>"),
      {-1.0, -3.0, 1.5});
  EXPECT_EQ(r.y, (V{-0.3125, -0.90625, 1.5}));
}

TEST(EmulatorActivation, SigmoidIndexTruncatesTowardTheCentre) {
  // Table 1024 entries over [-8, 8), fixed<18,8> (TRN, LSB 2^-10). x in fixed<16,6>.
  //   x = 0: index 512, sigmoid(0) = 0.5.
  //   x = -0.01 -> -11/1024: x * 64 = -0.6875 truncates to 0: index 512 again (a floor would
  //     give 511).
  //   x = 1: index 576, z = 1: sigmoid(1) = 0.7310586 -> 748/1024.
  //   x = 20: index 1792 clamps to 1023 (z = 7.984375): 0.99965949 -> 1023/1024.
  //   x = -20: clamps to 0 (z = -8): 0.00033535 -> 0.
  const ir::Graph g =
      One("fixed<16,6>", 5, ActivationNode("a", {Fn::kSigmoid}, {{"table", "fixed<18,8>"}}),
          "fixed<16,6>");
  EXPECT_EQ(Emulate(g, {0.0, -0.01, 1.0, 20.0, -20.0}).y,
            (V{0.5, 0.5, 748.0 / 1024, 1023.0 / 1024, 0.0}));
}

TEST(EmulatorActivation, TanhTableIsTheFloatOneAndFloorsNegatives) {
  // Table over [-4, 4): x = 0.5 -> index 576, tanhf(0.5) = 0.46211716 -> 473/1024 (TRN);
  // x = -0.5 -> index 448, -0.46211716 -> -474/1024 (TRN floors).
  const ir::Graph g =
      One("fixed<16,6>", 2, ActivationNode("a", {Fn::kTanh}, {{"table", "fixed<18,8>"}}),
          "fixed<16,6>");
  EXPECT_EQ(Emulate(g, {0.5, -0.5}).y, (V{473.0 / 1024, -474.0 / 1024}));
  // A non-power-of-two table: 1000 entries, index = int(x * 125) + 500.
  ir::Node n = ActivationNode("a", {Fn::kTanh}, {{"table", "fixed<18,8>"}});
  n.settings.table_size = 1000;
  const std::vector<float> entries = TanhTableFloats(1000);
  const double expected = std::floor(static_cast<double>(entries[562]) * 1024) / 1024;
  EXPECT_EQ(Emulate(One("fixed<16,6>", 1, n, "fixed<16,6>"), {0.5}).y, (V{expected}));
}

TEST(EmulatorActivation, QuantizersAreLinearOrReLUIntoTheResultType) {
  // quantized_bits(4, 1) with its type as the result (what config_from_keras_model writes):
  // ap_fixed<4,2,RND_CONV,SAT> (LSB 1/4): 0.375 and 0.625 are ties to even (0.5 both), 5
  // saturates to 1.75, -3 to -2.
  ir::Node q;
  q.name = "q";
  q.attrs = ir::QuantizeAttrs{};
  q.output_quantizer = ir::Quantizer{};
  q.output_quantizer->type = testing::T("ap_fixed<4,2,AP_RND_CONV,AP_SAT>");
  q.output_quantizer->spelling = "quantized_bits(4,1)";
  testing::RunResult r = Emulate(One("fixed<10,5>", 4, q, "ap_fixed<4,2,AP_RND_CONV,AP_SAT>"),
                                 {0.375, 0.625, 5.0, -3.0});
  EXPECT_EQ(r.y, (V{0.5, 0.5, 1.75, -2.0}));
  EXPECT_EQ(Counts(r.overflows, "q", "result"), (CountPair{1, 1}));
  // quantized_relu(4, 2) into ap_ufixed<4,2,RND_CONV,SAT>: a relu first (negatives are 0
  // without counting), 1.125 ties to 1.0, 5 saturates to 3.75.
  q.output_quantizer->kind = ir::QuantizerKind::kReLU;
  q.output_quantizer->type = testing::T("ap_ufixed<4,2,AP_RND_CONV,AP_SAT>");
  r = Emulate(One("fixed<10,5>", 3, q, "ap_ufixed<4,2,AP_RND_CONV,AP_SAT>"), {-1.0, 1.125, 5.0});
  EXPECT_EQ(r.y, (V{0.0, 1.0, 3.75}));
  EXPECT_EQ(Counts(r.overflows, "q", "result"), (CountPair{1, 0}));
  // A configured result type other than the quantizer's replaces it, as in hls4ml (whose
  // layer is a relu into result_t): 1.125 and 5 pass unchanged into fixed<16,6>.
  r = Emulate(One("fixed<10,5>", 3, q, "fixed<16,6>"), {-1.0, 1.125, 5.0});
  EXPECT_EQ(r.y, (V{0.0, 1.125, 5.0}));
  // A quantizer with a scale is refused.
  q.output_quantizer->kind = ir::QuantizerKind::kFixed;
  q.output_quantizer->scale = {0.25};
  EXPECT_EQ(testing::CreateError(One("fixed<10,5>", 3, q, "fixed<16,6>")),
            "layer 'q' (Quantize): the emulator does not handle the quantizer "
            "'quantized_bits(4,1)' yet");
}

TEST(EmulatorActivation, RefusesOtherActivations) {
  EXPECT_EQ(
      testing::CreateError(One("fixed<16,6>", 2, ActivationNode("e", {Fn::kELU}), "fixed<16,6>")),
      "layer 'e' (Activation): the emulator does not handle the elu activation yet");
  ir::ActivationAttrs slope{Fn::kReLU};
  slope.alpha = 0.1;
  EXPECT_EQ(testing::CreateError(One("fixed<16,6>", 2, ActivationNode("r", slope), "fixed<16,6>")),
            "layer 'r' (Activation): the emulator does not handle ReLU with a negative slope yet");
  EXPECT_EQ(testing::CreateError(
                One("fixed<16,6>", 2, ActivationNode("s", {Fn::kSigmoid}), "fixed<16,6>")),
            "layer 's' (Activation): no 'table' type; run passes::Configure first");
}

}  // namespace
}  // namespace fixnn::emulator
