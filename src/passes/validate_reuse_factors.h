// Validation pass: every multiplying layer's reuse factors and strategy are ones hls4ml 1.3's
// Vivado/Vitis backend uses as given. Where hls4ml would silently pick another reuse factor
// (or strategy), fixnn refuses with an error naming the layer and listing the valid values.
//
// Products checked (n_in x n_out, hls4ml's get_layer_mult_size):
//   Dense: in x units (ReuseFactor). Conv: (in / groups) * kernel area x filters.
//   DepthwiseConv: in * kernel area x in * multiplier. SeparableConv: the depthwise product
//   (DepthwiseReuseFactor) and in * multiplier x filters (PointwiseReuseFactor).
//   Recurrent (G = 4 LSTM, 3 GRU, 1 SimpleRNN): in x G * units (ReuseFactor) and units x
//   G * units (RecurrentReuseFactor); Bidirectional: both products of each direction.
// Rules, by strategy:
//   Latency: no constraint (hls4ml uses any reuse factor as given).
//   Resource: the reuse factor must be in ValidReuseFactors(n_in, n_out).
//   ResourceUnrolled: likewise but not n_in * n_out, and not 1 (hls4ml switches to Resource);
//     not for convolutions with io_parallel (hls4ml switches to Resource), nor for
//     DepthwiseConv / SeparableConv (hls4ml switches to Latency).
//   DistributedArithmetic: Dense and Conv only (hls4ml uses Latency for the others), with
//     ReuseFactor 1 (hls4ml raises an error otherwise).
#pragma once

#include <cstdint>
#include <vector>

#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::passes {

struct ReuseFactorOptions {
  bool io_stream = false;  // the project's IOType is io_stream (not io_parallel)
};

// hls4ml's valid reuse factors for an n_in x n_out product, ascending: the divisors rf of
// n_in * n_out with rf % n_in == 0 when rf >= n_in, and, when rf < n_in, ceil(n_in * n_out /
// rf) a multiple of n_out.
std::vector<int64_t> ValidReuseFactors(int64_t n_in, int64_t n_out);

Status ValidateReuseFactors(const ir::Graph& graph, const ReuseFactorOptions& options = {});

}  // namespace fixnn::passes
