// Structural edits the passes make to a graph: removing a node and inserting one after
// another. ir::Graph keeps its nodes in topological order with indices by name, so each edit
// rebuilds the graph; tensors keep their shapes, precisions and flags, nodes everything they
// hold.
#pragma once

#include <string>

#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::passes {

// Removes node `name` (one output) and makes every reader of its output, graph outputs
// included, read tensor `replacement` instead. The replacement must be produced before the
// node's first consumer (it is when it is one of the node's own inputs).
Status RemoveNode(ir::Graph& graph, const std::string& name, const std::string& replacement);

// Inserts `node` right after the producer of `tensor`: it reads `tensor` (its inputs are set
// to {tensor}) and writes one new tensor named after it, of `tensor`'s shape, which every
// former reader of `tensor` and the graph outputs that named `tensor` now read. Error when
// the node's name or output name is taken.
Status InsertAfter(ir::Graph& graph, const std::string& tensor, ir::Node node);

// Whether tensor `name` is read by exactly one node and is not a graph output.
bool HasSingleUse(const ir::Graph& graph, const std::string& name);

}  // namespace fixnn::passes
