// Pooling. Positions outside the input ('same' padding) are left out: max ignores them and
// average divides by the number of in-bounds elements, as TensorFlow does. QKeras average
// pooling with an average_quantizer rescales the average: y = avg * area * q(1 / area).
#include <algorithm>
#include <limits>

#include "ir/quantizer.h"
#include "reference/kernels.h"
#include "reference/window.h"

namespace fixnn::reference {
namespace {

// The factor QKeras applies to an average over `area` positions: area * q(1 / area).
double AverageRescale(const std::optional<ir::Quantizer>& q, int64_t area) {
  if (!q) return 1.0;
  double inv = 1.0 / static_cast<double>(area);
  ir::ApplyQuantizer(*q, std::span<double>(&inv, 1));
  return static_cast<double>(area) * inv;
}

}  // namespace

Status RunKernel(const KernelArgs& a, const ir::PoolAttrs& attrs) {
  WindowGeometry win(a.in_shape(), a.out_shape(), attrs.pool, attrs.strides, {}, attrs.padding,
                     attrs.pool);
  const int64_t ch = a.in_shape().back();
  const bool is_max = attrs.kind == ir::PoolKind::kMax;
  const double rescale = is_max ? 1.0 : AverageRescale(attrs.average_quantizer, win.kernel_taps());
  std::span<const double> x = a.in[0].v;
  for (int64_t o = 0; o < win.out_positions(); ++o) {
    double* y = a.out[0].v.data() + o * ch;
    std::fill(y, y + ch, is_max ? -std::numeric_limits<double>::infinity() : 0.0);
    int64_t count = 0;
    win.ForEachTap(o, [&](int64_t, int64_t i) {
      const double* xi = x.data() + i * ch;
      for (int64_t c = 0; c < ch; ++c) y[c] = is_max ? std::max(y[c], xi[c]) : y[c] + xi[c];
      ++count;
    });
    if (!is_max) {
      for (int64_t c = 0; c < ch; ++c) y[c] = y[c] / static_cast<double>(count) * rescale;
    }
  }
  return Status::Ok();
}

Status RunKernel(const KernelArgs& a, const ir::GlobalPoolAttrs& attrs) {
  const int64_t ch = a.in_shape().back();
  const int64_t positions = static_cast<int64_t>(a.in[0].v.size()) / ch;
  const bool is_max = attrs.kind == ir::PoolKind::kMax;
  std::span<double> y = a.out[0].v;
  std::fill(y.begin(), y.end(), is_max ? -std::numeric_limits<double>::infinity() : 0.0);
  for (int64_t p = 0; p < positions; ++p) {
    for (int64_t c = 0; c < ch; ++c) {
      const double v = a.in[0].v[p * ch + c];
      y[c] = is_max ? std::max(y[c], v) : y[c] + v;
    }
  }
  if (!is_max) {
    const double rescale = AverageRescale(attrs.average_quantizer, positions);
    for (int64_t c = 0; c < ch; ++c) y[c] = y[c] / static_cast<double>(positions) * rescale;
  }
  return Status::Ok();
}

}  // namespace fixnn::reference
