// The Keras frontend: Keras 2/3, QKeras and HGQ models in any format Keras writes, read into
// fixnn's IR. Sequential and functional models, branches, several inputs and outputs, nested
// models (inlined) and shared layers (one node per call). Nodes are named as hls4ml names the
// layers (node_names.h): nested layers by their own name, a shared layer's calls "<layer>",
// "<layer>_0", "<layer>_1", ...
#pragma once

#include <string>

#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::frontends::keras {

struct KerasLoadOptions {
  // The weights file for a JSON architecture (found beside it when empty).
  std::string weights_path;
};

// Reads the model, builds the graph and infers every tensor's shape. Errors name the file and
// the layer.
Result<ir::Graph> LoadKerasModel(const std::string& path, const KerasLoadOptions& options = {});

// The Keras classes LoadKerasModel accepts, sorted (for documentation and `fixnn layers`).
std::vector<std::string> SupportedKerasLayers();

}  // namespace fixnn::frontends::keras
