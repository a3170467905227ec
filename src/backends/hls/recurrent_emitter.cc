// LSTM, GRU, SimpleRNN and Bidirectional -> firmware/fixnn/fixnn_recurrent.h, as the emulator
// computes them (src/emulator/recurrent_kernel.cc): the weights stored as the emulator stores
// them (a GRU's recurrent bias, row 1 of its bias, in the recurrent bias type), the products
// summed in the order of the layer's strategy with the reuse factor of x W and the recurrent
// one of h U, sigmoid and tanh tables built as for activations, the state in the node's
// "state" type. Each direction is a config struct and one call writing its rows of h; the
// rows are then cast into the result (and the state outputs of return_state), or merged.
// LayerSettings::static_state picks the cells keeping their state in static arrays.
//
// io_stream: the writer's buffered form (the whole sequence read into an array, the
// io_parallel code, the outputs written back as packets: one per step, or one).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

#include "backends/hls/layer_emitter.h"
#include "emulator/hls4ml_tables.h"
#include "passes/cell_kernel_weights.h"

namespace fixnn::backends::hls {
namespace {

using fixed::FixedType;
using fixed::FixedValue;

enum class TableFn { kNone, kSigmoid, kTanh };

// One activation of a cell as the emulator computes it (src/emulator/recurrent_activation.h):
// the computation (a fixnn::act_* tag, or a struct derived from fixnn::act_hard), the type its
// values are held in, and the table it reads.
struct CellAct {
  std::string tag;   // "fixnn::act_tanh"; empty: `hard` holds the struct's members
  std::string hard;  // the members of a hard activation's struct
  FixedType out;     // Pa / Pr
  TableFn table = TableFn::kNone;
};

// The layer's activation tables, shared by both directions: one per function used, and a
// one-entry placeholder for a cell argument whose activation reads none.
class Tables {
 public:
  Tables(const EmitContext& ctx, LayerCode& code, const FixedType& table_t)
      : ctx_(ctx), code_(code), table_t_(table_t) {}

  // The table argument of `fn`.
  Result<std::string> For(TableFn fn) {
    const int64_t n = ctx_.node().settings.table_size;
    switch (fn) {
      case TableFn::kSigmoid:
        return Add("sigmoid_table", emulator::SigmoidTableFloats(n), "sigmoid");
      case TableFn::kTanh:
        return Add("tanh_table", emulator::TanhTableFloats(n), "tanh");
      case TableFn::kNone:
        break;
    }
    return Add("no_table", {}, "");
  }

 private:
  Result<std::string> Add(const std::string& stem, const std::vector<float>& entries,
                          const std::string& fn) {
    const std::string name = ctx_.Name(stem);
    if (!made_.insert(name).second) return name;
    ConstArray a{name, ctx_.TypedefName("table"), "", {}};
    if (entries.empty()) {
      a.comment = fmt::format(
          "layer '{}': the table argument of an activation that reads none (a placeholder)",
          ctx_.node().name);
      a.values = {"0"};
    } else {
      a.comment = fmt::format("layer '{}': {} table, {} entries in {}", ctx_.node().name, fn,
                              entries.size(), table_t_.ToString());
      for (float f : entries) {
        Result<FixedValue> v = emulator::FloatToFixed(f, table_t_);
        if (!v.ok()) return ctx_.Fail(v.error().message());
        Result<std::string> text = ctx_.Literal(*v, "table entry");
        if (!text.ok()) return text.error();
        a.values.push_back(std::move(text).value());
      }
    }
    code_.arrays.push_back(std::move(a));
    return name;
  }

  const EmitContext& ctx_;
  LayerCode& code_;
  FixedType table_t_;
  std::set<std::string> made_;
};

// A quantizer as a short name for messages: "quantized_tanh (ap_fixed<8,1>)".
std::string QuantizerName(const ir::Quantizer& q) {
  const char* kind = "quantizer";
  switch (q.kind) {
    case ir::QuantizerKind::kFixed:
      kind = "quantized_bits";
      break;
    case ir::QuantizerKind::kReLU:
      kind = "quantized_relu";
      break;
    case ir::QuantizerKind::kPo2:
      kind = "quantized_po2";
      break;
    case ir::QuantizerKind::kBinary:
      kind = "binary";
      break;
    case ir::QuantizerKind::kTernary:
      kind = "ternary";
      break;
    case ir::QuantizerKind::kTanh:
      kind = "quantized_tanh";
      break;
    case ir::QuantizerKind::kSigmoid:
      kind = "quantized_sigmoid";
      break;
  }
  return fmt::format("{} ({})", kind, q.type.ToString());
}

// The members of a hard activation's struct: v = slope * x + shift, clipped to [0, 1], 2v - 1
// for tanh; slope and shift in their types (typedefs <key>_slope, <key>_shift).
Result<std::string> HardMembers(const EmitContext& ctx, LayerCode& code, const std::string& key,
                                double slope, const FixedType& slope_t, bool tanh) {
  const FixedType shift_t = FixedType::UFixed(2, 0);
  Result<FixedValue> a = fixed::Quantize(slope, slope_t);
  Result<FixedValue> b = fixed::Quantize(0.5, shift_t);
  if (!a.ok() || !b.ok()) return ctx.Fail("a hard activation's slope does not convert");
  Result<std::string> a_text = ctx.Literal(*a, "slope");
  Result<std::string> b_text = ctx.Literal(*b, "shift");
  if (!a_text.ok()) return a_text.error();
  if (!b_text.ok()) return b_text.error();
  const std::string slope_name = ctx.TypedefName(key + "_slope");
  const std::string shift_name = ctx.TypedefName(key + "_shift");
  code.typedefs.push_back({slope_name, slope_t});
  code.typedefs.push_back({shift_name, shift_t});
  return fmt::format(
      "    typedef {} slope_t;\n"
      "    typedef {} shift_t;\n"
      "    static const bool tanh = {};\n"
      "    static slope_t slope() {{ return {}; }}\n"
      "    static shift_t shift() {{ return {}; }}\n",
      slope_name, shift_name, tanh ? "true" : "false", *a_text, *b_text);
}

// Activation `a`, or the QKeras quantizer `q` replacing it, into `plain_out` (q's type when q
// is given); `key` names its typedefs, `which` it in messages.
Result<CellAct> MakeCellAct(const EmitContext& ctx, LayerCode& code, const ir::ActivationAttrs& a,
                            const ir::Quantizer* q, const FixedType& plain_out,
                            const std::string& key, const std::string& which) {
  CellAct c;
  c.out = q != nullptr ? q->type : plain_out;
  const FixedType half = FixedType::UFixed(2, 0);
  auto hard = [&](double slope, const FixedType& slope_t, bool tanh) -> Result<CellAct> {
    Result<std::string> members = HardMembers(ctx, code, key, slope, slope_t, tanh);
    if (!members.ok()) return members.error();
    c.hard = *members;
    return c;
  };
  auto table = [&](TableFn fn) {
    c.tag = fn == TableFn::kTanh ? "fixnn::act_tanh" : "fixnn::act_sigmoid";
    c.table = fn;
    return c;
  };
  if (q != nullptr) {
    auto refuse = [&](const std::string& why) {
      return ctx.NotHandled(fmt::format("the {} quantizer {} in a recurrent cell ({})", which,
                                        QuantizerName(*q), why));
    };
    if (q->per_element) return refuse("per-element types");
    if (q->has_scale() || q->alpha == ir::AlphaKind::kAuto || q->alpha == ir::AlphaKind::kAutoPo2) {
      return refuse("a scale");
    }
    switch (q->kind) {
      case ir::QuantizerKind::kTanh:
        return q->sigmoid_hard ? hard(0.5, half, true) : table(TableFn::kTanh);
      case ir::QuantizerKind::kSigmoid:
        if (q->symmetric) return refuse("symmetric");
        return q->sigmoid_hard ? hard(0.5, half, false) : table(TableFn::kSigmoid);
      case ir::QuantizerKind::kReLU:
        if (q->relu_negative_slope != 0.0 || q->relu_use_sigmoid) {
          return refuse("a negative slope or use_sigmoid");
        }
        c.tag = "fixnn::act_relu";
        return c;
      case ir::QuantizerKind::kFixed:
        c.tag = "fixnn::act_linear";
        return c;
      default:
        return refuse("not a quantized_tanh, quantized_sigmoid, quantized_relu or quantized_bits");
    }
  }
  switch (a.fn) {
    case ir::ActivationFn::kSigmoid:
      return table(TableFn::kSigmoid);
    case ir::ActivationFn::kTanh:
      return table(TableFn::kTanh);
    case ir::ActivationFn::kReLU:
      if (a.alpha != 0.0 || a.max_value >= 0.0 || a.threshold != 0.0) break;
      c.tag = "fixnn::act_relu";
      return c;
    case ir::ActivationFn::kLinear:
      c.tag = "fixnn::act_linear";
      return c;
    case ir::ActivationFn::kHardSigmoid:
      if (!(a.alpha > 0.0 && a.alpha < 1.0)) break;
      return hard(a.alpha, FixedType::UFixed(16, 0), false);
    case ir::ActivationFn::kHardTanh:
      return hard(0.5, half, true);
    default:
      break;
  }
  return ctx.NotHandled(fmt::format("{} '{}' in a recurrent cell", which, ir::ToString(a.fn)));
}

// The config's members for activation `name` ("activation", "recurrent_activation"): the tag
// or the hard activation's struct, and the value type.
std::string ActMembers(const CellAct& act, const std::string& name, const std::string& type_name) {
  std::string text =
      act.hard.empty() ? fmt::format("  typedef {} {};\n", act.tag, name)
                       : fmt::format("  struct {} : fixnn::act_hard {{\n{}  }};\n", name, act.hard);
  return text + fmt::format("  typedef {} {}_t;\n", type_name, name);
}

// A kernel's values as the emulator stores them in a cell, and their type
// (passes::CellKernelAsStored: a QKeras power-of-two alpha kept inside the values).
Result<std::pair<std::vector<std::string>, FixedType>> CellWeightLiterals(const EmitContext& ctx,
                                                                          const ir::Weight& w) {
  Result<ir::Weight> stored = passes::CellKernelAsStored(w);
  if (!stored.ok()) return ctx.NotHandled(stored.error().message());
  Result<std::vector<std::string>> v = ctx.WeightLiterals(*stored);
  if (!v.ok()) return v.error();
  return std::pair{std::move(v).value(), *stored->precision.type};
}

struct LayerTypes {
  FixedType accum, state, table;
};

// One direction: weights <prefix>kernel, <prefix>recurrent_kernel, <prefix>bias; C names with
// `suffix` ("", "_forward", "_backward").
struct Direction {
  const ir::RecurrentAttrs* a = nullptr;
  std::string prefix, suffix, label;
  int64_t rf = 1, recurrent_rf = 1;
  bool time_order = false;
};

class CellEmitter {
 public:
  CellEmitter(const EmitContext& ctx, LayerCode& code, const LayerTypes& ty, Tables& tables,
              int64_t steps, int64_t n_in)
      : ctx_(ctx), code_(code), ty_(ty), tables_(tables), steps_(steps), n_in_(n_in) {}

  // The config struct and the call writing the direction's rows into array `rows` (and, for an
  // LSTM, the last cell state into `c_last`).
  Result<std::string> Emit(const Direction& d, const std::string& rows, const std::string& c_last);

 private:
  std::string ArrayName(const std::string& stem, const Direction& d) const {
    return ctx_.Name(stem) + d.suffix;
  }
  // Array `name` of type `type` (typedef `type_name`) holding `values`.
  void AddArray(const std::string& name, const std::string& type_name, const FixedType& type,
                const std::string& comment, std::vector<std::string> values) {
    code_.typedefs.push_back({type_name, type});
    code_.arrays.push_back({name, type_name, comment, std::move(values)});
  }
  // "struct <name> : fixnn::dense_config {...};" nested in the direction's config.
  std::string DenseConfig(const std::string& name, int64_t in, int64_t out, int64_t rf,
                          const std::string& weight_t, const std::string& bias_t) const;

  const EmitContext& ctx_;
  LayerCode& code_;
  const LayerTypes& ty_;
  Tables& tables_;
  int64_t steps_, n_in_;
};

std::string CellEmitter::DenseConfig(const std::string& name, int64_t in, int64_t out, int64_t rf,
                                     const std::string& weight_t, const std::string& bias_t) const {
  const bool latency = ctx_.node().settings.strategy == ir::Strategy::kLatency;
  return fmt::format(
      "  struct {} : fixnn::dense_config {{\n"
      "    static const unsigned n_in = {};\n"
      "    static const unsigned n_out = {};\n"
      "    static const unsigned reuse_factor = {};\n"
      "    static const unsigned strategy = fixnn::{};\n"
      "    typedef {} accum_t;\n"
      "    typedef {} weight_t;\n"
      "    typedef {} bias_t;\n"
      "  }};\n",
      name, in, out, rf, latency ? "latency" : "resource", ctx_.TypedefName("accum"), weight_t,
      bias_t);
}

Result<std::string> CellEmitter::Emit(const Direction& d, const std::string& rows,
                                      const std::string& c_last) {
  const ir::RecurrentAttrs& a = *d.a;
  const ir::Node& node = ctx_.node();
  const bool lstm = a.cell == ir::RecurrentCell::kLSTM;
  const bool gru = a.cell == ir::RecurrentCell::kGRU;
  const bool simple = a.cell == ir::RecurrentCell::kSimpleRNN;
  const int64_t n = a.units, gates = lstm ? 4 : gru ? 3 : 1, gn = gates * n;
  const ir::Weight* kernel = node.FindWeight(d.prefix + "kernel");
  const ir::Weight* rkernel = node.FindWeight(d.prefix + "recurrent_kernel");
  const ir::Weight* bias = a.use_bias ? node.FindWeight(d.prefix + "bias") : nullptr;
  const bool two_rows = gru && a.reset_after;
  if (kernel == nullptr || rkernel == nullptr || (a.use_bias && bias == nullptr) ||
      !kernel->precision.type || !rkernel->precision.type ||
      (bias != nullptr && !bias->precision.type) || ir::NumElements(kernel->shape) != n_in_ * gn ||
      ir::NumElements(rkernel->shape) != n * gn ||
      (bias != nullptr && ir::NumElements(bias->shape) != (two_rows ? 2 * gn : gn))) {
    return ctx_.Fail(fmt::format(
        "expected weights {0}kernel [{1}, {2}], {0}recurrent_kernel [{3}, {2}] and {0}bias",
        d.prefix, n_in_, gn, n));
  }
  const std::string where = fmt::format("layer '{}'{}", node.name, d.label);

  // The activations, each into the type its values are held in: Pr (ract), Pa (act, and an
  // LSTM's act(c)); A without quantizers (a SimpleRNN's act: S).
  const ir::Quantizer* act_q = a.activation_quantizer ? &*a.activation_quantizer : nullptr;
  const ir::Quantizer* ract_q =
      a.recurrent_activation_quantizer ? &*a.recurrent_activation_quantizer : nullptr;
  Result<CellAct> act =
      MakeCellAct(ctx_, code_, a.activation, act_q, simple ? ty_.state : ty_.accum,
                  d.prefix + "activation", "activation");
  if (!act.ok()) return act.error();
  CellAct ract;  // a SimpleRNN has none
  if (!simple) {
    Result<CellAct> r = MakeCellAct(ctx_, code_, a.recurrent_activation, ract_q, ty_.accum,
                                    d.prefix + "recurrent_activation", "recurrent_activation");
    if (!r.ok()) return r.error();
    ract = std::move(r).value();
  }
  if (gru && -ract.out.lsb_exponent() < 0) {
    return ctx_.NotHandled(fmt::format("{} in a GRU (its LSB is above 1)", ract.out.ToString()));
  }
  const std::string act_t = ctx_.TypedefName(d.prefix + "activation");
  const std::string ract_t = ctx_.TypedefName(d.prefix + "recurrent_activation");
  code_.typedefs.push_back({act_t, act->out});
  if (!simple) code_.typedefs.push_back({ract_t, ract.out});
  Result<std::string> act_table = tables_.For(act->table);
  if (!act_table.ok()) return act_table.error();
  std::string ract_table;  // a SimpleRNN has none
  if (!simple) {
    Result<std::string> t = tables_.For(ract.table);
    if (!t.ok()) return t.error();
    ract_table = *t;
  }

  // x W + b.
  const std::string weight_t = ctx_.TypedefName(d.prefix + "weight");
  const std::string bias_t = ctx_.TypedefName(d.prefix + "bias");
  auto w = CellWeightLiterals(ctx_, *kernel);
  if (!w.ok()) return w.error();
  const std::string w_name = ArrayName("w", d);
  AddArray(w_name, weight_t, w->second, fmt::format("{}: kernel [{}, {}]", where, n_in_, gn),
           w->first);
  const std::string b_name = ArrayName("b", d);
  std::string rbias_t = ctx_.TypedefName(d.prefix + "recurrent_bias");
  std::string br_name;
  if (bias != nullptr) {
    ir::Weight row0 = *bias;
    row0.values.resize(static_cast<size_t>(gn));
    row0.shape = {gn};
    Result<std::vector<std::string>> b = ctx_.WeightLiterals(row0);
    if (!b.ok()) return b.error();
    AddArray(b_name, bias_t, *bias->precision.type, fmt::format("{}: bias [{}]", where, gn), *b);
    if (two_rows) {
      // Row 1, the recurrent bias, stored in its own type as the emulator stores it.
      Result<FixedType> rt = ctx_.InternalType(d.prefix + "recurrent_bias");
      if (!rt.ok()) return rt.error();
      ir::Weight row1 = *bias;
      row1.name = d.prefix + "recurrent_bias";
      row1.values.assign(bias->values.begin() + gn, bias->values.end());
      row1.shape = {gn};
      row1.precision = {};
      row1.precision.type = *rt;
      Result<std::vector<std::string>> rb = ctx_.WeightLiterals(row1);
      if (!rb.ok()) return rb.error();
      br_name = ArrayName("br", d);
      AddArray(br_name, rbias_t, *rt,
               fmt::format("{}: recurrent bias [{}] (row 1 of the bias)", where, gn), *rb);
    }
  } else {
    AddArray(b_name, bias_t, FixedType::UInt(1), fmt::format("{}: no bias (zeros)", where),
             std::vector<std::string>(static_cast<size_t>(gn), "0"));
  }
  if (two_rows && br_name.empty()) {
    br_name = ArrayName("br", d);
    AddArray(br_name, rbias_t, FixedType::UInt(1),
             fmt::format("{}: no recurrent bias (zeros)", where),
             std::vector<std::string>(static_cast<size_t>(gn), "0"));
  }
  const std::string zero_t = ctx_.TypedefName("zero");
  code_.typedefs.push_back({zero_t, FixedType::UInt(1)});
  if (!two_rows) rbias_t = zero_t;

  // h U (+ b_r); a GRU with reset_before: its z, r columns, and (r * h) U_h.
  const std::string rweight_t = ctx_.TypedefName(d.prefix + "recurrent_weight");
  auto u = CellWeightLiterals(ctx_, *rkernel);
  if (!u.ok()) return u.error();
  const std::string u_name = ArrayName("wr", d), uh_name = ArrayName("wrh", d);
  const bool reset_before = gru && !a.reset_after;
  const int64_t rrows = reset_before ? 2 * n : gn;
  if (reset_before) {
    std::vector<std::string> zr, h;
    for (int64_t i = 0; i < n; ++i) {
      for (int64_t j = 0; j < gn; ++j) {
        (j < 2 * n ? zr : h).push_back(u->first[static_cast<size_t>(i * gn + j)]);
      }
    }
    AddArray(u_name, rweight_t, u->second,
             fmt::format("{}: recurrent kernel, z and r columns [{}, {}]", where, n, 2 * n), zr);
    AddArray(uh_name, rweight_t, u->second,
             fmt::format("{}: recurrent kernel, h columns [{}, {}]", where, n, n), h);
  } else {
    AddArray(u_name, rweight_t, u->second,
             fmt::format("{}: recurrent kernel [{}, {}]", where, n, gn), u->first);
  }

  const ir::LayerSettings& s = node.settings;
  const std::string config = ctx_.Name("config") + d.suffix;
  const int64_t n_rows = a.return_sequences ? steps_ : 1;
  std::string text = fmt::format(
      "// layer '{}' ({}){}\n"
      "struct {} : fixnn::recurrent_config {{\n"
      "  static const unsigned n_in = {};\n"
      "  static const unsigned n_state = {};\n"
      "  static const unsigned n_steps = {};\n"
      "  static const unsigned n_rows = {};\n"
      "  static const bool backwards = {};\n"
      "  static const bool time_order = {};\n"
      "  static const bool static_state = {};\n"
      "  static const bool binary_state = {};\n"
      "  static const unsigned table_size = {};\n"
      "  typedef {} accum_t;\n"
      "  typedef {} table_t;\n",
      node.name, ir::ToString(a.cell), d.label, config, n_in_, n, steps_, n_rows,
      a.go_backwards ? "true" : "false", d.time_order ? "true" : "false",
      s.static_state ? "true" : "false", s.binary_state ? "true" : "false", s.table_size,
      ctx_.TypedefName("accum"), ctx_.TypedefName("table"));
  text += ActMembers(*act, "activation", act_t);
  if (!simple) text += ActMembers(ract, "recurrent_activation", ract_t);
  text += DenseConfig("input_dense", n_in_, gn, d.rf, weight_t, bias_t);
  text += DenseConfig("recurrent_dense", n, rrows, d.recurrent_rf, rweight_t, rbias_t);
  if (reset_before) {
    text += DenseConfig("candidate_dense", n, n, d.recurrent_rf, rweight_t, zero_t);
  }
  text += "};\n";
  code_.config += text;

  const std::string x_t = ctx_.TypeNameOf(ctx_.In()), x = ctx_.ArrayOf(ctx_.In());
  const std::string state_t = ctx_.TypedefName("state");
  if (lstm) {
    return fmt::format("fixnn::lstm_layer<{}, {}, {}>({}, {}, {}, {}, {}, {}, {}, {});", x_t,
                       state_t, config, x, rows, c_last, w_name, u_name, b_name, *act_table,
                       ract_table);
  }
  if (reset_before) {
    return fmt::format("fixnn::gru_reset_before_layer<{}, {}, {}>({}, {}, {}, {}, {}, {}, {}, {});",
                       x_t, state_t, config, x, rows, w_name, u_name, uh_name, b_name, *act_table,
                       ract_table);
  }
  if (gru) {
    return fmt::format("fixnn::gru_layer<{}, {}, {}>({}, {}, {}, {}, {}, {}, {}, {});", x_t,
                       state_t, config, x, rows, w_name, u_name, b_name, br_name, *act_table,
                       ract_table);
  }
  return fmt::format("fixnn::simple_rnn_layer<{}, {}, {}>({}, {}, {}, {}, {}, {});", x_t, state_t,
                     config, x, rows, w_name, u_name, b_name, *act_table);
}

// "  <type> <name>[<n>];" with the partition pragma.
std::string Declare(const std::string& type, const std::string& name, int64_t n) {
  return fmt::format(
      "  {0} {1}[{2}];\n#pragma HLS ARRAY_PARTITION variable = {1} complete dim = 0\n", type, name,
      n);
}

// Output o: its typedef, its array, and `call` writing it.
void AddNthOutput(const EmitContext& ctx, LayerCode& code, size_t o, const std::string& call) {
  const std::string& out = ctx.node().outputs[o];
  code.typedefs.push_back({ctx.TypeNameOf(out), ctx.TypeOf(out)});
  code.body +=
      Declare(ctx.TypeNameOf(out), ctx.ArrayOf(out), ir::NumElements(ctx.Tensor(out).shape));
  code.body += "  " + call + "\n";
}

std::string ResultCall(const EmitContext& ctx, size_t o, const std::string& from, int64_t n) {
  const std::string& out = ctx.node().outputs[o];
  return fmt::format("fixnn::recurrent_result<{}, {}, {}>({}, {});", ctx.TypedefName("state"),
                     ctx.TypeNameOf(out), n, from, ctx.ArrayOf(out));
}

Result<LayerCode> RecurrentCode(const EmitContext& ctx) {
  const ir::Node& node = ctx.node();
  const ir::LayerSettings& s = node.settings;
  if (s.strategy != ir::Strategy::kLatency && s.strategy != ir::Strategy::kResource) {
    return ctx.NotHandled("the ResourceUnrolled and DistributedArithmetic strategies");
  }
  const ir::Shape& in_shape = ctx.Tensor(ctx.In()).shape;
  if (node.inputs.size() != 1 || in_shape.size() != 2) {
    return ctx.Fail(
        fmt::format("expected an input [steps, features], got {}", ir::ToString(in_shape)));
  }
  const int64_t steps = in_shape[0], n_in = in_shape[1];
  LayerTypes ty;
  for (auto [key, target] : {std::pair{"accum", &ty.accum}, std::pair{"state", &ty.state},
                             std::pair{"table", &ty.table}}) {
    Result<FixedType> t = ctx.InternalType(key);
    if (!t.ok()) return t.error();
    *target = *t;
  }
  // Resource sums x W with the reuse factor, h U with the recurrent one; Latency in order.
  const bool resource = s.strategy == ir::Strategy::kResource;
  auto rf = [resource](int64_t r) { return resource ? r : int64_t{1}; };

  LayerCode code;
  code.headers.insert("fixnn_recurrent.h");
  code.typedefs.push_back({ctx.TypedefName("accum"), ty.accum});
  code.typedefs.push_back({ctx.TypedefName("state"), ty.state});
  code.typedefs.push_back({ctx.TypedefName("table"), ty.table});
  Tables tables(ctx, code, ty.table);
  CellEmitter cells(ctx, code, ty, tables, steps, n_in);
  const std::string state_t = ctx.TypedefName("state");
  code.body = fmt::format("  // layer '{}' ({}): h per step in {}, then the results\n", node.name,
                          node.source.empty() ? ir::OpName(node.kind()) : node.source, state_t);

  if (node.is<ir::RecurrentAttrs>()) {
    const auto& a = node.as<ir::RecurrentAttrs>();
    const int64_t n = a.units, n_rows = a.return_sequences ? steps : 1;
    const std::string rows = ctx.Name("rows"), c_last = ctx.Name("c_last");
    const Direction d{.a = &a,
                      .prefix = "",
                      .suffix = "",
                      .label = "",
                      .rf = rf(s.reuse_factor),
                      .recurrent_rf = rf(s.recurrent_reuse_factor)};
    code.body += Declare(state_t, rows, n_rows * n);
    const bool lstm = a.cell == ir::RecurrentCell::kLSTM;
    if (lstm) code.body += Declare(state_t, c_last, n);
    Result<std::string> call = cells.Emit(d, rows, c_last);
    if (!call.ok()) return call.error();
    code.body += "  " + *call + "\n";
    const size_t expected = a.return_state ? (lstm ? 3 : 2) : 1;
    if (node.outputs.size() != expected) {
      return ctx.Fail(fmt::format("expected {} outputs, got {}", expected, node.outputs.size()));
    }
    AddNthOutput(ctx, code, 0, ResultCall(ctx, 0, rows, n_rows * n));
    if (node.outputs.size() > 1) {
      // return_state: the last h (the last row), then an LSTM's c.
      AddNthOutput(ctx, code, 1,
                   ResultCall(ctx, 1, fmt::format("{} + {}", rows, (n_rows - 1) * n), n));
    }
    if (node.outputs.size() > 2) AddNthOutput(ctx, code, 2, ResultCall(ctx, 2, c_last, n));
    return code;
  }

  const auto& a = node.as<ir::BidirectionalAttrs>();
  if (a.forward.go_backwards || !a.backward.go_backwards) {
    return ctx.NotHandled(
        "a Bidirectional whose forward layer reads backwards or whose backward layer reads "
        "forwards");
  }
  const int64_t n_rows = a.forward.return_sequences ? steps : 1;
  const int64_t nf = a.forward.units, nb = a.backward.units;
  const Direction fwd{.a = &a.forward,
                      .prefix = "forward_",
                      .suffix = "_forward",
                      .label = ", forward",
                      .rf = rf(s.reuse_factor),
                      .recurrent_rf = rf(s.recurrent_reuse_factor)};
  const Direction bwd{.a = &a.backward,
                      .prefix = "backward_",
                      .suffix = "_backward",
                      .label = ", backward",
                      .rf = rf(s.backward_reuse_factor),
                      .recurrent_rf = rf(s.backward_recurrent_reuse_factor),
                      .time_order = true};
  std::vector<std::string> rows;
  for (const Direction* d : {&fwd, &bwd}) {
    const std::string r = ctx.Name("rows") + d->suffix, c = ctx.Name("c_last") + d->suffix;
    code.body += Declare(state_t, r, n_rows * d->a->units);
    if (d->a->cell == ir::RecurrentCell::kLSTM) code.body += Declare(state_t, c, d->a->units);
    Result<std::string> call = cells.Emit(*d, r, c);
    if (!call.ok()) return call.error();
    code.body += "  " + *call + "\n";
    rows.push_back(r);
  }
  if (a.merge == ir::BidirectionalMerge::kNone) {
    if (node.outputs.size() != 2) return ctx.Fail("merge mode None needs two outputs");
    AddNthOutput(ctx, code, 0, ResultCall(ctx, 0, rows[0], n_rows * nf));
    AddNthOutput(ctx, code, 1, ResultCall(ctx, 1, rows[1], n_rows * nb));
    return code;
  }
  if (node.outputs.size() != 1) return ctx.NotHandled("state outputs of a Bidirectional");
  const char* merge = "merge_concat";
  switch (a.merge) {
    case ir::BidirectionalMerge::kSum:
      merge = "merge_sum";
      break;
    case ir::BidirectionalMerge::kMul:
      merge = "merge_mul";
      break;
    case ir::BidirectionalMerge::kAverage:
      merge = "merge_ave";
      break;
    default:
      break;
  }
  if (a.merge != ir::BidirectionalMerge::kConcat && nf != nb) {
    return ctx.Fail("the forward and backward layers differ in units");
  }
  const std::string config = ctx.Name("config");
  code.config += fmt::format(
      "// layer '{}' (Bidirectional): the merge\n"
      "struct {} : fixnn::bidirectional_config {{\n"
      "  static const unsigned n_rows = {};\n"
      "  static const unsigned n_forward = {};\n"
      "  static const unsigned n_backward = {};\n"
      "  static const unsigned merge = fixnn::{};\n"
      "}};\n",
      node.name, config, n_rows, nf, nb, merge);
  AddNthOutput(
      ctx, code, 0,
      fmt::format("fixnn::bidirectional_merge<{}, {}, {}>({}, {}, {});", state_t,
                  ctx.TypeNameOf(ctx.Out()), config, rows[0], rows[1], ctx.ArrayOf(ctx.Out())));
  return code;
}

}  // namespace

Result<LayerCode> EmitRecurrent(const EmitContext& ctx) {
  Result<LayerCode> code = RecurrentCode(ctx);
  if (!code.ok()) return code;
  // The configs have internal linkage, and with them the cells' static state: several projects
  // loaded into one process (C simulation through the bridge) each keep their own.
  code->config = "namespace {\n\n" + code->config + "\n}  // namespace\n";
  return code;
}

}  // namespace fixnn::backends::hls
