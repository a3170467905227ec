// Per-channel affine ops: BatchNorm at inference and Scale.
#include <cmath>

#include "reference/kernels.h"

namespace fixnn::reference {

// As tf.nn.batch_normalization: inv = gamma / sqrt(var + eps); y = x * inv + (beta - mean * inv).
Status RunKernel(const KernelArgs& a, const ir::BatchNormAttrs& attrs) {
  const ir::Shape& shape = a.in_shape();
  const size_t axis = KerasAxis(attrs.axis, shape.size());
  const int64_t ch = shape[axis];
  const int64_t inner = Strides(shape)[axis];
  std::span<const double> mean = a.W("moving_mean");
  std::span<const double> var = a.W("moving_variance");
  std::span<const double> gamma = attrs.scale ? a.W("gamma") : std::span<const double>();
  std::span<const double> beta = attrs.center ? a.W("beta") : std::span<const double>();
  for (size_t e = 0; e < a.in[0].v.size(); ++e) {
    const int64_t c = (static_cast<int64_t>(e) / inner) % ch;
    double inv = 1.0 / std::sqrt(var[c] + attrs.epsilon);
    if (!gamma.empty()) inv *= gamma[c];
    const double offset = (beta.empty() ? 0.0 : beta[c]) - mean[c] * inv;
    a.out[0].v[e] = a.in[0].v[e] * inv + offset;
  }
  return Status::Ok();
}

// y = x * scale[k] (+ bias[k]), k the index on the last axis (or the single value).
Status RunKernel(const KernelArgs& a, const ir::ScaleAttrs& attrs) {
  std::span<const double> scale = a.W("scale");
  std::span<const double> bias = attrs.use_bias ? a.W("bias") : std::span<const double>();
  const ir::Shape& shape = a.in_shape();
  const int64_t ch = shape.empty() ? 1 : shape.back();
  for (size_t e = 0; e < a.in[0].v.size(); ++e) {
    const int64_t k = static_cast<int64_t>(e) % ch;
    double y = a.in[0].v[e] * scale[scale.size() == 1 ? 0 : k];
    if (!bias.empty()) y += bias[bias.size() == 1 ? 0 : k];
    a.out[0].v[e] = y;
  }
  return Status::Ok();
}

}  // namespace fixnn::reference
