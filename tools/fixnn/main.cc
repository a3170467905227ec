// fixnn: trained neural networks in, bit-exact fixed-point FPGA firmware out.
#include <CLI/CLI.hpp>
#include <iostream>

#include "tools/fixnn/build_command.h"
#include "tools/fixnn/convert_command.h"
#include "tools/fixnn/exit_codes.h"
#include "tools/fixnn/fixed_commands.h"
#include "tools/fixnn/model_commands.h"
#include "tools/fixnn/predict_command.h"
#include "tools/fixnn/profile_command.h"
#include "tools/fixnn/report_command.h"

int main(int argc, char** argv) {
  CLI::App app{"fixnn: compile trained neural networks into bit-exact fixed-point FPGA firmware"};
  app.set_version_flag("--version", "fixnn 0.1.0");
  app.require_subcommand(1);
  int exit_code = fixnn::cli::kExitOk;
  fixnn::cli::AddFixedCommands(app, exit_code);
  fixnn::cli::AddModelCommands(app, exit_code);
  fixnn::cli::AddPredictCommand(app, exit_code);
  fixnn::cli::AddConvertCommand(app, exit_code);
  fixnn::cli::AddReportCommand(app, exit_code);
  fixnn::cli::AddBuildCommand(app, exit_code);
  fixnn::cli::AddProfileCommand(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return fixnn::cli::kExitUsage;
  }
  return exit_code;
}
