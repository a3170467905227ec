#include "analysis/profile.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "config/config_from_graph.h"
#include "frontends/keras/keras_frontend.h"
#include "io/npy.h"
#include "passes/configure.h"

namespace fixnn::analysis {
namespace {

namespace fs = std::filesystem;

const fs::path kJet = fs::path(FIXNN_TEST_DATA_DIR) / "keras" / "qk_jet_tagging_mlp";

ir::Graph Configured(config::Granularity granularity, const std::string& precision) {
  Result<ir::Graph> g = frontends::keras::LoadKerasModel((kJet / "model.h5").string());
  EXPECT_TRUE(g.ok()) << g.error().message();
  Result<config::HlsConfig> cfg = config::ConfigFromGraph(*g, granularity, precision);
  EXPECT_TRUE(cfg.ok()) << cfg.error().message();
  Status s = passes::Configure(*g, *cfg);
  EXPECT_TRUE(s.ok()) << s.error().message();
  return std::move(g).value();
}

std::vector<emulator::Batch> Inputs(double scale) {
  Result<io::Array> a = io::ReadNpy((kJet / "input.npy").string());
  EXPECT_TRUE(a.ok());
  for (double& v : a->values) v *= scale;
  return {emulator::Batch{a->shape, a->values}};
}

TEST(IntegerBitsNeeded, SignedAndUnsigned) {
  EXPECT_EQ(IntegerBitsNeeded(0, 0, true), 1);
  EXPECT_EQ(IntegerBitsNeeded(-0.5, 0.75, true), 1);  // ap_fixed<W,1>: [-1, 1)
  EXPECT_EQ(IntegerBitsNeeded(-1, 0.5, true), 1);     // -1 itself fits
  EXPECT_EQ(IntegerBitsNeeded(0, 1, true), 2);        // 1 does not fit in [-1, 1)
  EXPECT_EQ(IntegerBitsNeeded(-3, 2, true), 3);       // [-4, 4)
  EXPECT_EQ(IntegerBitsNeeded(0, 5.5, false), 3);     // [0, 8)
  EXPECT_EQ(IntegerBitsNeeded(0, 0.3, false), -1);    // [0, 0.5): ap_ufixed<W,-1>
  EXPECT_EQ(IntegerBitsNeeded(-0.2, 0.3, true), 0);   // [-0.5, 0.5)
  EXPECT_EQ(IntegerBitsNeeded(-100, 3, true), 8);     // [-128, 128)
}

TEST(ProfileModel, RangesAndCountsOfTheJetTagger) {
  const ir::Graph g = Configured(config::Granularity::kName, "fixed<16,6>");
  const std::vector<emulator::Batch> in = Inputs(1.0);
  Result<ModelProfile> p = ProfileModel(g, in);
  ASSERT_TRUE(p.ok()) << p.error().message();
  EXPECT_EQ(p->samples, 64);
  Result<emulator::Emulator> emu = emulator::Emulator::Create(g);
  ASSERT_TRUE(emu.ok());
  Result<std::vector<emulator::Batch>> out = emu->Run(in);
  ASSERT_TRUE(out.ok());
  const std::vector<double>& y = out->at(0).values;
  EXPECT_EQ(p->fixed_outputs.at(0).values, y);  // kept from the profile's own run
  EXPECT_EQ(p->float_outputs.at(0).values.size(), y.size());
  bool saw_output = false, saw_weight = false;
  for (const TensorProfile& t : p->tensors) {
    if (t.kind == "weight") {
      saw_weight = true;
      const ir::Node* n = g.FindNode(t.layer);
      ASSERT_NE(n, nullptr);
      EXPECT_GT(t.float_values.count, 0);
      continue;
    }
    if (t.tensor != g.outputs().at(0)) continue;
    saw_output = true;
    EXPECT_EQ(t.fixed_values.count, static_cast<int64_t>(y.size()));
    EXPECT_EQ(t.fixed_values.min, *std::min_element(y.begin(), y.end()));
    EXPECT_EQ(t.fixed_values.max, *std::max_element(y.begin(), y.end()));
    EXPECT_EQ(t.float_values.count, static_cast<int64_t>(y.size()));
    // A softmax: float values in [0, 1], close to the fixed ones.
    EXPECT_GE(t.float_values.min, 0.0);
    EXPECT_LE(t.float_values.max, 1.0);
    EXPECT_NEAR(t.float_values.max, t.fixed_values.max, 0.05);
    EXPECT_LE(t.float_values.abs.q1, t.float_values.abs.median);
    EXPECT_LE(t.float_values.abs.median, t.float_values.abs.q3);
    EXPECT_LE(t.float_values.abs.q3, t.float_values.abs.max);
  }
  EXPECT_TRUE(saw_output);
  EXPECT_TRUE(saw_weight);
  EXPECT_NE(FormatProfile(*p).find("out of range"), std::string::npos);
}

TEST(ProfileModel, NarrowTypesShowWhereValuesLeaveTheirRange) {
  // Every type ap_fixed<6,2> ([-2, 2)) and inputs four times larger: the inputs and the first
  // layer's sums leave the range, and the profile says so.
  const ir::Graph g = Configured(config::Granularity::kModel, "ap_fixed<6,2>");
  Result<ModelProfile> p = ProfileModel(g, Inputs(4.0));
  ASSERT_TRUE(p.ok()) << p.error().message();
  int64_t outside = 0, out_of_range = 0;
  for (const TensorProfile& t : p->tensors) {
    if (t.kind != "output") continue;
    ASSERT_TRUE(t.type.has_value()) << t.layer;
    EXPECT_EQ(t.type_min, -2.0);
    EXPECT_EQ(t.type_max, 2.0 - 1.0 / 16);
    outside += t.fits() ? 0 : 1;
    out_of_range += t.out_of_range;
    if (!t.fits()) EXPECT_GT(t.integer_bits_needed, 2) << t.layer;
  }
  EXPECT_GT(outside, 0);
  EXPECT_GT(out_of_range, 0);
  EXPECT_NE(FormatProfile(*p).find("<- float range outside the type"), std::string::npos);
}

TEST(ProfileModel, RefusesInputsOfTheWrongShape) {
  const ir::Graph g = Configured(config::Granularity::kName, "fixed<16,6>");
  Result<ModelProfile> p = ProfileModel(g, {emulator::Batch{{2, 3}, std::vector<double>(6, 0.0)}});
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message().find("x"), std::string::npos) << p.error().message();
}

}  // namespace
}  // namespace fixnn::analysis
