// The generated projects against the emulator, bit for bit: each fixture under each
// configuration is written, compiled with g++ (through ccache when present), run on 10,000
// random inputs, and every output value compared with emulator::Emulator's. Also the
// testbench, built and run on tb_data, against the emulator's outputs.
//
// Prints "<fixture>__<config>: <inputs> inputs, <values> values, <mismatches> mismatches" per
// case and the totals at the end.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "backends/hls/compile.h"
#include "backends/hls/hls_test_util.h"
#include "backends/hls/project_writer.h"
#include "emulator/emulator.h"
#include "emulator/emulator_test_util.h"

namespace fixnn::backends::hls {
namespace {

namespace fs = std::filesystem;
using testing::LoadFixture;
using testing::RandomInputs;
using testing::ScratchDir;

constexpr int64_t kSamples = 10000;

struct Totals {
  int cases = 0;
  int64_t inputs = 0, values = 0, mismatches = 0;
  ~Totals() {
    if (cases > 0) {
      std::printf("HLS projects vs emulator: %d cases, %lld inputs, %lld values, %lld mismatches\n",
                  cases, static_cast<long long>(inputs), static_cast<long long>(values),
                  static_cast<long long>(mismatches));
    }
  }
};
Totals totals;

struct Case {
  std::string fixture, config;
  bool stream = false;  // io_stream
};

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  std::string fixture = info.param.fixture;
  std::replace(fixture.begin(), fixture.end(), '.', '_');
  return fixture + "__" + info.param.config + (info.param.stream ? "__io_stream" : "");
}

// Compares exactly; returns the mismatch count, describing the first few in `detail`.
int64_t Compare(const std::vector<reference::Batch>& want, const std::vector<reference::Batch>& got,
                std::string* detail, int64_t* values) {
  int64_t mismatches = 0;
  if (want.size() != got.size()) {
    *detail = fmt::format("{} outputs, expected {}", got.size(), want.size());
    return 1;
  }
  for (size_t k = 0; k < want.size(); ++k) {
    if (want[k].values.size() != got[k].values.size()) {
      *detail += fmt::format("output {}: {} values, expected {}\n", k, got[k].values.size(),
                             want[k].values.size());
      ++mismatches;
      continue;
    }
    const size_t per = want[k].values.size() / static_cast<size_t>(want[k].shape[0]);
    *values += static_cast<int64_t>(want[k].values.size());
    for (size_t i = 0; i < want[k].values.size(); ++i) {
      if (want[k].values[i] == got[k].values[i]) continue;
      if (mismatches++ < 5) {
        *detail += fmt::format("output {} sample {} index {}: emulator {}, project {}\n", k,
                               i / per, i % per, want[k].values[i], got[k].values[i]);
      }
    }
  }
  return mismatches;
}

class HlsProjectMatchesEmulator : public ::testing::TestWithParam<Case> {};

TEST_P(HlsProjectMatchesEmulator, OnRandomInputs) {
  const Case& c = GetParam();
  Result<ir::Graph> graph = LoadFixture(c.fixture, c.config);
  ASSERT_TRUE(graph.ok()) << graph.error().message();
  const fs::path dir = ScratchDir("case") / "prj";
  config::ProjectConfig project;
  project.project_name = "myproject";
  if (c.stream) project.io_type = config::IOType::kStream;
  WriteOptions options;
  options.output_dir = dir;
  Status written = WriteHlsProject(*graph, project, options);
  ASSERT_TRUE(written.ok()) << written.error().message();
  Result<CompiledProject> compiled = CompiledProject::Build(dir, "myproject");
  ASSERT_TRUE(compiled.ok()) << compiled.error().message();

  const std::vector<reference::Batch> inputs = RandomInputs(*graph, kSamples, 20261121);
  Result<emulator::Emulator> em = emulator::Emulator::Create(*graph);
  ASSERT_TRUE(em.ok()) << em.error().message();
  Result<std::vector<reference::Batch>> want = em->Run(inputs);
  ASSERT_TRUE(want.ok()) << want.error().message();
  Result<std::vector<reference::Batch>> got = compiled->Predict(inputs);
  ASSERT_TRUE(got.ok()) << got.error().message();
  std::string detail;
  int64_t values = 0;
  const int64_t mismatches = Compare(*want, *got, &detail, &values);
  int resource = 0;
  for (const ir::Node& node : graph->nodes()) {
    resource += node.settings.strategy == ir::Strategy::kResource ? 1 : 0;
  }
  std::printf("%s__%s%s: %lld inputs, %lld values, %lld mismatches (%d Resource layers)\n",
              c.fixture.c_str(), c.config.c_str(), c.stream ? " (io_stream)" : "",
              static_cast<long long>(kSamples), static_cast<long long>(values),
              static_cast<long long>(mismatches), resource);
  ++totals.cases;
  totals.inputs += kSamples;
  totals.values += values;
  totals.mismatches += mismatches;
  EXPECT_EQ(mismatches, 0) << detail;
  EXPECT_GT(values, 0);
  fs::remove_all(dir.parent_path());
}

// Runs a shell command in `dir`, returning its exit status and output.
int RunIn(const fs::path& dir, const std::string& command, std::string* output) {
  FILE* pipe = popen(fmt::format("cd '{}' && {} 2>&1", dir.string(), command).c_str(), "r");
  if (pipe == nullptr) return -1;
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) output->append(buf, n);
  return pclose(pipe);
}

// The testbench, compiled with g++ and run on tb_data, with every constant array read from its
// .txt file (as C simulation reads large ones): its results equal the emulator's, and so do the
// bridge's.
void ExpectTestbenchMatches(const std::string& fixture, const std::string& config_name,
                            bool stream) {
  Result<ir::Graph> graph = LoadFixture(fixture, config_name);
  ASSERT_TRUE(graph.ok()) << graph.error().message();
  Result<emulator::Emulator> em = emulator::Emulator::Create(*graph);
  ASSERT_TRUE(em.ok()) << em.error().message();
  const int64_t samples = 500;
  const std::vector<reference::Batch> inputs = RandomInputs(*graph, samples, 7);
  Result<std::vector<reference::Batch>> want = em->Run(inputs);
  ASSERT_TRUE(want.ok()) << want.error().message();

  const fs::path dir = ScratchDir("tb") / "prj";
  config::ProjectConfig project;
  project.project_name = "seq";
  if (stream) project.io_type = config::IOType::kStream;
  WriteOptions options;
  options.output_dir = dir;
  options.txt_threshold = 0;
  options.tb_inputs = inputs;
  options.tb_outputs = *want;
  Status written = WriteHlsProject(*graph, project, options);
  ASSERT_TRUE(written.ok()) << written.error().message();
  ASSERT_TRUE(fs::exists(dir / "firmware/weights/w2.txt"));

  std::string output;
  const int built = RunIn(dir,
                          "g++ -std=c++14 -O1 -Ifirmware -Ifirmware/ap_types firmware/seq.cpp "
                          "seq_test.cpp -o seq_tb",
                          &output);
  ASSERT_EQ(built, 0) << output;
  output.clear();
  const int ran = RunIn(dir, "./seq_tb", &output);
  EXPECT_EQ(ran, 0) << output;
  EXPECT_NE(output.find("500 samples, 0 values differ from tb_output_predictions.dat"),
            std::string::npos)
      << output;

  // csim_results.log, read back, against the emulator.
  std::ifstream log(dir / "tb_data/csim_results.log");
  std::vector<double> got;
  for (double v = 0; log >> v;) got.push_back(v);
  ASSERT_EQ(got.size(), (*want)[0].values.size());
  int64_t mismatches = 0;
  for (size_t i = 0; i < got.size(); ++i) mismatches += got[i] != (*want)[0].values[i];
  std::printf("testbench %s__%s%s: %lld inputs, %zu values, %lld mismatches\n", fixture.c_str(),
              config_name.c_str(), stream ? " (io_stream)" : "", static_cast<long long>(samples),
              got.size(), static_cast<long long>(mismatches));
  EXPECT_EQ(mismatches, 0);

  Result<CompiledProject> compiled = CompiledProject::Build(dir, "seq");
  ASSERT_TRUE(compiled.ok()) << compiled.error().message();
  Result<std::vector<reference::Batch>> bridged = compiled->Predict(inputs);
  ASSERT_TRUE(bridged.ok()) << bridged.error().message();
  EXPECT_EQ((*bridged)[0].values, (*want)[0].values);
  fs::remove_all(dir.parent_path());
}

TEST(HlsTestbench, MatchesEmulatorOnTbData) {
  ExpectTestbenchMatches("k3_seq_dense", "rnd_sat", false);
}

TEST(HlsTestbench, StreamMatchesEmulatorOnTbData) {
  ExpectTestbenchMatches("k3_seq_dense", "rnd_sat", true);
}

// Recurrent layers, their weights and tables read from .txt files (the cells' static state in
// the testbench's many calls).
TEST(HlsTestbench, RecurrentMatchesEmulatorOnTbData) {
  ExpectTestbenchMatches("k3_lstm", "default", false);
  ExpectTestbenchMatches("k3_gru_reset_after", "rnd_sat", true);
}

// The same projects compiled against the vendor's ap_types headers (the hls4ml wheel's copy,
// when installed) compute the same bits: the code is vendor C++, not fixnn-header C++.
TEST(HlsVendorHeaders, ComputeWhatTheEmulatorComputes) {
  const std::string vendor = FIXNN_VENDOR_AP_TYPES;
  if (vendor.empty()) GTEST_SKIP() << "the vendor ap_types headers are not installed";
  for (const Case& c :
       {Case{"qk_jet_tagging_mlp", "softmax_stable"}, Case{"k3_activations_a", "rnd_sat"},
        Case{"k3_merge_ops", "rnd_sat"}, Case{"k3_seq_dense", "resource_sat"},
        Case{"qk_qbatchnorm", "default"}, Case{"k3_cnn2d_classifier", "resource_sat"},
        Case{"k3_pooling2d", "rnd_sat"}, Case{"k3_pooling1d", "default"},
        Case{"k3_separable_conv2d.cut", "default"}, Case{"k2_reshape_pad_crop_upsample", "rnd_sat"},
        Case{"k3_dot.cut", "default"}, Case{"k3_embedding", "default"},
        Case{"qk_jet_tagging_mlp", "softmax_legacy"}, Case{"qk_binary_ternary_weights", "default"},
        Case{"qk_qactivation_misc.cut", "default"}, Case{"k3_merge_conv", "rnd_sat", true},
        Case{"k3_cnn1d_classifier", "rnd_sat", true}}) {
    Result<ir::Graph> graph = LoadFixture(c.fixture, c.config);
    ASSERT_TRUE(graph.ok()) << graph.error().message();
    const fs::path dir = ScratchDir("vendor") / "prj";
    config::ProjectConfig project;
    if (c.stream) project.io_type = config::IOType::kStream;
    WriteOptions options;
    options.output_dir = dir;
    Status written = WriteHlsProject(*graph, project, options);
    ASSERT_TRUE(written.ok()) << written.error().message();
    CompileOptions compile;
    compile.ap_include_dir = vendor;
    compile.extra_flags = {"-w", "-DNDEBUG"};  // the vendor headers are not warning-clean
    Result<CompiledProject> compiled = CompiledProject::Build(dir, project.project_name, compile);
    ASSERT_TRUE(compiled.ok()) << compiled.error().message();
    const std::vector<reference::Batch> inputs = RandomInputs(*graph, kSamples, 99);
    Result<emulator::Emulator> em = emulator::Emulator::Create(*graph);
    ASSERT_TRUE(em.ok()) << em.error().message();
    Result<std::vector<reference::Batch>> want = em->Run(inputs);
    Result<std::vector<reference::Batch>> got = compiled->Predict(inputs);
    ASSERT_TRUE(want.ok() && got.ok());
    std::string detail;
    int64_t values = 0;
    const int64_t mismatches = Compare(*want, *got, &detail, &values);
    std::printf("vendor headers %s__%s%s: %lld inputs, %lld values, %lld mismatches\n",
                c.fixture.c_str(), c.config.c_str(), c.stream ? " (io_stream)" : "",
                static_cast<long long>(kSamples), static_cast<long long>(values),
                static_cast<long long>(mismatches));
    EXPECT_EQ(mismatches, 0) << detail;
    fs::remove_all(dir.parent_path());
  }
}

// Writes, compiles and runs the project of `g` on kSamples random inputs; expects the
// emulator's outputs bit for bit. Prints "<label>: <inputs> inputs, <values> values, <n>
// mismatches".
void ExpectMatchesEmulator(const ir::Graph& g, const std::string& label, uint32_t seed,
                           config::IOType io = config::IOType::kParallel) {
  const fs::path dir = ScratchDir("built") / "prj";
  config::ProjectConfig project;
  project.io_type = io;
  WriteOptions options;
  options.output_dir = dir;
  Status written = WriteHlsProject(g, project, options);
  ASSERT_TRUE(written.ok()) << written.error().message();
  Result<CompiledProject> compiled = CompiledProject::Build(dir, project.project_name);
  ASSERT_TRUE(compiled.ok()) << compiled.error().message();
  Result<emulator::Emulator> em = emulator::Emulator::Create(g);
  ASSERT_TRUE(em.ok()) << em.error().message();
  const std::vector<reference::Batch> inputs = RandomInputs(g, kSamples, seed);
  Result<std::vector<reference::Batch>> want = em->Run(inputs);
  ASSERT_TRUE(want.ok()) << want.error().message();
  Result<std::vector<reference::Batch>> got = compiled->Predict(inputs);
  ASSERT_TRUE(got.ok()) << got.error().message();
  std::string detail;
  int64_t values = 0;
  const int64_t mismatches = Compare(*want, *got, &detail, &values);
  std::printf("%s: %lld inputs, %lld values, %lld mismatches\n", label.c_str(),
              static_cast<long long>(kSamples), static_cast<long long>(values),
              static_cast<long long>(mismatches));
  ++totals.cases;
  totals.inputs += kSamples;
  totals.values += values;
  totals.mismatches += mismatches;
  EXPECT_EQ(mismatches, 0) << detail;
  EXPECT_GT(values, 0);
  fs::remove_all(dir.parent_path());
}

// QKeras quantized_po2(bits[, max_value]) as the frontend builds it: exponents in [-2^k,
// 2^k - 1], k = bits - 1 - s, s = 0 when max_value <= 1 (else 1).
ir::Quantizer Po2(int bits, std::optional<double> max_value = std::nullopt) {
  ir::Quantizer q;
  q.kind = ir::QuantizerKind::kPo2;
  q.qkeras = true;
  q.straight_through = true;
  const int k = bits - 1 - (!max_value || *max_value > 1 ? 1 : 0);
  q.min_exponent = -(1 << k);
  q.max_exponent = (1 << k) - 1;
  q.po2_max_value = max_value;
  q.spelling = fmt::format("quantized_po2({})", bits);
  return q;
}

// n powers of two, +-2^e with e cycling through `exponents`, signs alternating in a pattern.
std::vector<double> Po2Values(int n, const std::vector<int>& exponents) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) {
    const double m = std::ldexp(1.0, exponents[static_cast<size_t>(i) % exponents.size()]);
    v.push_back((i * 7) % 3 == 1 ? -m : m);
  }
  return v;
}

// hls4ml's shifted products of quantized_po2 kernels: Conv1D and DepthwiseConv1D (inputs
// narrow enough that shifts drop bits), then a SeparableConv1D (its pointwise products can
// wrap in r_t) and a Dense over positions (dropping bits).
std::vector<ir::Graph> ExponentProductChains() {
  using emulator::testing::T;
  using emulator::testing::TypedWeight;
  ir::Node conv;
  conv.name = "conv";
  conv.source = "Conv1D";
  conv.attrs = ir::ConvAttrs{3, {3}, {1}, {1}, ir::Padding::kSame, 1, true};
  conv.weights.push_back(
      TypedWeight("kernel", {3, 2, 3}, Po2Values(18, {-8, -6, -3, 0, 1, 2, -1}), "fixed<16,4>"));
  conv.weights[0].quantizer = Po2(5);
  conv.weights.push_back(TypedWeight("bias", {3}, {0.5, -0.25, 0.125}, "fixed<16,6>"));
  conv.types["accum"] = T("fixed<24,10>");
  ir::Node dw;
  dw.name = "dw";
  dw.source = "DepthwiseConv1D";
  dw.attrs = ir::DepthwiseConvAttrs{1, {2}, {1}, {1}, ir::Padding::kValid, false};
  dw.weights.push_back(
      TypedWeight("depthwise_kernel", {2, 3, 1}, Po2Values(6, {-7, -2, 0, -5}), "fixed<16,4>"));
  dw.weights[0].quantizer = Po2(4, 1.0);
  dw.types["accum"] = T("fixed<20,8>");
  ir::Node sep;
  sep.name = "sep";
  sep.source = "SeparableConv1D";
  sep.attrs = ir::SeparableConvAttrs{2, 1, {2}, {1}, {1}, ir::Padding::kValid, true};
  sep.weights.push_back(
      TypedWeight("depthwise_kernel", {2, 3, 1}, Po2Values(6, {-8, -3, 0, 2}), "fixed<16,4>"));
  sep.weights[0].quantizer = Po2(4, 1.0);
  sep.weights.push_back(
      TypedWeight("pointwise_kernel", {1, 3, 2}, Po2Values(6, {1, -1, 0, -2}), "fixed<16,4>"));
  sep.weights[1].quantizer = Po2(3);
  sep.weights.push_back(TypedWeight("bias", {2}, {0.25, -0.5}, "fixed<16,6>"));
  sep.types["depthwise_accum"] = T("fixed<20,8>");
  sep.types["depthwise_result"] = T("fixed<4,7>");
  sep.types["pointwise_accum"] = T("fixed<24,10>");
  ir::Node dense = emulator::testing::DenseNode("fc", 2, 3, Po2Values(6, {-14, -4, 2, 0}), {},
                                                "fixed<20,4>", "", "fixed<32,10>");
  dense.weights[0].quantizer = Po2(6);
  for (ir::Node* n : {&conv, &dw, &sep, &dense}) n->settings.exponent_products = true;
  std::vector<ir::Graph> out;
  out.push_back(emulator::testing::ChainBuilder({6, 2}, "fixed<6,1>")
                    .Add(conv, "fixed<8,0,RND,SAT>")
                    .Add(dw, "fixed<12,4>")
                    .Finish());
  EXPECT_TRUE(out.back().MarkOutput("conv").ok());
  out.push_back(emulator::testing::ChainBuilder({5, 3}, "fixed<8,5>")
                    .Add(sep, "fixed<10,6,RND,SAT>")
                    .Add(dense, "fixed<32,10>")
                    .Finish());
  EXPECT_TRUE(out.back().MarkOutput("sep").ok());
  return out;
}

TEST(HlsHandBuilt, ExponentProductsMatchEmulator) {
  int uses = 0;
  for (const ir::Graph& g : ExponentProductChains()) {
    // The shifted products matter: exact products give other outputs (the last layer's).
    ir::Graph exact = g;
    for (ir::Node& n : exact.nodes()) n.settings.exponent_products = false;
    Result<emulator::Emulator> shifted = emulator::Emulator::Create(g);
    Result<emulator::Emulator> plain = emulator::Emulator::Create(exact);
    ASSERT_TRUE(shifted.ok() && plain.ok());
    const std::vector<reference::Batch> inputs = RandomInputs(g, 1000, 11);
    Result<std::vector<reference::Batch>> a = shifted->Run(inputs), b = plain->Run(inputs);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_NE((*a)[0].values, (*b)[0].values);
    // The kernels are stored as exponent codes.
    const fs::path dir = ScratchDir("po2") / "prj";
    WriteOptions options;
    options.output_dir = dir;
    ASSERT_TRUE(WriteHlsProject(g, config::ProjectConfig{}, options).ok());
    std::ifstream in(dir / "firmware/parameters.h");
    std::stringstream text;
    text << in.rdbuf();
    const std::string params = text.str();
    for (size_t at = params.find("fixnn::exponent_product<"); at != std::string::npos;
         at = params.find("fixnn::exponent_product<", at + 1)) {
      ++uses;
    }
    fs::remove_all(dir.parent_path());
    ExpectMatchesEmulator(g, fmt::format("hand-built exponent products ({})", g.nodes()[1].name),
                          11);
  }
  // Conv, DepthwiseConv, the pointwise stage and the Dense; the separable's depthwise products
  // are exact for its input type (then the plain product, as the emulator does).
  EXPECT_EQ(uses, 4);
}

// Layers no handled fixture holds (the fixtures with them also hold layers hls4ml does not
// convert): softplus, softsign, PReLU, ThresholdedReLU, argmax softmax, on a hand-built chain.
TEST(HlsHandBuilt, MatchesEmulator) {
  using emulator::testing::ActivationNode;
  using emulator::testing::DenseNode;
  using emulator::testing::TypedWeight;
  std::vector<double> k1, k2;
  for (int i = 0; i < 6 * 8; ++i) k1.push_back(((i * 37) % 23 - 11) / 8.0);
  for (int i = 0; i < 8 * 8; ++i) k2.push_back(((i * 29) % 19 - 9) / 16.0);
  ir::ActivationAttrs softplus{ir::ActivationFn::kSoftplus}, softsign{ir::ActivationFn::kSoftsign},
      thresholded{ir::ActivationFn::kThresholdedReLU}, argmax{ir::ActivationFn::kSoftmax};
  thresholded.threshold = 0.3;
  ir::Node prelu;
  prelu.name = "prelu";
  prelu.attrs = ir::PReLUAttrs{};
  std::vector<double> alphas;
  for (int i = 0; i < 8; ++i) alphas.push_back((i - 3) / 4.0);
  prelu.weights.push_back(TypedWeight("alpha", {8}, alphas, "fixed<6,2>"));
  // A Flatten configured with a narrower type than its input's casts every element.
  ir::Node flat;
  flat.name = "flat";
  flat.attrs = ir::FlattenAttrs{};
  ir::Node sm = ActivationNode("argmax", argmax, {{"inv_table", "fixed<18,8>"}});
  sm.settings.softmax_implementation = ir::SoftmaxImplementation::kArgmax;
  ir::Graph g =
      emulator::testing::ChainBuilder({6}, "fixed<12,5,RND,SAT>")
          .Add(DenseNode("fc1", 6, 8, k1, std::vector<double>(8, 0.125), "fixed<8,4>", "fixed<8,3>",
                         "fixed<20,9>"),
               "fixed<14,6,RND,SAT>")
          .Add(ActivationNode("softplus", softplus, {{"table", "fixed<18,6,RND,SAT>"}}),
               "fixed<12,5>")
          .Add(DenseNode("fc2", 8, 8, k2, {}, "fixed<8,3>", "", "fixed<12,4,TRN,SAT>"),
               "fixed<10,4,RND,SAT>")
          .Add(ActivationNode("softsign", softsign, {{"table", "fixed<16,2>"}}), "fixed<10,3>")
          .Add(prelu, "fixed<12,4>")
          .Add(ActivationNode("thr", thresholded, {{"param", "fixed<8,3>"}}), "fixed<12,4>")
          .Add(flat, "fixed<7,2,RND,SAT>")
          .Add(sm, "ufixed<2,1>")
          .Finish();
  // Every layer's result is an output too (a project with six output ports).
  for (const char* t : {"softplus", "softsign", "prelu", "thr", "flat"}) {
    ASSERT_TRUE(g.MarkOutput(t).ok());
  }
  const fs::path dir = ScratchDir("chain") / "prj";
  config::ProjectConfig project;
  WriteOptions options;
  options.output_dir = dir;
  Status written = WriteHlsProject(g, project, options);
  ASSERT_TRUE(written.ok()) << written.error().message();
  Result<CompiledProject> compiled = CompiledProject::Build(dir, project.project_name);
  ASSERT_TRUE(compiled.ok()) << compiled.error().message();
  Result<emulator::Emulator> em = emulator::Emulator::Create(g);
  ASSERT_TRUE(em.ok()) << em.error().message();
  const std::vector<reference::Batch> inputs = RandomInputs(g, kSamples, 3);
  Result<std::vector<reference::Batch>> want = em->Run(inputs);
  Result<std::vector<reference::Batch>> got = compiled->Predict(inputs);
  ASSERT_TRUE(want.ok() && got.ok());
  std::string detail;
  int64_t values = 0;
  const int64_t mismatches = Compare(*want, *got, &detail, &values);
  std::printf("hand-built chain: %lld inputs, %lld values, %lld mismatches\n",
              static_cast<long long>(kSamples), static_cast<long long>(values),
              static_cast<long long>(mismatches));
  EXPECT_EQ(mismatches, 0) << detail;
  fs::remove_all(dir.parent_path());
}

// Pooling of an unsigned input, whose max-pool pad value is 2^(I-1), a large positive value
// (hls4ml's pad value, which wins over smaller cells of a padded window), then average pooling
// with 'same' padding (counts of the unpadded cells) and a global average.
TEST(HlsHandBuilt, UnsignedPoolingMatchesEmulator) {
  auto pool = [](const std::string& name, ir::PoolKind kind, std::vector<int64_t> size,
                 std::vector<int64_t> strides, const std::string& accum) {
    ir::Node n;
    n.name = name;
    ir::PoolAttrs a;
    a.kind = kind;
    a.pool = std::move(size);
    a.strides = std::move(strides);
    a.padding = ir::Padding::kSame;
    n.attrs = a;
    n.types["accum"] = emulator::testing::T(accum);
    return n;
  };
  ir::Node gap;
  gap.name = "gap";
  ir::GlobalPoolAttrs ga;
  ga.kind = ir::PoolKind::kAverage;
  ga.spatial_rank = 2;
  gap.attrs = ga;
  gap.types["accum"] = emulator::testing::T("fixed<14,5>");
  ir::Graph g =
      emulator::testing::ChainBuilder({7, 6, 3}, "ufixed<8,3>")
          .Add(pool("max", ir::PoolKind::kMax, {3, 3}, {2, 2}, "ufixed<8,3>"), "ufixed<8,3>")
          .Add(pool("avg", ir::PoolKind::kAverage, {2, 3}, {1, 1}, "ufixed<10,3>"),
               "ufixed<7,3,RND,SAT>")
          .Add(gap, "fixed<10,4,RND,SAT>")
          .Finish();
  ASSERT_TRUE(g.MarkOutput("max").ok());
  ASSERT_TRUE(g.MarkOutput("avg").ok());
  const fs::path dir = ScratchDir("pool") / "prj";
  config::ProjectConfig project;
  WriteOptions options;
  options.output_dir = dir;
  Status written = WriteHlsProject(g, project, options);
  ASSERT_TRUE(written.ok()) << written.error().message();
  Result<CompiledProject> compiled = CompiledProject::Build(dir, project.project_name);
  ASSERT_TRUE(compiled.ok()) << compiled.error().message();
  Result<emulator::Emulator> em = emulator::Emulator::Create(g);
  ASSERT_TRUE(em.ok()) << em.error().message();
  const std::vector<reference::Batch> inputs = RandomInputs(g, kSamples, 5);
  Result<std::vector<reference::Batch>> want = em->Run(inputs);
  Result<std::vector<reference::Batch>> got = compiled->Predict(inputs);
  ASSERT_TRUE(want.ok() && got.ok());
  std::string detail;
  int64_t values = 0;
  const int64_t mismatches = Compare(*want, *got, &detail, &values);
  std::printf("hand-built unsigned pooling: %lld inputs, %lld values, %lld mismatches\n",
              static_cast<long long>(kSamples), static_cast<long long>(values),
              static_cast<long long>(mismatches));
  EXPECT_EQ(mismatches, 0) << detail;
  fs::remove_all(dir.parent_path());
  ExpectMatchesEmulator(g, "hand-built unsigned pooling (io_stream)", 5, config::IOType::kStream);
}

// Line-buffer geometry in io_stream: a 'same' Conv2D with a tall kernel (several output rows
// end at the last input row), a 'same' DepthwiseConv2D with stride 2 on odd sizes, a 'same' max
// pool, and a 'valid' Conv2D whose stride exceeds its kernel (input rows no window reads).
TEST(HlsHandBuilt, StreamWindowGeometryMatchesEmulator) {
  using emulator::testing::T;
  using emulator::testing::TypedWeight;
  auto values = [](int n, int mul, int mod, double scale) {
    std::vector<double> v;
    for (int i = 0; i < n; ++i) v.push_back(((i * mul) % mod - mod / 2) * scale);
    return v;
  };
  ir::Node conv;
  conv.name = "tall";
  conv.source = "Conv2D";
  conv.attrs = ir::ConvAttrs{3, {5, 3}, {1, 2}, {1, 1}, ir::Padding::kSame, 1, true};
  conv.weights.push_back(
      TypedWeight("kernel", {5, 3, 2, 3}, values(90, 37, 23, 0.0625), "fixed<8,2>"));
  conv.weights.push_back(TypedWeight("bias", {3}, {0.5, -0.25, 0.125}, "fixed<8,3>"));
  conv.types["accum"] = T("fixed<20,8>");
  ir::Node dw;
  dw.name = "dw";
  dw.source = "DepthwiseConv2D";
  dw.attrs = ir::DepthwiseConvAttrs{1, {3, 3}, {2, 2}, {1, 1}, ir::Padding::kSame, true};
  dw.weights.push_back(
      TypedWeight("depthwise_kernel", {3, 3, 3, 1}, values(27, 29, 19, 0.125), "fixed<8,3>"));
  dw.weights.push_back(TypedWeight("bias", {3}, {-0.5, 0.25, 0}, "fixed<8,3>"));
  dw.types["accum"] = T("fixed<18,8>");
  ir::Node pool;
  pool.name = "pool";
  ir::PoolAttrs pa;
  pa.kind = ir::PoolKind::kMax;
  pa.pool = {3, 2};
  pa.strides = {1, 1};
  pa.padding = ir::Padding::kSame;
  pool.attrs = pa;
  pool.types["accum"] = T("fixed<12,6>");
  ir::Node skip;
  skip.name = "skip";
  skip.source = "Conv2D";
  skip.attrs = ir::ConvAttrs{2, {2, 1}, {3, 3}, {1, 1}, ir::Padding::kValid, 1, false};
  skip.weights.push_back(
      TypedWeight("kernel", {2, 1, 3, 2}, values(12, 7, 11, 0.25), "fixed<8,3>"));
  skip.types["accum"] = T("fixed<18,8>");
  ir::Graph g = emulator::testing::ChainBuilder({7, 5, 2}, "fixed<10,4>")
                    .Add(conv, "fixed<12,5,RND,SAT>")
                    .Add(dw, "fixed<12,6>")
                    .Add(pool, "fixed<12,6>")
                    .Add(skip, "fixed<16,8>")
                    .Finish();
  for (const char* t : {"tall", "dw", "pool"}) ASSERT_TRUE(g.MarkOutput(t).ok());
  ExpectMatchesEmulator(g, "hand-built window geometry (io_stream)", 17, config::IOType::kStream);
}

// Every fixture under hls4ml's default configuration: the writer writes it, or refuses it with
// the emulator's own message when the emulator refuses the graph, or names the layer it does
// not handle yet; a written one is written in io_stream too or the layer not streamed yet is
// named. A fixture with recurrent layers is written in both IO types whenever the emulator
// computes it. Prints one line per fixture.
TEST(HlsFixtures, WrittenOrRefusedLikeTheEmulator) {
  std::vector<std::string> fixtures;
  for (const auto& e : fs::directory_iterator(FIXNN_KERAS_FIXTURES)) {
    if (e.is_directory()) fixtures.push_back(e.path().filename().string());
  }
  std::sort(fixtures.begin(), fixtures.end());
  int written = 0, refused_like_emulator = 0, not_handled = 0, written_stream = 0;
  int recurrent_loaded = 0, recurrent_written = 0;
  for (const std::string& f : fixtures) {
    Result<ir::Graph> graph = LoadFixture(f, "default");
    if (!graph.ok()) {
      std::printf("%s: not loaded (%s)\n", f.c_str(), graph.error().message().c_str());
      continue;
    }
    const fs::path dir = ScratchDir("scan") / "prj";
    config::ProjectConfig project;
    WriteOptions options;
    options.output_dir = dir;
    Status st = WriteHlsProject(*graph, project, options);
    Result<emulator::Emulator> em = emulator::Emulator::Create(*graph);
    // Recurrent layers are written whenever the emulator computes them, in either IO type.
    const bool recurrent =
        std::any_of(graph->nodes().begin(), graph->nodes().end(), [](const ir::Node& n) {
          return n.is<ir::RecurrentAttrs>() || n.is<ir::BidirectionalAttrs>();
        });
    if (recurrent) {
      ++recurrent_loaded;
      EXPECT_TRUE(st.ok() || !em.ok()) << f << ": " << st.error().message();
    }
    if (st.ok()) {
      ++written;
      EXPECT_TRUE(em.ok()) << f;
      std::printf("%s: written\n", f.c_str());
      // io_stream writes it too, or names the layer it does not stream yet.
      const fs::path stream_dir = ScratchDir("scan") / "prj";
      options.output_dir = stream_dir;
      project.io_type = config::IOType::kStream;
      Status streamed = WriteHlsProject(*graph, project, options);
      EXPECT_TRUE(streamed.ok() || !recurrent) << f << ": " << streamed.error().message();
      if (streamed.ok()) {
        ++written_stream;
        recurrent_written += recurrent ? 1 : 0;
        std::printf("%s: written in io_stream\n", f.c_str());
      } else {
        EXPECT_EQ(streamed.error().message().rfind("layer '", 0), 0u) << f;
        EXPECT_NE(streamed.error().message().find("in io_stream yet"), std::string::npos) << f;
        std::printf("%s: not in io_stream: %s\n", f.c_str(), streamed.error().message().c_str());
      }
      fs::remove_all(stream_dir.parent_path());
    } else if (!em.ok()) {
      ++refused_like_emulator;
      EXPECT_EQ(st.error().message(), em.error().message()) << f;
      std::printf("%s: refused like the emulator: %s\n", f.c_str(), st.error().message().c_str());
    } else {
      ++not_handled;
      EXPECT_NE(st.error().message().find("the HLS writer does not handle"), std::string::npos)
          << f << ": " << st.error().message();
      EXPECT_EQ(st.error().message().rfind("layer '", 0), 0u) << f << ": " << st.error().message();
      std::printf("%s: not handled: %s\n", f.c_str(), st.error().message().c_str());
    }
    fs::remove_all(dir.parent_path());
  }
  std::printf(
      "fixtures: %d written (%d also in io_stream), %d refused like the emulator, %d not handled "
      "yet\n",
      written, written_stream, refused_like_emulator, not_handled);
  std::printf("recurrent fixtures: %d configured in hls4ml's mode, %d written in both IO types\n",
              recurrent_loaded, recurrent_written);
  EXPECT_GT(written, 0);
  // At least k3_lstm, k3_embedding_lstm and k3_gru_reset_after (the others are refused in
  // hls4ml's mode; hls_recurrent_e2e_test.cc writes them all in fixnn's).
  EXPECT_GE(recurrent_written, 3);
}

// Every fixture whose layers the writer handles, under hls4ml's default configuration and
// rnd_sat; the softmax and Resource configurations where the fixture has those layers.
INSTANTIATE_TEST_SUITE_P(
    Fixtures, HlsProjectMatchesEmulator,
    ::testing::Values(
        Case{"qk_jet_tagging_mlp", "default"}, Case{"qk_jet_tagging_mlp", "rnd_sat"},
        Case{"k3_seq_dense", "default"}, Case{"k3_seq_dense", "rnd_sat"},
        Case{"k3_dense_no_bias", "default"}, Case{"k3_dense_no_bias", "rnd_sat"},
        Case{"k2_seq_dense", "default"}, Case{"k2_seq_dense", "rnd_sat"},
        Case{"k3_batchnorm_dense", "default"}, Case{"k3_batchnorm_dense", "rnd_sat"},
        Case{"k3_activations_a", "default"}, Case{"k3_activations_a", "rnd_sat"},
        Case{"k3_merge_ops", "default"}, Case{"k3_merge_ops", "rnd_sat"},
        Case{"k3_shared_layer", "default"}, Case{"k3_shared_layer", "rnd_sat"},
        Case{"k3_concatenate_axes", "default"}, Case{"k3_concatenate_axes", "rnd_sat"},
        Case{"k3_softmax_axis", "default"}, Case{"k3_softmax_axis", "rnd_sat"},
        Case{"qk_qactivation_bits", "default"}, Case{"qk_qactivation_bits", "rnd_sat"},
        Case{"qk_quantized_relu", "default"}, Case{"qk_quantized_relu", "rnd_sat"},
        Case{"qk_qbatchnorm", "default"}, Case{"qk_qbatchnorm", "rnd_sat"},
        Case{"qk_jet_tagging_mlp", "softmax_stable"}, Case{"qk_jet_tagging_mlp", "softmax_latency"},
        Case{"k3_seq_dense", "softmax_stable"}, Case{"k3_seq_dense", "softmax_latency"},
        Case{"k3_softmax_axis", "softmax_stable"}, Case{"k3_softmax_axis", "softmax_latency"},
        Case{"qk_jet_tagging_mlp", "resource_sat"}, Case{"k3_seq_dense", "resource_sat"},
        Case{"k3_dense_no_bias", "resource_sat"}, Case{"k2_seq_dense", "resource_sat"},
        Case{"qk_jet_tagging_mlp", "resource_big_rf"}, Case{"k3_dense_no_bias", "resource_big_rf"}),
    CaseName);

// Convolutions (Conv1D, Conv2D: valid, same, causal padding, strides, no bias, 1x1) under the
// default configuration, rnd_sat, and the Resource strategy.
INSTANTIATE_TEST_SUITE_P(
    Conv, HlsProjectMatchesEmulator,
    ::testing::Values(
        Case{"k3_conv2d", "default"}, Case{"k3_conv2d", "rnd_sat"},
        Case{"k3_conv2d", "resource_sat"}, Case{"k3_conv2d", "resource_big_rf"},
        Case{"k3_conv1d.cut", "default"}, Case{"k3_conv1d.cut", "rnd_sat"},
        Case{"k3_conv1d.cut", "resource_sat"}, Case{"k3_conv1d_causal.cut", "default"},
        Case{"k3_conv1d_causal.cut", "rnd_sat"}, Case{"k3_conv2d_strides_dilation.cut", "default"},
        Case{"k3_conv2d_strides_dilation.cut", "rnd_sat"}, Case{"qk_qconv2d", "default"},
        Case{"qk_qconv2d", "rnd_sat"}, Case{"qk_qconv2d", "resource_sat"},
        Case{"k3_merge_conv", "default"}, Case{"k3_merge_conv", "rnd_sat"},
        Case{"k3_cnn1d_classifier", "default"}, Case{"k3_cnn1d_classifier", "rnd_sat"},
        Case{"k3_cnn1d_classifier", "resource_sat"}, Case{"k3_cnn2d_classifier", "default"},
        Case{"k3_cnn2d_classifier", "rnd_sat"}, Case{"k3_cnn2d_classifier", "resource_sat"}),
    CaseName);

// Pooling (max, average; 1D, 2D; valid and same padding) and global pooling.
INSTANTIATE_TEST_SUITE_P(
    Pool, HlsProjectMatchesEmulator,
    ::testing::Values(Case{"k3_pooling1d", "default"}, Case{"k3_pooling1d", "rnd_sat"},
                      Case{"k3_pooling2d", "default"}, Case{"k3_pooling2d", "rnd_sat"},
                      Case{"k2_conv1d_pool.cut", "default"}, Case{"k2_conv1d_pool.cut", "rnd_sat"},
                      Case{"k2_conv2d_pool.cut", "default"}, Case{"k2_conv2d_pool.cut", "rnd_sat"},
                      Case{"qk_qpooling.cut", "default"}, Case{"qk_qpooling.cut", "rnd_sat"}),
    CaseName);

// DepthwiseConv (1D, 2D) and SeparableConv (1D, 2D; the depthwise_result intermediate type).
INSTANTIATE_TEST_SUITE_P(
    Depthwise, HlsProjectMatchesEmulator,
    ::testing::Values(
        Case{"k3_depthwise_conv1d.cut", "default"}, Case{"k3_depthwise_conv1d.cut", "rnd_sat"},
        Case{"k3_depthwise_conv2d.cut", "default"}, Case{"k3_depthwise_conv2d.cut", "rnd_sat"},
        Case{"k3_separable_conv1d.cut", "default"}, Case{"k3_separable_conv1d.cut", "rnd_sat"},
        Case{"k3_separable_conv2d.cut", "default"}, Case{"k3_separable_conv2d.cut", "rnd_sat"},
        Case{"qk_qdepthwise_conv2d.cut", "default"}, Case{"qk_qdepthwise_conv2d.cut", "rnd_sat"},
        Case{"qk_qdepthwise_conv2d_batchnorm", "default"},
        Case{"qk_qdepthwise_conv2d_batchnorm", "rnd_sat"},
        Case{"qk_qseparable_conv1d.cut", "default"}, Case{"qk_qseparable_conv1d.cut", "rnd_sat"},
        Case{"qk_qseparable_conv2d.cut", "default"}, Case{"qk_qseparable_conv2d.cut", "rnd_sat"}),
    CaseName);

// Permute, ZeroPadding, Cropping, UpSampling (nearest), Dot, Embedding.
INSTANTIATE_TEST_SUITE_P(
    Layout, HlsProjectMatchesEmulator,
    ::testing::Values(Case{"k3_reshape_permute_flatten.cut", "default"},
                      Case{"k3_reshape_permute_flatten.cut", "rnd_sat"},
                      Case{"k2_reshape_pad_crop_upsample", "default"},
                      Case{"k2_reshape_pad_crop_upsample", "rnd_sat"},
                      Case{"k3_pad_crop_upsample_1d", "default"},
                      Case{"k3_pad_crop_upsample_1d", "rnd_sat"},
                      Case{"k3_pad_crop_upsample_2d.cut", "default"},
                      Case{"k3_pad_crop_upsample_2d.cut", "rnd_sat"}, Case{"k3_dot.cut", "default"},
                      Case{"k3_dot.cut", "rnd_sat"}, Case{"k2_merge_dot.cut", "default"},
                      Case{"k2_merge_dot.cut", "rnd_sat"}, Case{"k3_embedding", "default"},
                      Case{"k3_embedding", "rnd_sat"}, Case{"k2_embedding", "default"},
                      Case{"k2_embedding", "rnd_sat"}),
    CaseName);

// The legacy softmax; power-of-two scales (QKeras alpha 'auto_po2'); quantized_po2 kernels
// multiplied as hls4ml's weight_exponential; binary and ternary activations.
INSTANTIATE_TEST_SUITE_P(
    Misc, HlsProjectMatchesEmulator,
    ::testing::Values(
        Case{"qk_jet_tagging_mlp", "softmax_legacy"}, Case{"k3_seq_dense", "softmax_legacy"},
        Case{"k3_softmax_axis", "softmax_legacy"}, Case{"qk_po2_weights", "default"},
        Case{"qk_po2_weights", "rnd_sat"}, Case{"qk_po2_weights", "exponent_products"},
        Case{"qk_po2_weights", "exponent_products_rnd_sat"},
        Case{"qk_binary_ternary_weights", "default"}, Case{"qk_binary_ternary_weights", "rnd_sat"},
        Case{"qk_quantized_bits_objects", "default"}, Case{"qk_quantized_bits_objects", "rnd_sat"},
        Case{"qk_quantized_bits_strings", "default"}, Case{"qk_quantized_bits_strings", "rnd_sat"},
        Case{"qk_qactivation_misc.cut", "default"}, Case{"qk_qactivation_misc.cut", "rnd_sat"}),
    CaseName);

// io_stream projects (the vendor-header test adds k3_merge_conv and k3_cnn1d_classifier, the
// testbench test k3_seq_dense): dense MLPs; Conv1D, Conv2D, depthwise, separable convolutions
// and pooling through line buffers (valid, same, causal padding, strides, Resource); global
// pooling; activations, quantizers, BatchNorm, softmax, merges and last-axis concatenations per
// packet; branches (streams cloned for several readers) and several inputs and outputs;
// padding, cropping and upsampling streamed; flatten, other concatenations, Dot and embedding
// in buffered form.
INSTANTIATE_TEST_SUITE_P(
    Stream, HlsProjectMatchesEmulator,
    ::testing::Values(
        Case{"qk_jet_tagging_mlp", "default", true}, Case{"k3_activations_a", "rnd_sat", true},
        Case{"qk_qactivation_bits", "default", true}, Case{"qk_qbatchnorm", "rnd_sat", true},
        Case{"k3_merge_ops", "default", true}, Case{"k3_resnet_block", "rnd_sat", true},
        Case{"k3_multi_io_branches", "default", true}, Case{"k3_concatenate_axes", "rnd_sat", true},
        Case{"k3_softmax_axis", "softmax_stable", true},
        Case{"k3_conv1d_causal.cut", "default", true},
        Case{"k3_conv2d_strides_dilation.cut", "rnd_sat", true},
        Case{"k3_conv2d", "resource_sat", true}, Case{"k3_cnn2d_classifier", "rnd_sat", true},
        Case{"k2_conv2d_pool.cut", "default", true}, Case{"k3_pooling2d", "rnd_sat", true},
        Case{"k3_pooling1d", "default", true}, Case{"qk_qpooling.cut", "rnd_sat", true},
        Case{"k3_depthwise_conv2d.cut", "rnd_sat", true},
        Case{"k3_separable_conv1d.cut", "default", true},
        Case{"qk_qseparable_conv2d.cut", "rnd_sat", true},
        Case{"k3_pad_crop_upsample_2d.cut", "default", true},
        Case{"k3_pad_crop_upsample_1d", "rnd_sat", true}, Case{"k3_embedding", "default", true},
        Case{"k2_merge_dot.cut", "rnd_sat", true},
        Case{"qk_po2_weights", "exponent_products", true}),
    CaseName);

}  // namespace
}  // namespace fixnn::backends::hls
