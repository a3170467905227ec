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
// A power-of-two scale (QKeras alpha 'auto_po2': quantized_po2(B)) is stored as a sign bit and
// a B-bit exponent, and the product is nnet::product::weight_exponential (exponent_product.h):
// x is cast (TRN, WRAP) into r_t = ap_fixed<2N, N>, N = B + x's width, shifted left by the
// exponent (right when it is negative: floor; a left shift drops the bits above r_t's), and
// negated back into r_t for a negative scale; then y = result_t(r + bias_c).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "emulator/exponent_product.h"
#include "emulator/hls4ml_weights.h"
#include "emulator/kernel.h"
#include "fixed/fixed_value.h"
#include "passes/batchnorm_constants.h"

namespace fixnn::emulator {
namespace {

using fixed::FixedType;
using fixed::WideInt;

// A power-of-two scale: per channel, nnet::product::weight_exponential's sign and exponent.
struct Po2Scale {
  std::vector<ExponentWeight> weights;
  ExponentProduct product;  // its site counts the wraps into r_t, when they can happen
};

struct ScaleSpec {
  int in = 0, out = 0;
  int64_t size = 0, channels = 0;
  std::vector<WideInt> scale, bias;  // per channel, mantissas of the scale and bias types
  std::optional<Po2Scale> po2;       // instead of `scale`
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
        site_(s.site),
        po2_(s.po2) {
    for (const WideInt& v : s.scale) scale_.push_back(A::FromWideInt(v));
    for (const WideInt& v : s.bias) bias_.push_back(A::FromWideInt(v));
  }

  void Run(Workspace<M>& ws) const override {
    const std::vector<M>& x = ws.tensors[static_cast<size_t>(in_)];
    std::vector<M>& y = ws.tensors[static_cast<size_t>(out_)];
    const SiteCounter count = ws.Counter(site_);
    const SiteCounter wraps =
        po2_ && po2_->product.site >= 0 ? ws.Counter(po2_->product.site) : nullptr;
    for (int64_t i = 0; i < size_; ++i) {
      const auto c = static_cast<size_t>(i % channels_);
      const M& xi = x[static_cast<size_t>(i)];
      typename A::Wide v =
          po2_ ? po2_->product.Multiply(xi, po2_->weights[c], wraps) : A::Mul(xi, scale_[c]);
      if (has_bias_) v = ShiftUp(v, product_shift_) + ShiftUp(A::Widen(bias_[c]), bias_shift_);
      y[static_cast<size_t>(i)] = A::Cast(v, result_, count);
    }
  }

 private:
  static __int128 ShiftUp(__int128 v, int n) { return v << n; }
  static WideInt ShiftUp(const WideInt& v, int n) { return v.ShiftLeft(n); }

  int in_, out_;
  int64_t size_, channels_;
  bool has_bias_;
  int product_shift_, bias_shift_;
  CastPlan result_;
  int site_;
  std::optional<Po2Scale> po2_;
  std::vector<M> scale_, bias_;
};

// hls4ml's BatchNormalization scale and bias (passes::BatchNormScaleBias), one per channel.
Status BatchNormConstants(BuildContext& ctx, int64_t channels, std::vector<double>& scale,
                          std::vector<double>& bias) {
  Result<passes::ScaleBias> sb = passes::BatchNormScaleBias(ctx.node());
  if (!sb.ok()) return sb.error();
  if (static_cast<int64_t>(sb->scale.size()) != channels) {
    return ctx.Fail(fmt::format("{} scale values for {} channels", sb->scale.size(), channels));
  }
  scale = std::move(sb->scale);
  bias = std::move(sb->bias);
  return Status::Ok();
}

// A Scale weight as hls4ml stores it: the quantizer applied, then the decimal text into the
// weight's type.
Result<std::vector<double>> ScaleWeightValues(BuildContext& ctx, const ir::Weight& w) {
  std::vector<double> values = w.values;
  if (w.quantizer) {
    if (w.quantizer->kind == ir::QuantizerKind::kPo2) {
      // Only the scale has a product for exponent types; hls4ml adds the bias as it is
      // stored, a sign-and-exponent struct, which its C++ cannot add to the product.
      return ctx.Fail(fmt::format(
          "weight '{}' with a power-of-two quantizer: hls4ml stores it as a sign and an "
          "exponent, which nnet::normalize cannot add (its project does not compile)",
          w.name));
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

// A 'scale' weight with a power-of-two quantizer, as hls4ml stores and multiplies it: the
// quantizer is hls4ml's quantized_po2(B) for the ApplyAlpha of an 'auto_po2' alpha
// (model/optimizer/passes/qkeras.py), its type the B-bit exponent type
// (model/quantizers.py: ExponentPrecisionType); each value is written as {sign, log2|v|}
// (model/types.py: ExponentWeightVariable, sign 0 for a negative value); the product is
// nnet::product::weight_exponential (nnet_mult.h) with r_t = ap_fixed<2N, N>, N = B + x's
// width. Sets `product` to r_t.
Result<Po2Scale> Po2ScaleOf(BuildContext& ctx, const ir::Weight& w, const FixedType& x,
                            int64_t channels, FixedType& product) {
  const ir::Quantizer& q = *w.quantizer;
  // quantized_po2(B) without max_value: exponents in [-2^(B-2), 2^(B-2) - 1].
  const int span = -q.min_exponent;
  if (q.po2_relu || q.po2_quadratic || q.po2_max_value || span < 1 || (span & (span - 1)) != 0 ||
      q.max_exponent != span - 1) {
    return ctx.NotHandled(
        fmt::format("weight '{}' with the power-of-two quantizer {} (hls4ml's ApplyAlpha uses "
                    "quantized_po2(bits) only)",
                    w.name, q.spelling));
  }
  if (std::any_of(q.scale.begin(), q.scale.end(), [](double s) { return s != 1.0; })) {
    return ctx.NotHandled(fmt::format("weight '{}' with a quantizer scale (alpha)", w.name));
  }
  if (w.values.size() != 1 && static_cast<int64_t>(w.values.size()) != channels) {
    return ctx.Fail(fmt::format("weight '{}' has {} values for {} channels", w.name,
                                w.values.size(), channels));
  }
  const int bits = ExponentBits(q);
  std::vector<double> values = w.values;
  ir::ApplyQuantizer(q, values);
  Po2Scale p;
  for (double v : values) {
    int e = 0;
    const double mantissa = std::frexp(std::fabs(v), &e);
    // hls4ml writes int(log2|v|) into the exponent type; quantized_po2 gives +-2^e with e in
    // the type's range, never 0.
    if (mantissa != 0.5 || e - 1 < q.min_exponent || e - 1 > q.max_exponent) {
      return ctx.Fail(fmt::format("weight '{}': quantized value {} is not a power of two of {}",
                                  w.name, v, q.spelling));
    }
    p.weights.push_back({e - 1, v < 0});
  }
  if (values.size() == 1) p.weights.assign(static_cast<size_t>(channels), p.weights.front());
  Result<ExponentProduct> r = MakeExponentProduct(ctx, bits, x, p.weights, "scale");
  if (!r.ok()) return r.error();
  p.product = *r;
  product = r->type;
  return p;
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
    if (Status st = BatchNormConstants(ctx, s.channels, scale, bias); !st.ok()) {
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
    if (sw->quantizer && sw->quantizer->kind == ir::QuantizerKind::kPo2) {
      Result<Po2Scale> p = Po2ScaleOf(ctx, *sw, x.type, s.channels, scale_t);
      if (!p.ok()) return p.error();
      s.po2 = std::move(p).value();
    } else {
      Result<FixedType> st = WeightType(ctx, *sw);
      if (!st.ok()) return st.error();
      scale_t = *st;
      Result<std::vector<double>> sv = ScaleWeightValues(ctx, *sw);
      if (!sv.ok()) return sv.error();
      scale = std::move(sv).value();
    }
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

  Result<FixedType> product = scale_t;  // a power-of-two scale: r_t
  if (!s.po2) {
    Result<std::vector<WideInt>> stored_scale = Store(ctx, scale, scale_t, s.channels, "scale");
    if (!stored_scale.ok()) return stored_scale.error();
    s.scale = std::move(stored_scale).value();
    // A 2-bit signed integer scale selects hls4ml's ternary product, which reads -2 as +1.
    if (scale_t.is_signed && scale_t.width == 2 && scale_t.integer == 2 &&
        scale_t.integer_spelling &&
        std::any_of(s.scale.begin(), s.scale.end(),
                    [](const WideInt& v) { return v == WideInt(-2); })) {
      return ctx.NotHandled("a scale of -2 in a 2-bit integer type (hls4ml's ternary product)");
    }
    product = fixed::MulResultType(x.type, scale_t);
    if (!product.ok()) return ctx.Fail(product.error().message());
  } else if (s.po2->product.can_wrap) {
    s.po2->product.site = ctx.AddRunSite("product", *product, s.size);
  }
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
