#include "passes/batchnorm_constants.h"

#include <fmt/format.h>

#include <cmath>

namespace fixnn::passes {

double Mul32(double a, double b) {
  return static_cast<float>(static_cast<double>(static_cast<float>(a)) * static_cast<float>(b));
}

double Add32(double a, double b) {
  return static_cast<float>(static_cast<double>(static_cast<float>(a)) + static_cast<float>(b));
}

namespace {

double Div32(double a, double b) {
  return static_cast<float>(static_cast<double>(static_cast<float>(a)) / static_cast<float>(b));
}

double Sqrt32(double a) {
  return static_cast<float>(std::sqrt(static_cast<double>(static_cast<float>(a))));
}

Error Fail(const ir::Node& node, const std::string& message) {
  return Error(fmt::format("layer '{}': {}", node.name, message));
}

// The weight's values, checked to be float32 numbers of the expected count.
Result<std::vector<double>> Float32Values(const ir::Node& node, const char* name, size_t count) {
  const ir::Weight* w = node.FindWeight(name);
  if (w == nullptr) return Fail(node, fmt::format("weight '{}' is missing", name));
  if (count != 0 && w->values.size() != count) {
    return Fail(
        node, fmt::format("weight '{}' has {} values, expected {}", name, w->values.size(), count));
  }
  for (double v : w->values) {
    if (static_cast<double>(static_cast<float>(v)) != v) {
      return Fail(node, fmt::format("weight '{}' holds {}, not a float32 value (hls4ml computes "
                                    "batch normalization constants in the weights' float32)",
                                    name, v));
    }
  }
  return w->values;
}

Result<ScaleBias> FromBatchNorm(const ir::Node& node) {
  const auto& a = node.as<ir::BatchNormAttrs>();
  Result<std::vector<double>> mean = Float32Values(node, "moving_mean", 0);
  if (!mean.ok()) return mean.error();
  const size_t n = mean->size();
  Result<std::vector<double>> var = Float32Values(node, "moving_variance", n);
  if (!var.ok()) return var.error();
  std::vector<double> gamma(n, 1.0), beta(n, 0.0);
  if (a.scale) {
    Result<std::vector<double>> g = Float32Values(node, "gamma", n);
    if (!g.ok()) return g.error();
    gamma = *g;
  }
  if (a.center) {
    Result<std::vector<double>> b = Float32Values(node, "beta", n);
    if (!b.ok()) return b.error();
    beta = *b;
  }
  const double eps = static_cast<float>(a.epsilon);
  ScaleBias out;
  for (size_t c = 0; c < n; ++c) {
    const double s = Div32(gamma[c], Sqrt32(Add32((*var)[c], eps)));
    out.scale.push_back(s);
    out.bias.push_back(Add32(beta[c], -Mul32(s, (*mean)[c])));
  }
  return out;
}

Result<ScaleBias> FromScale(const ir::Node& node) {
  ScaleBias out;
  const ir::Weight* s = node.FindWeight("scale");
  if (s == nullptr) return Fail(node, "weight 'scale' is missing");
  out.scale = s->values;
  if (s->quantizer) ir::ApplyQuantizer(*s->quantizer, out.scale);
  const ir::Weight* b = node.as<ir::ScaleAttrs>().use_bias ? node.FindWeight("bias") : nullptr;
  if (b != nullptr) {
    out.bias = b->values;
    if (b->quantizer) ir::ApplyQuantizer(*b->quantizer, out.bias);
  } else {
    out.bias.assign(out.scale.size(), 0.0);
  }
  if (out.bias.size() != out.scale.size()) {
    return Fail(node, fmt::format("weights 'scale' and 'bias' have {} and {} values",
                                  out.scale.size(), out.bias.size()));
  }
  return out;
}

}  // namespace

Result<ScaleBias> BatchNormScaleBias(const ir::Node& node) {
  if (node.is<ir::BatchNormAttrs>()) return FromBatchNorm(node);
  if (node.is<ir::ScaleAttrs>()) return FromScale(node);
  return Fail(node, "not a batch normalization or scale layer");
}

}  // namespace fixnn::passes
