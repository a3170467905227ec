// Shape inference: every tensor's shape from the graph inputs and the ops' attributes,
// following the framework's rules (Keras padding, strides, dilation, merges with broadcasting
// refused). An inconsistent graph gives an error naming the layer.
#pragma once

#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::ir {

Status InferShapes(Graph& graph);

}  // namespace fixnn::ir
