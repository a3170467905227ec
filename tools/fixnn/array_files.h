// Sample files in and out of the model commands: .npy, .npz and CSV.
#pragma once

#include <string>
#include <vector>

#include "emulator/emulator.h"
#include "ir/graph.h"
#include "support/result.h"

namespace fixnn::cli {

// The graph's inputs, in order, from `files`: one .npy or .csv per input, or one .npz holding
// every input (by the input's name, else in the archive's order). A .npy holds [N, shape...]
// or one sample [shape...]; a CSV holds one sample per row, the input's values flattened
// (row-major), with an optional header line. Errors name the file: a shape that does not hold
// samples of the input, differing sample counts, a value that is NaN or infinite.
Result<std::vector<emulator::Batch>> ReadModelInputs(const std::vector<std::string>& files,
                                                     const ir::Graph& graph);

// Writes one batch: .csv (one sample per row, flattened, %.17g: exact) or .npy (float64),
// through a temporary file; an existing file is replaced only with `force`.
Status WriteBatchFile(const std::string& path, const emulator::Batch& batch, bool force);

}  // namespace fixnn::cli
