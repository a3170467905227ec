#include "tools/fixnn/build_command.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backends/hls_reports/synthesis_report.h"
#include "tools/fixnn/exit_codes.h"

namespace fixnn::cli {
namespace {

namespace fs = std::filesystem;

struct BuildOptions {
  std::string dir;
  std::string tool;  // a path or a name; empty: vitis_hls, then vivado_hls
  bool csim = false;
  bool synth = false;
  bool cosim = false;
  bool vsynth = false;
  bool export_ip = false;
  bool reset = false;
};

int Fail(const std::string& message) {
  std::cerr << "fixnn build: " << message << "\n";
  return kExitUserError;
}

// `name` when it holds a '/', else the first executable `name` on PATH.
std::optional<fs::path> FindExecutable(const std::string& name) {
  auto runnable = [](const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec) && access(p.c_str(), X_OK) == 0;
  };
  if (name.find('/') != std::string::npos) {
    if (runnable(name)) return fs::absolute(name);
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::string_view rest = path ? path : "";
  while (!rest.empty()) {
    const size_t colon = rest.find(':');
    const std::string_view dir = rest.substr(0, colon);
    if (!dir.empty() && runnable(fs::path(dir) / name)) return fs::path(dir) / name;
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return std::nullopt;
}

// Runs `argv` in `dir`, its output passed through; the exit status (or -1 when it cannot
// start).
int RunIn(const fs::path& dir, const std::vector<std::string>& argv) {
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    if (chdir(dir.c_str()) != 0) _exit(127);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int RunBuild(BuildOptions opt) {
  const fs::path dir = opt.dir;
  if (!fs::is_directory(dir)) return Fail(fmt::format("{}: no such project folder", opt.dir));
  if (!fs::is_regular_file(dir / "build_prj.tcl")) {
    return Fail(fmt::format(
        "{}: no build_prj.tcl in the folder (give a project written by fixnn convert)", opt.dir));
  }
  std::optional<fs::path> tool;
  if (!opt.tool.empty()) {
    tool = FindExecutable(opt.tool);
    if (!tool) return Fail(fmt::format("--tool {}: not found or not executable", opt.tool));
  } else {
    for (const char* name : {"vitis_hls", "vivado_hls"}) {
      if ((tool = FindExecutable(name))) break;
    }
    if (!tool) {
      return Fail(
          "neither vitis_hls nor vivado_hls is on PATH: install Vitis HLS (or Vivado HLS) and "
          "source its settings64.sh, or give the program with --tool. Without them, `fixnn "
          "convert --check` builds the project's C++ with g++ and compares it with the emulator.");
    }
  }
  // No step named: C simulation and synthesis, the script's defaults.
  if (!(opt.csim || opt.synth || opt.cosim || opt.vsynth || opt.export_ip)) {
    opt.csim = opt.synth = true;
  }
  const std::string switches = fmt::format(
      "reset={} csim={} synth={} cosim={} export={} vsynth={}", opt.reset ? 1 : 0, opt.csim ? 1 : 0,
      opt.synth ? 1 : 0, opt.cosim ? 1 : 0, opt.export_ip ? 1 : 0, opt.vsynth ? 1 : 0);
  std::cerr << fmt::format("fixnn build: {} -f build_prj.tcl -tclargs \"{}\" (in {})\n",
                           tool->string(), switches, opt.dir);
  const auto start = std::chrono::steady_clock::now();
  const int rc = RunIn(dir, {tool->string(), "-f", "build_prj.tcl", "-tclargs", switches});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (rc != 0) {
    return Fail(fmt::format("{} failed (exit {}) after {:.0f} s; its log is in {}",
                            tool->filename().string(), rc, seconds,
                            (dir / (tool->filename().string() + ".log")).string()));
  }
  std::cerr << fmt::format("fixnn build: {} finished in {:.0f} s\n", tool->filename().string(),
                           seconds);
  if (opt.synth) {
    Result<backends::hls_reports::SynthesisReport> report =
        backends::hls_reports::FindAndReadReport(dir);
    if (!report.ok()) return Fail(report.error().message());
    std::cout << backends::hls_reports::FormatReport(*report);
  }
  return kExitOk;
}

}  // namespace

void AddBuildCommand(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<BuildOptions>();
  CLI::App* cmd = app.add_subcommand(
      "build",
      "Run Vitis HLS / Vivado HLS on a project (C simulation, synthesis, co-simulation, logic "
      "synthesis), then print its synthesis report");
  cmd->add_option("DIR", opt->dir, "The project folder fixnn convert wrote")->required();
  cmd->add_flag("--csim", opt->csim, "C simulation on tb_data");
  cmd->add_flag("--synth", opt->synth, "High-level synthesis (then the report is printed)");
  cmd->add_flag("--cosim", opt->cosim, "RTL co-simulation");
  cmd->add_flag("--vsynth", opt->vsynth, "Logic synthesis with Vivado (vivado_synth.tcl)");
  cmd->add_flag("--export", opt->export_ip, "Export the IP");
  cmd->add_flag("--reset", opt->reset, "Start the HLS project afresh");
  cmd->add_option("--tool", opt->tool,
                  "The HLS program (default: vitis_hls, else vivado_hls, from PATH)");
  cmd->footer(
      "With no step named, runs --csim --synth. Exit 0 when the tool succeeds, 1 when it is "
      "missing or fails.");
  cmd->callback([opt, &exit_code] { exit_code = RunBuild(*opt); });
}

}  // namespace fixnn::cli
