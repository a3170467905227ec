// The IR as readable text, for `fixnn show` and for test failure messages.
#pragma once

#include <string>

#include "ir/graph.h"

namespace fixnn::ir {

struct PrintOptions {
  bool weights = false;  // also print weight statistics (min, max, zeros)
};

// One line per node: name, op and its attributes, inputs -> output shapes, precision and
// quantizers; then the graph outputs.
std::string ToText(const Graph& graph, const PrintOptions& options = {});

// The attributes of one op, e.g. "units=64 bias" or "filters=8 kernel=3x3 strides=1x1 same".
std::string DescribeAttrs(const OpAttrs& attrs);

}  // namespace fixnn::ir
