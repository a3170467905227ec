// Dense, Dot and Embedding: products with weights or between inputs, and table lookup.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "reference/kernels.h"

namespace fixnn::reference {
namespace {

// Base offsets of the 1-D slices along `axis`, in row-major order of the other axes.
std::vector<int64_t> SliceOffsets(const ir::Shape& shape, size_t axis) {
  std::vector<int64_t> strides = Strides(shape);
  std::vector<int64_t> offsets{0};
  for (size_t d = 0; d < shape.size(); ++d) {
    if (d == axis) continue;
    std::vector<int64_t> next;
    next.reserve(offsets.size() * shape[d]);
    for (int64_t base : offsets) {
      for (int64_t i = 0; i < shape[d]; ++i) next.push_back(base + i * strides[d]);
    }
    offsets = std::move(next);
  }
  return offsets;
}

}  // namespace

// y[p, u] = sum_i x[p, i] * kernel[i, u] + bias[u] over the last axis.
Status RunKernel(const KernelArgs& a, const ir::DenseAttrs& attrs) {
  std::span<const double> x = a.in[0].v;
  std::span<const double> kernel = a.W("kernel");
  std::span<const double> bias = attrs.use_bias ? a.W("bias") : std::span<const double>();
  const int64_t in = a.in_shape().back();
  const int64_t units = attrs.units;
  const int64_t rows = static_cast<int64_t>(x.size()) / in;
  for (int64_t p = 0; p < rows; ++p) {
    double* y = a.out[0].v.data() + p * units;
    for (int64_t u = 0; u < units; ++u) y[u] = bias.empty() ? 0.0 : bias[u];
    for (int64_t i = 0; i < in; ++i) {
      const double xi = x[p * in + i];
      const double* k = kernel.data() + i * units;
      for (int64_t u = 0; u < units; ++u) y[u] += xi * k[u];
    }
  }
  return Status::Ok();
}

// Keras batch_dot: the remaining axes of input 0 then those of input 1, summed over the
// chosen axes; normalize scales each slice by min(1/||slice||, 1/epsilon) first (Keras 3
// ops.normalize, epsilon 1e-7).
Status RunKernel(const KernelArgs& a, const ir::DotAttrs& attrs) {
  size_t ax[2];
  std::vector<int64_t> offsets[2];
  int64_t stride[2];
  for (int i = 0; i < 2; ++i) {
    ax[i] = KerasAxis(attrs.axes[i], a.in_shape(i).size());
    offsets[i] = SliceOffsets(a.in_shape(i), ax[i]);
    stride[i] = Strides(a.in_shape(i))[ax[i]];
  }
  const int64_t len = a.in_shape(0)[ax[0]];
  std::vector<double> scale[2];
  for (int i = 0; i < 2; ++i) {
    scale[i].assign(offsets[i].size(), 1.0);
    if (!attrs.normalize) continue;
    for (size_t s = 0; s < offsets[i].size(); ++s) {
      double sum = 0.0;
      for (int64_t k = 0; k < len; ++k) {
        double v = a.in[i].v[offsets[i][s] + k * stride[i]];
        sum += v * v;
      }
      scale[i][s] = std::min(1.0 / std::sqrt(sum), 1e7);
    }
  }
  double* y = a.out[0].v.data();
  for (size_t s0 = 0; s0 < offsets[0].size(); ++s0) {
    for (size_t s1 = 0; s1 < offsets[1].size(); ++s1) {
      double sum = 0.0;
      for (int64_t k = 0; k < len; ++k) {
        sum += a.in[0].v[offsets[0][s0] + k * stride[0]] * scale[0][s0] *
               (a.in[1].v[offsets[1][s1] + k * stride[1]] * scale[1][s1]);
      }
      *y++ = sum;
    }
  }
  return Status::Ok();
}

// out[..., :] = embeddings[index, :]; indices are truncated to integers as Keras casts them.
Status RunKernel(const KernelArgs& a, const ir::EmbeddingAttrs& attrs) {
  std::span<const double> table = a.W("embeddings");
  const int64_t dim = attrs.output_dim;
  for (size_t t = 0; t < a.in[0].v.size(); ++t) {
    const double raw = a.in[0].v[t];
    if (!(raw > -1.0 && raw < static_cast<double>(attrs.input_dim))) {
      return a.Fail(
          fmt::format("index {} at position {} is outside [0, {})", raw, t, attrs.input_dim));
    }
    const int64_t index = static_cast<int64_t>(std::trunc(raw));
    std::copy_n(table.begin() + index * dim, dim, a.out[0].v.begin() + t * dim);
  }
  return Status::Ok();
}

}  // namespace fixnn::reference
