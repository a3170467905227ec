#include "passes/configure.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "passes/passes_test_util.h"

namespace fixnn::passes {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace fixnn::passes::testing;  // NOLINT(build/namespaces)

ir::Graph DenseRelu(double slope) {
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("x", {2}).ok());
  AddNode(g, "fc", ir::DenseAttrs{2, true}, {"x"},
          {MakeWeight("kernel", {2, 2}, {0.5, -0.25, 1.0, 0.75}),
           MakeWeight("bias", {2}, {0.125, -2.0})},
          "Dense");
  ir::ActivationAttrs relu{ir::ActivationFn::kReLU};
  relu.alpha = slope;
  AddNode(g, "act", relu, {"fc"}, {}, "ReLU");
  Finish(g, "act");
  return g;
}

// x [2, 2] -> flatten -> fc; the flatten configured with a type other than its input's.
ir::Graph FlattenDense() {
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("x", {2, 2}).ok());
  AddNode(g, "flatten", ir::FlattenAttrs{}, {"x"}, {}, "Flatten");
  AddNode(g, "fc", ir::DenseAttrs{1, true}, {"flatten"},
          {MakeWeight("kernel", {4, 1}, {0.5, -0.25, 1.0, 0.75}), MakeWeight("bias", {1}, {0.5})},
          "Dense");
  Finish(g, "fc");
  return g;
}

constexpr const char* kFlattenConfig = R"(
Model:
  Precision: fixed<16,6>
LayerName:
  x:
    Precision:
      result: fixed<8,3>
  flatten:
    Precision:
      result: fixed<6,2,RND,SAT>
)";

TEST(ConfigureTest, FlattenKeepsItsInputTypeOnlyAsHls4mlDoes) {
  ir::Graph own = FlattenDense();
  ASSERT_TRUE(Configure(own, ParseConfig(kFlattenConfig)).ok());
  EXPECT_EQ(TensorType(own, "flatten"), "ap_fixed<6,2,AP_RND,AP_SAT>");
  // hls4ml's io_parallel flatten is a reference to its input array.
  ir::Graph hls4ml = FlattenDense();
  ASSERT_TRUE(Configure(hls4ml, ParseConfig(kFlattenConfig), ConfigureOptions::Hls4ml()).ok());
  EXPECT_EQ(TensorType(hls4ml, "flatten"), "ap_fixed<8,3>");
}

TEST(ConfigureTest, KeepNegativeFalseWeightsTakeHls4mlsSignedTypeOnlyAsHls4mlDoes) {
  auto graph = [] {
    ir::Graph g = DenseRelu(0);
    ir::Weight& k = g.FindNode("fc")->weights[0];
    ir::Quantizer q;
    q.kind = ir::QuantizerKind::kFixed;
    q.type = fixed::FixedType::UFixed(7, 1);
    q.qkeras = true;
    q.keep_negative = false;
    k.values = {0.5, 0.015625, 1.984375, 0.75};
    k.quantizer = q;
    return g;
  };
  const char* config = "Model:\n  Precision: fixed<16,6>\n";
  ir::Graph own = graph();
  ASSERT_TRUE(Configure(own, ParseConfig(config)).ok());
  EXPECT_EQ(WeightType(own, "fc", "kernel"), "ap_ufixed<7,1>");
  ir::Graph hls4ml = graph();
  ASSERT_TRUE(Configure(hls4ml, ParseConfig(config), ConfigureOptions::Hls4ml()).ok());
  EXPECT_EQ(WeightType(hls4ml, "fc", "kernel"), "ap_fixed<7,2>");
}

TEST(ConfigureTest, RefusesHls4mlsTransposeRemovalOnlyInHls4mlMode) {
  auto graph = [] {
    ir::Graph g;
    EXPECT_TRUE(g.AddInput("x", {2, 3}).ok());
    AddNode(g, "perm", ir::PermuteAttrs{{2, 1}}, {"x"}, {}, "Permute");
    AddNode(g, "flatten", ir::FlattenAttrs{}, {"perm"}, {}, "Flatten");
    AddNode(g, "fc", ir::DenseAttrs{1, true}, {"flatten"},
            {MakeWeight("kernel", {6, 1}, {1, 2, 3, 4, 5, 6}), MakeWeight("bias", {1}, {0})},
            "Dense");
    Finish(g, "fc");
    return g;
  };
  const char* config = "Model:\n  Precision: fixed<16,6>\n";
  ir::Graph own = graph();
  EXPECT_TRUE(Configure(own, ParseConfig(config)).ok());
  ir::Graph hls4ml = graph();
  Status s = Configure(hls4ml, ParseConfig(config), ConfigureOptions::Hls4ml());
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message(),
              HasSubstr("layer 'perm' (Permute): hls4ml removes a Permute before a Flatten"));
}

TEST(ConfigureTest, RefusesHls4mlsBiasBySubstringOnlyInHls4mlMode) {
  auto graph = [] {
    ir::Graph g;
    EXPECT_TRUE(g.AddInput("x", {2}).ok());
    AddNode(g, "dense_nobias", ir::DenseAttrs{1, false}, {"x"},
            {MakeWeight("kernel", {2, 1}, {0.5, -0.25})}, "Dense");
    Finish(g, "dense_nobias");
    g.framework = "keras2";
    return g;
  };
  const char* config = "Model:\n  Precision: fixed<16,6>\n";
  ir::Graph own = graph();
  EXPECT_TRUE(Configure(own, ParseConfig(config)).ok());
  ir::Graph hls4ml = graph();
  Status s = Configure(hls4ml, ParseConfig(config), ConfigureOptions::Hls4ml());
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message(),
              HasSubstr("layer 'dense_nobias' (Dense): a layer without a bias"));
}

// x [3, 1] -> rnn, one unit of the given cell.
ir::Graph OneRecurrent(const ir::RecurrentAttrs& a) {
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("x", {3, 1}).ok());
  const int64_t gates = a.cell == ir::RecurrentCell::kLSTM  ? 4
                        : a.cell == ir::RecurrentCell::kGRU ? 3
                                                            : 1;
  const int64_t biases = a.cell == ir::RecurrentCell::kGRU && a.reset_after ? 2 * gates : gates;
  AddNode(g, "rnn", a, {"x"},
          {MakeWeight("kernel", {1, gates}, std::vector<double>(gates, 0.5)),
           MakeWeight("recurrent_kernel", {1, gates}, std::vector<double>(gates, 0.25)),
           MakeWeight("bias", {biases}, std::vector<double>(biases, 0.125))},
          "RNN");
  Finish(g, "rnn");
  return g;
}

TEST(ConfigureTest, RefusesHls4mlsRecurrentFormsOnlyInHls4mlMode) {
  const char* config = "Model:\n  Precision: fixed<16,6>\n";
  ir::RecurrentAttrs lstm;
  lstm.cell = ir::RecurrentCell::kLSTM;
  lstm.units = 1;
  ir::RecurrentAttrs backwards = lstm;
  backwards.go_backwards = true;
  ir::RecurrentAttrs gru = lstm;
  gru.cell = ir::RecurrentCell::kGRU;
  gru.reset_after = false;
  ir::RecurrentAttrs simple = lstm;
  simple.cell = ir::RecurrentCell::kSimpleRNN;
  ir::RecurrentAttrs state = lstm;
  state.state_quantizer = FixedQuantizer("ap_fixed<8,1,AP_RND_CONV,AP_SAT>");
  ir::RecurrentAttrs quantized = lstm;
  quantized.activation_quantizer = FixedQuantizer("ap_fixed<8,1,AP_RND_CONV,AP_SAT>");
  quantized.activation_quantizer->kind = ir::QuantizerKind::kTanh;
  quantized.activation_quantizer->spelling = "quantized_tanh(8)";
  ir::RecurrentAttrs hard = lstm;
  hard.recurrent_activation = ir::ActivationAttrs{ir::ActivationFn::kHardSigmoid};
  for (const auto& [attrs, reason] :
       {std::pair{backwards, "go_backwards=True: hls4ml reads the sequence forwards"},
        std::pair{gru, "GRU with reset_after=False: hls4ml computes the reset_after=True"},
        std::pair{simple, "SimpleRNN: hls4ml's Vivado/Vitis backend has no SimpleRNN template"},
        std::pair{state, "a QKeras state_quantizer: hls4ml uses its type as accum_t"},
        std::pair{quantized,
                  "a QKeras activation quantizer ('quantized_tanh(8)') in the cell: hls4ml "
                  "asserts on the hard forms"},
        std::pair{hard,
                  "recurrent_activation 'hard_sigmoid' in the cell: hls4ml's recurrent "
                  "templates instantiate only sigmoid, tanh and relu"}}) {
    ir::Graph own = OneRecurrent(attrs);
    EXPECT_TRUE(Configure(own, ParseConfig(config)).ok()) << reason;
    ir::Graph hls4ml = OneRecurrent(attrs);
    Status s = Configure(hls4ml, ParseConfig(config), ConfigureOptions::Hls4ml());
    ASSERT_FALSE(s.ok()) << reason;
    EXPECT_THAT(s.error().message(), HasSubstr("layer 'rnn' (Recurrent): " + std::string(reason)));
  }
  ir::Graph plain = OneRecurrent(lstm);
  EXPECT_TRUE(Configure(plain, ParseConfig(config), ConfigureOptions::Hls4ml()).ok());

  auto bidirectional = [&](ir::BidirectionalMerge merge) {
    ir::BidirectionalAttrs a;
    a.forward = lstm;
    a.backward = lstm;
    a.backward.go_backwards = true;
    a.merge = merge;
    ir::Graph g;
    EXPECT_TRUE(g.AddInput("x", {3, 1}).ok());
    std::vector<ir::Weight> weights;
    for (const std::string side : {"forward_", "backward_"}) {
      weights.push_back(MakeWeight(side + "kernel", {1, 4}, std::vector<double>(4, 0.5)));
      weights.push_back(MakeWeight(side + "recurrent_kernel", {1, 4}, std::vector<double>(4, 0.5)));
      weights.push_back(MakeWeight(side + "bias", {4}, std::vector<double>(4, 0.5)));
    }
    AddNode(g, "bi", a, {"x"}, weights, "Bidirectional");
    Finish(g, "bi");
    return g;
  };
  ir::Graph concat = bidirectional(ir::BidirectionalMerge::kConcat);
  EXPECT_TRUE(Configure(concat, ParseConfig(config), ConfigureOptions::Hls4ml()).ok());
  ir::Graph sum_own = bidirectional(ir::BidirectionalMerge::kSum);
  EXPECT_TRUE(Configure(sum_own, ParseConfig(config)).ok());
  ir::Graph sum = bidirectional(ir::BidirectionalMerge::kSum);
  Status s = Configure(sum, ParseConfig(config), ConfigureOptions::Hls4ml());
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(
      s.error().message(),
      HasSubstr("layer 'bi' (Bidirectional): a Bidirectional merge mode other than concat"));
}

// x [2] -> fc, a Dense whose kernel has QKeras' quantized_po2(4, max_value=1) (exponents
// [-8, 0]) or, with `relu`, quantized_relu_po2.
ir::Graph Po2Dense(bool relu) {
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("x", {2}).ok());
  ir::Weight kernel = MakeWeight("kernel", {2, 2}, {0.5, -0x1p-5, 0x1p-8, -1});
  ir::Quantizer q;
  q.kind = ir::QuantizerKind::kPo2;
  q.qkeras = true;
  q.straight_through = true;
  q.min_exponent = -8;
  q.max_exponent = 7;
  q.po2_max_value = 1.0;
  q.po2_relu = relu;
  q.type = fixed::FixedType::Fixed(10, 2);
  kernel.quantizer = q;
  AddNode(g, "fc", ir::DenseAttrs{2, true}, {"x"}, {kernel, MakeWeight("bias", {2}, {0, 0})},
          "QDense");
  Finish(g, "fc");
  return g;
}

constexpr const char* kPo2DenseConfig = R"(
Model:
  Precision: fixed<16,6>
LayerName:
  x:
    Precision:
      result: ufixed<2,0>
  fc:
    Precision:
      accum: fixed<16,6>
      result: fixed<16,6>
)";

TEST(ConfigureTest, PowerOfTwoKernelsMultiplyAsHls4mlsOnlyInHls4mlMode) {
  ir::Graph own = Po2Dense(false);
  ASSERT_TRUE(Configure(own, ParseConfig(kPo2DenseConfig)).ok());
  EXPECT_FALSE(own.FindNode("fc")->settings.exponent_products);
  // Exact products: 0.75 * 0.5 + 0.5 * 2^-8, 0.75 * -2^-5 - 0.5.
  EXPECT_EQ(Emulate(own, {0.75, 0.5}), (std::vector<double>{0.376953125, -0.5234375}));
  ir::Graph hls4ml = Po2Dense(false);
  ASSERT_TRUE(Configure(hls4ml, ParseConfig(kPo2DenseConfig), ConfigureOptions::Hls4ml()).ok());
  EXPECT_TRUE(hls4ml.FindNode("fc")->settings.exponent_products);
  // weight_exponential in ap_fixed<12,6> (LSB 2^-6): 0.75 >> 1 = 0.375, 0.5 >> 8 floors to 0;
  // 0.75 >> 5 floors to 2^-6, negated, - 0.5: -0.515625.
  EXPECT_EQ(Emulate(hls4ml, {0.75, 0.5}), (std::vector<double>{0.375, -0.515625}));
  // hls4ml holds a quantized_relu_po2 kernel in a fixed-point type: a plain product.
  ir::Graph relu = Po2Dense(true);
  ASSERT_TRUE(Configure(relu, ParseConfig(kPo2DenseConfig), ConfigureOptions::Hls4ml()).ok());
  EXPECT_FALSE(relu.FindNode("fc")->settings.exponent_products);
}

TEST(ConfigureTest, UnknownLayerNamesAreErrors) {
  ir::Graph g = DenseRelu(0);
  Status s = Configure(g, ParseConfig("LayerName:\n  fc9:\n    ReuseFactor: 2\n"));
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message(), HasSubstr("no layer named 'fc9'"));
}

TEST(ConfigureTest, TheOldSignaturesStillWork) {
  ir::Graph g = DenseRelu(0);
  EXPECT_TRUE(Configure(g, ParseConfig("Model:\n  Precision: fixed<16,6>\n")).ok());
  ir::Graph h = DenseRelu(0);
  ReuseFactorOptions reuse;
  reuse.io_stream = true;
  EXPECT_TRUE(Configure(h, ParseConfig("Model:\n  Precision: fixed<16,6>\n"), reuse).ok());
}

TEST(ConfigureTest, ReluWithANegativeSlopeGetsHls4mlsParamType) {
  // hls4ml's LeakyReLU(0.25): param_t = ufixed<1,-1>, the narrowest type holding 0.25.
  constexpr const char* kAuto =
      "Model:\n  Precision: fixed<16,6>\nLayerName:\n  act:\n    Precision: auto\n";
  ir::Graph g = DenseRelu(0.25);
  ASSERT_TRUE(Configure(g, ParseConfig(kAuto)).ok());
  EXPECT_EQ(InternalTypeOf(g, "act", "param"), "ap_ufixed<1,-1>");
  // Configured like any precision otherwise (hls4ml infers it only when "auto").
  ir::Graph m = DenseRelu(0.25);
  ASSERT_TRUE(Configure(m, ParseConfig("Model:\n  Precision: fixed<16,6>\n")).ok());
  EXPECT_EQ(InternalTypeOf(m, "act", "param"), "ap_fixed<16,6>");
  ir::Graph h = DenseRelu(0);
  ASSERT_TRUE(Configure(h, ParseConfig(kAuto)).ok());
  EXPECT_EQ(InternalTypeOf(h, "act", "param"), "unset");
}

// Keras 2: Dense(activation='linear') -> BatchNormalization. hls4ml removes "fc_linear" and,
// starting its list again, then folds the normalization into the Dense.
TEST(ConfigureTest, LinearRemovalLetsTheFoldHappen) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {2}).ok());
  AddNode(g, "fc", ir::DenseAttrs{2, true}, {"x"},
          {MakeWeight("kernel", {2, 2}, {0.5, -0.25, 1.0, 0.75}),
           MakeWeight("bias", {2}, {0.125, -2.0})},
          "Dense");
  AddNode(g, "fc_linear", ir::ActivationAttrs{ir::ActivationFn::kLinear}, {"fc"}, {}, "Activation");
  ir::BatchNormAttrs bn;
  AddNode(g, "bn", bn, {"fc_linear"},
          {MakeWeight("gamma", {2}, {1.5, 0.5}), MakeWeight("beta", {2}, {0.25, 0}),
           MakeWeight("moving_mean", {2}, {0, 0}), MakeWeight("moving_variance", {2}, {1, 1})},
          "BatchNormalization");
  Finish(g, "bn");
  constexpr const char* kConfig = R"(
Model:
  Precision: fixed<16,6>
LayerName:
  fc:
    Precision: auto
  fc_linear:
    Precision: auto
  bn:
    Precision: auto
)";
  ir::Graph h = g;
  ASSERT_TRUE(Configure(g, ParseConfig(kConfig), ConfigureOptions::Hls4ml()).ok());
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "fc"));
  EXPECT_THAT(g.outputs(), ElementsAre("fc"));
  // fixnn's default removes the linear activation too, and keeps the normalization: its
  // float32 scale 1.5/sqrt(1.001) does not fit the Dense's weight type.
  ASSERT_TRUE(Configure(h, ParseConfig(kConfig)).ok());
  EXPECT_THAT(NodeNames(h), ElementsAre("x", "fc", "bn"));
}

TEST(ConfigureTest, TheAlphaLayerCanBeNamedInTheConfiguration) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {2}).ok());
  ir::Weight kernel = MakeWeight("kernel", {2, 2}, {0.25, -0.5, 0.75, 0.125});
  kernel.quantizer = FixedQuantizer("ap_fixed<4,1,AP_RND_CONV,AP_SAT>");
  kernel.quantizer->alpha = ir::AlphaKind::kValue;
  kernel.quantizer->scale = {0.5};
  AddNode(g, "fc", ir::DenseAttrs{2, false}, {"x"}, {kernel}, "QDense");
  Finish(g, "fc");
  Status s = Configure(
      g, ParseConfig("LayerName:\n  fc_alpha:\n    Precision:\n      result: fixed<12,4>\n"));
  ASSERT_TRUE(s.ok()) << s.error().message();
  EXPECT_THAT(NodeNames(g), ElementsAre("x", "fc", "fc_alpha"));
  EXPECT_THAT(g.outputs(), ElementsAre("fc_alpha"));
  EXPECT_EQ(TensorType(g, "fc_alpha"), "ap_fixed<12,4>");
  EXPECT_THAT(g.FindNode("fc_alpha")->FindWeight("scale")->values, ElementsAre(0.5, 0.5));
}

}  // namespace
}  // namespace fixnn::passes
