// Conv, DepthwiseConv and SeparableConv (1D and 2D, channels last) -> firmware/fixnn/
// fixnn_conv.h, as the emulator computes them (src/emulator/conv_kernel.cc): the im2col row in
// hls4ml's order (kh, kw, c) with 0 for padded taps, each pixel a Dense with the strategy's
// summation order; DepthwiseConv per channel over the taps; SeparableConv a depthwise stage
// (hls4ml's zero bias) into depthwise_result_t, then a 1x1 convolution (a Dense per pixel) with
// the pointwise kernel, the bias and pointwise_accum_t. Kernels hls4ml multiplies as
// weight_exponential are stored as exponent codes (EmitContext::AddKernel). io_stream:
// fixnn_conv_stream.h's line-buffer templates (SeparableConv: its depthwise stage streams into
// the pointwise Dense, fixnn_dense_stream.h). The emulator has already refused what
// hls4ml cannot compute (dilation, depth multipliers, strategies, reuse factors).
#include <fmt/format.h>

#include <algorithm>

#include "backends/hls/layer_emitter.h"

namespace fixnn::backends::hls {
namespace {

struct Geometry {
  int64_t in_h = 1, in_w = 1, chan = 1;
  int64_t k_h = 1, k_w = 1, s_h = 1, s_w = 1;
  int64_t pad_top = 0, pad_left = 0;
  int64_t out_h = 1, out_w = 1;
};

// The padding before an axis of n with kernel k, stride s and output out, as hls4ml's
// converters compute it.
int64_t PadBefore(ir::Padding padding, int64_t n, int64_t k, int64_t s, int64_t out) {
  switch (padding) {
    case ir::Padding::kValid:
      return 0;
    case ir::Padding::kSame:
      return std::max<int64_t>((out - 1) * s + k - n, 0) / 2;
    case ir::Padding::kCausal:
      return k - 1;
  }
  return 0;
}

// io_stream passes a 1-D layer to fixnn_conv_stream.h as a column (the sequence along h), so
// that its line buffer holds filt_h pixels; the window order (k, c) is the same.
Result<Geometry> MakeGeometry(const EmitContext& ctx, const std::vector<int64_t>& kernel,
                              const std::vector<int64_t>& strides, ir::Padding padding,
                              const ir::Shape& in, const ir::Shape& out) {
  const size_t rank = kernel.size();
  if ((rank != 1 && rank != 2) || strides.size() != rank || in.size() != rank + 1 ||
      out.size() != rank + 1) {
    return ctx.Fail("expected a 1-D or 2-D window over [spatial..., channels]");
  }
  Geometry g;
  g.chan = in.back();
  const size_t w = rank - 1;
  g.in_w = in[w];
  g.k_w = kernel[w];
  g.s_w = strides[w];
  g.out_w = out[w];
  g.pad_left = PadBefore(padding, g.in_w, g.k_w, g.s_w, g.out_w);
  if (rank == 2) {
    g.in_h = in[0];
    g.k_h = kernel[0];
    g.s_h = strides[0];
    g.out_h = out[0];
    g.pad_top = PadBefore(padding, g.in_h, g.k_h, g.s_h, g.out_h);
  } else if (ctx.io_stream()) {
    std::swap(g.in_h, g.in_w);
    std::swap(g.k_h, g.k_w);
    std::swap(g.s_h, g.s_w);
    std::swap(g.out_h, g.out_w);
    std::swap(g.pad_top, g.pad_left);
  }
  return g;
}

// The config struct of one window stage (conv_config's fields).
std::string WindowConfig(const std::string& comment, const std::string& name, const Geometry& g,
                         int64_t n_filt, int64_t n_in, int64_t n_out, const ir::LayerSettings& s,
                         const std::string& accum_t, const std::string& weight_t,
                         const std::string& bias_t, const std::string& product) {
  return fmt::format(
      "// {}\n"
      "struct {} : fixnn::conv_config {{\n"
      "  static const unsigned in_h = {};\n"
      "  static const unsigned in_w = {};\n"
      "  static const unsigned n_chan = {};\n"
      "  static const unsigned filt_h = {};\n"
      "  static const unsigned filt_w = {};\n"
      "  static const unsigned stride_h = {};\n"
      "  static const unsigned stride_w = {};\n"
      "  static const unsigned pad_top = {};\n"
      "  static const unsigned pad_left = {};\n"
      "  static const unsigned out_h = {};\n"
      "  static const unsigned out_w = {};\n"
      "  static const unsigned n_filt = {};\n"
      "  static const unsigned n_in = {};\n"
      "  static const unsigned n_out = {};\n"
      "  static const unsigned reuse_factor = {};\n"
      "  static const unsigned strategy = fixnn::{};\n"
      "  typedef {} accum_t;\n"
      "  typedef {} weight_t;\n"
      "  typedef {} bias_t;\n"
      "  typedef {} product;\n"
      "}};\n",
      comment, name, g.in_h, g.in_w, g.chan, g.k_h, g.k_w, g.s_h, g.s_w, g.pad_top, g.pad_left,
      g.out_h, g.out_w, n_filt, n_in, n_out, s.reuse_factor,
      s.strategy == ir::Strategy::kLatency ? "latency" : "resource", accum_t, weight_t, bias_t,
      product);
}

// The weight as a constant array of its own type: "<stem><id>" of "layer<id>_<key>_t".
Status AddWeight(const EmitContext& ctx, LayerCode& code, const ir::Weight& w,
                 const std::string& stem, const std::string& key, const std::string& comment) {
  if (!w.precision.type) return ctx.Fail(fmt::format("weight '{}' has no type", w.name));
  const std::string type_name = ctx.TypedefName(key);
  code.typedefs.push_back({type_name, *w.precision.type});
  Result<std::vector<std::string>> values = ctx.WeightLiterals(w);
  if (!values.ok()) return values.error();
  code.arrays.push_back({ctx.Name(stem), type_name, comment, std::move(values).value()});
  return Status::Ok();
}

// The bias, or hls4ml's zero bias (ap_uint<1> zeros) when there is none.
Status AddBias(const EmitContext& ctx, LayerCode& code, const ir::Weight* bias, int64_t n,
               const std::string& stem, const std::string& key) {
  if (bias != nullptr) {
    return AddWeight(ctx, code, *bias, stem, key,
                     fmt::format("layer '{}': bias [{}]", ctx.node().name, n));
  }
  const std::string type_name = ctx.TypedefName(key);
  code.typedefs.push_back({type_name, fixed::FixedType::UInt(1)});
  code.arrays.push_back({ctx.Name(stem), type_name,
                         fmt::format("layer '{}': no bias (zeros)", ctx.node().name),
                         std::vector<std::string>(static_cast<size_t>(n), "0")});
  return Status::Ok();
}

std::string Comment(const ir::Node& node) {
  return fmt::format("layer '{}' ({})", node.name,
                     node.source.empty() ? ir::OpName(node.kind()) : node.source);
}

Result<LayerCode> EmitConv(const EmitContext& ctx) {
  const ir::Node& node = ctx.node();
  const auto& a = node.as<ir::ConvAttrs>();
  Result<Geometry> g = MakeGeometry(ctx, a.kernel, a.strides, a.padding, ctx.Tensor(ctx.In()).shape,
                                    ctx.Tensor(ctx.Out()).shape);
  if (!g.ok()) return g.error();
  const ir::Weight* kernel = node.FindWeight("kernel");
  const ir::Weight* bias = a.use_bias ? node.FindWeight("bias") : nullptr;
  if (kernel == nullptr || (a.use_bias && bias == nullptr)) {
    return ctx.Fail("expected a kernel [k..., channels, filters] and a bias [filters]");
  }
  Result<fixed::FixedType> accum = ctx.InternalType("accum");
  if (!accum.ok()) return accum.error();
  const int64_t n_in = g->k_h * g->k_w * g->chan;
  LayerCode code;
  code.headers.insert("fixnn_conv.h");
  code.typedefs.push_back({ctx.TypedefName("accum"), *accum});
  Result<std::string> product =
      ctx.AddKernel(code, *kernel, "w", "weight",
                    fmt::format("layer '{}': kernel [{}, {}], weight i of filter j at "
                                "[i * {} + j], i = (kh * {} + kw) * {} + c",
                                node.name, n_in, a.filters, a.filters, g->k_w, g->chan),
                    ctx.TypeOf(ctx.In()));
  if (!product.ok()) return product.error();
  if (Status st = AddBias(ctx, code, bias, a.filters, "b", "bias"); !st.ok()) return st.error();
  code.config = WindowConfig(Comment(node), ctx.Name("config"), *g, a.filters, n_in, a.filters,
                             node.settings, ctx.TypedefName("accum"), ctx.TypedefName("weight"),
                             ctx.TypedefName("bias"), *product);
  if (ctx.io_stream()) {
    code.headers.insert("fixnn_conv_stream.h");
    code.stream_body =
        fmt::format("  fixnn::conv_stream<{}, {}, {}>({}, {}, {}, {});\n", ctx.TypeNameOf(ctx.In()),
                    ctx.TypeNameOf(ctx.Out()), ctx.Name("config"), ctx.StreamIn(), ctx.StreamOut(),
                    ctx.Name("w"), ctx.Name("b"));
  }
  ctx.AddOutput(code,
                fmt::format("fixnn::conv<{}, {}, {}>({}, {}, {}, {});", ctx.TypeNameOf(ctx.In()),
                            ctx.TypeNameOf(ctx.Out()), ctx.Name("config"), ctx.ArrayOf(ctx.In()),
                            ctx.ArrayOf(ctx.Out()), ctx.Name("w"), ctx.Name("b")));
  return code;
}

Result<LayerCode> EmitDepthwise(const EmitContext& ctx) {
  const ir::Node& node = ctx.node();
  const auto& a = node.as<ir::DepthwiseConvAttrs>();
  Result<Geometry> g = MakeGeometry(ctx, a.kernel, a.strides, a.padding, ctx.Tensor(ctx.In()).shape,
                                    ctx.Tensor(ctx.Out()).shape);
  if (!g.ok()) return g.error();
  const ir::Weight* kernel = node.FindWeight("depthwise_kernel");
  const ir::Weight* bias = a.use_bias ? node.FindWeight("bias") : nullptr;
  if (kernel == nullptr || (a.use_bias && bias == nullptr)) {
    return ctx.Fail("expected a depthwise kernel [k..., channels, 1] and a bias [channels]");
  }
  Result<fixed::FixedType> accum = ctx.InternalType("accum");
  if (!accum.ok()) return accum.error();
  const int64_t n_in = g->k_h * g->k_w * g->chan;
  LayerCode code;
  code.headers.insert("fixnn_conv.h");
  code.typedefs.push_back({ctx.TypedefName("accum"), *accum});
  Result<std::string> product =
      ctx.AddKernel(code, *kernel, "w", "weight",
                    fmt::format("layer '{}': depthwise kernel, tap t of channel c at [t * {} + c]",
                                node.name, g->chan),
                    ctx.TypeOf(ctx.In()));
  if (!product.ok()) return product.error();
  if (Status st = AddBias(ctx, code, bias, g->chan, "b", "bias"); !st.ok()) return st.error();
  code.config = WindowConfig(Comment(node), ctx.Name("config"), *g, g->chan, n_in, g->chan,
                             node.settings, ctx.TypedefName("accum"), ctx.TypedefName("weight"),
                             ctx.TypedefName("bias"), *product);
  if (ctx.io_stream()) {
    code.headers.insert("fixnn_conv_stream.h");
    code.stream_body =
        fmt::format("  fixnn::depthwise_conv_stream<{}, {}, {}>({}, {}, {}, {});\n",
                    ctx.TypeNameOf(ctx.In()), ctx.TypeNameOf(ctx.Out()), ctx.Name("config"),
                    ctx.StreamIn(), ctx.StreamOut(), ctx.Name("w"), ctx.Name("b"));
  }
  ctx.AddOutput(code, fmt::format("fixnn::depthwise_conv<{}, {}, {}>({}, {}, {}, {});",
                                  ctx.TypeNameOf(ctx.In()), ctx.TypeNameOf(ctx.Out()),
                                  ctx.Name("config"), ctx.ArrayOf(ctx.In()), ctx.ArrayOf(ctx.Out()),
                                  ctx.Name("w"), ctx.Name("b")));
  return code;
}

Result<LayerCode> EmitSeparable(const EmitContext& ctx) {
  const ir::Node& node = ctx.node();
  const auto& a = node.as<ir::SeparableConvAttrs>();
  const ir::Shape& in = ctx.Tensor(ctx.In()).shape;
  ir::Shape middle_shape = ctx.Tensor(ctx.Out()).shape;
  if (in.empty() || middle_shape.empty()) return ctx.Fail("expected [spatial..., channels]");
  middle_shape.back() = in.back();
  Result<Geometry> g = MakeGeometry(ctx, a.kernel, a.strides, a.padding, in, middle_shape);
  if (!g.ok()) return g.error();
  const ir::Weight* dw_kernel = node.FindWeight("depthwise_kernel");
  const ir::Weight* pw_kernel = node.FindWeight("pointwise_kernel");
  const ir::Weight* bias = a.use_bias ? node.FindWeight("bias") : nullptr;
  if (dw_kernel == nullptr || pw_kernel == nullptr || (a.use_bias && bias == nullptr)) {
    return ctx.Fail("expected depthwise and pointwise kernels and a bias [filters]");
  }
  Result<fixed::FixedType> dw_accum = ctx.InternalType("depthwise_accum");
  Result<fixed::FixedType> middle = ctx.InternalType("depthwise_result");
  Result<fixed::FixedType> pw_accum = ctx.InternalType("pointwise_accum");
  for (const Result<fixed::FixedType>* t : {&dw_accum, &middle, &pw_accum}) {
    if (!t->ok()) return t->error();
  }
  const int64_t pixels = g->out_h * g->out_w;
  LayerCode code;
  code.headers.insert("fixnn_conv.h");
  code.headers.insert("fixnn_dense.h");
  const std::string dw_accum_t = ctx.TypedefName("depthwise_accum"),
                    middle_t = ctx.TypedefName("depthwise_result"),
                    pw_accum_t = ctx.TypedefName("pointwise_accum");
  code.typedefs.push_back({dw_accum_t, *dw_accum});
  code.typedefs.push_back({middle_t, *middle});
  code.typedefs.push_back({pw_accum_t, *pw_accum});
  Result<std::string> dw_product =
      ctx.AddKernel(code, *dw_kernel, "dw", "depthwise_weight",
                    fmt::format("layer '{}': depthwise kernel, tap t of channel c at [t * {} + c]",
                                node.name, g->chan),
                    ctx.TypeOf(ctx.In()));
  if (!dw_product.ok()) return dw_product.error();
  if (Status st = AddBias(ctx, code, nullptr, g->chan, "dwb", "depthwise_bias"); !st.ok()) {
    return st.error();
  }
  Result<std::string> pw_product = ctx.AddKernel(
      code, *pw_kernel, "pw", "pointwise_weight",
      fmt::format("layer '{}': pointwise kernel [{}, {}]", node.name, g->chan, a.filters), *middle);
  if (!pw_product.ok()) return pw_product.error();
  if (Status st = AddBias(ctx, code, bias, a.filters, "b", "bias"); !st.ok()) return st.error();
  const std::string dw_config = ctx.Name("config") + "_depthwise";
  const std::string pw_config = ctx.Name("config") + "_pointwise";
  code.config =
      WindowConfig(Comment(node) + ": the depthwise stage", dw_config, *g, g->chan,
                   g->k_h * g->k_w * g->chan, g->chan, node.settings, dw_accum_t,
                   ctx.TypedefName("depthwise_weight"), ctx.TypedefName("depthwise_bias"),
                   *dw_product) +
      fmt::format(
          "// {}: the pointwise stage, a Dense per pixel\n"
          "struct {} : fixnn::dense_config {{\n"
          "  static const unsigned n_in = {};\n"
          "  static const unsigned n_out = {};\n"
          "  static const unsigned n_pos = {};\n"
          "  static const unsigned reuse_factor = {};\n"
          "  static const unsigned strategy = fixnn::{};\n"
          "  typedef {} accum_t;\n"
          "  typedef {} weight_t;\n"
          "  typedef {} bias_t;\n"
          "  typedef {} product;\n"
          "}};\n",
          Comment(node), pw_config, g->chan, a.filters, pixels, node.settings.reuse_factor,
          node.settings.strategy == ir::Strategy::kLatency ? "latency" : "resource", pw_accum_t,
          ctx.TypedefName("pointwise_weight"), ctx.TypedefName("bias"), *pw_product);
  const std::string middle_array = ctx.Name("layer") + "_depthwise";
  if (ctx.io_stream()) {
    code.headers.insert("fixnn_conv_stream.h");
    code.headers.insert("fixnn_dense_stream.h");
    code.stream_body = fmt::format(
        "#pragma HLS DATAFLOW\n"
        "  hls::stream<fixnn::packet<{0}, {1}> > {2}(\"{2}\");\n"
        "#pragma HLS STREAM variable = {2} depth = {3}\n"
        "  fixnn::depthwise_conv_stream<{4}, {0}, {5}>({6}, {2}, {7}, {8});\n"
        "  fixnn::dense_stream<{0}, {9}, {10}>({2}, {11}, {12}, {13});\n",
        middle_t, g->chan, middle_array, pixels, ctx.TypeNameOf(ctx.In()), dw_config,
        ctx.StreamIn(), ctx.Name("dw"), ctx.Name("dwb"), ctx.TypeNameOf(ctx.Out()), pw_config,
        ctx.StreamOut(), ctx.Name("pw"), ctx.Name("b"));
  }
  code.body += fmt::format(
      "  {0} {1}[{2}];\n#pragma HLS ARRAY_PARTITION variable = {1} complete dim = 0\n"
      "  fixnn::depthwise_conv<{3}, {0}, {4}>({5}, {1}, {6}, {7});\n",
      middle_t, middle_array, pixels * g->chan, ctx.TypeNameOf(ctx.In()), dw_config,
      ctx.ArrayOf(ctx.In()), ctx.Name("dw"), ctx.Name("dwb"));
  ctx.AddOutput(code, fmt::format("fixnn::dense<{}, {}, {}>({}, {}, {}, {});", middle_t,
                                  ctx.TypeNameOf(ctx.Out()), pw_config, middle_array,
                                  ctx.ArrayOf(ctx.Out()), ctx.Name("pw"), ctx.Name("b")));
  return code;
}

}  // namespace

Result<LayerCode> EmitConvolution(const EmitContext& ctx) {
  const ir::Node& node = ctx.node();
  const ir::LayerSettings& s = node.settings;
  if (s.strategy != ir::Strategy::kLatency && s.strategy != ir::Strategy::kResource) {
    return ctx.NotHandled("the ResourceUnrolled and DistributedArithmetic strategies");
  }
  switch (node.kind()) {
    case ir::OpKind::kConv:
      return EmitConv(ctx);
    case ir::OpKind::kDepthwiseConv:
      return EmitDepthwise(ctx);
    case ir::OpKind::kSeparableConv:
      return EmitSeparable(ctx);
    default:
      return ctx.NotHandled(std::string(ir::OpName(node.kind())));
  }
}

}  // namespace fixnn::backends::hls
