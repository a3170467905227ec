#include "passes/graph_edit.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <vector>

namespace fixnn::passes {

namespace {

// Builds a graph from `nodes` (in order), with `old`'s tensors (shapes, precisions, flags),
// inputs and name, and `outputs` as its outputs.
Result<ir::Graph> Rebuild(const ir::Graph& old, std::vector<ir::Node> nodes,
                          const std::vector<std::string>& outputs,
                          const std::map<std::string, ir::Tensor>& extra_tensors = {}) {
  ir::Graph g;
  g.name = old.name;
  for (ir::Node& node : nodes) {
    const bool is_input =
        node.kind() == ir::OpKind::kInput && node.outputs.size() == 1 &&
        std::find(old.inputs().begin(), old.inputs().end(), node.outputs[0]) != old.inputs().end();
    if (is_input) {
      const ir::Tensor* t = old.FindTensor(node.outputs[0]);
      if (Status s = g.AddInput(node.outputs[0], t ? t->shape : ir::Shape{}); !s.ok())
        return s.error();
      // AddInput names the node after its tensor, as every Input node is named.
      *g.FindNode(node.outputs[0]) = std::move(node);
      continue;
    }
    if (Status s = g.AddNode(std::move(node)); !s.ok()) return s.error();
  }
  for (const ir::Node& node : g.nodes()) {
    for (const std::string& out : node.outputs) {
      ir::Tensor* t = g.FindTensor(out);
      if (const ir::Tensor* o = old.FindTensor(out); o != nullptr) {
        *t = *o;
      } else if (auto it = extra_tensors.find(out); it != extra_tensors.end()) {
        *t = it->second;
      }
    }
  }
  for (const std::string& out : outputs) {
    if (Status s = g.MarkOutput(out); !s.ok()) return s.error();
  }
  return g;
}

void Rename(std::vector<std::string>& names, const std::string& from, const std::string& to) {
  std::replace(names.begin(), names.end(), from, to);
}

}  // namespace

Status RemoveNode(ir::Graph& graph, const std::string& name, const std::string& replacement) {
  const ir::Node* victim = graph.FindNode(name);
  if (victim == nullptr) return Error(fmt::format("no layer named '{}'", name));
  if (victim->outputs.size() != 1) {
    return Error(fmt::format("layer '{}': only a node with one output can be removed", name));
  }
  const std::string removed = victim->outputs[0];
  std::vector<ir::Node> nodes;
  for (const ir::Node& n : graph.nodes()) {
    if (n.name == name) continue;
    nodes.push_back(n);
    Rename(nodes.back().inputs, removed, replacement);
  }
  std::vector<std::string> outputs = graph.outputs();
  Rename(outputs, removed, replacement);
  Result<ir::Graph> g = Rebuild(graph, std::move(nodes), outputs);
  if (!g.ok()) return g.error();
  graph = std::move(g).value();
  return Status::Ok();
}

Status InsertAfter(ir::Graph& graph, const std::string& tensor, ir::Node node) {
  const ir::Tensor* t = graph.FindTensor(tensor);
  if (t == nullptr) return Error(fmt::format("no tensor named '{}'", tensor));
  if (graph.FindNode(node.name) != nullptr || graph.FindTensor(node.name) != nullptr) {
    return Error(fmt::format("layer '{}' already exists", node.name));
  }
  const ir::Node* producer = graph.Producer(tensor);
  node.inputs = {tensor};
  node.outputs = {node.name};
  ir::Tensor out{node.name, t->shape, {}, false};
  const std::string added = node.name;
  std::vector<ir::Node> nodes;
  bool inserted = false;
  for (const ir::Node& n : graph.nodes()) {
    nodes.push_back(n);
    // Readers of `tensor` (all after its producer) now read the new node's output.
    if (inserted) Rename(nodes.back().inputs, tensor, added);
    if (!inserted && producer != nullptr && n.name == producer->name) {
      nodes.push_back(node);
      inserted = true;
    }
  }
  if (!inserted) return Error(fmt::format("tensor '{}' has no producer", tensor));
  std::vector<std::string> outputs = graph.outputs();
  Rename(outputs, tensor, added);
  Result<ir::Graph> g = Rebuild(graph, std::move(nodes), outputs, {{added, out}});
  if (!g.ok()) return g.error();
  graph = std::move(g).value();
  return Status::Ok();
}

bool HasSingleUse(const ir::Graph& graph, const std::string& name) {
  if (std::find(graph.outputs().begin(), graph.outputs().end(), name) != graph.outputs().end()) {
    return false;
  }
  int uses = 0;
  for (const ir::Node& n : graph.nodes()) {
    uses += static_cast<int>(std::count(n.inputs.begin(), n.inputs.end(), name));
  }
  return uses == 1;
}

}  // namespace fixnn::passes
