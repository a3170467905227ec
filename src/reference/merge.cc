// Merges of several inputs: elementwise (Add, Subtract, Multiply, Average, Maximum, Minimum)
// and Concatenate.
#include <algorithm>

#include "reference/kernels.h"

namespace fixnn::reference {

// Folds the inputs left to right as Keras does; Average divides the sum by the count.
Status RunKernel(const KernelArgs& a, const ir::MergeAttrs& attrs) {
  std::span<double> y = a.out[0].v;
  std::copy(a.in[0].v.begin(), a.in[0].v.end(), y.begin());
  for (size_t i = 1; i < a.in.size(); ++i) {
    std::span<const double> x = a.in[i].v;
    for (size_t e = 0; e < y.size(); ++e) {
      switch (attrs.kind) {
        case ir::MergeKind::kAdd:
        case ir::MergeKind::kAverage:
          y[e] += x[e];
          break;
        case ir::MergeKind::kSubtract:
          y[e] -= x[e];
          break;
        case ir::MergeKind::kMultiply:
          y[e] *= x[e];
          break;
        case ir::MergeKind::kMaximum:
          y[e] = std::max(y[e], x[e]);
          break;
        case ir::MergeKind::kMinimum:
          y[e] = std::min(y[e], x[e]);
          break;
      }
    }
  }
  if (attrs.kind == ir::MergeKind::kAverage) {
    for (double& v : y) v /= static_cast<double>(a.in.size());
  }
  return Status::Ok();
}

// For every index before the axis, the inputs' blocks one after another.
Status RunKernel(const KernelArgs& a, const ir::ConcatenateAttrs& attrs) {
  const ir::Shape& out = a.out_shape();
  const size_t axis = KerasAxis(attrs.axis, out.size());
  const int64_t inner = Strides(out)[axis];
  int64_t outer = 1;
  for (size_t d = 0; d < axis; ++d) outer *= out[d];
  double* y = a.out[0].v.data();
  for (int64_t o = 0; o < outer; ++o) {
    for (const InTensor& in : a.in) {
      const int64_t block = (*in.shape)[axis] * inner;
      y = std::copy_n(in.v.data() + o * block, block, y);
    }
  }
  return Status::Ok();
}

}  // namespace fixnn::reference
