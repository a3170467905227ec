#include "config/hls_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "config/layer_classes.h"
#include "config/project_config.h"

namespace fixnn::config {
namespace {

using fixed::FixedType;
using ::testing::HasSubstr;

Result<HlsConfig> Parse(const std::string& text) {
  return ParseHlsConfig(YAML::Load(text), "config.yml");
}

// The error message of a parse that must fail.
std::string ParseError(const std::string& text) {
  Result<HlsConfig> c = Parse(text);
  EXPECT_FALSE(c.ok()) << "parsed:\n" << text;
  return c.ok() ? "" : c.error().message();
}

TEST(PrecisionSpecTest, ParsesAutoAndEverySpelling) {
  EXPECT_TRUE(ParsePrecisionSpec("auto")->is_auto());
  EXPECT_TRUE(ParsePrecisionSpec(" Auto ")->is_auto());
  EXPECT_EQ(ParsePrecisionSpec("ap_fixed<16, 6>")->type, FixedType::Fixed(16, 6));
  EXPECT_EQ(ParsePrecisionSpec("fixed<18,8,RND,SAT>")->type,
            FixedType::Fixed(18, 8, fixed::Rounding::kRnd, fixed::Overflow::kSat));
  EXPECT_EQ(ParsePrecisionSpec("fixed<18,8,TRN,WRAP,0>")->type, FixedType::Fixed(18, 8));
  EXPECT_EQ(ParsePrecisionSpec("ap_uint<10>")->type, FixedType::UInt(10));
  EXPECT_EQ(ParsePrecisionSpec("ac_fixed<16, 6>")->type, FixedType::Fixed(16, 6));
  EXPECT_EQ(ParsePrecisionSpec("ac_fixed<8,3,false,AC_RND,AC_SAT>")->type,
            FixedType::UFixed(8, 3, fixed::Rounding::kRnd, fixed::Overflow::kSat));
  EXPECT_EQ(ParsePrecisionSpec("ac_fixed<8,3,true,AC_RND_CONV>")->type,
            FixedType::Fixed(8, 3, fixed::Rounding::kRndConv));
  EXPECT_EQ(ParsePrecisionSpec("ac_int<8,false>")->type, FixedType::UInt(8));
  EXPECT_EQ(ParsePrecisionSpec("ac_int<5>")->type, FixedType::Int(5));
  EXPECT_EQ(ParsePrecisionSpec("ap_fixed<8,2>")->ToString(), "ap_fixed<8,2>");
  EXPECT_EQ(PrecisionSpec::Auto().ToString(), "auto");
}

TEST(PrecisionSpecTest, RefusesBadTypes) {
  Result<PrecisionSpec> flt = ParsePrecisionSpec("float");
  ASSERT_FALSE(flt.ok());
  EXPECT_THAT(flt.error().message(), HasSubstr("floating-point"));
  EXPECT_FALSE(ParsePrecisionSpec("ap_float<32,8>").ok());
  Result<PrecisionSpec> typo = ParsePrecisionSpec("ap_fixd<6,1>");
  ASSERT_FALSE(typo.ok());
  EXPECT_THAT(typo.error().message(), HasSubstr("ap_fixd"));
  EXPECT_FALSE(ParsePrecisionSpec("ac_fixed<8,3,AC_RND>").ok());  // signedness expected
  EXPECT_FALSE(ParsePrecisionSpec("ac_fixed<8,3,true,AC_RND_CONV_ODD>").ok());
  EXPECT_FALSE(ParsePrecisionSpec("ac_fixed<8>").ok());
  EXPECT_FALSE(ParsePrecisionSpec("ac_fixed<0,0>").ok());  // width out of range
  EXPECT_FALSE(ParsePrecisionSpec("").ok());
}

TEST(EnumTest, ParsesIgnoringCaseAndUnderscores) {
  EXPECT_EQ(ParseEnum<Strategy>("latency"), Strategy::kLatency);
  EXPECT_EQ(ParseEnum<Strategy>("RESOURCE"), Strategy::kResource);
  EXPECT_EQ(ParseEnum<Strategy>("resource_unrolled"), Strategy::kResourceUnrolled);
  EXPECT_EQ(ParseEnum<Strategy>("DistributedArithmetic"), Strategy::kDistributedArithmetic);
  EXPECT_EQ(ParseEnum<Strategy>("da"), Strategy::kDistributedArithmetic);
  EXPECT_EQ(ParseEnum<Strategy>("fast"), std::nullopt);
  EXPECT_EQ(ParseEnum<Implementation>("Argmax"), Implementation::kArgmax);
  EXPECT_EQ(ParseEnum<ConvImplementation>("linebuffer"), ConvImplementation::kLineBuffer);
  EXPECT_EQ(ToString(Strategy::kDistributedArithmetic), "DistributedArithmetic");
  EXPECT_EQ(EnumChoices<Strategy>(), "Latency, Resource, ResourceUnrolled, DistributedArithmetic");
}

TEST(ParseHlsConfigTest, PrecisionStringAndDict) {
  Result<HlsConfig> c = Parse(R"(
Model:
  Precision: ap_fixed<16,6>
  ReuseFactor: 4
  Strategy: resource
LayerType:
  Dense:
    Precision:
      weight: ap_fixed<8,2>
      accum: auto
LayerName:
  softmax:
    Precision: ap_fixed<16,6>
    exp_table_t: ap_fixed<18,8,AP_RND,AP_SAT>
    table_size: 2048
    Strategy: Stable
    Trace: true
)");
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_EQ(c->model.precision.at("default").type, FixedType::Fixed(16, 6));
  EXPECT_EQ(c->model.precision.size(), 1u);
  EXPECT_EQ(c->model.reuse_factor, 4);
  EXPECT_EQ(c->model.strategy, Strategy::kResource);
  const LayerConfig& dense = c->by_type.at("Dense");
  EXPECT_EQ(dense.precision.at("weight").type, FixedType::Fixed(8, 2));
  EXPECT_TRUE(dense.precision.at("accum").is_auto());
  EXPECT_EQ(dense.precision.count("default"), 0u);
  EXPECT_FALSE(dense.reuse_factor.has_value());
  const LayerConfig& sm = c->by_name.at("softmax");
  EXPECT_EQ(sm.precision.at("default").type, FixedType::Fixed(16, 6));
  EXPECT_EQ(sm.precision.at("exp_table").type,
            FixedType::Fixed(18, 8, fixed::Rounding::kRnd, fixed::Overflow::kSat));
  EXPECT_EQ(sm.table_size, 2048);
  // hls4ml before 0.7 chose the stable softmax with Strategy: Stable.
  EXPECT_EQ(sm.implementation, Implementation::kStable);
  EXPECT_FALSE(sm.strategy.has_value());
  EXPECT_EQ(sm.trace, true);
  // Positions are kept for messages.
  EXPECT_EQ(sm.pos.line, 12);
  EXPECT_EQ(sm.key_pos.Find("TableSize", {}).line, 15);
  EXPECT_EQ(sm.key_pos.Find("Precision.exp_table", {}).line, 14);
}

TEST(ParseHlsConfigTest, ModelOptionsAndLists) {
  Result<HlsConfig> c = Parse(R"(
Model:
  Precision: {default: "fixed<16,6>", maximum: "fixed<24,12>"}
  BramFactor: 1000000000
  TraceOutput: false
  PipelineStyle: dataflow
  BitExact: true
  ChannelsLastConversion: internal
SkipOptimizers: [fuse_batch_normalization]
Flows: vivado:optimize
)");
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_EQ(c->model.precision.at("maximum").type, FixedType::Fixed(24, 12));
  EXPECT_EQ(c->model.bram_factor, 1000000000);
  EXPECT_EQ(c->options.trace_output, false);
  EXPECT_EQ(c->options.pipeline_style, PipelineStyle::kDataflow);
  EXPECT_EQ(c->options.bit_exact, true);
  EXPECT_EQ(c->options.channels_last_conversion, ChannelsLastConversion::kInternal);
  EXPECT_EQ(c->skip_optimizers, std::vector<std::string>{"fuse_batch_normalization"});
  EXPECT_EQ(c->flows, std::vector<std::string>{"vivado:optimize"});
  EXPECT_FALSE(c->optimizers.has_value());
}

TEST(ParseHlsConfigTest, NullValuesAreUnset) {
  Result<HlsConfig> c = Parse("Model:\n  Precision:\n  ReuseFactor:\nLayerName:\n  fc1:\n");
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_TRUE(c->model.empty());
  EXPECT_TRUE(c->by_name.at("fc1").empty());
  EXPECT_TRUE(ParseHlsConfig(YAML::Node(), "x.yml").ok());
}

TEST(ParseHlsConfigTest, UnknownKeyNamesFileLineAndKey) {
  const std::string msg = ParseError(
      "Model:\n  Precision: ap_fixed<16,6>\nLayerName:\n  fc1:\n    Precison: ap_fixed<8,2>\n");
  EXPECT_EQ(msg,
            "config.yml:5: HLSConfig.LayerName.fc1: unknown key 'Precison' (did you mean "
            "'Precision'?)");
  EXPECT_EQ(ParseError("Modle:\n  ReuseFactor: 1\n"),
            "config.yml:1: HLSConfig: unknown key 'Modle' (did you mean 'Model'?)");
  EXPECT_THAT(ParseError("LayerType:\n  Dense:\n    Precision:\n      wieght: ap_fixed<8,2>\n"),
              HasSubstr("config.yml:4: HLSConfig.LayerType.Dense.Precision: unknown precision "
                        "key 'wieght' (did you mean 'weight'?)"));
  EXPECT_THAT(ParseError("LayerName:\n  fc1:\n    foo_t: ap_fixed<8,2>\n"),
              HasSubstr("unknown key 'foo_t'"));
}

TEST(ParseHlsConfigTest, BadPrecisionGivesParserMessageWithLine) {
  const std::string msg = ParseError(
      "Model:\n  Precision: ap_fixed<16,6>\nLayerName:\n  fc1:\n    Precision:\n"
      "      weight: ap_fixed<8,2,AP_RNDD>\n");
  EXPECT_THAT(msg, HasSubstr("config.yml:6: HLSConfig.LayerName.fc1.Precision.weight: "
                             "invalid type 'ap_fixed<8,2,AP_RNDD>'"));
  EXPECT_THAT(ParseError("Model:\n  Precision: float\n"),
              HasSubstr("config.yml:2: HLSConfig.Model.Precision: floating-point"));
  EXPECT_THAT(ParseError("Model:\n  Precision: 16\n"), HasSubstr("config.yml:2"));
}

TEST(ParseHlsConfigTest, BadValues) {
  EXPECT_EQ(ParseError("Model:\n  Strategy: Fast\n"),
            "config.yml:2: HLSConfig.Model.Strategy: 'Fast' is not one of Latency, Resource, "
            "ResourceUnrolled, DistributedArithmetic");
  EXPECT_EQ(ParseError("Model:\n  ReuseFactor: 0\n"),
            "config.yml:2: HLSConfig.Model.ReuseFactor: must be a positive integer, found 0");
  EXPECT_THAT(ParseError("LayerName:\n  fc1:\n    ReuseFactor: -4\n"),
              HasSubstr("config.yml:3: HLSConfig.LayerName.fc1.ReuseFactor: must be a positive"));
  EXPECT_THAT(ParseError("Model:\n  ReuseFactor: 2.5\n"),
              HasSubstr("expected an integer, found '2.5'"));
  EXPECT_THAT(ParseError("Model:\n  BramFactor: -1\n"), HasSubstr("must not be negative"));
  EXPECT_THAT(ParseError("LayerName:\n  sm:\n    Implementation: fastest\n"),
              HasSubstr("'fastest' is not one of latency, stable, argmax, legacy"));
  EXPECT_THAT(ParseError("LayerName:\n  sm:\n    Strategy: Stable\n    Implementation: latency\n"),
              HasSubstr("config.yml:4: HLSConfig.LayerName.sm.Implementation: conflicts with "
                        "Implementation 'stable' at line 3"));
}

TEST(ParseHlsConfigTest, WrongYamlTypes) {
  EXPECT_EQ(ParseError("Model:\n  ReuseFactor: [1, 2]\n"),
            "config.yml:2: HLSConfig.Model.ReuseFactor: expected an integer, found a list");
  EXPECT_THAT(ParseError("Model:\n  Precision: [ap_fixed<16,6>]\n"),
              HasSubstr("config.yml:2: HLSConfig.Model.Precision: expected a type"));
  EXPECT_THAT(ParseError("Model:\n  Trace: maybe\n"),
              HasSubstr("expected true or false, found 'maybe'"));
  EXPECT_THAT(ParseError("LayerName:\n  fc1: 4\n"),
              HasSubstr("config.yml:2: HLSConfig.LayerName.fc1: expected a mapping of settings"));
  EXPECT_THAT(ParseError("LayerName: [fc1]\n"),
              HasSubstr("HLSConfig.LayerName: expected a mapping, found a list"));
  EXPECT_THAT(ParseError("Model:\n  Precision:\n    weight: {a: b}\n"),
              HasSubstr("Precision.weight: expected a string, found a mapping"));
  Result<HlsConfig> not_map = ParseHlsConfig(YAML::Load("[1, 2]"), "config.yml");
  ASSERT_FALSE(not_map.ok());
  EXPECT_THAT(not_map.error().message(), HasSubstr("HLSConfig: expected a mapping"));
}

TEST(ParseHlsConfigTest, LevelRules) {
  EXPECT_THAT(ParseError("LayerName:\n  fc1:\n    TraceOutput: true\n"),
              HasSubstr("'TraceOutput' is read only in HLSConfig.Model"));
  EXPECT_THAT(ParseError("LayerName:\n  fc1:\n    Precision:\n      maximum: fixed<8,2>\n"),
              HasSubstr("read only in HLSConfig.Model.Precision"));
  EXPECT_THAT(ParseError("Model:\n  Precision: auto\n"),
              HasSubstr("the model's default must be an explicit type"));
  EXPECT_THAT(ParseError("Model:\n  Precision:\n    maximum: auto\n"),
              HasSubstr("the cap for 'auto' must be an explicit type"));
  // A layer's default may be auto.
  EXPECT_TRUE(Parse("LayerName:\n  fc1:\n    Precision: auto\n").ok());
}

TEST(ParseHlsConfigTest, TypeAttributeWinsOverPrecisionKey) {
  // hls4ml reads Precision.<key> only for a type attribute <key>_t not set: either order.
  for (const char* text : {"LayerName:\n  a:\n    Precision:\n      table: fixed<18,8>\n"
                           "    table_t: fixed<48,8>\n",
                           "LayerName:\n  a:\n    table_t: fixed<48,8>\n    Precision:\n"
                           "      table: fixed<18,8>\n"}) {
    Result<HlsConfig> c = Parse(text);
    ASSERT_TRUE(c.ok()) << c.error().message();
    EXPECT_EQ(c->by_name.at("a").precision.at("table").type, FixedType::Fixed(48, 8)) << text;
  }
}

TEST(ParseHlsConfigTest, DuplicateKeys) {
  EXPECT_THAT(ParseError("Model:\n  ReuseFactor: 1\n  reuse_factor: 2\n"),
              HasSubstr("config.yml:3: HLSConfig.Model: 'ReuseFactor' and 'reuse_factor' are "
                        "the same key (first at line 2)"));
  EXPECT_THAT(ParseError("LayerName:\n  fc1: {}\n  FC1: {}\n"),
              HasSubstr("hls4ml compares layer names ignoring case"));
  EXPECT_THAT(ParseError("LayerName:\n  sm:\n    Precision:\n      exp_table: fixed<8,2>\n"
                         "      exp_table: fixed<8,3>\n"),
              HasSubstr("config.yml:5: HLSConfig.LayerName.sm.Precision: 'exp_table' is given "
                        "twice (first at line 4)"));
  EXPECT_THAT(ParseError("Optimizers: [a]\nSkipOptimizers: [b]\n"),
              HasSubstr("give either Optimizers or SkipOptimizers"));
}

// ---------------------------------------------------------------------------------------------
// Resolution and graph checks, on a hand-built model:
//   input -> fc1 (QDense) -> relu1 (Activation relu) -> fc2 (Dense) -> sm (Activation softmax)

ir::Graph TestGraph() {
  ir::Graph g;
  EXPECT_TRUE(g.AddInput("input_1", {16}).ok());
  auto add = [&](const std::string& name, const std::string& source, ir::OpAttrs attrs,
                 const std::string& input) {
    ir::Node n;
    n.name = name;
    n.source = source;
    n.attrs = std::move(attrs);
    n.inputs = {input};
    n.outputs = {name};
    EXPECT_TRUE(g.AddNode(std::move(n)).ok());
  };
  add("fc1", "QDense", ir::DenseAttrs{8, true}, "input_1");
  add("relu1", "Activation", ir::ActivationAttrs{ir::ActivationFn::kReLU}, "fc1");
  add("fc2", "Dense", ir::DenseAttrs{4, true}, "relu1");
  add("sm", "Activation", ir::ActivationAttrs{ir::ActivationFn::kSoftmax}, "fc2");
  return g;
}

TEST(ResolveTest, NameOverTypeOverModelPerField) {
  Result<HlsConfig> c = Parse(R"(
Model:
  Precision: ap_fixed<16,6>
  ReuseFactor: 1
  Strategy: Latency
LayerType:
  Dense:
    ReuseFactor: 4
    Precision:
      accum: ap_fixed<24,12>
  QDense:
    Strategy: Resource
LayerName:
  FC1:
    ReuseFactor: 8
)");
  ASSERT_TRUE(c.ok()) << c.error().message();
  const ir::Graph g = TestGraph();
  const ResolvedLayerConfig fc1 = Resolve(*c, *g.FindNode("fc1"));
  EXPECT_EQ(fc1.applied, (std::vector<std::string>{"LayerName.FC1", "LayerType.QDense",
                                                   "LayerType.Dense", "Model"}));
  EXPECT_EQ(fc1.reuse_factor(), 8);
  EXPECT_EQ(fc1.Where("ReuseFactor").line, 15);
  EXPECT_EQ(fc1.strategy(), Strategy::kResource);
  EXPECT_EQ(fc1.Precision("accum").spec.type, FixedType::Fixed(24, 12));
  EXPECT_EQ(fc1.Precision("accum").origin, "HLSConfig.LayerType.Dense.Precision.accum");
  EXPECT_EQ(fc1.Precision("weight").spec.type, FixedType::Fixed(16, 6));
  EXPECT_EQ(fc1.Precision("weight").origin, "HLSConfig.Model.Precision.default");
  EXPECT_EQ(fc1.Precision("weight").pos.line, 3);

  const ResolvedLayerConfig fc2 = Resolve(*c, *g.FindNode("fc2"));
  EXPECT_EQ(fc2.reuse_factor(), 4);
  EXPECT_EQ(fc2.strategy(), Strategy::kLatency);
  EXPECT_EQ(fc2.Precision("accum").spec.type, FixedType::Fixed(24, 12));

  const ResolvedLayerConfig relu = Resolve(*c, *g.FindNode("relu1"));
  EXPECT_EQ(relu.applied, std::vector<std::string>{"Model"});
  EXPECT_EQ(relu.reuse_factor(), 1);
  EXPECT_EQ(relu.Precision("result").spec.type, FixedType::Fixed(16, 6));
}

TEST(ResolveTest, PrecisionFollowsHls4mlOrder) {
  // A name-level Precision string is that level's default, which comes before the type's
  // specific key, as in hls4ml's get_precision.
  Result<HlsConfig> c = Parse(R"(
Model:
  Precision:
    default: ap_fixed<16,6>
    result: ap_fixed<12,4>
    maximum: ap_fixed<32,16>
LayerType:
  Dense:
    Precision:
      weight: ap_fixed<8,2>
LayerName:
  fc2:
    Precision: ap_fixed<10,3>
)");
  ASSERT_TRUE(c.ok()) << c.error().message();
  const ir::Graph g = TestGraph();
  const ResolvedLayerConfig fc2 = Resolve(*c, *g.FindNode("fc2"));
  EXPECT_EQ(fc2.Precision("weight").spec.type, FixedType::Fixed(10, 3));
  EXPECT_EQ(fc2.Precision("result").spec.type, FixedType::Fixed(10, 3));
  EXPECT_EQ(fc2.Precision("bias").spec.type, FixedType::Fixed(10, 3));
  EXPECT_EQ(fc2.auto_maximum, FixedType::Fixed(32, 16));
  const ResolvedLayerConfig fc1 = Resolve(*c, *g.FindNode("fc1"));
  EXPECT_EQ(fc1.Precision("weight").spec.type, FixedType::Fixed(8, 2));
  // The type level has no default, so result comes from the model's result key.
  EXPECT_EQ(fc1.Precision("result").spec.type, FixedType::Fixed(12, 4));
  EXPECT_EQ(fc1.Precision("bias").spec.type, FixedType::Fixed(16, 6));
}

TEST(ResolveTest, BuiltInDefaultsWhenNothingIsSet) {
  const ir::Graph g = TestGraph();
  const ResolvedLayerConfig r = Resolve(HlsConfig{}, *g.FindNode("fc1"));
  EXPECT_EQ(r.Precision("weight").spec.type, FixedType::Fixed(16, 6));
  EXPECT_EQ(r.Precision("weight").origin, "built-in default");
  EXPECT_EQ(r.reuse_factor(), 1);
  EXPECT_EQ(r.strategy(), Strategy::kLatency);
  EXPECT_FALSE(r.trace());
  EXPECT_EQ(r.table_size(), 1024);
  EXPECT_EQ(r.implementation(), Implementation::kStable);
  EXPECT_FALSE(r.auto_maximum.has_value());
}

TEST(ResolveTest, SoftmaxTypeIsMoreSpecificThanActivation) {
  Result<HlsConfig> c = Parse(R"(
LayerType:
  Activation:
    TableSize: 512
    ReuseFactor: 2
  Softmax:
    TableSize: 2048
)");
  ASSERT_TRUE(c.ok()) << c.error().message();
  const ir::Graph g = TestGraph();
  const ResolvedLayerConfig sm = Resolve(*c, *g.FindNode("sm"));
  EXPECT_EQ(sm.applied,
            (std::vector<std::string>{"LayerType.Softmax", "LayerType.Activation", "Model"}));
  EXPECT_EQ(sm.table_size(), 2048);
  EXPECT_EQ(sm.reuse_factor(), 2);
  EXPECT_EQ(Resolve(*c, *g.FindNode("relu1")).table_size(), 512);
}

TEST(CheckAgainstGraphTest, UnknownLayerName) {
  Result<HlsConfig> c = Parse("Model:\n  ReuseFactor: 1\nLayerName:\n  fc1: {}\n  fc3: {}\n");
  ASSERT_TRUE(c.ok());
  Status s = CheckAgainstGraph(*c, TestGraph());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(),
            "config.yml:5: HLSConfig.LayerName: no layer named 'fc3' in the model (did you mean "
            "'fc1'?) (layers: input_1, fc1, relu1, fc2, sm)");
}

TEST(CheckAgainstGraphTest, AcceptsMatchesIgnoringCaseAndHls4mlLinearLayers) {
  Result<HlsConfig> c = Parse(
      "LayerName:\n  FC1: {}\n  fc2_linear: {}\n  input_1: {}\n"
      "LayerType:\n  QDense: {}\n  dense: {}\n  Softmax: {}\n  Conv2D: {}\n  GarNet: {}\n");
  ASSERT_TRUE(c.ok()) << c.error().message();
  Status s = CheckAgainstGraph(*c, TestGraph());
  EXPECT_TRUE(s.ok()) << s.error().message();
}

TEST(CheckAgainstGraphTest, AcceptsNestedModelNames) {
  Result<HlsConfig> c = Parse("LayerName:\n  inner: {ReuseFactor: 2}\n");
  ASSERT_TRUE(c.ok()) << c.error().message();
  ir::Graph g = TestGraph();
  EXPECT_FALSE(CheckAgainstGraph(*c, g).ok());
  g.container_names.push_back("Inner");
  Status s = CheckAgainstGraph(*c, g);
  EXPECT_TRUE(s.ok()) << s.error().message();
}

TEST(CheckAgainstGraphTest, UnknownLayerType) {
  Result<HlsConfig> c = Parse("LayerType:\n  Dens: {ReuseFactor: 2}\n");
  ASSERT_TRUE(c.ok());
  Status s = CheckAgainstGraph(*c, TestGraph());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(),
            "config.yml:2: HLSConfig.LayerType: 'Dens' is not a layer class fixnn or hls4ml "
            "knows (did you mean 'Dense'?)");
  Result<HlsConfig> linear = Parse("LayerName:\n  fc9_linear: {}\n");
  ASSERT_TRUE(linear.ok());
  EXPECT_FALSE(CheckAgainstGraph(*linear, TestGraph()).ok());
}

// ---------------------------------------------------------------------------------------------
// Layer classes

TEST(LayerClassesTest, Hls4mlClassNames) {
  ir::Node n;
  n.attrs = ir::ConvAttrs{8, {3, 3}, {1, 1}, {1, 1}};
  EXPECT_EQ(Hls4mlClassName(n), "Conv2D");
  n.attrs = ir::ConvAttrs{8, {3}, {1}, {1}};
  EXPECT_EQ(Hls4mlClassName(n), "Conv1D");
  ir::PoolAttrs pool;
  pool.kind = ir::PoolKind::kAverage;
  pool.pool = {2, 2};
  n.attrs = pool;
  EXPECT_EQ(Hls4mlClassName(n), "Pooling2D");
  ir::GlobalPoolAttrs global;
  global.spatial_rank = 1;
  n.attrs = global;
  EXPECT_EQ(Hls4mlClassName(n), "GlobalPooling1D");
  n.attrs = ir::ActivationAttrs{ir::ActivationFn::kLeakyReLU, 0.3};
  EXPECT_EQ(Hls4mlClassName(n), "ParametrizedActivation");
  n.attrs = ir::MergeAttrs{ir::MergeKind::kAdd};
  EXPECT_EQ(Hls4mlClassName(n), "Merge");
  ir::RecurrentAttrs gru;
  gru.cell = ir::RecurrentCell::kGRU;
  n.attrs = gru;
  EXPECT_EQ(Hls4mlClassName(n), "GRU");
  n.attrs = ir::QuantizeAttrs{};
  n.source = "QActivation";
  EXPECT_EQ(Hls4mlClassName(n), "Activation");
  n.source = "FixedPointQuantizer";
  EXPECT_EQ(Hls4mlClassName(n), "FixedPointQuantizer");

  EXPECT_EQ(Hls4mlClassOf("qdense"), "Dense");
  EXPECT_EQ(Hls4mlClassOf("MaxPooling2D"), "Pooling2D");
  EXPECT_EQ(Hls4mlClassOf("Add"), "Merge");
  EXPECT_EQ(Hls4mlClassOf("Dens"), std::nullopt);
}

TEST(LayerClassesTest, LayerTypeKeysAndWeightKeys) {
  const ir::Graph g = TestGraph();
  EXPECT_EQ(LayerTypeKeys(*g.FindNode("fc1")), (std::vector<std::string>{"QDense", "Dense"}));
  EXPECT_EQ(LayerTypeKeys(*g.FindNode("fc2")), std::vector<std::string>{"Dense"});
  EXPECT_EQ(LayerTypeKeys(*g.FindNode("sm")), (std::vector<std::string>{"Softmax", "Activation"}));
  EXPECT_EQ(LayerTypeKeys(*g.FindNode("input_1")),
            (std::vector<std::string>{"InputLayer", "Input"}));

  const ir::Node& fc1 = *g.FindNode("fc1");
  EXPECT_EQ(PrecisionKeyForWeight(fc1, "kernel"), "weight");
  EXPECT_EQ(PrecisionKeyForWeight(fc1, "bias"), "bias");
  ir::Node sep;
  sep.attrs = ir::SeparableConvAttrs{};
  EXPECT_EQ(PrecisionKeyForWeight(sep, "depthwise_kernel"), "depthwise");
  EXPECT_EQ(PrecisionKeyForWeight(sep, "pointwise_kernel"), "pointwise");
  ir::Node dw;
  dw.attrs = ir::DepthwiseConvAttrs{};
  EXPECT_EQ(PrecisionKeyForWeight(dw, "depthwise_kernel"), "weight");
  ir::Node bi;
  bi.attrs = ir::BidirectionalAttrs{};
  EXPECT_EQ(PrecisionKeyForWeight(bi, "backward_recurrent_kernel"), "backward_recurrent_weight");
  EXPECT_EQ(PrecisionKeyForWeight(bi, "forward_bias"), "forward_bias");
}

}  // namespace
}  // namespace fixnn::config
