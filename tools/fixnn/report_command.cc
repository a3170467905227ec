#include "tools/fixnn/report_command.h"

#include <filesystem>
#include <iostream>
#include <memory>

#include "backends/hls_reports/synthesis_report.h"
#include "tools/fixnn/exit_codes.h"

namespace fixnn::cli {
namespace {

namespace fs = std::filesystem;
namespace reports = backends::hls_reports;

struct ReportOptions {
  std::string path;
  bool json = false;
};

int RunReport(const ReportOptions& opt) {
  Result<reports::SynthesisReport> r = [&]() -> Result<reports::SynthesisReport> {
    if (fs::is_directory(opt.path)) return reports::FindAndReadReport(opt.path);
    if (fs::path(opt.path).extension() == ".xml") return reports::ReadCsynthXml(opt.path);
    return reports::ReadCsynthRpt(opt.path);
  }();
  if (!r.ok()) {
    std::cerr << "fixnn report: " << r.error().message() << "\n";
    return kExitUserError;
  }
  std::cout << (opt.json ? reports::ToJson(*r).dump(2) + "\n" : reports::FormatReport(*r));
  return kExitOk;
}

}  // namespace

void AddReportCommand(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report", "Latency and resources from a project's HLS synthesis report (csynth.xml / .rpt)");
  cmd->add_option("path", opt->path,
                  "A project folder (or its <name>_prj, solution or syn/report folder), or a "
                  "csynth.xml / *_csynth.rpt / csynth.rpt file")
      ->required();
  cmd->add_flag("--json", opt->json, "Print the report as JSON");
  cmd->callback([opt, &exit_code] { exit_code = RunReport(*opt); });
}

}  // namespace fixnn::cli
