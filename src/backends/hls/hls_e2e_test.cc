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
#include <cstdlib>
#include <filesystem>
#include <fstream>
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
};

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  std::string fixture = info.param.fixture;
  std::replace(fixture.begin(), fixture.end(), '.', '_');
  return fixture + "__" + info.param.config;
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
  std::printf("%s__%s: %lld inputs, %lld values, %lld mismatches (%d Resource layers)\n",
              c.fixture.c_str(), c.config.c_str(), static_cast<long long>(kSamples),
              static_cast<long long>(values), static_cast<long long>(mismatches), resource);
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
TEST(HlsTestbench, MatchesEmulatorOnTbData) {
  Result<ir::Graph> graph = LoadFixture("k3_seq_dense", "rnd_sat");
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
  std::printf("testbench k3_seq_dense__rnd_sat: %lld inputs, %zu values, %lld mismatches\n",
              static_cast<long long>(samples), got.size(), static_cast<long long>(mismatches));
  EXPECT_EQ(mismatches, 0);

  Result<CompiledProject> compiled = CompiledProject::Build(dir, "seq");
  ASSERT_TRUE(compiled.ok()) << compiled.error().message();
  Result<std::vector<reference::Batch>> bridged = compiled->Predict(inputs);
  ASSERT_TRUE(bridged.ok()) << bridged.error().message();
  EXPECT_EQ((*bridged)[0].values, (*want)[0].values);
  fs::remove_all(dir.parent_path());
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
        Case{"qk_qactivation_misc.cut", "default"}}) {
    Result<ir::Graph> graph = LoadFixture(c.fixture, c.config);
    ASSERT_TRUE(graph.ok()) << graph.error().message();
    const fs::path dir = ScratchDir("vendor") / "prj";
    config::ProjectConfig project;
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
    std::printf("vendor headers %s__%s: %lld inputs, %lld values, %lld mismatches\n",
                c.fixture.c_str(), c.config.c_str(), static_cast<long long>(kSamples),
                static_cast<long long>(values), static_cast<long long>(mismatches));
    EXPECT_EQ(mismatches, 0) << detail;
    fs::remove_all(dir.parent_path());
  }
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
}

// Every fixture under hls4ml's default configuration: the writer writes it, or refuses it with
// the emulator's own message when the emulator refuses the graph, or names the layer it does
// not handle yet. Prints one line per fixture.
TEST(HlsFixtures, WrittenOrRefusedLikeTheEmulator) {
  std::vector<std::string> fixtures;
  for (const auto& e : fs::directory_iterator(FIXNN_KERAS_FIXTURES)) {
    if (e.is_directory()) fixtures.push_back(e.path().filename().string());
  }
  std::sort(fixtures.begin(), fixtures.end());
  int written = 0, refused_like_emulator = 0, not_handled = 0;
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
    if (st.ok()) {
      ++written;
      EXPECT_TRUE(em.ok()) << f;
      std::printf("%s: written\n", f.c_str());
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
  std::printf("fixtures: %d written, %d refused like the emulator, %d not handled yet\n", written,
              refused_like_emulator, not_handled);
  EXPECT_GT(written, 0);
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

// The legacy softmax; power-of-two scales (QKeras alpha 'auto_po2'); binary and ternary
// activations.
INSTANTIATE_TEST_SUITE_P(
    Misc, HlsProjectMatchesEmulator,
    ::testing::Values(
        Case{"qk_jet_tagging_mlp", "softmax_legacy"}, Case{"k3_seq_dense", "softmax_legacy"},
        Case{"k3_softmax_axis", "softmax_legacy"}, Case{"qk_po2_weights", "default"},
        Case{"qk_po2_weights", "rnd_sat"}, Case{"qk_binary_ternary_weights", "default"},
        Case{"qk_binary_ternary_weights", "rnd_sat"}, Case{"qk_quantized_bits_objects", "default"},
        Case{"qk_quantized_bits_objects", "rnd_sat"}, Case{"qk_quantized_bits_strings", "default"},
        Case{"qk_quantized_bits_strings", "rnd_sat"}, Case{"qk_qactivation_misc.cut", "default"},
        Case{"qk_qactivation_misc.cut", "rnd_sat"}),
    CaseName);

}  // namespace
}  // namespace fixnn::backends::hls
