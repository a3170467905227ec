// FindAndReadReport: where the tools put the reports. Vivado HLS and Vitis HLS (Tcl flow) write
// <project>/<solution>/syn/report/ with csynth.xml and <top>_csynth.{xml,rpt} (Vitis HLS adds
// the csynth.rpt Synthesis Summary); hls4ml and fixnn name the project <ProjectName>_prj and
// the top function <ProjectName>. The Vitis unified flow writes <component>/hls/syn/report/.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <system_error>
#include <vector>

#include "backends/hls_reports/synthesis_report.h"

namespace fixnn::backends::hls_reports {
namespace {

namespace fs = std::filesystem;

bool IsDir(const fs::path& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

bool IsFile(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

// Sub-folders of `dir` whose names end with `suffix`, sorted.
std::vector<fs::path> SubdirsEndingWith(const fs::path& dir, std::string_view suffix) {
  std::vector<fs::path> found;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > suffix.size() && name.ends_with(suffix) && IsDir(it->path())) {
      found.push_back(it->path());
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

// The syn/report folders of a project folder's solutions, solution1 first.
std::vector<fs::path> SolutionReportDirs(const fs::path& project) {
  std::vector<fs::path> dirs;
  if (IsDir(project / "solution1" / "syn" / "report")) {
    dirs.push_back(project / "solution1" / "syn" / "report");
  }
  std::vector<fs::path> others;
  std::error_code ec;
  for (fs::directory_iterator it(project, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path report = it->path() / "syn" / "report";
    if (it->path().filename() != "solution1" && IsDir(report)) others.push_back(report);
  }
  std::sort(others.begin(), others.end());
  dirs.insert(dirs.end(), others.begin(), others.end());
  return dirs;
}

struct Candidate {
  fs::path report_dir;
  std::string project_name;  // the hls4ml top-function name when known
};

Result<std::vector<Candidate>> CandidateDirs(const fs::path& dir) {
  std::vector<Candidate> candidates;
  auto add_project = [&](const fs::path& project) {
    std::string name = project.filename().string();
    name = name.ends_with("_prj") ? name.substr(0, name.size() - 4) : std::string();
    for (const fs::path& report : SolutionReportDirs(project)) candidates.push_back({report, name});
  };
  // The folder holding <ProjectName>_prj.
  const auto projects = SubdirsEndingWith(dir, "_prj");
  if (projects.size() > 1) {
    std::string names;
    for (const fs::path& p : projects) names += (names.empty() ? "" : ", ") + p.filename().string();
    return Error(
        fmt::format("{}: several HLS projects ({}); name one of them", dir.string(), names));
  }
  for (const fs::path& project : projects) add_project(project);
  // The project folder, a solution folder, or the report folder itself.
  add_project(dir);
  if (IsDir(dir / "syn" / "report")) candidates.push_back({dir / "syn" / "report", ""});
  if (IsDir(dir / "hls" / "syn" / "report"))
    candidates.push_back({dir / "hls" / "syn" / "report", ""});
  candidates.push_back({dir, ""});
  return candidates;
}

// The report file to read in `dir`, XML first; empty when there is none.
fs::path PickReport(const fs::path& dir, const std::string& project_name) {
  std::vector<fs::path> choices = {dir / "csynth.xml"};
  if (!project_name.empty()) {
    choices.push_back(dir / (project_name + "_csynth.xml"));
    choices.push_back(dir / (project_name + "_csynth.rpt"));
  }
  choices.push_back(dir / "csynth.rpt");
  for (const fs::path& file : choices) {
    if (IsFile(file)) return file;
  }
  return {};
}

}  // namespace

Result<SynthesisReport> FindAndReadReport(const fs::path& project_dir) {
  if (!IsDir(project_dir)) return Error(project_dir.string() + ": no such folder");
  auto candidates = CandidateDirs(project_dir);
  if (!candidates.ok()) return candidates.error();
  std::vector<std::string> looked_in;
  for (const Candidate& candidate : *candidates) {
    const fs::path file = PickReport(candidate.report_dir, candidate.project_name);
    if (file.empty()) {
      looked_in.push_back(candidate.report_dir.string());
      continue;
    }
    const bool xml = file.extension() == ".xml";
    auto report = xml ? ReadCsynthXml(file) : ReadCsynthRpt(file);
    if (!report.ok() || !xml || !report->modules.empty()) return report;
    // csynth.xml lists no sub-functions; the top's text report beside it does.
    const fs::path rpt = candidate.report_dir / (report->top_function + "_csynth.rpt");
    if (IsFile(rpt)) {
      auto detail = ReadCsynthRpt(rpt);
      if (detail.ok() && detail->top_function == report->top_function) {
        report->modules = std::move(detail->modules);
      }
    }
    return report;
  }
  std::string dirs;
  for (const std::string& d : looked_in) dirs += (dirs.empty() ? "" : ", ") + d;
  return Error(fmt::format(
      "{}: no C-synthesis report (csynth.xml or *_csynth.rpt) found; looked in {}. Run C "
      "synthesis first (e.g. vitis_hls -f build_prj.tcl)",
      project_dir.string(), dirs));
}

}  // namespace fixnn::backends::hls_reports
