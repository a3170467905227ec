#include "frontends/keras/activations.h"

#include <fmt/format.h>

namespace fixnn::frontends::keras {

Result<std::optional<ir::ActivationAttrs>> ActivationFromName(const std::string& name,
                                                              int keras_major, bool qkeras_names) {
  using ir::ActivationFn;
  ir::ActivationAttrs a;
  if (qkeras_names) {
    if (name == "hard_sigmoid" || name == "smooth_sigmoid") {
      a.fn = ActivationFn::kHardSigmoid;
      a.alpha = name == "hard_sigmoid" ? 0.5 : 0.1875;
      return std::optional<ir::ActivationAttrs>(a);
    }
    if (name == "hard_tanh") {  // 2 * hard_sigmoid(x) - 1 = clip(x, -1, 1)
      a.fn = ActivationFn::kHardTanh;
      return std::optional<ir::ActivationAttrs>(a);
    }
    if (name == "binary_sigmoid" || name == "binary_tanh" || name == "smooth_tanh") {
      return Error(fmt::format("QKeras activation '{}' is not supported", name));
    }
  }
  if (name == "linear" || name == "None" || name.empty()) {
    return std::optional<ir::ActivationAttrs>();
  }
  if (name == "relu") {
    a.fn = ActivationFn::kReLU;
  } else if (name == "relu6") {
    a.fn = ActivationFn::kReLU;
    a.max_value = 6.0;
  } else if (name == "leaky_relu") {
    a.fn = ActivationFn::kLeakyReLU;
    a.alpha = 0.2;  // the function's default slope (the LeakyReLU layer's is 0.3)
  } else if (name == "elu") {
    a.fn = ActivationFn::kELU;
    a.alpha = 1.0;
  } else if (name == "selu") {
    a.fn = ActivationFn::kSELU;
  } else if (name == "sigmoid") {
    a.fn = ActivationFn::kSigmoid;
  } else if (name == "hard_sigmoid") {
    a.fn = ActivationFn::kHardSigmoid;
    a.alpha = keras_major >= 3 ? 1.0 / 6.0 : 0.2;
  } else if (name == "tanh") {
    a.fn = ActivationFn::kTanh;
  } else if (name == "softmax") {
    a.fn = ActivationFn::kSoftmax;
  } else if (name == "softplus") {
    a.fn = ActivationFn::kSoftplus;
  } else if (name == "softsign") {
    a.fn = ActivationFn::kSoftsign;
  } else if (name == "swish" || name == "silu") {
    a.fn = ActivationFn::kSwish;
  } else if (name == "hard_silu" || name == "hard_swish") {
    a.fn = ActivationFn::kHardSilu;
  } else if (name == "hard_tanh") {
    a.fn = ActivationFn::kHardTanh;
  } else if (name == "mish") {
    a.fn = ActivationFn::kMish;
  } else if (name == "exponential") {
    a.fn = ActivationFn::kExponential;
  } else if (name == "gelu") {
    a.fn = ActivationFn::kGELU;
    a.approximate = false;  // both versions default to the exact (erf) form
  } else {
    return Error(fmt::format("activation '{}' is not supported", name));
  }
  return std::optional<ir::ActivationAttrs>(a);
}

}  // namespace fixnn::frontends::keras
