// Subcommands that read a model: `fixnn show` (the IR as text) and `fixnn layers` (the layers
// and quantizers the frontends accept).
#pragma once

#include <CLI/CLI.hpp>

namespace fixnn::cli {

void AddModelCommands(CLI::App& app, int& exit_code);

}  // namespace fixnn::cli
