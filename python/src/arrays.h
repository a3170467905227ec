// NumPy arrays in and out of the extension: float64 C-contiguous arrays in (read in place),
// results handed to NumPy without a copy (the array owns the vector's buffer).
#pragma once

#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>

#include <cstdint>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "reference/reference_executor.h"

namespace fixnn::python {

namespace nb = nanobind;

using InArray = nb::ndarray<const double, nb::c_contig, nb::device::cpu>;
using OutArray = nb::ndarray<nb::numpy, double>;

// A NumPy array holding `values` (moved, not copied), shaped `shape`.
OutArray ToNumpy(std::vector<double>&& values, const std::vector<int64_t>& shape);

// Inputs for the graph's inputs, in order. Each array is [N, input shape...], or the input
// shape alone for one sample (*single_sample is then set). Errors, as `fixnn predict` words
// them: a wrong count, a shape that does not hold samples of the input, a NaN or infinity.
std::vector<reference::Batch> ToBatches(const std::vector<InArray>& arrays, const ir::Graph& graph,
                                        bool* single_sample);

// The batches as a list of NumPy arrays; without the batch axis for `single_sample`.
nb::list ToNumpyList(std::vector<reference::Batch>&& batches, bool single_sample);

}  // namespace fixnn::python
