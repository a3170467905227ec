#include "backends/hls/layer_emitter.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "backends/hls/cpp_text.h"
#include "emulator/exponent_product.h"
#include "emulator/hls4ml_weights.h"

namespace fixnn::backends::hls {

std::string EmitContext::Name(const std::string& stem) const {
  return fmt::format("{}{}", stem, id());
}

std::string EmitContext::TypedefName(const std::string& key) const {
  return fmt::format("layer{}_{}_t", id(), key);
}

const fixed::FixedType& EmitContext::TypeOf(const std::string& tensor) const {
  return *Tensor(tensor).precision.type;  // the emulator accepted the graph: every type is set
}

Result<fixed::FixedType> EmitContext::InternalType(const std::string& key) const {
  auto it = node().types.find(key);
  if (it == node().types.end()) {
    return Fail(fmt::format("no '{}' type; run passes::Configure first", key));
  }
  return it->second;
}

Error EmitContext::Fail(const std::string& what) const {
  return Error(fmt::format("layer '{}' ({}): {}", node().name, ir::OpName(node().kind()), what));
}

Error EmitContext::NotHandled(const std::string& what) const {
  return Fail(fmt::format("the HLS writer does not handle {} yet", what));
}

void EmitContext::AddOutput(LayerCode& code, const std::string& call) const {
  const std::string& out = Out();
  code.typedefs.push_back({TypeNameOf(out), TypeOf(out)});
  code.body += fmt::format(
      "  {} {}[{}];\n#pragma HLS ARRAY_PARTITION variable = {} complete dim = 0\n  {}\n",
      TypeNameOf(out), ArrayOf(out), ir::NumElements(Tensor(out).shape), ArrayOf(out), call);
}

Result<std::string> EmitContext::Literal(const fixed::FixedValue& v,
                                         const std::string& what) const {
  Result<std::string> text = ExactLiteral(v);
  if (!text.ok()) return Fail(fmt::format("{}: {}", what, text.error().message()));
  return text;
}

Result<std::vector<std::string>> EmitContext::WeightLiterals(const ir::Weight& w) const {
  if (!w.precision.type) return Fail(fmt::format("weight '{}' has no type", w.name));
  std::vector<double> values = w.values;
  if (w.quantizer) {
    const bool unit_scale = std::all_of(w.quantizer->scale.begin(), w.quantizer->scale.end(),
                                        [](double s) { return s == 1.0; });
    if (!unit_scale) return NotHandled(fmt::format("weight '{}' with a quantizer scale", w.name));
    ir::ApplyQuantizer(*w.quantizer, values);
  }
  const fixed::FixedType& t = *w.precision.type;
  Result<std::vector<fixed::WideInt>> stored = emulator::StoreArrayThroughText(values, t, nullptr);
  if (!stored.ok()) return Fail(fmt::format("weight '{}': {}", w.name, stored.error().message()));
  std::vector<std::string> out;
  out.reserve(stored->size());
  for (const fixed::WideInt& m : *stored) {
    Result<std::string> text =
        Literal(fixed::FixedValue::FromMantissa(t, m), fmt::format("weight '{}'", w.name));
    if (!text.ok()) return text.error();
    out.push_back(std::move(text).value());
  }
  return out;
}

Result<std::string> EmitContext::AddKernel(LayerCode& code, const ir::Weight& w,
                                           const std::string& stem, const std::string& key,
                                           const std::string& comment,
                                           const fixed::FixedType& x) const {
  if (!w.precision.type) return Fail(fmt::format("weight '{}' has no type", w.name));
  const std::string type_name = TypedefName(key);
  if (node().settings.exponent_products && emulator::IsExponentWeight(w)) {
    const ir::Quantizer& q = *w.quantizer;
    const int bits = emulator::ExponentBits(q);
    std::vector<double> values = w.values;
    ir::ApplyQuantizer(q, values);
    std::vector<emulator::ExponentWeight> weights;
    std::vector<std::string> codes;
    for (double v : values) {
      int e = 0;
      if (std::frexp(std::fabs(v), &e) != 0.5) {
        return Fail(fmt::format("weight '{}': {} is not a power of two", w.name, v));
      }
      weights.push_back({e - 1, v < 0});
      codes.push_back(std::to_string(2 * (e - 1) + (v < 0 ? 1 : 0)));
    }
    if (!emulator::ExponentProductIsExact(bits, x, weights)) {
      // r_t = ap_fixed<2N, N>, N = B + x's width (exponent_product.h).
      const int n = bits + x.width;
      const std::string product_t = TypedefName(key + "_product");
      code.typedefs.push_back({type_name, fixed::FixedType::Int(bits + 1)});
      code.typedefs.push_back({product_t, fixed::FixedType::Fixed(2 * n, n)});
      code.arrays.push_back({Name(stem), type_name,
                             comment + fmt::format(" (codes 2 * log2|w| + (w < 0), hls4ml's "
                                                   "{}-bit exponents)",
                                                   bits),
                             std::move(codes)});
      return fmt::format("fixnn::exponent_product<{}>", product_t);
    }
  }
  code.typedefs.push_back({type_name, *w.precision.type});
  Result<std::vector<std::string>> values = WeightLiterals(w);
  if (!values.ok()) return values.error();
  code.arrays.push_back({Name(stem), type_name, comment, std::move(values).value()});
  return std::string("fixnn::plain_product");
}

bool HasEmitter(const ir::Node& node) {
  switch (node.kind()) {
    case ir::OpKind::kInput:
    case ir::OpKind::kDense:
    case ir::OpKind::kActivation:
    case ir::OpKind::kPReLU:
    case ir::OpKind::kQuantize:
    case ir::OpKind::kFlatten:
    case ir::OpKind::kReshape:
    case ir::OpKind::kMerge:
    case ir::OpKind::kConcatenate:
    case ir::OpKind::kBatchNorm:
    case ir::OpKind::kScale:
    case ir::OpKind::kConv:
    case ir::OpKind::kDepthwiseConv:
    case ir::OpKind::kSeparableConv:
    case ir::OpKind::kPool:
    case ir::OpKind::kGlobalPool:
    case ir::OpKind::kPermute:
    case ir::OpKind::kZeroPadding:
    case ir::OpKind::kCropping:
    case ir::OpKind::kUpSampling:
    case ir::OpKind::kDot:
    case ir::OpKind::kEmbedding:
    case ir::OpKind::kRecurrent:
    case ir::OpKind::kBidirectional:
      return true;
    default:
      return false;
  }
}

Result<LayerCode> EmitLayer(const EmitContext& ctx) {
  const ir::Node& node = ctx.node();
  if (node.output_quantizer && !node.is<ir::QuantizeAttrs>()) {
    return ctx.NotHandled(fmt::format("an output quantizer on {}", ir::OpName(node.kind())));
  }
  // A stream transpose needs the whole tensor: not written in io_stream yet.
  if (ctx.io_stream() && node.is<ir::PermuteAttrs>()) {
    return ctx.NotHandled(fmt::format("{} in io_stream", ir::OpName(node.kind())));
  }
  switch (node.kind()) {
    case ir::OpKind::kDense:
      return EmitDense(ctx);
    case ir::OpKind::kActivation:
      if (node.as<ir::ActivationAttrs>().fn == ir::ActivationFn::kSoftmax) {
        return EmitSoftmax(ctx);
      }
      return EmitElementwise(ctx);
    case ir::OpKind::kPReLU:
    case ir::OpKind::kQuantize:
    case ir::OpKind::kFlatten:
    case ir::OpKind::kReshape:
      return EmitElementwise(ctx);
    case ir::OpKind::kMerge:
    case ir::OpKind::kConcatenate:
    case ir::OpKind::kDot:
      return EmitMerge(ctx);
    case ir::OpKind::kBatchNorm:
    case ir::OpKind::kScale:
      return EmitBatchNorm(ctx);
    case ir::OpKind::kConv:
    case ir::OpKind::kDepthwiseConv:
    case ir::OpKind::kSeparableConv:
      return EmitConvolution(ctx);
    case ir::OpKind::kPool:
    case ir::OpKind::kGlobalPool:
      return EmitPool(ctx);
    case ir::OpKind::kPermute:
    case ir::OpKind::kZeroPadding:
    case ir::OpKind::kCropping:
    case ir::OpKind::kUpSampling:
      return EmitLayout(ctx);
    case ir::OpKind::kEmbedding:
      return EmitEmbedding(ctx);
    case ir::OpKind::kRecurrent:
    case ir::OpKind::kBidirectional:
      return EmitRecurrent(ctx);
    default:
      return ctx.NotHandled(std::string(ir::OpName(node.kind())));
  }
}

}  // namespace fixnn::backends::hls
