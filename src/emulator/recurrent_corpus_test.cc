// Corpus tier: the 60 QKeras top-tagging models of ../shared/models/HLS4ML_RNN (QLSTM and QGRU,
// 20 units over 20 steps, quantized_tanh activations, state quantizers, auto_po2 kernels),
// configured with fixnn's defaults (every type "auto", as `fixnn predict` does) and run through
// the emulator on random inputs: the int64 and exact paths agree bit for bit, and the recurrent
// layer's outputs stay near the float reference (and approach it under a fine configuration).
// The two 1-bit models load (their auto_po2 kernels are all 0, as in QKeras) but are refused at
// configuration: their state quantizer is QKeras' binary sign, which no fixed-point type
// computes.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "config/config_from_graph.h"
#include "emulator/emulator.h"
#include "frontends/keras/keras_frontend.h"
#include "ir/quantizer.h"
#include "passes/configure.h"
#include "reference/reference_executor.h"

namespace fixnn::emulator {
namespace {

namespace fs = std::filesystem;

const fs::path kTopTag =
    fs::path(FIXNN_SHARED_MODELS_DIR) / "HLS4ML_RNN/src/python/hls4ml-rnn-toptag/qkeras";

std::vector<fs::path> QuantizedModels() {
  std::vector<fs::path> files;
  for (const auto& dir : fs::directory_iterator(kTopTag)) {
    const std::string name = dir.path().filename().string();
    if (!dir.is_directory() || name.rfind("q", 0) != 0 ||
        name.find("_test5") == std::string::npos) {
      continue;
    }
    for (const auto& f : fs::directory_iterator(dir.path())) {
      if (f.path().extension() == ".h5") files.push_back(f.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Inputs uniform in [-2, 2): the models' [20, 6] constituents.
Batch RandomInputs(const ir::Graph& g, int64_t samples, uint32_t seed) {
  Batch b;
  b.shape = g.FindTensor(g.inputs()[0])->shape;
  b.shape.insert(b.shape.begin(), samples);
  int64_t n = 1;
  for (int64_t d : b.shape) n *= d;
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-2.0, 2.0);
  b.values.resize(static_cast<size_t>(n));
  for (double& v : b.values) v = static_cast<float>(u(rng));
  return b;
}

Batch FirstSamples(const Batch& b, int64_t samples) {
  Batch out = b;
  const size_t per = b.values.size() / static_cast<size_t>(b.shape[0]);
  out.shape[0] = samples;
  out.values.resize(per * static_cast<size_t>(samples));
  return out;
}

// The recurrent layers' outputs, every sample in order.
class RecurrentOutputs final : public TraceSink {
 public:
  void OnNode(int64_t, const ir::Node& node,
              const std::vector<std::span<const double>>& outputs) override {
    if (!node.is<ir::RecurrentAttrs>() && !node.is<ir::BidirectionalAttrs>()) return;
    for (std::span<const double> o : outputs) values.insert(values.end(), o.begin(), o.end());
  }
  std::vector<double> values;
};

struct Difference {
  double mean = 0.0, max = 0.0;
};

Difference Compare(const std::vector<double>& got, const std::vector<double>& want) {
  Difference d;
  for (size_t i = 0; i < got.size(); ++i) {
    const double e = std::abs(got[i] - want[i]);
    d.max = std::max(d.max, e);
    d.mean += e;
  }
  d.mean /= static_cast<double>(std::max<size_t>(got.size(), 1));
  return d;
}

// The (one) recurrent layer.
const ir::Node* RecurrentNode(const ir::Graph& g) {
  for (const ir::Node& n : g.nodes()) {
    if (n.is<ir::RecurrentAttrs>()) return &n;
  }
  return nullptr;
}

// The LSB of the (one) recurrent layer's state type.
double StateLsb(const ir::Graph& g) {
  for (const ir::Node& n : g.nodes()) {
    if (n.is<ir::RecurrentAttrs>()) return std::ldexp(1.0, n.types.at("state").lsb_exponent());
  }
  return 0.0;
}

TEST(EmulatorRecurrentCorpus, TopTaggingQKerasModelsEmulate) {
  if (!fs::exists(kTopTag)) GTEST_SKIP() << "no top-tagging models at " << kTopTag;
  const std::vector<fs::path> files = QuantizedModels();
  ASSERT_EQ(files.size(), 60u);
  int emulated = 0, binary = 0;
  for (const fs::path& file : files) {
    const std::string rel = fs::relative(file, kTopTag).generic_string();
    SCOPED_TRACE(rel);
    Result<ir::Graph> graph = frontends::keras::LoadKerasModel(file.string(), {});
    // Every model loads: the 1-bit (0int, 0frac) ones with quantized_bits(1, 0,
    // alpha='auto_po2') kernels too, whose values are all 0 as in QKeras.
    ASSERT_TRUE(graph.ok()) << graph.error().message();
    const Batch x = RandomInputs(*graph, 300, static_cast<uint32_t>(emulated + 1));
    RecurrentOutputs want;
    ASSERT_TRUE(reference::RunReference(*graph, {x}, &want).ok());

    Result<config::HlsConfig> cfg = config::ConfigFromGraph(*graph, config::Granularity::kName);
    ASSERT_TRUE(cfg.ok()) << cfg.error().message();
    Status configured = passes::Configure(*graph, *cfg, passes::ConfigureOptions{});
    ASSERT_TRUE(configured.ok()) << configured.error().message();
    Result<Emulator> fast = Emulator::Create(*graph);
    ASSERT_TRUE(fast.ok()) << fast.error().message();
    Result<Emulator> exact = Emulator::Create(*graph, EmulatorOptions{true});
    ASSERT_TRUE(exact.ok()) << exact.error().message();
    EXPECT_FALSE(exact->uses_int64());
    RecurrentOutputs got;
    ASSERT_TRUE(fast->Run({x}, &got).ok());
    // The exact path (WideInt, slow) on the first 30 samples, with the overflow counts.
    const Batch few = FirstSamples(x, 30);
    OverflowReport fast_report, exact_report;
    Result<std::vector<Batch>> y = fast->Run({few}, nullptr, &fast_report);
    Result<std::vector<Batch>> y_exact = exact->Run({few}, nullptr, &exact_report);
    ASSERT_TRUE(y.ok()) << y.error().message();
    ASSERT_TRUE(y_exact.ok()) << y_exact.error().message();
    EXPECT_EQ((*y)[0].values, (*y_exact)[0].values) << "the int64 and exact paths differ";
    EXPECT_EQ(fast_report.ToString(), exact_report.ToString());

    // The recurrent layer's output h (20 units) against the float reference. The reference runs
    // the cell in double between QKeras' quantizers and outputs h before the state quantizer;
    // the emulator holds h in the state quantizer's type (LSB from 1 for the 0frac models down
    // to 2^-18), looks sigmoid up in hls4ml's 1024-entry table, and sums in accum_t (the
    // default fixed<16,6>). Over 20 steps a one-LSB difference can flip later quantization steps,
    // so single values can drift far on these random inputs (up to the full range for the coarsest
    // states); the mean difference stays within 0.4 state LSB + 0.02, which a wrong gate, type
    // or quantizer would break.
    ASSERT_EQ(got.values.size(), want.values.size());
    ASSERT_EQ(got.values.size(), 300u * 20u);
    const ir::Node* cell = RecurrentNode(fast->graph());
    ASSERT_NE(cell, nullptr);
    if (cell->settings.binary_state) {
      // The 1-bit models (0int, 0frac): the state quantizer is QKeras' binary sign, and the
      // emulator's h is the sign of the reference's h (+1 at 0), up to the table's steps: a
      // value within 2^-10 of 0 may go either way.
      EXPECT_NE(rel.find("_0frac.h5"), std::string::npos);
      std::vector<double> sign = want.values;
      ir::ApplyQuantizer(*cell->as<ir::RecurrentAttrs>().state_quantizer, sign);
      int64_t differ = 0, near_zero = 0;
      for (size_t i = 0; i < sign.size(); ++i) {
        if (got.values[i] == sign[i]) continue;
        ++differ;
        near_zero += std::abs(want.values[i]) < 0x1p-10 ? 1 : 0;
      }
      EXPECT_EQ(differ, near_zero) << "binary state values that differ away from 0";
      std::cout << fmt::format(
          "{}: binary state, {} of {} values differ from the sign of the "
          "reference ({} within 2^-10 of 0)\n",
          rel, differ, sign.size(), near_zero);
      ++binary;
      ++emulated;
      continue;
    }
    const double state_lsb = StateLsb(fast->graph());
    const Difference d = Compare(got.values, want.values);
    EXPECT_LE(d.mean, 0.4 * state_lsb + 0.02) << "the recurrent layer against the float reference";
    std::cout << fmt::format(
        "{}: state LSB {:.3g}, |emulator - reference| mean {:.3g}, max {:.3g}; {} path\n", rel,
        state_lsb, d.mean, d.max, fast->uses_int64() ? "int64" : "exact");
    ++emulated;
  }
  EXPECT_EQ(emulated, 60);
  EXPECT_EQ(binary, 2);
  std::cout << fmt::format("{} models emulated, {} with a binary state\n", emulated, binary);
}

// The same cells with everything around the quantizers made fine (every "auto" type
// fixed<40,12>: input, accum_t, result; a 65536-entry table in fixed<32,8>): then only the
// model's own quantizers (kernels, activations, state) and the sigmoid table remain, and the
// emulator's recurrent output approaches the float reference as the state gets finer. Models
// with at least 10 fractional bits: mean difference within half a state LSB + 4e-4 (the table's
// range ends at |x| = 8, where sigmoid is 0.99966), no value off by 0.05.
TEST(EmulatorRecurrentCorpus, TopTaggingFineConfigurationApproachesTheReference) {
  if (!fs::exists(kTopTag)) GTEST_SKIP() << "no top-tagging models at " << kTopTag;
  int checked = 0;
  for (const fs::path& file : QuantizedModels()) {
    const std::string rel = fs::relative(file, kTopTag).generic_string();
    const std::string stem = file.stem().string();  // model_q{gru,lstm}_<F>frac
    const int frac = std::stoi(stem.substr(stem.rfind('_') + 1));
    if (frac < 10) continue;
    SCOPED_TRACE(rel);
    Result<ir::Graph> graph = frontends::keras::LoadKerasModel(file.string(), {});
    ASSERT_TRUE(graph.ok()) << graph.error().message();
    const Batch x = RandomInputs(*graph, 100, static_cast<uint32_t>(checked + 100));
    RecurrentOutputs want;
    ASSERT_TRUE(reference::RunReference(*graph, {x}, &want).ok());
    Result<config::HlsConfig> cfg =
        config::ConfigFromGraph(*graph, config::Granularity::kName, "fixed<40,12>");
    ASSERT_TRUE(cfg.ok()) << cfg.error().message();
    ASSERT_TRUE(passes::Configure(*graph, *cfg, passes::ConfigureOptions{}).ok());
    for (ir::Node& n : graph->nodes()) {
      if (!n.is<ir::RecurrentAttrs>()) continue;
      n.settings.table_size = 65536;
      n.types["table"] = fixed::FixedType::Fixed(32, 8);
    }
    Result<Emulator> e = Emulator::Create(*graph);
    ASSERT_TRUE(e.ok()) << e.error().message();
    RecurrentOutputs got;
    ASSERT_TRUE(e->Run({x}, &got).ok());
    ASSERT_EQ(got.values.size(), want.values.size());
    const Difference d = Compare(got.values, want.values);
    const double lsb = StateLsb(*graph);
    EXPECT_LE(d.mean, 0.5 * lsb + 4e-4);
    EXPECT_LE(d.max, 0.05);
    std::cout << fmt::format(
        "{}: state LSB {:.3g}, |emulator - reference| mean {:.3g}, max {:.3g}\n", rel, lsb, d.mean,
        d.max);
    ++checked;
  }
  EXPECT_EQ(checked, 30);
}

}  // namespace
}  // namespace fixnn::emulator
