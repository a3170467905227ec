// Keras activation names ("relu", "softmax", ...) as IR activations, with the constants of
// the Keras version that wrote the model (hard_sigmoid differs between Keras 2 and 3).
#pragma once

#include <optional>
#include <string>

#include "ir/ops.h"
#include "support/result.h"

namespace fixnn::frontends::keras {

// nullopt for "linear" (no op). Unknown names are an error naming the activation.
// `qkeras_names`: the name comes from a QKeras layer, where QKeras' own functions shadow
// Keras' (QKeras' hard_sigmoid is clip(0.5 x + 0.5, 0, 1), not Keras').
Result<std::optional<ir::ActivationAttrs>> ActivationFromName(const std::string& name,
                                                              int keras_major,
                                                              bool qkeras_names = false);

}  // namespace fixnn::frontends::keras
