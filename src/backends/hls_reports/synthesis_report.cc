// ToolName, ResourceName, FormatReport and ToJson.
#include "backends/hls_reports/synthesis_report.h"

#include <fmt/format.h>

#include <algorithm>

namespace fixnn::backends::hls_reports {
namespace {

template <typename T>
nlohmann::json OrNull(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json LatencyJson(const Latency& latency) {
  return {{"min_cycles", OrNull(latency.min_cycles)},
          {"max_cycles", OrNull(latency.max_cycles)},
          {"min_ns", OrNull(latency.min_ns)},
          {"max_ns", OrNull(latency.max_ns)},
          {"interval_min", OrNull(latency.interval_min)},
          {"interval_max", OrNull(latency.interval_max)},
          {"pipeline_type", latency.pipeline_type}};
}

nlohmann::json ResourcesJson(const Resources& resources) {
  nlohmann::json out = nlohmann::json::object();
  for (ResourceKind kind : kResourceKinds) {
    const ResourceUse& use = resources[kind];
    out[std::string(ResourceName(kind))] = {{"used", OrNull(use.used)},
                                            {"available", OrNull(use.available)},
                                            {"percent", OrNull(use.percent)}};
  }
  return out;
}

std::string OrDash(const std::optional<int64_t>& value) {
  return value ? std::to_string(*value) : "-";
}

// "10", "10..20", or "?" for cycles; the ns in parentheses when known.
std::string CyclesText(const std::optional<int64_t>& min, const std::optional<int64_t>& max) {
  if (!min && !max) return "?";
  if (min == max) return OrDash(min);
  return fmt::format("{}..{}", min ? std::to_string(*min) : "?", max ? std::to_string(*max) : "?");
}

std::string NsText(const std::optional<double>& ns) {
  if (!ns) return "?";
  if (*ns >= 1e6) return fmt::format("{:.3f} ms", *ns / 1e6);
  if (*ns >= 1e3) return fmt::format("{:.3f} us", *ns / 1e3);
  return fmt::format("{:.3f} ns", *ns);
}

std::string LatencyText(const Latency& latency) {
  std::string text = CyclesText(latency.min_cycles, latency.max_cycles) + " cycles";
  if (latency.min_ns || latency.max_ns) {
    text += latency.min_ns == latency.max_ns
                ? fmt::format(" ({})", NsText(latency.min_ns))
                : fmt::format(" ({} .. {})", NsText(latency.min_ns), NsText(latency.max_ns));
  }
  return text;
}

std::string PercentText(const std::optional<double>& percent) {
  return percent ? fmt::format("{:.1f}%", *percent) : "-";
}

}  // namespace

std::string_view ToolName(HlsTool tool) {
  switch (tool) {
    case HlsTool::kVivadoHls:
      return "Vivado HLS";
    case HlsTool::kVitisHls:
      return "Vitis HLS";
    case HlsTool::kUnknown:
      break;
  }
  return "unknown HLS tool";
}

std::string_view ResourceName(ResourceKind kind) {
  switch (kind) {
    case ResourceKind::kBram18k:
      return "BRAM_18K";
    case ResourceKind::kDsp:
      return "DSP";
    case ResourceKind::kFf:
      return "FF";
    case ResourceKind::kLut:
      return "LUT";
    case ResourceKind::kUram:
      return "URAM";
  }
  return "?";
}

std::string FormatReport(const SynthesisReport& report) {
  std::string out = fmt::format("{} {} report for '{}'", ToolName(report.tool),
                                report.version.empty() ? "(version unknown)" : report.version,
                                report.top_function);
  if (!report.part.empty()) out += fmt::format(", part {}", report.part);
  out += fmt::format("\n  source:    {}\n", report.source);
  auto clock = [](const std::optional<double>& ns) {
    return ns ? fmt::format("{:.3f} ns", *ns) : std::string("-");
  };
  out += fmt::format("  clock:     target {}, estimated {}, uncertainty {}\n",
                     clock(report.target_clock_ns), clock(report.estimated_clock_ns),
                     clock(report.clock_uncertainty_ns));
  const Latency& latency = report.latency;
  out += fmt::format("  latency:   {}\n", LatencyText(latency));
  out += fmt::format(
      "  interval:  {} cycles{}\n", CyclesText(latency.interval_min, latency.interval_max),
      latency.pipeline_type.empty() ? std::string()
                                    : fmt::format(" (pipeline: {})", latency.pipeline_type));
  out += fmt::format("  {:<10} {:>10} {:>10} {:>8}\n", "resource", "used", "available", "util");
  for (ResourceKind kind : kResourceKinds) {
    const ResourceUse& use = report.resources[kind];
    if (!use.used && !use.available) continue;
    out += fmt::format("  {:<10} {:>10} {:>10} {:>8}\n", ResourceName(kind), OrDash(use.used),
                       OrDash(use.available), PercentText(use.percent));
  }
  if (report.modules.empty()) return out;
  out += fmt::format("  modules ({}):\n", report.modules.size());
  size_t width = 6;
  for (const ModuleRow& row : report.modules) {
    width =
        std::max(width, row.module.size() + 2 * static_cast<size_t>(std::max(row.depth - 1, 0)));
  }
  width = std::min<size_t>(width, 60);
  out += fmt::format("    {:<{}} {:>14} {:>10} {:>8} {:>6} {:>8} {:>8} {:>6}\n", "module", width,
                     "latency", "interval", "BRAM_18K", "DSP", "FF", "LUT", "URAM");
  for (const ModuleRow& row : report.modules) {
    std::string name(2 * static_cast<size_t>(std::max(row.depth - 1, 0)), ' ');
    name += row.module.empty() ? row.instance : row.module;
    if (name.size() > width) name = name.substr(0, width - 3) + "...";
    const Resources& r = row.resources;
    out += fmt::format("    {:<{}} {:>14} {:>10} {:>8} {:>6} {:>8} {:>8} {:>6}\n", name, width,
                       CyclesText(row.latency.min_cycles, row.latency.max_cycles),
                       CyclesText(row.latency.interval_min, row.latency.interval_max),
                       OrDash(r[ResourceKind::kBram18k].used), OrDash(r[ResourceKind::kDsp].used),
                       OrDash(r[ResourceKind::kFf].used), OrDash(r[ResourceKind::kLut].used),
                       OrDash(r[ResourceKind::kUram].used));
  }
  return out;
}

nlohmann::json ToJson(const SynthesisReport& report) {
  nlohmann::json modules = nlohmann::json::array();
  for (const ModuleRow& row : report.modules) {
    modules.push_back({{"instance", row.instance},
                       {"module", row.module},
                       {"depth", row.depth},
                       {"latency", LatencyJson(row.latency)},
                       {"resources", ResourcesJson(row.resources)}});
  }
  return {{"source", report.source},
          {"format", report.format},
          {"tool", std::string(ToolName(report.tool))},
          {"version", report.version},
          {"top_function", report.top_function},
          {"part", report.part},
          {"product_family", report.product_family},
          {"flow_target", report.flow_target},
          {"clock",
           {{"target_ns", OrNull(report.target_clock_ns)},
            {"estimated_ns", OrNull(report.estimated_clock_ns)},
            {"uncertainty_ns", OrNull(report.clock_uncertainty_ns)}}},
          {"latency", LatencyJson(report.latency)},
          {"resources", ResourcesJson(report.resources)},
          {"modules", std::move(modules)}};
}

}  // namespace fixnn::backends::hls_reports
