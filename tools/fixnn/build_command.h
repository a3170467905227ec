// `fixnn build DIR`: runs Vitis HLS or Vivado HLS on a project fixnn wrote.
#pragma once

#include <CLI/CLI.hpp>

namespace fixnn::cli {

void AddBuildCommand(CLI::App& app, int& exit_code);

}  // namespace fixnn::cli
