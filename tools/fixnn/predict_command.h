// `fixnn predict`: a model's bit-exact fixed-point outputs on the inputs of .npy files, as the
// firmware computes them (the emulator), with the values that wrapped or saturated per cast.
#pragma once

#include <CLI/CLI.hpp>

namespace fixnn::cli {

void AddPredictCommand(CLI::App& app, int& exit_code);

}  // namespace fixnn::cli
