// The type a stable softmax casts each input's distance from the maximum into (hls4ml's
// inp_norm_t), whose top bits index the exp table.
//
// hls4ml derives it from the input type: ufixed<W-1, I-1> of a signed input (ufixed<W, I> of
// an unsigned one), TRN and WRAP. Its index resolution is 2^(I-1-B) for a table of 2^B entries,
// so a wide input (an exact Dense result such as ap_fixed<69,19>) sends every distance below
// 2^(I-1-B) to the same entry and the softmax outputs 1/n whatever the inputs: the trained
// accuracy is lost. fixnn's own choice depends on the table instead: ufixed<B, I, TRN, SAT>
// with I the smallest integer width for which exp(-2^I) is below half the exp table's LSB, so
// distances past the range saturate to an entry that holds 0 as the true value rounds to, and
// the 2^B entries spread over the distances that matter.
#pragma once

#include "ir/graph.h"
#include "passes/infer_auto_precision.h"
#include "support/result.h"

namespace fixnn::passes {

// Sets node.types["inp_norm"] on every stable softmax whose input has a concrete type, by
// `policy` (kHls4ml: hls4ml's rule; kExact: fixnn's). Needs the input types and the
// "exp_table" type (after InferAutoPrecision).
Status SetSoftmaxNormTypes(ir::Graph& graph, InferencePolicy policy);

// hls4ml's rule: ufixed<W-1, I-1> of a signed input (W >= 2), ufixed<W, I> of an unsigned one.
fixed::FixedType Hls4mlSoftmaxNormType(const fixed::FixedType& input);

// The inp_norm type a stable softmax node uses: node.types["inp_norm"] when Configure set it,
// hls4ml's rule for a graph configured without it. The emulator and the HLS writer both take it
// from here.
fixed::FixedType StableSoftmaxNormType(const ir::Node& node, const fixed::FixedType& input);

// fixnn's rule: ufixed<B, I, TRN, SAT> with B = ceil(log2(table_size)) and
// I = max(1, ceil(log2((F + 1) ln 2))), F the exp table type's fractional bits.
fixed::FixedType FixnnSoftmaxNormType(const fixed::FixedType& exp_table, int64_t table_size);

}  // namespace fixnn::passes
