// Softmax -> fixnn::softmax (firmware/fixnn/fixnn_softmax.h), with the emulator's choices
// (src/emulator/softmax_kernel.cc): hls4ml's table-size fix-up, the stable exp table indexed
// by inp_norm_t = ufixed<W-1, I-1> of a signed input, tables built with hls4ml's float
// arithmetic, the legacy tables in ap_fixed<18,8> whatever table_t is configured, and the
// slices of a Keras Softmax layer's axis.
#include <fmt/format.h>

#include <algorithm>

#include "backends/hls/layer_emitter.h"
#include "emulator/hls4ml_tables.h"
#include "passes/softmax_norm_types.h"

namespace fixnn::backends::hls {
namespace {

using fixed::FixedType;
using fixed::FixedValue;

struct Slices {
  int64_t outer = 1, slice = 0, inner = 1;
};

Result<Slices> SoftmaxSlices(const EmitContext& ctx) {
  const ir::Shape& shape = ctx.Tensor(ctx.In()).shape;
  const auto rank = static_cast<int64_t>(shape.size());
  Slices s;
  s.slice = ir::NumElements(shape);
  if (rank <= 1 || ctx.node().source == "Activation") return s;
  const int64_t axis = ctx.node().as<ir::ActivationAttrs>().axis;
  const int64_t with_batch = axis < 0 ? axis + rank + 1 : axis;
  if (with_batch < 1 || with_batch > rank) return ctx.Fail("softmax axis out of range");
  const auto d = static_cast<size_t>(with_batch - 1);
  s.outer = 1;
  for (size_t i = 0; i < d; ++i) s.outer *= shape[i];
  for (size_t i = d + 1; i < shape.size(); ++i) s.inner *= shape[i];
  s.slice = shape[d];
  return s;
}

Result<ConstArray> TableArray(const EmitContext& ctx, const std::string& name,
                              const std::string& type_name, const FixedType& t,
                              const std::vector<float>& entries, const std::string& what) {
  ConstArray a{name,
               type_name,
               fmt::format("layer '{}': softmax {} table, {} entries", ctx.node().name, what,
                           entries.size()),
               {}};
  for (float f : entries) {
    Result<FixedValue> v = emulator::FloatToFixed(f, t);
    if (!v.ok()) return ctx.Fail(v.error().message());
    Result<std::string> text = ctx.Literal(*v, what + " table entry");
    if (!text.ok()) return text.error();
    a.values.push_back(std::move(text).value());
  }
  return a;
}

}  // namespace

Result<LayerCode> EmitSoftmax(const EmitContext& ctx) {
  const ir::Node& node = ctx.node();
  Result<Slices> slices = SoftmaxSlices(ctx);
  if (!slices.ok()) return slices.error();
  const FixedType& xt = ctx.TypeOf(ctx.In());
  LayerCode code;
  code.headers.insert("fixnn_softmax.h");
  std::string impl;
  std::string types;
  int64_t exp_size = 1, inv_size = 1;
  int exp_bits = 1, inv_bits = 1;
  switch (node.settings.softmax_implementation) {
    case ir::SoftmaxImplementation::kArgmax:
      impl = "softmax_argmax";
      break;
    case ir::SoftmaxImplementation::kLegacy: {
      // hls4ml's softmax config has no table_t of its own: the ap_fixed<18,8> of its base.
      impl = "softmax_legacy";
      const FixedType table_t = FixedType::Fixed(18, 8);
      Result<FixedType> inv_t = ctx.InternalType("inv_table");
      if (!inv_t.ok()) return inv_t.error();
      int64_t table_size = node.settings.table_size;
      const int narrow = std::min(xt.width, inv_t->width);
      if (narrow < 62 && (int64_t{1} << narrow) < table_size) table_size = int64_t{1} << narrow;
      exp_size = inv_size = table_size;
      const std::string table_name = ctx.TypedefName("table");
      code.typedefs.push_back({table_name, table_t});
      Result<ConstArray> exp_table =
          TableArray(ctx, ctx.Name("exp_table"), table_name, table_t,
                     emulator::LegacySoftmaxExpTableFloats(table_size), "exp");
      if (!exp_table.ok()) return exp_table.error();
      ConstArray inv_table{
          ctx.Name("inv_table"),
          table_name,
          fmt::format("layer '{}': softmax inverse table, {} entries", node.name, table_size),
          {}};
      for (double d : emulator::LegacySoftmaxInvTableValues(table_size)) {
        Result<FixedValue> v = fixed::Quantize(d, table_t);
        if (!v.ok()) return ctx.Fail(v.error().message());
        Result<std::string> text = ctx.Literal(*v, "inverse table entry");
        if (!text.ok()) return text.error();
        inv_table.values.push_back(std::move(text).value());
      }
      code.arrays.push_back(std::move(exp_table).value());
      code.arrays.push_back(std::move(inv_table));
      types = fmt::format("  typedef {0} exp_table_t;\n  typedef {0} inv_table_t;\n", table_name);
      break;
    }
    case ir::SoftmaxImplementation::kStable:
    case ir::SoftmaxImplementation::kLatency: {
      const bool stable =
          node.settings.softmax_implementation == ir::SoftmaxImplementation::kStable;
      impl = stable ? "softmax_stable" : "softmax_latency";
      Result<FixedType> exp_t = ctx.InternalType("exp_table");
      Result<FixedType> inv_t = ctx.InternalType("inv_table");
      Result<FixedType> inv_inp_t = ctx.InternalType("inv_inp");
      Result<FixedType> accum_t = ctx.InternalType("accum");
      for (const Result<FixedType>* t : {&exp_t, &inv_t, &inv_inp_t, &accum_t}) {
        if (!t->ok()) return t->error();
      }
      // hls4ml's fix_softmax_table_size, then the stable exp table's limit.
      int64_t table_size = node.settings.table_size;
      const int narrow = std::min(xt.width, inv_t->width);
      if (narrow < 62 && (int64_t{1} << narrow) < table_size) table_size = int64_t{1} << narrow;
      exp_size = inv_size = table_size;
      FixedType index_t = xt;
      if (stable) {
        // inp_norm_t as the emulator takes it; the exp table has at most 2^W entries.
        index_t = passes::StableSoftmaxNormType(node, xt);
        if (index_t.width < 62) exp_size = std::min(exp_size, int64_t{1} << index_t.width);
      }
      exp_bits = emulator::SoftmaxIndexBits(exp_size);
      inv_bits = emulator::SoftmaxIndexBits(inv_size);
      const std::string names[] = {ctx.TypedefName("exp_table"), ctx.TypedefName("inv_table"),
                                   ctx.TypedefName("accum"), ctx.TypedefName("inv_inp"),
                                   ctx.TypedefName("inp_norm")};
      code.typedefs.push_back({names[0], *exp_t});
      code.typedefs.push_back({names[1], *inv_t});
      code.typedefs.push_back({names[2], *accum_t});
      code.typedefs.push_back({names[3], *inv_inp_t});
      code.typedefs.push_back({names[4], index_t});
      Result<ConstArray> exp_table =
          TableArray(ctx, ctx.Name("exp_table"), names[0], *exp_t,
                     emulator::SoftmaxExpTableFloats(index_t, exp_size, stable), "exp");
      if (!exp_table.ok()) return exp_table.error();
      Result<ConstArray> inv_table = TableArray(
          ctx, ctx.Name("inv_table"), names[1], *inv_t,
          emulator::SoftmaxInvTableFloats(*inv_inp_t, int64_t{1} << inv_bits), "inverse");
      if (!inv_table.ok()) return inv_table.error();
      inv_size = int64_t{1} << inv_bits;
      code.arrays.push_back(std::move(exp_table).value());
      code.arrays.push_back(std::move(inv_table).value());
      types = fmt::format(
          "  typedef {} exp_table_t;\n  typedef {} inv_table_t;\n  typedef {} accum_t;\n"
          "  typedef {} inv_inp_t;\n  typedef {} inp_norm_t;\n",
          names[0], names[1], names[2], names[3], names[4]);
      break;
    }
  }
  code.config = fmt::format(
      "// layer '{}' ({})\n"
      "struct {} : fixnn::softmax_config {{\n"
      "  static const unsigned n_slice = {};\n"
      "  static const unsigned n_outer = {};\n"
      "  static const unsigned n_inner = {};\n"
      "  static const unsigned implementation = fixnn::{};\n"
      "  static const unsigned exp_table_size = {};\n"
      "  static const unsigned inv_table_size = {};\n"
      "  static const int exp_bits = {};\n"
      "  static const int inv_bits = {};\n"
      "{}}};\n",
      node.name, node.source, ctx.Name("config"), slices->slice, slices->outer, slices->inner, impl,
      exp_size, inv_size, exp_bits, inv_bits, types);
  const std::string exp_arg = code.arrays.empty() ? "nullptr" : ctx.Name("exp_table");
  const std::string inv_arg = code.arrays.empty() ? "nullptr" : ctx.Name("inv_table");
  ctx.AddOutput(code,
                fmt::format("fixnn::softmax<{}, {}, {}>({}, {}, {}, {});", ctx.TypeNameOf(ctx.In()),
                            ctx.TypeNameOf(ctx.Out()), ctx.Name("config"), ctx.ArrayOf(ctx.In()),
                            ctx.ArrayOf(ctx.Out()), exp_arg, inv_arg));
  return code;
}

}  // namespace fixnn::backends::hls
