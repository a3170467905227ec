// Pool and GlobalPool -> firmware/fixnn/fixnn_pool.h, as the emulator computes them
// (src/emulator/pool_kernel.cc): TensorFlow's window geometry ('same' puts the smaller half of
// the padding before), max with hls4ml's pad value (the input type with only its top bit set:
// the minimum of a signed type, 2^(I-1) of an unsigned one), average over the unpadded cells
// with the quotient truncated toward zero. A global pool is one window over every position.
// io_stream: fixnn_pool_stream.h (a line buffer; a global pool accumulates per channel).
#include <fmt/format.h>

#include <algorithm>

#include "backends/hls/layer_emitter.h"

namespace fixnn::backends::hls {

Result<LayerCode> EmitPool(const EmitContext& ctx) {
  const ir::Node& node = ctx.node();
  const ir::Shape& in = ctx.Tensor(ctx.In()).shape;
  const ir::Shape& out = ctx.Tensor(ctx.Out()).shape;
  if (in.size() < 2) return ctx.Fail("expected [spatial..., channels]");
  int64_t in_h = 1, in_w = 1, pool_h = 1, pool_w = 1, stride_h = 1, stride_w = 1, pad_top = 0,
          pad_left = 0, out_h = 1, out_w = 1;
  const int64_t chan = in.back();
  bool is_max = true;
  if (node.is<ir::PoolAttrs>()) {
    const auto& a = node.as<ir::PoolAttrs>();
    is_max = a.kind == ir::PoolKind::kMax;
    const size_t rank = a.pool.size();
    const std::vector<int64_t> strides = a.strides.empty() ? a.pool : a.strides;
    if ((rank != 1 && rank != 2) || in.size() != rank + 1 || out.size() != rank + 1 ||
        strides.size() != rank) {
      return ctx.Fail("expected a 1-D or 2-D pool over [spatial..., channels]");
    }
    auto pad_before = [&](size_t d) {
      if (a.padding != ir::Padding::kSame) return int64_t{0};
      return std::max<int64_t>((out[d] - 1) * strides[d] + a.pool[d] - in[d], 0) / 2;
    };
    const size_t w = rank - 1;
    in_w = in[w];
    pool_w = a.pool[w];
    stride_w = strides[w];
    out_w = out[w];
    pad_left = pad_before(w);
    if (rank == 2) {
      in_h = in[0];
      pool_h = a.pool[0];
      stride_h = strides[0];
      out_h = out[0];
      pad_top = pad_before(0);
    }
  } else {
    is_max = node.as<ir::GlobalPoolAttrs>().kind == ir::PoolKind::kMax;
    in_w = pool_w = ir::NumElements(in) / std::max<int64_t>(chan, 1);
  }
  const bool global = !node.is<ir::PoolAttrs>();
  if (ctx.io_stream() && !global && in.size() == 2) {
    // fixnn_pool_stream.h takes a 1-D pool as a column (its line buffer holds pool_h pixels).
    std::swap(in_h, in_w);
    std::swap(pool_h, pool_w);
    std::swap(stride_h, stride_w);
    std::swap(pad_top, pad_left);
    std::swap(out_h, out_w);
  }
  Result<fixed::FixedType> accum = ctx.InternalType("accum");
  if (!accum.ok()) return accum.error();
  const fixed::FixedType& xt = ctx.TypeOf(ctx.In());
  // Only the top bit set: -2^(W-1) (signed) or +2^(W-1) (unsigned) mantissa units.
  const fixed::WideInt top = fixed::WideInt::PowerOfTwo(xt.width - 1);
  Result<std::string> pad =
      ctx.Literal(fixed::FixedValue::FromMantissa(xt, xt.is_signed ? -top : top), "pad value");
  if (!pad.ok()) return pad.error();

  LayerCode code;
  code.headers.insert("fixnn_pool.h");
  const std::string accum_t = ctx.TypedefName("accum");
  code.typedefs.push_back({accum_t, *accum});
  code.config = fmt::format(
      "// layer '{}' ({})\n"
      "struct {} : fixnn::pool_config {{\n"
      "  static const unsigned in_h = {};\n"
      "  static const unsigned in_w = {};\n"
      "  static const unsigned n_chan = {};\n"
      "  static const unsigned pool_h = {};\n"
      "  static const unsigned pool_w = {};\n"
      "  static const unsigned stride_h = {};\n"
      "  static const unsigned stride_w = {};\n"
      "  static const unsigned pad_top = {};\n"
      "  static const unsigned pad_left = {};\n"
      "  static const unsigned out_h = {};\n"
      "  static const unsigned out_w = {};\n"
      "  static const bool is_max = {};\n"
      "  typedef {} accum_t;\n"
      "}};\n",
      node.name, node.source.empty() ? ir::OpName(node.kind()) : node.source, ctx.Name("config"),
      in_h, in_w, chan, pool_h, pool_w, stride_h, stride_w, pad_top, pad_left, out_h, out_w,
      is_max ? "true" : "false", accum_t);
  if (ctx.io_stream()) {
    code.headers.insert("fixnn_pool_stream.h");
    code.stream_body =
        global ? fmt::format("  fixnn::global_pool_stream<{}, {}, {}>({}, {});\n",
                             ctx.TypeNameOf(ctx.In()), ctx.TypeNameOf(ctx.Out()),
                             ctx.Name("config"), ctx.StreamIn(), ctx.StreamOut())
               : fmt::format("  fixnn::pool_stream<{0}, {1}, {2}>({3}, {4}, {0}({5}));\n",
                             ctx.TypeNameOf(ctx.In()), ctx.TypeNameOf(ctx.Out()),
                             ctx.Name("config"), ctx.StreamIn(), ctx.StreamOut(), *pad);
  }
  ctx.AddOutput(
      code, fmt::format("fixnn::pool<{0}, {1}, {2}>({3}, {4}, {0}({5}));", ctx.TypeNameOf(ctx.In()),
                        ctx.TypeNameOf(ctx.Out()), ctx.Name("config"), ctx.ArrayOf(ctx.In()),
                        ctx.ArrayOf(ctx.Out()), *pad));
  return code;
}

}  // namespace fixnn::backends::hls
