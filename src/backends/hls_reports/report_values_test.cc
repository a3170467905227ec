#include "backends/hls_reports/report_values.h"

#include <gtest/gtest.h>

namespace fixnn::backends::hls_reports {
namespace {

TEST(ReportValues, TimesWithAndWithoutUnits) {
  EXPECT_DOUBLE_EQ(ParseTimeNs("5.00 ns")->value(), 5.0);
  EXPECT_DOUBLE_EQ(ParseTimeNs(" 4.049 ")->value(), 4.049);
  EXPECT_DOUBLE_EQ(ParseTimeNs("2.600 us")->value(), 2600.0);
  EXPECT_DOUBLE_EQ(ParseTimeNs("2.627 ms")->value(), 2.627e6);
  EXPECT_DOUBLE_EQ(ParseTimeNs("2.600e+03")->value(), 2600.0);
  EXPECT_DOUBLE_EQ(ParseTimeNs("640 ps")->value(), 0.64);
  EXPECT_FALSE(ParseTimeNs("?")->has_value());
  EXPECT_FALSE(ParseTimeNs("-")->has_value());
  EXPECT_FALSE(ParseTimeNs("3 parsecs").ok());
  EXPECT_FALSE(ParseTimeNs("fast").ok());
  EXPECT_FALSE(ParseTimeNs("-1 ns").ok());
}

TEST(ReportValues, Cycles) {
  EXPECT_EQ(ParseCycles("3137")->value(), 3137);
  EXPECT_FALSE(ParseCycles("undef")->has_value());
  EXPECT_FALSE(ParseCycles("?")->has_value());
  EXPECT_FALSE(ParseCycles("12x").ok());
  EXPECT_FALSE(ParseCycles("-5").ok());
  EXPECT_NE(ParseCycles("ten").error().message().find("'ten'"), std::string::npos);
}

TEST(ReportValues, PercentagesAndResourceCells) {
  EXPECT_DOUBLE_EQ(*ParsePercent("33"), 33.0);
  EXPECT_DOUBLE_EQ(*ParsePercent("~0"), 0.0);
  EXPECT_DOUBLE_EQ(*ParsePercent("(15%)"), 15.0);
  EXPECT_DOUBLE_EQ(*ParsePercent("(~0%)"), 0.0);
  auto cell = ParseCountWithPercent("192 (15%)");
  ASSERT_TRUE(cell.ok());
  EXPECT_EQ(cell->count, 192);
  EXPECT_EQ(cell->percent, 15.0);
  EXPECT_FALSE(ParseCountWithPercent("-")->count.has_value());
  EXPECT_FALSE(ParseCountWithPercent("lots (15%)").ok());
}

TEST(ReportValues, ToolFromVersion) {
  EXPECT_EQ(ToolFromVersion("2018.2"), HlsTool::kVivadoHls);
  EXPECT_EQ(ToolFromVersion("2019.2.0"), HlsTool::kVivadoHls);
  EXPECT_EQ(ToolFromVersion("2020.1"), HlsTool::kVivadoHls);
  EXPECT_EQ(ToolFromVersion("2020.2"), HlsTool::kVitisHls);
  EXPECT_EQ(ToolFromVersion("2020.2.2"), HlsTool::kVitisHls);
  EXPECT_EQ(ToolFromVersion("2023.1"), HlsTool::kVitisHls);
  EXPECT_EQ(ToolFromVersion("1.0"), HlsTool::kUnknown);
  EXPECT_EQ(ToolFromVersion(""), HlsTool::kUnknown);
}

TEST(ReportValues, ResourceNames) {
  EXPECT_EQ(ResourceKindFromName("DSP48E"), ResourceKind::kDsp);
  EXPECT_EQ(ResourceKindFromName("DSP"), ResourceKind::kDsp);
  EXPECT_EQ(ResourceKindFromName("BRAM_18K"), ResourceKind::kBram18k);
  EXPECT_EQ(ResourceKindFromName("URAM"), ResourceKind::kUram);
  EXPECT_FALSE(ResourceKindFromName("SRL").has_value());
  EXPECT_EQ(ResourceName(ResourceKind::kDsp), "DSP");
}

}  // namespace
}  // namespace fixnn::backends::hls_reports
