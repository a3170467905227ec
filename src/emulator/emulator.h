// The bit-exact fixed-point emulator: runs a configured graph (every tensor, weight and
// internal value with a concrete type, as passes::Configure leaves it) exactly as hls4ml
// 1.3.0's io_parallel C++ computes it (docs/hls4ml-numerics.md): inputs converted into the
// input type, weights stored through hls4ml's decimal text, every product, partial sum and
// result cast where the generated code casts it, tables built as its C++ builds them.
//
// Values are held as integer mantissas of their types: int64 with __int128 intermediates when
// every type fits (the fast path), else fixnn's exact WideInt arithmetic. Both give the same
// bits.
//
// Handled (docs/numerics.md, "Operations"): Input; Dense (Latency; Resource with its summation
// order); Conv1D/2D (Latency; Resource with RF <= kernel size x channels), DepthwiseConv1D/2D
// and SeparableConv1D/2D (Latency, depth multiplier 1), dilation 1; max/average Pool1D/2D and
// GlobalPool; BatchNorm (last axis) and Scale; the activations hls4ml compiles, with its
// tables; softmax (stable, latency, legacy, argmax); Quantize as hls4ml runs QKeras activation
// quantizers; Merge, Concatenate, Dot; Embedding; Flatten, Reshape, Permute, ZeroPadding,
// Cropping, nearest UpSampling; LSTM, GRU and Bidirectional as hls4ml computes them, SimpleRNN,
// GRU reset_after=False, go_backwards and the other merge modes with the same casts (Latency
// and Resource), QKeras cell activation quantizers (quantized_tanh/sigmoid/relu/bits, held in
// the quantizer's type), hard_sigmoid/hard_tanh/linear cell activations and power-of-two
// alpha kernels in cells by fixnn's own rule (recurrent_kernel.cc). Anything else, and every
// configuration hls4ml's code computes out of bounds or aborts on, is refused at Create with an
// error naming the layer.
#pragma once

#include <memory>
#include <vector>

#include "emulator/overflow_report.h"
#include "ir/graph.h"
#include "reference/reference_executor.h"
#include "support/result.h"

namespace fixnn::emulator {

using reference::Batch;
using reference::TraceSink;

struct EmulatorOptions {
  // Run the exact WideInt arithmetic even where the int64 path applies (to hold the two paths
  // to each other).
  bool exact_arithmetic = false;
  // Threads Run uses, each on its own range of samples (0: one per hardware thread). Runs with
  // a trace sink use one thread. The results do not depend on it.
  int threads = 1;
};

class Emulator {
 public:
  // Copies the graph and prepares every node: weights in their types, tables, cast plans.
  // Errors name the layer: an unconfigured type, an op or setting not handled.
  static Result<Emulator> Create(const ir::Graph& configured_graph,
                                 const EmulatorOptions& options = {});

  // Runs every sample. `inputs` follow graph.inputs() in order, each [N, input shape...] with
  // the same N; the result follows graph.outputs(), each [N, output shape...], the exact
  // fixed-point values rounded to double as to_double() does (exact up to 53 significant
  // bits). `trace` receives every node's outputs (the Input nodes' too) the same way.
  // `overflows`, when given, receives the run's out-of-range counts per node and cast site.
  // An input that is NaN or infinite is an error naming the input, sample and element.
  Result<std::vector<Batch>> Run(const std::vector<Batch>& inputs, TraceSink* trace = nullptr,
                                 OverflowReport* overflows = nullptr) const;

  // Weights, parameters and table entries that did not fit their types when stored.
  const OverflowReport& setup_overflows() const;
  // The threads a run of `samples` samples without a trace uses.
  int threads_for(int64_t samples) const;
  // Whether the int64 fast path runs (every type and intermediate fits).
  bool uses_int64() const;
  // The emulator's copy of the graph.
  const ir::Graph& graph() const;

 private:
  struct Impl;
  explicit Emulator(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace fixnn::emulator
