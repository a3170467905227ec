// The fixed-point subcommands: `fixnn type` (what a type is) and `fixnn quantize` (what
// values become in one or more types).
#pragma once

#include <CLI/CLI.hpp>

namespace fixnn::cli {

void AddFixedCommands(CLI::App& app, int& exit_code);

}  // namespace fixnn::cli
