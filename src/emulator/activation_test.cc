// Elementwise nodes worked out by hand: ReLU family, leaky ReLU with its 8-bit parameter,
// PReLU, the table activations (sigmoid, tanh, softplus, softsign, ELU, SELU) through hls4ml's
// float tables and truncating index, hard sigmoid / tanh, QKeras activation quantizers as the
// hls4ml layers they become, and the refusals of what hls4ml cannot convert or compile.
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
  // quantized_bits with alpha: hls4ml's linear activation drops the scale.
  q.output_quantizer->kind = ir::QuantizerKind::kFixed;
  q.output_quantizer->scale = {0.25};
  r = Emulate(One("fixed<10,5>", 2, q, "ap_fixed<4,2,AP_RND_CONV,AP_SAT>"), {0.375, -3.0});
  EXPECT_EQ(r.y, (V{0.5, -2.0}));
}

TEST(EmulatorActivation, EluScalesTheTableByTheStoredAlpha) {
  // ELU(0.7): alpha in ufixed<8,0> is 179/256 = 0.69921875. Table 1024 entries of
  // float(expf(-8k/N) - 1.0) in fixed<18,8> (TRN, LSB 2^-10); index int(x * 1024 / -8).
  //   x = -1: index 128, expf(-1) - 1 = -0.63212061 -> -648/1024; times alpha = -0.44247437
  //     -> fixed<16,6> TRN: floor(-453.09) = -454 -> -454/1024.
  //   x = -20: index 2560 clamps to 1023 (z = -7.9921875): -0.99966192 -> -1024/1024 = -1;
  //     times alpha -0.69921875 exactly.
  //   x = -0.005 -> -5/1024: x * 128 = -0.625 truncates to index 0: expf(0) - 1 = 0.
  //   x >= 0 passes: 2.5.
  ir::ActivationAttrs elu{Fn::kELU};
  elu.alpha = 0.7;
  const ir::Graph g =
      One("fixed<16,6>", 4,
          ActivationNode("a", elu, {{"table", "fixed<18,8>"}, {"param", "ufixed<8,0>"}}),
          "fixed<16,6>");
  EXPECT_EQ(Emulate(g, {-1.0, -20.0, -0.005, 2.5}).y, (V{-454.0 / 1024, -0.69921875, 0.0, 2.5}));
  // Activation('elu'): alpha 1 in ufixed<1,1>: the table entry itself, into ufixed<8,2> (all
  // negatives wrap: -648/1024 -> floor to -41/64, then mod 4 = 3.359375).
  ir::ActivationAttrs plain{Fn::kELU};
  plain.alpha = 1.0;
  testing::RunResult r =
      Emulate(One("fixed<16,6>", 2,
                  ActivationNode("a", plain, {{"table", "fixed<18,8>"}, {"param", "ufixed<1,1>"}}),
                  "ufixed<8,2>"),
              {-1.0, 1.0});
  EXPECT_EQ(r.y, (V{4.0 - 41.0 / 64, 1.0}));
  EXPECT_EQ(Counts(r.overflows, "a", "result"), (CountPair{0, 1}));
}

TEST(EmulatorActivation, SeluUsesTheSixteenBitLambda) {
  // Positive: lambda in ap_ufixed<16,1> = 34429/32768; x = 1 -> 1.05068970 -> TRN at 2^-10:
  // 1075/1024. Negative: x = -1 -> index 128: 1.0507 * 1.6733 * (expf(-1) - 1) = -1.11133075
  // -> fixed<18,8>: floor(-1138.003) = -1139/1024, which fixed<16,6> keeps.
  const ir::Graph g =
      One("fixed<16,6>", 2, ActivationNode("a", {Fn::kSELU}, {{"table", "fixed<18,8>"}}),
          "fixed<16,6>");
  EXPECT_EQ(Emulate(g, {1.0, -1.0}).y, (V{1075.0 / 1024, -1139.0 / 1024}));
}

TEST(EmulatorActivation, SoftplusAndSoftsignTables) {
  // Range 16 like sigmoid: x = 1 -> index 576 (z = 1), x = -1 -> 448, x = -9 -> 0 (z = -8).
  // softplus: log(e + 1) = 1.31326175 -> 1344/1024; log(1/e + 1) = 0.31326166 -> 320/1024;
  // z = -8: 0.00033541 -> 0.
  const ir::Graph sp =
      One("fixed<16,6>", 3, ActivationNode("a", {Fn::kSoftplus}, {{"table", "fixed<18,8>"}}),
          "fixed<16,6>");
  EXPECT_EQ(Emulate(sp, {1.0, -1.0, -9.0}).y, (V{1344.0 / 1024, 320.0 / 1024, 0.0}));
  // softsign: 0.5, -0.5, -8/9 = -0.88888890 -> floor(-910.22) = -911/1024. Into
  // fixed<6,1,RND,SAT> (LSB 1/32): 16/32, -16/32, -911/1024 = -28.47/32 -> -28/32.
  const ir::Graph ss =
      One("fixed<16,6>", 3, ActivationNode("a", {Fn::kSoftsign}, {{"table", "fixed<18,8>"}}),
          "fixed<6,1,RND,SAT>");
  EXPECT_EQ(Emulate(ss, {1.0, -1.0, -9.0}).y, (V{0.5, -0.5, -28.0 / 32}));
}

TEST(EmulatorActivation, HardSigmoidUsesSlopePointTwoWhateverTheFramework) {
  // Keras 3's hard_sigmoid (alpha 1/6) runs with hls4ml's slope 13107/65536 and shift 0.5:
  //   x = 1: 0.69999695 -> fixed<16,6> TRN: 716/1024; x = 3: 1.09999 clips to 1;
  //   x = -3: -0.09999 clips to 0; x = -1: 0.30000305 -> floor(307.2) = 307/1024.
  ir::ActivationAttrs hs{Fn::kHardSigmoid};
  hs.alpha = 1.0 / 6.0;
  const ir::Graph g =
      One("fixed<16,6>", 4,
          ActivationNode("a", hs, {{"slope", "ufixed<16,0>"}, {"shift", "ufixed<2,0>"}}),
          "fixed<16,6>");
  EXPECT_EQ(Emulate(g, {1.0, 3.0, -3.0, -1.0}).y, (V{716.0 / 1024, 1.0, 0.0, 307.0 / 1024}));
  // The clipped 1 saturates a ufixed<4,0,RND,SAT> result at 15/16; 0.69999695 rounds to 11/16.
  testing::RunResult r =
      Emulate(One("fixed<16,6>", 2, ActivationNode("a", hs), "ufixed<4,0,RND,SAT>"), {3.0, 1.0});
  EXPECT_EQ(r.y, (V{15.0 / 16, 11.0 / 16}));
  EXPECT_EQ(Counts(r.overflows, "a", "result"), (CountPair{1, 0}));
  // QKeras' smooth_sigmoid (alpha 0.1875) has no hls4ml function.
  hs.alpha = 0.1875;
  EXPECT_EQ(testing::CreateError(One("fixed<16,6>", 2, ActivationNode("s", hs), "fixed<16,6>")),
            "layer 's' (Activation): QKeras' smooth_sigmoid: hls4ml 1.3.0 has no "
            "nnet::smooth_sigmoid (the generated C++ does not compile)");
}

TEST(EmulatorActivation, PReLUHasOneStoredAlphaPerElement) {
  // alpha in fixed<16,6> through its text: 0.25, -0.5, and 0.3 ("0.3000000000") -> TRN
  // 307/1024. x = -2 each: -0.5, 1.0, -614/1024; x > 0 passes.
  ir::Node p;
  p.name = "p";
  p.source = "PReLU";
  p.attrs = ir::PReLUAttrs{};
  p.weights.push_back(testing::TypedWeight("alpha", {3}, {0.25, -0.5, 0.3}, "fixed<16,6>"));
  EXPECT_EQ(Emulate(One("fixed<16,6>", 3, p, "fixed<16,6>"), {-2.0, -2.0, -2.0, 1.5, 0.0, -1.0}).y,
            (V{-0.5, 1.0, -614.0 / 1024, 1.5, 0.0, -307.0 / 1024}));
  // shared_axes: the alpha array is shorter than the input; hls4ml reads past it.
  ir::Node shared = p;
  shared.attrs = ir::PReLUAttrs{{1}};
  shared.weights[0] = testing::TypedWeight("alpha", {1, 3}, {0.25, -0.5, 0.3}, "fixed<16,6>");
  const ir::Graph g = ChainBuilder({2, 3}, "fixed<16,6>").Add(shared, "fixed<16,6>").Finish();
  EXPECT_EQ(testing::CreateError(g),
            "layer 'p' (PReLU): PReLU with shared_axes (alpha of shape [1, 3] for 6 elements): "
            "hls4ml indexes alpha per element and reads past its end (its Keras 2 converter "
            "refuses shared_axes)");
}

TEST(EmulatorActivation, ReLULayerParametersAsTheKeras3Converter) {
  // negative_slope 0.1 -> LeakyReLU with param_t ufixed<8,-3> (0.1 has no short binary form):
  // 204/2048 = 0.099609375; x = -2 -> -0.19921875 exactly in fixed<16,6>.
  ir::Node relu = ActivationNode("r", {Fn::kReLU});
  relu.source = "ReLU";
  relu.as<ir::ActivationAttrs>().alpha = 0.1;
  EXPECT_EQ(Emulate(One("fixed<16,6>", 2, relu, "fixed<16,6>"), {-2.0, 3.0}).y,
            (V{-0.19921875, 3.0}));
  // max_value: the Keras 3 converter asserts, the Keras 2 one drops the cap.
  relu.as<ir::ActivationAttrs>().alpha = 0.0;
  relu.as<ir::ActivationAttrs>().max_value = 6.0;
  EXPECT_EQ(testing::CreateError(One("fixed<16,6>", 2, relu, "fixed<16,6>")),
            "layer 'r' (Activation): a ReLU layer with max_value: hls4ml 1.3.0 does not convert "
            "it (its Keras 3 converter asserts max_value is None; its Keras 2 converter drops "
            "the cap)");
  relu.as<ir::ActivationAttrs>().max_value = -1.0;
  relu.as<ir::ActivationAttrs>().alpha = 0.1;
  relu.as<ir::ActivationAttrs>().threshold = 0.5;
  EXPECT_EQ(testing::CreateError(One("fixed<16,6>", 2, relu, "fixed<16,6>")),
            "layer 'r' (Activation): a ReLU layer with both a threshold and a negative slope: "
            "hls4ml 1.3.0 does not convert it");
}

ir::Node QuantizeNode(ir::QuantizerKind kind, const std::string& type,
                      const std::string& spelling) {
  ir::Node q;
  q.name = "q";
  q.source = "QActivation";
  q.attrs = ir::QuantizeAttrs{};
  q.output_quantizer = ir::Quantizer{};
  q.output_quantizer->kind = kind;
  q.output_quantizer->type = testing::T(type);
  q.output_quantizer->spelling = spelling;
  return q;
}

TEST(EmulatorActivation, QuantizedTanhAndSigmoidAreHardActivations) {
  // quantized_tanh(6): hard_tanh with slope and shift 0.5 in ap_ufixed<2,0>:
  // 2 * clip(0.5x + 0.5, 0, 1) - 1 = clip(x, -1, 1), into ap_fixed<6,1,RND_CONV,SAT>
  // (LSB 1/32): 0.25, 0.40625 (exact), 0.421875 ties to even -> 0.4375, 2 -> 1 saturates to
  // 31/32, -2 -> -1 fits.
  ir::Node q = QuantizeNode(ir::QuantizerKind::kTanh, "ap_fixed<6,1,AP_RND_CONV,AP_SAT>",
                            "quantized_tanh(6)");
  q.output_quantizer->sigmoid_hard = true;
  testing::RunResult r = Emulate(One("fixed<16,6>", 5, q, "ap_fixed<6,1,AP_RND_CONV,AP_SAT>"),
                                 {0.25, 0.40625, 0.421875, 2.0, -2.0});
  EXPECT_EQ(r.y, (V{0.25, 0.40625, 0.4375, 31.0 / 32, -1.0}));
  EXPECT_EQ(Counts(r.overflows, "q", "result"), (CountPair{1, 0}));
  // Symmetric: AP_SAT_SYM makes -1 the symmetric minimum -31/32.
  r = Emulate(One("fixed<16,6>", 1, q, "ap_fixed<6,1,AP_RND_CONV,AP_SAT_SYM>"), {-2.0});
  EXPECT_EQ(r.y, (V{-31.0 / 32}));
  EXPECT_EQ(Counts(r.overflows, "q", "result"), (CountPair{0, 1}));
  // quantized_sigmoid(4): clip(0.5x + 0.5, 0, 1) into ap_ufixed<4,0,RND_CONV,SAT>: x = 0.25
  // -> 0.625 = 10/16; x = 0.3125 -> 0.65625 ties to even 10/16; x = 5 -> 1 -> 15/16.
  q = QuantizeNode(ir::QuantizerKind::kSigmoid, "ap_ufixed<4,0,AP_RND_CONV,AP_SAT>",
                   "quantized_sigmoid(4)");
  q.output_quantizer->sigmoid_hard = true;
  EXPECT_EQ(
      Emulate(One("fixed<16,6>", 3, q, "ap_ufixed<4,0,AP_RND_CONV,AP_SAT>"), {0.25, 0.3125, 5.0}).y,
      (V{10.0 / 16, 10.0 / 16, 15.0 / 16}));
  // use_real_sigmoid: the sigmoid table (x = 1 -> 748/1024 in fixed<18,8>, then to 12/16).
  q.output_quantizer->sigmoid_hard = false;
  q.types["table"] = testing::T("fixed<18,8>");
  EXPECT_EQ(Emulate(One("fixed<16,6>", 1, q, "ap_ufixed<4,0,AP_RND_CONV,AP_SAT>"), {1.0}).y,
            (V{12.0 / 16}));
}

TEST(EmulatorActivation, BinaryAndTernaryTanh) {
  // binary: x >= 0 -> 1, else -1, into ap_int<2>; use_01 is ignored as hls4ml does.
  ir::Node q = QuantizeNode(ir::QuantizerKind::kBinary, "ap_int<2>", "binary()");
  EXPECT_EQ(Emulate(One("fixed<16,6>", 3, q, "ap_int<2>"), {0.0, -0.001, 3.0}).y,
            (V{1.0, -1.0, 1.0}));
  // An ap_uint<1> result: -1 becomes 0 (binary_cast).
  EXPECT_EQ(Emulate(One("fixed<16,6>", 2, q, "ap_uint<1>"), {0.5, -0.5}).y, (V{1.0, 0.0}));
  // ternary(threshold=0.33): thresholds floor(0.33 * 32) / 32 = 0.3125 and
  // floor(-0.33 * 32) / 32 = -0.34375 in the input type fixed<8,3>; x > 0.3125 -> 1,
  // x <= -0.34375 -> -1, else 0.
  q = QuantizeNode(ir::QuantizerKind::kTernary, "ap_int<2>", "ternary()");
  q.output_quantizer->threshold = static_cast<float>(0.33);
  EXPECT_EQ(
      Emulate(One("fixed<8,3>", 5, q, "ap_int<2>"), {0.3125, 0.34375, -0.34375, -0.3125, 3.0}).y,
      (V{0.0, 1.0, -1.0, 0.0, 1.0}));
  // hls4ml's output is ap_int<2> whatever the result type: one that does not hold -1 is
  // refused.
  EXPECT_EQ(testing::CreateError(One("fixed<8,3>", 1, q, "ufixed<4,0>")),
            "layer 'q' (Quantize): ternary into ap_ufixed<4,0>: hls4ml's output is ap_int<2> "
            "whatever the configured result type, and ap_ufixed<4,0> does not hold -1, 0 and 1");
  // After a Dense, hls4ml folds the scaling layer it inserts into the Dense.
  const ir::Graph after_dense =
      ChainBuilder({1}, "fixed<8,3>")
          .Add(testing::DenseNode("d", 1, 1, {1.0}, {}, "fixed<8,3>", "fixed<8,3>", "fixed<16,6>"),
               "fixed<16,6>")
          .Add(q, "ap_int<2>")
          .Finish();
  EXPECT_EQ(testing::CreateError(after_dense),
            "layer 'q' (Quantize): the emulator does not handle ternary after a Dense, "
            "convolution or batch normalization (hls4ml folds its scaling layer into that layer "
            "or merges them) yet");
  // Threshold 0.5: hls4ml's TernaryTanh layer emits no code.
  q.output_quantizer->threshold = 0.5;
  EXPECT_EQ(testing::CreateError(One("fixed<8,3>", 1, q, "ap_int<2>")),
            "layer 'q' (Quantize): ternary with threshold 0.5: hls4ml 1.3.0 emits no code for its "
            "TernaryTanh layer, so the layer's output is never written");
}

TEST(EmulatorActivation, QuantizedReLUWithSlopeIsLeaky) {
  // quantized_relu(8, 3, negative_slope=0.25): LeakyReLU with alpha in ufixed<1,-1>,
  // result ap_fixed<8,4,RND_CONV,SAT> (LSB 1/16): -1 -> -0.25; -0.375 -> -0.09375 ties to
  // even -0.125; 9 saturates to 7.9375.
  ir::Node q = QuantizeNode(ir::QuantizerKind::kReLU, "ap_fixed<8,4,AP_RND_CONV,AP_SAT>",
                            "quantized_relu(8,3,negative_slope=0.25)");
  q.output_quantizer->relu_negative_slope = 0.25;
  testing::RunResult r =
      Emulate(One("fixed<16,6>", 3, q, "ap_fixed<8,4,AP_RND_CONV,AP_SAT>"), {-1.0, -0.375, 9.0});
  EXPECT_EQ(r.y, (V{-0.25, -0.125, 7.9375}));
  EXPECT_EQ(Counts(r.overflows, "q", "result"), (CountPair{1, 0}));
}

TEST(EmulatorActivation, RefusesWhatHls4mlCannotCompile) {
  for (Fn fn : {Fn::kSwish, Fn::kGELU, Fn::kHardSilu, Fn::kMish, Fn::kExponential}) {
    const std::string name(ir::ToString(fn));
    EXPECT_EQ(testing::CreateError(One("fixed<16,6>", 2, ActivationNode("e", {fn}), "fixed<16,6>")),
              "layer 'e' (Activation): the " + name +
                  " activation: hls4ml 1.3.0 has no such nnet:: function (the generated C++ "
                  "does not compile)");
  }
  EXPECT_EQ(testing::CreateError(
                One("fixed<16,6>", 2, ActivationNode("h", {Fn::kHardTanh}), "fixed<16,6>")),
            "layer 'h' (Activation): the hard_tanh activation: hls4ml 1.3.0 emits nnet::hard_tanh "
            "without its slope and shift constants (the generated C++ does not compile)");
  ir::Node qrelu = ActivationNode("q", {Fn::kReLU});
  qrelu.source = "QActivation";
  EXPECT_EQ(testing::CreateError(One("fixed<16,6>", 2, qrelu, "fixed<16,6>")),
            "layer 'q' (Activation): QActivation('relu'): hls4ml 1.3.0 converts only QKeras "
            "quantizers in a QActivation ('Unsupported QKeras activation')");
  ir::Node po2 = QuantizeNode(ir::QuantizerKind::kPo2, "ap_fixed<5,3>", "quantized_po2(4)");
  EXPECT_EQ(testing::CreateError(One("fixed<16,6>", 2, po2, "fixed<16,6>")),
            "layer 'q' (Quantize): the quantizer 'quantized_po2(4)': hls4ml 1.3.0 does not "
            "convert quantized_po2 / quantized_relu_po2 activations ('Unsupported QKeras "
            "activation')");
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
