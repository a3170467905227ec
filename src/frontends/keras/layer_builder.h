// Turning one call of one Keras layer into IR nodes. Each supported Keras class has a builder
// (layers_*.cc) registered by class name; the graph reader (graph_reader.cc) calls it with the
// layer's config and the IR tensors the call reads.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "frontends/keras/config_fields.h"
#include "frontends/keras/keras_source.h"
#include "frontends/keras/node_names.h"
#include "frontends/keras/weight_store.h"
#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::frontends::keras {

struct LayerCall {
  ir::Graph& graph;
  const KerasSource& source;
  const std::string& class_name;
  const nlohmann::json& config;     // the layer's "config" object
  ConfigFields fields;              // typed access to `config`
  LayerRef ref;                     // for weight lookup; ref.name is the Keras layer's name
  std::string node_name;            // IR name of the (first) node this call makes
  NodeNames& names;                 // gives out the names of further nodes (node_names.h)
  std::vector<std::string> inputs;  // IR tensors read
  // Stored weights a node maker may leave for a later step (QKeras folded batch norms).
  std::vector<std::string> leave_for_later = {};

  // Errors with the file and layer name.
  Error Fail(const std::string& message) const { return fields.Fail(message); }

  // The stored weights under the expected names, in this order. Named layouts are matched by
  // name (extra stored names in `ignore` are skipped); positional layouts must hold exactly
  // `expected.size()` arrays. Optional names (BatchNorm without gamma...) are simply not listed.
  Result<std::vector<ir::Weight>> TakeWeights(const std::vector<std::string>& expected,
                                              const std::string& sub = "",
                                              const std::vector<std::string>& ignore = {}) const;

  // A Keras activation name as seen by this layer (QKeras layers resolve names through
  // QKeras first). nullopt for linear.
  Result<std::optional<ir::ActivationAttrs>> ActivationNamed(const std::string& name) const;

  // Adds `node` (inputs/outputs filled by the caller or defaulted: inputs = this call's inputs,
  // outputs = {node.name}); returns its first output tensor.
  Result<std::string> Add(ir::Node node) const;

  // Adds the activation a layer's `activation` field asks for after `tensor`, named as hls4ml
  // names it: an Activation node "<layer>_<fn>" (for 'linear' only from Keras 2 models, nothing
  // when absent), or a Quantize node for a QKeras quantizer, made unique by `names` (a second
  // call of the layer gives "<layer>_<fn>_0"). Returns the tensor to use as the layer's output.
  Result<std::string> AddActivationField(const std::string& tensor,
                                         const std::string& key = "activation") const;
};

// Builds the IR for one call; returns the output tensors in Keras output order.
using LayerBuilder = std::function<Result<std::vector<std::string>>(const LayerCall&)>;

// Errors for activation quantizers whose scale QKeras computes from each batch.
Status RefuseBatchAlpha(const LayerCall& call, const ir::Quantizer& q);

// Errors unless the call has min..max inputs / the layer is channels_last.
Status CheckInputCount(const LayerCall& call, size_t min, size_t max);
Status CheckChannelsLast(const LayerCall& call);

// Node makers shared by the Keras and QKeras builders: the node with its attributes and
// weights (named call.node_name), not yet added.
Result<ir::Node> MakeDenseNode(const LayerCall& call);
Result<ir::Node> MakeBatchNormNode(const LayerCall& call);
Result<ir::Node> MakeConvNode(const LayerCall& call, size_t rank);
Result<ir::Node> MakeDepthwiseConvNode(const LayerCall& call, size_t rank);
Result<ir::Node> MakeSeparableConvNode(const LayerCall& call, size_t rank);
Result<ir::Node> MakePoolNode(const LayerCall& call, size_t rank, ir::PoolKind kind);
Result<ir::Node> MakeGlobalPoolNode(const LayerCall& call, size_t rank, ir::PoolKind kind);
// Recurrent layers: `sub` is the weight location ("cell", "forward_layer/cell", ...).
Result<ir::RecurrentAttrs> MakeRecurrentAttrs(const LayerCall& call, ir::RecurrentCell cell,
                                              const nlohmann::json& config);
Result<ir::Node> MakeRecurrentNode(const LayerCall& call, ir::RecurrentCell cell);

// A Bidirectional wrapper around QKeras recurrent layers (QBidirectional, or Bidirectional
// wrapping a QLSTM/QGRU/QSimpleRNN).
Result<std::vector<std::string>> QBidirectional(const LayerCall& call);

// Adds `node` and then the layer's activation field; returns the single output.
Result<std::vector<std::string>> AddWithActivation(const LayerCall& call, ir::Node node);

// Class name -> builder, for every supported Keras, QKeras and HGQ layer.
const std::map<std::string, LayerBuilder>& LayerBuilders();

// Registration of each family (layers_*.cc).
void RegisterCoreLayers(std::map<std::string, LayerBuilder>& builders);
void RegisterConvLayers(std::map<std::string, LayerBuilder>& builders);
void RegisterRecurrentLayers(std::map<std::string, LayerBuilder>& builders);
void RegisterQKerasLayers(std::map<std::string, LayerBuilder>& builders);

// Layers that do nothing at inference; their output is their input.
const std::vector<std::string>& InferenceNoOps();
bool IsInferenceNoOp(const std::string& class_name);

}  // namespace fixnn::frontends::keras
