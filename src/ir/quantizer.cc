#include "ir/quantizer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "fixed/fixed_value.h"
#include "fixed/quantize_array.h"

namespace fixnn::ir {
namespace {

// Every float expression below mirrors one TensorFlow float32 op; `float` arithmetic on x86-64
// (SSE) is IEEE single precision with round to nearest even, as TensorFlow's CPU kernels are.
constexpr float kEpsilon = 1e-7f;  // tf.keras.backend.epsilon() as a float32 constant

float Pow2f(int e) { return std::ldexp(1.0f, e); }

// Eigen's pmadd without FMA: a * b rounded, then + c rounded.
float MulAdd(float a, float b, float c) { return tf32::Mul(a, b) + c; }

double TypeMin(const FixedType& t) {
  if (!t.is_signed) return 0.0;
  double m = -std::ldexp(1.0, t.integer - 1);
  if (t.overflow == fixed::Overflow::kSatSym) m += std::ldexp(1.0, t.lsb_exponent());
  return m;
}

double TypeMax(const FixedType& t) {
  int top = t.is_signed ? t.integer - 1 : t.integer;
  return std::ldexp(1.0, top) - std::ldexp(1.0, t.lsb_exponent());
}

// Converts a double into a type with the vendor semantics; infinities saturate to the
// largest finite double first (so AP_SAT types give their extreme), NaN stays NaN.
double QuantizeOne(double x, const FixedType& t) {
  if (std::isnan(x)) return x;
  if (std::isinf(x)) x = std::copysign(DBL_MAX, x);
  Result<fixed::FixedValue> v = fixed::Quantize(x, t);
  assert(v.ok());
  return v->ToDouble();
}

void QuantizeSpan(std::span<double> values, const FixedType& t) {
  bool all_finite =
      std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
  if (all_finite) {
    Result<fixed::OverflowCounts> r = fixed::QuantizeToDoubles(values, t, values);
    if (r.ok()) return;
  }
  for (double& v : values) v = QuantizeOne(v, t);
}

float ScaleAt(const Quantizer& q, size_t i) {
  if (q.scale.empty()) return 1.0f;
  return static_cast<float>(q.scale[i % q.scale.size()]);
}

// QKeras' straight-through output x + stop_gradient(qnoise * (-x + xq)) with qnoise = 1.
float StraightThrough(float base, float xq) {
  float d = -base + xq;
  return base + d;
}

float Sign(float x) {  // tf.sign: -1, 0 or +1 (NaN stays NaN)
  if (std::isnan(x)) return x;
  return x > 0 ? 1.0f : (x < 0 ? -1.0f : 0.0f);
}

// tf.round: to nearest, ties to even (the default floating-point environment).
float RoundEven(float x) { return std::nearbyint(x); }

float Clip(float x, float lo, float hi) { return std::min(std::max(x, lo), hi); }

// QKeras' hard_sigmoid: clip(0.5 * x + 0.5, 0, 1) in float32.
float HardSigmoid(float x) { return Clip(0.5f * x + 0.5f, 0.0f, 1.0f); }

// Keras relu with a negative slope (tf.nn.relu / tf.nn.leaky_relu).
float LeakyRelu(float x, float slope) {
  if (slope == 0.0f) return std::max(x, 0.0f);
  return x > 0 ? x : slope * x;
}

void ApplyFixed(const Quantizer& q, std::span<double> values) {
  const FixedType& t = q.type;
  if (q.per_element.has_value() && !q.per_element->types.empty()) {
    const std::vector<FixedType>& types = q.per_element->types;
    const std::vector<bool>& zero = q.per_element->always_zero;
    for (size_t i = 0; i < values.size(); ++i) {
      size_t k = i % types.size();
      if (!zero.empty() && zero[k]) {
        values[i] = std::isnan(values[i]) ? values[i] : 0.0;
        continue;
      }
      double x = q.qkeras ? static_cast<float>(values[i]) : values[i];
      values[i] = QuantizeOne(x, types[k]);
    }
    return;
  }
  if (!q.qkeras) {
    // Exact double arithmetic: y = s * Q(x) or, for kAround, s * Q(x / s).
    const bool around = q.scale_mode == ScaleMode::kAround && !q.scale.empty();
    if (around) {
      for (size_t i = 0; i < values.size(); ++i) values[i] /= q.scale[i % q.scale.size()];
    }
    QuantizeSpan(values, t);
    if (!q.scale.empty()) {
      for (size_t i = 0; i < values.size(); ++i) values[i] *= q.scale[i % q.scale.size()];
    }
    return;
  }
  if (q.scale_mode == ScaleMode::kAround && !q.scale.empty()) {
    // QKeras quantized_bits alpha='auto'/'auto_po2', with S = scale, m = 2^(bits - kn),
    // m_i = 2^integer: x' = x / m_i; z = sign(x') * min(floor(|x'| / (S / m) + 0.5), levels / 2);
    // y = S * (m_i * z / m), every step in float32.
    const int kn = q.keep_negative ? 1 : 0;
    const float m = Pow2f(t.width - kn);
    const float m_i = Pow2f(t.integer - kn);
    const float levels_half = Pow2f(t.width - 1) - 1.0f;
    for (size_t i = 0; i < values.size(); ++i) {
      float x = tf32::Flush(static_cast<float>(values[i]));
      float s = ScaleAt(q, i);
      float xs = x / m_i;
      float v = std::floor(std::fabs(xs) / (s / m) + 0.5f);
      float z = Sign(xs) * (v < levels_half ? v : levels_half);
      float xq = tf32::Mul(s, m_i * z / m);
      values[i] = q.straight_through ? StraightThrough(x, xq) : xq;
    }
    return;
  }
  std::vector<float> base(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    base[i] = tf32::Flush(static_cast<float>(values[i]));
    values[i] = base[i];
  }
  QuantizeSpan(values, t);
  for (size_t i = 0; i < values.size(); ++i) {
    float xq = static_cast<float>(values[i]);
    if (!q.scale.empty()) xq = tf32::Mul(ScaleAt(q, i), xq);
    values[i] = q.straight_through ? StraightThrough(base[i], xq) : xq;
  }
}

void ApplyRelu(const Quantizer& q, std::span<double> values) {
  const FixedType& t = q.type;
  const float slope = static_cast<float>(q.relu_negative_slope);
  const int non_sign_bits = t.width - (slope != 0.0f ? 1 : 0);
  const int integer = t.is_signed ? t.integer - 1 : t.integer;
  const float m = Pow2f(non_sign_bits);
  const float m_i = Pow2f(integer);
  const float top = m_i - Pow2f(integer - non_sign_bits);
  for (double& value : values) {
    float x = tf32::Flush(static_cast<float>(value));
    float base = (!q.relu_clip_base || x <= top) ? LeakyRelu(x, slope) : top;
    float xq;
    if (q.relu_use_sigmoid) {
      float p = HardSigmoid(x / m_i) * m;
      xq = m_i * Clip(2.0f * (RoundEven(p) / m) - 1.0f, 0.0f, 1.0f - 1.0f / m);
    } else {
      float p = x * m / m_i;
      xq = m_i * Clip(RoundEven(p) / m, 0.0f, 1.0f - 1.0f / m);
      if (slope != 0.0f) {
        float neg_factor = 1.0f / (slope * m);
        xq = xq + m_i * slope * Clip(RoundEven(p * slope) * neg_factor, -1.0f, 0.0f);
      }
    }
    value = q.straight_through ? StraightThrough(base, xq) : xq;
  }
}

void ApplyTanhSigmoid(const Quantizer& q, std::span<double> values) {
  const bool is_tanh = q.kind == QuantizerKind::kTanh;
  const int bits = q.type.width;
  const float m = Pow2f(is_tanh ? bits - 1 : bits);
  const float sym = q.symmetric ? 1.0f : 0.0f;
  const float lo = is_tanh ? -1.0f + sym / m : sym / m;
  const float hi = 1.0f - 1.0f / m;
  for (double& value : values) {
    float x = tf32::Flush(static_cast<float>(value));
    float p;
    if (is_tanh) {
      p = q.sigmoid_hard ? 2.0f * HardSigmoid(x) - 1.0f : tf32::Tanh(x);
    } else {
      p = q.sigmoid_hard ? HardSigmoid(x) : tf32::Sigmoid(x);
    }
    value = Clip(RoundEven(p * m) / m, lo, hi);
  }
}

// QKeras' _clip_power_of_two for one non-negative value: the exponent e of the result.
float Po2Exponent(const Quantizer& q, float x_abs) {
  if (x_abs < kEpsilon) return static_cast<float>(q.min_exponent);
  float v = x_abs;
  if (q.po2_max_value.has_value()) {
    float mv = static_cast<float>(*q.po2_max_value);
    if (v >= mv) v = mv;
  }
  float q_factor = 1.0f;
  if (q.po2_quadratic) {
    q_factor = 2.0f;
    v = std::sqrt(v);
  }
  const float log2 = static_cast<float>(std::log(2.0));
  float l = tf32::Log(v) / log2;
  l = q.po2_log2_floor ? std::floor(l) : RoundEven(l);
  return q_factor * Clip(l, static_cast<float>(q.min_exponent), static_cast<float>(q.max_exponent));
}

void ApplyPo2(const Quantizer& q, std::span<double> values) {
  const float slope = static_cast<float>(q.relu_negative_slope);
  for (double& value : values) {
    float x = tf32::Flush(static_cast<float>(value));
    float base;
    float xq;
    if (!q.po2_relu) {
      float sign = Sign(x);
      sign += 1.0f - std::fabs(sign);
      xq = tf32::Flush(sign * std::exp2(Po2Exponent(q, std::fabs(x))));
      base = x;
    } else {
      base = LeakyRelu(x, slope);
      if (q.po2_max_value.has_value()) {
        float mv = static_cast<float>(*q.po2_max_value);
        if (!(x <= mv)) base = mv;
      }
      float pos = Po2Exponent(q, std::max(x, 0.0f));
      float neg = Po2Exponent(q, std::max(-x, 0.0f) * slope);
      xq = tf32::Flush((x >= 0.0f || slope == 0.0f) ? std::exp2(pos) : -std::exp2(neg));
    }
    value = q.straight_through ? StraightThrough(base, xq) : xq;
  }
}

void ApplyBinaryTernary(const Quantizer& q, std::span<double> values) {
  for (size_t i = 0; i < values.size(); ++i) {
    float x = tf32::Flush(static_cast<float>(values[i]));
    float k;
    if (q.kind == QuantizerKind::kBinary) {
      k = Sign(x);
      k += 1.0f - std::fabs(k);
      if (q.binary_use_01) k = (k + 1.0f) / 2.0f;
    } else if (!q.ternary_divisor.empty()) {
      // QKeras: v = d * round_through(x / d); t = sign(x) where |v| >= d / 2.
      float d = static_cast<float>(q.ternary_divisor[i % q.ternary_divisor.size()]);
      float u = x / d;
      float v = tf32::Mul(d, u + (-u + RoundEven(u)));
      k = (std::fabs(v) >= d / 2.0f ? 1.0f : 0.0f) * Sign(x);
    } else {
      k = (std::fabs(x) >= static_cast<float>(q.threshold) ? 1.0f : 0.0f) * Sign(x);
    }
    float xq = q.scale.empty() ? k : tf32::Mul(ScaleAt(q, i), k);
    if (!q.qkeras) {
      values[i] = q.scale.empty() ? k : q.scale[i % q.scale.size()] * k;
    } else {
      values[i] = q.straight_through ? StraightThrough(x, xq) : xq;
    }
  }
}

// The exponent range of quantized_po2 / quantized_relu_po2 outputs.
std::pair<int, int> Po2Range(const Quantizer& q) {
  int qf = q.po2_quadratic ? 2 : 1;
  int lo = std::min(q.min_exponent, qf * q.min_exponent);
  int hi = qf * q.max_exponent;
  if (q.po2_max_value.has_value() && *q.po2_max_value > 0) {
    Quantizer plain = q;
    hi = std::min(hi, static_cast<int>(Po2Exponent(plain, static_cast<float>(*q.po2_max_value))));
  }
  return {lo, std::max(lo, hi)};
}

}  // namespace

void ApplyQuantizer(const Quantizer& q, std::span<double> values) {
  // An 'auto' alpha is resolved from the weights (ResolveQKerasAlpha) before use.
  assert((q.alpha != AlphaKind::kAuto && q.alpha != AlphaKind::kAutoPo2) || !q.scale.empty());
  switch (q.kind) {
    case QuantizerKind::kFixed:
      ApplyFixed(q, values);
      return;
    case QuantizerKind::kReLU:
      ApplyRelu(q, values);
      return;
    case QuantizerKind::kTanh:
    case QuantizerKind::kSigmoid:
      ApplyTanhSigmoid(q, values);
      return;
    case QuantizerKind::kPo2:
      ApplyPo2(q, values);
      return;
    case QuantizerKind::kBinary:
    case QuantizerKind::kTernary:
      ApplyBinaryTernary(q, values);
      return;
  }
}

double QuantizerMin(const Quantizer& q) {
  switch (q.kind) {
    case QuantizerKind::kFixed:
      if (q.per_element.has_value() && !q.per_element->types.empty()) {
        double m = TypeMin(q.per_element->types.front());
        for (const FixedType& t : q.per_element->types) m = std::min(m, TypeMin(t));
        return m;
      }
      return TypeMin(q.type);
    case QuantizerKind::kReLU:
      if (q.relu_negative_slope == 0.0) return 0.0;
      return -q.relu_negative_slope * std::ldexp(1.0, q.type.integer - 1);
    case QuantizerKind::kTanh:
      return -1.0 + (q.symmetric ? std::ldexp(1.0, 1 - q.type.width) : 0.0);
    case QuantizerKind::kSigmoid:
      return q.symmetric ? std::ldexp(1.0, -q.type.width) : 0.0;
    case QuantizerKind::kPo2: {
      auto [lo, hi] = Po2Range(q);
      if (q.po2_relu && q.relu_negative_slope == 0.0) return std::ldexp(1.0, lo);
      return -std::ldexp(1.0, hi);
    }
    case QuantizerKind::kBinary:
      return q.binary_use_01 ? 0.0 : -1.0;
    case QuantizerKind::kTernary:
      return -1.0;
  }
  return 0.0;
}

double QuantizerMax(const Quantizer& q) {
  switch (q.kind) {
    case QuantizerKind::kFixed:
      if (q.per_element.has_value() && !q.per_element->types.empty()) {
        double m = TypeMax(q.per_element->types.front());
        for (const FixedType& t : q.per_element->types) m = std::max(m, TypeMax(t));
        return m;
      }
      return TypeMax(q.type);
    case QuantizerKind::kReLU:
    case QuantizerKind::kTanh:
    case QuantizerKind::kSigmoid:
      return TypeMax(q.type);
    case QuantizerKind::kPo2:
      return std::ldexp(1.0, Po2Range(q).second);
    case QuantizerKind::kBinary:
    case QuantizerKind::kTernary:
      return 1.0;
  }
  return 0.0;
}

std::string DescribeRange(const Quantizer& q) {
  return fmt::format("[{}, {}]", QuantizerMin(q), QuantizerMax(q));
}

namespace tf32 {

// The product of two floats is exact in double; rounding it once gives the float product,
// and the conversion keeps compilers from contracting it with a later add into an FMA.
float Mul(float a, float b) {
  return Flush(static_cast<float>(static_cast<double>(Flush(a)) * static_cast<double>(Flush(b))));
}

float Flush(float x) { return std::fpclassify(x) == FP_SUBNORMAL ? std::copysign(0.0f, x) : x; }

// Eigen plog_impl_float: x = m * 2^e with m in [sqrt(1/2), sqrt(2)), log(1 + (m - 1)) by a
// (3,3) rational approximation, plus e * ln 2.
float Log(float v) {
  v = Flush(v);
  if (std::isnan(v) || v < 0.0f) return std::numeric_limits<float>::quiet_NaN();
  if (v == 0.0f) return -std::numeric_limits<float>::infinity();
  if (std::isinf(v)) return v;
  int exponent = 0;
  float m = std::frexp(v, &exponent);  // m in [0.5, 1), also for subnormals
  float e = static_cast<float>(exponent);
  float x;
  if (m < 0.707106781186547524f) {
    e = e - 1.0f;
    x = (m - 1.0f) + m;
  } else {
    x = m - 1.0f;
  }
  float p = MulAdd(x, 0.18256296349849254f, 1.0000000190281063f);
  p = MulAdd(x, p, 1.0000000190281136f);
  p = Mul(x, p);
  float q = MulAdd(x, 0.049616247954120038f, 0.59923249590823520f);
  q = MulAdd(x, q, 1.4999999999999927f);
  q = MulAdd(x, q, 1.0f);
  x = p / q;
  return MulAdd(e, static_cast<float>(0.693147180559945309417), x);
}

// Eigen generic_fast_tanh_float (non-FMA clamp): a 13/6-degree rational interpolant on
// [-7.905, 7.905], tanh(x) = x below 0.0004.
float Tanh(float a) {
  a = Flush(a);
  if (std::isnan(a)) return a;
  const float clamp = 7.90531110763549805f;
  const float x = std::max(std::min(a, clamp), -clamp);
  if (std::fabs(a) < 0.0004f) return x;
  const float x2 = Mul(x, x);
  float p = MulAdd(x2, -2.76076847742355e-16f, 2.00018790482477e-13f);
  p = MulAdd(x2, p, -8.60467152213735e-11f);
  p = MulAdd(x2, p, 5.12229709037114e-08f);
  p = MulAdd(x2, p, 1.48572235717979e-05f);
  p = MulAdd(x2, p, 6.37261928875436e-04f);
  p = MulAdd(x2, p, 4.89352455891786e-03f);
  p = Mul(x, p);
  float q = MulAdd(x2, 1.19825839466702e-06f, 1.18534705686654e-04f);
  q = MulAdd(x2, q, 2.26843463243900e-03f);
  q = MulAdd(x2, q, 4.89352518554385e-03f);
  return Flush(p / q);
}

// Eigen pldexp_generic: a * 2^e as four power-of-two factors, e clamped to [-278, 278].
float Ldexp(float a, float exponent) {
  const int e = static_cast<int>(std::min(std::max(exponent, -278.0f), 278.0f));
  auto pow2 = [](int biased) {
    const std::uint32_t bits = static_cast<std::uint32_t>(biased) << 23;
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
  };
  const int b = e >> 2;  // floor(e / 4)
  const float c = pow2(b + 127);
  float out = Mul(Mul(Mul(a, c), c), c);
  return Mul(out, pow2(e - 3 * b + 127));
}

// Eigen pexp_float: exp(x) = 2^m exp(r), m = floor(x log2(e) + 1/2), r by Cephes' two-part
// ln 2, exp(r) by a degree-6 polynomial; 0 below -104, x clamped to 88.723.
float Exp(float in) {
  if (std::isnan(in)) return in;
  if (in < -104.0f) return 0.0f;
  const float x = std::min(in, 88.723f);
  const float m = std::floor(MulAdd(x, 1.44269504088896341f, 0.5f));
  float r = MulAdd(m, -0.693359375f, x);
  r = MulAdd(m, 2.12194440e-4f, r);
  const float r2 = Mul(r, r);
  float p_even = MulAdd(r2, 1.37449637986719608306884765625e-3f, 4.166965186595916748046875e-2f);
  const float p_odd = MulAdd(r2, 8.36894474923610687255859375e-3f, 0.16666518151760101318359375f);
  p_even = MulAdd(r2, p_even, 0.49999988079071044921875f);
  const float p_low = r + 1.0f;
  float y = MulAdd(r, p_odd, p_even);
  y = MulAdd(r2, y, p_low);
  return std::max(Ldexp(y, m), in);
}

// Eigen's generic scalar_logistic_op (the CPU one): e = exp(x), 1 where e is infinite, else
// e / (1 + e).
float Sigmoid(float x) {
  x = Flush(x);
  if (std::isnan(x)) return x;
  const float e = Exp(x);
  if (std::isinf(e)) return 1.0f;
  return Flush(e / (1.0f + e));
}

}  // namespace tf32

}  // namespace fixnn::ir
