// The value syntax shared by the XML and text reports: cycle counts that may be unknown ("?",
// "undef", "-"), times with or without a unit ("5.00 ns", "2.600 us", "4.049"), resource
// cells ("192 (15%)", "~0"), and the tool a version number belongs to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "backends/hls_reports/synthesis_report.h"
#include "support/result.h"

namespace fixnn::backends::hls_reports {

std::string_view Trim(std::string_view text);

// True for the marks the tools print instead of a value: "", "-", "?", "undef", "N/A".
bool IsUnknownValue(std::string_view text);

// A whole-string integer or decimal number (no unit); nullopt otherwise.
std::optional<int64_t> ParseInteger(std::string_view text);
std::optional<double> ParseDecimal(std::string_view text);

// Cycles: an integer, or an unknown mark (nullopt). Anything else is an error.
Result<std::optional<int64_t>> ParseCycles(std::string_view text);

// A time in ns: "5.00 ns", "2.600 us", "2.627 ms", "640 ps", or a bare number taken as ns;
// an unknown mark gives nullopt. Anything else is an error.
Result<std::optional<double>> ParseTimeNs(std::string_view text);

// A utilisation percentage: "15", "15%", "~0", "(~0%)" ("~0" is below 1 %, read as 0).
std::optional<double> ParsePercent(std::string_view text);

// A Synthesis Summary resource cell: "192 (15%)", "9 (~0%)", "-".
struct CountWithPercent {
  std::optional<int64_t> count;
  std::optional<double> percent;
};
Result<CountWithPercent> ParseCountWithPercent(std::string_view text);

// Sets percent = used / available * 100 for every kind where both are known and available
// is positive; keeps a percentage the report printed otherwise.
void ComputePercentages(Resources& resources);

// Vivado HLS ended with 2020.1 and Vitis HLS started with 2020.2; kUnknown when the version
// does not start with "<year>.<minor>".
HlsTool ToolFromVersion(std::string_view version);

// The kind a column header or XML element names: "BRAM_18K", "DSP48E", "DSP", "FF", "LUT",
// "URAM"; nullopt for others ("BRAM" in Vitis's summary is BRAM_18K too).
std::optional<ResourceKind> ResourceKindFromName(std::string_view name);

}  // namespace fixnn::backends::hls_reports
