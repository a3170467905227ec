// Corpus tier: QKeras top-tagging recurrent models of ../shared/models/HLS4ML_RNN (20 units over
// 20 steps of 6 constituents; QGRU and QLSTM with quantized_tanh activations, state quantizers
// and auto_po2 kernels, and their float LSTM and GRU), configured with fixnn's defaults, written
// as HLS projects, compiled with g++ and run on 10,000 random inputs: every output (the
// classifier's and the recurrent layer's) equals the emulator's, bit for bit. Skipped without
// that folder.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "backends/hls/compile.h"
#include "backends/hls/hls_test_util.h"
#include "backends/hls/project_writer.h"
#include "config/config_from_graph.h"
#include "emulator/emulator.h"
#include "frontends/keras/keras_frontend.h"
#include "ir/shape_inference.h"
#include "passes/configure.h"

namespace fixnn::backends::hls {
namespace {

namespace fs = std::filesystem;

const fs::path kTopTag =
    fs::path(FIXNN_SHARED_MODELS_DIR) / "HLS4ML_RNN/src/python/hls4ml-rnn-toptag/qkeras";

constexpr int64_t kSamples = 10000;

// Inputs uniform in [-2, 2) (the constituents' range), rounded to float32.
reference::Batch UniformInputs(const ir::Graph& g, uint32_t seed) {
  reference::Batch b;
  b.shape = g.FindTensor(g.inputs()[0])->shape;
  const int64_t per = ir::NumElements(b.shape);
  b.shape.insert(b.shape.begin(), kSamples);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-2.0, 2.0);
  b.values.resize(static_cast<size_t>(per * kSamples));
  for (double& v : b.values) v = static_cast<float>(u(rng));
  return b;
}

void ExpectProjectMatchesEmulator(const std::string& model, config::IOType io) {
  const fs::path file = kTopTag / model;
  Result<ir::Graph> g = frontends::keras::LoadKerasModel(file.string());
  ASSERT_TRUE(g.ok()) << g.error().message();
  Result<config::HlsConfig> c = config::ConfigFromGraph(*g, config::Granularity::kName);
  ASSERT_TRUE(c.ok()) << c.error().message();
  ASSERT_TRUE(passes::Configure(*g, *c).ok());
  ASSERT_TRUE(ir::InferShapes(*g).ok());
  // The recurrent layers' outputs are compared too, not only the classifier's.
  for (const ir::Node& node : g->nodes()) {
    if (node.is<ir::RecurrentAttrs>()) ASSERT_TRUE(g->MarkOutput(node.outputs[0]).ok());
  }
  const fs::path dir = testing::ScratchDir("rnn-corpus") / "prj";
  config::ProjectConfig project;
  project.io_type = io;
  WriteOptions options;
  options.output_dir = dir;
  Status written = WriteHlsProject(*g, project, options);
  ASSERT_TRUE(written.ok()) << written.error().message();
  Result<CompiledProject> compiled = CompiledProject::Build(dir, project.project_name);
  ASSERT_TRUE(compiled.ok()) << compiled.error().message();
  Result<emulator::Emulator> em = emulator::Emulator::Create(*g);
  ASSERT_TRUE(em.ok()) << em.error().message();
  const std::vector<reference::Batch> inputs = {UniformInputs(*g, 20261123)};
  Result<std::vector<reference::Batch>> want = em->Run(inputs);
  Result<std::vector<reference::Batch>> got = compiled->Predict(inputs);
  ASSERT_TRUE(want.ok() && got.ok());
  ASSERT_EQ(want->size(), got->size());
  int64_t values = 0, mismatches = 0;
  for (size_t k = 0; k < want->size(); ++k) {
    ASSERT_EQ((*want)[k].values.size(), (*got)[k].values.size());
    values += static_cast<int64_t>((*want)[k].values.size());
    for (size_t i = 0; i < (*want)[k].values.size(); ++i) {
      mismatches += (*want)[k].values[i] != (*got)[k].values[i];
    }
  }
  std::printf("%s%s: %lld inputs, %lld values, %lld mismatches\n", model.c_str(),
              io == config::IOType::kStream ? " (io_stream)" : "", static_cast<long long>(kSamples),
              static_cast<long long>(values), static_cast<long long>(mismatches));
  EXPECT_EQ(mismatches, 0) << model;
  EXPECT_GT(values, 0) << model;
  fs::remove_all(dir.parent_path());
}

TEST(HlsRecurrentCorpus, TopTaggingModelsMatchEmulator) {
  if (!fs::exists(kTopTag)) GTEST_SKIP() << "no top-tagging models at " << kTopTag;
  ExpectProjectMatchesEmulator("qgru_2int_test5/model_qgru_6frac.h5", config::IOType::kParallel);
  ExpectProjectMatchesEmulator("qlstm_2int_test5/model_qlstm_6frac.h5", config::IOType::kParallel);
  ExpectProjectMatchesEmulator("qlstm_0int_test5/model_qlstm_8frac.h5", config::IOType::kStream);
  ExpectProjectMatchesEmulator("lstm/model_toptag_lstm.h5", config::IOType::kParallel);
  ExpectProjectMatchesEmulator("gru/model_gru.h5", config::IOType::kStream);
  // The 1-bit models: QKeras' binary state quantizer (the state +-1).
  ExpectProjectMatchesEmulator("qgru_0int_test5/model_qgru_0frac.h5", config::IOType::kParallel);
  ExpectProjectMatchesEmulator("qlstm_0int_test5/model_qlstm_0frac.h5", config::IOType::kStream);
}

}  // namespace
}  // namespace fixnn::backends::hls
