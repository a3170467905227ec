// The model graph as an SVG diagram: one box per node (its name, op, output shape and type),
// arrows along the tensors, nodes placed in rows by depth (the longest path from an input), so
// that branches sit side by side and merges below them.
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"

namespace fixnn::report {

// "Dense", "Activation(relu)", "Merge(add)", "Pool(max)", "Recurrent(LSTM)", ...
std::string OpLabel(const ir::Node& node);

// A precision as text: the type, "per-element types" or "-" when unset.
std::string PrecisionText(const ir::Precision& precision);

// The output shapes and types of a node, "[16] ap_fixed<16,6>" (one per output, joined by
// "; ").
std::string OutputText(const ir::Graph& graph, const ir::Node& node);

// Each node's depth, in graph order: 0 for nodes reading no produced tensor, else one more
// than the deepest producer of its inputs.
std::vector<int> NodeDepths(const ir::Graph& graph);

// The <svg> element. Boxes have class "node" (plus "input" / "output"), edges class "edge".
std::string GraphDiagramSvg(const ir::Graph& graph);

}  // namespace fixnn::report
