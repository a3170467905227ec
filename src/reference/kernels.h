// The reference executor's kernels: one overload of RunKernel per op, computing one sample in
// double with the framework's float semantics. Grouped by family in dense.cc, conv.cc, pool.cc,
// activation.cc, normalization.cc, merge.cc, shape_ops.cc and recurrent.cc.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "ir/ops.h"
#include "support/result.h"

namespace fixnn::reference {

struct InTensor {
  const ir::Shape* shape;
  std::span<const double> v;
};

struct OutTensor {
  const ir::Shape* shape;
  std::span<double> v;
};

// One node's view of one sample: its inputs, its outputs, its (already quantized) weights and
// a scratch buffer kept between samples so that kernels allocate only once per run.
struct KernelArgs {
  const ir::Node* node;
  std::vector<InTensor> in;
  std::vector<OutTensor> out;
  std::vector<double>* scratch;

  // The weight's values (shape inference checked the shape); empty when absent.
  std::span<const double> W(const std::string& name) const {
    const ir::Weight* w = node->FindWeight(name);
    return w == nullptr ? std::span<const double>() : std::span<const double>(w->values);
  }
  const ir::Shape& in_shape(size_t i = 0) const { return *in[i].shape; }
  const ir::Shape& out_shape(size_t i = 0) const { return *out[i].shape; }
  Error Fail(const std::string& what) const;
};

#define FIXNN_REFERENCE_KERNEL(name, attrs) Status RunKernel(const KernelArgs&, const ir::attrs&);
FIXNN_IR_OPS(FIXNN_REFERENCE_KERNEL)
#undef FIXNN_REFERENCE_KERNEL

// Keras axis (batch axis 0, negative from the end) -> index into the batchless shape; the
// shape inference has checked the range.
size_t KerasAxis(int64_t axis, size_t rank);

// Elementwise activation in place (softmax along attrs.axis of `shape`).
void ApplyActivation(const ir::ActivationAttrs& attrs, const ir::Shape& shape,
                     std::span<double> values);

// Row-major strides of `shape`.
std::vector<int64_t> Strides(const ir::Shape& shape);

// Keras/TensorFlow 'same' and 'causal' padding before the first element of one spatial axis:
// same pads max((out-1)*s + span - n, 0) in total, the smaller half before; causal pads the
// whole span - 1 before. valid pads nothing.
int64_t PadBefore(ir::Padding padding, int64_t n, int64_t out, int64_t span, int64_t stride);

}  // namespace fixnn::reference
