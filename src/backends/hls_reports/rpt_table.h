// The ASCII tables of the HLS text reports:
//
//   +--------+-------+
//   |  Clock | Target|      header rows (one or two)
//   +--------+-------+
//   |ap_clk  |   5.00|      data rows, possibly in several bordered groups
//   +--------+-------+      (Total / Available / Utilization rows follow their own border)
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fixnn::backends::hls_reports {

// The lines of a text, without their line breaks ("\r\n" or "\n").
std::vector<std::string_view> SplitLines(std::string_view text);

// True for "+----+---+" lines (after leading blanks).
bool IsTableBorder(std::string_view line);

// True for "|a|b|" lines (after leading blanks).
bool IsTableRow(std::string_view line);

// The cells of a table row, untrimmed (leading blanks carry the nesting depth in the
// Synthesis Summary).
std::vector<std::string_view> SplitTableRow(std::string_view line);

struct AsciiTable {
  std::vector<std::vector<std::string_view>> header;
  std::vector<std::vector<std::string_view>> rows;
  size_t end = 0;  // the index of the first line after the table
};

// Reads the table whose top border is the first non-blank line in [from, to). nullopt when
// another line comes first or the table is cut off before its closing border.
std::optional<AsciiTable> ReadAsciiTable(const std::vector<std::string_view>& lines, size_t from,
                                         size_t to);

// The index of the first line in [from, to) that starts with `prefix` after leading blanks;
// `to` when there is none.
size_t FindLine(const std::vector<std::string_view>& lines, size_t from, size_t to,
                std::string_view prefix);

// Header names per column: the header rows' cells joined with a space ("Latency" over
// "(cycles)" gives "Latency (cycles)"), trimmed.
std::vector<std::string> ColumnNames(const AsciiTable& table);

}  // namespace fixnn::backends::hls_reports
