#include "ir/graph.h"

#include <fmt/format.h>

#include <set>

namespace fixnn::ir {

int64_t NumElements(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string ToString(const Shape& shape) { return fmt::format("[{}]", fmt::join(shape, ", ")); }

const Weight* Node::FindWeight(const std::string& weight_name) const {
  for (const Weight& w : weights) {
    if (w.name == weight_name) return &w;
  }
  return nullptr;
}

Weight* Node::FindWeight(const std::string& weight_name) {
  return const_cast<Weight*>(static_cast<const Node*>(this)->FindWeight(weight_name));
}

Status Graph::AddNode(Node node) {
  if (node.name.empty()) return Error("a node has an empty name");
  if (node_index_.count(node.name) != 0) {
    return Error(fmt::format("layer '{}': the name is used twice", node.name));
  }
  for (const std::string& in : node.inputs) {
    if (tensors_.count(in) == 0) {
      return Error(fmt::format("layer '{}': input '{}' is not produced by an earlier layer",
                               node.name, in));
    }
  }
  if (node.outputs.empty()) return Error(fmt::format("layer '{}' has no outputs", node.name));
  for (const std::string& out : node.outputs) {
    if (tensors_.count(out) != 0) {
      return Error(fmt::format("layer '{}': output tensor '{}' already exists", node.name, out));
    }
  }
  for (const std::string& out : node.outputs) {
    tensors_[out] = Tensor{out, {}, {}, false};
    producer_[out] = nodes_.size();
  }
  node_index_[node.name] = nodes_.size();
  nodes_.push_back(std::move(node));
  return Status::Ok();
}

Status Graph::AddInput(const std::string& input_name, const Shape& shape, bool integer_valued) {
  Node node;
  node.name = input_name;
  node.source = "InputLayer";
  node.attrs = InputAttrs{};
  node.outputs = {input_name};
  if (Status s = AddNode(std::move(node)); !s.ok()) return s;
  Tensor& t = tensors_[input_name];
  t.shape = shape;
  t.integer_valued = integer_valued;
  inputs_.push_back(input_name);
  return Status::Ok();
}

Status Graph::MarkOutput(const std::string& tensor_name) {
  if (tensors_.count(tensor_name) == 0) {
    return Error(fmt::format("model output '{}' is not produced by any layer", tensor_name));
  }
  outputs_.push_back(tensor_name);
  return Status::Ok();
}

const Tensor* Graph::FindTensor(const std::string& tensor_name) const {
  auto it = tensors_.find(tensor_name);
  return it == tensors_.end() ? nullptr : &it->second;
}

Tensor* Graph::FindTensor(const std::string& tensor_name) {
  auto it = tensors_.find(tensor_name);
  return it == tensors_.end() ? nullptr : &it->second;
}

const Node* Graph::FindNode(const std::string& node_name) const {
  auto it = node_index_.find(node_name);
  return it == node_index_.end() ? nullptr : &nodes_[it->second];
}

Node* Graph::FindNode(const std::string& node_name) {
  auto it = node_index_.find(node_name);
  return it == node_index_.end() ? nullptr : &nodes_[it->second];
}

const Node* Graph::Producer(const std::string& tensor_name) const {
  auto it = producer_.find(tensor_name);
  return it == producer_.end() ? nullptr : &nodes_[it->second];
}

std::vector<const Node*> Graph::Consumers(const std::string& tensor_name) const {
  std::vector<const Node*> result;
  for (const Node& n : nodes_) {
    for (const std::string& in : n.inputs) {
      if (in == tensor_name) {
        result.push_back(&n);
        break;
      }
    }
  }
  return result;
}

Status Graph::Validate() const {
  std::set<std::string> seen;
  for (const Node& n : nodes_) {
    for (const std::string& in : n.inputs) {
      if (seen.count(in) == 0) {
        return Error(fmt::format("layer '{}': input '{}' is used before it is produced",
                                 n.name, in));
      }
    }
    for (const std::string& out : n.outputs) seen.insert(out);
    for (const Weight& w : n.weights) {
      if (static_cast<int64_t>(w.values.size()) != NumElements(w.shape)) {
        return Error(fmt::format("layer '{}': weight '{}' has {} values for shape {}", n.name,
                                 w.name, w.values.size(), ToString(w.shape)));
      }
    }
  }
  if (outputs_.empty()) return Error("the model has no outputs");
  for (const std::string& out : outputs_) {
    if (seen.count(out) == 0) return Error(fmt::format("model output '{}' is not produced", out));
  }
  return Status::Ok();
}

}  // namespace fixnn::ir
