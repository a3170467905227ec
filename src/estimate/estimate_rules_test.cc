// The estimate's rules on small graphs with hand-computed figures.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "estimate/estimate.h"
#include "estimate/estimate_test_util.h"

namespace fixnn::estimate {
namespace {

using backends::hls_reports::ResourceKind;
using ::testing::HasSubstr;
using namespace fixnn::estimate::testing;  // NOLINT(build/namespaces)

// x[3] (ap_fixed<8,3>) -> fc: Dense(2), weights ap_fixed<6,2>, accum ap_fixed<20,8>.
// Kernel rows (in x units): (0.75, 0), (0.5, 0.375), (0, -1.25): 2 zeros, one 2^-1, 3 real.
ir::Graph TinyDense() {
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("x", {3}).ok());
  AddNode(g, "fc", ir::DenseAttrs{2, true}, {"x"},
          {MakeWeight("kernel", {3, 2}, {0.75, 0, 0.5, 0.375, 0, -1.25}),
           MakeWeight("bias", {2}, {0.125, 0})},
          "Dense");
  Finish(g, "fc");
  return g;
}

constexpr const char* kTinyConfig = R"(
Model:
  Precision: ap_fixed<16,6>
LayerName:
  x:
    Precision:
      result: ap_fixed<8,3>
  fc:
    Precision:
      weight: ap_fixed<6,2>
      bias: ap_fixed<6,2>
      accum: ap_fixed<20,8>
      result: ap_fixed<16,6>
)";

TEST(EstimateRulesTest, BopsOfATinyModelByHand) {
  ir::Graph g = TinyDense();
  const config::ProjectConfig p = Configure(g, kTinyConfig);
  const ModelEstimate e = EstimateOrFail(g, p);
  const LayerEstimate& fc = Layer(e, "fc");
  EXPECT_EQ(fc.multiplications.total, 6);
  EXPECT_EQ(fc.multiplications.zero, 2);
  EXPECT_EQ(fc.multiplications.power_of_two, 1);
  EXPECT_EQ(fc.multiplications.real, 3);
  // 4 nonzero products of 6 x 8 bits, and 4 additions (2 + 2 terms into 2 sums, plus the two
  // biases) of 20 bits: 4 * 48 + 4 * 20.
  EXPECT_EQ(fc.bops, 4 * 48 + 4 * 20);
  EXPECT_EQ(e.bops, 272);
  // 6 x 8 bits: LUT products, ceil(6 * 8 / 2) LUTs each, plus 4 adders of 20 bits.
  EXPECT_EQ(fc.multipliers, 3);
  EXPECT_EQ(fc.lut_multipliers, 3);
  EXPECT_EQ(Used(fc.resources, ResourceKind::kDsp), 0);
  EXPECT_EQ(Used(fc.resources, ResourceKind::kLut), 3 * 24 + 4 * 20);
  // Latency strategy: the 2 sums registered at each of the L_mult = 2 stages.
  EXPECT_EQ(Used(fc.resources, ResourceKind::kFf), 2 * 20 * 2);
  EXPECT_EQ(fc.latency.max_cycles, 2);
  EXPECT_EQ(e.latency.max_cycles, 2);
  EXPECT_EQ(e.latency.interval_max, 1);
  EXPECT_EQ(e.latency.max_ns, 10.0);
}

// x[n_in] -> fc: Dense(units), every weight `value`, types from `model_precision`.
ir::Graph OneDense(int64_t n_in, int64_t units, std::vector<double> kernel) {
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("x", {n_in}).ok());
  AddNode(g, "fc", ir::DenseAttrs{units, true}, {"x"},
          {MakeWeight("kernel", {n_in, units}, kernel),
           MakeWeight("bias", {units}, Filled(units, 0.0))},
          "Dense");
  Finish(g, "fc");
  return g;
}

std::string DenseConfig(const std::string& strategy, int64_t reuse, const std::string& extra = "") {
  return "Model:\n  Precision: ap_fixed<16,6>\n  Strategy: " + strategy +
         "\n  ReuseFactor: " + std::to_string(reuse) + "\n" + extra;
}

TEST(EstimateRulesTest, ZeroAndPowerOfTwoWeightsNeedNoMultiplierUnderLatency) {
  std::vector<double> half_zero;
  for (int i = 0; i < 16; ++i) half_zero.push_back(i % 2 ? 0.3 : 0.0);
  ir::Graph g = OneDense(4, 4, half_zero);
  ModelEstimate e = EstimateOrFail(g, Configure(g, DenseConfig("Latency", 1)));
  EXPECT_EQ(Layer(e, "fc").multiplications.zero, 8);
  EXPECT_EQ(Layer(e, "fc").multipliers, 8);
  EXPECT_EQ(Used(e.resources, ResourceKind::kDsp), 8);
  // Reused 4 times: ceil(8 / 4) multipliers.
  g = OneDense(4, 4, half_zero);
  e = EstimateOrFail(g, Configure(g, DenseConfig("Latency", 4)));
  EXPECT_EQ(Used(e.resources, ResourceKind::kDsp), 2);
  // Powers of two are shifts.
  g = OneDense(4, 4, Filled(16, -0.5));
  e = EstimateOrFail(g, Configure(g, DenseConfig("Latency", 1)));
  EXPECT_EQ(Layer(e, "fc").multiplications.power_of_two, 16);
  EXPECT_EQ(Used(e.resources, ResourceKind::kDsp), 0);
  // Resource strategy reads the weights from memory: zeros still take a multiplier slot.
  g = OneDense(4, 4, half_zero);
  e = EstimateOrFail(g, Configure(g, DenseConfig("Resource", 2)));
  EXPECT_EQ(Used(e.resources, ResourceKind::kDsp), 8);
}

TEST(EstimateRulesTest, BinaryWeightsAreSelects) {
  ir::Graph g = OneDense(4, 2, {1, -1, 1, 1, -1, -1, 1, 0});
  const std::string cfg = DenseConfig("Latency", 1,
                                      "LayerName:\n  fc:\n    Precision:\n      weight: "
                                      "ap_fixed<2,1>\n");
  const ModelEstimate e = EstimateOrFail(g, Configure(g, cfg));
  const LayerEstimate& fc = Layer(e, "fc");
  EXPECT_EQ(fc.multiplications.binary, 7);
  EXPECT_EQ(fc.multiplications.zero, 1);
  EXPECT_EQ(fc.multiplications.real, 0);
  EXPECT_EQ(fc.multipliers, 0);
}

TEST(EstimateRulesTest, WideOperandsTakeSeveralDsps) {
  ir::Graph g = OneDense(2, 2, Filled(4, 0.3));
  const std::string cfg = DenseConfig("Latency", 1,
                                      "LayerName:\n  x:\n    Precision:\n      result: "
                                      "ap_fixed<32,10>\n  fc:\n    Precision:\n      weight: "
                                      "ap_fixed<24,8>\n");
  const ModelEstimate e = EstimateOrFail(g, Configure(g, cfg));
  EXPECT_EQ(Layer(e, "fc").dsps_per_multiplier, 2);
  EXPECT_EQ(Used(e.resources, ResourceKind::kDsp), 4 * 2);
}

TEST(EstimateRulesTest, NarrowProductsAreLutOnly) {
  ir::Graph g = OneDense(2, 2, Filled(4, 0.375));
  const std::string cfg = DenseConfig("Latency", 1,
                                      "LayerName:\n  fc:\n    Precision:\n      weight: "
                                      "ap_fixed<4,1>\n");
  const ModelEstimate e = EstimateOrFail(g, Configure(g, cfg));
  const LayerEstimate& fc = Layer(e, "fc");
  EXPECT_EQ(fc.multipliers, 4);
  EXPECT_EQ(fc.lut_multipliers, 4);
  EXPECT_EQ(fc.dsp_multipliers, 0);
  EXPECT_EQ(Used(e.resources, ResourceKind::kDsp), 0);
  EXPECT_GE(Used(e.resources, ResourceKind::kLut), 4 * 32);
}

TEST(EstimateRulesTest, ResourceStrategyPutsWeightsInBram) {
  ir::Graph g = OneDense(64, 32, Filled(64 * 32, 0.3));
  ModelEstimate e = EstimateOrFail(g, Configure(g, DenseConfig("Resource", 8)));
  // 8 deep, 256 words of 16 bits: two words per 36-bit port.
  EXPECT_EQ(Used(e.resources, ResourceKind::kBram18k), 128);
  EXPECT_EQ(Used(e.resources, ResourceKind::kDsp), 256);
  g = OneDense(64, 32, Filled(64 * 32, 0.3));
  e = EstimateOrFail(g, Configure(g, DenseConfig("Latency", 8)));
  EXPECT_EQ(Used(e.resources, ResourceKind::kBram18k), 0);
  g = OneDense(64, 32, Filled(64 * 32, 0.3));
  e = EstimateOrFail(g, Configure(g, DenseConfig("Resource", 1)));
  EXPECT_EQ(Used(e.resources, ResourceKind::kBram18k), 0);  // R = 1: registers
}

TEST(EstimateRulesTest, LatencyFollowsTheReuseFactor) {
  const LatencyModel m;
  for (int64_t r : {1, 2, 4, 8, 16}) {
    for (const std::string strategy : {"Latency", "Resource"}) {
      ir::Graph g;
      ASSERT_TRUE(g.AddInput("x", {16}).ok());
      AddDense(g, "fc", "x", 16, 8);
      AddActivation(g, "relu", "fc", ir::ActivationFn::kReLU);
      Finish(g, "relu");
      const ModelEstimate e = EstimateOrFail(g, Configure(g, DenseConfig(strategy, r)));
      const int64_t l_mult = strategy == "Latency" ? m.mult_latency : m.mult_latency_resource;
      SCOPED_TRACE(strategy + " R=" + std::to_string(r));
      EXPECT_EQ(Layer(e, "fc").latency.max_cycles, l_mult + (r - 1) * m.mult_interval);
      EXPECT_EQ(Layer(e, "fc").latency.interval_max, r);
      EXPECT_EQ(e.latency.max_cycles, l_mult + (r - 1) + m.activation_latency);
      EXPECT_EQ(e.latency.interval_max, r);
      EXPECT_EQ(Used(e.resources, ResourceKind::kDsp), 128 / r);
    }
  }
}

TEST(EstimateRulesTest, SequentialLayersAddUpAndTheIntervalIsTheLargestReuse) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {16}).ok());
  AddDense(g, "fc1", "x", 16, 8);
  AddActivation(g, "relu", "fc1", ir::ActivationFn::kReLU);
  AddDense(g, "fc2", "relu", 8, 4);
  Finish(g, "fc2");
  const std::string cfg = DenseConfig("Latency", 2, "LayerName:\n  fc2:\n    ReuseFactor: 4\n");
  const ModelEstimate e = EstimateOrFail(g, Configure(g, cfg));
  EXPECT_EQ(e.latency.max_cycles, (2 + 1) + 1 + (2 + 3));
  EXPECT_EQ(e.latency.interval_max, 4);
  EXPECT_EQ(Used(e.resources, ResourceKind::kDsp), 64 + 8);
}

TEST(EstimateRulesTest, RecurrentLayersCountEveryTimeStep) {
  for (ir::RecurrentCell cell : {ir::RecurrentCell::kGRU, ir::RecurrentCell::kLSTM}) {
    ir::Graph g;
    ASSERT_TRUE(g.AddInput("x", {5, 3}).ok());
    AddRecurrent(g, "rnn", "x", 3, 4, cell);
    Finish(g, "rnn");
    const ModelEstimate e = EstimateOrFail(g, Configure(g, DenseConfig("Latency", 1)));
    const LayerEstimate& rnn = Layer(e, "rnn");
    const bool lstm = cell == ir::RecurrentCell::kLSTM;
    const int64_t gates = lstm ? 16 : 12;
    // Per step: x (3) and h (4) times every gate column, and 3 gate products per unit.
    const int64_t per_step = 3 * gates + 4 * gates + 3 * 4;
    SCOPED_TRACE(rnn.op);
    EXPECT_EQ(rnn.timesteps, 5);
    EXPECT_EQ(rnn.multiplications.total, 5 * per_step);
    EXPECT_EQ(rnn.multipliers, per_step);
    EXPECT_EQ(Used(rnn.resources, ResourceKind::kDsp), per_step);
    // steps x (L_mult + 2 activations + the elementwise stages).
    EXPECT_EQ(rnn.latency.max_cycles, 5 * (2 + 2 + (lstm ? 4 : 3)));
    EXPECT_EQ(rnn.latency.interval_max, rnn.latency.max_cycles);
    // BOPs: 16 x 16 bits per product; additions of the 16-bit default accumulator.
    EXPECT_GT(rnn.bops, 5 * per_step * 256);
  }
}

TEST(EstimateRulesTest, RecurrentReuseFactorSharesTheStateProduct) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {5, 3}).ok());
  AddRecurrent(g, "gru", "x", 3, 4, ir::RecurrentCell::kGRU);
  Finish(g, "gru");
  const ModelEstimate e = EstimateOrFail(
      g,
      Configure(g, DenseConfig("Latency", 1, "LayerName:\n  gru:\n    RecurrentReuseFactor: 2\n")));
  EXPECT_EQ(Layer(e, "gru").multipliers, 36 + 48 / 2 + 12);
  EXPECT_EQ(Layer(e, "gru").latency.max_cycles, 5 * ((2 + 1) + 2 + 3));
}

TEST(EstimateRulesTest, PerElementWeightTypesCountEachElementsBits) {
  ir::Graph g = OneDense(3, 1, {0.5, 0.3, 0.0});
  const config::ProjectConfig p = Configure(g, DenseConfig("Latency", 1));
  // Heterogeneous (HGQ-style) kernel: 4, 9 and an always-zero 1-bit placeholder.
  ir::Weight& kernel = *g.FindNode("fc")->FindWeight("kernel");
  kernel.precision.type.reset();
  kernel.precision.per_element = ir::ElementTypes{
      {fixed::FixedType::Fixed(4, 1), fixed::FixedType::Fixed(9, 2), fixed::FixedType::Fixed(1, 1)},
      {false, false, true}};
  const ModelEstimate e = EstimateOrFail(g, p);
  const LayerEstimate& fc = Layer(e, "fc");
  const int acc = g.FindNode("fc")->types.at("accum").width;
  // 16-bit input: 4 x 16 + 9 x 16 bit products, two additions (one term into the sum, bias).
  EXPECT_EQ(fc.bops, 4 * 16 + 9 * 16 + 2 * acc);
  // The widest element (9 bits) against 16 bits decides: one DSP for the one real product.
  EXPECT_EQ(fc.multiplications.real, 1);
  EXPECT_EQ(Used(fc.resources, ResourceKind::kDsp), 1);
}

TEST(EstimateRulesTest, ConvolutionsReuseOneKernelOverThePositions) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {8, 2}).ok());
  ir::ConvAttrs a;
  a.filters = 4;
  a.kernel = {3};
  a.strides = {1};
  a.dilation = {1};
  AddNode(g, "conv", a, {"x"},
          {MakeWeight("kernel", {3, 2, 4}, Filled(24, 0.3)), MakeWeight("bias", {4}, Filled(4, 0))},
          "Conv1D");
  Finish(g, "conv");
  const ModelEstimate e = EstimateOrFail(g, Configure(g, DenseConfig("Latency", 1)));
  const LayerEstimate& conv = Layer(e, "conv");
  EXPECT_EQ(conv.timesteps, 6);  // valid padding: 8 - 3 + 1 output positions
  EXPECT_EQ(conv.multiplications.total, 6 * 24);
  EXPECT_EQ(conv.multipliers, 24);
  EXPECT_EQ(Used(conv.resources, ResourceKind::kDsp), 24);
  // One position every R = 1 cycles through the L_mult = 2 pipeline.
  EXPECT_EQ(conv.latency.max_cycles, 2 + 5);
  EXPECT_EQ(conv.latency.interval_max, 6);
  EXPECT_EQ(e.latency.pipeline_type, "dataflow");  // hls4ml's choice for convolutions
}

TEST(EstimateRulesTest, BidirectionalRunsBothCells) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {5, 3}).ok());
  ir::BidirectionalAttrs a;
  a.forward.cell = a.backward.cell = ir::RecurrentCell::kGRU;
  a.forward.units = a.backward.units = 4;
  a.backward.go_backwards = true;
  std::vector<ir::Weight> w;
  for (const std::string dir : {"forward_", "backward_"}) {
    w.push_back(MakeWeight(dir + "kernel", {3, 12}, Filled(36, 0.3)));
    w.push_back(MakeWeight(dir + "recurrent_kernel", {4, 12}, Filled(48, 0.3)));
    w.push_back(MakeWeight(dir + "bias", {2, 12}, Filled(24, 0)));
  }
  AddNode(g, "bi", a, {"x"}, std::move(w), "Bidirectional");
  Finish(g, "bi");
  const ModelEstimate e = EstimateOrFail(g, Configure(g, DenseConfig("Latency", 1)));
  const LayerEstimate& bi = Layer(e, "bi");
  EXPECT_EQ(bi.multipliers, 2 * (36 + 48 + 12));
  EXPECT_EQ(bi.multiplications.total, 2 * 5 * (36 + 48 + 12));
  EXPECT_EQ(bi.latency.max_cycles, 2 * 5 * (2 + 2 + 3));
}

TEST(EstimateRulesTest, UnconfiguredTypesComeFromTheModelDefaultAndSaySo) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {5, 3}).ok());
  AddRecurrent(g, "lstm", "x", 3, 4, ir::RecurrentCell::kLSTM);
  Finish(g, "lstm");
  config::ProjectConfig p;
  Result<config::HlsConfig> hls =
      config::ParseHlsConfig(YAML::Load("Model:\n  Precision: ap_fixed<12,4>\n"), "c.yml");
  ASSERT_TRUE(hls.ok());
  p.hls = *hls;
  const ModelEstimate e = EstimateOrFail(g, p);  // not configured: no types at all
  const LayerEstimate& lstm = Layer(e, "lstm");
  std::string notes;
  for (const std::string& n : lstm.notes) notes += n + "\n";
  EXPECT_THAT(notes, HasSubstr("ap_fixed<12,4> (HLSConfig.Model.Precision)"));
  EXPECT_THAT(notes, HasSubstr("not classified"));
  EXPECT_EQ(lstm.multiplications.real, lstm.multiplications.total);
  EXPECT_EQ(lstm.dsps_per_multiplier, 1);
}

TEST(EstimateRulesTest, ErrorsNameTheLayer) {
  ir::Graph g;
  ASSERT_TRUE(g.AddInput("x", {3}).ok());
  AddRecurrent(g, "gru", "x", 3, 4, ir::RecurrentCell::kGRU);  // input not [steps, features]
  const config::ProjectConfig project;
  Result<ModelEstimate> e = Estimate(g, project);
  ASSERT_FALSE(e.ok());
  EXPECT_THAT(e.error().message(), HasSubstr("layer 'gru'"));
}

TEST(EstimateRulesTest, TextAndJsonAreLabelledAsEstimates) {
  ir::Graph g = TinyDense();
  const ModelEstimate e = EstimateOrFail(g, Configure(g, kTinyConfig));
  const std::string text = FormatEstimate(e);
  EXPECT_THAT(text, HasSubstr("Estimate (not a synthesis result)"));
  EXPECT_THAT(text, HasSubstr("fc"));
  const nlohmann::json j = ToJson(e);
  EXPECT_EQ(j["estimate"], true);
  EXPECT_EQ(j["bops"], 272);
  EXPECT_EQ(j["layers"][0]["name"], "fc");
  EXPECT_EQ(j["layers"][0]["multiplications"]["real"], 3);
  EXPECT_EQ(j["latency"]["max_cycles"], 2);
  EXPECT_EQ(j["resources"]["DSP"]["used"], 0);
  EXPECT_EQ(j["resources"]["LUT"]["used"], 152);
  const backends::hls_reports::SynthesisReport r = ToSynthesisReport(e);
  EXPECT_EQ(r.format, "fixnn estimate");
  ASSERT_EQ(r.modules.size(), 1u);
  EXPECT_EQ(r.modules[0].module, "fc");
  EXPECT_THAT(backends::hls_reports::FormatReport(r), HasSubstr("fc"));
}

}  // namespace
}  // namespace fixnn::estimate
