#include "ir/print.h"

#include <fmt/format.h>

#include <algorithm>
#include <type_traits>

namespace fixnn::ir {
namespace {

std::string Dims(const std::vector<int64_t>& v) { return fmt::format("{}", fmt::join(v, "x")); }

std::string_view PaddingName(Padding p) {
  switch (p) {
    case Padding::kValid:
      return "valid";
    case Padding::kSame:
      return "same";
    case Padding::kCausal:
      return "causal";
  }
  return "?";
}

std::string_view KindName(QuantizerKind kind) {
  switch (kind) {
    case QuantizerKind::kFixed:
      return "fixed";
    case QuantizerKind::kReLU:
      return "relu";
    case QuantizerKind::kPo2:
      return "po2";
    case QuantizerKind::kBinary:
      return "binary";
    case QuantizerKind::kTernary:
      return "ternary";
    case QuantizerKind::kTanh:
      return "tanh";
    case QuantizerKind::kSigmoid:
      return "sigmoid";
  }
  return "?";
}

// What the quantizer computes, independent of how the file spelled it.
std::string DescribeQuantizer(const Quantizer& q) {
  std::string s = fmt::format("{} {}", KindName(q.kind), q.type.ToString());
  if (q.per_element) s += fmt::format(" per-element[{}]", q.per_element->types.size());
  if (q.scale.size() == 1) s += fmt::format(" scale={:.6g}", q.scale[0]);
  if (q.scale.size() > 1) s += fmt::format(" scale[{}]", q.scale.size());
  return s;
}

std::string Activation(const ActivationAttrs& a) {
  std::string s(ToString(a.fn));
  switch (a.fn) {
    case ActivationFn::kReLU:
      if (a.max_value >= 0) s += fmt::format(" max={}", a.max_value);
      if (a.threshold != 0) s += fmt::format(" threshold={}", a.threshold);
      if (a.alpha != 0) s += fmt::format(" slope={}", a.alpha);
      break;
    case ActivationFn::kLeakyReLU:
    case ActivationFn::kELU:
    case ActivationFn::kHardSigmoid:
      s += fmt::format(" alpha={:.6g}", a.alpha);
      break;
    case ActivationFn::kThresholdedReLU:
      s += fmt::format(" theta={}", a.threshold);
      break;
    case ActivationFn::kSoftmax:
      if (a.axis != -1) s += fmt::format(" axis={}", a.axis);
      break;
    case ActivationFn::kGELU:
      if (a.approximate) s += " approximate";
      break;
    default:
      break;
  }
  return s;
}

std::string Recurrent(const RecurrentAttrs& a) {
  std::string s = fmt::format("{} units={} act={} rec_act={}", ToString(a.cell), a.units,
                              Activation(a.activation), Activation(a.recurrent_activation));
  if (a.return_sequences) s += " sequences";
  if (a.return_state) s += " state";
  if (a.go_backwards) s += " backwards";
  if (a.cell == RecurrentCell::kGRU) s += a.reset_after ? " reset_after" : " reset_before";
  if (a.activation_quantizer)
    s += fmt::format(" act_q={}", DescribeQuantizer(*a.activation_quantizer));
  if (a.recurrent_activation_quantizer) {
    s += fmt::format(" rec_act_q={}", DescribeQuantizer(*a.recurrent_activation_quantizer));
  }
  if (a.state_quantizer) s += fmt::format(" state_q={}", DescribeQuantizer(*a.state_quantizer));
  return s;
}

std::string Pairs(const std::vector<std::pair<int64_t, int64_t>>& p) {
  std::vector<std::string> parts;
  for (const auto& [a, b] : p) parts.push_back(fmt::format("{}/{}", a, b));
  return fmt::format("{}", fmt::join(parts, "x"));
}

std::string DescribePrecision(const Precision& p) {
  if (p.type) return p.type->ToString();
  if (p.per_element) return fmt::format("per-element[{}]", p.per_element->types.size());
  return "";
}

}  // namespace

std::string DescribeAttrs(const OpAttrs& attrs) {
  return std::visit(
      [](const auto& a) -> std::string {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, DenseAttrs>) {
          return fmt::format("units={}{}", a.units, a.use_bias ? "" : " no-bias");
        } else if constexpr (std::is_same_v<A, ConvAttrs>) {
          return fmt::format("filters={} kernel={} strides={} dilation={} {}{}{}", a.filters,
                             Dims(a.kernel), Dims(a.strides), Dims(a.dilation),
                             PaddingName(a.padding),
                             a.groups > 1 ? fmt::format(" groups={}", a.groups) : "",
                             a.use_bias ? "" : " no-bias");
        } else if constexpr (std::is_same_v<A, DepthwiseConvAttrs>) {
          return fmt::format("multiplier={} kernel={} strides={} dilation={} {}{}",
                             a.depth_multiplier, Dims(a.kernel), Dims(a.strides), Dims(a.dilation),
                             PaddingName(a.padding), a.use_bias ? "" : " no-bias");
        } else if constexpr (std::is_same_v<A, SeparableConvAttrs>) {
          return fmt::format("filters={} multiplier={} kernel={} strides={} dilation={} {}{}",
                             a.filters, a.depth_multiplier, Dims(a.kernel), Dims(a.strides),
                             Dims(a.dilation), PaddingName(a.padding),
                             a.use_bias ? "" : " no-bias");
        } else if constexpr (std::is_same_v<A, PoolAttrs>) {
          return fmt::format(
              "{} pool={} strides={} {}{}", a.kind == PoolKind::kMax ? "max" : "average",
              Dims(a.pool), Dims(a.strides), PaddingName(a.padding),
              a.average_quantizer ? fmt::format(" q={}", DescribeQuantizer(*a.average_quantizer))
                                  : "");
        } else if constexpr (std::is_same_v<A, GlobalPoolAttrs>) {
          return fmt::format("{} {}D{}{}", a.kind == PoolKind::kMax ? "max" : "average",
                             a.spatial_rank, a.keepdims ? " keepdims" : "",
                             a.average_quantizer
                                 ? fmt::format(" q={}", DescribeQuantizer(*a.average_quantizer))
                                 : "");
        } else if constexpr (std::is_same_v<A, BatchNormAttrs>) {
          return fmt::format("axis={} epsilon={:g}{}{}", a.axis, a.epsilon,
                             a.center ? "" : " no-center", a.scale ? "" : " no-scale");
        } else if constexpr (std::is_same_v<A, ActivationAttrs>) {
          return Activation(a);
        } else if constexpr (std::is_same_v<A, PReLUAttrs>) {
          return a.shared_axes.empty() ? "" : fmt::format("shared_axes={}", Dims(a.shared_axes));
        } else if constexpr (std::is_same_v<A, ReshapeAttrs>) {
          return fmt::format("shape={}", Dims(a.shape));
        } else if constexpr (std::is_same_v<A, PermuteAttrs>) {
          return fmt::format("dims={}", Dims(a.dims));
        } else if constexpr (std::is_same_v<A, ZeroPaddingAttrs>) {
          return fmt::format("pads={}", Pairs(a.pads));
        } else if constexpr (std::is_same_v<A, CroppingAttrs>) {
          return fmt::format("crops={}", Pairs(a.crops));
        } else if constexpr (std::is_same_v<A, UpSamplingAttrs>) {
          return fmt::format("size={}{}", Dims(a.size), a.bilinear ? " bilinear" : "");
        } else if constexpr (std::is_same_v<A, MergeAttrs>) {
          return std::string(ToString(a.kind));
        } else if constexpr (std::is_same_v<A, ConcatenateAttrs>) {
          return fmt::format("axis={}", a.axis);
        } else if constexpr (std::is_same_v<A, DotAttrs>) {
          return fmt::format("axes={}{}", Dims(a.axes), a.normalize ? " normalize" : "");
        } else if constexpr (std::is_same_v<A, EmbeddingAttrs>) {
          return fmt::format("{}x{}", a.input_dim, a.output_dim);
        } else if constexpr (std::is_same_v<A, ScaleAttrs>) {
          return a.use_bias ? "bias" : "";
        } else if constexpr (std::is_same_v<A, RecurrentAttrs>) {
          return Recurrent(a);
        } else if constexpr (std::is_same_v<A, BidirectionalAttrs>) {
          static constexpr const char* kMerge[] = {"concat", "sum", "mul", "ave", "none"};
          return fmt::format("merge={} forward: {} | backward: {}",
                             kMerge[static_cast<int>(a.merge)], Recurrent(a.forward),
                             Recurrent(a.backward));
        } else {
          return "";
        }
      },
      attrs);
}

std::string ToText(const Graph& graph, const PrintOptions& options) {
  std::string out = fmt::format("model {}: {} nodes\n", graph.name, graph.nodes().size());
  for (const Node& node : graph.nodes()) {
    std::vector<std::string> shapes;
    for (const std::string& t : node.outputs) {
      const Tensor* tensor = graph.FindTensor(t);
      std::string s = tensor != nullptr ? ToString(tensor->shape) : "?";
      if (tensor != nullptr && tensor->precision.is_set()) {
        s += fmt::format(" {}", DescribePrecision(tensor->precision));
      }
      shapes.push_back(s);
    }
    std::string head = fmt::format("{} = {}", node.name, OpName(node.kind()));
    if (!node.source.empty() && node.source != OpName(node.kind())) {
      head += fmt::format(" ({})", node.source);
    }
    out += fmt::format("  {:<36} {}", head, DescribeAttrs(node.attrs));
    if (node.kind() != OpKind::kInput) {
      out += fmt::format("  <- {}", fmt::join(node.inputs, ", "));
    }
    out += fmt::format("  -> {}\n", fmt::join(shapes, ", "));
    if (!node.types.empty()) {
      std::vector<std::string> types;
      for (const auto& [key, type] : node.types) {
        types.push_back(fmt::format("{}={}", key, type.ToString()));
      }
      out += fmt::format("      types {}\n", fmt::join(types, " "));
    }
    if (node.output_quantizer) {
      out += fmt::format("      output quantizer {}\n", DescribeQuantizer(*node.output_quantizer));
    }
    for (const Weight& w : node.weights) {
      out += fmt::format("      {} {}", w.name, ToString(w.shape));
      if (w.quantizer) out += fmt::format(" quantizer {}", DescribeQuantizer(*w.quantizer));
      if (w.precision.is_set()) out += fmt::format(" type {}", DescribePrecision(w.precision));
      if (options.weights && !w.values.empty()) {
        auto [lo, hi] = std::minmax_element(w.values.begin(), w.values.end());
        auto zeros = std::count(w.values.begin(), w.values.end(), 0.0);
        out += fmt::format(" min={:.6g} max={:.6g} zeros={}", *lo, *hi, zeros);
      }
      out += "\n";
    }
  }
  out += fmt::format("  outputs: {}\n", fmt::join(graph.outputs(), ", "));
  return out;
}

}  // namespace fixnn::ir
