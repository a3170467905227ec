// Dense, activations, BatchNormalization, reshaping, padding, merges, Embedding.
#include <fmt/format.h>

#include "frontends/keras/activations.h"
#include "frontends/keras/layer_builder.h"

namespace fixnn::frontends::keras {
namespace {

using Outputs = Result<std::vector<std::string>>;

Outputs One(Result<std::string> tensor) {
  if (!tensor.ok()) return tensor.error();
  return std::vector<std::string>{*tensor};
}

}  // namespace

Result<ir::Node> MakeDenseNode(const LayerCall& call) {
  if (Status s = CheckInputCount(call, 1, 1); !s.ok()) return s.error();
  ir::DenseAttrs a;
  Result<int64_t> units = call.fields.Int("units");
  if (!units.ok()) return units.error();
  a.units = *units;
  Result<bool> use_bias = call.fields.Bool("use_bias", true);
  if (!use_bias.ok()) return use_bias.error();
  a.use_bias = *use_bias;
  Result<std::vector<ir::Weight>> w = call.TakeWeights(
      a.use_bias ? std::vector<std::string>{"kernel", "bias"} : std::vector<std::string>{"kernel"});
  if (!w.ok()) return w.error();
  ir::Node node;
  node.name = call.node_name;
  node.attrs = a;
  node.weights = std::move(w).value();
  return node;
}

Result<std::vector<std::string>> AddWithActivation(const LayerCall& call, ir::Node node) {
  Result<std::string> out = call.Add(std::move(node));
  if (!out.ok()) return out.error();
  return One(call.AddActivationField(*out));
}

namespace {

Outputs Dense(const LayerCall& call) {
  Result<ir::Node> node = MakeDenseNode(call);
  if (!node.ok()) return node.error();
  return AddWithActivation(call, std::move(node).value());
}

Outputs AddActivationNode(const LayerCall& call, ir::ActivationAttrs a) {
  ir::Node node;
  node.name = call.node_name;
  node.attrs = a;
  return One(call.Add(std::move(node)));
}

Outputs Activation(const LayerCall& call) {
  if (Status s = CheckInputCount(call, 1, 1); !s.ok()) return s.error();
  const nlohmann::json* spec = call.fields.Find("activation");
  if (spec == nullptr || !spec->is_string()) {
    return call.Fail("config field 'activation' is missing or not a name");
  }
  Result<std::optional<ir::ActivationAttrs>> a = call.ActivationNamed(spec->get<std::string>());
  if (!a.ok()) return a.error();
  // A linear activation stays a node: hls4ml configurations name it, and it casts into its
  // result type unless a pass removes it.
  return AddActivationNode(call, a->value_or(ir::ActivationAttrs{ir::ActivationFn::kLinear}));
}

Outputs ReLU(const LayerCall& call) {
  ir::ActivationAttrs a{ir::ActivationFn::kReLU};
  Result<double> max_value = call.fields.Double("max_value", -1.0);
  Result<double> slope = call.fields.Double("negative_slope", 0.0);
  Result<double> threshold = call.fields.Double("threshold", 0.0);
  if (!max_value.ok()) return max_value.error();
  if (!slope.ok()) return slope.error();
  if (!threshold.ok()) return threshold.error();
  a.max_value = *max_value;
  a.threshold = *threshold;
  a.alpha = *slope;  // the ReLU op carries slope, cap and threshold together
  return AddActivationNode(call, a);
}

// An activation layer with one numeric parameter: `keys` in order of preference (Keras 2 calls
// LeakyReLU's slope alpha, Keras 3 negative_slope), stored in alpha or threshold.
LayerBuilder OneParameter(ir::ActivationFn fn, std::vector<std::string> keys, double fallback,
                          double ir::ActivationAttrs::*field) {
  return [=](const LayerCall& call) -> Outputs {
    ir::ActivationAttrs a{fn};
    std::string key = keys.front();
    for (const std::string& k : keys) {
      if (call.fields.Has(k)) key = k;
    }
    Result<double> value = call.fields.Double(key, fallback);
    if (!value.ok()) return value.error();
    a.*field = *value;
    return AddActivationNode(call, a);
  };
}

Outputs Softmax(const LayerCall& call) {
  ir::ActivationAttrs a{ir::ActivationFn::kSoftmax};
  const nlohmann::json* axis = call.fields.Find("axis");
  if (axis != nullptr && axis->is_array()) {
    if (axis->size() != 1 || !(*axis)[0].is_number_integer()) {
      return call.Fail("softmax over several axes is not supported");
    }
    a.axis = (*axis)[0].get<int64_t>();
  } else {
    Result<int64_t> ax = call.fields.Int("axis", -1);
    if (!ax.ok()) return ax.error();
    a.axis = *ax;
  }
  return AddActivationNode(call, a);
}

Outputs PReLU(const LayerCall& call) {
  ir::PReLUAttrs a;
  if (call.fields.Has("shared_axes")) {
    Result<std::vector<int64_t>> axes = call.fields.IntList("shared_axes", 0);
    if (!axes.ok()) return axes.error();
    a.shared_axes = *axes;
  }
  Result<std::vector<ir::Weight>> w = call.TakeWeights({"alpha"});
  if (!w.ok()) return w.error();
  ir::Node node;
  node.name = call.node_name;
  node.attrs = a;
  node.weights = std::move(w).value();
  return One(call.Add(std::move(node)));
}

Result<int64_t> SingleAxis(const LayerCall& call, const std::string& key, int64_t fallback) {
  const nlohmann::json* axis = call.fields.Find(key);
  if (axis != nullptr && axis->is_array()) {
    if (axis->size() != 1 || !(*axis)[0].is_number_integer()) {
      return call.Fail(fmt::format("'{}' over several axes is not supported", key));
    }
    return (*axis)[0].get<int64_t>();
  }
  return call.fields.Int(key, fallback);
}

}  // namespace

Result<ir::Node> MakeBatchNormNode(const LayerCall& call) {
  ir::BatchNormAttrs a;
  Result<int64_t> axis = SingleAxis(call, "axis", -1);
  Result<double> eps = call.fields.Double("epsilon", 1e-3);
  Result<bool> center = call.fields.Bool("center", true);
  Result<bool> scale = call.fields.Bool("scale", true);
  if (!axis.ok()) return axis.error();
  if (!eps.ok()) return eps.error();
  if (!center.ok()) return center.error();
  if (!scale.ok()) return scale.error();
  a.axis = *axis;
  a.epsilon = *eps;
  a.center = *center;
  a.scale = *scale;
  if (call.fields.Has("renorm") && call.fields.Bool("renorm", false).value()) {
    return call.Fail("batch renormalization is not supported");
  }
  std::vector<std::string> names;
  if (a.scale) names.push_back("gamma");
  if (a.center) names.push_back("beta");
  names.push_back("moving_mean");
  names.push_back("moving_variance");
  Result<std::vector<ir::Weight>> w = call.TakeWeights(names);
  if (!w.ok()) return w.error();
  ir::Node node;
  node.name = call.node_name;
  node.attrs = a;
  node.weights = std::move(w).value();
  return node;
}

namespace {

Outputs BatchNormalization(const LayerCall& call) {
  Result<ir::Node> node = MakeBatchNormNode(call);
  if (!node.ok()) return node.error();
  return One(call.Add(std::move(node).value()));
}

Outputs Flatten(const LayerCall& call) {
  if (Status s = CheckChannelsLast(call); !s.ok()) return s.error();
  ir::Node node;
  node.name = call.node_name;
  node.attrs = ir::FlattenAttrs{};
  return One(call.Add(std::move(node)));
}

Outputs Reshape(const LayerCall& call) {
  Result<std::vector<int64_t>> shape = call.fields.IntList("target_shape", 0);
  if (!shape.ok()) return shape.error();
  ir::Node node;
  node.name = call.node_name;
  node.attrs = ir::ReshapeAttrs{*shape};
  return One(call.Add(std::move(node)));
}

Outputs Permute(const LayerCall& call) {
  Result<std::vector<int64_t>> dims = call.fields.IntList("dims", 0);
  if (!dims.ok()) return dims.error();
  ir::Node node;
  node.name = call.node_name;
  node.attrs = ir::PermuteAttrs{*dims};
  return One(call.Add(std::move(node)));
}

// Keras padding/cropping: an int (all sides), a pair per axis, or one int per axis.
Result<std::vector<std::pair<int64_t, int64_t>>> Pairs(const LayerCall& call,
                                                       const std::string& key, size_t rank) {
  const nlohmann::json* v = call.fields.Find(key);
  std::vector<std::pair<int64_t, int64_t>> out;
  auto bad = [&] {
    return call.Fail(fmt::format("config field '{}' is not a valid {}D amount ({})", key, rank,
                                 v == nullptr ? "missing" : v->dump()));
  };
  if (v == nullptr) return bad();
  if (v->is_number_integer()) {
    out.assign(rank, {v->get<int64_t>(), v->get<int64_t>()});
    return out;
  }
  if (!v->is_array()) return bad();
  if (rank == 1) {
    if (v->size() != 2 || !(*v)[0].is_number_integer() || !(*v)[1].is_number_integer()) {
      return bad();
    }
    out.push_back({(*v)[0].get<int64_t>(), (*v)[1].get<int64_t>()});
    return out;
  }
  if (v->size() != rank) return bad();
  for (const nlohmann::json& e : *v) {
    if (e.is_number_integer()) {
      out.push_back({e.get<int64_t>(), e.get<int64_t>()});
    } else if (e.is_array() && e.size() == 2 && e[0].is_number_integer() &&
               e[1].is_number_integer()) {
      out.push_back({e[0].get<int64_t>(), e[1].get<int64_t>()});
    } else {
      return bad();
    }
  }
  return out;
}

// ZeroPadding and Cropping: one {before, after} pair per spatial axis under `key`.
template <typename Attrs>
LayerBuilder PerAxisAmounts(size_t rank, const char* key) {
  return [rank, key](const LayerCall& call) -> Outputs {
    if (Status s = CheckChannelsLast(call); !s.ok()) return s.error();
    Result<std::vector<std::pair<int64_t, int64_t>>> amounts = Pairs(call, key, rank);
    if (!amounts.ok()) return amounts.error();
    ir::Node node;
    node.name = call.node_name;
    node.attrs = Attrs{*amounts};
    return One(call.Add(std::move(node)));
  };
}

LayerBuilder UpSampling(size_t rank) {
  return [rank](const LayerCall& call) -> Outputs {
    if (Status s = CheckChannelsLast(call); !s.ok()) return s.error();
    Result<std::string> interpolation = call.fields.String("interpolation", "nearest");
    if (!interpolation.ok()) return interpolation.error();
    const bool bilinear = *interpolation == "bilinear" && rank == 2;
    if (*interpolation != "nearest" && !bilinear) {
      return call.Fail(fmt::format(
          "interpolation '{}' is not supported (nearest, and bilinear in 2D)", *interpolation));
    }
    if (bilinear && call.source.keras_major < 3) {
      // tf.keras 2 resizes without half-pixel centres; only Keras 3's form is implemented.
      return call.Fail("bilinear upsampling from Keras 2 is not supported");
    }
    Result<std::vector<int64_t>> size =
        call.fields.IntList("size", rank, std::vector<int64_t>(rank, 2));
    if (!size.ok()) return size.error();
    ir::Node node;
    node.name = call.node_name;
    node.attrs = ir::UpSamplingAttrs{*size, bilinear};
    return One(call.Add(std::move(node)));
  };
}

LayerBuilder Merge(ir::MergeKind kind) {
  return [kind](const LayerCall& call) -> Outputs {
    size_t max = kind == ir::MergeKind::kSubtract ? 2 : 64;
    if (Status s = CheckInputCount(call, 2, max); !s.ok()) return s.error();
    ir::Node node;
    node.name = call.node_name;
    node.attrs = ir::MergeAttrs{kind};
    return One(call.Add(std::move(node)));
  };
}

Outputs Concatenate(const LayerCall& call) {
  if (Status s = CheckInputCount(call, 2, 64); !s.ok()) return s.error();
  Result<int64_t> axis = call.fields.Int("axis", -1);
  if (!axis.ok()) return axis.error();
  ir::Node node;
  node.name = call.node_name;
  node.attrs = ir::ConcatenateAttrs{*axis};
  return One(call.Add(std::move(node)));
}

Outputs Dot(const LayerCall& call) {
  if (Status s = CheckInputCount(call, 2, 2); !s.ok()) return s.error();
  ir::DotAttrs a;
  Result<std::vector<int64_t>> axes = call.fields.IntList("axes", 2);
  Result<bool> normalize = call.fields.Bool("normalize", false);
  if (!axes.ok()) return axes.error();
  if (!normalize.ok()) return normalize.error();
  a.axes = *axes;
  a.normalize = *normalize;
  ir::Node node;
  node.name = call.node_name;
  node.attrs = a;
  return One(call.Add(std::move(node)));
}

Outputs Embedding(const LayerCall& call) {
  ir::EmbeddingAttrs a;
  Result<int64_t> input_dim = call.fields.Int("input_dim");
  Result<int64_t> output_dim = call.fields.Int("output_dim");
  Result<bool> mask_zero = call.fields.Bool("mask_zero", false);
  if (!input_dim.ok()) return input_dim.error();
  if (!output_dim.ok()) return output_dim.error();
  if (!mask_zero.ok()) return mask_zero.error();
  if (*mask_zero) return call.Fail("mask_zero=True is not supported (masks are not emulated)");
  a.input_dim = *input_dim;
  a.output_dim = *output_dim;
  Result<std::vector<ir::Weight>> w = call.TakeWeights({"embeddings"});
  if (!w.ok()) return w.error();
  ir::Node node;
  node.name = call.node_name;
  node.attrs = a;
  node.weights = std::move(w).value();
  if (ir::Tensor* t = call.graph.FindTensor(call.inputs.front()); t != nullptr) {
    t->integer_valued = true;
  }
  return One(call.Add(std::move(node)));
}

}  // namespace

void RegisterCoreLayers(std::map<std::string, LayerBuilder>& b) {
  b["Dense"] = Dense;
  b["Activation"] = Activation;
  b["ReLU"] = ReLU;
  b["LeakyReLU"] = OneParameter(ir::ActivationFn::kLeakyReLU, {"alpha", "negative_slope"}, 0.3,
                                &ir::ActivationAttrs::alpha);
  b["ELU"] = OneParameter(ir::ActivationFn::kELU, {"alpha"}, 1.0, &ir::ActivationAttrs::alpha);
  b["ThresholdedReLU"] = OneParameter(ir::ActivationFn::kThresholdedReLU, {"theta"}, 1.0,
                                      &ir::ActivationAttrs::threshold);
  b["Softmax"] = Softmax;
  b["PReLU"] = PReLU;
  b["BatchNormalization"] = BatchNormalization;
  b["Flatten"] = Flatten;
  b["Reshape"] = Reshape;
  b["Permute"] = Permute;
  b["ZeroPadding1D"] = PerAxisAmounts<ir::ZeroPaddingAttrs>(1, "padding");
  b["ZeroPadding2D"] = PerAxisAmounts<ir::ZeroPaddingAttrs>(2, "padding");
  b["Cropping1D"] = PerAxisAmounts<ir::CroppingAttrs>(1, "cropping");
  b["Cropping2D"] = PerAxisAmounts<ir::CroppingAttrs>(2, "cropping");
  b["UpSampling1D"] = UpSampling(1);
  b["UpSampling2D"] = UpSampling(2);
  b["Add"] = Merge(ir::MergeKind::kAdd);
  b["Subtract"] = Merge(ir::MergeKind::kSubtract);
  b["Multiply"] = Merge(ir::MergeKind::kMultiply);
  b["Average"] = Merge(ir::MergeKind::kAverage);
  b["Maximum"] = Merge(ir::MergeKind::kMaximum);
  b["Minimum"] = Merge(ir::MergeKind::kMinimum);
  b["Concatenate"] = Concatenate;
  b["Dot"] = Dot;
  b["Embedding"] = Embedding;
}

}  // namespace fixnn::frontends::keras
