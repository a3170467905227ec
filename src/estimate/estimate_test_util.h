// Graph builders and a configure-and-estimate helper shared by the estimate tests.
#pragma once

#include <string>
#include <vector>

#include "estimate/estimate.h"
#include "ir/graph.h"

namespace fixnn::estimate::testing {

ir::Weight MakeWeight(const std::string& name, const ir::Shape& shape,
                      const std::vector<double>& values);

// `count` values, every one `value` (a constant that is neither zero nor a power of two keeps
// every product a real multiplication).
std::vector<double> Filled(size_t count, double value);

// Appends a node reading `inputs` and writing one tensor named after the node.
void AddNode(ir::Graph& graph, const std::string& name, ir::OpAttrs attrs,
             const std::vector<std::string>& inputs, std::vector<ir::Weight> weights = {},
             const std::string& source = "");

// Dense(units) with a kernel of `value` and a zero bias, reading `input` of width n_in.
void AddDense(ir::Graph& graph, const std::string& name, const std::string& input, int64_t n_in,
              int64_t units, double value = 0.3);

void AddActivation(ir::Graph& graph, const std::string& name, const std::string& input,
                   ir::ActivationFn fn);

// A recurrent layer (units, cell) reading `input` of `features` per step, weights `value`.
void AddRecurrent(ir::Graph& graph, const std::string& name, const std::string& input,
                  int64_t features, int64_t units, ir::RecurrentCell cell, double value = 0.3);

// Infers shapes and marks `output` as the output; fails the test on an error.
void Finish(ir::Graph& graph, const std::string& output);

// Configures `graph` with the HLSConfig YAML `hls_yaml` (passes::Configure, fixnn's defaults)
// and returns the project; fails the test on an error.
config::ProjectConfig Configure(ir::Graph& graph, const std::string& hls_yaml,
                                const std::string& part = "xcku115-flvb2104-2-i",
                                config::IOType io = config::IOType::kParallel);

// Estimate that fails the test on an error.
ModelEstimate EstimateOrFail(const ir::Graph& graph, const config::ProjectConfig& project);

// The layer named `name` (fails the test and returns an empty one when absent).
const LayerEstimate& Layer(const ModelEstimate& e, const std::string& name);

int64_t Used(const backends::hls_reports::Resources& r, backends::hls_reports::ResourceKind k);

}  // namespace fixnn::estimate::testing
