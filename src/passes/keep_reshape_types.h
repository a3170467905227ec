// hls4ml's io_parallel Flatten and Reshape (its InplaceParallelReshape pass): the output is a
// reference to the input array, so it keeps the input's type whatever the configuration or
// the inference gave it. ConfigureOptions::Hls4ml() runs this after inference; fixnn's own
// choice casts into a configured type that differs (the emulator's Flatten casts).
#pragma once

#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::passes {

// Gives every Flatten and Reshape output its input's precision. Returns how many changed.
int KeepReshapeTypes(ir::Graph& graph);

}  // namespace fixnn::passes
