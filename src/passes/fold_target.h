// Which layers a batch normalization can be folded into, and how its channels map onto the
// layer's kernel (shared by both folding policies, fold_batchnorm.h).
#pragma once

#include <cstdint>
#include <vector>

#include "ir/graph.h"

namespace fixnn::passes {

// The weight that takes the scale when folding into `layer`: "kernel" (Dense, Conv1D/2D
// without groups), "depthwise_kernel" (DepthwiseConv), "pointwise_kernel" (SeparableConv); or
// nullptr.
const char* FoldKernelName(const ir::Node& layer);

// The layer's output channels, the trailing axes of its kernel: units / filters, or
// in * depth_multiplier for a DepthwiseConv. Kernel entry k belongs to channel k % channels.
int64_t FoldChannels(const ir::Node& layer, const ir::Weight& kernel);

// The layer `bn` (BatchNorm or Scale, one input, no output quantizer) reads, when it is one a
// fold can target (one output, no output quantizer); else nullptr. Whether other layers read
// it is left to the caller.
const ir::Node* FoldableLayer(const ir::Graph& graph, const ir::Node& bn);

// v[i], or v[0] when v holds one value for every channel.
inline double At(const std::vector<double>& v, size_t i) { return v.size() == 1 ? v[0] : v[i]; }

}  // namespace fixnn::passes
