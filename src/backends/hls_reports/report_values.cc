#include "backends/hls_reports/report_values.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace fixnn::backends::hls_reports {

std::string_view Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

bool IsUnknownValue(std::string_view text) {
  text = Trim(text);
  return text.empty() || text == "-" || text == "?" || text == "undef" || text == "N/A";
}

std::optional<int64_t> ParseInteger(std::string_view text) {
  text = Trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> ParseDecimal(std::string_view text) {
  text = Trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

Result<std::optional<int64_t>> ParseCycles(std::string_view text) {
  if (IsUnknownValue(text)) return std::optional<int64_t>();
  const auto value = ParseInteger(text);
  if (!value || *value < 0) {
    return Error(fmt::format("'{}' is not a number of cycles", Trim(text)));
  }
  return std::optional<int64_t>(*value);
}

Result<std::optional<double>> ParseTimeNs(std::string_view text) {
  text = Trim(text);
  if (IsUnknownValue(text)) return std::optional<double>();
  double scale = 1.0;
  std::string_view number = text;
  const auto space = text.find_last_of(' ');
  if (space != std::string_view::npos) {
    const std::string_view unit = text.substr(space + 1);
    number = text.substr(0, space);
    if (unit == "ps") {
      scale = 1e-3;
    } else if (unit == "ns") {
      scale = 1.0;
    } else if (unit == "us") {
      scale = 1e3;
    } else if (unit == "ms") {
      scale = 1e6;
    } else if (unit == "s" || unit == "sec") {
      scale = 1e9;
    } else {
      return Error(fmt::format("'{}' has an unknown time unit '{}'", text, unit));
    }
  }
  const auto value = ParseDecimal(number);
  if (!value || *value < 0) return Error(fmt::format("'{}' is not a time", text));
  return std::optional<double>(*value * scale);
}

std::optional<double> ParsePercent(std::string_view text) {
  text = Trim(text);
  if (text.size() >= 2 && text.front() == '(' && text.back() == ')') {
    text = Trim(text.substr(1, text.size() - 2));
  }
  if (!text.empty() && text.back() == '%') text = Trim(text.substr(0, text.size() - 1));
  if (!text.empty() && text.front() == '~') return 0.0;  // "~0": below 1 %
  return ParseDecimal(text);
}

Result<CountWithPercent> ParseCountWithPercent(std::string_view text) {
  text = Trim(text);
  CountWithPercent out;
  if (IsUnknownValue(text)) return out;
  std::string_view count = text;
  const auto paren = text.find('(');
  if (paren != std::string_view::npos) {
    count = Trim(text.substr(0, paren));
    out.percent = ParsePercent(text.substr(paren));
    if (!out.percent) return Error(fmt::format("'{}' has no readable percentage", text));
  }
  out.count = ParseInteger(count);
  if (!out.count || *out.count < 0) {
    return Error(fmt::format("'{}' is not a resource count", text));
  }
  return out;
}

void ComputePercentages(Resources& resources) {
  for (ResourceUse& use : resources.by_kind) {
    if (use.used && use.available && *use.available > 0) {
      use.percent = 100.0 * static_cast<double>(*use.used) / static_cast<double>(*use.available);
    }
  }
}

HlsTool ToolFromVersion(std::string_view version) {
  version = Trim(version);
  const auto dot = version.find('.');
  if (dot == std::string_view::npos) return HlsTool::kUnknown;
  const auto year = ParseInteger(version.substr(0, dot));
  std::string_view rest = version.substr(dot + 1);
  rest = rest.substr(0, rest.find_first_not_of("0123456789"));
  const auto minor = ParseInteger(rest);
  if (!year || !minor || *year < 2000) return HlsTool::kUnknown;
  if (*year > 2020 || (*year == 2020 && *minor >= 2)) return HlsTool::kVitisHls;
  return HlsTool::kVivadoHls;
}

std::optional<ResourceKind> ResourceKindFromName(std::string_view name) {
  name = Trim(name);
  if (name == "BRAM_18K" || name == "BRAM") return ResourceKind::kBram18k;
  if (name == "DSP48E" || name == "DSP") return ResourceKind::kDsp;
  if (name == "FF") return ResourceKind::kFf;
  if (name == "LUT") return ResourceKind::kLut;
  if (name == "URAM") return ResourceKind::kUram;
  return std::nullopt;
}

}  // namespace fixnn::backends::hls_reports
