#include "backends/hls_reports/rpt_table.h"

#include <algorithm>

#include "backends/hls_reports/report_values.h"

namespace fixnn::backends::hls_reports {
namespace {

std::string_view LeftTrim(std::string_view line) {
  const auto first = line.find_first_not_of(" \t");
  return first == std::string_view::npos ? std::string_view() : line.substr(first);
}

bool IsBlank(std::string_view line) { return Trim(line).empty(); }

}  // namespace

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

bool IsTableBorder(std::string_view line) {
  line = Trim(line);
  return line.size() >= 3 && line.front() == '+' && line.back() == '+' &&
         line.find_first_not_of("+-") == std::string_view::npos &&
         line.find('-') != std::string_view::npos;
}

bool IsTableRow(std::string_view line) {
  line = Trim(line);
  return line.size() >= 2 && line.front() == '|' && line.back() == '|';
}

std::vector<std::string_view> SplitTableRow(std::string_view line) {
  line = Trim(line);
  std::vector<std::string_view> cells;
  if (line.size() < 2) return cells;
  line = line.substr(1, line.size() - 2);
  size_t start = 0;
  while (true) {
    const size_t bar = line.find('|', start);
    cells.push_back(line.substr(start, bar == std::string_view::npos ? line.npos : bar - start));
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return cells;
}

std::optional<AsciiTable> ReadAsciiTable(const std::vector<std::string_view>& lines, size_t from,
                                         size_t to) {
  to = std::min(to, lines.size());
  size_t i = from;
  while (i < to && IsBlank(lines[i])) ++i;
  if (i >= to || !IsTableBorder(lines[i])) return std::nullopt;
  ++i;
  AsciiTable table;
  while (i < to && IsTableRow(lines[i])) table.header.push_back(SplitTableRow(lines[i++]));
  if (table.header.empty() || i >= to || !IsTableBorder(lines[i])) return std::nullopt;
  ++i;
  while (i < to && IsTableRow(lines[i])) {
    while (i < to && IsTableRow(lines[i])) table.rows.push_back(SplitTableRow(lines[i++]));
    if (i >= to || !IsTableBorder(lines[i])) return std::nullopt;  // cut off mid-table
    ++i;
  }
  table.end = i;
  return table;
}

size_t FindLine(const std::vector<std::string_view>& lines, size_t from, size_t to,
                std::string_view prefix) {
  to = std::min(to, lines.size());
  for (size_t i = from; i < to; ++i) {
    if (LeftTrim(lines[i]).substr(0, prefix.size()) == prefix) return i;
  }
  return to;
}

std::vector<std::string> ColumnNames(const AsciiTable& table) {
  size_t columns = 0;
  for (const auto& row : table.header) columns = std::max(columns, row.size());
  std::vector<std::string> names(columns);
  for (const auto& row : table.header) {
    // A header row with fewer cells spans columns (the "Latency" over "min | max"); only rows
    // with a cell per column name columns one by one.
    if (row.size() != columns) continue;
    for (size_t c = 0; c < columns; ++c) {
      const std::string_view cell = Trim(row[c]);
      if (cell.empty()) continue;
      if (!names[c].empty()) names[c] += ' ';
      names[c] += cell;
    }
  }
  return names;
}

}  // namespace fixnn::backends::hls_reports
