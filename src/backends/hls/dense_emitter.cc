// Dense -> fixnn::dense (firmware/fixnn/fixnn_dense.h). The summation order is the one
// emulator::SummationOrder gives: ascending for Latency and for Resource with RF >= n_in,
// stride RF for Resource with RF < n_in. A layer without a bias adds hls4ml's zero bias, an
// ap_uint<1> array of zeros. A kernel hls4ml multiplies as weight_exponential is stored as
// exponent codes (EmitContext::AddKernel). io_stream: fixnn::dense_stream, one packet (a
// position's last axis) at a time.
#include <fmt/format.h>

#include "backends/hls/layer_emitter.h"

namespace fixnn::backends::hls {

Result<LayerCode> EmitDense(const EmitContext& ctx) {
  const ir::Node& node = ctx.node();
  const auto& attrs = node.as<ir::DenseAttrs>();
  const ir::Weight* kernel = node.FindWeight("kernel");
  const ir::Weight* bias = attrs.use_bias ? node.FindWeight("bias") : nullptr;
  if (kernel == nullptr || kernel->shape.size() != 2 || (attrs.use_bias && bias == nullptr)) {
    return ctx.Fail("expected a kernel [in, units] and a bias [units]");
  }
  const ir::LayerSettings& s = node.settings;
  if (s.strategy != ir::Strategy::kLatency && s.strategy != ir::Strategy::kResource) {
    return ctx.NotHandled("the ResourceUnrolled and DistributedArithmetic strategies");
  }
  const int64_t n_in = kernel->shape[0], n_out = kernel->shape[1];
  const int64_t n_pos = ir::NumElements(ctx.Tensor(ctx.In()).shape) / n_in;
  Result<fixed::FixedType> accum = ctx.InternalType("accum");
  if (!accum.ok()) return accum.error();

  LayerCode code;
  code.headers.insert("fixnn_dense.h");
  const std::string weight_t = ctx.TypedefName("weight"), bias_t = ctx.TypedefName("bias"),
                    accum_t = ctx.TypedefName("accum");
  code.typedefs.push_back({accum_t, *accum});
  Result<std::string> product =
      ctx.AddKernel(code, *kernel, "w", "weight",
                    fmt::format("layer '{}': kernel [{}, {}], weight i of output j at [i * {} + j]",
                                node.name, n_in, n_out, n_out),
                    ctx.TypeOf(ctx.In()));
  if (!product.ok()) return product.error();
  if (bias != nullptr) {
    code.typedefs.push_back({bias_t, *bias->precision.type});
    Result<std::vector<std::string>> b = ctx.WeightLiterals(*bias);
    if (!b.ok()) return b.error();
    code.arrays.push_back({ctx.Name("b"), bias_t,
                           fmt::format("layer '{}': bias [{}]", node.name, n_out),
                           std::move(b).value()});
  } else {
    code.typedefs.push_back({bias_t, fixed::FixedType::UInt(1)});
    code.arrays.push_back({ctx.Name("b"), bias_t,
                           fmt::format("layer '{}': no bias (zeros)", node.name),
                           std::vector<std::string>(static_cast<size_t>(n_out), "0")});
  }
  code.config = fmt::format(
      "// layer '{}' (Dense)\n"
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
      node.name, ctx.Name("config"), n_in, n_out, n_pos, s.reuse_factor,
      s.strategy == ir::Strategy::kLatency ? "latency" : "resource", accum_t, weight_t, bias_t,
      *product);
  if (ctx.io_stream()) {
    code.headers.insert("fixnn_dense_stream.h");
    code.stream_body =
        fmt::format("  fixnn::dense_stream<{}, {}, {}>({}, {}, {}, {});\n",
                    ctx.TypeNameOf(ctx.In()), ctx.TypeNameOf(ctx.Out()), ctx.Name("config"),
                    ctx.StreamIn(), ctx.StreamOut(), ctx.Name("w"), ctx.Name("b"));
  }
  ctx.AddOutput(code,
                fmt::format("fixnn::dense<{}, {}, {}>({}, {}, {}, {});", ctx.TypeNameOf(ctx.In()),
                            ctx.TypeNameOf(ctx.Out()), ctx.Name("config"), ctx.ArrayOf(ctx.In()),
                            ctx.ArrayOf(ctx.Out()), ctx.Name("w"), ctx.Name("b")));
  return code;
}

}  // namespace fixnn::backends::hls
