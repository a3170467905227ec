// Elementwise layers -> firmware/fixnn/fixnn_activation.h, chosen as the emulator chooses
// (src/emulator/activation_kernel.cc): the same kind of computation, constants in the same
// types (param_t of the configuration, or the type hls4ml infers for a slope it inserts),
// tables with the same entries. Flatten and Reshape alias their input (io_parallel: no copy)
// when they keep its type, and cast every element otherwise.
#include <fmt/format.h>

#include <cmath>

#include "backends/hls/layer_emitter.h"
#include "emulator/hls4ml_tables.h"
#include "emulator/hls4ml_weights.h"
#include "passes/precision_rules.h"

namespace fixnn::backends::hls {
namespace {

using fixed::FixedType;
using fixed::FixedValue;

// The config struct every elementwise template reads.
std::string ActivConfig(const EmitContext& ctx, int64_t table_size, int table_range,
                        const std::string& table_t, int64_t max_value) {
  std::string text = fmt::format(
      "// layer '{}' ({})\n"
      "struct {} : fixnn::activ_config {{\n"
      "  static const unsigned n_in = {};\n",
      ctx.node().name,
      ctx.node().source.empty() ? ir::OpName(ctx.node().kind()) : ctx.node().source,
      ctx.Name("config"), ir::NumElements(ctx.Tensor(ctx.In()).shape));
  if (table_size > 0) {
    text += fmt::format(
        "  static const unsigned table_size = {};\n"
        "  static const int table_range = {};\n"
        "  typedef {} table_t;\n",
        table_size, table_range, table_t);
  }
  if (max_value >= 0) text += fmt::format("  static const int max_value = {};\n", max_value);
  return text + "};\n";
}

// "fixnn::<fn><data_T, extra..., res_T, configN>(in, args..., out);"
std::string Call(const EmitContext& ctx, const std::string& fn,
                 const std::vector<std::string>& extra_types,
                 const std::vector<std::string>& args) {
  std::string types = ctx.TypeNameOf(ctx.In());
  for (const std::string& t : extra_types) types += ", " + t;
  types += fmt::format(", {}, {}", ctx.TypeNameOf(ctx.Out()), ctx.Name("config"));
  std::string call_args = ctx.ArrayOf(ctx.In());
  for (const std::string& a : args) call_args += ", " + a;
  return fmt::format("fixnn::{}<{}>({}, {});", fn, types, call_args, ctx.ArrayOf(ctx.Out()));
}

// A constant converted into t as hls4ml's code converts it (a double into t's modes), as a
// typed C++ expression "t(literal)".
Result<std::string> TypedConstant(const EmitContext& ctx, LayerCode& code, double v,
                                  const FixedType& t, const std::string& key) {
  Result<FixedValue> q = fixed::Quantize(v, t);
  if (!q.ok()) return ctx.Fail(q.error().message());
  Result<std::string> text = ctx.Literal(*q, key);
  if (!text.ok()) return text.error();
  const std::string name = ctx.TypedefName(key);
  code.typedefs.push_back({name, t});
  return fmt::format("{}({})", name, *text);
}

Result<LayerCode> Simple(const EmitContext& ctx, const std::string& fn) {
  LayerCode code;
  code.headers.insert("fixnn_activation.h");
  code.config = ActivConfig(ctx, 0, 0, "", -1);
  ctx.AddOutput(code, Call(ctx, fn, {}, {}));
  return code;
}

Result<LayerCode> Threshold(const EmitContext& ctx, double theta, const FixedType& theta_t) {
  LayerCode code;
  code.headers.insert("fixnn_activation.h");
  code.config = ActivConfig(ctx, 0, 0, "", -1);
  Result<std::string> c = TypedConstant(ctx, code, theta, theta_t, "theta");
  if (!c.ok()) return c.error();
  ctx.AddOutput(code, Call(ctx, "relu_threshold", {ctx.TypedefName("theta")}, {*c}));
  return code;
}

Result<LayerCode> Leaky(const EmitContext& ctx, double alpha, const FixedType& param_t) {
  LayerCode code;
  code.headers.insert("fixnn_activation.h");
  code.config = ActivConfig(ctx, 0, 0, "", -1);
  Result<std::string> c = TypedConstant(ctx, code, alpha, param_t, "param");
  if (!c.ok()) return c.error();
  ctx.AddOutput(code, Call(ctx, "leaky_relu", {ctx.TypedefName("param")}, {*c}));
  return code;
}

// The node's "param" type, or the one hls4ml infers for a constant it inserts.
FixedType ParamType(const EmitContext& ctx, double value) {
  auto it = ctx.node().types.find("param");
  return it != ctx.node().types.end() ? it->second : passes::ConstantType(value);
}

// table_t(entries[k]) as a constant array.
Status AddTable(const EmitContext& ctx, LayerCode& code, const std::vector<float>& entries,
                const FixedType& table_t, const std::string& table_name) {
  ConstArray a{ctx.Name("table"),
               table_name,
               fmt::format("layer '{}': activation table, {} entries in {}", ctx.node().name,
                           entries.size(), table_t.ToString()),
               {}};
  a.values.reserve(entries.size());
  for (float f : entries) {
    Result<FixedValue> v = emulator::FloatToFixed(f, table_t);
    if (!v.ok()) return ctx.Fail(v.error().message());
    Result<std::string> text = ctx.Literal(*v, "table entry");
    if (!text.ok()) return text.error();
    a.values.push_back(std::move(text).value());
  }
  code.arrays.push_back(std::move(a));
  return Status::Ok();
}

enum class TableFn { kSigmoid, kTanh, kSoftplus, kSoftsign, kElu, kSelu };

Result<LayerCode> Table(const EmitContext& ctx, TableFn fn, double elu_alpha = 1.0) {
  const int64_t n = ctx.node().settings.table_size;
  Result<FixedType> table_t = ctx.InternalType("table");
  if (!table_t.ok()) return table_t.error();
  std::vector<float> entries;
  switch (fn) {
    case TableFn::kSigmoid:
      entries = emulator::SigmoidTableFloats(n);
      break;
    case TableFn::kTanh:
      entries = emulator::TanhTableFloats(n);
      break;
    case TableFn::kSoftplus:
      entries = emulator::SoftplusTableFloats(n);
      break;
    case TableFn::kSoftsign:
      entries = emulator::SoftsignTableFloats(n);
      break;
    case TableFn::kElu:
      entries = emulator::EluTableFloats(n);
      break;
    case TableFn::kSelu:
      entries = emulator::SeluTableFloats(n);
      break;
  }
  LayerCode code;
  code.headers.insert("fixnn_activation.h");
  const std::string table_name = ctx.TypedefName("table");
  code.typedefs.push_back({table_name, *table_t});
  if (Status st = AddTable(ctx, code, entries, *table_t, table_name); !st.ok()) {
    return st.error();
  }
  code.config = ActivConfig(ctx, n, fn == TableFn::kTanh ? 8 : 16, table_name, -1);
  const std::string table = ctx.Name("table");
  if (fn == TableFn::kElu) {
    Result<std::string> alpha =
        TypedConstant(ctx, code, elu_alpha, ParamType(ctx, elu_alpha), "param");
    if (!alpha.ok()) return alpha.error();
    ctx.AddOutput(code, Call(ctx, "elu", {ctx.TypedefName("param")}, {*alpha, table}));
  } else if (fn == TableFn::kSelu) {
    ctx.AddOutput(code, Call(ctx, "selu", {}, {table}));
  } else {
    ctx.AddOutput(code, Call(ctx, "table_activation", {}, {table}));
  }
  return code;
}

// hard_sigmoid / hard_tanh with slope and shift in their types.
Result<LayerCode> Hard(const EmitContext& ctx, double slope, const FixedType& slope_t, double shift,
                       const FixedType& shift_t, bool tanh) {
  LayerCode code;
  code.headers.insert("fixnn_activation.h");
  code.config = ActivConfig(ctx, 0, 0, "", -1);
  Result<std::string> a = TypedConstant(ctx, code, slope, slope_t, "slope");
  if (!a.ok()) return a.error();
  Result<std::string> b = TypedConstant(ctx, code, shift, shift_t, "shift");
  if (!b.ok()) return b.error();
  ctx.AddOutput(code,
                Call(ctx, "hard_activation", {ctx.TypedefName("slope"), ctx.TypedefName("shift")},
                     {*a, *b, tanh ? "true" : "false"}));
  return code;
}

Result<LayerCode> HardSigmoid(const EmitContext& ctx) {
  auto slope = ctx.node().types.find("slope"), shift = ctx.node().types.find("shift");
  return Hard(ctx, 0.2, slope != ctx.node().types.end() ? slope->second : FixedType::UFixed(16, 0),
              0.5, shift != ctx.node().types.end() ? shift->second : FixedType::UFixed(2, 0),
              false);
}

Result<LayerCode> ReLU(const EmitContext& ctx, const ir::ActivationAttrs& a) {
  const bool layer = ctx.node().source == "ReLU";
  if (a.alpha != 0.0) return Leaky(ctx, a.alpha, ParamType(ctx, a.alpha));
  if (!layer && a.max_value >= 0.0 && std::isfinite(a.max_value)) {
    LayerCode code;
    code.headers.insert("fixnn_activation.h");
    code.config = ActivConfig(ctx, 0, 0, "", static_cast<int64_t>(a.max_value));
    ctx.AddOutput(code, Call(ctx, "relu_max", {}, {}));
    return code;
  }
  return Threshold(ctx, a.threshold, ctx.TypeOf(ctx.In()));
}

Result<LayerCode> Activation(const EmitContext& ctx, const ir::ActivationAttrs& a) {
  switch (a.fn) {
    case ir::ActivationFn::kLinear:
      return Simple(ctx, "linear");
    case ir::ActivationFn::kReLU:
      return ReLU(ctx, a);
    case ir::ActivationFn::kThresholdedReLU: {
      Result<FixedType> param_t = ctx.InternalType("param");
      if (!param_t.ok()) return param_t.error();
      return Threshold(ctx, a.threshold, *param_t);
    }
    case ir::ActivationFn::kLeakyReLU: {
      Result<FixedType> param_t = ctx.InternalType("param");
      if (!param_t.ok()) return param_t.error();
      return Leaky(ctx, a.alpha, *param_t);
    }
    case ir::ActivationFn::kSigmoid:
      return Table(ctx, TableFn::kSigmoid);
    case ir::ActivationFn::kTanh:
      return Table(ctx, TableFn::kTanh);
    case ir::ActivationFn::kSoftplus:
      return Table(ctx, TableFn::kSoftplus);
    case ir::ActivationFn::kSoftsign:
      return Table(ctx, TableFn::kSoftsign);
    case ir::ActivationFn::kELU:
      return Table(ctx, TableFn::kElu, a.alpha);
    case ir::ActivationFn::kSELU:
      return Table(ctx, TableFn::kSelu);
    case ir::ActivationFn::kHardSigmoid:
      return HardSigmoid(ctx);
    default:
      return ctx.NotHandled(fmt::format("the {} activation", ir::ToString(a.fn)));
  }
}

// result_t(v) of the integer v in ap_int<2> (hls4ml's binary / ternary constants), as a literal
// of the result type.
Result<std::string> SignConstant(const EmitContext& ctx, int v) {
  const FixedValue c = fixed::Cast(FixedValue::FromMantissa(FixedType::Int(2), fixed::WideInt(v)),
                                   ctx.TypeOf(ctx.Out()), nullptr);
  Result<std::string> text = ctx.Literal(c, "sign constant");
  if (!text.ok()) return text.error();
  return fmt::format("{}({})", ctx.TypeNameOf(ctx.Out()), *text);
}

// QKeras binary: y = x >= 0 ? 1 : -1 (0 into an ap_uint<1> result, which never takes -1).
Result<LayerCode> Binary(const EmitContext& ctx) {
  const FixedType& yt = ctx.TypeOf(ctx.Out());
  const bool binary_01 = !yt.is_signed && yt.width == 1 && yt.integer == 1 && yt.integer_spelling;
  Result<std::string> plus = SignConstant(ctx, 1);
  Result<std::string> minus = binary_01 ? SignConstant(ctx, 0) : SignConstant(ctx, -1);
  if (!plus.ok()) return plus.error();
  if (!minus.ok()) return minus.error();
  LayerCode code;
  code.headers.insert("fixnn_activation.h");
  code.config = ActivConfig(ctx, 0, 0, "", -1);
  ctx.AddOutput(code, Call(ctx, "binary_tanh", {}, {*plus, *minus}));
  return code;
}

// QKeras ternary(threshold t), as hls4ml's normalize_ternary_tanh: thresholds in x's type,
// floor(t' * 2^F) / 2^F and floor(-t' * 2^F) / 2^F with t' = 0.5 / (0.5 / t), F = x's
// fractional bits, stored through their text; y = x > hi ? 1 : x <= lo ? -1 : 0.
Result<LayerCode> Ternary(const EmitContext& ctx, const ir::Quantizer& q) {
  const FixedType& xt = ctx.TypeOf(ctx.In());
  const double scale = 0.5 / q.threshold;
  const double zero = -0.0 / scale;
  const int f = xt.frac_bits();
  const double hi = std::ldexp(std::floor(std::ldexp(0.5 / scale + zero, f)), -f);
  const double lo = std::ldexp(std::floor(std::ldexp(-0.5 / scale + zero, f)), -f);
  Result<std::vector<fixed::WideInt>> stored =
      emulator::StoreArrayThroughText(std::vector<double>{hi, lo}, xt, nullptr);
  if (!stored.ok()) return ctx.Fail(stored.error().message());
  std::vector<std::string> args;
  for (const fixed::WideInt& m : *stored) {
    Result<std::string> text = ctx.Literal(FixedValue::FromMantissa(xt, m), "threshold");
    if (!text.ok()) return text.error();
    args.push_back(fmt::format("{}({})", ctx.TypeNameOf(ctx.In()), *text));
  }
  for (int v : {1, 0, -1}) {
    Result<std::string> c = SignConstant(ctx, v);
    if (!c.ok()) return c.error();
    args.push_back(*c);
  }
  LayerCode code;
  code.headers.insert("fixnn_activation.h");
  code.config = ActivConfig(ctx, 0, 0, "", -1);
  ctx.AddOutput(code, Call(ctx, "ternary_tanh", {}, args));
  return code;
}

// A QKeras activation quantizer, as the hls4ml layer its converter makes of it.
Result<LayerCode> Quantize(const EmitContext& ctx) {
  const ir::Quantizer& q = *ctx.node().output_quantizer;
  const FixedType half_t = FixedType::UFixed(2, 0);
  switch (q.kind) {
    case ir::QuantizerKind::kFixed:
      return Simple(ctx, "linear");
    case ir::QuantizerKind::kReLU:
      if (q.relu_negative_slope != 0.0) {
        return Leaky(ctx, q.relu_negative_slope, passes::ConstantType(q.relu_negative_slope));
      }
      return Threshold(ctx, 0.0, ctx.TypeOf(ctx.In()));
    case ir::QuantizerKind::kTanh:
      if (!q.sigmoid_hard) return Table(ctx, TableFn::kTanh);
      return Hard(ctx, 0.5, half_t, 0.5, half_t, true);
    case ir::QuantizerKind::kSigmoid:
      if (!q.sigmoid_hard) return Table(ctx, TableFn::kSigmoid);
      return Hard(ctx, 0.5, half_t, 0.5, half_t, false);
    case ir::QuantizerKind::kBinary:
      return Binary(ctx);
    case ir::QuantizerKind::kTernary:
      return Ternary(ctx, q);
    default:
      return ctx.NotHandled(fmt::format("the quantizer '{}'", q.spelling));
  }
}

Result<LayerCode> PReLU(const EmitContext& ctx) {
  const ir::Weight* alpha = ctx.node().FindWeight("alpha");
  if (alpha == nullptr) return ctx.Fail("no 'alpha' weight");
  LayerCode code;
  code.headers.insert("fixnn_activation.h");
  code.config = ActivConfig(ctx, 0, 0, "", -1);
  const std::string alpha_t = ctx.TypedefName("alpha");
  code.typedefs.push_back({alpha_t, *alpha->precision.type});
  Result<std::vector<std::string>> values = ctx.WeightLiterals(*alpha);
  if (!values.ok()) return values.error();
  code.arrays.push_back({ctx.Name("a"), alpha_t,
                         fmt::format("layer '{}': alpha, one per element", ctx.node().name),
                         std::move(values).value()});
  ctx.AddOutput(code, Call(ctx, "prelu", {alpha_t}, {ctx.Name("a")}));
  return code;
}

}  // namespace

Result<LayerCode> EmitElementwise(const EmitContext& ctx) {
  const ir::Node& node = ctx.node();
  if (node.is<ir::FlattenAttrs>() || node.is<ir::ReshapeAttrs>()) {
    // Configured with another type than its input's: every element cast, as a linear
    // activation casts (the emulator's Flatten does the same).
    if (!(ctx.TypeOf(ctx.Out()) == ctx.TypeOf(ctx.In()))) return Simple(ctx, "linear");
    LayerCode code;
    code.typedefs.push_back({ctx.TypeNameOf(ctx.Out()), ctx.TypeOf(ctx.Out())});
    code.body = fmt::format("  // layer '{}' ({}): the same array\n  auto& {} = {};\n", node.name,
                            ir::OpName(node.kind()), ctx.ArrayOf(ctx.Out()), ctx.ArrayOf(ctx.In()));
    return code;
  }
  if (node.is<ir::QuantizeAttrs>()) return Quantize(ctx);
  if (node.is<ir::PReLUAttrs>()) return PReLU(ctx);
  if (node.is<ir::ActivationAttrs>()) return Activation(ctx, node.as<ir::ActivationAttrs>());
  return ctx.NotHandled(std::string(ir::OpName(node.kind())));
}

}  // namespace fixnn::backends::hls
