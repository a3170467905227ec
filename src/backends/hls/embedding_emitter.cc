// Embedding -> firmware/fixnn/fixnn_embedding.h, as the emulator computes it
// (src/emulator/embedding_kernel.cc): the embeddings stored through hls4ml's decimal text in
// their type, the subscript x_j * n_out + i truncated toward zero, and 0 where it falls outside
// the table (hls4ml reads out of bounds there; the emulator counts those reads).
#include <fmt/format.h>

#include "backends/hls/layer_emitter.h"

namespace fixnn::backends::hls {

Result<LayerCode> EmitEmbedding(const EmitContext& ctx) {
  const ir::Node& node = ctx.node();
  const auto& a = node.as<ir::EmbeddingAttrs>();
  const ir::Weight* w = node.FindWeight("embeddings");
  if (w == nullptr || !w->precision.type) return ctx.Fail("expected a typed 'embeddings' weight");
  const int64_t n_in = ir::NumElements(ctx.Tensor(ctx.In()).shape);
  LayerCode code;
  code.headers.insert("fixnn_embedding.h");
  const std::string type_name = ctx.TypedefName("embeddings");
  code.typedefs.push_back({type_name, *w->precision.type});
  Result<std::vector<std::string>> values = ctx.WeightLiterals(*w);
  if (!values.ok()) return values.error();
  code.arrays.push_back(
      {ctx.Name("e"), type_name,
       fmt::format("layer '{}': embeddings [{}, {}]", node.name, a.input_dim, a.output_dim),
       std::move(values).value()});
  code.config = fmt::format(
      "// layer '{}' (Embedding)\n"
      "struct {} : fixnn::embedding_config {{\n"
      "  static const unsigned n_in = {};\n"
      "  static const unsigned n_out = {};\n"
      "  static const unsigned vocab_size = {};\n"
      "  typedef {} embeddings_t;\n"
      "}};\n",
      node.name, ctx.Name("config"), n_in, a.output_dim, a.input_dim, type_name);
  ctx.AddOutput(code,
                fmt::format("fixnn::embedding<{}, {}, {}>({}, {}, {});", ctx.TypeNameOf(ctx.In()),
                            ctx.TypeNameOf(ctx.Out()), ctx.Name("config"), ctx.ArrayOf(ctx.In()),
                            ctx.ArrayOf(ctx.Out()), ctx.Name("e")));
  return code;
}

}  // namespace fixnn::backends::hls
