#include "ir/ops.h"

namespace fixnn::ir {

std::string_view OpName(OpKind kind) {
  switch (kind) {
#define FIXNN_IR_NAME(name, attrs) \
  case OpKind::k##name:            \
    return #name;
    FIXNN_IR_OPS(FIXNN_IR_NAME)
#undef FIXNN_IR_NAME
  }
  return "?";
}

OpKind KindOf(const OpAttrs& attrs) { return static_cast<OpKind>(attrs.index()); }

std::string_view ToString(ActivationFn fn) {
  switch (fn) {
    case ActivationFn::kLinear:
      return "linear";
    case ActivationFn::kReLU:
      return "relu";
    case ActivationFn::kLeakyReLU:
      return "leaky_relu";
    case ActivationFn::kThresholdedReLU:
      return "thresholded_relu";
    case ActivationFn::kELU:
      return "elu";
    case ActivationFn::kSELU:
      return "selu";
    case ActivationFn::kSigmoid:
      return "sigmoid";
    case ActivationFn::kHardSigmoid:
      return "hard_sigmoid";
    case ActivationFn::kTanh:
      return "tanh";
    case ActivationFn::kSoftmax:
      return "softmax";
    case ActivationFn::kSoftplus:
      return "softplus";
    case ActivationFn::kSoftsign:
      return "softsign";
    case ActivationFn::kSwish:
      return "swish";
    case ActivationFn::kExponential:
      return "exponential";
    case ActivationFn::kHardTanh:
      return "hard_tanh";
    case ActivationFn::kGELU:
      return "gelu";
    case ActivationFn::kHardSilu:
      return "hard_silu";
    case ActivationFn::kMish:
      return "mish";
  }
  return "?";
}

std::string_view ToString(MergeKind kind) {
  switch (kind) {
    case MergeKind::kAdd:
      return "add";
    case MergeKind::kSubtract:
      return "subtract";
    case MergeKind::kMultiply:
      return "multiply";
    case MergeKind::kAverage:
      return "average";
    case MergeKind::kMaximum:
      return "maximum";
    case MergeKind::kMinimum:
      return "minimum";
  }
  return "?";
}

std::string_view ToString(RecurrentCell cell) {
  switch (cell) {
    case RecurrentCell::kSimpleRNN:
      return "SimpleRNN";
    case RecurrentCell::kLSTM:
      return "LSTM";
    case RecurrentCell::kGRU:
      return "GRU";
  }
  return "?";
}

}  // namespace fixnn::ir
