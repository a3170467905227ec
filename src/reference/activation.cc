// Activations with Keras' float definitions, PReLU, and Quantize (whose work is the node's
// output quantizer, applied by the executor).
#include <algorithm>
#include <cmath>
#include <numbers>

#include "reference/kernels.h"

namespace fixnn::reference {
namespace {

using ir::ActivationFn;

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Keras relu(x, negative_slope, max_value, threshold), step by step as Keras computes it:
// x where x > threshold else 0 (plain relu when threshold is 0), clipped to [0, max_value],
// minus negative_slope * relu(threshold - x). max_value < 0 means no cap.
double Relu(double x, double negative_slope, double max_value, double threshold) {
  if (negative_slope != 0.0 && max_value < 0.0 && threshold == 0.0) {
    return x > 0.0 ? x : negative_slope * x;
  }
  double y = threshold != 0.0 ? (x > threshold ? x : 0.0) : std::max(x, 0.0);
  if (max_value >= 0.0) y = std::clamp(y, 0.0, max_value);
  if (negative_slope != 0.0) y -= negative_slope * std::max(threshold - x, 0.0);
  return y;
}

// Keras 3 / TensorFlow selu constants.
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;

double Elementwise(const ir::ActivationAttrs& a, double x) {
  switch (a.fn) {
    case ActivationFn::kLinear:
      return x;
    case ActivationFn::kReLU:
      // alpha is the negative slope (Keras ReLU negative_slope).
      return Relu(x, a.alpha, a.max_value, a.threshold);
    case ActivationFn::kLeakyReLU:
      return x > 0.0 ? x : a.alpha * x;
    case ActivationFn::kThresholdedReLU:
      return x > a.threshold ? x : 0.0;
    case ActivationFn::kELU:
      return x > 0.0 ? x : a.alpha * std::expm1(x);
    case ActivationFn::kSELU:
      return kSeluScale * (x > 0.0 ? x : kSeluAlpha * std::expm1(x));
    case ActivationFn::kSigmoid:
      return Sigmoid(x);
    case ActivationFn::kHardSigmoid:
      // clip(alpha * x + 0.5, 0, 1): Keras 2 uses alpha 0.2, Keras 3 relu6(x + 3) / 6.
      return std::clamp(a.alpha * x + 0.5, 0.0, 1.0);
    case ActivationFn::kTanh:
      return std::tanh(x);
    case ActivationFn::kSoftplus:
      // log(1 + exp(x)) without overflow.
      return std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x)));
    case ActivationFn::kSoftsign:
      return x / (1.0 + std::abs(x));
    case ActivationFn::kSwish:
      return x * Sigmoid(x);
    case ActivationFn::kExponential:
      return std::exp(x);
    case ActivationFn::kHardTanh:
      return std::clamp(x, -1.0, 1.0);
    case ActivationFn::kGELU:
      if (a.approximate) {
        const double c = std::sqrt(2.0 / std::numbers::pi);
        return 0.5 * x * (1.0 + std::tanh(c * (x + 0.044715 * x * x * x)));
      }
      return 0.5 * x * (1.0 + std::erf(x / std::numbers::sqrt2));
    case ActivationFn::kHardSilu:
      return x * std::clamp(x + 3.0, 0.0, 6.0) / 6.0;
    case ActivationFn::kMish: {
      const double softplus = std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x)));
      return x * std::tanh(softplus);
    }
    case ActivationFn::kSoftmax:
      break;  // not elementwise; handled by ApplyActivation
  }
  return x;
}

// exp(x - max) / sum along `axis`, for every slice.
void Softmax(const ir::Shape& shape, size_t axis, std::span<double> v) {
  const int64_t len = shape[axis];
  const int64_t inner = Strides(shape)[axis];
  const int64_t outer = static_cast<int64_t>(v.size()) / (len * inner);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      double* base = v.data() + o * len * inner + i;
      double m = base[0];
      for (int64_t k = 1; k < len; ++k) m = std::max(m, base[k * inner]);
      double sum = 0.0;
      for (int64_t k = 0; k < len; ++k) {
        base[k * inner] = std::exp(base[k * inner] - m);
        sum += base[k * inner];
      }
      for (int64_t k = 0; k < len; ++k) base[k * inner] /= sum;
    }
  }
}

}  // namespace

void ApplyActivation(const ir::ActivationAttrs& attrs, const ir::Shape& shape,
                     std::span<double> values) {
  if (attrs.fn == ActivationFn::kSoftmax) {
    Softmax(shape, KerasAxis(attrs.axis, shape.size()), values);
    return;
  }
  for (double& x : values) x = Elementwise(attrs, x);
}

Status RunKernel(const KernelArgs& a, const ir::ActivationAttrs& attrs) {
  std::copy(a.in[0].v.begin(), a.in[0].v.end(), a.out[0].v.begin());
  ApplyActivation(attrs, a.out_shape(), a.out[0].v);
  return Status::Ok();
}

// y = x >= 0 ? x : alpha * x, alpha broadcast over the shared axes (size 1 in its shape).
Status RunKernel(const KernelArgs& a, const ir::PReLUAttrs&) {
  const ir::Shape& shape = a.in_shape();
  const ir::Weight* alpha_w = a.node->FindWeight("alpha");
  std::span<const double> alpha = alpha_w->values;
  std::vector<int64_t> alpha_strides = Strides(alpha_w->shape);
  const size_t rank = shape.size();
  for (size_t e = 0; e < a.in[0].v.size(); ++e) {
    int64_t rest = static_cast<int64_t>(e);
    int64_t ai = 0;
    for (size_t d = rank; d-- > 0;) {
      const int64_t idx = rest % shape[d];
      rest /= shape[d];
      if (alpha_w->shape[d] != 1) ai += idx * alpha_strides[d];
    }
    const double x = a.in[0].v[e];
    a.out[0].v[e] = x >= 0.0 ? x : alpha[ai] * x;
  }
  return Status::Ok();
}

Status RunKernel(const KernelArgs& a, const ir::QuantizeAttrs&) {
  std::copy(a.in[0].v.begin(), a.in[0].v.end(), a.out[0].v.begin());
  return Status::Ok();
}

}  // namespace fixnn::reference
