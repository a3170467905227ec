// Sliding-window geometry shared by convolution and pooling: which input positions each
// output position reads, with Keras padding (zero or excluded outside the input).
#pragma once

#include <cassert>
#include <cstdint>
#include <vector>

#include "ir/ops.h"
#include "reference/kernels.h"

namespace fixnn::reference {

struct WindowGeometry {
  std::vector<int64_t> in, out, kernel, strides, dilation, pad;

  // in/out: the spatial sizes; empty strides/dilation mean 1 (strides: `default_strides`).
  WindowGeometry(const ir::Shape& in_shape, const ir::Shape& out_shape,
                 const std::vector<int64_t>& kernel_size, const std::vector<int64_t>& strides_attr,
                 const std::vector<int64_t>& dilation_attr, ir::Padding padding,
                 const std::vector<int64_t>& default_strides)
      : in(in_shape.begin(), in_shape.end() - 1),
        out(out_shape.begin(), out_shape.end() - 1),
        kernel(kernel_size),
        strides(strides_attr.empty() ? default_strides : strides_attr),
        dilation(dilation_attr.empty() ? std::vector<int64_t>(kernel_size.size(), 1)
                                       : dilation_attr) {
    if (strides.empty()) strides.assign(kernel.size(), 1);
    for (size_t d = 0; d < kernel.size(); ++d) {
      pad.push_back(
          PadBefore(padding, in[d], out[d], dilation[d] * (kernel[d] - 1) + 1, strides[d]));
    }
  }

  int64_t out_positions() const { return ir::NumElements(out); }
  int64_t kernel_taps() const { return ir::NumElements(kernel); }

  // Calls fn(kernel_tap, input_position) for each tap of output position `o` that falls
  // inside the input; both are row-major flat indices over the spatial axes.
  template <typename F>
  void ForEachTap(int64_t o, F&& fn) const {
    const size_t rank = kernel.size();
    assert(rank <= 8);
    int64_t origin[8];
    for (size_t d = rank; d-- > 0;) {
      origin[d] = (o % out[d]) * strides[d] - pad[d];
      o /= out[d];
    }
    const int64_t taps = kernel_taps();
    for (int64_t k = 0; k < taps; ++k) {
      int64_t rest = k;
      int64_t pos = 0;
      int64_t scale = 1;
      bool inside = true;
      for (size_t d = rank; d-- > 0;) {
        const int64_t i = origin[d] + (rest % kernel[d]) * dilation[d];
        rest /= kernel[d];
        if (i < 0 || i >= in[d]) {
          inside = false;
          break;
        }
        pos += i * scale;
        scale *= in[d];
      }
      if (inside) fn(k, pos);
    }
  }
};

}  // namespace fixnn::reference
