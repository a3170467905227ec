// How each layer becomes C++ in the generated project: its typedefs (defines.h), its config
// struct (parameters.h), its constant arrays (firmware/weights/), and the statements of the
// top function that compute its output with a template from firmware/fixnn/.
//
// Every emitter reproduces what the emulator computes for the node (src/emulator/*_kernel.cc):
// constants are the values the emulator stores (quantizer, decimal round trip, tables built
// with hls4ml's float arithmetic), written as exact literals.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "fixed/fixed_type.h"
#include "fixed/fixed_value.h"
#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::backends::hls {

struct Typedef {
  std::string name;  // "layer2_accum_t"
  fixed::FixedType type;
  bool fixed_form = false;  // spell integer types as ap_fixed (graph inputs)
};

// A constant array: weights, biases, parameters, tables.
struct ConstArray {
  std::string name;                 // "w2"
  std::string type_name;            // "layer2_weight_t"
  std::string comment;              // what it holds
  std::vector<std::string> values;  // exact literals
};

struct LayerCode {
  std::vector<Typedef> typedefs;
  std::string config;  // parameters.h text (empty: none)
  std::vector<ConstArray> arrays;
  std::string body;               // statements of the top function
  std::set<std::string> headers;  // templates the body uses ("fixnn_dense.h")
  // io_stream: the statements of the layer's own function, reading streams in0, in1, ... and
  // writing stream out (EmitContext::StreamIn, StreamOut). Empty: the layer reads its whole
  // inputs into arrays and runs `body` (the writer's buffered form).
  std::string stream_body;
};

// C names of one graph's tensors: the array holding each tensor and its type's typedef.
struct TensorNames {
  std::map<std::string, std::string> array;
  std::map<std::string, std::string> type;
};

class EmitContext {
 public:
  EmitContext(const ir::Graph& graph, const TensorNames& names, size_t index,
              bool io_stream = false)
      : graph_(graph), names_(names), index_(index), io_stream_(io_stream) {}

  const ir::Graph& graph() const { return graph_; }
  const ir::Node& node() const { return graph_.nodes()[index_]; }
  // The layer's number in C names ("layer3_t", "w3", "config3").
  int id() const { return static_cast<int>(index_) + 1; }
  std::string Name(const std::string& stem) const;        // stem + id: "w3", "config3"
  std::string TypedefName(const std::string& key) const;  // "layer3_<key>_t"

  const ir::Tensor& Tensor(const std::string& name) const { return *graph_.FindTensor(name); }
  const fixed::FixedType& TypeOf(const std::string& tensor) const;
  const std::string& ArrayOf(const std::string& tensor) const { return names_.array.at(tensor); }
  const std::string& TypeNameOf(const std::string& tensor) const { return names_.type.at(tensor); }
  const std::string& In(size_t i = 0) const { return node().inputs.at(i); }
  const std::string& Out(size_t i = 0) const { return node().outputs.at(i); }
  // io_stream: whether the project streams, and the names of the layer function's streams.
  bool io_stream() const { return io_stream_; }
  std::string StreamIn(size_t i = 0) const { return "in" + std::to_string(i); }
  // "out", then "out1", "out2", ... for the outputs of a layer with several.
  std::string StreamOut(size_t i = 0) const { return i == 0 ? "out" : "out" + std::to_string(i); }

  // The node's internal type `key` ("accum", "table", ...).
  Result<fixed::FixedType> InternalType(const std::string& key) const;

  // "layer 'x' (Dense): <what>".
  Error Fail(const std::string& what) const;
  // "layer 'x' (Dense): the HLS writer does not handle <what> yet".
  Error NotHandled(const std::string& what) const;

  // The output array's declaration plus `call`, and the output's typedef.
  void AddOutput(LayerCode& code, const std::string& call) const;
  // A literal for v; an error naming the layer and `what` when no double holds v.
  Result<std::string> Literal(const fixed::FixedValue& v, const std::string& what) const;
  // The weight's values as the emulator stores them (quantizer, then the decimal round trip
  // into its type), as literals.
  Result<std::vector<std::string>> WeightLiterals(const ir::Weight& w) const;
  // A kernel multiplied by inputs of type `x`, added to `code` as array ctx.Name(stem) of type
  // TypedefName(key). Returns the config's product policy: "fixnn::plain_product", or, where the
  // emulator multiplies as hls4ml's weight_exponential (LayerSettings::exponent_products, a
  // quantized_po2 kernel, a product that is not exact), "fixnn::exponent_product<r_t>" with the
  // kernel stored as codes 2 * exponent + (negative ? 1 : 0) in an ap_int<B + 1>.
  Result<std::string> AddKernel(LayerCode& code, const ir::Weight& w, const std::string& stem,
                                const std::string& key, const std::string& comment,
                                const fixed::FixedType& x) const;

 private:
  const ir::Graph& graph_;
  const TensorNames& names_;
  size_t index_;
  bool io_stream_;
};

// Whether the writer has an emitter for the node's op (not whether every setting is handled).
bool HasEmitter(const ir::Node& node);

// The node's code, or an error naming the layer. One emitter per op family.
Result<LayerCode> EmitLayer(const EmitContext& ctx);
Result<LayerCode> EmitDense(const EmitContext& ctx);
Result<LayerCode> EmitElementwise(const EmitContext& ctx);  // activations, PReLU, Quantize,
                                                            // Flatten, Reshape
Result<LayerCode> EmitSoftmax(const EmitContext& ctx);
Result<LayerCode> EmitMerge(const EmitContext& ctx);        // Merge, Concatenate, Dot
Result<LayerCode> EmitBatchNorm(const EmitContext& ctx);    // BatchNorm, Scale
Result<LayerCode> EmitConvolution(const EmitContext& ctx);  // Conv, DepthwiseConv, SeparableConv
Result<LayerCode> EmitPool(const EmitContext& ctx);         // Pool, GlobalPool
// Permute, ZeroPadding, Cropping, UpSampling
Result<LayerCode> EmitLayout(const EmitContext& ctx);
Result<LayerCode> EmitEmbedding(const EmitContext& ctx);
Result<LayerCode> EmitRecurrent(const EmitContext& ctx);  // Recurrent, Bidirectional

}  // namespace fixnn::backends::hls
