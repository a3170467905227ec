// QKeras and HGQ quantizers: parsing, the fixed-point type each maps to, and the forward
// values, checked against vectors QKeras 0.9.0 computed (tests/data/quantizers).
#include "ir/quantizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "frontends/keras/qkeras_quantizers.h"

namespace fixnn::frontends::keras {
namespace {

using nlohmann::json;

// Message checks: the error names what is wrong.
#define EXPECT_CONTAINS(text, part) \
  EXPECT_NE(std::string(text).find(part), std::string::npos) << "in: " << (text)

ir::Quantizer MustParse(const json& spec) {
  Result<ir::Quantizer> q = ParseQKerasQuantizer(spec);
  EXPECT_TRUE(q.ok()) << spec.dump() << ": " << (q.ok() ? "" : q.error().message());
  return q.ok() ? *q : ir::Quantizer{};
}

std::string TypeOf(const std::string& spec) { return MustParse(spec).type.ToString(); }

std::string ParseError(const json& spec) {
  Result<ir::Quantizer> q = ParseQKerasQuantizer(spec);
  EXPECT_FALSE(q.ok()) << spec.dump() << " parsed";
  return q.ok() ? "" : q.error().message();
}

// Numbers as the vector file writes them: a number, or "inf" / "-inf" / "nan".
std::vector<double> Numbers(const json& a) {
  std::vector<double> out;
  for (const json& v : a) {
    if (v.is_number()) {
      out.push_back(v.get<double>());
    } else {
      const std::string s = v.get<std::string>();
      out.push_back(s == "nan" ? std::nan("") : (s == "inf" ? INFINITY : -INFINITY));
    }
  }
  return out;
}

std::vector<double> Apply(const ir::Quantizer& q, std::vector<double> x) {
  ir::ApplyQuantizer(q, x);
  return x;
}

// ---------------------------------------------------------------------------------------------
// The vectors QKeras computed.

TEST(QKerasVectors, EveryOutputMatchesQKeras) {
  std::ifstream in(FIXNN_TEST_DATA_DIR "/quantizers/qkeras_vectors.json");
  ASSERT_TRUE(in.good()) << "missing tests/data/quantizers/qkeras_vectors.json";
  json doc = json::parse(in);
  const json& cases = doc.at("cases");
  ASSERT_GE(cases.size(), 40u);
  size_t values = 0;
  size_t matching = 0;
  size_t scales_checked = 0;
  for (const json& c : cases) {
    const std::string name =
        c.at("spec").is_string() ? c.at("spec").get<std::string>() : c.at("spec").dump();
    Result<ir::Quantizer> parsed = ParseQKerasQuantizer(c.at("spec"));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message();
    ir::Quantizer q = *parsed;
    std::vector<double> x = Numbers(c.at("input"));
    std::vector<int64_t> shape = c.at("shape").get<std::vector<int64_t>>();
    std::vector<double> expected = Numbers(c.at("output"));
    ASSERT_EQ(x.size(), expected.size());
    if (c.contains("scale")) {
      Result<std::vector<double>> scale = ComputeQKerasAlpha(q, x, shape);
      ASSERT_TRUE(scale.ok()) << scale.error().message();
      std::vector<double> want = Numbers(c.at("scale"));
      ASSERT_EQ(scale->size(), want.size()) << name;
      for (size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(static_cast<float>((*scale)[i]), static_cast<float>(want[i]))
            << name << " scale[" << i << "]";
      }
      ++scales_checked;
      Result<ir::Quantizer> resolved = ResolveQKerasAlpha(q, x, shape);
      ASSERT_TRUE(resolved.ok()) << resolved.error().message();
      q = *resolved;
    } else {
      EXPECT_EQ(q.alpha == ir::AlphaKind::kAuto || q.alpha == ir::AlphaKind::kAutoPo2, false)
          << name;
    }
    std::vector<double> got = Apply(q, x);
    int shown = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      ++values;
      if (static_cast<float>(got[i]) == static_cast<float>(expected[i])) {
        ++matching;
      } else if (shown++ < 5) {
        ADD_FAILURE() << name << ": x = " << x[i] << " gives " << got[i] << ", QKeras "
                      << expected[i];
      }
    }
  }
  EXPECT_EQ(matching, values);
  EXPECT_GE(scales_checked, 10u);
  std::printf("[ QKeras   ] %zu cases, %zu of %zu outputs equal as float32, %zu auto scales\n",
              cases.size(), matching, values, scales_checked);
}

// The float32 log / tanh / sigmoid that QKeras' results depend on, against TensorFlow's.
TEST(QKerasVectors, TensorFlowFloatMath) {
  std::ifstream in(FIXNN_TEST_DATA_DIR "/quantizers/qkeras_vectors.json");
  ASSERT_TRUE(in.good());
  const json m = json::parse(in).at("tf_math");
  auto check = [&](const char* input, const char* output, float (*fn)(float)) {
    std::vector<double> x = Numbers(m.at(input));
    std::vector<double> y = Numbers(m.at(output));
    ASSERT_EQ(x.size(), y.size());
    ASSERT_GT(x.size(), 100u);
    for (size_t i = 0; i < x.size(); ++i) {
      float got = fn(static_cast<float>(x[i]));
      float want = static_cast<float>(y[i]);
      EXPECT_TRUE(got == want || (std::isnan(got) && std::isnan(want)))
          << output << "(" << x[i] << ") = " << got << ", TensorFlow " << want;
    }
  };
  check("log_input", "log", ir::tf32::Log);
  check("input", "tanh", ir::tf32::Tanh);
  check("input", "sigmoid", ir::tf32::Sigmoid);
}

// ---------------------------------------------------------------------------------------------
// Spelling -> fixed-point type.

TEST(QKerasTypes, QuantizedBits) {
  EXPECT_EQ(TypeOf("quantized_bits(6,0,alpha=1)"), "ap_fixed<6,1,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(TypeOf("quantized_bits(8, 3, 1, alpha=1)"), "ap_fixed<8,4,AP_RND_CONV,AP_SAT_SYM>");
  EXPECT_EQ(TypeOf("quantized_bits(6,2,keep_negative=0)"), "ap_ufixed<6,2,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(TypeOf("quantized_bits(8,3,alpha='auto_po2')"), "ap_fixed<8,4,AP_RND_INF,AP_SAT_SYM>");
  EXPECT_EQ(TypeOf("quantized_bits(5,1,keep_negative=False,alpha='auto')"),
            "ap_fixed<5,1,AP_RND_INF,AP_SAT_SYM>");
  ir::Quantizer one = MustParse("quantized_bits(1,0)");
  EXPECT_EQ(one.kind, ir::QuantizerKind::kBinary);
  EXPECT_EQ(ir::DescribeRange(one), "[-1, 1]");
  ir::Quantizer bits = MustParse("quantized_bits(6,0,alpha=1)");
  EXPECT_EQ(bits.kind, ir::QuantizerKind::kFixed);
  EXPECT_TRUE(bits.scale.empty());  // alpha=1 is no scale
  EXPECT_EQ(ir::DescribeRange(bits), "[-1, 0.96875]");
  EXPECT_EQ(ir::DescribeRange(MustParse("quantized_bits(4,0,1)")), "[-0.875, 0.875]");
  ir::Quantizer scaled = MustParse("quantized_bits(6,2,alpha=0.75)");
  ASSERT_EQ(scaled.scale.size(), 1u);
  EXPECT_EQ(scaled.scale[0], 0.75);
  EXPECT_EQ(scaled.scale_mode, ir::ScaleMode::kAfter);
  ir::Quantizer automatic = MustParse("quantized_bits(4,0,alpha='auto')");
  EXPECT_EQ(automatic.alpha, ir::AlphaKind::kAuto);
  EXPECT_EQ(automatic.scale_mode, ir::ScaleMode::kAround);
  EXPECT_TRUE(automatic.symmetric);
}

TEST(QKerasTypes, ObjectFormsAgreeWithStrings) {
  json k2 = {{"class_name", "quantized_bits"},
             {"config",
              {{"bits", 8},
               {"integer", 2},
               {"symmetric", 0},
               {"alpha", 1},
               {"keep_negative", true},
               {"use_stochastic_rounding", false},
               {"qnoise_factor", 1.0}}}};
  json k3 = {{"module", "qkeras.quantizers"},
             {"class_name", "quantized_bits"},
             {"config", k2["config"]},
             {"registered_name", "quantized_bits"}};
  EXPECT_EQ(MustParse(k2).type, MustParse("quantized_bits(8,2,0,alpha=1)").type);
  EXPECT_EQ(MustParse(k3).type, MustParse("quantized_bits(8,2,0,alpha=1)").type);
  EXPECT_EQ(MustParse(k3).spelling, k3.dump());
}

TEST(QKerasTypes, ActivationsAndPowersOfTwo) {
  EXPECT_EQ(TypeOf("quantized_relu(4,1)"), "ap_ufixed<4,1,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(TypeOf("quantized_relu(6)"), "ap_ufixed<6,0,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(TypeOf("quantized_relu(4,2,negative_slope=0.125)"), "ap_fixed<4,3,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(ir::DescribeRange(MustParse("quantized_relu(4,2,negative_slope=0.125)")),
            "[-0.5, 3.5]");
  EXPECT_EQ(TypeOf("quantized_tanh(4)"), "ap_fixed<4,1,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(TypeOf("quantized_tanh(4,symmetric=1)"), "ap_fixed<4,1,AP_RND_CONV,AP_SAT_SYM>");
  EXPECT_EQ(TypeOf("quantized_sigmoid(8)"), "ap_ufixed<8,0,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(ir::DescribeRange(MustParse("quantized_sigmoid(4,symmetric=True)")),
            "[0.0625, 0.9375]");
  EXPECT_FALSE(MustParse("quantized_tanh(5,use_real_tanh=True)").sigmoid_hard);
  EXPECT_TRUE(MustParse("quantized_tanh(5)").sigmoid_hard);
  // quantized_po2(4): exponents -4..3, signed.
  ir::Quantizer po2 = MustParse("quantized_po2(4)");
  EXPECT_EQ(po2.min_exponent, -4);
  EXPECT_EQ(po2.max_exponent, 3);
  EXPECT_EQ(po2.type.ToString(), "ap_fixed<9,5,AP_RND_CONV,AP_SAT>");
  EXPECT_EQ(ir::DescribeRange(po2), "[-8, 8]");
  // max_value=2 caps the exponent at round(log2(2)) = 1.
  EXPECT_EQ(ir::DescribeRange(MustParse("quantized_po2(5,2)")), "[-2, 2]");
  // quantized_relu_po2(5,1): no sign bit for the value; max_value <= 1 drops the exponent's.
  ir::Quantizer relu_po2 = MustParse("quantized_relu_po2(5,1)");
  EXPECT_EQ(relu_po2.min_exponent, -32);
  EXPECT_FALSE(relu_po2.type.is_signed);
  EXPECT_EQ(TypeOf("binary()"), "ap_fixed<2,2,AP_TRN,AP_SAT>");
  EXPECT_EQ(TypeOf("binary(use_01=True)"), "ap_ufixed<1,1,AP_TRN,AP_SAT>");
  EXPECT_EQ(MustParse("ternary()").threshold, static_cast<double>(0.33f));
  EXPECT_EQ(MustParse("ternary(threshold=0.5)").threshold, 0.5);
}

// The QKeras float32 formula and the plain fixed-point conversion of the mapped type agree
// for every float32 input of moderate size: the type mapping is the grid QKeras uses.
TEST(QKerasTypes, GridMatchesFixedTypeConversion) {
  for (const char* spec : {"quantized_bits(6,0,alpha=1)", "quantized_bits(8,3,1)",
                           "quantized_bits(5,2,keep_negative=False)", "quantized_bits(12,4)"}) {
    ir::Quantizer q = MustParse(spec);
    ir::Quantizer plain = q;
    plain.qkeras = false;
    plain.straight_through = false;
    std::vector<double> x;
    for (int i = -4000; i <= 4000; ++i) x.push_back(static_cast<float>(i * 0.00390625 * 1.37));
    for (int k = -600; k <= 600; ++k)
      x.push_back((k + 0.5) * std::ldexp(1.0, q.type.lsb_exponent()));
    std::vector<double> a = Apply(q, x);
    std::vector<double> b = Apply(plain, x);
    for (size_t i = 0; i < x.size(); ++i) ASSERT_EQ(a[i], b[i]) << spec << " x=" << x[i];
  }
}

TEST(QKerasApply, StraightThroughInFloat32) {
  // QKeras returns x + (q - x) in float32: for |x| far outside the range the sum is not q.
  ir::Quantizer q = MustParse("quantized_bits(8,0)");
  std::vector<double> y = Apply(q, {0.3, -5.0, 1e6, 3e9});
  EXPECT_EQ(y[0], 0.296875);
  EXPECT_EQ(y[1], -1.0);
  EXPECT_EQ(y[2], 1.0);  // not 0.9921875: 1e6 + (0.9921875 - 1e6) rounds in float32
  EXPECT_EQ(y[3], 0.0);
  q.straight_through = false;
  EXPECT_EQ(Apply(q, {1e6})[0], 0.9921875);
}

// quantized_bits(1, I, alpha='auto'/'auto_po2'): QKeras' auto scale has 2^0 - 1 = 0 levels, so
// z = sign(x) * min(v, 0) = 0 and every value is 0 (checked with QKeras 0.9.0 on the 1-bit
// top-tagging kernels); the scale drops out.
TEST(QKerasApply, OneBitAutoAlphaIsZero) {
  for (const char* spelling :
       {"quantized_bits(1,0,alpha='auto_po2')", "quantized_bits(1,2,alpha='auto')"}) {
    const std::vector<double> kernel = {0.7, -3.0, 0.0, 1e6, -1e-3, -0.7};
    Result<ir::Quantizer> q = ResolveQKerasAlpha(MustParse(spelling), kernel, {3, 2});
    ASSERT_TRUE(q.ok()) << q.error().message();
    EXPECT_EQ(q->scale, std::vector<double>(2, 1.0)) << spelling;
    for (double y : Apply(*q, kernel)) EXPECT_EQ(y, 0.0) << spelling;
  }
}

TEST(QKerasApply, AutoAlphaNeedsScaleFirst) {
  ir::Quantizer q = MustParse("quantized_bits(4,0,alpha='auto_po2')");
  std::vector<double> kernel = {0.5, -0.25, 0.125, 1.0, -0.75, 0.0};
  Result<std::vector<double>> scale = ComputeQKerasAlpha(q, kernel, {3, 2});
  ASSERT_TRUE(scale.ok()) << scale.error().message();
  EXPECT_EQ(scale->size(), 2u);
  // With the scale resolved, QKeras' float32 path and exact double arithmetic on the mapped
  // type (y = s * Q(x / s), half away from zero, symmetric saturation) agree.
  Result<ir::Quantizer> resolved = ResolveQKerasAlpha(q, kernel, {3, 2});
  ASSERT_TRUE(resolved.ok());
  ir::Quantizer exact = *resolved;
  exact.qkeras = false;
  EXPECT_EQ(Apply(*resolved, kernel), Apply(exact, kernel));
  Result<std::vector<double>> bad = ComputeQKerasAlpha(q, kernel, {4, 2});
  ASSERT_FALSE(bad.ok());
  EXPECT_CONTAINS(bad.error().message(), "6 values");
  Result<std::vector<double>> none =
      ComputeQKerasAlpha(MustParse("quantized_bits(4,0)"), kernel, {3, 2});
  EXPECT_FALSE(none.ok());
}

// ---------------------------------------------------------------------------------------------
// Errors.

TEST(QKerasErrors, BadStrings) {
  EXPECT_CONTAINS(ParseError("quantized_bits(8,"), "missing ')'");
  EXPECT_CONTAINS(ParseError("quantized_bits(8,0)x"), "after ')'");
  EXPECT_CONTAINS(ParseError("quantized_bits(alpha=1, 3)"), "positional argument");
  EXPECT_CONTAINS(ParseError("quantized_bits(8,0,bogus=1)"), "no argument 'bogus'");
  // QKeras for Keras 3 adds post_training_scale as a twelfth argument.
  EXPECT_CONTAINS(ParseError("quantized_bits(8,0,0,1,1,0,None,1.0,None,1,0,None,7)"),
                  "at most 12 positional");
  EXPECT_CONTAINS(ParseError("quantized_bits(8,0,0,1,1,0,None,1.0,None,1,0,7)"),
                  "post_training_scale is not supported");
  EXPECT_CONTAINS(ParseError("quantized_bits(8,bits=4)"), "given twice");
  EXPECT_CONTAINS(ParseError("quantized_bits(eight)"), "cannot read the argument");
  EXPECT_CONTAINS(ParseError("quantized_bits((8))"), "nested");
  EXPECT_CONTAINS(ParseError("quantized_bits(8.5)"), "bits must be an integer");
  EXPECT_CONTAINS(ParseError("quantized_bits(0)"), "at least 1");
  EXPECT_CONTAINS(ParseError("quantized_bits(4,-1)"), "integer");
  EXPECT_CONTAINS(ParseError(json(3)), "string or an object");
  EXPECT_CONTAINS(ParseError(json{{"config", json::object()}}), "class_name");
}

TEST(QKerasErrors, UnknownAndRefused) {
  EXPECT_CONTAINS(ParseError("quantized_foo(3)"), "unknown QKeras quantizer 'quantized_foo'");
  EXPECT_CONTAINS(ParseError("stochastic_binary()"), "stochastic_binary");
  EXPECT_CONTAINS(
      ParseError(json{{"class_name", "stochastic_ternary"}, {"config", {{"alpha", "auto"}}}}),
      "stochastic_ternary");
  EXPECT_CONTAINS(ParseError("quantized_bits(8,0,use_stochastic_rounding=True)"),
                  "quantized_bits with use_stochastic_rounding=True");
  EXPECT_CONTAINS(ParseError("quantized_relu(4,0,0,0.0,1)"), "use_stochastic_rounding");
  EXPECT_CONTAINS(ParseError("quantized_bits(8,0,qnoise_factor=0.5)"), "qnoise_factor");
  EXPECT_CONTAINS(ParseError("quantized_bits(4,0,alpha='max')"), "alpha='max'");
  EXPECT_CONTAINS(ParseError("quantized_bits(4,0,alpha='auto',scale_axis=0)"), "scale_axis");
  EXPECT_CONTAINS(ParseError("quantized_relu(4,0,negative_slope=0.3)"), "power of two");
  EXPECT_CONTAINS(ParseError("quantized_relu(4,0,1,0.5)"), "use_sigmoid together");
  EXPECT_CONTAINS(ParseError("quantized_relu(4,0,negative_slope=2)"), "above 1");
  EXPECT_CONTAINS(ParseError("quantized_relu(4,0,is_quantized_clip=False,relu_upper_bound=2)"),
                  "relu_upper_bound");
  EXPECT_CONTAINS(ParseError("quantized_po2(4,log2_rounding='ceil')"), "log2_rounding");
  EXPECT_CONTAINS(ParseError("quantized_po2(10)"), "wider than");
  EXPECT_CONTAINS(ParseError("quantized_po2(1)"), "no usable exponent");
  EXPECT_CONTAINS(ParseError("ternary(alpha='auto', threshold=0.3)"), "threshold");
  EXPECT_CONTAINS(ParseError("quantized_ulaw(8)"), "quantized_ulaw");
}

TEST(QKerasSpec, RecognisesQuantizersOnly) {
  EXPECT_TRUE(IsQKerasQuantizerSpec("quantized_bits(6,0,alpha=1)"));
  EXPECT_TRUE(IsQKerasQuantizerSpec("quantized_relu(6)"));
  EXPECT_TRUE(IsQKerasQuantizerSpec("binary"));
  EXPECT_TRUE(IsQKerasQuantizerSpec("stochastic_binary()"));
  EXPECT_TRUE(IsQKerasQuantizerSpec(json{{"class_name", "quantized_po2"}, {"config", {}}}));
  EXPECT_FALSE(IsQKerasQuantizerSpec("relu"));
  EXPECT_FALSE(IsQKerasQuantizerSpec("linear"));
  EXPECT_FALSE(IsQKerasQuantizerSpec(json{{"class_name", "ReLU"}, {"config", {}}}));
  EXPECT_FALSE(IsQKerasQuantizerSpec(json(nullptr)));
  EXPECT_FALSE(IsQKerasQuantizerSpec(json(1.5)));
}

// ---------------------------------------------------------------------------------------------
// HGQ FixedPointQuantizer.

HgqArray Array(std::vector<int64_t> shape, std::vector<double> values) {
  return HgqArray{std::move(shape), std::move(values)};
}

// Every FixedPointQuantizer layer of the HGQ v1 example models, with the outputs HGQ's own
// layer computed (tests/data/quantizers/hgq_vectors.json).
TEST(HgqFixedPointQuantizer, EveryOutputMatchesHgq) {
  std::ifstream in(FIXNN_TEST_DATA_DIR "/quantizers/hgq_vectors.json");
  ASSERT_TRUE(in.good()) << "missing tests/data/quantizers/hgq_vectors.json";
  const json doc = json::parse(in);
  size_t values = 0;
  size_t matching = 0;
  size_t heterogeneous = 0;
  for (const json& layer : doc.at("layers")) {
    const std::string name = layer.at("config").at("name").get<std::string>();
    std::map<std::string, HgqArray> weights;
    for (const auto& [key, w] : layer.at("weights").items()) {
      weights[key] = HgqArray{w.at("shape").get<std::vector<int64_t>>(),
                              w.at("values").get<std::vector<double>>()};
    }
    const std::vector<int64_t> shape = layer.at("input_shape").get<std::vector<int64_t>>();
    Result<ir::Quantizer> q = ParseHgqFixedPointQuantizer(layer.at("config"), weights, shape);
    ASSERT_TRUE(q.ok()) << name << ": " << q.error().message();
    if (q->per_element.has_value()) ++heterogeneous;
    const int lsb_exp = layer.at("lsb_exp").get<int>();
    std::vector<double> x = layer.at("input").get<std::vector<double>>();
    std::vector<double> want = layer.at("output").get<std::vector<double>>();
    ASSERT_EQ(x.size(), want.size());
    for (double& v : x) v = std::ldexp(v, lsb_exp);
    for (double& v : want) v = std::ldexp(v, lsb_exp);
    size_t per_sample = 1;
    for (int64_t d : shape) per_sample *= static_cast<size_t>(d);
    ASSERT_EQ(x.size() % per_sample, 0u);
    int shown = 0;
    for (size_t s = 0; s < x.size(); s += per_sample) {
      std::vector<double> got(x.begin() + s, x.begin() + s + per_sample);
      ir::ApplyQuantizer(*q, got);
      for (size_t i = 0; i < per_sample; ++i) {
        ++values;
        if (got[i] == want[s + i]) {
          ++matching;
        } else if (shown++ < 5) {
          ADD_FAILURE() << layer.at("model").get<std::string>() << " " << name << " element " << i
                        << ": x = " << x[s + i] << " gives " << got[i] << ", HGQ " << want[s + i];
        }
      }
    }
  }
  EXPECT_EQ(matching, values);
  EXPECT_GE(heterogeneous, 5u);
  std::printf("[ HGQ      ] %zu layers (%zu heterogeneous), %zu of %zu outputs equal\n",
              doc.at("layers").size(), heterogeneous, matching, values);
}

TEST(HgqFixedPointQuantizer, HomogeneousIsOneType) {
  json config = {{"name", "dense_1_quantizer"}, {"RND", "TRN"}, {"SAT", "WRAP"}, {"shape", {1}}};
  std::map<std::string, HgqArray> w = {{"keep_negative", Array({1}, {1})},
                                       {"bits", Array({1}, {12})},
                                       {"integers", Array({1}, {9})}};
  Result<ir::Quantizer> q = ParseHgqFixedPointQuantizer(config, w, {64});
  ASSERT_TRUE(q.ok()) << q.error().message();
  EXPECT_FALSE(q->per_element.has_value());
  EXPECT_EQ(q->type.ToString(), "ap_fixed<12,9>");
  // WRAP: 300 wraps modulo 2^9 = 512 into [-256, 256): 300 - 512 = -212. TRN floors.
  EXPECT_EQ(Apply(*q, {300.0, -1.3, 2.0078125})[0], -212.0);
  EXPECT_EQ(Apply(*q, {300.0, -1.3, 2.0078125})[1], -1.375);
  EXPECT_EQ(Apply(*q, {300.0, -1.3, 2.0078125})[2], 2.0);
}

TEST(HgqFixedPointQuantizer, HeterogeneousBroadcastsAndZeroBits) {
  // Input [2, 3]; arrays [1, 1, 3] broadcast over the first axis. Element 1 has bits 0.
  json config = {{"name", "q"}, {"RND", "RND"}, {"SAT", "SAT"}, {"shape", {1, 1, 3}}};
  std::map<std::string, HgqArray> w = {{"keep_negative", Array({1, 1, 3}, {1, 0, 0})},
                                       {"bits", Array({1, 1, 3}, {4, 0, 3})},
                                       {"integers", Array({1, 1, 3}, {2, 0, 1})}};
  Result<ir::Quantizer> q = ParseHgqFixedPointQuantizer(config, w, {2, 3});
  ASSERT_TRUE(q.ok()) << q.error().message();
  ASSERT_TRUE(q->per_element.has_value());
  ASSERT_EQ(q->per_element->types.size(), 6u);
  EXPECT_EQ(q->per_element->types[3].ToString(), "ap_fixed<4,2,AP_RND,AP_SAT>");
  EXPECT_EQ(q->per_element->types[5].ToString(), "ap_ufixed<3,1,AP_RND,AP_SAT>");
  ASSERT_EQ(q->per_element->always_zero.size(), 6u);
  EXPECT_TRUE(q->per_element->always_zero[4]);
  // Covering type: signed, I = max(2, 1 + 1) = 2, F = max(2, 2).
  EXPECT_EQ(q->type.ToString(), "ap_fixed<4,2,AP_RND,AP_SAT>");
  std::vector<double> y = Apply(*q, {0.375, 5.0, 1.8125, -9.0, -0.3, -0.1});
  EXPECT_EQ(y, (std::vector<double>{0.5, 0.0, 1.75, -2.0, 0.0, 0.0}));
}

TEST(HgqFixedPointQuantizer, Errors) {
  std::map<std::string, HgqArray> w = {
      {"keep_negative", Array({1}, {1})}, {"bits", Array({1}, {8})}, {"integers", Array({1}, {3})}};
  json wrap_sm = {{"name", "q"}, {"RND", "TRN"}, {"SAT", "WRAP_SM"}};
  Result<ir::Quantizer> a = ParseHgqFixedPointQuantizer(wrap_sm, w, {4});
  ASSERT_FALSE(a.ok());
  EXPECT_CONTAINS(a.error().message(), "WRAP_SM");
  EXPECT_CONTAINS(a.error().message(), "'q'");
  json bad_rnd = {{"name", "q"}, {"RND", "ROUND"}, {"SAT", "WRAP"}};
  EXPECT_FALSE(ParseHgqFixedPointQuantizer(bad_rnd, w, {4}).ok());
  json ok = {{"name", "q"}, {"RND", "TRN"}, {"SAT", "WRAP"}};
  std::map<std::string, HgqArray> wide = {{"keep_negative", Array({1, 5}, {1, 1, 1, 1, 1})},
                                          {"bits", Array({1, 5}, {8, 8, 8, 8, 8})},
                                          {"integers", Array({1, 5}, {3, 3, 3, 3, 3})}};
  Result<ir::Quantizer> c = ParseHgqFixedPointQuantizer(ok, wide, {4});
  ASSERT_FALSE(c.ok());
  EXPECT_CONTAINS(c.error().message(), "do not broadcast");
  std::map<std::string, HgqArray> missing = {{"bits", Array({1}, {8})}};
  EXPECT_FALSE(ParseHgqFixedPointQuantizer(ok, missing, {4}).ok());
}

}  // namespace
}  // namespace fixnn::frontends::keras
