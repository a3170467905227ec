#include "emulator/recurrent_activation.h"

#include <fmt/format.h>

#include "fixed/fixed_value.h"

namespace fixnn::emulator {
namespace {

using fixed::FixedValue;

enum class Table { kSigmoid, kTanh };

Status SetTable(BuildContext& ctx, CellActSpec& s, Table fn, const FixedType& table_t,
                const std::string& site) {
  s.kind = CellActKind::kTable;
  s.table_size = ctx.node().settings.table_size;
  if (s.table_size < 1 || s.table_size > (int64_t{1} << 24)) {
    return ctx.Fail(fmt::format("table size {} is outside [1, 2^24]", s.table_size));
  }
  const bool tanh = fn == Table::kTanh;
  s.range = tanh ? 8 : 16;
  const std::vector<float> entries =
      tanh ? TanhTableFloats(s.table_size) : SigmoidTableFloats(s.table_size);
  fixed::OverflowCounts counts;
  for (float f : entries) {
    fixed::CastEvents te;
    Result<FixedValue> tv = FloatToFixed(f, table_t, &te);
    if (!tv.ok()) return ctx.Fail(tv.error().message());
    counts.overflow += te.overflow;
    counts.underflow += te.underflow;
    fixed::CastEvents ev;
    s.table.push_back(fixed::Cast(*tv, s.out, &ev).mantissa());
    s.table_out.push_back(ev.overflow ? 1 : ev.underflow ? 2 : 0);
  }
  ctx.AddSetupSite(site + ":table", table_t, s.table_size, counts);
  return Status::Ok();
}

// v = slope * x + shift in the exact sum's type, clipped to [0, 1] (2v - 1 for tanh), into out.
Status SetHard(BuildContext& ctx, CellActSpec& s, const FixedValue& slope, const FixedValue& shift,
               bool tanh, const FixedType& in) {
  Result<FixedType> product = fixed::MulResultType(slope.type(), in);
  if (!product.ok()) return ctx.Fail(product.error().message());
  Result<FixedType> sum = fixed::AddResultType(*product, shift.type());
  if (!sum.ok()) return ctx.Fail(sum.error().message());
  ctx.NoteType(*sum);  // slope, shift and 1 at the sum's LSB fit wherever the sum does
  const int lsb = sum->lsb_exponent();
  s.kind = CellActKind::kHard;
  s.slope = slope.mantissa().ShiftLeft(product->lsb_exponent() - lsb);
  s.shift = shift.mantissa().ShiftLeft(shift.type().lsb_exponent() - lsb);
  s.one = WideInt(1).ShiftLeft(-lsb);
  s.hard_tanh = tanh;
  FixedType from = *sum;
  if (tanh) {  // 2 * v - 1 with int literals, as the feed-forward hard tanh
    Result<FixedType> twice = fixed::MulResultType(FixedType::Int(32), *sum);
    if (!twice.ok()) return ctx.Fail(twice.error().message());
    Result<FixedType> minus_one = fixed::SubResultType(*twice, FixedType::Int(32));
    if (!minus_one.ok()) return ctx.Fail(minus_one.error().message());
    from = *minus_one;
  }
  s.cast = ctx.Plan(from, s.out);
  return Status::Ok();
}

// Slope and shift 0.5 in ap_ufixed<2,0>: QKeras' hard sigmoid, as the feed-forward kernel
// runs hls4ml's HardActivation for quantized_tanh / quantized_sigmoid.
Status SetHalfHard(BuildContext& ctx, CellActSpec& s, bool tanh, const FixedType& in) {
  const FixedValue half = FixedValue::FromMantissa(FixedType::UFixed(2, 0), WideInt(2));
  return SetHard(ctx, s, half, half, tanh, in);
}

// Keras' hard_sigmoid clip(alpha * x + 0.5, 0, 1): alpha in ap_ufixed<16,0> as the
// feed-forward hard_sigmoid stores its slope (0.2 -> 13107/65536), the shift in ap_ufixed<2,0>.
Status SetHardSigmoid(BuildContext& ctx, CellActSpec& s, double alpha, const FixedType& in,
                      const std::string& site, const std::string& which) {
  if (!(alpha > 0.0 && alpha < 1.0)) {
    return ctx.NotHandled(fmt::format(
        "{} hard_sigmoid with slope {} in a recurrent cell (outside (0, 1))", which, alpha));
  }
  const FixedType slope_t = FixedType::UFixed(16, 0);
  fixed::CastEvents ev;
  Result<FixedValue> slope = fixed::Quantize(alpha, slope_t, &ev);
  if (!slope.ok()) return ctx.Fail(slope.error().message());
  ctx.AddSetupSite(site + ":slope", slope_t, 1, {ev.overflow ? 1 : 0, ev.underflow ? 1 : 0});
  const FixedValue half = FixedValue::FromMantissa(FixedType::UFixed(2, 0), WideInt(2));
  return SetHard(ctx, s, *slope, half, false, in);
}

Status SetQuantizer(BuildContext& ctx, CellActSpec& s, const ir::Quantizer& q, const FixedType& in,
                    const FixedType& table_t, const std::string& site, const std::string& which) {
  auto refuse = [&](const std::string& why) {
    return ctx.NotHandled(
        fmt::format("the {} quantizer '{}' in a recurrent cell ({})", which, q.spelling, why));
  };
  if (q.per_element) return refuse("per-element types");
  if (q.has_scale() || q.alpha == ir::AlphaKind::kAuto || q.alpha == ir::AlphaKind::kAutoPo2) {
    return refuse("a scale");
  }
  switch (q.kind) {
    case ir::QuantizerKind::kTanh:
      if (!q.sigmoid_hard) return SetTable(ctx, s, Table::kTanh, table_t, site);
      return SetHalfHard(ctx, s, true, in);
    case ir::QuantizerKind::kSigmoid:
      if (q.symmetric) return refuse("symmetric: its minimum is one LSB, not a cast's 0");
      if (!q.sigmoid_hard) return SetTable(ctx, s, Table::kSigmoid, table_t, site);
      return SetHalfHard(ctx, s, false, in);
    case ir::QuantizerKind::kReLU:
      if (q.relu_negative_slope != 0.0) return refuse("a negative slope");
      if (q.relu_use_sigmoid) return refuse("use_sigmoid");
      s.kind = CellActKind::kReLU;
      s.cast = ctx.Plan(in, s.out);
      return Status::Ok();
    case ir::QuantizerKind::kFixed:
      s.kind = CellActKind::kCast;
      s.cast = ctx.Plan(in, s.out);
      return Status::Ok();
    case ir::QuantizerKind::kPo2:
    case ir::QuantizerKind::kBinary:
    case ir::QuantizerKind::kTernary:
      break;
  }
  return refuse(
      "fixnn's cells take quantized_tanh, quantized_sigmoid, quantized_relu and quantized_bits");
}

}  // namespace

Result<CellActSpec> MakeCellActivation(BuildContext& ctx, const ir::ActivationAttrs& a,
                                       const ir::Quantizer* q, const FixedType& in,
                                       const FixedType& plain_out, const FixedType& table_t,
                                       const std::string& site, int64_t casts,
                                       const std::string& which) {
  CellActSpec s;
  s.out = q != nullptr ? q->type : plain_out;
  s.lsb = in.lsb_exponent();
  ctx.NoteType(s.out);
  s.site = ctx.AddRunSite(site, s.out, casts);
  if (q != nullptr) {
    if (Status st = SetQuantizer(ctx, s, *q, in, table_t, site, which); !st.ok()) {
      return st.error();
    }
    return s;
  }
  Status st;
  switch (a.fn) {
    case ir::ActivationFn::kReLU:
      if (a.alpha != 0.0 || a.max_value >= 0.0 || a.threshold != 0.0) break;
      s.kind = CellActKind::kReLU;
      s.cast = ctx.Plan(in, s.out);
      return s;
    case ir::ActivationFn::kLinear:
      s.kind = CellActKind::kCast;
      s.cast = ctx.Plan(in, s.out);
      return s;
    case ir::ActivationFn::kSigmoid:
    case ir::ActivationFn::kTanh:
      st = SetTable(ctx, s, a.fn == ir::ActivationFn::kTanh ? Table::kTanh : Table::kSigmoid,
                    table_t, site);
      if (!st.ok()) return st.error();
      return s;
    case ir::ActivationFn::kHardSigmoid:
      st = SetHardSigmoid(ctx, s, a.alpha, in, site, which);
      if (!st.ok()) return st.error();
      return s;
    case ir::ActivationFn::kHardTanh:  // clip(x, -1, 1) = 2 * clip(0.5 x + 0.5, 0, 1) - 1
      st = SetHalfHard(ctx, s, true, in);
      if (!st.ok()) return st.error();
      return s;
    default:
      break;
  }
  return ctx.NotHandled(
      fmt::format("{} '{}' in a recurrent cell (fixnn's cells take sigmoid, tanh, relu, linear, "
                  "hard_sigmoid and hard_tanh)",
                  which, ir::ToString(a.fn)));
}

}  // namespace fixnn::emulator
