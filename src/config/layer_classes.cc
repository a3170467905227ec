#include "config/layer_classes.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <utility>

namespace fixnn::config {

namespace {

bool SameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Framework class -> hls4ml class: hls4ml 1.3's layer_map, plus the renames its Keras
// converter makes (ReLU -> Activation, Add -> Merge, Flatten -> Reshape, Permute ->
// Transpose, ...). hls4ml's own class names map to themselves.
constexpr std::pair<std::string_view, std::string_view> kClasses[] = {
    {"Input", "Input"},
    {"InputLayer", "Input"},
    {"Dense", "Dense"},
    {"QDense", "Dense"},
    {"BinaryDense", "Dense"},
    {"TernaryDense", "Dense"},
    {"EinsumDense", "EinsumDense"},
    {"Einsum", "Einsum"},
    {"Conv", "Conv"},
    {"Conv1D", "Conv1D"},
    {"QConv1D", "Conv1D"},
    {"Conv2D", "Conv2D"},
    {"QConv2D", "Conv2D"},
    {"BinaryConv2D", "Conv2D"},
    {"QConv2DBatchnorm", "Conv2DBatchnorm"},
    {"Conv2DBatchnorm", "Conv2DBatchnorm"},
    {"PointwiseConv1D", "PointwiseConv1D"},
    {"PointwiseConv2D", "PointwiseConv2D"},
    {"DepthwiseConv1D", "DepthwiseConv1D"},
    {"DepthwiseConv2D", "DepthwiseConv2D"},
    {"QDepthwiseConv2D", "DepthwiseConv2D"},
    {"SeparableConv1D", "SeparableConv1D"},
    {"QSeparableConv1D", "SeparableConv1D"},
    {"SeparableConv2D", "SeparableConv2D"},
    {"QSeparableConv2D", "SeparableConv2D"},
    {"MaxPooling1D", "Pooling1D"},
    {"AveragePooling1D", "Pooling1D"},
    {"QAveragePooling1D", "Pooling1D"},
    {"Pooling1D", "Pooling1D"},
    {"MaxPooling2D", "Pooling2D"},
    {"AveragePooling2D", "Pooling2D"},
    {"QAveragePooling2D", "Pooling2D"},
    {"Pooling2D", "Pooling2D"},
    {"GlobalMaxPooling1D", "GlobalPooling1D"},
    {"GlobalAveragePooling1D", "GlobalPooling1D"},
    {"QGlobalAveragePooling1D", "GlobalPooling1D"},
    {"GlobalPooling1D", "GlobalPooling1D"},
    {"GlobalMaxPooling2D", "GlobalPooling2D"},
    {"GlobalAveragePooling2D", "GlobalPooling2D"},
    {"QGlobalAveragePooling2D", "GlobalPooling2D"},
    {"GlobalPooling2D", "GlobalPooling2D"},
    {"BatchNormalization", "BatchNormalization"},
    {"QBatchNormalization", "BatchNormalization"},
    {"BatchNormOnnx", "BatchNormOnnx"},
    {"BatchNormalizationQuantizedTanh", "BatchNormalizationQuantizedTanh"},
    {"LayerNormalization", "LayerNormalization"},
    {"Activation", "Activation"},
    {"QActivation", "Activation"},
    {"ReLU", "Activation"},
    {"Softmax", "Softmax"},
    {"LeakyReLU", "ParametrizedActivation"},
    {"ELU", "ParametrizedActivation"},
    {"ThresholdedReLU", "ParametrizedActivation"},
    {"ParametrizedActivation", "ParametrizedActivation"},
    {"HardActivation", "HardActivation"},
    {"PReLU", "PReLU"},
    {"TernaryTanh", "TernaryTanh"},
    {"UnaryLUT", "UnaryLUT"},
    {"HGQ>UnaryLUT", "UnaryLUT"},
    {"FixedPointQuantizer", "FixedPointQuantizer"},
    {"HGQ>FixedPointQuantizer", "FixedPointQuantizer"},
    {"Quant", "Quant"},
    {"IntQuant", "Quant"},
    {"BipolarQuant", "BipolarQuant"},
    {"ApplyAlpha", "ApplyAlpha"},
    {"BiasAdd", "BiasAdd"},
    {"Flatten", "Reshape"},
    {"Reshape", "Reshape"},
    {"Permute", "Transpose"},
    {"Transpose", "Transpose"},
    {"ZeroPadding1D", "ZeroPadding1D"},
    {"ZeroPadding2D", "ZeroPadding2D"},
    {"Cropping1D", "Cropping1D"},
    {"Cropping2D", "Cropping2D"},
    {"UpSampling1D", "Resize"},
    {"UpSampling2D", "Resize"},
    {"Resize", "Resize"},
    {"Add", "Merge"},
    {"Subtract", "Merge"},
    {"Multiply", "Merge"},
    {"Average", "Merge"},
    {"Maximum", "Merge"},
    {"Minimum", "Merge"},
    {"Merge", "Merge"},
    {"Concatenate", "Concatenate"},
    {"Dot", "Dot"},
    {"MatMul", "MatMul"},
    {"Embedding", "Embedding"},
    {"SimpleRNN", "SimpleRNN"},
    {"QSimpleRNN", "SimpleRNN"},
    {"LSTM", "LSTM"},
    {"QLSTM", "LSTM"},
    {"GRU", "GRU"},
    {"QGRU", "GRU"},
    {"Bidirectional", "Bidirectional"},
    {"TimeDistributed", "TimeDistributed"},
    {"GarNet", "GarNet"},
    {"GarNetStack", "GarNetStack"},
    {"Constant", "Constant"},
    {"Broadcast", "Broadcast"},
    {"Clone", "Clone"},
    {"Repack", "Repack"},
    {"LayerGroup", "LayerGroup"},
    {"SymbolicExpression", "SymbolicExpression"},
    {"DACombinational", "DACombinational"},
    {"Linear", "Dense"},  // PyTorch
    {"Conv1d", "Conv1D"},
    {"Conv2d", "Conv2D"},
    {"BatchNorm1d", "BatchNormalization"},
    {"BatchNorm2d", "BatchNormalization"},
    {"MaxPool1d", "Pooling1D"},
    {"MaxPool2d", "Pooling2D"},
    {"AvgPool1d", "Pooling1D"},
    {"AvgPool2d", "Pooling2D"},
    {"Sigmoid", "Activation"},
    {"Tanh", "Activation"},
    {"Threshold", "ParametrizedActivation"},
};

std::string SpatialName(std::string_view base, size_t rank) {
  return std::string(base) + (rank <= 1 ? "1D" : "2D");
}

std::string ActivationClass(const ir::ActivationAttrs& a) {
  switch (a.fn) {
    case ir::ActivationFn::kSoftmax:
      return "Softmax";
    case ir::ActivationFn::kHardSigmoid:
      return "HardActivation";
    case ir::ActivationFn::kLeakyReLU:
    case ir::ActivationFn::kELU:
    case ir::ActivationFn::kThresholdedReLU:
      return "ParametrizedActivation";
    default:
      return "Activation";
  }
}

std::string RecurrentClass(ir::RecurrentCell cell) {
  switch (cell) {
    case ir::RecurrentCell::kSimpleRNN:
      return "SimpleRNN";
    case ir::RecurrentCell::kLSTM:
      return "LSTM";
    case ir::RecurrentCell::kGRU:
      return "GRU";
  }
  return "LSTM";
}

}  // namespace

std::optional<std::string_view> Hls4mlClassOf(std::string_view class_name) {
  for (const auto& [from, to] : kClasses) {
    if (SameName(from, class_name)) return to;
  }
  return std::nullopt;
}

std::string Hls4mlClassName(const ir::Node& node) {
  struct Visitor {
    const ir::Node& node;
    std::string operator()(const ir::InputAttrs&) const { return "Input"; }
    std::string operator()(const ir::DenseAttrs&) const { return "Dense"; }
    std::string operator()(const ir::ConvAttrs& a) const {
      return SpatialName("Conv", a.kernel.size());
    }
    std::string operator()(const ir::DepthwiseConvAttrs& a) const {
      return SpatialName("DepthwiseConv", a.kernel.size());
    }
    std::string operator()(const ir::SeparableConvAttrs& a) const {
      return SpatialName("SeparableConv", a.kernel.size());
    }
    std::string operator()(const ir::PoolAttrs& a) const {
      return SpatialName("Pooling", a.pool.size());
    }
    std::string operator()(const ir::GlobalPoolAttrs& a) const {
      return SpatialName("GlobalPooling", static_cast<size_t>(a.spatial_rank));
    }
    std::string operator()(const ir::BatchNormAttrs&) const { return "BatchNormalization"; }
    std::string operator()(const ir::ActivationAttrs& a) const { return ActivationClass(a); }
    std::string operator()(const ir::PReLUAttrs&) const { return "PReLU"; }
    std::string operator()(const ir::FlattenAttrs&) const { return "Reshape"; }
    std::string operator()(const ir::ReshapeAttrs&) const { return "Reshape"; }
    std::string operator()(const ir::PermuteAttrs&) const { return "Transpose"; }
    std::string operator()(const ir::ZeroPaddingAttrs& a) const {
      return SpatialName("ZeroPadding", a.pads.size());
    }
    std::string operator()(const ir::CroppingAttrs& a) const {
      return SpatialName("Cropping", a.crops.size());
    }
    std::string operator()(const ir::UpSamplingAttrs&) const { return "Resize"; }
    std::string operator()(const ir::MergeAttrs&) const { return "Merge"; }
    std::string operator()(const ir::ConcatenateAttrs&) const { return "Concatenate"; }
    std::string operator()(const ir::DotAttrs&) const { return "Dot"; }
    std::string operator()(const ir::EmbeddingAttrs&) const { return "Embedding"; }
    // A Scale is a BatchNormalization kept as a layer, or QKeras' alpha (hls4ml ApplyAlpha).
    std::string operator()(const ir::ScaleAttrs&) const {
      std::optional<std::string_view> c = Hls4mlClassOf(node.source);
      return c == "BatchNormalization" ? "BatchNormalization" : "ApplyAlpha";
    }
    // QActivation(quantized_bits) is an hls4ml Activation; HGQ's quantizer keeps its class.
    std::string operator()(const ir::QuantizeAttrs&) const {
      std::optional<std::string_view> c = Hls4mlClassOf(node.source);
      return c == "FixedPointQuantizer" ? "FixedPointQuantizer" : "Activation";
    }
    std::string operator()(const ir::RecurrentAttrs& a) const { return RecurrentClass(a.cell); }
    std::string operator()(const ir::BidirectionalAttrs&) const { return "Bidirectional"; }
    std::string operator()(const std::monostate&) const { return node.source; }
  };
  return std::visit(Visitor{node}, node.attrs);
}

std::vector<std::string> LayerTypeKeys(const ir::Node& node) {
  const std::string cls = Hls4mlClassName(node);
  if (node.source.empty() || SameName(node.source, cls)) return {cls};
  if (Hls4mlClassOf(node.source) == "Activation" && cls != "Activation") {
    return {cls, node.source};
  }
  return {node.source, cls};
}

std::string PrecisionKeyForWeight(const ir::Node& node, std::string_view weight_name) {
  static constexpr std::pair<std::string_view, std::string_view> kCommon[] = {
      {"kernel", "weight"},
      {"recurrent_kernel", "recurrent_weight"},
      {"bias", "bias"},
      {"pointwise_kernel", "pointwise"},
      {"embeddings", "embeddings"},
      {"alpha", "param"},
      {"scale", "scale"},
      {"gamma", "gamma"},
      {"beta", "beta"},
      {"moving_mean", "mean"},
      {"moving_variance", "variance"},
  };
  // hls4ml's DepthwiseConv stores its kernel as "weight"; SeparableConv as "depthwise".
  if (weight_name == "depthwise_kernel") {
    return node.is<ir::SeparableConvAttrs>() ? "depthwise" : "weight";
  }
  for (std::string_view dir : {"forward_", "backward_"}) {
    if (weight_name.substr(0, dir.size()) == dir) {
      return std::string(dir) + PrecisionKeyForWeight(node, weight_name.substr(dir.size()));
    }
  }
  for (const auto& [from, to] : kCommon) {
    if (from == weight_name) return std::string(to);
  }
  return std::string(weight_name);
}

namespace {

LayerConfig WithPrecision(std::initializer_list<std::pair<std::string_view, std::string_view>> p) {
  LayerConfig c;
  c.trace = false;
  c.precision["result"] = PrecisionSpec::Auto();
  for (const auto& [key, text] : p) {
    if (text == "auto") {
      c.precision[std::string(key)] = PrecisionSpec::Auto();
    } else {
      Result<fixed::FixedType> t = fixed::ParseFixedType(text);
      assert(t.ok());
      c.precision[std::string(key)] = PrecisionSpec::Of(*t);
    }
  }
  return c;
}

}  // namespace

LayerConfig DefaultLayerEntry(std::string_view cls, int64_t reuse_factor) {
  constexpr std::string_view kTable = "fixed<18,8>";
  constexpr std::string_view kSoftmaxTable = "fixed<18,8,RND,SAT>";
  auto is = [&](std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), cls) != names.end();
  };
  LayerConfig c;
  if (is({"Dense", "Conv1D", "Conv2D", "DepthwiseConv1D", "DepthwiseConv2D"})) {
    c = WithPrecision({{"weight", "auto"}, {"bias", "auto"}, {"accum", "auto"}});
    c.reuse_factor = reuse_factor;
    if (cls != "Dense") {
      c.parallelization_factor = 1;
      c.conv_implementation = ConvImplementation::kLineBuffer;
    }
  } else if (is({"SeparableConv1D", "SeparableConv2D"})) {
    c = WithPrecision({{"depthwise", "auto"},
                       {"pointwise", "auto"},
                       {"bias", "auto"},
                       {"depthwise_accum", "auto"},
                       {"pointwise_accum", "auto"},
                       {"depthwise_result", "auto"}});
    c.depthwise_reuse_factor = reuse_factor;
    c.pointwise_reuse_factor = reuse_factor;
    c.conv_implementation = ConvImplementation::kLineBuffer;
  } else if (is({"Pooling1D", "Pooling2D", "GlobalPooling1D", "GlobalPooling2D", "Dot"})) {
    c = WithPrecision({{"accum", "auto"}});
    c.reuse_factor = reuse_factor;
    if (is({"Pooling1D", "Pooling2D"})) c.conv_implementation = ConvImplementation::kLineBuffer;
  } else if (is({"BatchNormalization", "ApplyAlpha"})) {
    c = WithPrecision({{"scale", "auto"}, {"bias", "auto"}});
    c.reuse_factor = reuse_factor;
  } else if (is({"Activation", "TernaryTanh"})) {
    c = WithPrecision({{"table", kTable}});
    c.reuse_factor = reuse_factor;
    c.table_size = 1024;
  } else if (is({"ParametrizedActivation", "PReLU"})) {
    c = WithPrecision({{"param", "auto"}, {"table", kTable}});
    c.reuse_factor = reuse_factor;
    c.table_size = 1024;
  } else if (cls == "HardActivation") {
    c = WithPrecision({{"slope", "auto"}, {"shift", "auto"}, {"table", kTable}});
    c.reuse_factor = reuse_factor;
    c.table_size = 1024;
  } else if (cls == "Softmax") {
    c = WithPrecision({{"table", kTable},
                       {"exp_table", kSoftmaxTable},
                       {"inv_table", kSoftmaxTable},
                       {"inv_inp", kSoftmaxTable},
                       {"accum", kSoftmaxTable}});
    c.reuse_factor = reuse_factor;
    c.table_size = 1024;
    c.implementation = Implementation::kStable;
    c.skip = false;
  } else if (is({"Merge", "Concatenate", "Quant"})) {
    c = WithPrecision({});
    c.reuse_factor = reuse_factor;
  } else if (cls == "Embedding") {
    c = WithPrecision({{"embeddings", "auto"}});
    c.reuse_factor = reuse_factor;
  } else if (cls == "Resize") {
    c = WithPrecision({});
    c.algorithm = ResizeAlgorithm::kNearest;
  } else if (is({"SimpleRNN", "LSTM", "GRU"})) {
    c = WithPrecision({{"weight", "auto"},
                       {"bias", "auto"},
                       {"recurrent_weight", "auto"},
                       {"accum", "auto"},
                       {"table", kTable}});
    if (cls != "SimpleRNN") c.precision["recurrent_bias"] = PrecisionSpec::Auto();
    if (cls == "SimpleRNN") c.direction = RecurrentDirection::kForward;
    c.reuse_factor = reuse_factor;
    c.recurrent_reuse_factor = reuse_factor;
    c.recurrent_static = true;
    c.table_size = 1024;
  } else if (cls == "Bidirectional") {
    c = WithPrecision({{"accum", "auto"}, {"table", kTable}});
    for (std::string_view dir : {"forward_", "backward_"}) {
      for (std::string_view w : {"weight", "bias", "recurrent_weight", "recurrent_bias"}) {
        c.precision[std::string(dir) + std::string(w)] = PrecisionSpec::Auto();
      }
    }
    c.reuse_factor = reuse_factor;
    c.forward_reuse_factor = reuse_factor;
    c.backward_reuse_factor = reuse_factor;
    c.forward_recurrent_reuse_factor = reuse_factor;
    c.backward_recurrent_reuse_factor = reuse_factor;
    c.recurrent_static = true;
    c.table_size = 1024;
  } else {
    // Input, Reshape, Transpose, ZeroPadding, Cropping, FixedPointQuantizer, ...
    c = WithPrecision({});
  }
  return c;
}

}  // namespace fixnn::config
