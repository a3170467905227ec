// The float reference: executes a graph in double precision, sample by sample, with the
// framework's float semantics for every op (Keras padding, pooling, activations, recurrent
// cells), the weights' quantizers applied once at setup and every node's output quantizer
// applied to its results. It is the oracle the fixed-point emulator is compared with.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::reference {

// A batch of samples: shape includes the batch axis first; values are row-major.
struct Batch {
  std::vector<int64_t> shape;
  std::vector<double> values;
};

// Receives every node's outputs for every sample, after the node's output quantizer.
// `outputs[i]` holds the values of node.outputs[i] (row-major, the tensor's shape).
class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void OnNode(int64_t sample, const ir::Node& node,
                      const std::vector<std::span<const double>>& outputs) = 0;
};

class ReferenceExecutor {
 public:
  // Copies the graph, infers its shapes and quantizes its weights with their quantizers.
  static Result<ReferenceExecutor> Create(const ir::Graph& graph);

  // Runs every sample. `inputs` follow graph.inputs() in order, each [N, input shape...] with
  // the same N; the result follows graph.outputs(), each [N, output shape...].
  Result<std::vector<Batch>> Run(const std::vector<Batch>& inputs,
                                 TraceSink* trace = nullptr) const;

  // The executor's copy of the graph: inferred shapes, quantized weights.
  const ir::Graph& graph() const { return *graph_; }

 private:
  explicit ReferenceExecutor(std::shared_ptr<const ir::Graph> graph) : graph_(std::move(graph)) {}
  std::shared_ptr<const ir::Graph> graph_;
};

// Checks that `inputs` fit the graph's inputs (order, shapes, one sample count); returns the
// number of samples. Errors name the input.
Result<int64_t> CheckBatches(const ir::Graph& graph, const std::vector<Batch>& inputs);

// ReferenceExecutor::Create(graph) then Run(inputs, trace).
Result<std::vector<Batch>> RunReference(const ir::Graph& graph, const std::vector<Batch>& inputs,
                                        TraceSink* trace = nullptr);

}  // namespace fixnn::reference
