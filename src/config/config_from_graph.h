// Builds a starting HLSConfig for a model, as hls4ml's config_from_keras_model does, for the
// user to edit.
#pragma once

#include <cstdint>
#include <string_view>

#include "config/hls_config.h"
#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::config {

// How fine the generated entries are: one Model entry only; plus one LayerType entry per
// layer class (the first layer of each class gives its entry); or plus one LayerName entry per
// layer.
enum class Granularity { kModel, kType, kName };

// Model always gets Precision {default: default_precision[, maximum: max_precision]},
// ReuseFactor, Strategy Latency, BramFactor 1000000000 and TraceOutput false.
// LayerType / LayerName entries are DefaultLayerEntry(hls4ml class) (see layer_classes.h):
// "auto" precisions and the class's settings, where a quantized layer's weight, bias and
// result precisions are its quantizers' types (ir::Weight::quantizer, ir::Node::
// output_quantizer), as hls4ml reads them from QKeras quantizers. LayerType keys are the
// node's source class (Activation('softmax') under "Softmax", as hls4ml's converter renames
// it).
// Errors: a bad or "auto" default precision, a bad max_precision, reuse factor < 1.
Result<HlsConfig> ConfigFromGraph(const ir::Graph& graph, Granularity granularity,
                                  std::string_view default_precision = "fixed<16,6>",
                                  int64_t default_reuse_factor = 1,
                                  std::string_view max_precision = {});

}  // namespace fixnn::config
