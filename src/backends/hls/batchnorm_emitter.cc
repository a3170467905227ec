// BatchNorm (not folded) and Scale -> fixnn::normalize (firmware/fixnn/fixnn_batchnorm.h),
// with the constants the emulator uses (src/emulator/scale_kernel.cc): BatchNorm's scale and
// bias computed in float32 as hls4ml computes them, then stored through its decimal text into
// the 'scale' and 'bias' types; a Scale's weights quantized, then stored the same way. No bias:
// zeros, which change no sum. A power-of-two scale -> fixnn::normalize_po2: a sign and an
// exponent per channel, hls4ml's exponential product.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "backends/hls/layer_emitter.h"
#include "emulator/hls4ml_weights.h"
#include "passes/batchnorm_constants.h"

namespace fixnn::backends::hls {
namespace {

using fixed::FixedType;

// hls4ml's BatchNormalization scale and bias (passes::BatchNormScaleBias), one per channel.
Status BatchNormConstants(const EmitContext& ctx, int64_t channels, std::vector<double>& scale,
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

// A Scale weight's values: its quantizer applied (no power-of-two, no alpha).
Result<std::vector<double>> ScaleWeightValues(const EmitContext& ctx, const ir::Weight& w) {
  std::vector<double> values = w.values;
  if (w.quantizer) {
    if (w.quantizer->kind == ir::QuantizerKind::kPo2) {
      return ctx.NotHandled(fmt::format("weight '{}' with a power-of-two quantizer", w.name));
    }
    if (std::any_of(w.quantizer->scale.begin(), w.quantizer->scale.end(),
                    [](double s) { return s != 1.0; })) {
      return ctx.NotHandled(fmt::format("weight '{}' with a quantizer scale (alpha)", w.name));
    }
    ir::ApplyQuantizer(*w.quantizer, values);
  }
  return values;
}

// The values stored in t through hls4ml's decimal text, one literal per channel (a single
// value serves every channel).
Result<std::vector<std::string>> Stored(const EmitContext& ctx, const std::vector<double>& values,
                                        const FixedType& t, int64_t channels,
                                        const std::string& name) {
  if (values.size() != 1 && static_cast<int64_t>(values.size()) != channels) {
    return ctx.Fail(
        fmt::format("weight '{}' has {} values for {} channels", name, values.size(), channels));
  }
  Result<std::vector<fixed::WideInt>> stored = emulator::StoreArrayThroughText(values, t, nullptr);
  if (!stored.ok()) return ctx.Fail(fmt::format("{}: {}", name, stored.error().message()));
  std::vector<std::string> out;
  for (const fixed::WideInt& m : *stored) {
    Result<std::string> text = ctx.Literal(fixed::FixedValue::FromMantissa(t, m), name);
    if (!text.ok()) return text.error();
    out.push_back(std::move(text).value());
  }
  if (out.size() == 1) out.assign(static_cast<size_t>(channels), out.front());
  return out;
}

// A power-of-two 'scale' weight as hls4ml stores it (the emulator's scale_kernel.cc, which has
// refused every other power-of-two quantizer): per channel an exponent and a sign, and the
// product type ap_fixed<2N, N>, N = the exponent type's bits + x's width.
struct Po2 {
  std::vector<std::string> exponent, negative;
  FixedType product;
};

Result<Po2> Po2Scale(const EmitContext& ctx, const ir::Weight& w, const FixedType& x,
                     int64_t channels) {
  const ir::Quantizer& q = *w.quantizer;
  const int span = -q.min_exponent;
  int bits = 2;
  while ((1 << (bits - 2)) < span) ++bits;
  std::vector<double> values = w.values;
  ir::ApplyQuantizer(q, values);
  if (values.size() != 1 && static_cast<int64_t>(values.size()) != channels) {
    return ctx.Fail(
        fmt::format("weight '{}' has {} values for {} channels", w.name, values.size(), channels));
  }
  Po2 p;
  for (double v : values) {
    int e = 0;
    const double mantissa = std::frexp(std::fabs(v), &e);
    if (mantissa != 0.5) return ctx.Fail(fmt::format("{} is not a power of two", v));
    p.exponent.push_back(fmt::format("{}", e - 1));
    p.negative.push_back(v < 0 ? "true" : "false");
  }
  if (values.size() == 1) {
    p.exponent.assign(static_cast<size_t>(channels), p.exponent.front());
    p.negative.assign(static_cast<size_t>(channels), p.negative.front());
  }
  const int n = bits + x.width;
  p.product = FixedType::Fixed(2 * n, n);
  return p;
}

// A Scale with a power-of-two scale -> fixnn::normalize_po2.
Result<LayerCode> EmitPo2Scale(const EmitContext& ctx, const ir::Weight& sw, const ir::Weight* bw) {
  const ir::Node& node = ctx.node();
  const ir::Shape& shape = ctx.Tensor(ctx.In()).shape;
  const int64_t channels = shape.back();
  Result<Po2> po2 = Po2Scale(ctx, sw, ctx.TypeOf(ctx.In()), channels);
  if (!po2.ok()) return po2.error();
  std::vector<double> bias(1, 0.0);
  FixedType bias_t = FixedType::UInt(1);
  if (bw != nullptr) {
    if (!bw->precision.type) return ctx.Fail("expected a typed 'bias' weight");
    Result<std::vector<double>> bv = ScaleWeightValues(ctx, *bw);
    if (!bv.ok()) return bv.error();
    bias = std::move(bv).value();
    bias_t = *bw->precision.type;
  }
  LayerCode code;
  code.headers.insert("fixnn_batchnorm.h");
  const std::string product_name = ctx.TypedefName("product"), bias_name = ctx.TypedefName("bias");
  code.typedefs.push_back({product_name, po2->product});
  code.typedefs.push_back({bias_name, bias_t});
  Result<std::vector<std::string>> b = Stored(ctx, bias, bias_t, channels, "bias");
  if (!b.ok()) return b.error();
  code.arrays.push_back(
      {ctx.Name("e"), "int",
       fmt::format("layer '{}': power-of-two scale, exponent per channel", node.name),
       std::move(po2->exponent)});
  code.arrays.push_back(
      {ctx.Name("n"), "bool",
       fmt::format("layer '{}': power-of-two scale, negative per channel", node.name),
       std::move(po2->negative)});
  code.arrays.push_back({ctx.Name("b"), bias_name,
                         fmt::format("layer '{}': bias per channel", node.name),
                         std::move(b).value()});
  code.config = fmt::format(
      "// layer '{}' ({}): a power-of-two scale\n"
      "struct {} : fixnn::batchnorm_po2_config {{\n"
      "  static const unsigned n_in = {};\n"
      "  static const unsigned n_filt = {};\n"
      "  typedef {} product_t;\n"
      "  typedef {} bias_t;\n"
      "}};\n",
      node.name, node.source, ctx.Name("config"), ir::NumElements(shape), channels, product_name,
      bias_name);
  ctx.AddOutput(code, fmt::format("fixnn::normalize_po2<{}, {}, {}>({}, {}, {}, {}, {});",
                                  ctx.TypeNameOf(ctx.In()), ctx.TypeNameOf(ctx.Out()),
                                  ctx.Name("config"), ctx.ArrayOf(ctx.In()), ctx.ArrayOf(ctx.Out()),
                                  ctx.Name("e"), ctx.Name("n"), ctx.Name("b")));
  return code;
}

}  // namespace

Result<LayerCode> EmitBatchNorm(const EmitContext& ctx) {
  const ir::Node& node = ctx.node();
  const ir::Shape& shape = ctx.Tensor(ctx.In()).shape;
  const int64_t channels = shape.back();
  std::vector<double> scale, bias;
  FixedType scale_t, bias_t = FixedType::UInt(1);
  if (node.is<ir::BatchNormAttrs>()) {
    if (Status st = BatchNormConstants(ctx, channels, scale, bias); !st.ok()) return st.error();
    Result<FixedType> st = ctx.InternalType("scale"), bt = ctx.InternalType("bias");
    if (!st.ok()) return st.error();
    if (!bt.ok()) return bt.error();
    scale_t = *st;
    bias_t = *bt;
  } else {
    const ir::Weight* sw = node.FindWeight("scale");
    const ir::Weight* bw = node.as<ir::ScaleAttrs>().use_bias ? node.FindWeight("bias") : nullptr;
    if (sw == nullptr) return ctx.Fail("expected a 'scale' weight");
    if (sw->quantizer && sw->quantizer->kind == ir::QuantizerKind::kPo2) {
      return EmitPo2Scale(ctx, *sw, bw);
    }
    if (!sw->precision.type) return ctx.Fail("expected a typed 'scale' weight");
    Result<std::vector<double>> sv = ScaleWeightValues(ctx, *sw);
    if (!sv.ok()) return sv.error();
    scale = std::move(sv).value();
    scale_t = *sw->precision.type;
    if (bw != nullptr) {
      if (!bw->precision.type) return ctx.Fail("expected a typed 'bias' weight");
      Result<std::vector<double>> bv = ScaleWeightValues(ctx, *bw);
      if (!bv.ok()) return bv.error();
      bias = std::move(bv).value();
      bias_t = *bw->precision.type;
    } else {
      bias.assign(1, 0.0);
    }
  }
  LayerCode code;
  code.headers.insert("fixnn_batchnorm.h");
  const std::string scale_name = ctx.TypedefName("scale"), bias_name = ctx.TypedefName("bias");
  code.typedefs.push_back({scale_name, scale_t});
  code.typedefs.push_back({bias_name, bias_t});
  Result<std::vector<std::string>> s = Stored(ctx, scale, scale_t, channels, "scale");
  if (!s.ok()) return s.error();
  Result<std::vector<std::string>> b = Stored(ctx, bias, bias_t, channels, "bias");
  if (!b.ok()) return b.error();
  code.arrays.push_back({ctx.Name("s"), scale_name,
                         fmt::format("layer '{}': scale per channel", node.name),
                         std::move(s).value()});
  code.arrays.push_back({ctx.Name("b"), bias_name,
                         fmt::format("layer '{}': bias per channel", node.name),
                         std::move(b).value()});
  code.config = fmt::format(
      "// layer '{}' ({})\n"
      "struct {} : fixnn::batchnorm_config {{\n"
      "  static const unsigned n_in = {};\n"
      "  static const unsigned n_filt = {};\n"
      "  typedef {} scale_t;\n"
      "  typedef {} bias_t;\n"
      "}};\n",
      node.name, node.source, ctx.Name("config"), ir::NumElements(shape), channels, scale_name,
      bias_name);
  ctx.AddOutput(
      code, fmt::format("fixnn::normalize<{}, {}, {}>({}, {}, {}, {});", ctx.TypeNameOf(ctx.In()),
                        ctx.TypeNameOf(ctx.Out()), ctx.Name("config"), ctx.ArrayOf(ctx.In()),
                        ctx.ArrayOf(ctx.Out()), ctx.Name("s"), ctx.Name("b")));
  return code;
}

}  // namespace fixnn::backends::hls
