// `fixnn report`: the latency and resources of a synthesized project, read from the C-synthesis
// report Vivado HLS or Vitis HLS wrote (csynth.xml or the .rpt text).
#pragma once

#include <CLI/CLI.hpp>

namespace fixnn::cli {

void AddReportCommand(CLI::App& app, int& exit_code);

}  // namespace fixnn::cli
