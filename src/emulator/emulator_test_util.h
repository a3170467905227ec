// Builders for the emulator's tests: small graphs with every type given by hand, run through
// both number representations.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "emulator/emulator.h"
#include "ir/graph.h"

namespace fixnn::emulator::testing {

// Parses a type ("fixed<8,3>", "ap_ufixed<6,2,AP_RND,AP_SAT>"); fails the test on an error.
fixed::FixedType T(const std::string& text);

ir::Weight TypedWeight(const std::string& name, const ir::Shape& shape,
                       const std::vector<double>& values, const std::string& type);

// A chain of nodes from one input "x".
class ChainBuilder {
 public:
  ChainBuilder(const ir::Shape& shape, const std::string& input_type);
  // Appends `node` reading the chain's last tensor; its output (named after the node) gets
  // `result_type`.
  ChainBuilder& Add(ir::Node node, const std::string& result_type);
  // Marks the last tensor as the output and infers shapes; fails the test on an error.
  ir::Graph Finish();

 private:
  ir::Graph graph_;
  std::string last_ = "x";
};

// Dense with kernel [n_in, n_out] (row-major) and an optional bias (empty: none).
ir::Node DenseNode(const std::string& name, int64_t n_in, int64_t n_out,
                   const std::vector<double>& kernel, const std::vector<double>& bias,
                   const std::string& weight_type, const std::string& bias_type,
                   const std::string& accum_type);

// An activation node with internal types by key ("table", "param", "exp_table", ...).
ir::Node ActivationNode(const std::string& name, const ir::ActivationAttrs& attrs,
                        const std::map<std::string, std::string>& types = {});

struct RunResult {
  std::vector<double> y;  // the first output's values, all samples
  OverflowReport overflows;
};

// Runs the samples (`x` holds them one after the other) through the int64 path and the exact
// path, checks that both agree bit for bit and count alike, and returns the int64 path's
// result. Fails the test on an error.
RunResult Emulate(const ir::Graph& graph, const std::vector<double>& x);

// Emulator::Create's error message, or "" when it succeeds.
std::string CreateError(const ir::Graph& graph);

// Overflow and underflow counts of one site ({-1, -1} when the site is missing).
std::pair<int64_t, int64_t> Counts(const OverflowReport& r, const std::string& node,
                                   const std::string& site);

}  // namespace fixnn::emulator::testing
