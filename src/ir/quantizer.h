// How a framework quantizes a tensor, held exactly: a fixed-point type (or one per element),
// optionally a scale (QKeras alpha, per output channel or one for all), and the quantizer as
// the model wrote it.
//
// Each kind's forward formula, as ApplyQuantizer computes it. Q_t(v) is the conversion of v
// into FixedType t (its rounding and overflow modes); lsb = 2^(I-W) of `type`.
//   kFixed    y = Q_type(x)  (per_element: element i uses per_element->types[i], or 0 where
//             always_zero[i]).
//             QKeras quantized_bits(bits, integer, symmetric, keep_negative) is
//             ap_fixed<bits, integer+1, AP_RND_CONV, AP_SAT or AP_SAT_SYM> when keep_negative,
//             ap_ufixed<bits, integer, AP_RND_CONV, AP_SAT> otherwise (tf.round is half to even).
//             scale_mode kAfter (explicit alpha): y = s * Q_type(x).
//             scale_mode kAround (alpha 'auto'/'auto_po2'): y = s * Q_type(x / s), where the
//             division is float32 and the rounding is floor(|u| + 0.5) in float32, i.e. half
//             away from zero (type has AP_RND_INF, AP_SAT_SYM).
//   kReLU     quantized_relu: y = Q_type(x) for x >= 0, with type ap_ufixed<bits, integer,
//             AP_RND_CONV, AP_SAT>. With negative_slope a (a power of two) the type is
//             ap_fixed<bits, integer+1, AP_RND_CONV, AP_SAT> and y = max(Q_type(a*x), -a*2^I')
//             for x < 0 (I' = integer). relu_use_sigmoid: y = 2^I' * clip(2*round(p)/m - 1, 0,
//             1 - 1/m), p = m * hard_sigmoid(x / 2^I'), m = 2^bits, in float32.
//   kTanh     quantized_tanh: y = Q_type(p), p = 2*hard_sigmoid(x) - 1 (float32), or
//             TensorFlow's float32 tanh(x) when use_real_tanh (sigmoid_hard false), type
//             ap_fixed<bits, 1, AP_RND_CONV, AP_SAT or AP_SAT_SYM>.
//   kSigmoid  quantized_sigmoid: y = Q_type(p), p = hard_sigmoid(x) = clip(0.5x + 0.5, 0, 1)
//             in float32, or TensorFlow's float32 sigmoid(x) when use_real_sigmoid; type
//             ap_ufixed<bits, 0, AP_RND_CONV, AP_SAT>; symmetric: the minimum is one lsb instead of
//             0.
//   kPo2      quantized_po2: y = s(x) * 2^e, s(x) = -1 for x < 0 else +1,
//             e = clip(round_even(log2(min(max(|x|, eps), max_value))), min_exp, max_exp),
//             log2 = tf32::Log(v) / float32(ln 2); e = min_exp when |x| < eps = 1e-7.
//             po2_log2_floor: floor instead of round. po2_quadratic: e = 2 * clip(round(
//             log2(sqrt(v))), ...). po2_relu (quantized_relu_po2): x < 0 gives 2^min_exp, or
//             -2^e(a*|x|) with negative slope a.
//   kBinary   y = s * b, b = -1 for x < 0 else +1 (binary_use_01: 0 / 1).
//   kTernary  y = s * t, t = sign(x) when |x| >= threshold, else 0. With a QKeras auto alpha,
//             t = sign(x) when |float32(x / ternary_divisor[c])| > 0.5.
// qkeras: the QKeras float32 arithmetic is mirrored: x is cast to float32 first (subnormals
// flushed to zero, as TensorFlow runs), and with straight_through the result is
// float32(b + float32(q - b)) as QKeras' b + stop_gradient(q - b) computes it, b being x (the
// clipped relu for quantized_relu / quantized_relu_po2). That differs from q only when |x| is
// so large that q - b is not exact in float32 (roughly |x| >= 2^24 * lsb).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "fixed/fixed_type.h"

namespace fixnn::ir {

using fixed::FixedType;

// Heterogeneous precision: one type per element, in the tensor's row-major order.
struct ElementTypes {
  std::vector<FixedType> types;
  // Empty, or one flag per element: true where the element is always 0 (HGQ bits == 0; its
  // entry in `types` is then a 1-bit placeholder).
  std::vector<bool> always_zero;
};

// The family of the quantizer. Each maps to exact fixed-point values as written above.
enum class QuantizerKind {
  kFixed,    // value = mantissa * 2^(I-W) of `type` (quantized_bits, HGQ, hls4ml types)
  kReLU,     // quantized_relu
  kPo2,      // quantized_po2 / quantized_relu_po2: sign * 2^e, e in [min_exp, max_exp]
  kBinary,   // binary: +-1 (or 0/1 when use_01) times scale
  kTernary,  // ternary: -1, 0, +1 times scale, with `threshold`
  kTanh,     // quantized_tanh: tanh then `type`
  kSigmoid,  // quantized_sigmoid: sigmoid then `type`
};

// How `scale` enters the formula.
enum class ScaleMode {
  kAfter,   // y = scale * Q(x): explicit alpha; binary and ternary
  kAround,  // y = scale * Q(x / scale): quantized_bits alpha 'auto' / 'auto_po2'
};

// What alpha the model asked for; kAuto/kAutoPo2 need ComputeQKerasAlpha to fill `scale`.
enum class AlphaKind { kNone, kValue, kAuto, kAutoPo2 };

struct Quantizer {
  QuantizerKind kind = QuantizerKind::kFixed;
  // The value grid. For kPo2/kBinary/kTernary this is the narrowest fixed type holding every
  // value the quantizer can produce (before scale).
  FixedType type;
  // Heterogeneous precision (HGQ): one type per element; `type` then holds the widest range.
  std::optional<ElementTypes> per_element;
  // Multiplier applied after quantization (QKeras alpha). Empty: 1. One entry: all channels.
  // Otherwise one per channel of the last axis.
  std::vector<double> scale;
  ScaleMode scale_mode = ScaleMode::kAfter;
  AlphaKind alpha = AlphaKind::kNone;
  // kPo2: exponent range; kTernary: threshold; kReLU: negative slope (0 for plain relu).
  int min_exponent = 0;
  int max_exponent = 0;
  bool po2_relu = false;  // quantized_relu_po2: no negative values unless a negative slope
  std::optional<double> po2_max_value;
  bool po2_quadratic = false;
  bool po2_log2_floor = false;
  double threshold = 0.0;
  // kTernary with auto alpha: per channel divisor (the scale of QKeras' last-but-one step),
  // and how many least-squares steps QKeras takes (number_of_unrolls).
  std::vector<double> ternary_divisor;
  int ternary_unrolls = 5;
  double relu_negative_slope = 0.0;
  bool relu_use_sigmoid = false;
  bool relu_clip_base = true;  // is_quantized_clip: the straight-through base is clipped too
  bool binary_use_01 = false;
  bool sigmoid_hard = false;  // quantized_sigmoid/tanh: hard sigmoid (QKeras default)
  bool symmetric = false;     // quantized_bits symmetric: min is -max
  bool keep_negative = true;  // quantized_bits keep_negative (enters the auto-alpha arithmetic)
  bool qkeras = false;        // QKeras float32 arithmetic (see the file comment)
  bool straight_through = false;
  // Empty when the formula above reproduces the framework bit for bit; otherwise why not.
  std::string inexact_reason;
  // Exactly how the model spelled it, e.g. "quantized_bits(6,0,alpha=1)".
  std::string spelling;

  bool has_scale() const { return !scale.empty(); }
};

// Quantizes `values` in place exactly as the framework computes it (see the file comment).
// Scale entries apply per element of the last axis: element k uses scale[k % scale.size()];
// per-element types likewise use types[k % types.size()]. NaN stays NaN.
void ApplyQuantizer(const Quantizer& q, std::span<double> values);

// The smallest and largest value the quantizer can produce, before scale.
double QuantizerMin(const Quantizer& q);
double QuantizerMax(const Quantizer& q);

// The quantizer's value range before scale, for printing and checks: "[-1, 0.96875]".
std::string DescribeRange(const Quantizer& q);

// float32 arithmetic exactly as TensorFlow's CPU kernels compute it (the pip wheels' Eigen,
// vectorized, without FMA, with subnormals flushed to zero), for the QKeras steps whose
// results depend on it.
namespace tf32 {
float Flush(float x);         // a subnormal becomes a zero of its sign (TensorFlow's FTZ/DAZ)
float Mul(float a, float b);  // a * b rounded once, never fused into a following add; flushed
float Log(float x);           // tf.math.log: Eigen's rational approximation
float Tanh(float x);          // tf.math.tanh: Eigen's fast tanh
float Sigmoid(float x);       // tf.math.sigmoid: Eigen's logistic
}  // namespace tf32

}  // namespace fixnn::ir
