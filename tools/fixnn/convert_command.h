// `fixnn convert`: writes a model's Vitis/Vivado HLS project (io_parallel), optionally with
// testbench data computed by the emulator, and optionally checks it: the project's C++ built
// with g++ must compute what the emulator computes, bit for bit.
#pragma once

#include <CLI/CLI.hpp>

namespace fixnn::cli {

void AddConvertCommand(CLI::App& app, int& exit_code);

}  // namespace fixnn::cli
