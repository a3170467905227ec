// Graph and configuration builders shared by the passes' tests.
#pragma once

#include <string>
#include <vector>

#include "config/hls_config.h"
#include "ir/graph.h"

namespace fixnn::passes::testing {

// Parses HLSConfig YAML text ("Model: ...\nLayerName: ..."); fails the test on an error.
config::HlsConfig ParseConfig(const std::string& yaml);

// Parses a type ("fixed<8,3>", "ap_ufixed<6,2,AP_RND,AP_SAT>"); fails the test on an error.
fixed::FixedType Type(const std::string& text);

ir::Weight MakeWeight(const std::string& name, const ir::Shape& shape,
                      const std::vector<double>& values);

// A QKeras-style fixed quantizer onto `type`.
ir::Quantizer FixedQuantizer(const std::string& type);

// Appends a node reading `inputs` and writing one tensor named after the node.
void AddNode(ir::Graph& graph, const std::string& name, ir::OpAttrs attrs,
             const std::vector<std::string>& inputs, std::vector<ir::Weight> weights = {},
             const std::string& source = "");

// Infers shapes and marks `output` as the graph's output; fails the test on an error.
void Finish(ir::Graph& graph, const std::string& output);

// The precision type of tensor `name` as text, "unset" or "per-element".
std::string TensorType(const ir::Graph& graph, const std::string& name);
// The same for weight `weight` of node `node`.
std::string WeightType(const ir::Graph& graph, const std::string& node, const std::string& weight);
// Internal type `key` of node `node`, or "unset".
std::string InternalTypeOf(const ir::Graph& graph, const std::string& node, const std::string& key);

// The names of the graph's nodes, in order.
std::vector<std::string> NodeNames(const ir::Graph& graph);

// Runs the samples (`x` holds them one after the other, for the graph's one input) through
// the emulator, on its int64 and its exact path, checks that both agree, and returns the
// first output's values. Fails the test on an error.
std::vector<double> Emulate(const ir::Graph& graph, const std::vector<double>& x);

// `count` inputs spread over [-range, range), with every value a multiple of `lsb`, from a
// fixed seed.
std::vector<double> Inputs(size_t count, double range, double lsb, unsigned seed = 7);

}  // namespace fixnn::passes::testing
