// The kWhenExact folding policy (see fold_batchnorm.h for the conditions and why they give
// the same bits).
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <variant>

#include "fixed/fixed_value.h"
#include "passes/batchnorm_constants.h"
#include "passes/exact_accumulator.h"
#include "passes/fold_batchnorm.h"
#include "passes/fold_target.h"
#include "passes/graph_edit.h"
#include "passes/precision_rules.h"
#include "passes/weight_values.h"

namespace fixnn::passes {

namespace {

using fixed::FixedType;
using fixed::WideInt;

// m * 2^e moved onto LSB 2^to (to <= e), exactly.
WideInt Align(const WideInt& m, int e, int to) { return m.ShiftLeft(e - to); }

// Whether t holds every value of e: LSB no coarser, range no narrower.
bool Holds(const FixedType& t, const FixedType& e) {
  if (t.lsb_exponent() > e.lsb_exponent()) return false;
  const int lsb = t.lsb_exponent();
  return fixed::MinMantissa(t) <= Align(fixed::MinMantissa(e), e.lsb_exponent(), lsb) &&
         fixed::MaxMantissa(t) >= Align(fixed::MaxMantissa(e), e.lsb_exponent(), lsb);
}

// The exact value m * 2^e as a double, or nothing when it needs more than 53 bits.
std::optional<double> ExactDouble(const WideInt& m, int e) {
  if (m.SignedBitLength() > 54) return std::nullopt;
  return m.ToDouble(e);
}

// m * 2^e as stored in t: its mantissa when t holds the value exactly (and hls4ml's decimal
// text keeps it), else nothing.
std::optional<WideInt> ExactlyIn(const WideInt& m, int e, const FixedType& t) {
  std::optional<double> v = ExactDouble(m, e);
  if (!v) return std::nullopt;
  fixed::CastEvents events;
  Result<fixed::FixedValue> stored = Hls4mlStoredValue(*v, t, &events);
  if (!stored.ok() || events.inexact || events.out_of_range() || stored->ToDouble() != *v) {
    return std::nullopt;
  }
  return stored->mantissa();
}

std::optional<FixedType> SingleType(const ir::Precision& p) {
  if (!p.type) return std::nullopt;
  return *p.type;
}

// The normalization's scale and bias as the hardware stores them, per channel (or one value).
struct StoredScaleBias {
  std::vector<WideInt> scale, bias;
  int scale_lsb = 0, bias_lsb = 0;
  FixedType bias_type;
};

Result<std::optional<StoredScaleBias>> StoredNormalization(const ir::Node& bn) {
  StoredScaleBias out;
  if (bn.is<ir::BatchNormAttrs>()) {
    auto st = bn.types.find("scale");
    auto bt = bn.types.find("bias");
    if (st == bn.types.end() || bt == bn.types.end()) return std::optional<StoredScaleBias>();
    Result<ScaleBias> sb = BatchNormScaleBias(bn);
    if (!sb.ok()) return sb.error();
    out.scale_lsb = st->second.lsb_exponent();
    out.bias_lsb = bt->second.lsb_exponent();
    out.bias_type = bt->second;
    for (double s : sb->scale) {
      Result<fixed::FixedValue> v = Hls4mlStoredValue(s, st->second);
      if (!v.ok()) return v.error();
      out.scale.push_back(v->mantissa());
    }
    for (double b : sb->bias) {
      Result<fixed::FixedValue> v = Hls4mlStoredValue(b, bt->second);
      if (!v.ok()) return v.error();
      out.bias.push_back(v->mantissa());
    }
    return std::optional<StoredScaleBias>(out);
  }
  const ir::Weight* s = bn.FindWeight("scale");
  const ir::Weight* b = bn.as<ir::ScaleAttrs>().use_bias ? bn.FindWeight("bias") : nullptr;
  if (s == nullptr || !SingleType(s->precision) || (b != nullptr && !SingleType(b->precision))) {
    return std::optional<StoredScaleBias>();
  }
  Result<StoredValues> sv = StoredWeightValues(*s);
  if (!sv.ok()) return sv.error();
  out.scale = sv->mantissas;
  out.scale_lsb = sv->lsb_exponent;
  if (b != nullptr) {
    Result<StoredValues> bv = StoredWeightValues(*b);
    if (!bv.ok()) return bv.error();
    out.bias = bv->mantissas;
    out.bias_lsb = bv->lsb_exponent;
    out.bias_type = *b->precision.type;
  } else {
    out.bias.assign(out.scale.size(), WideInt(0));
    out.bias_type = FixedType::UFixed(1, 1);
    out.bias_lsb = out.bias_type.lsb_exponent();
  }
  if (out.bias.size() != out.scale.size() && out.bias.size() != 1 && out.scale.size() != 1) {
    return Error(fmt::format("layer '{}': scale and bias sizes differ", bn.name));
  }
  return std::optional<StoredScaleBias>(out);
}

const WideInt& AtW(const std::vector<WideInt>& v, size_t i) { return v.size() == 1 ? v[0] : v[i]; }

// Folds `bn` into the layer before it when the conditions hold; returns whether it did.
Result<bool> TryFold(ir::Graph& graph, const std::string& bn_name,
                     const AutoPrecisions& before_inference) {
  const ir::Node& bn = *graph.FindNode(bn_name);
  const ir::Node* layer = FoldableLayer(graph, bn);
  if (layer == nullptr || !HasSingleUse(graph, layer->outputs[0])) return false;
  const bool separable = layer->is<ir::SeparableConvAttrs>();
  const std::string accum_key = separable ? "pointwise_accum" : "accum";

  // Types: the layer's input (the depthwise result for a separable layer), kernel, bias,
  // accumulator and result; the normalization's result.
  std::optional<FixedType> in;
  if (separable) {
    auto it = layer->types.find("depthwise_result");
    if (it != layer->types.end()) in = it->second;
  } else if (const ir::Tensor* t = graph.FindTensor(layer->inputs[0]); t != nullptr) {
    in = SingleType(t->precision);
  }
  const ir::Weight* kernel = layer->FindWeight(FoldKernelName(*layer));
  const ir::Weight* bias = layer->FindWeight("bias");
  auto accum_it = layer->types.find(accum_key);
  const ir::Tensor* r = graph.FindTensor(layer->outputs[0]);
  const ir::Tensor* t = graph.FindTensor(bn.outputs[0]);
  if (!in || accum_it == layer->types.end() || r == nullptr || t == nullptr ||
      !SingleType(kernel->precision) || (bias != nullptr && !SingleType(bias->precision)) ||
      !SingleType(r->precision) || !SingleType(t->precision)) {
    return false;
  }
  const FixedType w_type = *kernel->precision.type;
  const FixedType accum = accum_it->second;

  Result<std::optional<StoredScaleBias>> norm = StoredNormalization(bn);
  if (!norm.ok()) return norm.error();
  if (!norm->has_value()) return false;
  const StoredScaleBias& sb = **norm;
  const int64_t channels = FoldChannels(*layer, *kernel);
  if (sb.scale.size() != 1 && static_cast<int64_t>(sb.scale.size()) != channels) return false;
  if (sb.bias.size() != 1 && static_cast<int64_t>(sb.bias.size()) != channels) return false;

  // 1. The pair's layer sums exactly.
  Result<StoredValues> w = StoredWeightValues(*kernel);
  if (!w.ok()) return w.error();
  std::optional<StoredValues> b;
  if (bias != nullptr) {
    Result<StoredValues> bv = StoredWeightValues(*bias);
    if (!bv.ok()) return bv.error();
    b = *bv;
  }
  Result<FixedType> exact = ExactAccumulatorType(*in, *w, channels, b ? &*b : nullptr);
  if (!exact.ok()) return false;
  if (!Holds(accum, *exact) || !Holds(*r->precision.type, *exact)) return false;

  // 2. The folded kernel and bias are exact in their types.
  StoredValues folded_w;
  folded_w.lsb_exponent = w_type.lsb_exponent();
  std::vector<double> kernel_values(w->mantissas.size());
  for (size_t k = 0; k < w->mantissas.size(); ++k) {
    const WideInt& s = AtW(sb.scale, k % static_cast<size_t>(channels));
    std::optional<WideInt> m =
        ExactlyIn(s * w->mantissas[k], sb.scale_lsb + w->lsb_exponent, w_type);
    if (!m) return false;
    folded_w.mantissas.push_back(*m);
    kernel_values[k] = *ExactDouble(*m, folded_w.lsb_exponent);
  }
  const FixedType b_type = bias != nullptr ? *bias->precision.type : sb.bias_type;
  StoredValues folded_b;
  folded_b.lsb_exponent = b_type.lsb_exponent();
  std::vector<double> bias_values(static_cast<size_t>(channels));
  for (size_t c = 0; c < static_cast<size_t>(channels); ++c) {
    const WideInt& s = AtW(sb.scale, c);
    const WideInt& beta = AtW(sb.bias, c);
    int lsb = sb.bias_lsb;
    WideInt sum = beta;
    if (b) {
      const WideInt product = s * AtW(b->mantissas, c);
      const int product_lsb = sb.scale_lsb + b->lsb_exponent;
      lsb = std::min(product_lsb, sb.bias_lsb);
      sum = Align(product, product_lsb, lsb) + Align(beta, sb.bias_lsb, lsb);
    }
    std::optional<WideInt> m = ExactlyIn(sum, lsb, b_type);
    if (!m) return false;
    folded_b.mantissas.push_back(*m);
    bias_values[c] = *ExactDouble(*m, folded_b.lsb_exponent);
  }

  // 3. The folded layer's accumulator holds its sums exactly.
  Result<FixedType> folded_exact = ExactAccumulatorType(*in, folded_w, channels, &folded_b);
  if (!folded_exact.ok()) return false;
  FixedType new_accum = accum;
  if (!Holds(accum, *folded_exact)) {
    auto it = before_inference.find(layer->name);
    const bool was_auto =
        it != before_inference.end() &&
        std::find(it->second.begin(), it->second.end(), accum_key) != it->second.end();
    if (!was_auto || CapToMaximum(*folded_exact, layer->settings.auto_maximum) != *folded_exact) {
      return false;
    }
    new_accum = *folded_exact;
  }

  // 4. Fold: the layer takes the normalization's output type.
  const ir::Precision out_precision = t->precision;
  const std::string layer_name = layer->name;
  ir::Node& target = *graph.FindNode(layer_name);
  ir::Weight& k = *target.FindWeight(FoldKernelName(target));
  k.values = std::move(kernel_values);
  k.quantizer.reset();
  ir::Weight* tb = target.FindWeight("bias");
  if (tb == nullptr) {
    ir::Weight added;
    added.name = "bias";
    added.shape = {channels};
    added.precision.type = b_type;
    target.weights.push_back(std::move(added));
    tb = &target.weights.back();
    std::visit(
        [](auto& a) {
          if constexpr (requires { a.use_bias; }) a.use_bias = true;
        },
        target.attrs);
  }
  tb->values = std::move(bias_values);
  tb->quantizer.reset();
  target.types[accum_key] = new_accum;
  graph.FindTensor(target.outputs[0])->precision = out_precision;
  if (Status s = RemoveNode(graph, bn_name, target.outputs[0]); !s.ok()) return s.error();
  return true;
}

}  // namespace

Result<int> FoldBatchNormWhenExact(ir::Graph& graph, const AutoPrecisions& before_inference) {
  int folded = 0;
  std::vector<std::string> names;
  for (const ir::Node& n : graph.nodes()) {
    if (IsBatchNormLike(n)) names.push_back(n.name);
  }
  for (const std::string& name : names) {
    Result<bool> r = TryFold(graph, name, before_inference);
    if (!r.ok()) return r.error();
    folded += *r ? 1 : 0;
  }
  return folded;
}

}  // namespace fixnn::passes
