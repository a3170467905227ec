// The parts shared by both folding policies, and the kHls4ml one.
#include "passes/fold_batchnorm.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <variant>

#include "config/layer_classes.h"
#include "passes/batchnorm_constants.h"
#include "passes/fold_target.h"
#include "passes/graph_edit.h"

namespace fixnn::passes {

bool IsBatchNormLike(const ir::Node& node) {
  return node.is<ir::BatchNormAttrs>() || node.is<ir::ScaleAttrs>();
}

AutoPrecisions SnapshotAutoPrecisions(const ir::Graph& graph) {
  AutoPrecisions out;
  for (const ir::Node& n : graph.nodes()) {
    if (!n.settings.auto_precisions.empty()) out[n.name] = n.settings.auto_precisions;
  }
  return out;
}

const char* FoldKernelName(const ir::Node& layer) {
  switch (layer.kind()) {
    case ir::OpKind::kDense:
      return "kernel";
    case ir::OpKind::kConv: {
      const auto& a = layer.as<ir::ConvAttrs>();
      return a.kernel.size() <= 2 && a.groups == 1 ? "kernel" : nullptr;
    }
    case ir::OpKind::kDepthwiseConv:
      return "depthwise_kernel";
    case ir::OpKind::kSeparableConv:
      return "pointwise_kernel";
    default:
      return nullptr;
  }
}

int64_t FoldChannels(const ir::Node& layer, const ir::Weight& kernel) {
  const ir::Shape& s = kernel.shape;
  if (s.empty()) return 1;
  if (layer.is<ir::DepthwiseConvAttrs>() && s.size() >= 2) return s[s.size() - 2] * s.back();
  return s.back();
}

const ir::Node* FoldableLayer(const ir::Graph& graph, const ir::Node& bn) {
  if (!IsBatchNormLike(bn) || bn.inputs.size() != 1 || bn.outputs.size() != 1 ||
      bn.output_quantizer) {
    return nullptr;
  }
  const ir::Node* layer = graph.Producer(bn.inputs[0]);
  if (layer == nullptr || layer->outputs.size() != 1 || FoldKernelName(*layer) == nullptr ||
      layer->output_quantizer || layer->FindWeight(FoldKernelName(*layer)) == nullptr) {
    return nullptr;
  }
  return layer;
}

namespace {

bool AllEqual(const std::vector<double>& v, double x) {
  return std::all_of(v.begin(), v.end(), [x](double e) { return e == x; });
}

const ir::Quantizer* QuantizerOf(const ir::Weight* w) {
  return w != nullptr && w->quantizer ? &*w->quantizer : nullptr;
}

bool IsPo2(const ir::Quantizer* q) { return q != nullptr && q->kind == ir::QuantizerKind::kPo2; }

// numpy's product of two float arrays: float32 when both are float32 numbers, else float64.
double NumpyMul(double a, double b) {
  const bool f32 = static_cast<float>(a) == a && static_cast<float>(b) == b;
  return f32 ? Mul32(a, b) : a * b;
}

double NumpyAdd(double a, double b) {
  const bool f32 = static_cast<float>(a) == a && static_cast<float>(b) == b;
  return f32 ? Add32(a, b) : a + b;
}

// The values hls4ml holds for a weight (its `data`): the quantizer applied.
std::vector<double> Quantized(const ir::Weight& w) {
  std::vector<double> v = w.values;
  if (w.quantizer) ir::ApplyQuantizer(*w.quantizer, v);
  return v;
}

ir::Precision PrecisionOf(const ir::Quantizer& q) {
  ir::Precision p;
  if (q.per_element) {
    p.per_element = q.per_element;
  } else {
    p.type = q.type;
  }
  return p;
}

void Unmark(ir::LayerSettings& s, const std::string& key) {
  auto& keys = s.auto_precisions;
  keys.erase(std::remove(keys.begin(), keys.end(), key), keys.end());
}

// Gives weight `w` (precision key `key`) quantizer `q`: its type then replaces the configured
// precision, as hls4ml's add_weights_variable does. No quantizer: the precision stays.
void SetQuantizer(ir::Node& layer, ir::Weight& w, const std::string& key, const ir::Quantizer* q) {
  if (q == nullptr) {
    w.quantizer.reset();
    return;
  }
  w.quantizer = *q;
  w.precision = PrecisionOf(*q);
  Unmark(layer.settings, key);
}

}  // namespace

Result<bool> FoldBatchNormHls4ml(ir::Graph& graph, const config::HlsConfig& config) {
  for (const ir::Node& bn : graph.nodes()) {
    const ir::Node* layer = FoldableLayer(graph, bn);
    if (layer == nullptr) continue;
    // bn_fuse.py:20-26: only when the layer's result type was left to inference.
    if (!layer->settings.IsAuto("result")) continue;
    const ir::Weight* kernel = layer->FindWeight(FoldKernelName(*layer));
    const ir::Weight* bias = layer->FindWeight("bias");
    const ir::Quantizer* wq = QuantizerOf(kernel);
    const ir::Quantizer* pbq = QuantizerOf(bias);
    // :28-32: binary kernels (hls4ml's xnor type) are not folded.
    if (wq != nullptr && wq->kind == ir::QuantizerKind::kBinary) continue;
    const bool scale_layer = bn.is<ir::ScaleAttrs>();
    const ir::Quantizer* sq = scale_layer ? QuantizerOf(bn.FindWeight("scale")) : nullptr;
    const ir::Quantizer* bq = scale_layer ? QuantizerOf(bn.FindWeight("bias")) : nullptr;
    Result<ScaleBias> sb = BatchNormScaleBias(bn);
    if (!sb.ok()) return sb.error();
    // :33-47, on the values hls4ml calls unquantized: the raw kernel and bias; the
    // normalization's computed scale and bias (a Scale's raw scale, and its bias as hls4ml
    // received it, already quantized).
    const std::vector<double> s1 = scale_layer ? bn.FindWeight("scale")->values : sb->scale;
    const std::vector<double> zeros;
    const std::vector<double>& b0 = bias != nullptr ? bias->values : zeros;
    const bool scale_ok = (wq == nullptr && sq == nullptr) ||
                          (AllEqual(kernel->values, 1.0) && wq == nullptr) ||
                          (AllEqual(s1, 1.0) && sq == nullptr);
    const bool bias_ok = (pbq == nullptr && bq == nullptr) ||
                         (AllEqual(b0, 0.0) && pbq == nullptr) ||
                         (AllEqual(sb->bias, 0.0) && bq == nullptr);
    if (!scale_ok || !bias_ok) continue;
    // transform, :55-57: a layer whose output another layer reads stays as it is.
    int readers = 0;
    for (const ir::Node& n : graph.nodes()) {
      readers += static_cast<int>(std::count(n.inputs.begin(), n.inputs.end(), layer->outputs[0]));
    }
    if (readers != 1) continue;
    // :65-74: power-of-two (exponent) types are not folded; per-element types neither.
    if (IsPo2(wq) || IsPo2(pbq) || IsPo2(sq) || IsPo2(bq)) continue;
    if (kernel->precision.per_element || (bias != nullptr && bias->precision.per_element)) {
      continue;
    }

    const std::string layer_name = layer->name;
    const std::string bn_name = bn.name;
    ir::Node& target = *graph.FindNode(layer_name);
    ir::Weight& k = *target.FindWeight(FoldKernelName(target));
    const int64_t channels = FoldChannels(target, k);
    const size_t n = sb->scale.size();
    if (n != 1 && static_cast<int64_t>(n) != channels) {
      return Error(fmt::format("layer '{}': {} scale values for the {} output channels of '{}'",
                               bn_name, n, channels, layer_name));
    }
    // :76: the kernel as hls4ml holds it, times the scale.
    const std::vector<double> w = Quantized(k);
    std::vector<double> folded(w.size());
    const bool depthwise = target.is<ir::DepthwiseConvAttrs>() && k.shape.size() >= 2;
    const int64_t in_channels = depthwise ? k.shape[k.shape.size() - 2] : 0;
    if (depthwise && n > 1 && in_channels > 1) {
      if (k.shape.back() != 1) {
        return Error(fmt::format(
            "layer '{}': hls4ml 1.3.0 cannot fold this batch normalization into depthwise "
            "layer '{}' (depth multiplier {}: its numpy broadcast of the scale fails); fixnn's "
            "default fold policy (kWhenExact) handles it",
            bn_name, layer_name, k.shape.back()));
      }
      // numpy broadcasts [k..., C, 1] * [C] to [k..., C, C], of which the kernel reads the
      // first k...*C entries.
      const auto c = static_cast<size_t>(in_channels);
      for (size_t p = 0; p < w.size(); ++p) folded[p] = NumpyMul(At(sb->scale, p % c), w[p / c]);
    } else {
      const auto c = static_cast<size_t>(channels);
      for (size_t p = 0; p < w.size(); ++p) folded[p] = NumpyMul(At(sb->scale, p % c), w[p]);
    }
    k.values = std::move(folded);
    SetQuantizer(target, k, config::PrecisionKeyForWeight(target, k.name), sq != nullptr ? sq : wq);

    // :77: bias' = s * bias + b (a missing bias is hls4ml's float64 zero array).
    ir::Weight* b = target.FindWeight("bias");
    const std::vector<double> old_bias =
        b != nullptr ? Quantized(*b) : std::vector<double>(static_cast<size_t>(channels), 0.0);
    std::vector<double> new_bias(old_bias.size());
    for (size_t c = 0; c < old_bias.size(); ++c) {
      new_bias[c] = b != nullptr
                        ? NumpyAdd(NumpyMul(At(sb->scale, c), old_bias[c]), At(sb->bias, c))
                        : At(sb->bias, c);
    }
    if (b == nullptr) {
      ir::Weight added;
      added.name = "bias";
      added.shape = {static_cast<int64_t>(new_bias.size())};
      target.weights.push_back(std::move(added));
      b = &target.weights.back();
      const config::ResolvedPrecision rp =
          config::Resolve(config, target).Precision(config::PrecisionKeyForWeight(target, "bias"));
      if (rp.spec.type) {
        b->precision.type = *rp.spec.type;
      } else if (!target.settings.IsAuto("bias")) {
        target.settings.auto_precisions.push_back("bias");
      }
      std::visit(
          [](auto& a) {
            if constexpr (requires { a.use_bias; }) a.use_bias = true;
          },
          target.attrs);
    }
    b->values = std::move(new_bias);
    SetQuantizer(target, *b, "bias", bq != nullptr ? bq : pbq);

    if (Status s = RemoveNode(graph, bn_name, graph.FindNode(layer_name)->outputs[0]); !s.ok()) {
      return s.error();
    }
    return true;
  }
  return false;
}

}  // namespace fixnn::passes
