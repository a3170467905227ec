// QKeras layers (the Keras layer plus quantizers on weights and activations, see
// qkeras_quantizers.h) and HGQ's FixedPointQuantizer.
#include <fmt/format.h>

#include <cmath>

#include "frontends/keras/activations.h"
#include "frontends/keras/layer_builder.h"
#include "frontends/keras/qkeras_quantizers.h"
#include "ir/shape_inference.h"

namespace fixnn::frontends::keras {
namespace {

using Outputs = Result<std::vector<std::string>>;

// The quantizer in config field `key` (absent or null: none).
Result<std::optional<ir::Quantizer>> QuantizerField(const LayerCall& call,
                                                    const nlohmann::json& config,
                                                    const std::string& key) {
  if (!config.is_object() || !config.contains(key) || config[key].is_null()) {
    return std::optional<ir::Quantizer>();
  }
  const nlohmann::json& spec = config[key];
  if (spec.is_string() && (spec.get<std::string>() == "None" || spec.get<std::string>().empty())) {
    return std::optional<ir::Quantizer>();
  }
  Result<ir::Quantizer> q = ParseQKerasQuantizer(spec);
  if (!q.ok()) return call.Fail(fmt::format("{}: {}", key, q.error().message()));
  return std::optional<ir::Quantizer>(std::move(q).value());
}

// Attaches the quantizer in `key` to weight `weight_name`, resolving an auto alpha from the
// weight's values.
Status QuantizeWeight(const LayerCall& call, ir::Node& node, const std::string& weight_name,
                      const std::string& key, const nlohmann::json& config) {
  Result<std::optional<ir::Quantizer>> q = QuantizerField(call, config, key);
  if (!q.ok()) return q.error();
  if (!q->has_value()) return Status::Ok();
  ir::Weight* w = node.FindWeight(weight_name);
  if (w == nullptr) return Status::Ok();  // e.g. a bias quantizer with use_bias=False
  Result<ir::Quantizer> resolved = ResolveQKerasAlpha(**q, w->values, w->shape);
  if (!resolved.ok()) return call.Fail(fmt::format("{}: {}", key, resolved.error().message()));
  w->quantizer = std::move(resolved).value();
  return Status::Ok();
}

Status QuantizeWeights(const LayerCall& call, ir::Node& node,
                       const std::vector<std::pair<std::string, std::string>>& pairs) {
  for (const auto& [weight, key] : pairs) {
    if (Status s = QuantizeWeight(call, node, weight, key, call.config); !s.ok()) return s;
  }
  return Status::Ok();
}

template <typename Make>
LayerBuilder Quantized(Make make, std::vector<std::pair<std::string, std::string>> pairs) {
  return [make, pairs](const LayerCall& call) -> Outputs {
    Result<ir::Node> node = make(call);
    if (!node.ok()) return node.error();
    if (Status s = QuantizeWeights(call, *node, pairs); !s.ok()) return s.error();
    return AddWithActivation(call, std::move(node).value());
  };
}

Outputs QActivation(const LayerCall& call) {
  if (Status s = CheckInputCount(call, 1, 1); !s.ok()) return s.error();
  const nlohmann::json* spec = call.fields.Find("activation");
  if (spec == nullptr) return call.Fail("config field 'activation' is missing");
  ir::Node node;
  node.name = call.node_name;
  if (IsQKerasQuantizerSpec(*spec)) {
    Result<ir::Quantizer> q = ParseQKerasQuantizer(*spec);
    if (!q.ok()) return call.Fail(q.error().message());
    if (Status s = RefuseBatchAlpha(call, *q); !s.ok()) return s.error();
    node.attrs = ir::QuantizeAttrs{};
    node.output_quantizer = std::move(q).value();
  } else {
    if (!spec->is_string())
      return call.Fail(fmt::format("activation {} is not supported", spec->dump()));
    Result<std::optional<ir::ActivationAttrs>> a = call.ActivationNamed(spec->get<std::string>());
    if (!a.ok()) return a.error();
    node.attrs = a->value_or(ir::ActivationAttrs{ir::ActivationFn::kLinear});
  }
  Result<std::string> out = call.Add(std::move(node));
  if (!out.ok()) return out.error();
  return std::vector<std::string>{*out};
}

// QConv2DBatchnorm / QDepthwiseConv2DBatchnorm / QDenseBatchnorm: the batch normalization is
// folded into the kernel and bias as QKeras does at inference, in float32:
//   inv = gamma * rsqrt(moving_variance + epsilon)
//   kernel' = kernel * inv (inv running over the kernel's trailing output axes)
//   bias' = inv * (bias - moving_mean) + beta
// and the layer's quantizers then apply to kernel' and bias'.
Status FoldBatchNorm(const LayerCall& call, ir::Node& node, const std::string& kernel_name) {
  Result<bool> center = call.fields.Bool("center", true);
  Result<bool> scale = call.fields.Bool("scale", true);
  Result<double> epsilon = call.fields.Double("epsilon", 1e-3);
  if (!center.ok()) return center.error();
  if (!scale.ok()) return scale.error();
  if (!epsilon.ok()) return epsilon.error();
  std::vector<std::string> names;
  if (*scale) names.push_back("gamma");
  if (*center) names.push_back("beta");
  names.push_back("moving_mean");
  names.push_back("moving_variance");
  // The stored names of the folded layer's own weights come first; take them all again.
  std::vector<std::string> all;
  for (const ir::Weight& w : node.weights) all.push_back(w.name);
  for (const std::string& n : names) all.push_back(n);
  Result<std::vector<ir::Weight>> w = call.TakeWeights(all, "", {"iteration"});
  if (!w.ok()) return w.error();
  auto find = [&](const std::string& n) -> const ir::Weight* {
    for (const ir::Weight& x : *w) {
      if (x.name == n) return &x;
    }
    return nullptr;
  };
  const ir::Weight* mean = find("moving_mean");
  const ir::Weight* var = find("moving_variance");
  const ir::Weight* gamma = find("gamma");
  const ir::Weight* beta = find("beta");
  const size_t n = mean->values.size();
  if (var->values.size() != n || (gamma && gamma->values.size() != n) ||
      (beta && beta->values.size() != n)) {
    return call.Fail("batch normalization weights of different sizes");
  }
  std::vector<float> inv(n);
  for (size_t i = 0; i < n; ++i) {
    float v = static_cast<float>(var->values[i]) + static_cast<float>(*epsilon);
    inv[i] = 1.0f / std::sqrt(v);
    if (gamma) inv[i] *= static_cast<float>(gamma->values[i]);
  }
  ir::Weight* kernel = node.FindWeight(kernel_name);
  if (kernel == nullptr || kernel->values.size() % n != 0) {
    return call.Fail(
        fmt::format("the {} does not match the batch normalization size {}", kernel_name, n));
  }
  for (size_t i = 0; i < kernel->values.size(); ++i) {
    kernel->values[i] = static_cast<double>(static_cast<float>(kernel->values[i]) * inv[i % n]);
  }
  ir::Weight bias;
  bias.name = "bias";
  bias.shape = {static_cast<int64_t>(n)};
  bias.values.resize(n);
  const ir::Weight* old_bias = node.FindWeight("bias");
  for (size_t i = 0; i < n; ++i) {
    float b = old_bias ? static_cast<float>(old_bias->values[i]) : 0.0f;
    float v = inv[i] * (b - static_cast<float>(mean->values[i]));
    if (beta) v += static_cast<float>(beta->values[i]);
    bias.values[i] = v;
  }
  std::vector<ir::Weight> folded;
  folded.push_back(std::move(*kernel));
  folded.push_back(std::move(bias));
  node.weights = std::move(folded);
  return Status::Ok();
}

template <typename Make>
LayerBuilder Folded(Make make, std::string kernel_name, std::string kernel_key) {
  return [make, kernel_name, kernel_key](const LayerCall& folded_call) -> Outputs {
    LayerCall call = folded_call;
    call.leave_for_later = {"gamma", "beta", "moving_mean", "moving_variance", "iteration"};
    Result<ir::Node> node = make(call);
    if (!node.ok()) return node.error();
    if (Status s = FoldBatchNorm(call, *node, kernel_name); !s.ok()) return s.error();
    std::visit(
        [](auto& a) {
          if constexpr (requires { a.use_bias; }) a.use_bias = true;
        },
        node->attrs);
    if (Status s =
            QuantizeWeights(call, *node, {{kernel_name, kernel_key}, {"bias", "bias_quantizer"}});
        !s.ok()) {
      return s.error();
    }
    return AddWithActivation(call, std::move(node).value());
  };
}

// A QKeras activation field: a quantizer (it replaces the activation) or a plain name.
Status RecurrentQuantizers(const LayerCall& call, const nlohmann::json& config,
                           ir::RecurrentAttrs& a) {
  for (auto [key, target] : {std::pair{"activation", &a.activation_quantizer},
                             std::pair{"recurrent_activation", &a.recurrent_activation_quantizer},
                             std::pair{"state_quantizer", &a.state_quantizer}}) {
    if (!config.contains(key) || config[key].is_null()) continue;
    if (std::string(key) != "state_quantizer" && !IsQKerasQuantizerSpec(config[key])) continue;
    Result<std::optional<ir::Quantizer>> q = QuantizerField(call, config, key);
    if (!q.ok()) return q.error();
    *target = *q;
  }
  return Status::Ok();
}

// Parses recurrent attributes, tolerating quantizer specs in the activation fields.
Result<ir::RecurrentAttrs> QRecurrentAttrs(const LayerCall& call, ir::RecurrentCell cell,
                                           const nlohmann::json& config) {
  nlohmann::json plain = config;
  for (const char* key : {"activation", "recurrent_activation"}) {
    if (plain.contains(key) && IsQKerasQuantizerSpec(plain[key])) plain[key] = "linear";
  }
  Result<ir::RecurrentAttrs> a = MakeRecurrentAttrs(call, cell, plain);
  if (!a.ok()) return a.error();
  if (Status s = RecurrentQuantizers(call, config, *a); !s.ok()) return s.error();
  return a;
}

const std::vector<std::pair<std::string, std::string>> kRecurrentQuantizers = {
    {"kernel", "kernel_quantizer"},
    {"recurrent_kernel", "recurrent_quantizer"},
    {"bias", "bias_quantizer"}};

LayerBuilder QRecurrent(ir::RecurrentCell cell) {
  return [cell](const LayerCall& call) -> Outputs {
    if (Status s = CheckInputCount(call, 1, 1); !s.ok()) return s.error();
    Result<ir::RecurrentAttrs> a = QRecurrentAttrs(call, cell, call.config);
    if (!a.ok()) return a.error();
    std::vector<std::string> names = {"kernel", "recurrent_kernel"};
    if (a->use_bias) names.push_back("bias");
    Result<std::vector<ir::Weight>> w = call.TakeWeights(names, "cell");
    if (!w.ok()) return w.error();
    ir::Node node;
    node.name = call.node_name;
    size_t states = cell == ir::RecurrentCell::kLSTM ? 2 : 1;
    node.outputs = {call.node_name};
    if (a->return_state) {
      for (size_t i = 1; i <= states; ++i)
        node.outputs.push_back(fmt::format("{}:{}", call.node_name, i));
    }
    node.attrs = *a;
    node.weights = std::move(w).value();
    if (Status s = QuantizeWeights(call, node, kRecurrentQuantizers); !s.ok()) return s.error();
    std::vector<std::string> outputs = node.outputs;
    Result<std::string> out = call.Add(std::move(node));
    if (!out.ok()) return out.error();
    return outputs;
  };
}

Result<ir::RecurrentCell> QCellOf(const LayerCall& call, const std::string& c) {
  if (c == "QLSTM" || c == "LSTM") return ir::RecurrentCell::kLSTM;
  if (c == "QGRU" || c == "GRU") return ir::RecurrentCell::kGRU;
  if (c == "QSimpleRNN" || c == "SimpleRNN") return ir::RecurrentCell::kSimpleRNN;
  return call.Fail(fmt::format("recurrent layer '{}' is not supported", c));
}

}  // namespace

Result<std::vector<std::string>> QBidirectional(const LayerCall& call) {
  if (Status s = CheckInputCount(call, 1, 1); !s.ok()) return s.error();
  const nlohmann::json* layer = call.fields.Find("layer");
  if (layer == nullptr || !layer->is_object() || !layer->contains("class_name") ||
      !(*layer)["class_name"].is_string() || !layer->contains("config")) {
    return call.Fail("config field 'layer' is missing or not a layer");
  }
  Result<ir::RecurrentCell> cell = QCellOf(call, (*layer)["class_name"].get<std::string>());
  if (!cell.ok()) return cell.error();
  ir::BidirectionalAttrs a;
  Result<ir::RecurrentAttrs> fwd = QRecurrentAttrs(call, *cell, (*layer)["config"]);
  if (!fwd.ok()) return fwd.error();
  a.forward = *fwd;
  a.backward = *fwd;
  a.backward.go_backwards = !fwd->go_backwards;
  if (const nlohmann::json* back = call.fields.Find("backward_layer"); back != nullptr) {
    if (!back->is_object() || !back->contains("config") || !back->contains("class_name") ||
        !(*back)["class_name"].is_string()) {
      return call.Fail("config field 'backward_layer' is not a layer");
    }
    Result<ir::RecurrentCell> back_cell = QCellOf(call, (*back)["class_name"].get<std::string>());
    if (!back_cell.ok()) return back_cell.error();
    Result<ir::RecurrentAttrs> bwd = QRecurrentAttrs(call, *back_cell, (*back)["config"]);
    if (!bwd.ok()) return bwd.error();
    a.backward = *bwd;
  }
  if (a.forward.return_state || a.backward.return_state) {
    return call.Fail("return_state=True inside Bidirectional is not supported");
  }
  // Keras writes merge_mode: null for two separate outputs; an absent field means concat.
  const bool merge_null = call.config.contains("merge_mode") && call.config["merge_mode"].is_null();
  Result<std::string> mode = merge_null ? Result<std::string>(std::string("none"))
                                        : call.fields.String("merge_mode", "concat");
  if (!mode.ok()) return mode.error();
  if (*mode == "none") {
    a.merge = ir::BidirectionalMerge::kNone;
  } else if (*mode == "concat") {
    a.merge = ir::BidirectionalMerge::kConcat;
  } else if (*mode == "sum") {
    a.merge = ir::BidirectionalMerge::kSum;
  } else if (*mode == "mul") {
    a.merge = ir::BidirectionalMerge::kMul;
  } else if (*mode == "ave") {
    a.merge = ir::BidirectionalMerge::kAverage;
  } else {
    return call.Fail(fmt::format("merge_mode '{}' is not supported", *mode));
  }
  ir::Node node;
  node.name = call.node_name;
  for (const char* side : {"forward", "backward"}) {
    const ir::RecurrentAttrs& r = std::string(side) == "forward" ? a.forward : a.backward;
    std::vector<std::string> names = {"kernel", "recurrent_kernel"};
    if (r.use_bias) names.push_back("bias");
    Result<std::vector<ir::Weight>> w = call.TakeWeights(names, fmt::format("{}_layer/cell", side));
    if (!w.ok()) return w.error();
    const nlohmann::json& cfg = std::string(side) == "forward" || !call.fields.Has("backward_layer")
                                    ? (*layer)["config"]
                                    : (*call.fields.Find("backward_layer"))["config"];
    ir::Node part;
    part.weights = std::move(w).value();
    for (const auto& [weight, key] : kRecurrentQuantizers) {
      if (Status s = QuantizeWeight(call, part, weight, key, cfg); !s.ok()) return s.error();
    }
    for (ir::Weight& x : part.weights) {
      x.name = std::string(side) + "_" + x.name;
      node.weights.push_back(std::move(x));
    }
  }
  node.outputs = {call.node_name};
  if (a.merge == ir::BidirectionalMerge::kNone) node.outputs.push_back(call.node_name + ":1");
  std::vector<std::string> outputs = node.outputs;
  node.attrs = a;
  Result<std::string> out = call.Add(std::move(node));
  if (!out.ok()) return out.error();
  return outputs;
}

namespace {

LayerBuilder QPool(size_t rank, bool global) {
  return [rank, global](const LayerCall& call) -> Outputs {
    Result<ir::Node> node = global ? MakeGlobalPoolNode(call, rank, ir::PoolKind::kAverage)
                                   : MakePoolNode(call, rank, ir::PoolKind::kAverage);
    if (!node.ok()) return node.error();
    Result<std::optional<ir::Quantizer>> q = QuantizerField(call, call.config, "average_quantizer");
    if (!q.ok()) return q.error();
    if (global) {
      node->as<ir::GlobalPoolAttrs>().average_quantizer = *q;
    } else {
      node->as<ir::PoolAttrs>().average_quantizer = *q;
    }
    return AddWithActivation(call, std::move(node).value());
  };
}

// HGQ v1 FixedPointQuantizer: a Quantize node whose quantizer holds the (possibly
// per-element) types.
Outputs FixedPointQuantizer(const LayerCall& call) {
  if (Status s = CheckInputCount(call, 1, 1); !s.ok()) return s.error();
  Result<StoredWeights> stored = call.source.weights->Get(call.ref, "");
  if (!stored.ok()) return stored.error();
  std::map<std::string, HgqArray> arrays;
  const std::vector<std::string> order = {"keep_negative", "bits", "integers"};
  for (size_t i = 0; i < stored->arrays.size(); ++i) {
    std::string name = stored->named ? stored->names[i] : (i < order.size() ? order[i] : "?");
    arrays[name] = HgqArray{stored->arrays[i].shape, stored->arrays[i].values};
  }
  if (Status s = ir::InferShapes(call.graph); !s.ok()) return s.error();
  const ir::Tensor* in = call.graph.FindTensor(call.inputs.front());
  Result<ir::Quantizer> q = ParseHgqFixedPointQuantizer(call.config, arrays, in->shape);
  if (!q.ok()) return call.Fail(q.error().message());
  ir::Node node;
  node.name = call.node_name;
  node.attrs = ir::QuantizeAttrs{};
  node.output_quantizer = std::move(q).value();
  Result<std::string> out = call.Add(std::move(node));
  if (!out.ok()) return out.error();
  return std::vector<std::string>{*out};
}

}  // namespace

void RegisterQKerasLayers(std::map<std::string, LayerBuilder>& b) {
  const std::pair<std::string, std::string> kKernel{"kernel", "kernel_quantizer"};
  const std::pair<std::string, std::string> kBias{"bias", "bias_quantizer"};
  b["QDense"] = Quantized(MakeDenseNode, {kKernel, kBias});
  b["QConv1D"] = Quantized([](const LayerCall& c) { return MakeConvNode(c, 1); }, {kKernel, kBias});
  b["QConv2D"] = Quantized([](const LayerCall& c) { return MakeConvNode(c, 2); }, {kKernel, kBias});
  b["QDepthwiseConv2D"] = Quantized([](const LayerCall& c) { return MakeDepthwiseConvNode(c, 2); },
                                    {{"depthwise_kernel", "depthwise_quantizer"}, kBias});
  for (size_t rank : {1, 2}) {
    b[fmt::format("QSeparableConv{}D", rank)] =
        Quantized([rank](const LayerCall& c) { return MakeSeparableConvNode(c, rank); },
                  {{"depthwise_kernel", "depthwise_quantizer"},
                   {"pointwise_kernel", "pointwise_quantizer"},
                   kBias});
  }
  b["QBatchNormalization"] =
      Quantized(MakeBatchNormNode, {{"gamma", "gamma_quantizer"},
                                    {"beta", "beta_quantizer"},
                                    {"moving_mean", "mean_quantizer"},
                                    {"moving_variance", "variance_quantizer"}});
  b["QActivation"] = QActivation;
  b["QConv2DBatchnorm"] =
      Folded([](const LayerCall& c) { return MakeConvNode(c, 2); }, "kernel", "kernel_quantizer");
  b["QDepthwiseConv2DBatchnorm"] =
      Folded([](const LayerCall& c) { return MakeDepthwiseConvNode(c, 2); }, "depthwise_kernel",
             "depthwise_quantizer");
  b["QDenseBatchnorm"] = Folded(MakeDenseNode, "kernel", "kernel_quantizer");
  b["QLSTM"] = QRecurrent(ir::RecurrentCell::kLSTM);
  b["QGRU"] = QRecurrent(ir::RecurrentCell::kGRU);
  b["QSimpleRNN"] = QRecurrent(ir::RecurrentCell::kSimpleRNN);
  b["QBidirectional"] = QBidirectional;
  b["QAveragePooling2D"] = QPool(2, false);
  b["QGlobalAveragePooling2D"] = QPool(2, true);
  b["FixedPointQuantizer"] = FixedPointQuantizer;
}

}  // namespace fixnn::frontends::keras
