// BatchNormalization (not folded) and Scale, as hls4ml's nnet::normalize computes them
// (docs/hls4ml-numerics.md, section 8):
//   y_i = result_t(x_i * scale_c + bias_c)   (exact product and sum, no accumulator)
// with c the index of element i on the last axis.
// BatchNorm: hls4ml computes scale = gamma / sqrt(var + eps) and bias = beta - scale * mean in
// float32 (eps rounded to float32 first; no gamma: 1, no beta: 0) from the raw weights, then
// stores them through its decimal text into the node's 'scale' and 'bias' types. It ignores
// QBatchNormalization's quantizers, and so does this kernel.
// Scale (QKeras alpha; hls4ml's ApplyAlpha, a BatchNormalization): the same formula with its
// 'scale' and 'bias' weights, each quantized by its quantizer and stored through the text.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "emulator/hls4ml_weights.h"
#include "emulator/kernel.h"
#include "fixed/fixed_value.h"

namespace fixnn::emulator {
namespace {

using fixed::FixedType;
using fixed::WideInt;

__int128 ShiftUp(__int128 v, int n) { return v << n; }
WideInt ShiftUp(const WideInt& v, int n) { return v.ShiftLeft(n); }

struct ScaleSpec {
  int in = 0, out = 0;
  int64_t size = 0, channels = 0;
  std::vector<WideInt> scale, bias;  // per channel, mantissas of the scale and bias types
  bool has_bias = false;
  int product_shift = 0, bias_shift = 0;  // both terms onto the sum's LSB
  CastPlan result;                        // x * scale + bias -> result_t
  int site = 0;
};

template <class M>
class ScaleKernel final : public Kernel<M> {
 public:
  using A = Arith<M>;

  explicit ScaleKernel(const ScaleSpec& s)
      : in_(s.in),
        out_(s.out),
        size_(s.size),
        channels_(s.channels),
        has_bias_(s.has_bias),
        product_shift_(s.product_shift),
        bias_shift_(s.bias_shift),
        result_(s.result),
        site_(s.site) {
    for (const WideInt& v : s.scale) scale_.push_back(A::FromWideInt(v));
    for (const WideInt& v : s.bias) bias_.push_back(A::FromWideInt(v));
  }

  void Run(Workspace<M>& ws) const override {
    const std::vector<M>& x = ws.tensors[static_cast<size_t>(in_)];
    std::vector<M>& y = ws.tensors[static_cast<size_t>(out_)];
    const SiteCounter count = ws.Counter(site_);
    for (int64_t i = 0; i < size_; ++i) {
      const auto c = static_cast<size_t>(i % channels_);
      typename A::Wide v = A::Mul(x[static_cast<size_t>(i)], scale_[c]);
      if (has_bias_) v = ShiftUp(v, product_shift_) + ShiftUp(A::Widen(bias_[c]), bias_shift_);
      y[static_cast<size_t>(i)] = A::Cast(v, result_, count);
    }
  }

 private:
  int in_, out_;
  int64_t size_, channels_;
  bool has_bias_;
  int product_shift_, bias_shift_;
  CastPlan result_;
  int site_;
  std::vector<M> scale_, bias_;
};

// The float32 value of v, or nothing when v is not one (hls4ml's arithmetic would then not be
// float32).
std::optional<float> AsFloat(double v) {
  const auto f = static_cast<float>(v);
  if (static_cast<double>(f) != v && !std::isnan(v)) return std::nullopt;
  return f;
}

// One float32 operation, rounded once: a double holds the exact product of two floats, and
// rounding a double sum, quotient or square root to float gives the correctly rounded float
// result (53 >= 2 * 24 + 2), so no fused multiply-add can change it.
float Mul32(float a, float b) { return static_cast<float>(static_cast<double>(a) * b); }
float Sub32(float a, float b) { return static_cast<float>(static_cast<double>(a) - b); }
float Div32(float a, float b) { return static_cast<float>(static_cast<double>(a) / b); }
float Sqrt32(float a) { return static_cast<float>(std::sqrt(static_cast<double>(a))); }

// hls4ml's BatchNormalization scale and bias (model/layers.py), per channel, as floats.
Status BatchNormConstants(BuildContext& ctx, const ir::BatchNormAttrs& a, int64_t channels,
                          std::vector<double>& scale, std::vector<double>& bias) {
  const ir::Node& node = ctx.node();
  auto values = [&](const char* name, bool present) -> Result<std::vector<float>> {
    if (!present) return std::vector<float>();
    const ir::Weight* w = node.FindWeight(name);
    if (w == nullptr) return ctx.Fail(fmt::format("weight '{}' is missing", name));
    if (static_cast<int64_t>(w->values.size()) != channels) {
      return ctx.Fail(fmt::format("weight '{}' has {} values for {} channels", name,
                                  w->values.size(), channels));
    }
    std::vector<float> out;
    for (double v : w->values) {
      std::optional<float> f = AsFloat(v);
      if (!f) {
        return ctx.NotHandled(
            fmt::format("weight '{}' with values that are not float32 (hls4ml's BatchNormalization "
                        "arithmetic follows the weights' dtype)",
                        name));
      }
      out.push_back(*f);
    }
    return out;
  };
  Result<std::vector<float>> gamma = values("gamma", a.scale);
  Result<std::vector<float>> beta = values("beta", a.center);
  Result<std::vector<float>> mean = values("moving_mean", true);
  Result<std::vector<float>> var = values("moving_variance", true);
  for (const auto* r : {&gamma, &beta, &mean, &var}) {
    if (!r->ok()) return r->error();
  }
  const auto eps = static_cast<float>(a.epsilon);
  for (size_t c = 0; c < static_cast<size_t>(channels); ++c) {
    const float g = a.scale ? (*gamma)[c] : 1.0f;
    const float s = Div32(g, Sqrt32(static_cast<float>(static_cast<double>((*var)[c]) + eps)));
    const float b = Sub32(a.center ? (*beta)[c] : 0.0f, Mul32(s, (*mean)[c]));
    scale.push_back(s);
    bias.push_back(b);
  }
  return Status::Ok();
}

// A Scale weight as hls4ml stores it: the quantizer applied, then the decimal text into the
// weight's type.
Result<std::vector<double>> ScaleWeightValues(BuildContext& ctx, const ir::Weight& w) {
  std::vector<double> values = w.values;
  if (w.quantizer) {
    if (w.quantizer->kind == ir::QuantizerKind::kPo2) {
      return ctx.NotHandled(fmt::format(
          "weight '{}' with a power-of-two quantizer (hls4ml's exponent-type product)", w.name));
    }
    const bool unit_scale = std::all_of(w.quantizer->scale.begin(), w.quantizer->scale.end(),
                                        [](double s) { return s == 1.0; });
    if (!unit_scale) {
      return ctx.NotHandled(fmt::format("weight '{}' with a quantizer scale (alpha)", w.name));
    }
    ir::ApplyQuantizer(*w.quantizer, values);
  }
  return values;
}

// The values stored in type t through hls4ml's decimal text, one per channel (a single value
// serves every channel).
Result<std::vector<WideInt>> Store(BuildContext& ctx, const std::vector<double>& values,
                                   const FixedType& t, int64_t channels, const std::string& name) {
  if (values.size() != 1 && static_cast<int64_t>(values.size()) != channels) {
    return ctx.Fail(
        fmt::format("weight '{}' has {} values for {} channels", name, values.size(), channels));
  }
  ctx.NoteType(t);
  fixed::OverflowCounts counts;
  Result<std::vector<WideInt>> stored = StoreArrayThroughText(values, t, &counts);
  if (!stored.ok()) return ctx.Fail(fmt::format("{}: {}", name, stored.error().message()));
  ctx.AddSetupSite(name, t, static_cast<int64_t>(values.size()), counts);
  if (stored->size() == 1) stored->assign(static_cast<size_t>(channels), stored->front());
  return stored;
}

Result<FixedType> InternalType(BuildContext& ctx, const std::string& key) {
  auto it = ctx.node().types.find(key);
  if (it == ctx.node().types.end()) {
    return ctx.Fail(fmt::format("no '{}' type; run passes::Configure first", key));
  }
  return it->second;
}

Result<FixedType> WeightType(BuildContext& ctx, const ir::Weight& w) {
  if (w.precision.type) return *w.precision.type;
  if (w.precision.per_element) return ctx.NotHandled("per-element weight types");
  return ctx.Fail(fmt::format("weight '{}' has no type; run passes::Configure first", w.name));
}

}  // namespace

template <class M>
KernelResult<M> MakeScaleKernel(BuildContext& ctx) {
  const ir::Node& node = ctx.node();
  if (Status st = ctx.CheckOneInOneOut(); !st.ok()) return st.error();
  const TensorInfo& x = ctx.Tensor(node.inputs[0]);
  const TensorInfo& y = ctx.Tensor(node.outputs[0]);
  if (y.size != x.size || x.shape.empty()) {
    return ctx.Fail("expected an output of the input's shape");
  }
  ScaleSpec s;
  s.in = ctx.TensorId(node.inputs[0]);
  s.out = ctx.TensorId(node.outputs[0]);
  s.size = x.size;
  s.channels = x.shape.back();
  if (s.channels < 1) return ctx.Fail("an empty last axis");

  std::vector<double> scale, bias;
  FixedType scale_t, bias_t;
  if (node.is<ir::BatchNormAttrs>()) {
    const auto& a = node.as<ir::BatchNormAttrs>();
    const auto rank = static_cast<int64_t>(x.shape.size());
    const int64_t axis = a.axis < 0 ? a.axis + rank + 1 : a.axis;
    if (axis != rank) {
      return ctx.Fail(fmt::format(
          "BatchNormalization on axis {} of a rank-{} input: hls4ml applies it along the last "
          "axis and reads past its scale array; fixnn refuses rather than guess the result",
          a.axis, rank + 1));
    }
    if (rank > 3) {
      return ctx.Fail(fmt::format(
          "BatchNormalization of a rank-{} input: hls4ml indexes its scale per element there "
          "and reads past the array; fixnn refuses rather than guess the result",
          rank + 1));
    }
    if (Status st = BatchNormConstants(ctx, a, s.channels, scale, bias); !st.ok()) {
      return st.error();
    }
    Result<FixedType> st = InternalType(ctx, "scale"), bt = InternalType(ctx, "bias");
    if (!st.ok()) return st.error();
    if (!bt.ok()) return bt.error();
    scale_t = *st;
    bias_t = *bt;
    s.has_bias = true;
  } else {
    const auto& a = node.as<ir::ScaleAttrs>();
    const ir::Weight* sw = node.FindWeight("scale");
    const ir::Weight* bw = a.use_bias ? node.FindWeight("bias") : nullptr;
    if (sw == nullptr || (a.use_bias && bw == nullptr)) {
      return ctx.Fail("expected a 'scale' weight (and a 'bias' one)");
    }
    // hls4ml inserts ApplyAlpha after a Dense with one scale per output element; on a Dense
    // that runs per position of a leading axis it indexes that array per element, past its end.
    const ir::Node* producer = ctx.graph().Producer(node.inputs[0]);
    if (producer != nullptr && producer->kind() == ir::OpKind::kDense && x.shape.size() > 1 &&
        sw->values.size() > 1) {
      return ctx.Fail(
          "a per-channel scale after a Dense on a rank > 1 input: hls4ml's ApplyAlpha indexes "
          "its scale per element there and reads past the array; fixnn refuses rather than "
          "guess the result");
    }
    Result<FixedType> st = WeightType(ctx, *sw);
    if (!st.ok()) return st.error();
    scale_t = *st;
    Result<std::vector<double>> sv = ScaleWeightValues(ctx, *sw);
    if (!sv.ok()) return sv.error();
    scale = std::move(sv).value();
    if (bw != nullptr) {
      Result<FixedType> bt = WeightType(ctx, *bw);
      if (!bt.ok()) return bt.error();
      bias_t = *bt;
      Result<std::vector<double>> bv = ScaleWeightValues(ctx, *bw);
      if (!bv.ok()) return bv.error();
      bias = std::move(bv).value();
      s.has_bias = true;
    }
  }

  Result<std::vector<WideInt>> stored_scale = Store(ctx, scale, scale_t, s.channels, "scale");
  if (!stored_scale.ok()) return stored_scale.error();
  s.scale = std::move(stored_scale).value();
  // A 2-bit signed integer scale selects hls4ml's ternary product, which reads -2 as +1.
  if (scale_t.is_signed && scale_t.width == 2 && scale_t.integer == 2 && scale_t.integer_spelling &&
      std::any_of(s.scale.begin(), s.scale.end(),
                  [](const WideInt& v) { return v == WideInt(-2); })) {
    return ctx.NotHandled("a scale of -2 in a 2-bit integer type (hls4ml's ternary product)");
  }
  Result<FixedType> product = fixed::MulResultType(x.type, scale_t);
  if (!product.ok()) return ctx.Fail(product.error().message());
  FixedType sum = *product;
  if (s.has_bias) {
    Result<std::vector<WideInt>> stored_bias = Store(ctx, bias, bias_t, s.channels, "bias");
    if (!stored_bias.ok()) return stored_bias.error();
    s.bias = std::move(stored_bias).value();
    Result<FixedType> added = fixed::AddResultType(*product, bias_t);
    if (!added.ok()) return ctx.Fail(added.error().message());
    sum = *added;
    s.product_shift = product->lsb_exponent() - sum.lsb_exponent();
    s.bias_shift = bias_t.lsb_exponent() - sum.lsb_exponent();
  }
  s.result = ctx.Plan(sum, y.type);
  s.site = ctx.AddRunSite("result", y.type, s.size);
  return std::unique_ptr<Kernel<M>>(new ScaleKernel<M>(s));
}

template KernelResult<std::int64_t> MakeScaleKernel<std::int64_t>(BuildContext&);
template KernelResult<fixed::WideInt> MakeScaleKernel<fixed::WideInt>(BuildContext&);

}  // namespace fixnn::emulator
