// ReadCsynthRpt: the text reports. Two layouts exist:
//  - "== Vivado HLS Report for 'f'" / "== Vitis HLS Report for 'f'" (<f>_csynth.rpt): sections
//    "Performance Estimates" (+ Timing, + Latency with instance details) and "Utilization
//    Estimates" (a Total / Available / Utilization summary and per-instance rows). Vivado HLS
//    up to 2019.2 prints bare numbers under "Timing (ns)" and "Latency (clock cycles)"; 2020.1
//    and Vitis HLS add units and an absolute-latency column.
//  - "== Synthesis Summary Report of 'f'" (Vitis HLS csynth.rpt): one table of modules and
//    loops with latency, interval and "count (percent)" resources.
#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <string>
#include <system_error>

#include "backends/hls_reports/report_values.h"
#include "backends/hls_reports/rpt_table.h"
#include "backends/hls_reports/synthesis_report.h"

namespace fixnn::backends::hls_reports {
namespace {

namespace fs = std::filesystem;
using Lines = std::vector<std::string_view>;

struct Title {
  HlsTool tool = HlsTool::kUnknown;
  std::string top;
  bool summary = false;
};

// The report's title line and the function between its quotes.
std::optional<Title> FindTitle(const Lines& lines) {
  static constexpr struct {
    std::string_view prefix;
    HlsTool tool;
    bool summary;
  } kTitles[] = {{"== Vivado HLS Report for '", HlsTool::kVivadoHls, false},
                 {"== Vitis HLS Report for '", HlsTool::kVitisHls, false},
                 {"== Synthesis Summary Report of '", HlsTool::kVitisHls, true}};
  const size_t limit = std::min<size_t>(lines.size(), 20);
  for (size_t i = 0; i < limit; ++i) {
    const std::string_view line = Trim(lines[i]);
    for (const auto& title : kTitles) {
      if (line.substr(0, title.prefix.size()) != title.prefix) continue;
      const std::string_view rest = line.substr(title.prefix.size());
      const size_t quote = rest.find('\'');
      if (quote == std::string_view::npos || quote == 0) return std::nullopt;
      return Title{title.tool, std::string(rest.substr(0, quote)), title.summary};
    }
  }
  return std::nullopt;
}

// The text after "* Key:" in the report's general information block.
std::string_view HeaderValue(const Lines& lines, std::string_view key) {
  const size_t limit = std::min<size_t>(lines.size(), 40);
  const size_t at = FindLine(lines, 0, limit, key);
  if (at == limit) return {};
  return Trim(Trim(lines[at]).substr(key.size()));
}

void ReadGeneralInformation(const Lines& lines, SynthesisReport& report) {
  const std::string_view version = HeaderValue(lines, "* Version:");
  report.version = std::string(version.substr(0, version.find(' ')));
  report.part = std::string(HeaderValue(lines, "* Target device:"));
  report.product_family = std::string(HeaderValue(lines, "* Product family:"));
  const std::string_view solution = HeaderValue(lines, "* Solution:");
  if (solution.find("(Vitis Kernel Flow Target)") != std::string_view::npos) {
    report.flow_target = "vitis";
  } else if (solution.find("(Vivado IP Flow Target)") != std::string_view::npos) {
    report.flow_target = "vivado";
  }
}

// The first table border in [from, to), so that notes between a title and its table ("PS:
// '+' for module; ...") are skipped.
size_t FindBorder(const Lines& lines, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) {
    if (IsTableBorder(lines[i])) return i;
  }
  return to;
}

// Latency columns of a summary or instance row starting at cells[first]: five (min, max latency;
// min, max interval; pipeline type) or seven (with min, max absolute latency after the cycles).
Result<Latency> LatencyFromCells(const std::vector<std::string_view>& cells, size_t first) {
  const size_t n = cells.size() - std::min(first, cells.size());
  if (n != 5 && n != 7) {
    return Error(fmt::format("a latency row has {} value columns, expected 5 or 7", n));
  }
  Latency latency;
  auto cycles = [&](size_t i, std::optional<int64_t>& out) -> Status {
    auto value = ParseCycles(cells[first + i]);
    if (!value.ok()) return value.error();
    out = *value;
    return Status::Ok();
  };
  auto time = [&](size_t i, std::optional<double>& out) -> Status {
    auto value = ParseTimeNs(cells[first + i]);
    if (!value.ok()) return value.error();
    out = *value;
    return Status::Ok();
  };
  const size_t interval = n == 7 ? 4 : 2;
  for (Status status :
       {cycles(0, latency.min_cycles), cycles(1, latency.max_cycles),
        cycles(interval, latency.interval_min), cycles(interval + 1, latency.interval_max)}) {
    if (!status.ok()) return status.error();
  }
  if (n == 7) {
    for (Status status : {time(2, latency.min_ns), time(3, latency.max_ns)}) {
      if (!status.ok()) return status.error();
    }
  }
  latency.pipeline_type = std::string(Trim(cells[first + n - 1]));
  return latency;
}

// The table after "* Instance:" in [from, to): nullopt for "N/A" or no such heading.
Result<std::optional<AsciiTable>> InstanceTable(const Lines& lines, size_t from, size_t to,
                                                std::string_view section) {
  const size_t at = FindLine(lines, from, to, "* Instance:");
  if (at == to) return std::optional<AsciiTable>();
  size_t next = at + 1;
  while (next < to && Trim(lines[next]).empty()) ++next;
  if (next < to && Trim(lines[next]) == "N/A") return std::optional<AsciiTable>();
  auto table = ReadAsciiTable(lines, at + 1, to);
  if (!table) {
    return Error(fmt::format("the {} instance table is cut off or malformed", section));
  }
  return std::optional<AsciiTable>(std::move(*table));
}

ModuleRow& FindOrAddModule(std::vector<ModuleRow>& modules, std::string_view instance,
                           std::string_view module) {
  for (ModuleRow& row : modules) {
    if (row.instance == instance) return row;
  }
  ModuleRow& row = modules.emplace_back();
  row.instance = std::string(instance);
  row.module = std::string(module);
  return row;
}

Status ReadPerformance(const Lines& lines, size_t begin, size_t end, SynthesisReport& report) {
  // + Timing: one row per clock, ap_clk first: clock, target, estimated, uncertainty.
  const size_t timing_at = FindLine(lines, begin, end, "+ Timing");
  const size_t latency_at = FindLine(lines, begin, end, "+ Latency");
  if (timing_at == end) return Error("the '+ Timing' summary is missing");
  auto timing = ReadAsciiTable(lines, FindBorder(lines, timing_at, latency_at), latency_at);
  if (!timing || timing->rows.empty() || timing->rows[0].size() != 4) {
    return Error("the '+ Timing' summary table is cut off or malformed");
  }
  const auto& clock = timing->rows[0];
  auto target = ParseTimeNs(clock[1]);
  auto estimated = ParseTimeNs(clock[2]);
  auto uncertainty = ParseTimeNs(clock[3]);
  for (const auto* value : {&target, &estimated, &uncertainty}) {
    if (!value->ok()) return value->error().WithContext("'+ Timing' summary");
  }
  report.target_clock_ns = *target;
  report.estimated_clock_ns = *estimated;
  report.clock_uncertainty_ns = *uncertainty;

  // + Latency: the summary row, then per-instance rows under "+ Detail:".
  if (latency_at == end) return Error("the '+ Latency' summary is missing");
  auto summary = ReadAsciiTable(lines, FindBorder(lines, latency_at, end), end);
  if (!summary || summary->rows.empty()) {
    return Error("the '+ Latency' summary table is cut off or malformed");
  }
  auto latency = LatencyFromCells(summary->rows[0], 0);
  if (!latency.ok()) return latency.error().WithContext("'+ Latency' summary");
  report.latency = std::move(*latency);

  const size_t loop_at = FindLine(lines, summary->end, end, "* Loop:");
  auto instances = InstanceTable(lines, summary->end, loop_at, "latency");
  if (!instances.ok()) return instances.error();
  if (!instances->has_value()) return Status::Ok();
  for (const auto& cells : (*instances)->rows) {
    if (cells.size() < 2) return Error("the latency instance table has a malformed row");
    auto row_latency = LatencyFromCells(cells, 2);
    if (!row_latency.ok()) {
      return row_latency.error().WithContext(
          fmt::format("latency of instance '{}'", Trim(cells[0])));
    }
    FindOrAddModule(report.modules, Trim(cells[0]), Trim(cells[1])).latency =
        std::move(*row_latency);
  }
  return Status::Ok();
}

// Reads one resource row into `resources`, using the kinds of the columns.
Status ReadResourceRow(const std::vector<std::string_view>& cells,
                       const std::vector<std::optional<ResourceKind>>& kinds, size_t first,
                       Resources& resources, std::optional<int64_t> ResourceUse::*field) {
  for (size_t c = first; c < cells.size() && c < kinds.size(); ++c) {
    if (!kinds[c] || IsUnknownValue(cells[c])) continue;
    const auto count = ParseInteger(cells[c]);
    if (!count || *count < 0) {
      return Error(fmt::format("'{}' is not a resource count", Trim(cells[c])));
    }
    resources[*kinds[c]].*field = *count;
  }
  return Status::Ok();
}

std::vector<std::optional<ResourceKind>> ColumnKinds(const AsciiTable& table) {
  std::vector<std::optional<ResourceKind>> kinds;
  for (const std::string& name : ColumnNames(table)) kinds.push_back(ResourceKindFromName(name));
  return kinds;
}

Status ReadUtilisation(const Lines& lines, size_t begin, size_t end, SynthesisReport& report) {
  const size_t summary_at = FindLine(lines, begin, end, "* Summary:");
  auto summary = ReadAsciiTable(lines, FindBorder(lines, summary_at, end), end);
  if (summary_at == end || !summary) {
    return Error("the 'Utilization Estimates' summary table is missing or cut off");
  }
  const auto kinds = ColumnKinds(*summary);
  bool have_total = false;
  for (const auto& cells : summary->rows) {
    const std::string_view label = Trim(cells.empty() ? std::string_view() : cells[0]);
    Status status;
    if (label == "Total") {
      have_total = true;
      status = ReadResourceRow(cells, kinds, 1, report.resources, &ResourceUse::used);
    } else if (label == "Available") {
      status = ReadResourceRow(cells, kinds, 1, report.resources, &ResourceUse::available);
    } else if (label == "Utilization (%)") {
      for (size_t c = 1; c < cells.size() && c < kinds.size(); ++c) {
        if (kinds[c] && !IsUnknownValue(cells[c])) {
          report.resources[*kinds[c]].percent = ParsePercent(cells[c]);
        }
      }
    }
    if (!status.ok()) {
      return status.error().WithContext(fmt::format("'Utilization Estimates' row '{}'", label));
    }
  }
  if (!have_total) return Error("the 'Utilization Estimates' summary has no 'Total' row");
  ComputePercentages(report.resources);

  auto instances = InstanceTable(lines, summary->end, end, "utilization");
  if (!instances.ok()) return instances.error();
  if (!instances->has_value()) return Status::Ok();
  const auto instance_kinds = ColumnKinds(**instances);
  for (const auto& cells : (*instances)->rows) {
    if (cells.size() < 2) return Error("the utilization instance table has a malformed row");
    const std::string_view instance = Trim(cells[0]);
    if (instance == "Total") continue;
    ModuleRow& row = FindOrAddModule(report.modules, instance, Trim(cells[1]));
    Status status = ReadResourceRow(cells, instance_kinds, 2, row.resources, &ResourceUse::used);
    if (!status.ok()) {
      return status.error().WithContext(fmt::format("resources of instance '{}'", instance));
    }
  }
  return Status::Ok();
}

Result<SynthesisReport> ReadFunctionReport(const Lines& lines) {
  SynthesisReport report;
  report.format = "csynth.rpt";
  const size_t n = lines.size();
  const size_t perf = FindLine(lines, 0, n, "== Performance Estimates");
  if (perf == n) return Error("the 'Performance Estimates' section is missing (truncated?)");
  const size_t util = FindLine(lines, perf + 1, n, "== Utilization Estimates");
  Status status = ReadPerformance(lines, perf + 1, util, report);
  if (!status.ok()) return status.error();
  if (util == n) return Error("the 'Utilization Estimates' section is missing (truncated?)");
  status = ReadUtilisation(lines, util + 1, FindLine(lines, util + 1, n, "== "), report);
  if (!status.ok()) return status.error();
  return report;
}

// "260", "10 ~ 20" (a range), "?".
Status ReadCyclesRange(std::string_view cell, std::optional<int64_t>& min,
                       std::optional<int64_t>& max) {
  const size_t tilde = cell.find('~');
  auto low = ParseCycles(tilde == std::string_view::npos ? cell : cell.substr(0, tilde));
  auto high = ParseCycles(tilde == std::string_view::npos ? cell : cell.substr(tilde + 1));
  if (!low.ok()) return low.error();
  if (!high.ok()) return high.error();
  min = *low;
  max = *high;
  return Status::Ok();
}

Status ReadTimeRange(std::string_view cell, std::optional<double>& min,
                     std::optional<double>& max) {
  const size_t tilde = cell.find('~');
  auto low = ParseTimeNs(tilde == std::string_view::npos ? cell : cell.substr(0, tilde));
  auto high = ParseTimeNs(tilde == std::string_view::npos ? cell : cell.substr(tilde + 1));
  if (!low.ok()) return low.error();
  if (!high.ok()) return high.error();
  min = *low;
  max = *high;
  return Status::Ok();
}

Result<SynthesisReport> ReadSummaryReport(const Lines& lines) {
  SynthesisReport report;
  report.format = "synthesis summary";
  const size_t n = lines.size();
  const size_t at = FindLine(lines, 0, n, "+ Performance & Resource Estimates");
  if (at == n) {
    return Error("the '+ Performance & Resource Estimates' section is missing (truncated?)");
  }
  const size_t end = FindLine(lines, at + 1, n, "== ");
  auto table = ReadAsciiTable(lines, FindBorder(lines, at + 1, end), end);
  if (!table) return Error("the 'Performance & Resource Estimates' table is cut off or malformed");

  const auto names = ColumnNames(*table);
  auto column = [&](std::string_view name) -> std::optional<size_t> {
    for (size_t c = 0; c < names.size(); ++c) {
      if (names[c] == name) return c;
    }
    return std::nullopt;
  };
  const auto name_col = column("Modules & Loops");
  const auto cycles_col = column("Latency (cycles)");
  const auto ns_col = column("Latency (ns)");
  const auto interval_col = column("Interval");
  const auto pipelined_col = column("Pipelined");
  if (!name_col || !cycles_col || !interval_col) {
    return Error(
        "the 'Performance & Resource Estimates' table has no 'Modules & Loops', 'Latency "
        "(cycles)' or 'Interval' column");
  }

  bool have_top = false;
  for (const auto& cells : table->rows) {
    if (cells.size() != names.size()) {
      return Error("the 'Performance & Resource Estimates' table has a malformed row");
    }
    const std::string_view raw = cells[*name_col];
    const std::string_view text = Trim(raw);
    if (text.size() < 2) continue;
    const char mark = text.front();
    if (mark == 'o') continue;  // a loop
    if (mark != '+' && mark != '*') {
      return Error(fmt::format("row '{}' is neither a module ('+') nor a loop ('o')", text));
    }
    const int depth = static_cast<int>(raw.find_first_not_of(' '));
    const std::string name(Trim(text.substr(1)));
    Latency latency;
    Resources resources;
    Status status = ReadCyclesRange(cells[*cycles_col], latency.min_cycles, latency.max_cycles);
    if (status.ok() && ns_col)
      status = ReadTimeRange(cells[*ns_col], latency.min_ns, latency.max_ns);
    if (status.ok()) {
      status = ReadCyclesRange(cells[*interval_col], latency.interval_min, latency.interval_max);
    }
    if (pipelined_col) latency.pipeline_type = std::string(Trim(cells[*pipelined_col]));
    for (size_t c = 0; status.ok() && c < names.size(); ++c) {
      const auto kind = ResourceKindFromName(names[c]);
      if (!kind) continue;
      auto value = ParseCountWithPercent(cells[c]);
      if (!value.ok()) {
        status = value.error();
        break;
      }
      resources[*kind].used = value->count;
      resources[*kind].percent = value->percent;
    }
    if (!status.ok()) return status.error().WithContext(fmt::format("module '{}'", name));
    if (!have_top) {
      if (depth != 0) return Error("the first row of the estimates table is not the top module");
      have_top = true;
      report.latency = std::move(latency);
      report.resources = resources;
      continue;
    }
    ModuleRow& row = report.modules.emplace_back();
    row.module = name;
    row.depth = depth;
    row.latency = std::move(latency);
    row.resources = resources;
  }
  if (!have_top) return Error("the 'Performance & Resource Estimates' table has no module row");
  return report;
}

Result<std::string> ReadWholeFile(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Error("no such file");
  if (!fs::is_regular_file(path, ec)) return Error("not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error("cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Error("cannot read the file");
  return text.str();
}

}  // namespace

Result<SynthesisReport> ReadCsynthRpt(const fs::path& path) {
  const std::string name = path.string();
  auto text = ReadWholeFile(path);
  if (!text.ok()) return text.error().WithContext(name);
  if (text->find('\0') != std::string::npos) {
    return Error(name + ": binary data, not a text synthesis report");
  }
  const Lines lines = SplitLines(*text);
  const auto title = FindTitle(lines);
  if (!title) {
    return Error(name +
                 ": not a C-synthesis report: no \"== Vivado HLS Report for '<function>'\", "
                 "\"== Vitis HLS Report for '<function>'\" or \"== Synthesis Summary Report of "
                 "'<function>'\" title");
  }
  auto report = title->summary ? ReadSummaryReport(lines) : ReadFunctionReport(lines);
  if (!report.ok()) return report.error().WithContext(name);
  report->source = name;
  report->tool = title->tool;
  report->top_function = title->top;
  ReadGeneralInformation(lines, *report);
  return report;
}

}  // namespace fixnn::backends::hls_reports
