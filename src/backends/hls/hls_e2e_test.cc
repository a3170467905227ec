// The generated projects against the emulator, bit for bit: each fixture under each
// configuration is written, compiled with g++ (through ccache when present), run on 10,000
// random inputs, and every output value compared with emulator::Emulator's. Also the
// testbench, built and run on tb_data, against the emulator's outputs.
//
// Prints "<fixture>__<config>: <inputs> inputs, <values> values, <mismatches> mismatches" per
// case and the totals at the end.
#include <fmt/format.h>
#include <gtest/gtest.h>

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
  return info.param.fixture + "__" + info.param.config;
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
  const fs::path dir = ScratchDir(c.fixture) / "prj";
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
  std::printf("%s__%s: %lld inputs, %lld values, %lld mismatches\n", c.fixture.c_str(),
              c.config.c_str(), static_cast<long long>(kSamples), static_cast<long long>(values),
              static_cast<long long>(mismatches));
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
  for (const Case& c : {Case{"qk_jet_tagging_mlp", "softmax_stable"},
                        Case{"k3_activations_a", "rnd_sat"}, Case{"k3_merge_ops", "rnd_sat"},
                        Case{"k3_seq_dense", "resource_sat"}, Case{"qk_qbatchnorm", "default"}}) {
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

}  // namespace
}  // namespace fixnn::backends::hls
