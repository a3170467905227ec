// Helpers for the reference executor's tests: build one-op graphs and run one sample.
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"
#include "reference/reference_executor.h"

namespace fixnn::reference::testing {

ir::Weight W(std::string name, ir::Shape shape, std::vector<double> values);

// A node named `name` whose single output tensor is also `name` (or `outputs`).
ir::Node MakeNode(std::string name, ir::OpAttrs attrs, std::vector<std::string> inputs,
                  std::vector<ir::Weight> weights = {}, std::vector<std::string> outputs = {});

// Inputs "x0", "x1", ... of the given shapes feed `node`; every output of the node is a model
// output. Runs one sample (`inputs[i]` the values of input i) and returns each output's values.
Result<std::vector<std::vector<double>>> RunOne(const std::vector<ir::Shape>& shapes, ir::Node node,
                                                const std::vector<std::vector<double>>& inputs);

// RunOne for a node with one input and one output; fails the test on an error.
std::vector<double> Run1(const ir::Shape& shape, ir::Node node, const std::vector<double>& input);

// 0, 1, 2, ... scaled and shifted: a deterministic, varied input.
std::vector<double> Ramp(int64_t n, double scale = 1.0, double offset = 0.0);

// Pseudo-random values in [-1, 1) from a fixed seed.
std::vector<double> Pseudo(int64_t n, unsigned seed);

}  // namespace fixnn::reference::testing
