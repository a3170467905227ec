// Convolutions: grouped, depthwise and separable, channels-last, with Keras padding (zeros
// outside the input; 'same' puts the odd pad after, 'causal' pads only before).
#include "reference/kernels.h"
#include "reference/window.h"

namespace fixnn::reference {

// y[o, f] = bias[f] + sum over taps and the group's channels of x[i, c] * kernel[k, c, f].
Status RunKernel(const KernelArgs& a, const ir::ConvAttrs& attrs) {
  WindowGeometry win(a.in_shape(), a.out_shape(), attrs.kernel, attrs.strides, attrs.dilation,
                     attrs.padding, {});
  std::span<const double> x = a.in[0].v;
  std::span<const double> kernel = a.W("kernel");
  std::span<const double> bias = attrs.use_bias ? a.W("bias") : std::span<const double>();
  const int64_t cin = a.in_shape().back();
  const int64_t filters = attrs.filters;
  const int64_t cpg = cin / attrs.groups;      // input channels per group
  const int64_t fpg = filters / attrs.groups;  // filters per group
  for (int64_t o = 0; o < win.out_positions(); ++o) {
    double* y = a.out[0].v.data() + o * filters;
    for (int64_t f = 0; f < filters; ++f) y[f] = bias.empty() ? 0.0 : bias[f];
    win.ForEachTap(o, [&](int64_t k, int64_t i) {
      const double* xi = x.data() + i * cin;
      for (int64_t f = 0; f < filters; ++f) {
        const int64_t first = (f / fpg) * cpg;
        const double* kf = kernel.data() + k * cpg * filters + f;
        double sum = 0.0;
        for (int64_t c = 0; c < cpg; ++c) sum += xi[first + c] * kf[c * filters];
        y[f] += sum;
      }
    });
  }
  return Status::Ok();
}

namespace {

// y[o, c * dm + m] = sum over taps of x[i, c] * depthwise_kernel[k, c, m] (+ bias).
void Depthwise(const KernelArgs& a, const WindowGeometry& win, int64_t dm,
               std::span<const double> bias, std::span<double> out) {
  std::span<const double> x = a.in[0].v;
  std::span<const double> kernel = a.W("depthwise_kernel");
  const int64_t cin = a.in_shape().back();
  const int64_t cout = cin * dm;
  for (int64_t o = 0; o < win.out_positions(); ++o) {
    double* y = out.data() + o * cout;
    for (int64_t j = 0; j < cout; ++j) y[j] = bias.empty() ? 0.0 : bias[j];
    win.ForEachTap(o, [&](int64_t k, int64_t i) {
      const double* xi = x.data() + i * cin;
      const double* kk = kernel.data() + k * cout;
      for (int64_t j = 0; j < cout; ++j) y[j] += xi[j / dm] * kk[j];
    });
  }
}

}  // namespace

Status RunKernel(const KernelArgs& a, const ir::DepthwiseConvAttrs& attrs) {
  WindowGeometry win(a.in_shape(), a.out_shape(), attrs.kernel, attrs.strides, attrs.dilation,
                     attrs.padding, {});
  Depthwise(a, win, attrs.depth_multiplier,
            attrs.use_bias ? a.W("bias") : std::span<const double>(), a.out[0].v);
  return Status::Ok();
}

// Depthwise (no bias) into the scratch buffer, then the 1x1 pointwise convolution and bias.
Status RunKernel(const KernelArgs& a, const ir::SeparableConvAttrs& attrs) {
  ir::Shape mid_shape = a.out_shape();
  mid_shape.back() = a.in_shape().back() * attrs.depth_multiplier;
  WindowGeometry win(a.in_shape(), mid_shape, attrs.kernel, attrs.strides, attrs.dilation,
                     attrs.padding, {});
  std::vector<double>& mid = *a.scratch;
  mid.resize(ir::NumElements(mid_shape));
  Depthwise(a, win, attrs.depth_multiplier, {}, mid);

  std::span<const double> pointwise = a.W("pointwise_kernel");
  std::span<const double> bias = attrs.use_bias ? a.W("bias") : std::span<const double>();
  const int64_t cmid = mid_shape.back();
  const int64_t filters = attrs.filters;
  for (int64_t o = 0; o < win.out_positions(); ++o) {
    double* y = a.out[0].v.data() + o * filters;
    const double* m = mid.data() + o * cmid;
    for (int64_t f = 0; f < filters; ++f) {
      double sum = 0.0;
      for (int64_t j = 0; j < cmid; ++j) sum += m[j] * pointwise[j * filters + f];
      y[f] = sum + (bias.empty() ? 0.0 : bias[f]);
    }
  }
  return Status::Ok();
}

}  // namespace fixnn::reference
