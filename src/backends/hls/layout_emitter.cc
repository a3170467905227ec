// Permute, ZeroPadding, Cropping and UpSampling -> firmware/fixnn/fixnn_layout.h, as the emulator
// computes them (src/emulator/layout_kernel.cc): every output element a zero or a copy of one
// input element, cast into the result type (UpSampling: no cast, its result type is its input
// type). The index arithmetic is computed by loops from the shapes, never stored as tables.
#include <fmt/format.h>

#include "backends/hls/layer_emitter.h"

namespace fixnn::backends::hls {
namespace {

std::string Comment(const ir::Node& node) {
  return fmt::format("// layer '{}' ({})\n", node.name,
                     node.source.empty() ? ir::OpName(node.kind()) : node.source);
}

Result<LayerCode> Transpose(const EmitContext& ctx) {
  const ir::Shape& in = ctx.Tensor(ctx.In()).shape;
  const ir::Shape& out = ctx.Tensor(ctx.Out()).shape;
  const std::vector<int64_t>& dims = ctx.node().as<ir::PermuteAttrs>().dims;
  if (in.size() > 3 || dims.size() != in.size() || out.size() != in.size()) {
    return ctx.NotHandled(fmt::format("Permute of a rank-{} tensor", in.size()));
  }
  // Row-major strides of the input; output axis k walks input axis dims[k] - 1.
  std::vector<int64_t> in_strides(in.size(), 1);
  for (size_t d = in.size(); d-- > 1;) in_strides[d - 1] = in_strides[d] * in[d];
  int64_t shape[3] = {1, 1, 1}, strides[3] = {0, 0, 0};
  const size_t lead = 3 - in.size();
  for (size_t k = 0; k < in.size(); ++k) {
    const int64_t d = dims[k] - 1;
    if (d < 0 || d >= static_cast<int64_t>(in.size())) return ctx.Fail("dims out of range");
    shape[lead + k] = out[k];
    strides[lead + k] = in_strides[static_cast<size_t>(d)];
  }
  LayerCode code;
  code.headers.insert("fixnn_layout.h");
  code.config = Comment(ctx.node()) + fmt::format(
                                          "struct {} : fixnn::transpose_config {{\n"
                                          "  static const unsigned d0 = {}, d1 = {}, d2 = {};\n"
                                          "  static const unsigned s0 = {}, s1 = {}, s2 = {};\n"
                                          "}};\n",
                                          ctx.Name("config"), shape[0], shape[1], shape[2],
                                          strides[0], strides[1], strides[2]);
  ctx.AddOutput(code, fmt::format("fixnn::transpose<{}, {}, {}>({}, {});", ctx.TypeNameOf(ctx.In()),
                                  ctx.TypeNameOf(ctx.Out()), ctx.Name("config"),
                                  ctx.ArrayOf(ctx.In()), ctx.ArrayOf(ctx.Out())));
  return code;
}

// ZeroPadding (sides add) and Cropping (sides remove), 1-D or 2-D.
Result<LayerCode> Window(const EmitContext& ctx,
                         const std::vector<std::pair<int64_t, int64_t>>& sides, bool padding) {
  const ir::Shape& in = ctx.Tensor(ctx.In()).shape;
  const ir::Shape& out = ctx.Tensor(ctx.Out()).shape;
  const size_t rank = sides.size();
  if ((rank != 1 && rank != 2) || in.size() != rank + 1 || out.size() != rank + 1) {
    return ctx.Fail("expected a 1-D or 2-D [spatial..., channels] tensor");
  }
  const int64_t sign = padding ? -1 : 1;
  const size_t w = rank - 1;
  const int64_t in_h = rank == 2 ? in[0] : 1, out_h = rank == 2 ? out[0] : 1;
  const int64_t off_h = rank == 2 ? sign * sides[0].first : 0;
  LayerCode code;
  code.headers.insert("fixnn_layout.h");
  code.config =
      Comment(ctx.node()) + fmt::format(
                                "struct {} : fixnn::window_config {{\n"
                                "  static const unsigned in_h = {}, in_w = {}, n_chan = {};\n"
                                "  static const unsigned out_h = {}, out_w = {};\n"
                                "  static const int off_h = {}, off_w = {};\n"
                                "}};\n",
                                ctx.Name("config"), in_h, in[w], in.back(), out_h, out[w], off_h,
                                sign * sides[w].first);
  if (ctx.io_stream()) {
    code.headers.insert("fixnn_layout_stream.h");
    code.stream_body =
        fmt::format("  fixnn::{}_stream<{}, {}, {}>({}, {});\n", padding ? "pad" : "crop",
                    ctx.TypeNameOf(ctx.In()), ctx.TypeNameOf(ctx.Out()), ctx.Name("config"),
                    ctx.StreamIn(), ctx.StreamOut());
  }
  ctx.AddOutput(code, fmt::format("fixnn::window<{}, {}, {}>({}, {});", ctx.TypeNameOf(ctx.In()),
                                  ctx.TypeNameOf(ctx.Out()), ctx.Name("config"),
                                  ctx.ArrayOf(ctx.In()), ctx.ArrayOf(ctx.Out())));
  return code;
}

Result<LayerCode> UpSample(const EmitContext& ctx) {
  const ir::Shape& in = ctx.Tensor(ctx.In()).shape;
  const ir::Shape& out = ctx.Tensor(ctx.Out()).shape;
  if ((in.size() != 2 && in.size() != 3) || out.size() != in.size()) {
    return ctx.Fail("expected a 1-D or 2-D [spatial..., channels] tensor");
  }
  const size_t w = in.size() - 2;
  LayerCode code;
  code.headers.insert("fixnn_layout.h");
  int64_t in_h = w == 1 ? in[0] : 1, in_w = in[w], out_h = w == 1 ? out[0] : 1, out_w = out[w];
  if (ctx.io_stream() && w == 0) {
    // fixnn_layout_stream.h takes a 1-D layer as a column.
    std::swap(in_h, in_w);
    std::swap(out_h, out_w);
  }
  code.config =
      Comment(ctx.node()) + fmt::format(
                                "struct {} : fixnn::upsample_config {{\n"
                                "  static const unsigned in_h = {}, in_w = {}, n_chan = {};\n"
                                "  static const unsigned out_h = {}, out_w = {};\n"
                                "}};\n",
                                ctx.Name("config"), in_h, in_w, in.back(), out_h, out_w);
  if (ctx.io_stream()) {
    code.headers.insert("fixnn_layout_stream.h");
    code.stream_body =
        fmt::format("  fixnn::upsample_stream<{}, {}>({}, {});\n", ctx.TypeNameOf(ctx.In()),
                    ctx.Name("config"), ctx.StreamIn(), ctx.StreamOut());
  }
  // The emulator accepts only a result type equal to the input's: the same typedef's values.
  ctx.AddOutput(code,
                fmt::format("fixnn::upsample_nearest<{}, {}>({}, {});", ctx.TypeNameOf(ctx.In()),
                            ctx.Name("config"), ctx.ArrayOf(ctx.In()), ctx.ArrayOf(ctx.Out())));
  return code;
}

}  // namespace

Result<LayerCode> EmitLayout(const EmitContext& ctx) {
  const ir::Node& node = ctx.node();
  switch (node.kind()) {
    case ir::OpKind::kPermute:
      return Transpose(ctx);
    case ir::OpKind::kZeroPadding:
      return Window(ctx, node.as<ir::ZeroPaddingAttrs>().pads, true);
    case ir::OpKind::kCropping:
      return Window(ctx, node.as<ir::CroppingAttrs>().crops, false);
    case ir::OpKind::kUpSampling:
      if (node.as<ir::UpSamplingAttrs>().bilinear) return ctx.NotHandled("bilinear upsampling");
      return UpSample(ctx);
    default:
      return ctx.NotHandled(std::string(ir::OpName(node.kind())));
  }
}

}  // namespace fixnn::backends::hls
