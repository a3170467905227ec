// The IR: a DAG of layer nodes joined by named tensors. Shapes are channels-last without the
// batch axis. Weights hold the framework's values exactly (float32 values are exact doubles)
// with the quantizer the framework applies to them. Precisions are optional: unset means
// "not configured yet" (the configuration and passes fill them).
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fixed/fixed_type.h"
#include "ir/ops.h"
#include "ir/quantizer.h"
#include "support/result.h"

namespace fixnn::ir {

using Shape = std::vector<int64_t>;

int64_t NumElements(const Shape& shape);
std::string ToString(const Shape& shape);  // "[8, 8, 3]"

// A tensor's fixed-point precision: one type for all elements, or one per element.
struct Precision {
  std::optional<FixedType> type;
  std::optional<ElementTypes> per_element;
  bool is_set() const { return type.has_value() || per_element.has_value(); }
};

struct Tensor {
  std::string name;
  Shape shape;
  Precision precision;
  bool integer_valued = false;  // Embedding indices
};

struct Weight {
  std::string name;  // "kernel", "bias", ... (see the op's comment in ops.h)
  Shape shape;
  std::vector<double> values;  // row-major
  std::optional<Quantizer> quantizer;
  Precision precision;  // the configured storage type, once known
};

// hls4ml's Strategy: how a layer schedules its multiplications.
enum class Strategy { kLatency, kResource, kResourceUnrolled, kDistributedArithmetic };

// hls4ml's Softmax implementation.
enum class SoftmaxImplementation { kStable, kLatency, kArgmax, kLegacy };

// A layer's configured settings, hls4ml's defaults until the configuration pass sets them.
struct LayerSettings {
  int64_t reuse_factor = 1;
  // Recurrent layers: the state product's reuse factor. Bidirectional: the forward layer's
  // (reuse_factor is the forward input product's); backward_* are the backward layer's.
  int64_t recurrent_reuse_factor = 1;
  int64_t backward_reuse_factor = 1;
  int64_t backward_recurrent_reuse_factor = 1;
  // SeparableConv: the depthwise and pointwise products'.
  int64_t depthwise_reuse_factor = 1;
  int64_t pointwise_reuse_factor = 1;
  Strategy strategy = Strategy::kLatency;
  int64_t table_size = 1024;  // lookup-table activations (and recurrent layers' activations)
  SoftmaxImplementation softmax_implementation = SoftmaxImplementation::kStable;
  bool trace = false;
  // Dense and the convolutions: a QKeras quantized_po2 weight multiplies as hls4ml's
  // nnet::product::weight_exponential (a shift in a bounded type, which can drop bits) instead
  // of exactly. Set by passes::ConfigureOptions::Hls4ml().
  bool exponent_products = false;
  // Recurrent layers (hls4ml's Static): the HLS cell keeps its state in static arrays, reset at
  // each sample's first step; otherwise the state is passed in and out. Same numerics.
  bool static_state = true;
  // Recurrent layers whose QKeras state quantizer is a binary sign (a 1-bit quantized_bits, or
  // binary without alpha: +1 where x >= 0, else -1): every value cast into the state type
  // (ap_fixed<2,2,AP_TRN,AP_SAT>, whose floor and saturation keep the sign) then becomes +1
  // where it is >= 0 and -1 below. Set by passes::ApplyConfig.
  bool binary_state = false;
  // Precision keys configured "auto" and not yet inferred: "result", a weight's key
  // ("weight", "bias", ...) or an internal type's ("accum", ...). Empty once inferred.
  std::vector<std::string> auto_precisions;
  // HLSConfig.Model.Precision.maximum: an inferred type never has a wider width or more
  // integer bits.
  std::optional<FixedType> auto_maximum;
  // HLSConfig.Model.Precision.default: what "auto" becomes where hls4ml infers nothing.
  std::optional<FixedType> auto_fallback;

  bool IsAuto(const std::string& key) const {
    return std::find(auto_precisions.begin(), auto_precisions.end(), key) != auto_precisions.end();
  }
};

// How many entries of one weight are zero or +-2^k, counted on the values in the weight's
// configured type.
struct WeightClassCounts {
  std::string weight;  // the weight's name ("kernel", "bias", ...)
  int64_t total = 0;
  int64_t zeros = 0;
  int64_t powers_of_two = 0;  // nonzero entries whose magnitude is a power of two
};

struct Node {
  std::string name;    // unique in the graph; the framework's layer name
  std::string source;  // the framework's class ("QDense", "Conv2D", ...)
  OpAttrs attrs;
  std::vector<std::string> inputs;   // tensor names
  std::vector<std::string> outputs;  // tensor names
  std::vector<Weight> weights;
  // Quantizer applied to the op's result (QKeras activation quantizers, QActivation, HGQ).
  std::optional<Quantizer> output_quantizer;
  // The op's internal fixed-point types once configured, by hls4ml's precision key: "accum",
  // "table", "exp_table", "inv_table", "scale", "recurrent_weight", ... (the result type is the
  // output tensor's precision, weight types are on the weights).
  std::map<std::string, FixedType> types;
  // Configured settings the later stages read (filled by the configuration pass).
  LayerSettings settings;
  // Zero and power-of-two entries of the multiplying weights, for the estimates (filled by
  // the weight classification pass).
  std::vector<WeightClassCounts> weight_classes;

  OpKind kind() const { return KindOf(attrs); }
  template <typename A>
  const A& as() const {
    return std::get<A>(attrs);
  }
  template <typename A>
  A& as() {
    return std::get<A>(attrs);
  }
  template <typename A>
  bool is() const {
    return std::holds_alternative<A>(attrs);
  }

  const Weight* FindWeight(const std::string& weight_name) const;
  Weight* FindWeight(const std::string& weight_name);
};

class Graph {
 public:
  // Nodes are kept in topological order: AddNode requires every input tensor to exist.
  // The node's output tensors are created with empty shapes (InferShapes fills them).
  Status AddNode(Node node);
  // Declares an external input; creates an Input node and its tensor.
  Status AddInput(const std::string& name, const Shape& shape, bool integer_valued = false);
  Status MarkOutput(const std::string& tensor_name);

  const std::vector<Node>& nodes() const { return nodes_; }
  std::vector<Node>& nodes() { return nodes_; }
  const std::vector<std::string>& inputs() const { return inputs_; }    // tensor names
  const std::vector<std::string>& outputs() const { return outputs_; }  // tensor names

  const Tensor* FindTensor(const std::string& name) const;
  Tensor* FindTensor(const std::string& name);
  const Node* FindNode(const std::string& name) const;
  Node* FindNode(const std::string& name);
  // The node producing `tensor_name`, or nullptr.
  const Node* Producer(const std::string& tensor_name) const;

  // Nodes reading `tensor_name`.
  std::vector<const Node*> Consumers(const std::string& tensor_name) const;

  // Checks the invariants: unique names, inputs produced before use, weights present with
  // the shapes the op needs, outputs exist. Names the node on failure.
  Status Validate() const;

  // The name of the model (file stem or the framework's model name).
  std::string name;
  // Where the model came from ("keras2", "keras3"; empty when built by hand): hls4ml reads
  // each with its own reader, and the hls4ml-compatible passes need to know which.
  std::string framework;
  // Names of nested models read in place (their layers became nodes): a configuration
  // written for the framework's model may name them, as hls4ml's does.
  std::vector<std::string> container_names;

 private:
  std::vector<Node> nodes_;
  std::map<std::string, Tensor> tensors_;
  std::map<std::string, size_t> node_index_;
  std::map<std::string, size_t> producer_;
  std::vector<std::string> inputs_;
  std::vector<std::string> outputs_;
};

}  // namespace fixnn::ir
