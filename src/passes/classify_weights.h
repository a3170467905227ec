// Weight classification pass, for the resource estimates: per weight of every multiplying
// layer (Dense, Conv, DepthwiseConv, SeparableConv, Recurrent, Bidirectional), how many
// entries are zero and how many are +-2^k, on the values the hardware stores (the weight's
// quantizer, then its configured type: see StoredWeightValues).
//
// Before: every weight of those layers has a precision (ApplyConfig, InferAutoPrecision).
// After: Node::weight_classes holds one entry per weight, in the node's weight order; other
// nodes' lists are empty. Error when a weight has no precision, naming the layer.
#pragma once

#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::passes {

Status ClassifyWeights(ir::Graph& graph);

}  // namespace fixnn::passes
