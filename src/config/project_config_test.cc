#include "config/project_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>

#include "config/config_to_yaml.h"

namespace fixnn::config {
namespace {

namespace fs = std::filesystem;
using fixed::FixedType;
using ::testing::HasSubstr;

// A fresh folder per test, removed afterwards.
class ProjectConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / (std::string("fixnn_config_") + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "cfg");
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path Write(const std::string& text, const std::string& name = "cfg/config.yml") {
    const fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p;
  }

  std::string LoadError(const std::string& text) {
    Result<ProjectConfig> c = LoadProjectConfig(Write(text));
    EXPECT_FALSE(c.ok()) << text;
    return c.ok() ? "" : c.error().message();
  }

  fs::path dir_;
};

TEST_F(ProjectConfigTest, ReadsEveryTopLevelSetting) {
  const fs::path path = Write(R"(
KerasJson: keras/model.json
KerasH5:   keras/model_weights.h5
InputData: data/input.npy
OutputPredictions: null
OutputDir: my-prj
ProjectName: top
XilinxPart: xcu250-figd2104-2L-e
Part: xcu250-figd2104-2L-e
ClockPeriod: 3.3
ClockUncertainty: 12.5%
IOType : io_stream
Backend: vitis
Version: 1.2.0
Stamp: 7eb860a7
WriterConfig:
  Namespace: nn
  WriteTar: false
  TBOutputStream: file
HLSConfig:
  Model:
    Precision: ap_fixed<16,6>
    ReuseFactor: 2
)");
  Result<ProjectConfig> c = LoadProjectConfig(path);
  ASSERT_TRUE(c.ok()) << c.error().message();
  const fs::path base = fs::absolute(dir_ / "cfg").lexically_normal();
  EXPECT_EQ(c->keras_json, (base / "keras/model.json").string());
  EXPECT_EQ(c->keras_h5, (base / "keras/model_weights.h5").string());
  EXPECT_EQ(c->input_data, (base / "data/input.npy").string());
  EXPECT_EQ(c->output_predictions, "");
  EXPECT_EQ(c->output_dir, "my-prj");
  EXPECT_EQ(c->project_name, "top");
  EXPECT_EQ(c->part, "xcu250-figd2104-2L-e");
  EXPECT_DOUBLE_EQ(c->clock_period, 3.3);
  EXPECT_EQ(c->clock_uncertainty, "12.5%");
  EXPECT_EQ(c->io_type, IOType::kStream);
  EXPECT_EQ(c->backend, Backend::kVitis);
  EXPECT_EQ(c->version, "1.2.0");
  EXPECT_EQ(c->stamp, "7eb860a7");
  EXPECT_EQ(c->writer.namespace_name, "nn");
  EXPECT_EQ(c->writer.write_tar, false);
  EXPECT_EQ(c->writer.tb_output_stream, "file");
  EXPECT_EQ(c->hls.model.reuse_factor, 2);
  EXPECT_EQ(c->hls.model.precision.at("default").type, FixedType::Fixed(16, 6));
  EXPECT_EQ(c->origin.file, path.string());
}

TEST_F(ProjectConfigTest, DefaultsAndHls4mlSpellings) {
  Result<ProjectConfig> c = LoadProjectConfig(Write(R"(
Backend: ONEAPI
KerasModel: !keras_model 'sub/keras_model.keras'
IOType: io_serial
XilinxPart: Agilex7
Technology: fpga
TraceOutput: true
)"));
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_EQ(c->backend, Backend::kOneAPI);
  EXPECT_EQ(ToString(c->backend), "oneAPI");
  EXPECT_EQ(c->keras_model,
            (fs::absolute(dir_ / "cfg" / "sub/keras_model.keras")).lexically_normal().string());
  EXPECT_EQ(c->io_type, IOType::kSerial);  // read; the backends refuse it
  EXPECT_EQ(c->part, "Agilex7");
  EXPECT_EQ(c->backend_options.at("Technology"), "fpga");
  EXPECT_EQ(c->hls.options.trace_output, true);
  EXPECT_EQ(c->output_dir, "my-hls-test");
  EXPECT_EQ(c->project_name, "myproject");
  EXPECT_DOUBLE_EQ(c->clock_period, 5.0);
}

TEST_F(ProjectConfigTest, AbsolutePathsStay) {
  Result<ProjectConfig> c = LoadProjectConfig(Write("OnnxModel: /models/a/../net.onnx\n"));
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_EQ(c->onnx_model, "/models/net.onnx");
}

TEST_F(ProjectConfigTest, Errors) {
  EXPECT_EQ(LoadError("KerasH5: a.h5\nOutputDri: x\n"),
            (dir_ / "cfg/config.yml").string() +
                ":2: unknown key 'OutputDri' (did you mean 'OutputDir'?)");
  EXPECT_THAT(LoadError("Part: a\nXilinxPart: b\n"),
              HasSubstr(":2: XilinxPart: 'b' disagrees with 'a'"));
  EXPECT_THAT(LoadError("KerasH5: a.h5\nOnnxModel: b.onnx\n"),
              HasSubstr(":2: more than one model is given (KerasH5, OnnxModel)"));
  EXPECT_THAT(LoadError("KerasJson: a.json\n"),
              HasSubstr(":1: KerasJson: the architecture needs its weights: add KerasH5"));
  EXPECT_THAT(LoadError("IOType: io_parralel\n"),
              HasSubstr(":1: IOType: 'io_parralel' is not one of io_parallel, io_stream"));
  EXPECT_THAT(LoadError("Backend: Vivdo\n"), HasSubstr(":1: Backend: unknown backend 'Vivdo'"));
  EXPECT_THAT(LoadError("ProjectName: my-project\n"), HasSubstr("is not a C identifier"));
  EXPECT_THAT(LoadError("ClockPeriod: -5\n"), HasSubstr("must be a positive number"));
  EXPECT_THAT(LoadError("ClockPeriod: fast\n"), HasSubstr("expected a number, found 'fast'"));
  EXPECT_THAT(LoadError("ClockUncertainty: lots\n"), HasSubstr("percentage of the clock"));
  EXPECT_THAT(LoadError("WriterConfig:\n  WriteTarr: true\n"),
              HasSubstr(":2: WriterConfig: unknown key 'WriteTarr' (did you mean 'WriteTar'?)"));
  EXPECT_THAT(LoadError("TraceOutput: true\nHLSConfig:\n  Model:\n    TraceOutput: false\n"),
              HasSubstr(":1: TraceOutput: disagrees with HLSConfig.Model.TraceOutput"));
  EXPECT_THAT(LoadError("HLSConfig:\n  Model:\n    ReuseFactor: 0\n"),
              HasSubstr("config.yml:3: HLSConfig.Model.ReuseFactor: must be a positive"));
  EXPECT_THAT(LoadError("- a\n- b\n"), HasSubstr("expected a mapping of settings"));
  EXPECT_THAT(LoadError(""), HasSubstr("the file is empty"));
  EXPECT_THAT(LoadError("KerasH5: [a.h5]\n"), HasSubstr(":1: KerasH5: expected a string"));
}

TEST_F(ProjectConfigTest, MalformedYamlNamesTheLine) {
  const std::string msg = LoadError("KerasH5: a.h5\nHLSConfig:\n  Model:\n    Precision: [a\n");
  EXPECT_THAT(msg, HasSubstr("config.yml:"));
  EXPECT_THAT(msg, HasSubstr("malformed YAML"));
  const std::string tab = LoadError("KerasH5: a.h5\nHLSConfig:\n  Model: {\n  ReuseFactor: 1\n");
  EXPECT_THAT(tab, HasSubstr("malformed YAML"));
  const std::string indent = LoadError("OutputDir: a\n  ProjectName: b\n");
  EXPECT_THAT(indent, HasSubstr("config.yml:2: malformed YAML"));
}

TEST_F(ProjectConfigTest, MissingFile) {
  Result<ProjectConfig> c = LoadProjectConfig(dir_ / "nope.yml");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.error().message(), HasSubstr("nope.yml: cannot read the configuration"));
}

TEST_F(ProjectConfigTest, RoundTrip) {
  const fs::path path = Write(R"(
KerasH5: ../models/model.h5
InputData: in.npy
OutputPredictions: out.npy
OutputDir: out
ProjectName: p1
ProjectDir: p1_dir
Part: xcvu9p-flga2577-2-e
ClockPeriod: 4.5
ClockUncertainty: 0.5
IOType: io_stream
Backend: VivadoAccelerator
Version: 2.0
Stamp: "12345678"
InputShape: [[16], [8, 8, 3]]
WriterConfig: {Namespace: ns, WriteWeightsTxt: false, WriteEmulationConstants: true}
AcceleratorConfig:
  Board: pynq-z2
  Interface: axi_stream
  Precision: {Input: float, Output: "ap_fixed<16,6>"}
HLSIncludePath: /opt/hls
HLSConfig:
  Model:
    Precision:
      default: ap_fixed<16,6>
      maximum: ap_fixed<32,16>
    ReuseFactor: 4
    Strategy: Resource
    TraceOutput: true
    PipelineStyle: dataflow
  LayerType:
    Dense:
      Precision:
        weight: ap_fixed<8,2,AP_RND,AP_SAT>
        accum: auto
      ReuseFactor: 16
    Softmax:
      Implementation: latency
      TableSize: 2048
  LayerName:
    "null":
      Trace: true
    fc1:
      Precision: ap_ufixed<8,0>
      ConvImplementation: Encoded
      ParallelizationFactor: 2
    lstm:
      RecurrentReuseFactor: 3
      Static: false
      Direction: backward
  SkipOptimizers: [a, b]
)");
  Result<ProjectConfig> first = LoadProjectConfig(path);
  ASSERT_TRUE(first.ok()) << first.error().message();
  EXPECT_EQ(first->hls.by_name.count("null"), 1u);
  ASSERT_EQ(first->input_shapes.size(), 2u);
  EXPECT_EQ(first->input_shapes[1], (std::vector<int64_t>{8, 8, 3}));
  EXPECT_EQ(first->accelerator->output_precision, "ap_fixed<16,6>");

  const std::string text = ToYaml(*first);
  // Written elsewhere: the paths are absolute, so they do not move.
  const fs::path copy = dir_ / "copy.yml";
  std::ofstream(copy) << text;
  Result<ProjectConfig> second = LoadProjectConfig(copy);
  ASSERT_TRUE(second.ok()) << second.error().message() << "\n" << text;
  EXPECT_TRUE(*first == *second) << text;
  EXPECT_EQ(ToYaml(*second), text);
  EXPECT_EQ(second->keras_h5, first->keras_h5);
  EXPECT_EQ(second->hls.by_type.at("Dense").precision.at("weight"),
            first->hls.by_type.at("Dense").precision.at("weight"));

  // A change is seen.
  ProjectConfig changed = *second;
  changed.hls.by_name.at("fc1").parallelization_factor = 3;
  EXPECT_FALSE(changed == *first);
}

TEST(HlsConfigRoundTripTest, ParsesWhatItWrites) {
  Result<HlsConfig> c = ParseHlsConfig(YAML::Load(R"(
Model: {Precision: "fixed<16,6>", ReuseFactor: 1, BitExact: false}
LayerType:
  Activation: {Precision: {table: "fixed<18,8>"}, TableSize: 1024, Trace: false}
LayerName:
  sm: {Strategy: Stable, exp_table_t: "ac_fixed<18,8,true,AC_RND,AC_SAT>"}
  conv: {Algorithm: bilinear, TimeStepLoopParallelism: Unroll, TargetCycles: 100,
         Compression: true, BramFactor: 0, TableRangePower2: -2, Skip: true}
Optimizers: [x]
)"),
                                       "a.yml");
  ASSERT_TRUE(c.ok()) << c.error().message();
  const std::string text = ToYaml(*c);
  Result<HlsConfig> back = ParseHlsConfig(YAML::Load(text), "b.yml");
  ASSERT_TRUE(back.ok()) << back.error().message() << "\n" << text;
  EXPECT_TRUE(*c == *back) << text;
  EXPECT_EQ(back->by_name.at("conv").table_range_power2, -2);
  EXPECT_EQ(back->by_name.at("sm").implementation, Implementation::kStable);
  EXPECT_EQ(back->options.bit_exact, false);
  EXPECT_EQ(back->optimizers, std::vector<std::string>{"x"});
}

}  // namespace
}  // namespace fixnn::config
