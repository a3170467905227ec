// ReadCsynthXml: csynth.xml and <function>_csynth.xml, whose <profile> root holds
// <ReportVersion>, <UserAssignments>, <PerformanceEstimates> and <AreaEstimates> in every
// Vivado HLS and Vitis HLS release.
#include <fmt/format.h>

#include <pugixml.hpp>
#include <string>
#include <system_error>

#include "backends/hls_reports/report_values.h"
#include "backends/hls_reports/synthesis_report.h"

namespace fixnn::backends::hls_reports {
namespace {

namespace fs = std::filesystem;

// The text of the child element `name`, or nullopt when there is no such element.
std::optional<std::string_view> ChildText(const pugi::xml_node& node, const char* name) {
  const pugi::xml_node child = node.child(name);
  if (!child) return std::nullopt;
  return Trim(child.text().get());
}

// A time element, read in the unit the enclosing section declares (<unit>ns</unit>).
Result<std::optional<double>> TimeChild(const pugi::xml_node& node, const char* name,
                                        std::string_view unit, const std::string& where) {
  const auto text = ChildText(node, name);
  if (!text || IsUnknownValue(*text)) return std::optional<double>();
  const std::string with_unit =
      unit.empty() ? std::string(*text) : fmt::format("{} {}", *text, unit);
  auto value = ParseTimeNs(with_unit);
  if (!value.ok()) return value.error().WithContext(fmt::format("{}/<{}>", where, name));
  return value;
}

Result<std::optional<int64_t>> CyclesChild(const pugi::xml_node& node, const char* name,
                                           const std::string& where, bool required) {
  const auto text = ChildText(node, name);
  if (!text) {
    if (required) return Error(fmt::format("{}/<{}> is missing", where, name));
    return std::optional<int64_t>();
  }
  auto value = ParseCycles(*text);
  if (!value.ok()) return value.error().WithContext(fmt::format("{}/<{}>", where, name));
  return value;
}

// <Resources> or <AvailableResources>: one child per kind, e.g. <DSP48E>73</DSP48E>.
Status ReadResourceCounts(const pugi::xml_node& node, const std::string& where,
                          Resources& resources, bool available) {
  for (const pugi::xml_node& child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    const auto kind = ResourceKindFromName(child.name());
    if (!kind) continue;  // newer tools add kinds fixnn does not track
    const std::string_view text = Trim(child.text().get());
    const auto count = ParseInteger(text);
    if (!count || *count < 0) {
      return Error(fmt::format("{}/<{}> is '{}', not a count", where, child.name(), text));
    }
    ResourceUse& use = resources[*kind];
    (available ? use.available : use.used) = *count;
  }
  return Status::Ok();
}

Result<SynthesisReport> ReadProfile(const pugi::xml_node& root) {
  SynthesisReport report;
  report.format = "csynth.xml";
  if (const auto version = ChildText(root.child("ReportVersion"), "Version")) {
    report.version = std::string(*version);
  }

  const pugi::xml_node user = root.child("UserAssignments");
  if (!user) return Error("<UserAssignments> is missing");
  const auto top = ChildText(user, "TopModelName");
  if (!top || top->empty()) return Error("<UserAssignments>/<TopModelName> is missing");
  report.top_function = std::string(*top);
  report.part = std::string(ChildText(user, "Part").value_or(""));
  report.product_family = std::string(ChildText(user, "ProductFamily").value_or(""));
  report.flow_target = std::string(ChildText(user, "FlowTarget").value_or(""));
  const std::string_view user_unit = ChildText(user, "unit").value_or("ns");
  auto target = TimeChild(user, "TargetClockPeriod", user_unit, "<UserAssignments>");
  if (!target.ok()) return target.error();
  report.target_clock_ns = *target;
  auto uncertainty = TimeChild(user, "ClockUncertainty", user_unit, "<UserAssignments>");
  if (!uncertainty.ok()) return uncertainty.error();
  report.clock_uncertainty_ns = *uncertainty;

  const pugi::xml_node perf = root.child("PerformanceEstimates");
  if (!perf) return Error("<PerformanceEstimates> is missing");
  report.latency.pipeline_type = std::string(ChildText(perf, "PipelineType").value_or(""));
  const pugi::xml_node timing = perf.child("SummaryOfTimingAnalysis");
  auto estimated = TimeChild(timing, "EstimatedClockPeriod",
                             ChildText(timing, "unit").value_or("ns"), "<SummaryOfTimingAnalysis>");
  if (!estimated.ok()) return estimated.error();
  report.estimated_clock_ns = *estimated;

  const pugi::xml_node overall = perf.child("SummaryOfOverallLatency");
  const std::string where = "<PerformanceEstimates>/<SummaryOfOverallLatency>";
  if (!overall) return Error(where + " (the latency summary) is missing");
  auto best = CyclesChild(overall, "Best-caseLatency", where, /*required=*/true);
  if (!best.ok()) return best.error();
  auto worst = CyclesChild(overall, "Worst-caseLatency", where, /*required=*/true);
  if (!worst.ok()) return worst.error();
  auto interval_min = CyclesChild(overall, "Interval-min", where, /*required=*/false);
  if (!interval_min.ok()) return interval_min.error();
  auto interval_max = CyclesChild(overall, "Interval-max", where, /*required=*/false);
  if (!interval_max.ok()) return interval_max.error();
  report.latency.min_cycles = *best;
  report.latency.max_cycles = *worst;
  report.latency.interval_min = *interval_min;
  report.latency.interval_max = *interval_max;
  // Real-time latencies carry their unit in the text ("50.000 ns", "2.600 us").
  auto best_ns = TimeChild(overall, "Best-caseRealTimeLatency", "", where);
  if (!best_ns.ok()) return best_ns.error();
  auto worst_ns = TimeChild(overall, "Worst-caseRealTimeLatency", "", where);
  if (!worst_ns.ok()) return worst_ns.error();
  report.latency.min_ns = *best_ns;
  report.latency.max_ns = *worst_ns;

  const pugi::xml_node area = root.child("AreaEstimates");
  if (!area) return Error("<AreaEstimates> is missing");
  const pugi::xml_node used = area.child("Resources");
  if (!used) return Error("<AreaEstimates>/<Resources> is missing");
  Status status = ReadResourceCounts(used, "<AreaEstimates>/<Resources>", report.resources,
                                     /*available=*/false);
  if (!status.ok()) return status.error();
  if (const pugi::xml_node available = area.child("AvailableResources")) {
    status = ReadResourceCounts(available, "<AreaEstimates>/<AvailableResources>", report.resources,
                                /*available=*/true);
    if (!status.ok()) return status.error();
  }
  ComputePercentages(report.resources);

  // Vitis HLS writes <FlowTarget> and names the DSP column DSP; Vivado HLS writes DSP48E.
  report.tool = ToolFromVersion(report.version);
  if (!report.flow_target.empty() || used.child("DSP")) report.tool = HlsTool::kVitisHls;
  if (report.tool == HlsTool::kUnknown && used.child("DSP48E")) report.tool = HlsTool::kVivadoHls;
  return report;
}

}  // namespace

Result<SynthesisReport> ReadCsynthXml(const fs::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  if (!fs::exists(path, ec)) return Error(name + ": no such file");
  if (!fs::is_regular_file(path, ec)) return Error(name + ": not a regular file");
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_file(path.c_str());
  if (parsed.status == pugi::status_file_not_found || parsed.status == pugi::status_io_error ||
      parsed.status == pugi::status_out_of_memory) {
    return Error(fmt::format("{}: cannot read the file ({})", name, parsed.description()));
  }
  if (!parsed) {
    return Error(fmt::format("{}: malformed XML at byte {}: {} (truncated or not an HLS report)",
                             name, parsed.offset, parsed.description()));
  }
  const pugi::xml_node root = doc.document_element();
  if (std::string_view(root.name()) != "profile") {
    return Error(fmt::format(
        "{}: the root element is <{}>, not <profile>: not a Vivado/Vitis HLS synthesis report",
        name, root.name()));
  }
  auto report = ReadProfile(root);
  if (!report.ok()) return report.error().WithContext(name);
  report->source = name;
  return report;
}

}  // namespace fixnn::backends::hls_reports
