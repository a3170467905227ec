// Framework quantizers written in Keras model configs, turned into exact ir::Quantizers:
// QKeras 0.9.0 quantizer objects and strings, and HGQ (v1) proxy FixedPointQuantizer layers.
//
// QKeras writes a quantizer either as a serialized object, {"class_name": "quantized_bits",
// "config": {...}} (Keras 3 adds "module" and "registered_name"), or as the string QKeras
// evaluates, "quantized_bits(6,0,alpha=1)". Strings follow QKeras' own evaluator: positional
// arguments in the constructor's order, then key=value; values are True/False, numbers or
// quoted strings. The forward formulas are in ir/quantizer.h.
//
// Refused, with an error naming the quantizer: stochastic quantizers (stochastic_binary,
// stochastic_ternary, bernoulli, use_stochastic_rounding=True), qnoise_factor != 1 (the output
// mixes the float input in), quantized_ulaw and quantized_hswish, quantized_relu with both
// use_sigmoid and negative_slope, any relu_upper_bound with is_quantized_clip=False, alpha
// strings other than 'auto' / 'auto_po2', quantized_bits with
// alpha 'auto*' and fewer than 2 bits (QKeras divides by zero levels), po2 exponent ranges
// wider than a fixed-point type can hold, and scale_axis other than the last axis.
//
// HGQ v1 proxy models (Keras 2 .h5) hold `FixedPointQuantizer` layers. Their config has
// "RND" and "SAT" (the ap_fixed rounding / overflow mode names without AP_, plus HGQ's
// WRAP_SM, which has no ap_fixed equivalent and is refused) and "shape"; their weights are
// int8 arrays `keep_negative`, `bits` and `integers` of that shape, the first axis being a
// batch axis of size 1, broadcast against the input tensor. Element i becomes
// ap_fixed<bits, integers, AP_RND, AP_SAT> (ap_ufixed when keep_negative is 0); bits == 0 means
// the element is always 0 (hls4ml writes `out = 0`). HGQ computes this in float32
// (x * 2^f, then floor(v + 0.5) for RND); fixnn follows ap_fixed, which is what the firmware
// does and agrees with HGQ except where that float32 addition rounds (|x| * 2^f >= 2^23, or
// x * 2^f within 2^-25 below a tie).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "ir/quantizer.h"
#include "support/result.h"

namespace fixnn::frontends::keras {

// True when `spec` names a QKeras quantizer (object or string form), supported or not;
// false for plain Keras activations ("relu", "linear", {"class_name": "ReLU", ...}) and null.
bool IsQKerasQuantizerSpec(const nlohmann::json& spec);

// Parses a QKeras quantizer. For alpha 'auto' / 'auto_po2' the result has `alpha` set and an
// empty `scale`: ResolveQKerasAlpha fills it from the weight tensor the quantizer applies to.
// Errors quote the spec and say what is wrong.
Result<ir::Quantizer> ParseQKerasQuantizer(const nlohmann::json& spec);

// QKeras' alpha='auto' / 'auto_po2' scales, per channel of the last axis (per element for a
// 1-D tensor, as QKeras computes them), from the float kernel in row-major order, computed as
// QKeras does in float32: quantized_bits (max-abs scale; auto_po2 refined by 5 least-squares
// steps), binary (one least-squares step), ternary (number_of_unrolls steps). Errors for
// quantizers without auto alpha and for shape mismatches.
Result<std::vector<double>> ComputeQKerasAlpha(const ir::Quantizer& q,
                                               std::span<const double> kernel,
                                               const std::vector<int64_t>& kernel_shape);

// `q` with its auto alpha resolved: `scale` (and, for ternary, `ternary_divisor`) filled.
// Quantizers without auto alpha are returned unchanged.
Result<ir::Quantizer> ResolveQKerasAlpha(const ir::Quantizer& q, std::span<const double> kernel,
                                         const std::vector<int64_t>& kernel_shape);

// One weight array of an HGQ FixedPointQuantizer layer.
struct HgqArray {
  std::vector<int64_t> shape;
  std::vector<double> values;  // row-major
};

// Parses an HGQ FixedPointQuantizer layer: `layer_config` is the layer's "config" object,
// `weights` holds "keep_negative", "bits" and "integers", and `input_shape` is the quantized
// tensor's shape without the batch axis. When every element has the same type the result has
// just `type`; otherwise `per_element` holds one type per element of the input (row-major),
// with bits == 0 elements marked in `always_zero`.
Result<ir::Quantizer> ParseHgqFixedPointQuantizer(const nlohmann::json& layer_config,
                                                  const std::map<std::string, HgqArray>& weights,
                                                  const std::vector<int64_t>& input_shape);

}  // namespace fixnn::frontends::keras
