// Merge, Concatenate and Dot of two inputs -> firmware/fixnn/fixnn_merge.h, as the emulator
// computes them (src/emulator/merge_kernel.cc): exact operations then the cast, flat
// broadcasting, Concatenate along the axis hls4ml picks from the Keras axis, and Dot of two
// vectors summed in order in accum_t.
#include <fmt/format.h>

#include "backends/hls/layer_emitter.h"

namespace fixnn::backends::hls {
namespace {

std::string_view MergeOpName(ir::MergeKind k) {
  switch (k) {
    case ir::MergeKind::kAdd:
      return "merge_add";
    case ir::MergeKind::kSubtract:
      return "merge_subtract";
    case ir::MergeKind::kMultiply:
      return "merge_multiply";
    case ir::MergeKind::kAverage:
      return "merge_average";
    case ir::MergeKind::kMaximum:
      return "merge_maximum";
    case ir::MergeKind::kMinimum:
      return "merge_minimum";
  }
  return "merge_add";
}

}  // namespace

Result<LayerCode> EmitMerge(const EmitContext& ctx) {
  const ir::Node& node = ctx.node();
  if (node.inputs.size() != 2) return ctx.Fail("expected two inputs");
  const ir::Shape& a = ctx.Tensor(ctx.In(0)).shape;
  const ir::Shape& b = ctx.Tensor(ctx.In(1)).shape;
  const ir::Shape& y = ctx.Tensor(ctx.Out()).shape;
  LayerCode code;
  code.headers.insert("fixnn_merge.h");
  std::string fn;
  if (node.is<ir::DotAttrs>()) {
    fn = "dot";
    Result<fixed::FixedType> accum = ctx.InternalType("accum");
    if (!accum.ok()) return accum.error();
    code.typedefs.push_back({ctx.TypedefName("accum"), *accum});
    code.config = fmt::format(
        "// layer '{}' (Dot)\n"
        "struct {} : fixnn::dot_config {{\n"
        "  static const unsigned n_in = {};\n"
        "  typedef {} accum_t;\n"
        "}};\n",
        node.name, ctx.Name("config"), ir::NumElements(a), ctx.TypedefName("accum"));
  } else if (node.is<ir::MergeAttrs>()) {
    fn = "merge";
    code.config = fmt::format(
        "// layer '{}' ({})\n"
        "struct {} : fixnn::merge_config {{\n"
        "  static const unsigned n_out = {};\n"
        "  static const unsigned n_a = {};\n"
        "  static const unsigned n_b = {};\n"
        "  static const unsigned op = fixnn::{};\n"
        "}};\n",
        node.name, node.source, ctx.Name("config"), ir::NumElements(y), ir::NumElements(a),
        ir::NumElements(b), MergeOpName(node.as<ir::MergeAttrs>().kind));
  } else {
    fn = "concatenate";
    // The non-batch axis hls4ml joins along (the emulator refuses any other).
    const auto rank = static_cast<int64_t>(y.size());
    const int64_t axis = node.as<ir::ConcatenateAttrs>().axis;
    int64_t d = 0;
    if (rank == 2) {
      d = (axis == 2 || axis == -1) ? 1 : 0;
    } else if (rank == 3) {
      d = (axis == 3 || axis == -1) ? 2 : (axis == 2 || axis == -2) ? 1 : 0;
    }
    int64_t outer = 1;
    for (int64_t i = 0; i < d; ++i) outer *= y[static_cast<size_t>(i)];
    if (outer == 0) return ctx.Fail("an empty Concatenate output");
    code.config = fmt::format(
        "// layer '{}' (Concatenate)\n"
        "struct {} : fixnn::concat_config {{\n"
        "  static const unsigned n_outer = {};\n"
        "  static const unsigned block_a = {};\n"
        "  static const unsigned block_b = {};\n"
        "}};\n",
        node.name, ctx.Name("config"), outer, ir::NumElements(a) / outer,
        ir::NumElements(b) / outer);
  }
  ctx.AddOutput(
      code, fmt::format("fixnn::{}<{}, {}, {}, {}>({}, {}, {});", fn, ctx.TypeNameOf(ctx.In(0)),
                        ctx.TypeNameOf(ctx.In(1)), ctx.TypeNameOf(ctx.Out()), ctx.Name("config"),
                        ctx.ArrayOf(ctx.In(0)), ctx.ArrayOf(ctx.In(1)), ctx.ArrayOf(ctx.Out())));
  return code;
}

}  // namespace fixnn::backends::hls
