#include "frontends/keras/qkeras_quantizers.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <set>

namespace fixnn::frontends::keras {
namespace {

using fixed::FixedType;
using fixed::Overflow;
using fixed::Rounding;
using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// The quantizer classes QKeras 0.9.0 defines, with their constructor parameters in order.

struct QKerasClass {
  const char* name;
  std::vector<std::string> params;
};

const std::vector<QKerasClass>& SupportedClasses() {
  static const std::vector<QKerasClass> kClasses = {
      {"quantized_bits",
       {"bits", "integer", "symmetric", "keep_negative", "alpha", "use_stochastic_rounding",
        "scale_axis", "qnoise_factor", "var_name", "use_ste", "use_variables",
        "post_training_scale"}},
      {"quantized_relu",
       {"bits", "integer", "use_sigmoid", "negative_slope", "use_stochastic_rounding",
        "relu_upper_bound", "is_quantized_clip", "qnoise_factor", "var_name", "use_ste",
        "use_variables"}},
      {"quantized_tanh", {"bits", "use_stochastic_rounding", "symmetric", "use_real_tanh"}},
      {"quantized_sigmoid", {"bits", "symmetric", "use_real_sigmoid", "use_stochastic_rounding"}},
      {"quantized_po2",
       {"bits", "max_value", "use_stochastic_rounding", "quadratic_approximation", "log2_rounding",
        "qnoise_factor", "var_name", "use_ste", "use_variables"}},
      {"quantized_relu_po2",
       {"bits", "max_value", "negative_slope", "use_stochastic_rounding", "quadratic_approximation",
        "log2_rounding", "qnoise_factor", "var_name", "use_ste", "use_variables"}},
      {"binary", {"use_01", "alpha", "use_stochastic_rounding"}},
      {"ternary", {"alpha", "threshold", "use_stochastic_rounding", "number_of_unrolls"}},
  };
  return kClasses;
}

// QKeras quantizers fixnn refuses, with the reason.
const std::map<std::string, std::string>& RefusedClasses() {
  static const std::map<std::string, std::string> kRefused = {
      {"stochastic_binary", "it samples random values, so its output is not deterministic"},
      {"stochastic_ternary", "it samples random values, so its output is not deterministic"},
      {"bernoulli", "it samples random values, so its output is not deterministic"},
      {"quantized_ulaw", "u-law companding has no fixed-point grid"},
      {"quantized_hswish", "hard-swish quantization is not supported"},
  };
  return kRefused;
}

const QKerasClass* FindClass(const std::string& name) {
  for (const QKerasClass& c : SupportedClasses()) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

std::string Trim(std::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// "qkeras>quantized_bits" -> "quantized_bits".
std::string StripPackage(const std::string& name) {
  size_t gt = name.rfind('>');
  return gt == std::string::npos ? name : name.substr(gt + 1);
}

// The class name a spec names, or "" when it names none.
std::string SpecClassName(const json& spec) {
  if (spec.is_string()) {
    std::string s = spec.get<std::string>();
    return Trim(std::string_view(s).substr(0, s.find('(')));
  }
  if (spec.is_object()) {
    auto it = spec.find("class_name");
    if (it != spec.end() && it->is_string()) return StripPackage(it->get<std::string>());
  }
  return "";
}

// ---------------------------------------------------------------------------------------------
// The string form, read as QKeras' safe_eval reads it.

Result<json> ParseStringValue(const std::string& text, const std::string& spelling) {
  std::string v = Trim(text);
  if (v.empty()) return Error(fmt::format("'{}': empty argument", spelling));
  if (v == "True") return json(true);
  if (v == "False") return json(false);
  if (v == "None") return json(nullptr);
  if (v.size() >= 2 && (v.front() == '\'' || v.front() == '"') && v.back() == v.front()) {
    return json(v.substr(1, v.size() - 2));
  }
  // An int, else a float, as Python's int() / float() accept them (no hexadecimal).
  if (v.find_first_of("xX") != std::string::npos) {
    return Error(fmt::format("'{}': cannot read the argument '{}'", spelling, v));
  }
  const char* begin = v.c_str();
  char* end = nullptr;
  errno = 0;
  long long i = std::strtoll(begin, &end, 10);
  if (end == begin + v.size() && errno == 0) return json(static_cast<int64_t>(i));
  double d = std::strtod(begin, &end);
  if (end == begin + v.size()) return json(d);
  return Error(
      fmt::format("'{}': cannot read the argument '{}' (expected True, False, None, a "
                  "number or a quoted string)",
                  spelling, v));
}

struct Call {
  std::string name;
  std::vector<json> positional;
  std::vector<std::pair<std::string, json>> keyword;
};

Result<Call> ParseCall(const std::string& spelling) {
  Call call;
  size_t open = spelling.find('(');
  call.name = Trim(std::string_view(spelling).substr(0, open));
  if (call.name.empty()) return Error(fmt::format("'{}': no quantizer name", spelling));
  if (open == std::string::npos) return call;
  size_t close = spelling.rfind(')');
  if (close == std::string::npos || close < open) {
    return Error(fmt::format("'{}': missing ')'", spelling));
  }
  if (!Trim(std::string_view(spelling).substr(close + 1)).empty()) {
    return Error(fmt::format("'{}': unexpected text after ')'", spelling));
  }
  std::string inner = spelling.substr(open + 1, close - open - 1);
  if (inner.find_first_of("()") != std::string::npos) {
    return Error(fmt::format("'{}': nested parentheses are not allowed", spelling));
  }
  if (Trim(inner).empty()) return call;
  size_t start = 0;
  while (start <= inner.size()) {
    size_t comma = inner.find(',', start);
    std::string item =
        inner.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t eq = item.find('=');
    if (eq == std::string::npos) {
      if (!call.keyword.empty()) {
        return Error(fmt::format("'{}': positional argument '{}' after a keyword argument",
                                 spelling, Trim(item)));
      }
      Result<json> v = ParseStringValue(item, spelling);
      if (!v.ok()) return v.error();
      call.positional.push_back(std::move(v).value());
    } else {
      std::string key = Trim(std::string_view(item).substr(0, eq));
      if (key.empty() || key.find_first_of(" \t") != std::string::npos) {
        return Error(fmt::format("'{}': bad keyword '{}'", spelling, key));
      }
      Result<json> v = ParseStringValue(item.substr(eq + 1), spelling);
      if (!v.ok()) return v.error();
      call.keyword.emplace_back(key, std::move(v).value());
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return call;
}

// Binds a string call's arguments to the class's parameter names: the same config object the
// dict form carries.
Result<json> BindArguments(const Call& call, const QKerasClass& cls, const std::string& spelling) {
  json config = json::object();
  if (call.positional.size() > cls.params.size()) {
    return Error(fmt::format("'{}': {} takes at most {} positional arguments, got {}", spelling,
                             cls.name, cls.params.size(), call.positional.size()));
  }
  for (size_t i = 0; i < call.positional.size(); ++i) config[cls.params[i]] = call.positional[i];
  for (const auto& [key, value] : call.keyword) {
    if (config.contains(key)) {
      return Error(fmt::format("'{}': argument '{}' given twice", spelling, key));
    }
    config[key] = value;
  }
  return config;
}

// ---------------------------------------------------------------------------------------------
// Typed reads of a config object, with Python's meanings (truthiness, int-valued floats).

class Fields {
 public:
  Fields(const json& config, std::string spelling)
      : config_(config), spelling_(std::move(spelling)) {}

  const json* Find(const std::string& key) const {
    auto it = config_.find(key);
    if (it == config_.end() || it->is_null()) return nullptr;
    return &*it;
  }
  Error Fail(const std::string& message) const {
    return Error(fmt::format("'{}': {}", spelling_, message));
  }
  Result<int> Int(const std::string& key, int fallback) const {
    const json* v = Find(key);
    if (v == nullptr) return fallback;
    if (v->is_number_integer()) {
      int64_t i = v->get<int64_t>();
      if (i < -100000 || i > 100000) return Fail(fmt::format("{}={} is out of range", key, i));
      return static_cast<int>(i);
    }
    if (v->is_number_float()) {
      double d = v->get<double>();
      if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) <= 100000) {
        return static_cast<int>(d);
      }
    }
    return Fail(fmt::format("{} must be an integer, got {}", key, v->dump()));
  }
  Result<double> Double(const std::string& key, double fallback) const {
    const json* v = Find(key);
    if (v == nullptr) return fallback;
    if (v->is_number()) return v->get<double>();
    if (v->is_boolean()) return v->get<bool>() ? 1.0 : 0.0;
    return Fail(fmt::format("{} must be a number, got {}", key, v->dump()));
  }
  std::optional<double> OptionalDouble(const std::string& key, Status* status) const {
    const json* v = Find(key);
    if (v == nullptr) return std::nullopt;
    if (v->is_number()) return v->get<double>();
    *status = Fail(fmt::format("{} must be a number or None, got {}", key, v->dump()));
    return std::nullopt;
  }
  // Python truthiness of a bool or number (QKeras passes 0/1 and True/False alike).
  Result<bool> Flag(const std::string& key, bool fallback) const {
    const json* v = Find(key);
    if (v == nullptr) return config_.contains(key) ? false : fallback;
    if (v->is_boolean()) return v->get<bool>();
    if (v->is_number()) return v->get<double>() != 0.0;
    return Fail(fmt::format("{} must be True/False or a number, got {}", key, v->dump()));
  }
  const std::string& spelling() const { return spelling_; }

 private:
  const json& config_;
  std::string spelling_;
};

// Refusals every QKeras quantizer shares.
Status CheckCommon(const Fields& f, const std::string& cls) {
  Result<bool> stochastic = f.Flag("use_stochastic_rounding", false);
  if (!stochastic.ok()) return stochastic.error();
  if (*stochastic) {
    return f.Fail(
        fmt::format("{} with use_stochastic_rounding=True samples random values, so "
                    "its output is not deterministic; use_stochastic_rounding=False "
                    "is required",
                    cls));
  }
  Result<double> noise = f.Double("qnoise_factor", 1.0);
  if (!noise.ok()) return noise.error();
  if (*noise != 1.0) {
    return f.Fail(
        fmt::format("qnoise_factor={} mixes the unquantized input into the output; "
                    "only qnoise_factor=1 is exact",
                    *noise));
  }
  return Status::Ok();
}

// QKeras alpha: None, a number, a list of numbers, 'auto' or 'auto_po2'.
Status ReadAlpha(const Fields& f, ir::Quantizer& q) {
  const json* a = f.Find("alpha");
  if (a == nullptr) return Status::Ok();
  if (a->is_string()) {
    std::string s = a->get<std::string>();
    if (s == "auto") {
      q.alpha = ir::AlphaKind::kAuto;
    } else if (s == "auto_po2") {
      q.alpha = ir::AlphaKind::kAutoPo2;
    } else {
      return f.Fail(fmt::format("alpha='{}' is not one of None, a number, 'auto', 'auto_po2'", s));
    }
    return Status::Ok();
  }
  std::vector<double> values;
  if (a->is_number()) {
    values.push_back(a->get<double>());
  } else if (a->is_array() && !a->empty()) {
    for (const json& v : *a) {
      if (!v.is_number()) return f.Fail(fmt::format("alpha must hold numbers, got {}", a->dump()));
      values.push_back(v.get<double>());
    }
  } else {
    return f.Fail(
        fmt::format("alpha must be None, a number, 'auto' or 'auto_po2', got {}", a->dump()));
  }
  for (double v : values) {
    if (!std::isfinite(v)) return f.Fail(fmt::format("alpha={} is not finite", a->dump()));
  }
  q.alpha = ir::AlphaKind::kValue;
  // alpha=1 multiplies by 1: no scale.
  if (!(values.size() == 1 && values[0] == 1.0)) {
    for (double& v : values) v = static_cast<float>(v);  // QKeras multiplies in float32
    q.scale = std::move(values);
  }
  return Status::Ok();
}

bool IsPowerOfTwo(double v) {
  int e = 0;
  return v > 0 && std::frexp(v, &e) == 0.5;
}

Result<FixedType> MakeType(const Fields& f, FixedType t) {
  Status s = t.Validate();
  if (!s.ok())
    return f.Fail(fmt::format("maps to an invalid fixed-point type: {}", s.error().message()));
  return t;
}

// QKeras evaluates 2^integer with integer tensors, which TensorFlow refuses for negative
// exponents: such a quantizer cannot run in QKeras, so there is nothing to reproduce.
Error NegativeInteger(const Fields& f, int integer) {
  return f.Fail(
      fmt::format("integer={} is negative; QKeras cannot evaluate 2^integer for it", integer));
}

// ---------------------------------------------------------------------------------------------
// One builder per class.

Result<ir::Quantizer> BuildQuantizedBits(const Fields& f, ir::Quantizer q) {
  Result<int> bits = f.Int("bits", 8);
  if (!bits.ok()) return bits.error();
  Result<int> integer = f.Int("integer", 0);
  if (!integer.ok()) return integer.error();
  Result<bool> symmetric = f.Flag("symmetric", false);
  if (!symmetric.ok()) return symmetric.error();
  Result<bool> keep_negative = f.Flag("keep_negative", true);
  if (!keep_negative.ok()) return keep_negative.error();
  Result<bool> use_ste = f.Flag("use_ste", true);
  if (!use_ste.ok()) return use_ste.error();
  if (*bits < 1) return f.Fail(fmt::format("bits={} must be at least 1", *bits));
  if (*integer < 0) return NegativeInteger(f, *integer);
  Status alpha = ReadAlpha(f, q);
  if (!alpha.ok()) return alpha.error();
  const int kn = *keep_negative ? 1 : 0;
  q.keep_negative = *keep_negative;
  q.straight_through = *use_ste;
  q.symmetric = *symmetric;
  if (q.alpha == ir::AlphaKind::kAuto || q.alpha == ir::AlphaKind::kAutoPo2) {
    if (f.Find("scale_axis") != nullptr) {
      return f.Fail(
          "scale_axis is not supported: fixnn computes auto scales per channel of "
          "the last axis, as QKeras does by default");
    }
    q.symmetric = true;  // QKeras forces it for string alphas
    q.scale_mode = ir::ScaleMode::kAround;
    Result<FixedType> t =
        MakeType(f, FixedType::Fixed(*bits, *integer + kn, Rounding::kRndInf, Overflow::kSatSym));
    if (!t.ok()) return t.error();
    q.type = *t;
    return q;
  }
  if (*bits - kn == 0) {
    // QKeras' 1-bit path: sign(x) with 0 -> +1, not scaled by 2^integer.
    q.kind = ir::QuantizerKind::kBinary;
    q.type = FixedType::Fixed(2, 2, Rounding::kTrn, Overflow::kSat);
    return q;
  }
  FixedType t = kn ? FixedType::Fixed(*bits, *integer + 1, Rounding::kRndConv,
                                      *symmetric ? Overflow::kSatSym : Overflow::kSat)
                   : FixedType::UFixed(*bits, *integer, Rounding::kRndConv, Overflow::kSat);
  Result<FixedType> checked = MakeType(f, t);
  if (!checked.ok()) return checked.error();
  q.type = *checked;
  return q;
}

Result<ir::Quantizer> BuildQuantizedRelu(const Fields& f, ir::Quantizer q) {
  Result<int> bits = f.Int("bits", 8);
  if (!bits.ok()) return bits.error();
  Result<int> integer = f.Int("integer", 0);
  if (!integer.ok()) return integer.error();
  Result<bool> use_sigmoid = f.Flag("use_sigmoid", false);
  if (!use_sigmoid.ok()) return use_sigmoid.error();
  Result<double> slope = f.Double("negative_slope", 0.0);
  if (!slope.ok()) return slope.error();
  Result<bool> clip = f.Flag("is_quantized_clip", true);
  if (!clip.ok()) return clip.error();
  Result<bool> use_ste = f.Flag("use_ste", true);
  if (!use_ste.ok()) return use_ste.error();
  if (*integer < 0) return NegativeInteger(f, *integer);
  if (*slope < 0 || (*slope != 0 && !IsPowerOfTwo(*slope))) {
    return f.Fail(
        fmt::format("negative_slope={} must be 0 or a power of two (QKeras asserts it)", *slope));
  }
  if (*slope > 1) {
    return f.Fail(fmt::format("negative_slope={} above 1 is not supported", *slope));
  }
  const int non_sign_bits = *bits - (*slope != 0 ? 1 : 0);
  if (non_sign_bits < 1) {
    return f.Fail(fmt::format("bits={} leaves no magnitude bits", *bits));
  }
  if (*use_sigmoid && *slope != 0) {
    return f.Fail("use_sigmoid together with negative_slope is not supported");
  }
  if (!*clip && f.Find("relu_upper_bound") != nullptr) {
    return f.Fail("relu_upper_bound with is_quantized_clip=False is not supported");
  }
  q.kind = ir::QuantizerKind::kReLU;
  q.relu_negative_slope = *slope;
  q.relu_use_sigmoid = *use_sigmoid;
  q.relu_clip_base = *clip;
  q.straight_through = *use_ste;
  // With a slope, values lie in [-slope * 2^integer, 2^integer - lsb] with
  // lsb = 2^(integer - (bits - 1)): the grid of ap_fixed<bits, integer + 1>.
  FixedType t = *slope == 0
                    ? FixedType::UFixed(*bits, *integer, Rounding::kRndConv, Overflow::kSat)
                    : FixedType::Fixed(*bits, *integer + 1, Rounding::kRndConv, Overflow::kSat);
  Result<FixedType> checked = MakeType(f, t);
  if (!checked.ok()) return checked.error();
  q.type = *checked;
  return q;
}

Result<ir::Quantizer> BuildTanhSigmoid(const Fields& f, ir::Quantizer q, bool is_tanh) {
  Result<int> bits = f.Int("bits", 8);
  if (!bits.ok()) return bits.error();
  Result<bool> symmetric = f.Flag("symmetric", false);
  if (!symmetric.ok()) return symmetric.error();
  Result<bool> real = f.Flag(is_tanh ? "use_real_tanh" : "use_real_sigmoid", false);
  if (!real.ok()) return real.error();
  if (*bits < 1) return f.Fail(fmt::format("bits={} must be at least 1", *bits));
  q.kind = is_tanh ? ir::QuantizerKind::kTanh : ir::QuantizerKind::kSigmoid;
  q.symmetric = *symmetric;
  q.sigmoid_hard = !*real;
  FixedType t = is_tanh ? FixedType::Fixed(*bits, 1, Rounding::kRndConv,
                                           *symmetric ? Overflow::kSatSym : Overflow::kSat)
                        : FixedType::UFixed(*bits, 0, Rounding::kRndConv, Overflow::kSat);
  Result<FixedType> checked = MakeType(f, t);
  if (!checked.ok()) return checked.error();
  q.type = *checked;
  return q;
}

Result<ir::Quantizer> BuildPo2(const Fields& f, ir::Quantizer q, bool relu) {
  Result<int> bits = f.Int("bits", 8);
  if (!bits.ok()) return bits.error();
  Status status;
  std::optional<double> max_value = f.OptionalDouble("max_value", &status);
  if (!status.ok()) return status.error();
  Result<bool> quadratic = f.Flag("quadratic_approximation", false);
  if (!quadratic.ok()) return quadratic.error();
  Result<bool> use_ste = f.Flag("use_ste", true);
  if (!use_ste.ok()) return use_ste.error();
  double slope = 0.0;
  if (relu) {
    Result<double> s = f.Double("negative_slope", 0.0);
    if (!s.ok()) return s.error();
    slope = *s;
    if (slope < 0 || (slope != 0 && !IsPowerOfTwo(slope))) {
      return f.Fail(
          fmt::format("negative_slope={} must be 0 or a power of two (QKeras asserts it)", slope));
    }
  }
  std::string rounding = "rnd";
  if (const json* r = f.Find("log2_rounding")) {
    if (!r->is_string()) return f.Fail("log2_rounding must be 'rnd' or 'floor'");
    rounding = r->get<std::string>();
  }
  if (rounding != "rnd" && rounding != "floor") {
    return f.Fail(fmt::format("log2_rounding='{}' must be 'rnd' or 'floor'", rounding));
  }
  if (max_value.has_value() && (*max_value < 0 || !std::isfinite(*max_value))) {
    return f.Fail(fmt::format("max_value={} must be non-negative", *max_value));
  }
  // QKeras: the exponent needs a sign bit unless max_value <= 1.
  const int need_sign = (!max_value.has_value() || *max_value > 1) ? 1 : 0;
  const int effect_bits = relu ? *bits - need_sign : *bits - 1 - need_sign;
  if (effect_bits < 0 || effect_bits > 12) {
    return f.Fail(fmt::format("bits={} gives no usable exponent range", *bits));
  }
  q.kind = ir::QuantizerKind::kPo2;
  q.po2_relu = relu;
  q.relu_negative_slope = slope;
  q.po2_max_value = max_value;
  q.po2_quadratic = *quadratic;
  q.po2_log2_floor = rounding == "floor";
  q.straight_through = *use_ste;
  q.min_exponent = -(1 << effect_bits);
  q.max_exponent = (1 << effect_bits) - 1;
  if (*quadratic) {
    q.max_exponent = 2 * static_cast<int>(std::floor(q.max_exponent / 2.0));
  }
  // The narrowest type holding +-2^e for every e the quantizer can produce.
  double lo = ir::QuantizerMin(q);
  double hi = ir::QuantizerMax(q);
  int lo_exp = 0;
  int hi_exp = 0;
  std::frexp(hi, &hi_exp);
  hi_exp -= 1;
  const bool is_signed = lo < 0;
  int min_e = 0;
  if (is_signed) {
    // Smallest magnitude: 2^(min exponent reachable).
    min_e = std::min(q.min_exponent, (*quadratic ? 2 : 1) * q.min_exponent);
  } else {
    std::frexp(lo, &lo_exp);
    min_e = lo_exp - 1;
  }
  const int integer = hi_exp + 1 + (is_signed ? 1 : 0);
  const int width = integer - min_e;
  FixedType t = is_signed ? FixedType::Fixed(width, integer, Rounding::kRndConv, Overflow::kSat)
                          : FixedType::UFixed(width, integer, Rounding::kRndConv, Overflow::kSat);
  if (width > fixed::kMaxWidth) {
    return f.Fail(fmt::format("exponents {}..{} need a {}-bit fixed-point type, wider than {}",
                              min_e, hi_exp, width, fixed::kMaxWidth));
  }
  Result<FixedType> checked = MakeType(f, t);
  if (!checked.ok()) return checked.error();
  q.type = *checked;
  return q;
}

Result<ir::Quantizer> BuildBinary(const Fields& f, ir::Quantizer q) {
  Result<bool> use_01 = f.Flag("use_01", false);
  if (!use_01.ok()) return use_01.error();
  Status alpha = ReadAlpha(f, q);
  if (!alpha.ok()) return alpha.error();
  q.kind = ir::QuantizerKind::kBinary;
  q.binary_use_01 = *use_01;
  // alpha=None: QKeras' straight-through base is tanh(x), within [-1, 1] with the sign of the
  // result, and tanh(x) + (b - tanh(x)) is exactly b in float32.
  q.straight_through = q.alpha != ir::AlphaKind::kNone;
  q.type = *use_01 ? FixedType::UFixed(1, 1, Rounding::kTrn, Overflow::kSat)
                   : FixedType::Fixed(2, 2, Rounding::kTrn, Overflow::kSat);
  return q;
}

Result<ir::Quantizer> BuildTernary(const Fields& f, ir::Quantizer q) {
  Status alpha = ReadAlpha(f, q);
  if (!alpha.ok()) return alpha.error();
  Result<int> unrolls = f.Int("number_of_unrolls", 5);
  if (!unrolls.ok()) return unrolls.error();
  const bool automatic = q.alpha == ir::AlphaKind::kAuto || q.alpha == ir::AlphaKind::kAutoPo2;
  const json* threshold = f.Find("threshold");
  if (automatic) {
    if (threshold != nullptr) {
      return f.Fail("threshold must be None with alpha 'auto'/'auto_po2' (QKeras asserts it)");
    }
    if (*unrolls < 1) {
      return f.Fail(fmt::format("number_of_unrolls={} must be at least 1", *unrolls));
    }
  } else if (threshold != nullptr) {
    if (!threshold->is_number()) {
      return f.Fail(fmt::format("threshold must be a number, got {}", threshold->dump()));
    }
    q.threshold = threshold->get<double>();
  } else {
    q.threshold = 0.33;  // QKeras' default_threshold
  }
  q.threshold = static_cast<float>(q.threshold);
  q.kind = ir::QuantizerKind::kTernary;
  q.ternary_unrolls = *unrolls;
  q.straight_through = q.alpha != ir::AlphaKind::kNone;  // as for binary
  q.type = FixedType::Fixed(2, 2, Rounding::kTrn, Overflow::kSat);
  return q;
}

Result<ir::Quantizer> BuildFromConfig(const std::string& cls, const json& config,
                                      const std::string& spelling) {
  const QKerasClass* known = FindClass(cls);
  if (known == nullptr) {
    auto refused = RefusedClasses().find(cls);
    if (refused != RefusedClasses().end()) {
      return Error(fmt::format("'{}': QKeras quantizer {} is not supported: {}", spelling, cls,
                               refused->second));
    }
    return Error(fmt::format("'{}': unknown QKeras quantizer '{}'", spelling, cls));
  }
  if (!config.is_object()) {
    return Error(fmt::format("'{}': the quantizer's config must be an object", spelling));
  }
  for (const auto& [key, value] : config.items()) {
    if (std::find(known->params.begin(), known->params.end(), key) == known->params.end()) {
      return Error(fmt::format("'{}': {} has no argument '{}'", spelling, cls, key));
    }
  }
  Fields f(config, spelling);
  Status common = CheckCommon(f, cls);
  if (!common.ok()) return common.error();
  // Newer QKeras (for Keras 3) writes post_training_scale; only its default (null) is exact.
  if (config.contains("post_training_scale") && !config["post_training_scale"].is_null()) {
    return Error(fmt::format("'{}': post_training_scale is not supported", spelling));
  }
  ir::Quantizer q;
  q.spelling = spelling;
  q.qkeras = true;
  if (cls == "quantized_bits") return BuildQuantizedBits(f, q);
  if (cls == "quantized_relu") return BuildQuantizedRelu(f, q);
  if (cls == "quantized_tanh") return BuildTanhSigmoid(f, q, true);
  if (cls == "quantized_sigmoid") return BuildTanhSigmoid(f, q, false);
  if (cls == "quantized_po2") return BuildPo2(f, q, false);
  if (cls == "quantized_relu_po2") return BuildPo2(f, q, true);
  if (cls == "binary") return BuildBinary(f, q);
  return BuildTernary(f, q);
}

// ---------------------------------------------------------------------------------------------
// Auto alpha, in float32 as QKeras computes it.

constexpr float kEpsilon = 1e-7f;

// 2^round(log(s + eps) / log(2)), QKeras' power-of-two rounding of a scale.
float Po2Round(float s) {
  const float log2 = static_cast<float>(std::log(2.0));
  return std::exp2(std::nearbyint(ir::tf32::Log(s + kEpsilon) / log2));
}

float SignOf(float x) { return x > 0 ? 1.0f : (x < 0 ? -1.0f : 0.0f); }

// The tensor QKeras reduces: row-major values of shape [..., channels].
struct Tensor {
  std::vector<float> x;
  size_t channels = 1;
  bool rank1 = false;

  size_t channel(size_t i) const { return i % channels; }
};

// Sum of column c of a row-major [n, channels] array in the order TensorFlow's CPU kernel
// (Eigen's reduction over the outer axis, AVX packets of 8 floats) adds it: channels inside
// a full packet of 8 are summed, for n >= 16, in four interleaved accumulators (rows j % 4)
// combined as ((a0 + a1) + a2) + a3, then the remaining rows in order; the other channels and
// shorter columns are summed row by row.
float ColumnSum(const std::vector<float>& v, size_t n, size_t channels, size_t c) {
  constexpr size_t kPacket = 8;
  const bool packet = c < (channels / kPacket) * kPacket;
  if (!packet || n < 16) {
    float sum = 0.0f;
    for (size_t j = 0; j < n; ++j) sum += v[j * channels + c];
    return sum;
  }
  const size_t unrolled = (n / 4) * 4;
  float acc[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  for (size_t j = 0; j < unrolled; j += 4) {
    for (size_t k = 0; k < 4; ++k) acc[k] += v[(j + k) * channels + c];
  }
  float sum = acc[0] + acc[1];
  sum = sum + acc[2];
  sum = sum + acc[3];
  for (size_t j = unrolled; j < n; ++j) sum += v[j * channels + c];
  return sum;
}

// K.mean(a * b) over every axis but the last, as TensorFlow computes it: the float32 sum
// (ColumnSum) divided by the count; per element for a rank-1 tensor.
std::vector<float> ChannelMeanOfProducts(const Tensor& t, const std::vector<float>& a,
                                         const std::vector<float>& b) {
  std::vector<float> prod(a.size());
  for (size_t i = 0; i < a.size(); ++i) prod[i] = ir::tf32::Mul(a[i], b[i]);
  if (t.rank1) return prod;
  const size_t n = a.size() / t.channels;
  const float count = static_cast<float>(n);
  std::vector<float> mean(t.channels);
  for (size_t c = 0; c < t.channels; ++c) mean[c] = ColumnSum(prod, n, t.channels, c) / count;
  return mean;
}

// _get_scale(alpha, x, q): least-squares scale per channel, rounded to a power of two for
// auto_po2.
std::vector<float> LeastSquaresScale(const Tensor& t, const std::vector<float>& q, bool po2) {
  std::vector<float> qx = ChannelMeanOfProducts(t, t.x, q);
  std::vector<float> qq = ChannelMeanOfProducts(t, q, q);
  std::vector<float> scale(qx.size());
  for (size_t c = 0; c < qx.size(); ++c) {
    scale[c] = qx[c] / (qq[c] + kEpsilon);
    if (po2) scale[c] = Po2Round(scale[c]);
  }
  return scale;
}

// Max of |x| per channel (one value for a rank-1 tensor).
std::vector<float> ChannelMaxAbs(const Tensor& t) {
  std::vector<float> m(t.rank1 ? 1 : t.channels, 0.0f);
  for (size_t i = 0; i < t.x.size(); ++i) {
    float& slot = m[t.rank1 ? 0 : t.channel(i)];
    slot = std::max(slot, std::fabs(t.x[i]));
  }
  return m;
}

float At(const std::vector<float>& per_channel, const Tensor& t, size_t i) {
  if (per_channel.size() == 1) return per_channel[0];
  return per_channel[t.rank1 ? i : t.channel(i)];
}

// quantized_bits: the max-abs scale (auto), refined by 5 least-squares steps (auto_po2), on
// x / m_i; the result is QKeras' quantizer.scale = scale * m.
std::vector<float> QuantizedBitsAlpha(const ir::Quantizer& q, Tensor t) {
  const int kn = q.keep_negative ? 1 : 0;
  const int bits = q.type.width;
  if (bits == 1) {
    // 2^(bits-1) - 1 = 0 levels: QKeras' z = sign(x) * min(v, 0) is 0 for every value, and so
    // is its output, whatever the (degenerate) scale it computes; scale 1 gives those zeros.
    return std::vector<float>(ChannelMaxAbs(t).size(), 1.0f);
  }
  const float m = std::ldexp(1.0f, bits - kn);
  const float m_i = std::ldexp(1.0f, q.type.integer - kn);
  const float levels = (std::ldexp(1.0f, bits - 1) - 1.0f) * 2.0f;
  for (float& v : t.x) v = v / m_i;
  std::vector<float> scale = ChannelMaxAbs(t);
  for (float& s : scale) s = (s * 2.0f) / levels;
  if (q.alpha == ir::AlphaKind::kAutoPo2) {
    for (float& s : scale) s = Po2Round(s);
    for (int iter = 0; iter < 5; ++iter) {
      std::vector<float> z(t.x.size());
      for (size_t i = 0; i < t.x.size(); ++i) {
        float v = std::floor(std::fabs(t.x[i]) / At(scale, t, i) + 0.5f);
        z[i] = SignOf(t.x[i]) * (v < levels / 2.0f ? v : levels / 2.0f);
      }
      scale = LeastSquaresScale(t, z, /*po2=*/true);
    }
  }
  for (float& s : scale) s = s * m;
  return scale;
}

std::vector<float> BinaryAlpha(const ir::Quantizer& q, const Tensor& t) {
  std::vector<float> k(t.x.size());
  for (size_t i = 0; i < t.x.size(); ++i) {
    float s = SignOf(t.x[i]);
    s += 1.0f - std::fabs(s);
    k[i] = q.binary_use_01 ? (s + 1.0f) / 2.0f : s;
  }
  return LeastSquaresScale(t, k, q.alpha == ir::AlphaKind::kAutoPo2);
}

// ternary: scale = 2/3 max|x|, then number_of_unrolls steps of: t = sign(x) where
// |scale * round(x / scale)| >= scale / 2, scale = least squares. The output uses the last
// scale with the t of the last step, which was thresholded with the scale before it.
std::pair<std::vector<float>, std::vector<float>> TernaryAlpha(const ir::Quantizer& q,
                                                               const Tensor& t) {
  const bool po2 = q.alpha == ir::AlphaKind::kAutoPo2;
  std::vector<float> scale = ChannelMaxAbs(t);
  for (float& s : scale) {
    s = 2.0f * s / 3.0f;
    if (po2) s = Po2Round(s);
  }
  std::vector<float> divisor = scale;
  for (int iter = 0; iter < q.ternary_unrolls; ++iter) {
    divisor = scale;
    std::vector<float> k(t.x.size());
    for (size_t i = 0; i < t.x.size(); ++i) {
      float d = At(scale, t, i);
      float u = t.x[i] / d;
      float v = ir::tf32::Mul(d, u + (-u + std::nearbyint(u)));
      k[i] = (std::fabs(v) >= d / 2.0f ? 1.0f : 0.0f) * SignOf(t.x[i]);
    }
    scale = LeastSquaresScale(t, k, po2);
  }
  return {scale, divisor};
}

Result<Tensor> MakeTensor(std::span<const double> kernel, const std::vector<int64_t>& shape,
                          const std::string& spelling) {
  if (shape.empty()) {
    return Error(fmt::format("'{}': auto alpha needs a tensor of rank 1 or more", spelling));
  }
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d <= 0) return Error(fmt::format("'{}': bad kernel shape", spelling));
    n *= d;
  }
  if (static_cast<size_t>(n) != kernel.size()) {
    return Error(fmt::format("'{}': kernel has {} values but its shape holds {}", spelling,
                             kernel.size(), n));
  }
  Tensor t;
  t.rank1 = shape.size() == 1;
  t.channels = static_cast<size_t>(shape.back());
  t.x.reserve(kernel.size());
  for (double v : kernel) {
    if (!std::isfinite(v)) return Error(fmt::format("'{}': kernel holds {}", spelling, v));
    t.x.push_back(ir::tf32::Flush(static_cast<float>(v)));
  }
  return t;
}

}  // namespace

bool IsQKerasQuantizerSpec(const json& spec) {
  std::string name = SpecClassName(spec);
  if (name.empty()) return false;
  return FindClass(name) != nullptr || RefusedClasses().count(name) > 0;
}

Result<ir::Quantizer> ParseQKerasQuantizer(const json& spec) {
  if (spec.is_string()) {
    const std::string spelling = spec.get<std::string>();
    Result<Call> call = ParseCall(spelling);
    if (!call.ok()) return call.error();
    const QKerasClass* cls = FindClass(call->name);
    if (cls == nullptr) return BuildFromConfig(call->name, json::object(), spelling);
    Result<json> config = BindArguments(*call, *cls, spelling);
    if (!config.ok()) return config.error();
    return BuildFromConfig(call->name, *config, spelling);
  }
  if (spec.is_object()) {
    std::string spelling = spec.dump();
    auto name = spec.find("class_name");
    if (name == spec.end() || !name->is_string()) {
      return Error(fmt::format("'{}': a quantizer object needs a string 'class_name'", spelling));
    }
    auto config = spec.find("config");
    json empty = json::object();
    const json& cfg = (config == spec.end() || config->is_null()) ? empty : *config;
    return BuildFromConfig(StripPackage(name->get<std::string>()), cfg, spelling);
  }
  return Error(fmt::format("'{}': a QKeras quantizer is a string or an object", spec.dump()));
}

Result<ir::Quantizer> ResolveQKerasAlpha(const ir::Quantizer& q, std::span<const double> kernel,
                                         const std::vector<int64_t>& kernel_shape) {
  if (q.alpha != ir::AlphaKind::kAuto && q.alpha != ir::AlphaKind::kAutoPo2) return q;
  Result<Tensor> t = MakeTensor(kernel, kernel_shape, q.spelling);
  if (!t.ok()) return t.error();
  ir::Quantizer out = q;
  switch (q.kind) {
    case ir::QuantizerKind::kFixed: {
      std::vector<float> s = QuantizedBitsAlpha(q, *t);
      out.scale.assign(s.begin(), s.end());
      return out;
    }
    case ir::QuantizerKind::kBinary: {
      std::vector<float> s = BinaryAlpha(q, *t);
      out.scale.assign(s.begin(), s.end());
      return out;
    }
    case ir::QuantizerKind::kTernary: {
      auto [s, d] = TernaryAlpha(q, *t);
      out.scale.assign(s.begin(), s.end());
      out.ternary_divisor.assign(d.begin(), d.end());
      return out;
    }
    default:
      return Error(fmt::format("'{}': this quantizer has no auto alpha", q.spelling));
  }
}

Result<std::vector<double>> ComputeQKerasAlpha(const ir::Quantizer& q,
                                               std::span<const double> kernel,
                                               const std::vector<int64_t>& kernel_shape) {
  if (q.alpha != ir::AlphaKind::kAuto && q.alpha != ir::AlphaKind::kAutoPo2) {
    return Error(fmt::format("'{}': alpha is not 'auto' or 'auto_po2'", q.spelling));
  }
  Result<ir::Quantizer> resolved = ResolveQKerasAlpha(q, kernel, kernel_shape);
  if (!resolved.ok()) return resolved.error();
  return resolved->scale;
}

// ---------------------------------------------------------------------------------------------
// HGQ proxy FixedPointQuantizer.

namespace {

Result<Rounding> HgqRounding(const std::string& name, const std::string& where) {
  static const std::map<std::string, Rounding> kModes = {{"TRN", Rounding::kTrn},
                                                         {"TRN_ZERO", Rounding::kTrnZero},
                                                         {"RND", Rounding::kRnd},
                                                         {"RND_ZERO", Rounding::kRndZero},
                                                         {"RND_MIN_INF", Rounding::kRndMinInf},
                                                         {"RND_INF", Rounding::kRndInf},
                                                         {"RND_CONV", Rounding::kRndConv}};
  auto it = kModes.find(name);
  if (it == kModes.end()) {
    return Error(fmt::format("{}: unknown rounding mode RND='{}'", where, name));
  }
  return it->second;
}

Result<Overflow> HgqOverflow(const std::string& name, const std::string& where) {
  static const std::map<std::string, Overflow> kModes = {{"WRAP", Overflow::kWrap},
                                                         {"SAT", Overflow::kSat},
                                                         {"SAT_ZERO", Overflow::kSatZero},
                                                         {"SAT_SYM", Overflow::kSatSym}};
  if (name == "WRAP_SM") {
    return Error(
        fmt::format("{}: SAT='WRAP_SM' (HGQ's sign-magnitude wrap) has no ap_fixed "
                    "equivalent and is not supported",
                    where));
  }
  auto it = kModes.find(name);
  if (it == kModes.end()) {
    return Error(fmt::format("{}: unknown overflow mode SAT='{}'", where, name));
  }
  return it->second;
}

// Row-major index into an array of shape `from` broadcast (numpy rules, right-aligned) to
// shape `to`, for each element of `to`.
Result<std::vector<size_t>> BroadcastIndex(const std::vector<int64_t>& from,
                                           const std::vector<int64_t>& to,
                                           const std::string& where) {
  const size_t rank = std::max(from.size(), to.size());
  std::vector<int64_t> f(rank, 1);
  std::vector<int64_t> t(rank, 1);
  std::copy(from.begin(), from.end(), f.begin() + (rank - from.size()));
  std::copy(to.begin(), to.end(), t.begin() + (rank - to.size()));
  for (size_t d = 0; d < rank; ++d) {
    if (f[d] != 1 && f[d] != t[d]) {
      return Error(
          fmt::format("{}: bit-width arrays of shape {} do not broadcast to the input "
                      "shape {}",
                      where, fmt::join(from, "x"), fmt::join(to, "x")));
    }
  }
  int64_t total = 1;
  for (int64_t d : t) total *= d;
  std::vector<size_t> index(static_cast<size_t>(total));
  std::vector<int64_t> coord(rank, 0);
  for (size_t n = 0; n < index.size(); ++n) {
    size_t flat = 0;
    for (size_t d = 0; d < rank; ++d) {
      flat = flat * static_cast<size_t>(f[d]) + static_cast<size_t>(f[d] == 1 ? 0 : coord[d]);
    }
    index[n] = flat;
    for (size_t d = rank; d-- > 0;) {
      if (++coord[d] < t[d]) break;
      coord[d] = 0;
    }
  }
  return index;
}

}  // namespace

Result<ir::Quantizer> ParseHgqFixedPointQuantizer(const json& layer_config,
                                                  const std::map<std::string, HgqArray>& weights,
                                                  const std::vector<int64_t>& input_shape) {
  std::string name = "?";
  if (layer_config.is_object() && layer_config.contains("name") &&
      layer_config["name"].is_string()) {
    name = layer_config["name"].get<std::string>();
  }
  const std::string where = fmt::format("FixedPointQuantizer '{}'", name);
  if (!layer_config.is_object()) return Error(where + ": config must be an object");
  auto mode = [&](const char* key) -> Result<std::string> {
    auto it = layer_config.find(key);
    if (it == layer_config.end() || it->is_null())
      return std::string(key == std::string("RND") ? "TRN" : "WRAP");
    if (!it->is_string()) return Error(fmt::format("{}: {} must be a string", where, key));
    return it->get<std::string>();
  };
  Result<std::string> rnd_name = mode("RND");
  if (!rnd_name.ok()) return rnd_name.error();
  Result<std::string> sat_name = mode("SAT");
  if (!sat_name.ok()) return sat_name.error();
  Result<Rounding> rounding = HgqRounding(*rnd_name, where);
  if (!rounding.ok()) return rounding.error();
  Result<Overflow> overflow = HgqOverflow(*sat_name, where);
  if (!overflow.ok()) return overflow.error();

  const HgqArray* arrays[3] = {nullptr, nullptr, nullptr};
  const char* names[3] = {"keep_negative", "bits", "integers"};
  for (int a = 0; a < 3; ++a) {
    auto it = weights.find(names[a]);
    if (it == weights.end())
      return Error(fmt::format("{}: weight '{}' is missing", where, names[a]));
    arrays[a] = &it->second;
    int64_t n = 1;
    for (int64_t d : it->second.shape) n *= d;
    if (n != static_cast<int64_t>(it->second.values.size()) || n == 0) {
      return Error(fmt::format("{}: weight '{}' has {} values for shape {}", where, names[a],
                               it->second.values.size(), fmt::join(it->second.shape, "x")));
    }
  }
  if (arrays[0]->shape != arrays[1]->shape || arrays[0]->shape != arrays[2]->shape) {
    return Error(where + ": keep_negative, bits and integers have different shapes");
  }
  // The arrays carry a leading batch axis of size 1; compare against [1] + input shape.
  std::vector<int64_t> full_shape = {1};
  full_shape.insert(full_shape.end(), input_shape.begin(), input_shape.end());
  Result<std::vector<size_t>> index = BroadcastIndex(arrays[0]->shape, full_shape, where);
  if (!index.ok()) return index.error();

  // One type per distinct array element.
  const size_t n_src = arrays[0]->values.size();
  std::vector<FixedType> src_types(n_src);
  std::vector<bool> src_zero(n_src, false);
  for (size_t i = 0; i < n_src; ++i) {
    double k = arrays[0]->values[i];
    double b = arrays[1]->values[i];
    double in = arrays[2]->values[i];
    if ((k != 0 && k != 1) || b < 0 || b != std::floor(b) || in != std::floor(in) ||
        b > fixed::kMaxWidth || std::fabs(in) > fixed::kMaxIntegerMagnitude) {
      return Error(fmt::format("{}: element {} has keep_negative={}, bits={}, integers={}", where,
                               i, k, b, in));
    }
    if (b == 0) {
      src_zero[i] = true;
      src_types[i] = FixedType::UFixed(1, 0, *rounding, *overflow);
      continue;
    }
    src_types[i] =
        k != 0 ? FixedType::Fixed(static_cast<int>(b), static_cast<int>(in), *rounding, *overflow)
               : FixedType::UFixed(static_cast<int>(b), static_cast<int>(in), *rounding, *overflow);
  }
  ir::Quantizer q;
  q.kind = ir::QuantizerKind::kFixed;
  q.spelling = fmt::format("FixedPointQuantizer(RND={}, SAT={})", *rnd_name, *sat_name);
  bool uniform = true;
  for (size_t i = 1; i < n_src; ++i) {
    if (!(src_types[i] == src_types[0]) || src_zero[i] != src_zero[0]) uniform = false;
  }
  if (uniform && !src_zero[0]) {
    q.type = src_types[0];
    return q;
  }
  // The widest type covering every element, for consumers that want one type.
  bool any_signed = false;
  bool any_value = false;
  int top = 0;
  int frac = 0;
  for (size_t i = 0; i < n_src; ++i) {
    if (src_zero[i]) continue;
    any_signed = any_signed || src_types[i].is_signed;
  }
  for (size_t i = 0; i < n_src; ++i) {
    if (src_zero[i]) continue;
    const FixedType& t = src_types[i];
    int integer = t.integer + (any_signed && !t.is_signed ? 1 : 0);
    top = any_value ? std::max(top, integer) : integer;
    frac = any_value ? std::max(frac, t.frac_bits()) : t.frac_bits();
    any_value = true;
  }
  if (!any_value) {
    q.type = FixedType::UFixed(1, 0, *rounding, *overflow);
  } else {
    int width = std::max(1, top + frac);
    q.type = any_signed ? FixedType::Fixed(width, top, *rounding, *overflow)
                        : FixedType::UFixed(width, top, *rounding, *overflow);
    Status valid = q.type.Validate();
    if (!valid.ok()) return Error(where + ": " + valid.error().message());
  }
  ir::ElementTypes per;
  per.types.reserve(index->size());
  per.always_zero.reserve(index->size());
  for (size_t src : *index) {
    per.types.push_back(src_types[src]);
    per.always_zero.push_back(src_zero[src]);
  }
  if (std::none_of(per.always_zero.begin(), per.always_zero.end(), [](bool z) { return z; })) {
    per.always_zero.clear();
  }
  q.per_element = std::move(per);
  return q;
}

}  // namespace fixnn::frontends::keras
