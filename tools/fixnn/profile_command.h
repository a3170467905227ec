// `fixnn profile MODEL --data X.npy`: each layer's values against its type's range.
#pragma once

#include <CLI/CLI.hpp>

namespace fixnn::cli {

void AddProfileCommand(CLI::App& app, int& exit_code);

}  // namespace fixnn::cli
