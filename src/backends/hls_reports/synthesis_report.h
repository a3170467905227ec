// What Vivado HLS and Vitis HLS report after C synthesis (csynth_design): clocks, latency,
// interval and resources of the top function, and the same per sub-function when the report
// lists them. Read from the XML report (csynth.xml, <function>_csynth.xml) or from the text
// report (<function>_csynth.rpt, and Vitis HLS's csynth.rpt "Synthesis Summary"), so that
// users see the results without opening the tools.
//
// Every field a report may leave out is optional: old reports have no URAM column, the
// Synthesis Summary gives neither the target clock nor the available resources, and a latency
// HLS cannot bound is written as "?" or "undef".
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/result.h"

namespace fixnn::backends::hls_reports {

enum class HlsTool { kUnknown, kVivadoHls, kVitisHls };

// "Vivado HLS", "Vitis HLS", or "unknown HLS tool".
std::string_view ToolName(HlsTool tool);

// The resource kinds of the utilisation tables, in the tools' column order. kDsp is the
// column Vivado HLS calls DSP48E and Vitis HLS calls DSP.
enum class ResourceKind { kBram18k, kDsp, kFf, kLut, kUram };
inline constexpr std::array<ResourceKind, 5> kResourceKinds = {
    ResourceKind::kBram18k, ResourceKind::kDsp, ResourceKind::kFf, ResourceKind::kLut,
    ResourceKind::kUram};

// "BRAM_18K", "DSP", "FF", "LUT", "URAM".
std::string_view ResourceName(ResourceKind kind);

// One resource kind: how many the design uses, how many the part has, and the utilisation in
// percent (used / available, or the percentage the report prints when it gives no total).
struct ResourceUse {
  std::optional<int64_t> used;
  std::optional<int64_t> available;
  std::optional<double> percent;
};

struct Resources {
  std::array<ResourceUse, kResourceKinds.size()> by_kind;

  ResourceUse& operator[](ResourceKind kind) { return by_kind[static_cast<size_t>(kind)]; }
  const ResourceUse& operator[](ResourceKind kind) const {
    return by_kind[static_cast<size_t>(kind)];
  }
};

// Latency and initiation interval in clock cycles; the latency also in ns when the report
// gives it ("Latency (absolute)", <Best-caseRealTimeLatency>).
struct Latency {
  std::optional<int64_t> min_cycles;
  std::optional<int64_t> max_cycles;
  std::optional<double> min_ns;
  std::optional<double> max_ns;
  std::optional<int64_t> interval_min;
  std::optional<int64_t> interval_max;
  std::string pipeline_type;  // "none", "dataflow", "function", "no", "yes", ... as reported
};

// A sub-function of the top: an instance row of the text report, or a module row of the
// Synthesis Summary (where depth is the nesting level, 1 for the top's direct children).
struct ModuleRow {
  std::string instance;  // "grp_myproject_fu_216", "dense_..._U0"; empty in the summary
  std::string module;    // the function's RTL module name
  int depth = 1;
  Latency latency;
  Resources resources;  // used counts (and percentages in the summary) where listed
};

struct SynthesisReport {
  std::string source;  // the file it was read from
  std::string format;  // "csynth.xml", "csynth.rpt", or "synthesis summary"
  HlsTool tool = HlsTool::kUnknown;
  std::string version;       // "2020.1", "2019.1.3", "2022.2"
  std::string top_function;  // the function the report is about
  std::string part;          // "xc7z020-clg400-1"
  std::string product_family;
  std::string flow_target;  // "vivado" or "vitis" (Vitis HLS only)
  std::optional<double> target_clock_ns;
  std::optional<double> estimated_clock_ns;
  std::optional<double> clock_uncertainty_ns;
  Latency latency;
  Resources resources;
  std::vector<ModuleRow> modules;
};

// Reads an XML report: <project>_prj/solution1/syn/report/csynth.xml or <function>_csynth.xml.
// Errors name the file and what is wrong: unreadable, malformed or truncated XML (with the
// byte offset), a root other than <profile>, a missing <UserAssignments>, latency summary or
// <AreaEstimates>/<Resources>, or a value that is not a number.
Result<SynthesisReport> ReadCsynthXml(const std::filesystem::path& path);

// Reads a text report: <function>_csynth.rpt ("== Vivado HLS Report for 'f'" or "== Vitis HLS
// Report for 'f'") or Vitis HLS's csynth.rpt ("== Synthesis Summary Report of 'f'").
// Errors name the file and the missing or unreadable section.
Result<SynthesisReport> ReadCsynthRpt(const std::filesystem::path& path);

// Finds and reads the synthesis report of a project. project_dir may be the folder holding
// <ProjectName>_prj (the hls4ml and fixnn layout), the <ProjectName>_prj folder itself, a
// solution folder, its syn/report folder, or a Vitis component folder with hls/syn/report.
// Prefers csynth.xml, then <ProjectName>_csynth.xml, then <ProjectName>_csynth.rpt, then
// csynth.rpt. When the XML has no per-module rows, they are taken from the top function's
// text report beside it, if it reads. Errors: no such folder, no report (naming the folders
// looked in), several *_prj folders, or the errors of the readers.
Result<SynthesisReport> FindAndReadReport(const std::filesystem::path& project_dir);

// A compact human-readable summary: tool, part, clocks, latency, resources with
// utilisation, and one line per module.
std::string FormatReport(const SynthesisReport& report);

// The report as JSON; absent values are null. Resources are keyed by ResourceName.
nlohmann::json ToJson(const SynthesisReport& report);

}  // namespace fixnn::backends::hls_reports
