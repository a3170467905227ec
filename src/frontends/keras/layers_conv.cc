// Convolutions (plain, depthwise, separable) and pooling, 1D and 2D.
#include <fmt/format.h>

#include "frontends/keras/layer_builder.h"

namespace fixnn::frontends::keras {
namespace {

Result<ir::Padding> ParsePadding(const LayerCall& call, bool allow_causal) {
  Result<std::string> padding = call.fields.String("padding", "valid");
  if (!padding.ok()) return padding.error();
  if (*padding == "valid") return ir::Padding::kValid;
  if (*padding == "same") return ir::Padding::kSame;
  if (*padding == "causal" && allow_causal) return ir::Padding::kCausal;
  return call.Fail(fmt::format("padding '{}' is not supported", *padding));
}

// The geometry shared by every convolution.
struct Window {
  std::vector<int64_t> kernel, strides, dilation;
  ir::Padding padding = ir::Padding::kValid;
  bool use_bias = true;
};

Result<Window> ParseWindow(const LayerCall& call, size_t rank) {
  if (Status s = CheckInputCount(call, 1, 1); !s.ok()) return s.error();
  if (Status s = CheckChannelsLast(call); !s.ok()) return s.error();
  Window w;
  Result<std::vector<int64_t>> kernel = call.fields.IntList("kernel_size", rank);
  if (!kernel.ok()) return kernel.error();
  Result<std::vector<int64_t>> strides =
      call.fields.IntList("strides", rank, std::vector<int64_t>(rank, 1));
  if (!strides.ok()) return strides.error();
  Result<std::vector<int64_t>> dilation =
      call.fields.IntList("dilation_rate", rank, std::vector<int64_t>(rank, 1));
  if (!dilation.ok()) return dilation.error();
  Result<ir::Padding> padding = ParsePadding(call, rank == 1);
  if (!padding.ok()) return padding.error();
  Result<bool> use_bias = call.fields.Bool("use_bias", true);
  if (!use_bias.ok()) return use_bias.error();
  w.kernel = *kernel;
  w.strides = *strides;
  w.dilation = *dilation;
  w.padding = *padding;
  w.use_bias = *use_bias;
  for (size_t i = 0; i < rank; ++i) {
    if (w.kernel[i] < 1 || w.strides[i] < 1 || w.dilation[i] < 1) {
      return call.Fail("kernel_size, strides and dilation_rate must be positive");
    }
    if (w.strides[i] > 1 && w.dilation[i] > 1) {
      return call.Fail("strides > 1 together with dilation_rate > 1 is not supported");
    }
  }
  return w;
}

// Copies the window into a convolution's attributes.
template <typename A>
void SetWindow(A& a, const Window& w) {
  a.kernel = w.kernel;
  a.strides = w.strides;
  a.dilation = w.dilation;
  a.padding = w.padding;
  a.use_bias = w.use_bias;
}

Result<ir::Node> NodeWith(const LayerCall& call, ir::OpAttrs attrs,
                          std::vector<std::string> weight_names) {
  Result<std::vector<ir::Weight>> weights = call.TakeWeights(weight_names);
  if (!weights.ok()) return weights.error();
  ir::Node node;
  node.name = call.node_name;
  node.attrs = std::move(attrs);
  node.weights = std::move(weights).value();
  return node;
}

}  // namespace

Result<ir::Node> MakeConvNode(const LayerCall& call, size_t rank) {
  Result<Window> w = ParseWindow(call, rank);
  if (!w.ok()) return w.error();
  ir::ConvAttrs a;
  Result<int64_t> filters = call.fields.Int("filters");
  Result<int64_t> groups = call.fields.Int("groups", 1);
  if (!filters.ok()) return filters.error();
  if (!groups.ok()) return groups.error();
  a.filters = *filters;
  a.groups = *groups;
  SetWindow(a, *w);
  return NodeWith(
      call, a,
      a.use_bias ? std::vector<std::string>{"kernel", "bias"} : std::vector<std::string>{"kernel"});
}

Result<ir::Node> MakeDepthwiseConvNode(const LayerCall& call, size_t rank) {
  Result<Window> w = ParseWindow(call, rank);
  if (!w.ok()) return w.error();
  ir::DepthwiseConvAttrs a;
  Result<int64_t> dm = call.fields.Int("depth_multiplier", 1);
  if (!dm.ok()) return dm.error();
  a.depth_multiplier = *dm;
  SetWindow(a, *w);
  std::vector<std::string> names = {"depthwise_kernel|kernel"};
  if (a.use_bias) names.push_back("bias");
  return NodeWith(call, a, names);
}

Result<ir::Node> MakeSeparableConvNode(const LayerCall& call, size_t rank) {
  Result<Window> w = ParseWindow(call, rank);
  if (!w.ok()) return w.error();
  ir::SeparableConvAttrs a;
  Result<int64_t> filters = call.fields.Int("filters");
  Result<int64_t> dm = call.fields.Int("depth_multiplier", 1);
  if (!filters.ok()) return filters.error();
  if (!dm.ok()) return dm.error();
  a.filters = *filters;
  a.depth_multiplier = *dm;
  SetWindow(a, *w);
  std::vector<std::string> names = {"depthwise_kernel", "pointwise_kernel"};
  if (a.use_bias) names.push_back("bias");
  return NodeWith(call, a, names);
}

Result<ir::Node> MakePoolNode(const LayerCall& call, size_t rank, ir::PoolKind kind) {
  if (Status s = CheckInputCount(call, 1, 1); !s.ok()) return s.error();
  if (Status s = CheckChannelsLast(call); !s.ok()) return s.error();
  ir::PoolAttrs a;
  a.kind = kind;
  Result<std::vector<int64_t>> pool =
      call.fields.IntList("pool_size", rank, std::vector<int64_t>(rank, 2));
  if (!pool.ok()) return pool.error();
  a.pool = *pool;
  Result<std::vector<int64_t>> strides = call.fields.IntList("strides", rank, a.pool);
  if (!strides.ok()) return strides.error();
  a.strides = *strides;
  Result<ir::Padding> padding = ParsePadding(call, false);
  if (!padding.ok()) return padding.error();
  a.padding = *padding;
  for (size_t i = 0; i < rank; ++i) {
    if (a.pool[i] < 1 || a.strides[i] < 1) {
      return call.Fail("pool_size and strides must be positive");
    }
  }
  ir::Node node;
  node.name = call.node_name;
  node.attrs = a;
  return node;
}

Result<ir::Node> MakeGlobalPoolNode(const LayerCall& call, size_t rank, ir::PoolKind kind) {
  if (Status s = CheckInputCount(call, 1, 1); !s.ok()) return s.error();
  if (Status s = CheckChannelsLast(call); !s.ok()) return s.error();
  ir::GlobalPoolAttrs a;
  a.kind = kind;
  a.spatial_rank = static_cast<int64_t>(rank);
  Result<bool> keepdims = call.fields.Bool("keepdims", false);
  if (!keepdims.ok()) return keepdims.error();
  a.keepdims = *keepdims;
  ir::Node node;
  node.name = call.node_name;
  node.attrs = a;
  return node;
}

namespace {

using Outputs = Result<std::vector<std::string>>;

template <typename Make>
LayerBuilder WithActivation(Make make) {
  return [make](const LayerCall& call) -> Outputs {
    Result<ir::Node> node = make(call);
    if (!node.ok()) return node.error();
    return AddWithActivation(call, std::move(node).value());
  };
}

LayerBuilder Conv(size_t rank) {
  return WithActivation([rank](const LayerCall& c) { return MakeConvNode(c, rank); });
}
LayerBuilder Depthwise(size_t rank) {
  return WithActivation([rank](const LayerCall& c) { return MakeDepthwiseConvNode(c, rank); });
}
LayerBuilder Separable(size_t rank) {
  return WithActivation([rank](const LayerCall& c) { return MakeSeparableConvNode(c, rank); });
}
LayerBuilder Pool(size_t rank, ir::PoolKind kind) {
  return WithActivation([rank, kind](const LayerCall& c) { return MakePoolNode(c, rank, kind); });
}
LayerBuilder GlobalPool(size_t rank, ir::PoolKind kind) {
  return WithActivation(
      [rank, kind](const LayerCall& c) { return MakeGlobalPoolNode(c, rank, kind); });
}

}  // namespace

void RegisterConvLayers(std::map<std::string, LayerBuilder>& b) {
  b["Conv1D"] = Conv(1);
  b["Conv2D"] = Conv(2);
  b["DepthwiseConv1D"] = Depthwise(1);
  b["DepthwiseConv2D"] = Depthwise(2);
  b["SeparableConv1D"] = Separable(1);
  b["SeparableConv2D"] = Separable(2);
  b["MaxPooling1D"] = Pool(1, ir::PoolKind::kMax);
  b["MaxPooling2D"] = Pool(2, ir::PoolKind::kMax);
  b["AveragePooling1D"] = Pool(1, ir::PoolKind::kAverage);
  b["AveragePooling2D"] = Pool(2, ir::PoolKind::kAverage);
  b["GlobalMaxPooling1D"] = GlobalPool(1, ir::PoolKind::kMax);
  b["GlobalMaxPooling2D"] = GlobalPool(2, ir::PoolKind::kMax);
  b["GlobalAveragePooling1D"] = GlobalPool(1, ir::PoolKind::kAverage);
  b["GlobalAveragePooling2D"] = GlobalPool(2, ir::PoolKind::kAverage);
  // Keras 2 aliases.
  b["Convolution1D"] = b["Conv1D"];
  b["Convolution2D"] = b["Conv2D"];
  b["MaxPool1D"] = b["MaxPooling1D"];
  b["MaxPool2D"] = b["MaxPooling2D"];
  b["AvgPool1D"] = b["AveragePooling1D"];
  b["AvgPool2D"] = b["AveragePooling2D"];
}

}  // namespace fixnn::frontends::keras
