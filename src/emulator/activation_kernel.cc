// Elementwise nodes, as hls4ml's nnet_activation.h computes them (docs/hls4ml-numerics.md,
// section 9), every result assigned to result_t:
//   linear                 y = x
//   relu                   y = x > 0 ? x : 0
//   relu6 / max_value M    y = x < 0 ? 0 : x > M ? M : x        (M an integer)
//   thresholded relu       y = x > theta ? x : 0, theta in param_t (ReLU(threshold): the input
//                          type, as hls4ml's ThresholdedReLU infers it)
//   leaky relu             y = x > 0 ? x : param_t(alpha) * x
//   sigmoid, tanh          y = table[index(x)], the table built in float and cast to table_t
//   Quantize (QKeras quantized_bits, quantized_relu): hls4ml's linear / relu activation;
//                          the quantizer's type acts only as the configured result_t
//   Flatten, Reshape       no cast (an alias in io_parallel)
#include <fmt/format.h>

#include <cmath>

#include "emulator/hls4ml_tables.h"
#include "emulator/kernel.h"
#include "fixed/fixed_value.h"

namespace fixnn::emulator {
namespace {

using fixed::FixedType;
using fixed::FixedValue;
using fixed::WideInt;

enum class Kind { kCopy, kCast, kThreshold, kClip, kLeaky, kTable };

// Everything an elementwise kernel needs, independent of the number representation.
struct ElementwiseSpec {
  Kind kind = Kind::kCast;
  int in = 0, out = 0;
  int64_t size = 0;
  CastPlan cast;  // x -> result_t (kCast, kThreshold, kClip, kLeaky)
  // x > bound (the bound in x's mantissa units) selects x (kThreshold, kClip's upper bound).
  WideInt bound;
  WideInt clip_value;  // kClip: result_t(M)
  fixed::CastEvents clip_events;
  WideInt alpha;   // kLeaky: param_t(alpha)
  CastPlan leaky;  // alpha * x -> result_t
  int64_t table_size = 0;
  int table_range = 16;            // 16 (sigmoid) or 8 (tanh)
  int lsb = 0;                     // x's LSB exponent
  std::vector<WideInt> table;      // result_t(table_t(entry))
  std::vector<uint8_t> table_out;  // 0, 1: above result_t's range, 2: below
  int site = 0;
};

template <class M>
class ElementwiseKernel final : public Kernel<M> {
 public:
  using A = Arith<M>;

  explicit ElementwiseKernel(const ElementwiseSpec& s)
      : s_(s),
        bound_(A::FromWideInt(s.bound)),
        clip_value_(A::FromWideInt(s.clip_value)),
        alpha_(A::FromWideInt(s.alpha)) {
    for (const WideInt& v : s.table) table_.push_back(A::FromWideInt(v));
  }

  void Run(Workspace<M>& ws) const override {
    const std::vector<M>& x = ws.tensors[static_cast<size_t>(s_.in)];
    std::vector<M>& y = ws.tensors[static_cast<size_t>(s_.out)];
    const SiteCounter c = ws.Counter(s_.site);
    const M zero = A::FromWideInt(WideInt(0));
    for (int64_t i = 0; i < s_.size; ++i) {
      const M& v = x[static_cast<size_t>(i)];
      M r{};
      switch (s_.kind) {
        case Kind::kCopy:
          r = v;
          break;
        case Kind::kCast:
          r = A::Cast(A::Widen(v), s_.cast, c);
          break;
        case Kind::kThreshold:
          r = v > bound_ ? A::Cast(A::Widen(v), s_.cast, c) : zero;
          break;
        case Kind::kClip:
          if (A::IsNegative(v)) {
            r = zero;
          } else if (v > bound_) {
            r = clip_value_;
            c[0] += s_.clip_events.overflow;
            c[1] += s_.clip_events.underflow;
          } else {
            r = A::Cast(A::Widen(v), s_.cast, c);
          }
          break;
        case Kind::kLeaky:
          r = v > zero ? A::Cast(A::Widen(v), s_.cast, c) : A::Cast(A::Mul(alpha_, v), s_.leaky, c);
          break;
        case Kind::kTable: {
          const auto k =
              static_cast<size_t>(ActivationTableIndex(v, s_.lsb, s_.table_size, s_.table_range));
          r = table_[k];
          if (s_.table_out[k] != 0) ++c[s_.table_out[k] - 1];
          break;
        }
      }
      y[static_cast<size_t>(i)] = r;
    }
  }

 private:
  ElementwiseSpec s_;
  M bound_, clip_value_, alpha_;
  std::vector<M> table_;
};

// b such that, for x of type xt with mantissa m, x > c exactly when m > b: floor(c / LSB(xt)),
// clamped to [min - 1, max] of xt's mantissas so that it fits wherever xt does.
WideInt CompareBound(const FixedValue& c, const FixedType& xt) {
  const int shift = c.type().lsb_exponent() - xt.lsb_exponent();
  WideInt b = shift >= 0 ? c.mantissa().ShiftLeft(shift) : c.mantissa().ShiftRightFloor(-shift);
  const WideInt lo = fixed::MinMantissa(xt) - WideInt(1), hi = fixed::MaxMantissa(xt);
  if (b < lo) b = lo;
  if (b > hi) b = hi;
  return b;
}

// A constant as hls4ml passes it: Python's str() of the double into a C++ double literal
// (the same double), converted into t.
Result<FixedValue> Constant(BuildContext& ctx, double v, const FixedType& t,
                            const std::string& site) {
  fixed::CastEvents ev;
  Result<FixedValue> q = fixed::Quantize(v, t, &ev);
  if (!q.ok()) return ctx.Fail(q.error().message());
  ctx.AddSetupSite(site, t, 1, {ev.overflow ? 1 : 0, ev.underflow ? 1 : 0});
  return q;
}

Result<FixedType> InternalType(BuildContext& ctx, const std::string& key) {
  const ir::Node& node = ctx.node();
  auto it = node.types.find(key);
  if (it == node.types.end()) {
    return ctx.Fail(fmt::format("no '{}' type; run passes::Configure first", key));
  }
  return it->second;
}

Status SetTable(BuildContext& ctx, ElementwiseSpec& s, const FixedType& xt, const FixedType& yt,
                bool sigmoid) {
  Result<FixedType> table_t = InternalType(ctx, "table");
  if (!table_t.ok()) return table_t.error();
  s.kind = Kind::kTable;
  s.table_size = ctx.node().settings.table_size;
  if (s.table_size < 1 || s.table_size > (int64_t{1} << 24)) {
    return ctx.Fail(fmt::format("table size {} is outside [1, 2^24]", s.table_size));
  }
  s.table_range = sigmoid ? 16 : 8;
  s.lsb = xt.lsb_exponent();
  const std::vector<float> entries =
      sigmoid ? SigmoidTableFloats(s.table_size) : TanhTableFloats(s.table_size);
  fixed::OverflowCounts table_counts;
  for (float f : entries) {
    fixed::CastEvents ev;
    Result<FixedValue> t = FloatToFixed(f, *table_t, &ev);
    if (!t.ok()) return ctx.Fail(t.error().message());
    table_counts.overflow += ev.overflow;
    table_counts.underflow += ev.underflow;
    fixed::CastEvents out;
    s.table.push_back(fixed::Cast(*t, yt, &out).mantissa());
    s.table_out.push_back(out.overflow ? 1 : out.underflow ? 2 : 0);
  }
  ctx.AddSetupSite("table", *table_t, s.table_size, table_counts);
  return Status::Ok();
}

// The ReLU family: plain, with an integer cap, or with a threshold.
Status SetReLU(BuildContext& ctx, ElementwiseSpec& s, const ir::ActivationAttrs& a,
               const FixedType& xt, const FixedType& yt) {
  if (a.alpha != 0.0) return ctx.NotHandled("ReLU with a negative slope");
  if (a.max_value >= 0.0) {
    if (a.threshold != 0.0) return ctx.NotHandled("ReLU with both a threshold and max_value");
    if (a.max_value != std::floor(a.max_value) || a.max_value > 2147483647.0) {
      return ctx.NotHandled(
          fmt::format("ReLU with a max_value of {} (hls4ml's relu_max takes "
                      "an int)",
                      a.max_value));
    }
    const auto cap = static_cast<int64_t>(a.max_value);
    const FixedValue c = FixedValue::FromMantissa(FixedType::Int(32), WideInt(cap));
    s.kind = Kind::kClip;
    s.bound = CompareBound(c, xt);
    s.clip_value = fixed::Cast(c, yt, &s.clip_events).mantissa();
    return Status::Ok();
  }
  s.kind = Kind::kThreshold;
  if (a.threshold == 0.0) {
    s.bound = WideInt(0);
    return Status::Ok();
  }
  // hls4ml turns ReLU(threshold) into a ThresholdedReLU whose param_t is the input type.
  Result<FixedValue> theta = Constant(ctx, a.threshold, xt, "param");
  if (!theta.ok()) return theta.error();
  s.bound = CompareBound(*theta, xt);
  return Status::Ok();
}

Status SetActivation(BuildContext& ctx, ElementwiseSpec& s, const ir::ActivationAttrs& a,
                     const FixedType& xt, const FixedType& yt) {
  switch (a.fn) {
    case ir::ActivationFn::kLinear:
      s.kind = Kind::kCast;
      return Status::Ok();
    case ir::ActivationFn::kReLU:
      return SetReLU(ctx, s, a, xt, yt);
    case ir::ActivationFn::kThresholdedReLU: {
      Result<FixedType> param_t = InternalType(ctx, "param");
      if (!param_t.ok()) return param_t.error();
      Result<FixedValue> theta = Constant(ctx, a.threshold, *param_t, "param");
      if (!theta.ok()) return theta.error();
      s.kind = Kind::kThreshold;
      s.bound = CompareBound(*theta, xt);
      return Status::Ok();
    }
    case ir::ActivationFn::kLeakyReLU: {
      Result<FixedType> param_t = InternalType(ctx, "param");
      if (!param_t.ok()) return param_t.error();
      ctx.NoteType(*param_t);
      Result<FixedValue> alpha = Constant(ctx, a.alpha, *param_t, "param");
      if (!alpha.ok()) return alpha.error();
      Result<FixedType> product = fixed::MulResultType(*param_t, xt);
      if (!product.ok()) return ctx.Fail(product.error().message());
      s.kind = Kind::kLeaky;
      s.alpha = alpha->mantissa();
      s.leaky = ctx.Plan(*product, yt);
      return Status::Ok();
    }
    case ir::ActivationFn::kSigmoid:
      return SetTable(ctx, s, xt, yt, true);
    case ir::ActivationFn::kTanh:
      return SetTable(ctx, s, xt, yt, false);
    default:
      return ctx.NotHandled(fmt::format("the {} activation", ir::ToString(a.fn)));
  }
}

// hls4ml reads a QKeras activation quantizer as a plain linear (quantized_bits) or relu
// (quantized_relu) activation; the quantizer's type reaches the hardware only as the result
// type that config_from_keras_model writes for the layer. So the node computes
// result_t(x) or result_t(relu(x)): with that configuration the quantizer's own cast, and with
// a configuration that names another result type, that type alone (the quantizer is dropped).
Status SetQuantize(BuildContext& ctx, ElementwiseSpec& s) {
  const ir::Node& node = ctx.node();
  if (!node.output_quantizer) return ctx.Fail("a Quantize node without a quantizer");
  const ir::Quantizer& q = *node.output_quantizer;
  const bool unit_scale =
      std::all_of(q.scale.begin(), q.scale.end(), [](double v) { return v == 1.0; });
  const bool plain_relu =
      q.kind == ir::QuantizerKind::kReLU && q.relu_negative_slope == 0.0 && !q.relu_use_sigmoid;
  if ((q.kind != ir::QuantizerKind::kFixed && !plain_relu) || q.per_element || !unit_scale) {
    return ctx.NotHandled(fmt::format("the quantizer '{}'", q.spelling));
  }
  s.kind = q.kind == ir::QuantizerKind::kFixed ? Kind::kCast : Kind::kThreshold;
  s.bound = WideInt(0);
  return Status::Ok();
}

}  // namespace

template <class M>
KernelResult<M> MakeElementwiseKernel(BuildContext& ctx) {
  const ir::Node& node = ctx.node();
  if (node.inputs.size() != 1 || node.outputs.size() != 1) {
    return ctx.Fail("expected one input and one output");
  }
  const TensorInfo& x = ctx.Tensor(node.inputs[0]);
  const TensorInfo& y = ctx.Tensor(node.outputs[0]);
  ElementwiseSpec s;
  s.in = ctx.TensorId(node.inputs[0]);
  s.out = ctx.TensorId(node.outputs[0]);
  s.size = x.size;
  if (y.size != x.size) return ctx.Fail("the output size differs from the input size");
  Status st;
  if (node.is<ir::QuantizeAttrs>()) {
    st = SetQuantize(ctx, s);
  } else if (node.output_quantizer) {
    return ctx.NotHandled(fmt::format("an output quantizer on {}", ir::OpName(node.kind())));
  } else if (node.is<ir::ActivationAttrs>()) {
    st = SetActivation(ctx, s, node.as<ir::ActivationAttrs>(), x.type, y.type);
  } else if (node.is<ir::FlattenAttrs>() || node.is<ir::ReshapeAttrs>()) {
    if (!(x.type == y.type)) {
      return ctx.NotHandled(fmt::format("a {} that changes the type ({} to {})",
                                        ir::OpName(node.kind()), x.type.ToString(),
                                        y.type.ToString()));
    }
    s.kind = Kind::kCopy;
  } else {
    return ctx.NotHandled(std::string(ir::OpName(node.kind())));
  }
  if (!st.ok()) return st.error();
  if (s.kind == Kind::kCast || s.kind == Kind::kThreshold || s.kind == Kind::kClip ||
      s.kind == Kind::kLeaky) {
    s.cast = ctx.Plan(x.type, y.type);
  }
  if (s.kind != Kind::kCopy) s.site = ctx.AddRunSite("result", y.type, s.size);
  return std::unique_ptr<Kernel<M>>(new ElementwiseKernel<M>(s));
}

template KernelResult<std::int64_t> MakeElementwiseKernel<std::int64_t>(BuildContext&);
template KernelResult<fixed::WideInt> MakeElementwiseKernel<fixed::WideInt>(BuildContext&);

}  // namespace fixnn::emulator
