// Recurrent layers (LSTM, GRU with reset_after true and false, SimpleRNN, go_backwards,
// return_sequences, return_state, Bidirectional with every merge mode, QKeras activation
// quantizers) in generated projects against the emulator, bit for bit: each case is written,
// compiled with g++ (through ccache when present), run on 10,000 random inputs, and every
// output value compared with emulator::Emulator's.
//
// Configurations (fixnn's own choices unless said; applied to config_from_keras_model with
// granularity 'name'):
//   default       unchanged
//   rnd_sat       every layer's result (and so a recurrent layer's state) fixed<12,4,RND,SAT>
//   resource      recurrent layers Resource: x W with the smallest valid reuse factor above 1,
//                 h U with another one (RecurrentReuseFactor; a Bidirectional's Forward* and
//                 Backward* keys differ too), accum fixed<8,1,RND,SAT> so that the summation
//                 order shows
//   static_false  recurrent layers Static: false (the state passed in and out of the cell)
//   hls4ml        hls4ml's choices (passes::ConfigureOptions::Hls4ml()), where fixnn accepts
//                 the model in that mode
// Prints "<fixture>__<config>: <inputs> inputs, <values> values, <mismatches> mismatches" per
// case and the totals at the end.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "backends/hls/compile.h"
#include "backends/hls/hls_test_util.h"
#include "backends/hls/project_writer.h"
#include "config/config_from_graph.h"
#include "emulator/emulator.h"
#include "emulator/emulator_test_util.h"
#include "frontends/keras/keras_frontend.h"
#include "ir/shape_inference.h"
#include "passes/configure.h"
#include "passes/validate_reuse_factors.h"

namespace fixnn::backends::hls {
namespace {

namespace fs = std::filesystem;
using testing::RandomInputs;
using testing::ScratchDir;

constexpr int64_t kSamples = 10000;

struct Totals {
  int cases = 0;
  int64_t inputs = 0, values = 0, mismatches = 0;
  ~Totals() {
    if (cases > 0) {
      std::printf(
          "HLS recurrent projects vs emulator: %d cases, %lld inputs, %lld values, %lld "
          "mismatches\n",
          cases, static_cast<long long>(inputs), static_cast<long long>(values),
          static_cast<long long>(mismatches));
    }
  }
};
Totals totals;

bool IsRecurrent(const ir::Node& node) {
  return node.is<ir::RecurrentAttrs>() || node.is<ir::BidirectionalAttrs>();
}

config::PrecisionSpec Spec(const char* text) {
  return config::PrecisionSpec::Of(*fixed::ParseFixedType(text));
}

// A valid reuse factor above 1 for an n_in x n_out product other than `avoid`, below n_in
// where one is (a strided summation order); 1 when there is none.
int64_t PickReuse(int64_t n_in, int64_t n_out, int64_t avoid) {
  const std::vector<int64_t> valid = passes::ValidReuseFactors(n_in, n_out);
  for (int64_t v : valid) {
    if (v > 1 && v < n_in && v != avoid) return v;
  }
  for (int64_t v : valid) {
    if (v > 1 && v != avoid) return v;
  }
  return 1;
}

int64_t Gates(const ir::RecurrentAttrs& a) {
  return a.cell == ir::RecurrentCell::kLSTM ? 4 : a.cell == ir::RecurrentCell::kGRU ? 3 : 1;
}

// The reuse factors of one direction reading n_in features: x W's, h U's (other than
// `avoid`'s where there are others).
std::pair<int64_t, int64_t> ReuseFactors(const ir::RecurrentAttrs& a, int64_t n_in,
                                         std::pair<int64_t, int64_t> avoid = {0, 0}) {
  const int64_t rf = PickReuse(n_in, Gates(a) * a.units, avoid.first);
  return {rf, PickReuse(a.units, Gates(a) * a.units, avoid.second == 0 ? rf : avoid.second)};
}

// The fixture tests/data/keras/<fixture> configured as `config_name` says (see the top).
Result<ir::Graph> LoadRecurrentFixture(const std::string& fixture, const std::string& config_name) {
  const fs::path dir = testing::FixtureDir(fixture);
  const fs::path model = fs::exists(dir / "model.keras") ? dir / "model.keras" : dir / "model.h5";
  Result<ir::Graph> g = frontends::keras::LoadKerasModel(model.string());
  if (!g.ok()) return g.error();
  Result<config::HlsConfig> c = config::ConfigFromGraph(*g, config::Granularity::kName);
  if (!c.ok()) return c.error();
  for (const ir::Node& node : g->nodes()) {
    auto it = c->by_name.find(node.name);
    if (it == c->by_name.end()) continue;
    config::LayerConfig& e = it->second;
    if (config_name == "rnd_sat") e.precision["result"] = Spec("fixed<12,4,RND,SAT>");
    if (!IsRecurrent(node)) continue;
    if (config_name == "static_false") e.recurrent_static = false;
    if (config_name != "resource") continue;
    e.strategy = config::Strategy::kResource;
    e.precision["accum"] = Spec("fixed<8,1,RND,SAT>");
    const int64_t n_in = g->FindTensor(node.inputs[0])->shape.back();
    if (node.is<ir::RecurrentAttrs>()) {
      std::tie(e.reuse_factor, e.recurrent_reuse_factor) =
          ReuseFactors(node.as<ir::RecurrentAttrs>(), n_in);
    } else {
      const auto& a = node.as<ir::BidirectionalAttrs>();
      const std::pair<int64_t, int64_t> forward = ReuseFactors(a.forward, n_in);
      std::tie(e.forward_reuse_factor, e.forward_recurrent_reuse_factor) = forward;
      std::tie(e.backward_reuse_factor, e.backward_recurrent_reuse_factor) =
          ReuseFactors(a.backward, n_in, forward);
    }
  }
  if (config_name != "default" && config_name != "rnd_sat" && config_name != "resource" &&
      config_name != "static_false" && config_name != "hls4ml") {
    return Error(fmt::format("unknown test configuration '{}'", config_name));
  }
  const passes::ConfigureOptions options =
      config_name == "hls4ml" ? passes::ConfigureOptions::Hls4ml() : passes::ConfigureOptions();
  if (Status s = passes::Configure(*g, *c, options); !s.ok()) return s.error();
  if (Status s = ir::InferShapes(*g); !s.ok()) return s.error();
  return g;
}

// Compares exactly; returns the mismatch count, describing the first few in `detail`.
int64_t Compare(const std::vector<reference::Batch>& want, const std::vector<reference::Batch>& got,
                std::string* detail, int64_t* values) {
  if (want.size() != got.size()) {
    *detail = fmt::format("{} outputs, expected {}", got.size(), want.size());
    return 1;
  }
  int64_t mismatches = 0;
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

// Writes, compiles and runs the project of `g` on kSamples random inputs; expects the
// emulator's outputs bit for bit and prints "<label>: ...". Returns the project's
// parameters.h.
std::string ExpectMatchesEmulator(const ir::Graph& g, const std::string& label, uint32_t seed,
                                  config::IOType io = config::IOType::kParallel,
                                  const CompileOptions& compile = {}) {
  const fs::path dir = ScratchDir("rnn") / "prj";
  config::ProjectConfig project;
  project.io_type = io;
  WriteOptions options;
  options.output_dir = dir;
  Status written = WriteHlsProject(g, project, options);
  EXPECT_TRUE(written.ok()) << label << ": " << written.error().message();
  if (!written.ok()) return "";
  std::ifstream in(dir / "firmware/parameters.h");
  std::stringstream params;
  params << in.rdbuf();
  Result<CompiledProject> compiled = CompiledProject::Build(dir, project.project_name, compile);
  EXPECT_TRUE(compiled.ok()) << label << ": " << compiled.error().message();
  Result<emulator::Emulator> em = emulator::Emulator::Create(g);
  EXPECT_TRUE(em.ok()) << label << ": " << em.error().message();
  if (!compiled.ok() || !em.ok()) return params.str();
  const std::vector<reference::Batch> inputs = RandomInputs(g, kSamples, seed);
  Result<std::vector<reference::Batch>> want = em->Run(inputs);
  Result<std::vector<reference::Batch>> got = compiled->Predict(inputs);
  EXPECT_TRUE(want.ok() && got.ok()) << label;
  if (!want.ok() || !got.ok()) return params.str();
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
  EXPECT_EQ(mismatches, 0) << label << "\n" << detail;
  EXPECT_GT(values, 0) << label;
  fs::remove_all(dir.parent_path());
  return params.str();
}

struct Case {
  std::string fixture, config;
  bool stream = false;  // io_stream
};

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  return info.param.fixture + "__" + info.param.config + (info.param.stream ? "__io_stream" : "");
}

class HlsRecurrentMatchesEmulator : public ::testing::TestWithParam<Case> {};

// The fixtures fixnn computes in hls4ml's mode (it refuses the others there: SimpleRNN,
// go_backwards, reset_before, merges other than concat, QKeras activation quantizers, ...).
bool AcceptedInHls4mlMode(const std::string& fixture) {
  return fixture == "k3_lstm" || fixture == "k3_embedding_lstm" || fixture == "k3_gru_reset_after";
}

TEST_P(HlsRecurrentMatchesEmulator, OnRandomInputs) {
  const Case& c = GetParam();
  Result<ir::Graph> graph = LoadRecurrentFixture(c.fixture, c.config);
  if (c.config == "hls4ml" && !AcceptedInHls4mlMode(c.fixture)) {
    // Refused in that mode (by the configuration or the emulator), or written and compared.
    Status refused;
    if (!graph.ok()) {
      refused = graph.error();
    } else if (Result<emulator::Emulator> em = emulator::Emulator::Create(*graph); !em.ok()) {
      refused = em.error();
    }
    if (!refused.ok()) {
      std::printf("%s__hls4ml: refused in hls4ml's mode: %s\n", c.fixture.c_str(),
                  refused.error().message().c_str());
      EXPECT_NE(refused.error().message().find("layer '"), std::string::npos);
      return;
    }
  }
  ASSERT_TRUE(graph.ok()) << graph.error().message();
  std::string label = c.fixture + "__" + c.config + (c.stream ? " (io_stream)" : "");
  if (c.config == "resource") {
    // The reuse factors of x W and h U per layer (a Bidirectional's forward, then backward).
    std::vector<std::string> rfs;
    for (const ir::Node& node : graph->nodes()) {
      const ir::LayerSettings& s = node.settings;
      if (node.is<ir::RecurrentAttrs>()) {
        rfs.push_back(fmt::format("{} {}/{}", node.name, s.reuse_factor, s.recurrent_reuse_factor));
      } else if (node.is<ir::BidirectionalAttrs>()) {
        rfs.push_back(fmt::format("{} {}/{} {}/{}", node.name, s.reuse_factor,
                                  s.recurrent_reuse_factor, s.backward_reuse_factor,
                                  s.backward_recurrent_reuse_factor));
      }
    }
    label += fmt::format(" (reuse factors {})", fmt::join(rfs, ", "));
  }
  const std::string params = ExpectMatchesEmulator(
      *graph, label, 20261122, c.stream ? config::IOType::kStream : config::IOType::kParallel);
  // The configuration reaches the generated code.
  if (c.config == "static_false") {
    EXPECT_EQ(params.find("static_state = true"), std::string::npos);
    EXPECT_NE(params.find("static_state = false"), std::string::npos);
  } else {
    EXPECT_NE(params.find("static_state = true"), std::string::npos);
  }
  if (c.config == "resource") {
    EXPECT_NE(params.find("strategy = fixnn::resource"), std::string::npos);
  }
}

const char* const kFixnnFixtures[] = {"k2_lstm_gru",
                                      "k2_simplernn_bidirectional",
                                      "k3_bidirectional",
                                      "k3_bidirectional_modes",
                                      "k3_embedding_lstm",
                                      "k3_gru_reset_after",
                                      "k3_gru_reset_before",
                                      "k3_lstm",
                                      "k3_lstm_go_backwards",
                                      "k3_lstm_options",
                                      "k3_simplernn",
                                      "qk_qgru",
                                      "qk_qlstm",
                                      "qk_qsimplernn",
                                      "qk_qbidirectional"};

std::vector<Case> Cases(const std::string& config, bool stream) {
  std::vector<Case> out;
  for (const char* f : kFixnnFixtures) out.push_back({f, config, stream});
  return out;
}

// Every recurrent fixture, under fixnn's default configuration, is written in io_parallel and in
// io_stream (the projects compiled and compared below).
TEST(HlsRecurrentFixtures, WrittenInBothIoTypes) {
  for (const char* f : kFixnnFixtures) {
    Result<ir::Graph> graph = LoadRecurrentFixture(f, "default");
    ASSERT_TRUE(graph.ok()) << f << ": " << graph.error().message();
    for (const config::IOType io : {config::IOType::kParallel, config::IOType::kStream}) {
      const fs::path dir = ScratchDir("rnn-scan") / "prj";
      config::ProjectConfig project;
      project.io_type = io;
      WriteOptions options;
      options.output_dir = dir;
      Status st = WriteHlsProject(*graph, project, options);
      EXPECT_TRUE(st.ok()) << f << ": " << st.error().message();
      std::ifstream in(dir / "firmware/parameters.h");
      std::stringstream params;
      params << in.rdbuf();
      EXPECT_NE(params.str().find("#include \"fixnn/fixnn_recurrent.h\""), std::string::npos) << f;
      fs::remove_all(dir.parent_path());
    }
  }
}

// Every recurrent fixture under fixnn's default configuration and rnd_sat.
INSTANTIATE_TEST_SUITE_P(Default, HlsRecurrentMatchesEmulator,
                         ::testing::ValuesIn(Cases("default", false)), CaseName);
INSTANTIATE_TEST_SUITE_P(RndSat, HlsRecurrentMatchesEmulator,
                         ::testing::ValuesIn(Cases("rnd_sat", false)), CaseName);

// Resource (both reuse factors), Static false and io_stream on fixtures covering every cell form:
// LSTM (sequences, go_backwards, relu and hard_sigmoid activations, Embedding input), GRU
// reset_after and reset_before, SimpleRNN (relu, go_backwards), Bidirectional (concat, sum, ave,
// mul, an LSTM forward and a GRU backward), QKeras quantizers.
INSTANTIATE_TEST_SUITE_P(
    Settings, HlsRecurrentMatchesEmulator,
    ::testing::Values(
        Case{"k2_lstm_gru", "resource"}, Case{"k3_lstm", "resource"},
        Case{"k3_lstm_options", "resource"}, Case{"k3_gru_reset_before", "resource"},
        Case{"k3_simplernn", "resource"}, Case{"k3_bidirectional_modes", "resource"},
        Case{"k3_bidirectional", "resource"}, Case{"qk_qlstm", "resource"},
        Case{"k2_lstm_gru", "static_false"}, Case{"k3_lstm_options", "static_false"},
        Case{"k3_gru_reset_before", "static_false"}, Case{"k3_simplernn", "static_false"},
        Case{"k3_bidirectional_modes", "static_false"}, Case{"qk_qgru", "static_false"},
        Case{"k2_lstm_gru", "default", true}, Case{"k3_bidirectional_modes", "default", true},
        Case{"k3_embedding_lstm", "rnd_sat", true}, Case{"k3_simplernn", "static_false", true},
        Case{"k3_gru_reset_before", "resource", true}, Case{"qk_qsimplernn", "default", true},
        Case{"k2_simplernn_bidirectional", "rnd_sat", true}),
    CaseName);

// hls4ml's choices: compared where fixnn accepts the fixture in that mode, refused with a
// message naming the layer elsewhere.
INSTANTIATE_TEST_SUITE_P(Hls4ml, HlsRecurrentMatchesEmulator,
                         ::testing::ValuesIn(Cases("hls4ml", false)), CaseName);

// ---------------------------------------------------------------------------------------------
// Hand-built layers: what no fixture holds (return_state outputs, a Bidirectional without
// merge, hard_tanh, hard_sigmoid and linear cell activations, a GRU without bias) and Resource
// orders that matter (recurrent weights large enough for accum_t to saturate mid-sum).

// n values ((i * mul) % mod - mod / 2) * scale.
std::vector<double> Pattern(int64_t n, int mul, int mod, double scale) {
  std::vector<double> v;
  for (int64_t i = 0; i < n; ++i)
    v.push_back(static_cast<double>((i * mul) % mod - mod / 2) * scale);
  return v;
}

ir::RecurrentAttrs CellAttrs(ir::RecurrentCell cell, int64_t units, ir::ActivationFn act,
                             ir::ActivationFn ract) {
  ir::RecurrentAttrs a;
  a.cell = cell;
  a.units = units;
  a.activation = ir::ActivationAttrs{act};
  a.recurrent_activation = ir::ActivationAttrs{ract};
  if (ract == ir::ActivationFn::kHardSigmoid) a.recurrent_activation.alpha = 0.2;
  return a;
}

// The weights of one direction reading n_in features: kernel fixed<8,2>, recurrent kernel
// fixed<8,3> (values up to 2), bias fixed<8,3> ([2, G * units] for a GRU with reset_after).
void AddCellWeights(ir::Node& node, const std::string& prefix, const ir::RecurrentAttrs& a,
                    int64_t n_in, int salt) {
  using emulator::testing::TypedWeight;
  const int64_t gn = Gates(a) * a.units;
  node.weights.push_back(TypedWeight(prefix + "kernel", {n_in, gn},
                                     Pattern(n_in * gn, 37 + salt, 23, 0.0625), "fixed<8,2>"));
  node.weights.push_back(TypedWeight(prefix + "recurrent_kernel", {a.units, gn},
                                     Pattern(a.units * gn, 29 + salt, 17, 0.25), "fixed<8,3>"));
  if (!a.use_bias) return;
  const bool two_rows = a.cell == ir::RecurrentCell::kGRU && a.reset_after;
  node.weights.push_back(TypedWeight(prefix + "bias", two_rows ? ir::Shape{2, gn} : ir::Shape{gn},
                                     Pattern(two_rows ? 2 * gn : gn, 11 + salt, 9, 0.125),
                                     "fixed<8,3>"));
  if (two_rows) node.types[prefix + "recurrent_bias"] = emulator::testing::T("fixed<10,4>");
}

ir::Node RecurrentLayer(const std::string& name, const ir::RecurrentAttrs& a, int64_t n_in,
                        int salt) {
  ir::Node node;
  node.name = name;
  node.source = std::string(ir::ToString(a.cell));
  node.attrs = a;
  AddCellWeights(node, "", a, n_in, salt);
  return node;
}

// Layers reading x [5, 4] side by side, every output a graph output:
//   lstm_state   LSTM, relu activation, sequences, go_backwards, return_state (y, h, c in three
//                types), Resource with reuse factors 2 (x W) and 2 (h U)
//   gru_state    GRU (reset_after) without bias, hard_tanh activation, hard_sigmoid recurrent
//                activation, return_state (y, h)
//   gru_before   GRU reset_before, sequences, Resource with reuse factors 4 and 2 (the
//                candidate's products too)
//   bi_none      Bidirectional without merge: a SimpleRNN (linear) forward, an LSTM backward,
//                sequences, two outputs; Resource with reuse factors 2/2 and 4/2
//   gru_quant    GRU with QKeras quantizers as activations (smooth quantized_tanh,
//                quantized_bits)
//   lstm_sign    LSTM with QKeras' binary state quantizer (the state +-1, from +1), sequences
//   rnn_sign     SimpleRNN (tanh) with a binary state, Resource with reuse factors 2 and 4
ir::Graph HandBuiltRecurrent(bool static_state) {
  using emulator::testing::T;
  const int64_t steps = 5, n_in = 4;
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("x", {steps, n_in}).ok());
  g.FindTensor("x")->precision.type = T("fixed<10,4>");
  auto types = [](ir::Node& node, const char* accum) {
    node.types["accum"] = T(accum);
    node.types["state"] = T("fixed<10,2,RND,SAT>");
    node.types["table"] = T("fixed<14,4,RND,SAT>");
  };
  auto resource = [](ir::Node& node, int64_t rf, int64_t rrf) {
    node.settings.strategy = ir::Strategy::kResource;
    node.settings.reuse_factor = rf;
    node.settings.recurrent_reuse_factor = rrf;
  };
  std::vector<std::pair<ir::Node, std::vector<std::string>>> layers;

  ir::RecurrentAttrs lstm =
      CellAttrs(ir::RecurrentCell::kLSTM, 4, ir::ActivationFn::kReLU, ir::ActivationFn::kSigmoid);
  lstm.return_sequences = lstm.go_backwards = lstm.return_state = true;
  ir::Node lstm_state = RecurrentLayer("lstm_state", lstm, n_in, 0);
  types(lstm_state, "fixed<9,2,RND,SAT>");
  resource(lstm_state, 2, 2);
  layers.push_back({lstm_state, {"fixed<8,2>", "fixed<12,4,RND,SAT>", "fixed<6,1>"}});

  ir::RecurrentAttrs gru = CellAttrs(ir::RecurrentCell::kGRU, 3, ir::ActivationFn::kHardTanh,
                                     ir::ActivationFn::kHardSigmoid);
  gru.use_bias = false;
  gru.return_state = true;
  ir::Node gru_state = RecurrentLayer("gru_state", gru, n_in, 1);
  types(gru_state, "fixed<14,5>");
  layers.push_back({gru_state, {"fixed<10,3,RND,SAT>", "fixed<8,1>"}});

  ir::RecurrentAttrs before =
      CellAttrs(ir::RecurrentCell::kGRU, 4, ir::ActivationFn::kTanh, ir::ActivationFn::kSigmoid);
  before.reset_after = false;
  before.return_sequences = true;
  ir::Node gru_before = RecurrentLayer("gru_before", before, n_in, 2);
  types(gru_before, "fixed<9,1,RND,SAT>");
  resource(gru_before, 4, 2);
  layers.push_back({gru_before, {"fixed<10,2>"}});

  ir::BidirectionalAttrs bi;
  bi.forward = CellAttrs(ir::RecurrentCell::kSimpleRNN, 4, ir::ActivationFn::kLinear,
                         ir::ActivationFn::kSigmoid);
  bi.backward =
      CellAttrs(ir::RecurrentCell::kLSTM, 2, ir::ActivationFn::kTanh, ir::ActivationFn::kSigmoid);
  bi.forward.return_sequences = bi.backward.return_sequences = true;
  bi.backward.go_backwards = true;
  bi.merge = ir::BidirectionalMerge::kNone;
  ir::Node bi_none;
  bi_none.name = "bi_none";
  bi_none.source = "Bidirectional";
  bi_none.attrs = bi;
  AddCellWeights(bi_none, "forward_", bi.forward, n_in, 3);
  AddCellWeights(bi_none, "backward_", bi.backward, n_in, 4);
  types(bi_none, "fixed<9,2,RND,SAT>");
  resource(bi_none, 2, 2);
  bi_none.settings.backward_reuse_factor = 4;
  bi_none.settings.backward_recurrent_reuse_factor = 2;
  layers.push_back({bi_none, {"fixed<9,3,RND,SAT>", "fixed<7,1>"}});

  // QKeras quantizers replacing the activations: a smooth quantized_tanh (the tanh table cast
  // into its type) and a quantized_bits recurrent activation (an unsigned z, r).
  ir::RecurrentAttrs quant =
      CellAttrs(ir::RecurrentCell::kGRU, 2, ir::ActivationFn::kTanh, ir::ActivationFn::kSigmoid);
  quant.activation_quantizer.emplace();
  quant.activation_quantizer->kind = ir::QuantizerKind::kTanh;
  quant.activation_quantizer->type = T("ap_fixed<8,1,AP_RND_CONV,AP_SAT>");
  quant.activation_quantizer->spelling = "quantized_tanh(8, use_real_tanh=True)";
  quant.recurrent_activation_quantizer.emplace();
  quant.recurrent_activation_quantizer->type = T("ap_ufixed<6,0,AP_RND_CONV,AP_SAT>");
  quant.recurrent_activation_quantizer->spelling = "quantized_bits(6,0,keep_negative=False)";
  ir::Node gru_quant = RecurrentLayer("gru_quant", quant, n_in, 5);
  types(gru_quant, "fixed<12,3>");
  layers.push_back({gru_quant, {"fixed<10,2>"}});

  ir::Quantizer sign;
  sign.kind = ir::QuantizerKind::kBinary;
  sign.type = T("ap_fixed<2,2,AP_TRN,AP_SAT>");
  sign.qkeras = true;
  sign.spelling = "quantized_bits(1, 0)";
  auto binary_state = [&](ir::Node& node) {
    node.types["state"] = T("fixed<2,2,TRN,SAT>");
    node.settings.binary_state = true;
  };
  ir::RecurrentAttrs lstm_sign_attrs =
      CellAttrs(ir::RecurrentCell::kLSTM, 3, ir::ActivationFn::kTanh, ir::ActivationFn::kSigmoid);
  lstm_sign_attrs.return_sequences = true;
  lstm_sign_attrs.state_quantizer = sign;
  ir::Node lstm_sign = RecurrentLayer("lstm_sign", lstm_sign_attrs, n_in, 6);
  types(lstm_sign, "fixed<12,4>");
  binary_state(lstm_sign);
  layers.push_back({lstm_sign, {"fixed<4,2>"}});

  ir::RecurrentAttrs rnn_sign_attrs = CellAttrs(
      ir::RecurrentCell::kSimpleRNN, 4, ir::ActivationFn::kTanh, ir::ActivationFn::kSigmoid);
  rnn_sign_attrs.state_quantizer = sign;
  ir::Node rnn_sign = RecurrentLayer("rnn_sign", rnn_sign_attrs, n_in, 7);
  types(rnn_sign, "fixed<12,4>");
  binary_state(rnn_sign);
  resource(rnn_sign, 2, 4);
  layers.push_back({rnn_sign, {"fixed<4,2>"}});

  for (auto& [node, result_types] : layers) {
    node.inputs = {"x"};
    node.outputs.clear();
    for (size_t o = 0; o < result_types.size(); ++o) {
      node.outputs.push_back(o == 0 ? node.name : fmt::format("{}:{}", node.name, o));
    }
    node.settings.static_state = static_state;
    const std::vector<std::string> outputs = node.outputs;
    Status added = g.AddNode(std::move(node));
    EXPECT_TRUE(added.ok()) << (added.ok() ? "" : added.error().message());
    for (size_t o = 0; o < outputs.size(); ++o) {
      g.FindTensor(outputs[o])->precision.type = T(result_types[o]);
      EXPECT_TRUE(g.MarkOutput(outputs[o]).ok());
    }
  }
  Status shaped = ir::InferShapes(g);
  EXPECT_TRUE(shaped.ok()) << (shaped.ok() ? "" : shaped.error().message());
  return g;
}

TEST(HlsRecurrentHandBuilt, StateOutputsAndUnmergedDirectionsMatchEmulator) {
  const ir::Graph g = HandBuiltRecurrent(true);
  ASSERT_EQ(g.outputs().size(), 11u);
  const std::string params = ExpectMatchesEmulator(g, "hand-built recurrent (static state)", 31);
  // hard_tanh and hard_sigmoid, linear and quantized_bits, the smooth quantizer's table.
  EXPECT_NE(params.find("struct activation : fixnn::act_hard"), std::string::npos);
  EXPECT_NE(params.find("struct recurrent_activation : fixnn::act_hard"), std::string::npos);
  EXPECT_NE(params.find("typedef fixnn::act_linear recurrent_activation;"), std::string::npos);
  EXPECT_NE(params.find("typedef fixnn::act_tanh activation;"), std::string::npos);
  EXPECT_NE(params.find("static const bool binary_state = true;"), std::string::npos);
  ExpectMatchesEmulator(HandBuiltRecurrent(false), "hand-built recurrent (state passed)", 32);
  ExpectMatchesEmulator(g, "hand-built recurrent (io_stream)", 33, config::IOType::kStream);
}

// The same code compiled against the vendor's ap_types headers (the hls4ml wheel's copy, when
// installed) computes the same bits: the hand-built layers, and Bidirectional merges (ave, mul,
// an LSTM forward and a GRU backward) in io_stream.
TEST(HlsRecurrentVendorHeaders, ComputeWhatTheEmulatorComputes) {
  const std::string vendor = FIXNN_VENDOR_AP_TYPES;
  if (vendor.empty()) GTEST_SKIP() << "the vendor ap_types headers are not installed";
  CompileOptions compile;
  compile.ap_include_dir = vendor;
  compile.extra_flags = {"-w", "-DNDEBUG"};  // the vendor headers are not warning-clean
  ExpectMatchesEmulator(HandBuiltRecurrent(true), "vendor headers: hand-built recurrent", 41,
                        config::IOType::kParallel, compile);
  Result<ir::Graph> modes = LoadRecurrentFixture("k3_bidirectional_modes", "rnd_sat");
  ASSERT_TRUE(modes.ok()) << modes.error().message();
  ExpectMatchesEmulator(*modes, "vendor headers: k3_bidirectional_modes__rnd_sat (io_stream)", 42,
                        config::IOType::kStream, compile);
}

}  // namespace
}  // namespace fixnn::backends::hls
