// The fixed-point types each op needs besides its result and weight types (accumulators,
// lookup tables, internal scales), by hls4ml's precision key, and which weights the
// hardware stores in a type of their own.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fixed/fixed_type.h"
#include "ir/graph.h"

namespace fixnn::passes {

struct InternalType {
  std::string key;  // hls4ml's precision key: "accum", "table", "exp_table", ...
  // hls4ml's attribute default, taken when no applied configuration entry names the key (and
  // for "auto"): the activation tables and the hard sigmoid's slope and shift. nullopt: the
  // key resolves like any precision (Precision.<key>, then the level defaults).
  std::optional<fixed::FixedType> unnamed_default;
};

// The internal types of `node`, as hls4ml 1.3's Vivado/Vitis layer classes declare them:
//   Dense, Conv, DepthwiseConv, Pool, GlobalPool, Dot: accum
//   SeparableConv: depthwise_accum, depthwise_result (the tensor between the two
//     convolutions), pointwise_accum
//   BatchNorm: scale, bias (the folded per-channel y = x * scale + bias)
//   Activation, Quantize read as an hls4ml Activation, PReLU: table (ap_fixed<18,8>)
//   Softmax: also exp_table, inv_table, inv_inp (ap_fixed<18,8,AP_RND,AP_SAT>), accum
//   LeakyReLU, ELU, ThresholdedReLU, ReLU with a negative slope: param; HardSigmoid: slope
//     (ap_ufixed<16,0>), shift (ap_ufixed<2,0>)
//   Recurrent: accum, table, state (the cell and hidden state), recurrent_bias (LSTM, GRU:
//     for GRU reset_after, row 1 of the bias weight; row 0 is in the weight's own type)
//   Bidirectional: accum, table, state, forward_recurrent_bias, backward_recurrent_bias
std::vector<InternalType> InternalTypes(const ir::Node& node);

// Whether the hardware stores `weight` in a type of its own. BatchNorm's gamma, beta,
// moving_mean and moving_variance are not stored: hls4ml folds them, in floating point, into
// the per-channel scale and bias held in the node's "scale" and "bias" types.
bool IsStoredWeight(const ir::Node& node, const ir::Weight& weight);

}  // namespace fixnn::passes
