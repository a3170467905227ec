// Elementwise nodes, as hls4ml's nnet_activation.h computes them (docs/hls4ml-numerics.md,
// section 9), every result assigned to result_t:
//   linear                 y = x
//   relu                   y = x > 0 ? x : 0
//   relu6 / max_value M    y = x < 0 ? 0 : x > M ? M : x        (M an integer)
//   thresholded relu       y = x > theta ? x : 0, theta in param_t (a Keras ReLU layer with a
//                          threshold: the input type, as hls4ml's ThresholdedReLU infers it)
//   leaky relu             y = x > 0 ? x : param_t(alpha) * x
//   prelu                  y = x > 0 ? x : alpha_i * x, one alpha per element in param_t
//   sigmoid, tanh,         y = table[index(x)], the table built in float and cast to table_t,
//   softplus, softsign     index = int(x * N / range) + N / 2 clamped (range 16; tanh 8)
//   elu                    y = x >= 0 ? x : param_t(alpha) * table[min(int(x * N / -8), N-1)]
//   selu                   y = x >= 0 ? ap_ufixed<16,1>(lambda) * x : table[int(x * N / -8)]
//   hard sigmoid           v = slope * x + shift (exact), clipped to [0, 1]; hard tanh: 2v - 1
//   binary tanh            y = x >= 0 ? 1 : -1
//   ternary tanh           y = x > hi ? 1 : x <= lo ? -1 : 0 (thresholds in x's type)
//   Flatten, Reshape       no cast (an alias in io_parallel)
// Quantize nodes (QKeras activation quantizers) run as the hls4ml layer its converter makes of
// them; the quantizer's type reaches the hardware only as the configured result type:
//   quantized_bits -> linear (alpha is dropped: hls4ml ignores it)
//   quantized_relu -> relu (use_sigmoid and the upper bound ignored), with a negative slope
//                     -> leaky relu with param_t the smallest type holding the slope
//   quantized_tanh / quantized_sigmoid -> hard tanh / hard sigmoid with slope 0.5 and shift
//                     0.5 in ap_ufixed<2,0>; use_real_tanh / use_real_sigmoid -> the tables
//   binary -> binary tanh (use_01 ignored); ternary -> hls4ml's normalize_ternary_tanh
//   quantized_po2, quantized_relu_po2: refused (hls4ml does not convert them)
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "emulator/hls4ml_tables.h"
#include "emulator/hls4ml_weights.h"
#include "emulator/kernel.h"
#include "fixed/fixed_value.h"
#include "passes/precision_rules.h"

namespace fixnn::emulator {
namespace {

using fixed::FixedType;
using fixed::FixedValue;
using fixed::WideInt;

enum class Kind {
  kCopy,
  kCast,
  kThreshold,
  kClip,
  kLeaky,
  kPReLU,
  kTable,
  kElu,
  kSelu,
  kHard,
  kBinary,
  kTernary,
};

// Everything an elementwise kernel needs, independent of the number representation.
struct ElementwiseSpec {
  Kind kind = Kind::kCast;
  int in = 0, out = 0;
  int64_t size = 0;
  CastPlan cast;  // x -> result_t (kCast, kThreshold, kClip, kLeaky, kPReLU, kElu, kSelu)
  // x > bound (the bound in x's mantissa units) selects x (kThreshold, kClip's upper bound);
  // kTernary: x > bound gives 1, x <= lower gives -1.
  WideInt bound, lower;
  WideInt clip_value;  // kClip: result_t(M)
  fixed::CastEvents clip_events;
  // kLeaky: param_t(alpha); kSelu: lambda; kPReLU: one per element (alphas).
  WideInt alpha;
  std::vector<WideInt> alphas;
  CastPlan scaled;  // alpha * x (kLeaky, kPReLU), lambda * x (kSelu) -> result_t
  int64_t table_size = 0;
  int table_range = 16;            // kTable: 16 (sigmoid, softplus, softsign) or 8 (tanh)
  int lsb = 0;                     // x's LSB exponent
  std::vector<WideInt> table;      // result_t(table_t(entry)) (kElu: of alpha * entry)
  std::vector<uint8_t> table_out;  // 0, 1: above result_t's range, 2: below
  // kHard: v = slope * x + shift at the exact sum's LSB, clipped to [0, one].
  WideInt slope, shift, one;
  bool hard_tanh = false;
  CastPlan hard;  // the clipped v (or 2v - 1) -> result_t
  // kBinary, kTernary: result_t(1), result_t(0), result_t(-1) with their cast events.
  WideInt plus, zero, minus;
  fixed::CastEvents plus_events, zero_events, minus_events;
  bool binary_01 = false;  // an ap_uint<1> result: -1 is never cast (binary_cast)
  int site = 0;
};

template <class M>
class ElementwiseKernel final : public Kernel<M> {
 public:
  using A = Arith<M>;

  explicit ElementwiseKernel(const ElementwiseSpec& s)
      : s_(s),
        bound_(A::FromWideInt(s.bound)),
        lower_(A::FromWideInt(s.lower)),
        clip_value_(A::FromWideInt(s.clip_value)),
        alpha_(A::FromWideInt(s.alpha)),
        slope_(A::FromWideInt(s.slope)),
        shift_(A::FromWideInt(s.shift)),
        one_(A::FromWideInt(s.one)),
        plus_(A::FromWideInt(s.plus)),
        zero_(A::FromWideInt(s.zero)),
        minus_(A::FromWideInt(s.minus)) {
    for (const WideInt& v : s.table) table_.push_back(A::FromWideInt(v));
    for (const WideInt& v : s.alphas) alphas_.push_back(A::FromWideInt(v));
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
            Count(c, s_.clip_events);
          } else {
            r = A::Cast(A::Widen(v), s_.cast, c);
          }
          break;
        case Kind::kLeaky:
          r = v > zero ? A::Cast(A::Widen(v), s_.cast, c)
                       : A::Cast(A::Mul(alpha_, v), s_.scaled, c);
          break;
        case Kind::kPReLU:
          r = v > zero ? A::Cast(A::Widen(v), s_.cast, c)
                       : A::Cast(A::Mul(alphas_[static_cast<size_t>(i)], v), s_.scaled, c);
          break;
        case Kind::kTable:
          r = Lookup(ActivationTableIndex(A::Widen(v), s_.lsb, s_.table_size, s_.table_range), c);
          break;
        case Kind::kElu:
          r = A::IsNegative(v)
                  ? Lookup(NegativeTableIndex(A::Widen(v), s_.lsb, s_.table_size, false), c)
                  : A::Cast(A::Widen(v), s_.cast, c);
          break;
        case Kind::kSelu:
          r = A::IsNegative(v)
                  ? Lookup(NegativeTableIndex(A::Widen(v), s_.lsb, s_.table_size, true), c)
                  : A::Cast(A::Mul(alpha_, v), s_.scaled, c);
          break;
        case Kind::kHard: {
          auto h = A::Mul(slope_, v) + A::Widen(shift_);
          if (h > A::Widen(one_)) {
            h = A::Widen(one_);
          } else if (h < A::Widen(zero)) {
            h = A::Widen(zero);
          }
          if (s_.hard_tanh) h = h + h - A::Widen(one_);
          r = A::Cast(h, s_.hard, c);
          break;
        }
        case Kind::kBinary:
          if (!A::IsNegative(v)) {
            r = plus_;
            Count(c, s_.plus_events);
          } else if (s_.binary_01) {
            r = zero;
          } else {
            r = minus_;
            Count(c, s_.minus_events);
          }
          break;
        case Kind::kTernary:
          r = v > bound_ ? plus_ : v > lower_ ? zero_ : minus_;
          break;
      }
      y[static_cast<size_t>(i)] = r;
    }
  }

 private:
  static void Count(SiteCounter c, const fixed::CastEvents& e) {
    c[0] += e.overflow ? 1 : 0;
    c[1] += e.underflow ? 1 : 0;
  }

  M Lookup(int64_t k, SiteCounter c) const {
    const auto i = static_cast<size_t>(k);
    if (s_.table_out[i] != 0) ++c[s_.table_out[i] - 1];
    return table_[i];
  }

  ElementwiseSpec s_;
  M bound_, lower_, clip_value_, alpha_, slope_, shift_, one_, plus_, zero_, minus_;
  std::vector<M> table_, alphas_;
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

// The node's "param" type, or the one hls4ml infers for the constant when the configuration
// has none (a ReLU layer or quantized_relu that hls4ml turns into a LeakyReLU).
FixedType ParamType(BuildContext& ctx, double value) {
  auto it = ctx.node().types.find("param");
  return it != ctx.node().types.end() ? it->second : passes::ConstantType(value);
}

// The entries of a table: table_t(entry) (times param_t(alpha) for ELU), then result_t, with
// the table's setup counts and the result casts' out-of-range flags.
Status SetTableEntries(BuildContext& ctx, ElementwiseSpec& s, const std::vector<float>& entries,
                       const FixedType& yt, const FixedValue* alpha) {
  Result<FixedType> table_t = InternalType(ctx, "table");
  if (!table_t.ok()) return table_t.error();
  fixed::OverflowCounts table_counts;
  for (float f : entries) {
    fixed::CastEvents ev;
    Result<FixedValue> t = FloatToFixed(f, *table_t, &ev);
    if (!t.ok()) return ctx.Fail(t.error().message());
    table_counts.overflow += ev.overflow;
    table_counts.underflow += ev.underflow;
    FixedValue v = *t;
    if (alpha != nullptr) {
      Result<FixedValue> p = fixed::Mul(*alpha, v);
      if (!p.ok()) return ctx.Fail(p.error().message());
      v = *p;
    }
    fixed::CastEvents out;
    s.table.push_back(fixed::Cast(v, yt, &out).mantissa());
    s.table_out.push_back(out.overflow ? 1 : out.underflow ? 2 : 0);
  }
  ctx.AddSetupSite("table", *table_t, s.table_size, table_counts);
  return Status::Ok();
}

Status SetTableSize(BuildContext& ctx, ElementwiseSpec& s, const FixedType& xt) {
  s.table_size = ctx.node().settings.table_size;
  if (s.table_size < 1 || s.table_size > (int64_t{1} << 24)) {
    return ctx.Fail(fmt::format("table size {} is outside [1, 2^24]", s.table_size));
  }
  s.lsb = xt.lsb_exponent();
  return Status::Ok();
}

enum class TableFn { kSigmoid, kTanh, kSoftplus, kSoftsign };

Status SetTable(BuildContext& ctx, ElementwiseSpec& s, const FixedType& xt, const FixedType& yt,
                TableFn fn) {
  if (Status st = SetTableSize(ctx, s, xt); !st.ok()) return st;
  s.kind = Kind::kTable;
  s.table_range = fn == TableFn::kTanh ? 8 : 16;
  std::vector<float> entries;
  switch (fn) {
    case TableFn::kSigmoid:
      entries = SigmoidTableFloats(s.table_size);
      break;
    case TableFn::kTanh:
      entries = TanhTableFloats(s.table_size);
      break;
    case TableFn::kSoftplus:
      entries = SoftplusTableFloats(s.table_size);
      break;
    case TableFn::kSoftsign:
      entries = SoftsignTableFloats(s.table_size);
      break;
  }
  return SetTableEntries(ctx, s, entries, yt, nullptr);
}

// ELU: alpha in param_t (Activation('elu'): 1, which any param type holds).
Status SetElu(BuildContext& ctx, ElementwiseSpec& s, double alpha, const FixedType& xt,
              const FixedType& yt) {
  if (Status st = SetTableSize(ctx, s, xt); !st.ok()) return st;
  const FixedType param_t = ParamType(ctx, alpha);
  Result<FixedValue> a = Constant(ctx, alpha, param_t, "param");
  if (!a.ok()) return a.error();
  s.kind = Kind::kElu;
  return SetTableEntries(ctx, s, EluTableFloats(s.table_size), yt, &*a);
}

// SELU: the positive branch multiplies by lambda in ap_ufixed<16,1> (34429/32768).
Status SetSelu(BuildContext& ctx, ElementwiseSpec& s, const FixedType& xt, const FixedType& yt) {
  if (Status st = SetTableSize(ctx, s, xt); !st.ok()) return st;
  const FixedType lambda_t = FixedType::UFixed(16, 1);
  Result<FixedValue> lambda = fixed::Quantize(1.0507009873554805, lambda_t);
  Result<FixedType> product = fixed::MulResultType(lambda_t, xt);
  if (!lambda.ok() || !product.ok()) return ctx.Fail("the SELU scale's type is too wide");
  s.kind = Kind::kSelu;
  s.alpha = lambda->mantissa();
  s.scaled = ctx.Plan(*product, yt);
  return SetTableEntries(ctx, s, SeluTableFloats(s.table_size), yt, nullptr);
}

// hard_sigmoid / hard_tanh: `auto v = slope * x + shift` has the exact sum's type S; the clip
// assigns 1 or 0 to it; hard tanh then computes `2 * v - 1` exactly.
Status SetHard(BuildContext& ctx, ElementwiseSpec& s, const FixedValue& slope,
               const FixedValue& shift, bool tanh, const FixedType& xt, const FixedType& yt) {
  Result<FixedType> product = fixed::MulResultType(slope.type(), xt);
  if (!product.ok()) return ctx.Fail(product.error().message());
  Result<FixedType> sum = fixed::AddResultType(*product, shift.type());
  if (!sum.ok()) return ctx.Fail(sum.error().message());
  ctx.NoteType(*sum);  // slope, shift and 1 at the sum's LSB fit wherever the sum does
  const int lsb = sum->lsb_exponent();
  s.kind = Kind::kHard;
  s.slope = slope.mantissa().ShiftLeft(product->lsb_exponent() - lsb);
  s.shift = shift.mantissa().ShiftLeft(shift.type().lsb_exponent() - lsb);
  s.one = WideInt(1).ShiftLeft(-lsb);
  s.hard_tanh = tanh;
  FixedType from = *sum;
  if (tanh) {
    Result<FixedType> twice = fixed::MulResultType(FixedType::Int(32), *sum);
    if (!twice.ok()) return ctx.Fail(twice.error().message());
    Result<FixedType> minus_one = fixed::SubResultType(*twice, FixedType::Int(32));
    if (!minus_one.ok()) return ctx.Fail(minus_one.error().message());
    from = *minus_one;
  }
  s.hard = ctx.Plan(from, yt);
  return Status::Ok();
}

// Keras' hard_sigmoid through hls4ml: slope 0.2 in ap_ufixed<16,0> (13107/65536) and shift
// 0.5 in ap_ufixed<2,0>, whatever slope the framework uses (Keras 3: 1/6, QKeras: 0.5).
Status SetHardSigmoid(BuildContext& ctx, ElementwiseSpec& s, const ir::ActivationAttrs& a,
                      const FixedType& xt, const FixedType& yt) {
  if (a.alpha == 0.1875) {
    return ctx.Fail(
        "QKeras' smooth_sigmoid: hls4ml 1.3.0 has no nnet::smooth_sigmoid (the generated C++ "
        "does not compile)");
  }
  const ir::Node& node = ctx.node();
  auto slope_it = node.types.find("slope"), shift_it = node.types.find("shift");
  const FixedType slope_t =
      slope_it != node.types.end() ? slope_it->second : FixedType::UFixed(16, 0);
  const FixedType shift_t =
      shift_it != node.types.end() ? shift_it->second : FixedType::UFixed(2, 0);
  Result<FixedValue> slope = Constant(ctx, 0.2, slope_t, "slope");
  Result<FixedValue> shift = Constant(ctx, 0.5, shift_t, "shift");
  if (!slope.ok()) return slope.error();
  if (!shift.ok()) return shift.error();
  return SetHard(ctx, s, *slope, *shift, false, xt, yt);
}

Status SetLeaky(BuildContext& ctx, ElementwiseSpec& s, double alpha, const FixedType& param_t,
                const FixedType& xt, const FixedType& yt) {
  ctx.NoteType(param_t);
  Result<FixedValue> a = Constant(ctx, alpha, param_t, "param");
  if (!a.ok()) return a.error();
  Result<FixedType> product = fixed::MulResultType(param_t, xt);
  if (!product.ok()) return ctx.Fail(product.error().message());
  s.kind = Kind::kLeaky;
  s.alpha = a->mantissa();
  s.scaled = ctx.Plan(*product, yt);
  return Status::Ok();
}

// A Keras ReLU layer as hls4ml's Keras 3 converter takes it: a negative slope makes a
// LeakyReLU, otherwise a ThresholdedReLU whose theta is in the input type; max_value is
// refused by the converter. Activation('relu6') (another source) is relu_max<6>.
Status SetReLU(BuildContext& ctx, ElementwiseSpec& s, const ir::ActivationAttrs& a,
               const FixedType& xt, const FixedType& yt) {
  const bool layer = ctx.node().source == "ReLU";
  if (layer && a.max_value >= 0.0 && std::isfinite(a.max_value)) {
    return ctx.Fail(
        "a ReLU layer with max_value: hls4ml 1.3.0 does not convert it (its Keras 3 converter "
        "asserts max_value is None; its Keras 2 converter drops the cap)");
  }
  if (a.alpha != 0.0) {
    if (!layer) return ctx.NotHandled("ReLU with a negative slope");
    if (a.threshold != 0.0) {
      return ctx.Fail(
          "a ReLU layer with both a threshold and a negative slope: hls4ml 1.3.0 does not "
          "convert it");
    }
    return SetLeaky(ctx, s, a.alpha, ParamType(ctx, a.alpha), xt, yt);
  }
  if (a.max_value >= 0.0 && std::isfinite(a.max_value)) {
    if (a.threshold != 0.0) return ctx.NotHandled("ReLU with both a threshold and max_value");
    if (a.max_value != std::floor(a.max_value) || a.max_value > 2147483647.0) {
      return ctx.NotHandled(
          fmt::format("ReLU with a max_value of {} (hls4ml's relu_max takes an int)", a.max_value));
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
  Result<FixedValue> theta = Constant(ctx, a.threshold, xt, "param");
  if (!theta.ok()) return theta.error();
  s.bound = CompareBound(*theta, xt);
  return Status::Ok();
}

Status SetActivation(BuildContext& ctx, ElementwiseSpec& s, const ir::ActivationAttrs& a,
                     const FixedType& xt, const FixedType& yt) {
  if (ctx.node().source == "QActivation") {
    return ctx.Fail(fmt::format(
        "QActivation('{}'): hls4ml 1.3.0 converts only QKeras quantizers in a QActivation "
        "('Unsupported QKeras activation')",
        ir::ToString(a.fn)));
  }
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
      return SetLeaky(ctx, s, a.alpha, *param_t, xt, yt);
    }
    case ir::ActivationFn::kSigmoid:
      return SetTable(ctx, s, xt, yt, TableFn::kSigmoid);
    case ir::ActivationFn::kTanh:
      return SetTable(ctx, s, xt, yt, TableFn::kTanh);
    case ir::ActivationFn::kSoftplus:
      return SetTable(ctx, s, xt, yt, TableFn::kSoftplus);
    case ir::ActivationFn::kSoftsign:
      return SetTable(ctx, s, xt, yt, TableFn::kSoftsign);
    case ir::ActivationFn::kELU:
      return SetElu(ctx, s, a.alpha, xt, yt);
    case ir::ActivationFn::kSELU:
      return SetSelu(ctx, s, xt, yt);
    case ir::ActivationFn::kHardSigmoid:
      return SetHardSigmoid(ctx, s, a, xt, yt);
    case ir::ActivationFn::kHardTanh:
      return ctx.Fail(
          "the hard_tanh activation: hls4ml 1.3.0 emits nnet::hard_tanh without its slope and "
          "shift constants (the generated C++ does not compile)");
    case ir::ActivationFn::kSwish:
    case ir::ActivationFn::kGELU:
    case ir::ActivationFn::kHardSilu:
    case ir::ActivationFn::kMish:
    case ir::ActivationFn::kExponential:
      return ctx.Fail(
          fmt::format("the {} activation: hls4ml 1.3.0 has no such nnet:: function (the "
                      "generated C++ does not compile)",
                      ir::ToString(a.fn)));
    case ir::ActivationFn::kSoftmax:
      return ctx.Fail("softmax is not an elementwise activation");
  }
  return ctx.NotHandled(fmt::format("the {} activation", ir::ToString(a.fn)));
}

// The weights' values as hls4ml stores them: the decimal round trip into the weight's type.
Result<std::vector<WideInt>> StoredWeight(BuildContext& ctx, const ir::Weight& w) {
  if (!w.precision.type) {
    if (w.precision.per_element) return ctx.NotHandled("per-element weight types");
    return ctx.Fail(fmt::format("weight '{}' has no type; run passes::Configure first", w.name));
  }
  if (w.quantizer) return ctx.NotHandled(fmt::format("a quantizer on weight '{}'", w.name));
  const FixedType& t = *w.precision.type;
  ctx.NoteType(t);
  fixed::OverflowCounts counts;
  Result<std::vector<WideInt>> stored = StoreArrayThroughText(w.values, t, &counts);
  if (!stored.ok()) {
    return ctx.Fail(fmt::format("weight '{}': {}", w.name, stored.error().message()));
  }
  ctx.AddSetupSite("weight:" + w.name, t, static_cast<int64_t>(w.values.size()), counts);
  return stored;
}

// PReLU: hls4ml passes the alpha array as it is, one entry per element; with shared axes the
// array is shorter than the input and hls4ml reads past its end.
Status SetPReLU(BuildContext& ctx, ElementwiseSpec& s, const FixedType& xt, const FixedType& yt) {
  const ir::Node& node = ctx.node();
  const ir::Weight* alpha = node.FindWeight("alpha");
  if (alpha == nullptr) return ctx.Fail("no 'alpha' weight");
  if (static_cast<int64_t>(alpha->values.size()) != s.size) {
    return ctx.Fail(fmt::format(
        "PReLU with shared_axes (alpha of shape {} for {} elements): hls4ml indexes alpha per "
        "element and reads past its end (its Keras 2 converter refuses shared_axes)",
        ir::ToString(alpha->shape), s.size));
  }
  Result<std::vector<WideInt>> a = StoredWeight(ctx, *alpha);
  if (!a.ok()) return a.error();
  Result<FixedType> product = fixed::MulResultType(*alpha->precision.type, xt);
  if (!product.ok()) return ctx.Fail(product.error().message());
  s.kind = Kind::kPReLU;
  s.alphas = std::move(a).value();
  s.scaled = ctx.Plan(*product, yt);
  return Status::Ok();
}

// result_t(1), result_t(0), result_t(-1) from an integer of `from_t`: the constants of binary
// tanh (an ap_int<2> cache) and ternary tanh (int literals).
void SetSignConstants(ElementwiseSpec& s, const FixedType& from_t, const FixedType& yt) {
  auto cast = [&](int v, fixed::CastEvents* ev) {
    return fixed::Cast(FixedValue::FromMantissa(from_t, WideInt(v)), yt, ev).mantissa();
  };
  s.plus = cast(1, &s.plus_events);
  s.zero = cast(0, &s.zero_events);
  s.minus = cast(-1, &s.minus_events);
}

// Whether hls4ml fuses a binary / ternary activation with the layer before it: a batch
// normalization (or ApplyAlpha) becomes BatchNormalizationQuantizedTanh; for ternary, the
// scaling layer it inserts folds into a preceding Dense or convolution.
bool FusedWithProducer(BuildContext& ctx, bool ternary) {
  const ir::Node* p = ctx.graph().Producer(ctx.node().inputs[0]);
  if (p == nullptr) return false;
  if (p->is<ir::BatchNormAttrs>() || p->is<ir::ScaleAttrs>()) return true;
  return ternary && (p->is<ir::DenseAttrs>() || p->is<ir::ConvAttrs>() ||
                     p->is<ir::DepthwiseConvAttrs>() || p->is<ir::SeparableConvAttrs>());
}

// QKeras ternary(threshold t): hls4ml scales the input by 0.5 / t in an inserted batch
// normalization and merges it with the ternary tanh into normalize_ternary_tanh, which
// compares x with thresholds in x's own type: floor(t' * 2^F) / 2^F and floor(-t' * 2^F) / 2^F,
// t' = 0.5 / (0.5 / t) in double, F = x's fractional bits, stored through their text:
//   y = x > hi ? 1 : x <= lo ? -1 : 0, as ap_int<2>.
// With t = 0.5 nothing is inserted, and the TernaryTanh layer emits no code at all.
Status SetTernary(BuildContext& ctx, ElementwiseSpec& s, const ir::Quantizer& q,
                  const FixedType& xt, const FixedType& yt) {
  if (q.threshold == 0.5) {
    return ctx.Fail(
        "ternary with threshold 0.5: hls4ml 1.3.0 emits no code for its TernaryTanh layer, so "
        "the layer's output is never written");
  }
  if (FusedWithProducer(ctx, true)) {
    return ctx.NotHandled(
        "ternary after a Dense, convolution or batch normalization (hls4ml folds its scaling "
        "layer into that layer or merges them)");
  }
  const double scale = 0.5 / q.threshold;
  const double zero = -0.0 / scale;
  const int f = xt.frac_bits();
  const double hi = std::ldexp(std::floor(std::ldexp(0.5 / scale + zero, f)), -f);
  const double lo = std::ldexp(std::floor(std::ldexp(-0.5 / scale + zero, f)), -f);
  fixed::OverflowCounts counts;
  Result<std::vector<WideInt>> stored =
      StoreArrayThroughText(std::vector<double>{hi, lo}, xt, &counts);
  if (!stored.ok()) return ctx.Fail(stored.error().message());
  ctx.AddSetupSite("threshold", xt, 2, counts);
  s.kind = Kind::kTernary;
  s.bound = (*stored)[0];
  s.lower = (*stored)[1];
  SetSignConstants(s, FixedType::Int(2), yt);
  for (const fixed::CastEvents* e : {&s.plus_events, &s.zero_events, &s.minus_events}) {
    if (e->inexact || e->out_of_range()) {
      return ctx.Fail(fmt::format(
          "ternary into {}: hls4ml's output is ap_int<2> whatever the configured result type, "
          "and {} does not hold -1, 0 and 1",
          yt.ToString(), yt.ToString()));
    }
  }
  return Status::Ok();
}

// A QKeras activation quantizer, as the hls4ml layer its converter makes of it.
Status SetQuantize(BuildContext& ctx, ElementwiseSpec& s, const FixedType& xt,
                   const FixedType& yt) {
  const ir::Node& node = ctx.node();
  if (!node.output_quantizer) return ctx.Fail("a Quantize node without a quantizer");
  const ir::Quantizer& q = *node.output_quantizer;
  if (q.per_element) return ctx.NotHandled(fmt::format("the quantizer '{}'", q.spelling));
  const FixedType half_t = FixedType::UFixed(2, 0);
  const FixedValue half = FixedValue::FromMantissa(half_t, WideInt(2));
  switch (q.kind) {
    case ir::QuantizerKind::kFixed:
      s.kind = Kind::kCast;
      return Status::Ok();
    case ir::QuantizerKind::kReLU:
      if (q.relu_negative_slope != 0.0) {
        return SetLeaky(ctx, s, q.relu_negative_slope, passes::ConstantType(q.relu_negative_slope),
                        xt, yt);
      }
      s.kind = Kind::kThreshold;
      s.bound = WideInt(0);
      return Status::Ok();
    case ir::QuantizerKind::kTanh:
      if (!q.sigmoid_hard) return SetTable(ctx, s, xt, yt, TableFn::kTanh);
      return SetHard(ctx, s, half, half, true, xt, yt);
    case ir::QuantizerKind::kSigmoid:
      if (!q.sigmoid_hard) return SetTable(ctx, s, xt, yt, TableFn::kSigmoid);
      return SetHard(ctx, s, half, half, false, xt, yt);
    case ir::QuantizerKind::kBinary:
      if (FusedWithProducer(ctx, false)) {
        return ctx.NotHandled(
            "binary after a batch normalization (hls4ml merges them into "
            "BatchNormalizationQuantizedTanh)");
      }
      s.kind = Kind::kBinary;
      s.binary_01 = !yt.is_signed && yt.width == 1 && yt.integer == 1 && yt.integer_spelling;
      SetSignConstants(s, FixedType::Int(2), yt);
      return Status::Ok();
    case ir::QuantizerKind::kTernary:
      return SetTernary(ctx, s, q, xt, yt);
    case ir::QuantizerKind::kPo2:
      return ctx.Fail(fmt::format(
          "the quantizer '{}': hls4ml 1.3.0 does not convert quantized_po2 / quantized_relu_po2 "
          "activations ('Unsupported QKeras activation')",
          q.spelling));
  }
  return ctx.NotHandled(fmt::format("the quantizer '{}'", q.spelling));
}

bool CastsToResult(Kind k) {
  return k == Kind::kCast || k == Kind::kThreshold || k == Kind::kClip || k == Kind::kLeaky ||
         k == Kind::kPReLU || k == Kind::kElu;
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
    st = SetQuantize(ctx, s, x.type, y.type);
  } else if (node.output_quantizer) {
    return ctx.NotHandled(fmt::format("an output quantizer on {}", ir::OpName(node.kind())));
  } else if (node.is<ir::ActivationAttrs>()) {
    st = SetActivation(ctx, s, node.as<ir::ActivationAttrs>(), x.type, y.type);
  } else if (node.is<ir::PReLUAttrs>()) {
    st = SetPReLU(ctx, s, x.type, y.type);
  } else if (node.is<ir::FlattenAttrs>() || node.is<ir::ReshapeAttrs>()) {
    // A configured type other than the input's is a cast of every element (hls4ml's
    // io_parallel code keeps the input's type instead: ConfigureOptions::Hls4ml).
    s.kind = x.type == y.type ? Kind::kCopy : Kind::kCast;
  } else {
    return ctx.NotHandled(std::string(ir::OpName(node.kind())));
  }
  if (!st.ok()) return st.error();
  if (CastsToResult(s.kind)) s.cast = ctx.Plan(x.type, y.type);
  if (s.kind != Kind::kCopy) s.site = ctx.AddRunSite("result", y.type, s.size);
  return std::unique_ptr<Kernel<M>>(new ElementwiseKernel<M>(s));
}

template KernelResult<std::int64_t> MakeElementwiseKernel<std::int64_t>(BuildContext&);
template KernelResult<fixed::WideInt> MakeElementwiseKernel<fixed::WideInt>(BuildContext&);

}  // namespace fixnn::emulator
