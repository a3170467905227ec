#include "passes/infer_auto_precision.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/layer_classes.h"
#include "passes/exact_accumulator.h"
#include "passes/layer_types.h"
#include "passes/precision_rules.h"
#include "passes/weight_values.h"

namespace fixnn::passes {

namespace {

// The inference of one node's "auto" precisions.
class NodeInference {
 public:
  NodeInference(ir::Graph& graph, ir::Node& node, InferencePolicy policy)
      : graph_(graph), node_(node), hls4ml_(policy == InferencePolicy::kHls4ml) {}

  Status Run() {
    if (node_.settings.auto_precisions.empty()) return Status::Ok();
    if (!node_.settings.auto_fallback) {
      return Fail(fmt::format("precision '{}' is 'auto' but no Model default is known",
                              node_.settings.auto_precisions.front()));
    }
    if (Status s = InferWeights(); !s.ok()) return s;
    if (Status s = InferOp(); !s.ok()) return s;
    // What no rule above covers takes the Model default (hls4ml's _infer_default_type); the
    // recurrent state follows the result, so it comes last.
    const std::vector<std::string> left = node_.settings.auto_precisions;
    for (const std::string& key : left) {
      if (key == "state") continue;
      if (Status s = Set(key, *node_.settings.auto_fallback); !s.ok()) return s;
    }
    if (Pending("state")) {
      Result<FixedType> result = OutputType();
      if (!result.ok()) return Fail(result.error().message());
      if (Status s = Set("state", *result); !s.ok()) return s;
    }
    return Status::Ok();
  }

 private:
  Error Fail(const std::string& message) const {
    return Error(fmt::format("layer '{}': {}", node_.name, message));
  }

  bool Pending(const std::string& key) const { return node_.settings.IsAuto(key); }

  void Done(const std::string& key) {
    auto& keys = node_.settings.auto_precisions;
    keys.erase(std::remove(keys.begin(), keys.end(), key), keys.end());
  }

  FixedType Cap(const FixedType& t) const { return CapToMaximum(t, node_.settings.auto_maximum); }

  Status Check(const std::string& key, const FixedType& t) const {
    if (Status s = t.Validate(); !s.ok()) {
      return Fail(fmt::format(
          "the inferred '{}' type is out of range ({}); give an explicit type or a Model "
          "maximum",
          key, s.error().message()));
    }
    return Status::Ok();
  }

  // Gives `key` the precision p: the result (every output tensor), the stored weights with
  // that key, or the internal type.
  Status SetPrecision(const std::string& key, const ir::Precision& p) {
    if (p.type) {
      if (Status s = Check(key, *p.type); !s.ok()) return s;
    }
    if (key == "result") {
      for (const std::string& out : node_.outputs) {
        if (ir::Tensor* t = graph_.FindTensor(out); t != nullptr) t->precision = p;
      }
    } else {
      bool weight = false;
      for (ir::Weight& w : node_.weights) {
        if (IsStoredWeight(node_, w) && config::PrecisionKeyForWeight(node_, w.name) == key) {
          w.precision = p;
          weight = true;
        }
      }
      if (!weight) {
        Result<FixedType> t = CoveringType(p);
        if (!t.ok()) return Fail(t.error().message());
        node_.types[key] = *t;
      }
    }
    Done(key);
    return Status::Ok();
  }

  Status Set(const std::string& key, const FixedType& t) {
    ir::Precision p;
    p.type = t;
    return SetPrecision(key, p);
  }

  Status SetIfPending(const std::string& key, const FixedType& t) {
    return Pending(key) ? Set(key, t) : Status::Ok();
  }

  Result<const ir::Precision*> InputPrecision(size_t i) const {
    if (i >= node_.inputs.size()) return Fail(fmt::format("expected input {}", i));
    const ir::Tensor* t = graph_.FindTensor(node_.inputs[i]);
    if (t == nullptr || !t->precision.is_set()) {
      return Fail(fmt::format("input '{}' has no precision", node_.inputs[i]));
    }
    return &t->precision;
  }

  Result<FixedType> InputType(size_t i) const {
    Result<const ir::Precision*> p = InputPrecision(i);
    if (!p.ok()) return p.error();
    Result<FixedType> t = CoveringType(**p);
    if (!t.ok()) return Fail(t.error().message());
    return t;
  }

  Result<FixedType> OutputType() const {
    const ir::Tensor* t = graph_.FindTensor(node_.outputs.front());
    if (t == nullptr) return Fail("the output tensor is missing");
    return CoveringType(t->precision);
  }

  Result<FixedType> Internal(const std::string& key) const {
    auto it = node_.types.find(key);
    if (it == node_.types.end()) return Fail(fmt::format("internal type '{}' is unset", key));
    return it->second;
  }

  Result<StoredValues> Values(const std::string& weight_name) const {
    const ir::Weight* w = node_.FindWeight(weight_name);
    if (w == nullptr) return Fail(fmt::format("weight '{}' is missing", weight_name));
    Result<StoredValues> v = StoredWeightValues(*w);
    if (!v.ok()) return Fail(v.error().message());
    return v;
  }

  // Stored weights still "auto": the Model default, except PReLU's alpha, which takes the
  // input type (hls4ml). Quantized weights already have the quantizer's type.
  Status InferWeights() {
    for (const ir::Weight& w : node_.weights) {
      if (!IsStoredWeight(node_, w)) continue;
      const std::string key = config::PrecisionKeyForWeight(node_, w.name);
      if (!Pending(key)) continue;
      FixedType t = *node_.settings.auto_fallback;
      if (node_.is<ir::PReLUAttrs>()) {
        Result<FixedType> in = InputType(0);
        if (!in.ok()) return in.error();
        t = *in;
      }
      if (Status s = Set(key, t); !s.ok()) return s;
    }
    return Status::Ok();
  }

  // accum and result of a multiply-accumulate over `kernel` (and `bias`, when present).
  Status MultiplyAccumulate(const std::string& kernel, int64_t channels, const std::string& bias,
                            const FixedType& input, const std::string& accum_key,
                            const std::vector<std::string>& result_keys) {
    bool wanted = Pending(accum_key);
    for (const std::string& k : result_keys) wanted = wanted || Pending(k);
    if (!wanted) return Status::Ok();
    if (hls4ml_) return Hls4mlMultiplyAccumulate(kernel, bias, input, accum_key, result_keys);
    Result<StoredValues> k = Values(kernel);
    if (!k.ok()) return k.error();
    std::optional<StoredValues> b;
    if (node_.FindWeight(bias) != nullptr) {
      Result<StoredValues> v = Values(bias);
      if (!v.ok()) return v.error();
      b = std::move(v).value();
    }
    Result<FixedType> t = ExactAccumulatorType(input, *k, channels, b ? &*b : nullptr);
    if (!t.ok()) return Fail(t.error().message());
    const FixedType capped = Cap(*t);
    if (Status s = SetIfPending(accum_key, capped); !s.ok()) return s;
    for (const std::string& key : result_keys) {
      if (Status s = SetIfPending(key, capped); !s.ok()) return s;
    }
    return Status::Ok();
  }

  // hls4ml's _infer_common_precision: W_in + W_w + ceil(log2 n) bits, I_in + I_w +
  // ceil(log2 n) integer bits, n the products per output (the kernel's entries per output
  // channel), then one more integer bit for the bias (a layer without one has hls4ml's
  // uint<1> zero bias), capped. A weight type that is not one fixed type (per-element,
  // power-of-two, binary) gives the Model default.
  Status Hls4mlMultiplyAccumulate(const std::string& kernel, const std::string& bias,
                                  const FixedType& input, const std::string& accum_key,
                                  const std::vector<std::string>& result_keys) {
    const ir::Weight* k = node_.FindWeight(kernel);
    if (k == nullptr) return Fail(fmt::format("weight '{}' is missing", kernel));
    const ir::Weight* b = bias.empty() ? nullptr : node_.FindWeight(bias);
    const bool depthwise = kernel == "depthwise_kernel";
    const int64_t channels = TrailingChannels(k, depthwise ? 2 : 1);
    int64_t entries = 1;
    for (int64_t d : k->shape) entries *= d;
    const int64_t n = channels > 0 ? entries / channels : entries;
    FixedType t = *node_.settings.auto_fallback;
    const FixedType no_bias = FixedType::UFixed(1, 1);
    if (k->precision.type && !IsPo2Weight(k) && !IsBinaryWeight(k) &&
        (b == nullptr || (b->precision.type && !IsPo2Weight(b)))) {
      t = Hls4mlCommonType(input, *k->precision.type, b != nullptr ? *b->precision.type : no_bias,
                           n);
      t = Cap(t);
    }
    if (Status s = SetIfPending(accum_key, t); !s.ok()) return s;
    for (const std::string& key : result_keys) {
      if (Status s = SetIfPending(key, t); !s.ok()) return s;
    }
    return Status::Ok();
  }

  static bool IsPo2Weight(const ir::Weight* w) {
    return w != nullptr && w->quantizer && w->quantizer->kind == ir::QuantizerKind::kPo2;
  }

  // hls4ml holds a binary kernel in its xnor type, which its inference does not handle.
  static bool IsBinaryWeight(const ir::Weight* w) {
    return w != nullptr && w->quantizer && w->quantizer->kind == ir::QuantizerKind::kBinary;
  }

  static int64_t TrailingChannels(const ir::Weight* w, int axes) {
    if (w == nullptr || static_cast<int>(w->shape.size()) < axes) return 1;
    int64_t n = 1;
    for (size_t i = w->shape.size() - axes; i < w->shape.size(); ++i) n *= w->shape[i];
    return n;
  }

  Status CopyInputToResult(bool keep_per_element) {
    if (!Pending("result")) return Status::Ok();
    Result<const ir::Precision*> p = InputPrecision(0);
    if (!p.ok()) return p.error();
    if (keep_per_element || (*p)->type) return SetPrecision("result", **p);
    Result<FixedType> t = InputType(0);
    if (!t.ok()) return t.error();
    return Set("result", *t);
  }

  // Folds `rule` over the inputs' types, capping each step when `capped`.
  Status FoldInputs(const std::function<FixedType(const FixedType&, const FixedType&)>& rule,
                    bool capped) {
    if (!Pending("result")) return Status::Ok();
    Result<FixedType> acc = InputType(0);
    if (!acc.ok()) return acc.error();
    FixedType t = *acc;
    for (size_t i = 1; i < node_.inputs.size(); ++i) {
      Result<FixedType> next = InputType(i);
      if (!next.ok()) return next.error();
      t = rule(t, *next);
      if (capped) t = Cap(t);
    }
    return Set("result", t);
  }

  Status InferOp() {
    switch (node_.kind()) {
      case ir::OpKind::kDense:
      case ir::OpKind::kConv:
      case ir::OpKind::kDepthwiseConv: {
        const bool depthwise = node_.kind() == ir::OpKind::kDepthwiseConv;
        const std::string kernel = depthwise ? "depthwise_kernel" : "kernel";
        Result<FixedType> in = InputType(0);
        if (!in.ok()) return in.error();
        return MultiplyAccumulate(kernel,
                                  TrailingChannels(node_.FindWeight(kernel), depthwise ? 2 : 1),
                                  "bias", *in, "accum", {"result"});
      }
      case ir::OpKind::kSeparableConv: {
        Result<FixedType> in = InputType(0);
        if (!in.ok()) return in.error();
        if (Status s = MultiplyAccumulate("depthwise_kernel",
                                          TrailingChannels(node_.FindWeight("depthwise_kernel"), 2),
                                          "", *in, "depthwise_accum", {"depthwise_result"});
            !s.ok()) {
          return s;
        }
        Result<FixedType> middle = Internal("depthwise_result");
        if (!middle.ok()) return middle.error();
        return MultiplyAccumulate("pointwise_kernel",
                                  TrailingChannels(node_.FindWeight("pointwise_kernel"), 1), "bias",
                                  *middle, "pointwise_accum", {"result"});
      }
      case ir::OpKind::kPool: {
        const auto& a = node_.as<ir::PoolAttrs>();
        if (Pending("accum")) {
          Result<FixedType> in = InputType(0);
          if (!in.ok()) return in.error();
          int64_t area = 1;
          for (int64_t p : a.pool) area *= p;
          const FixedType t = a.kind == ir::PoolKind::kMax ? *in : AveragePoolAccumType(*in, area);
          if (Status s = Set("accum", t); !s.ok()) return s;
        }
        return CopyInputToResult(/*keep_per_element=*/false);
      }
      case ir::OpKind::kBatchNorm:
      case ir::OpKind::kScale:
        return InferScaleResult();
      case ir::OpKind::kMerge: {
        switch (node_.as<ir::MergeAttrs>().kind) {
          case ir::MergeKind::kAdd:
          case ir::MergeKind::kAverage:
            return FoldInputs(
                [](const FixedType& a, const FixedType& b) { return AddType(a, b, false); }, true);
          case ir::MergeKind::kSubtract:
            return FoldInputs(
                [](const FixedType& a, const FixedType& b) { return AddType(a, b, true); }, true);
          case ir::MergeKind::kMultiply:
            return FoldInputs(MultiplyType, true);
          case ir::MergeKind::kMaximum:
          case ir::MergeKind::kMinimum:
            return FoldInputs(MaxMinType, false);
        }
        return Status::Ok();
      }
      case ir::OpKind::kConcatenate:
        return FoldInputs(ConcatenateType, true);
      case ir::OpKind::kDot:
        return InferDot();
      case ir::OpKind::kFlatten:
      case ir::OpKind::kReshape:
        return CopyInputToResult(/*keep_per_element=*/true);
      case ir::OpKind::kPermute:
      case ir::OpKind::kZeroPadding:
      case ir::OpKind::kUpSampling:
        return CopyInputToResult(/*keep_per_element=*/false);
      case ir::OpKind::kActivation:
        return InferActivation();
      case ir::OpKind::kQuantize:
        if (Pending("result") && node_.output_quantizer) {
          ir::Precision p;
          if (node_.output_quantizer->per_element) {
            p.per_element = node_.output_quantizer->per_element;
          } else {
            p.type = node_.output_quantizer->type;
          }
          return SetPrecision("result", p);
        }
        return Status::Ok();
      default:
        return Status::Ok();
    }
  }

  // BatchNorm (scale and bias are internal types) and Scale (they are weights): the folded
  // y = x * scale + bias. The scale and bias themselves take the Model default first.
  Status InferScaleResult() {
    const bool batchnorm = node_.is<ir::BatchNormAttrs>();
    if (batchnorm) {
      if (Status s = SetIfPending("scale", *node_.settings.auto_fallback); !s.ok()) return s;
      if (Status s = SetIfPending("bias", *node_.settings.auto_fallback); !s.ok()) return s;
    }
    if (!Pending("result")) return Status::Ok();
    Result<FixedType> in = InputType(0);
    if (!in.ok()) return in.error();
    FixedType scale;
    std::optional<FixedType> bias;
    if (batchnorm) {
      Result<FixedType> s = Internal("scale"), b = Internal("bias");
      if (!s.ok()) return s.error();
      if (!b.ok()) return b.error();
      scale = *s;
      bias = *b;
    } else {
      const ir::Weight* s = node_.FindWeight("scale");
      if (s == nullptr) return Fail("weight 'scale' is missing");
      // hls4ml infers over fixed and integer types only; a power-of-two (exponent) scale or
      // bias leaves the Model default (QKeras 'auto_po2' alpha).
      const ir::Weight* bw = node_.FindWeight("bias");
      auto po2 = [](const ir::Weight* w) {
        return w != nullptr && w->quantizer && w->quantizer->kind == ir::QuantizerKind::kPo2;
      };
      if (po2(s) || po2(bw)) return Set("result", *node_.settings.auto_fallback);
      Result<FixedType> st = CoveringType(s->precision);
      if (!st.ok()) return Fail(st.error().message());
      scale = *st;
      if (const ir::Weight* b = node_.FindWeight("bias"); b != nullptr) {
        Result<FixedType> bt = CoveringType(b->precision);
        if (!bt.ok()) return Fail(bt.error().message());
        bias = *bt;
      }
    }
    return Set("result", Cap(BatchNormType(*in, scale, bias)));
  }

  Status InferDot() {
    if (!Pending("result") && !Pending("accum")) return Status::Ok();
    Result<FixedType> a = InputType(0);
    Result<FixedType> b = InputType(1);
    if (!a.ok()) return a.error();
    if (!b.ok()) return b.error();
    const ir::Tensor* t = graph_.FindTensor(node_.inputs[0]);
    const auto& attrs = node_.as<ir::DotAttrs>();
    int64_t n = 1;
    if (t != nullptr && !attrs.axes.empty()) {
      const int64_t rank = static_cast<int64_t>(t->shape.size());
      const int64_t axis = attrs.axes[0] < 0 ? rank + attrs.axes[0] : attrs.axes[0] - 1;
      if (axis >= 0 && axis < rank) n = t->shape[axis];
    }
    if (hls4ml_) {
      // hls4ml grows by the first input's first dimension and infers only the result.
      if (t != nullptr && !t->shape.empty()) n = t->shape[0];
      return SetIfPending("result", Cap(DotType(*a, *b, n)));
    }
    const FixedType dot = Cap(DotType(*a, *b, n));
    if (Status s = SetIfPending("accum", dot); !s.ok()) return s;
    return SetIfPending("result", dot);
  }

  Status InferActivation() {
    const auto& a = node_.as<ir::ActivationAttrs>();
    if (Pending("param")) {
      FixedType param;
      if (a.fn == ir::ActivationFn::kThresholdedReLU) {
        Result<FixedType> in = InputType(0);
        if (!in.ok()) return in.error();
        param = *in;
      } else {
        param = ConstantType(a.alpha);
      }
      if (Status s = Set("param", param); !s.ok()) return s;
    }
    if (Status s = SetIfPending("slope", FixedType::UFixed(16, 0)); !s.ok()) return s;
    if (Status s = SetIfPending("shift", FixedType::UFixed(2, 0)); !s.ok()) return s;
    // hls4ml leaves an Activation's result to the Model default.
    if (hls4ml_) return Status::Ok();
    if (Pending("result") && a.fn == ir::ActivationFn::kReLU && a.alpha == 0 && a.threshold >= 0) {
      Result<FixedType> in = InputType(0);
      if (!in.ok()) return in.error();
      return Set("result", ReLUType(*in));
    }
    return Status::Ok();
  }

  ir::Graph& graph_;
  ir::Node& node_;
  bool hls4ml_ = false;
};

}  // namespace

Status InferAutoPrecision(ir::Graph& graph, InferencePolicy policy) {
  for (ir::Node& node : graph.nodes()) {
    if (Status s = NodeInference(graph, node, policy).Run(); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace fixnn::passes
