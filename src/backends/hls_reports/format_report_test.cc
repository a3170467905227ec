// FormatReport and ToJson.
#include <gtest/gtest.h>

#include "backends/hls_reports/hls_reports_test_util.h"
#include "backends/hls_reports/synthesis_report.h"

namespace fixnn::backends::hls_reports {
namespace {

using testing::Fixture;

SynthesisReport ReadRpt(std::string_view fixture) {
  auto report = ReadCsynthRpt(Fixture(fixture));
  EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.error().message());
  return report.ok() ? *report : SynthesisReport();
}

TEST(FormatReport, Hls4mlTextReport) {
  const std::string text = FormatReport(ReadRpt("vivado_hls_2020_1_hls4ml/myproject_csynth.rpt"));
  for (const char* expected :
       {"Vivado HLS 2020.1 report for 'myproject', part xc7z020-clg400-1",
        "clock:     target 5.000 ns, estimated 4.049 ns, uncertainty 0.620 ns",
        "latency:   10 cycles (50.000 ns)", "interval:  8 cycles (pipeline: dataflow)",
        "  DSP                73        220    33.2%",
        "modules (2):", "dense_array_array_ap_fixed_16_6_5_3_0_5u_config2_s"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing '" << expected << "' in\n"
                                                      << text;
  }
}

TEST(FormatReport, SummaryWithoutClocksOrTotals) {
  const std::string text = FormatReport(ReadRpt("vitis_hls_2022_2_systolic/csynth.rpt"));
  for (const char* expected :
       {"Vitis HLS 2022.2 report for 'multiplier'", "target -, estimated -, uncertainty -",
        "latency:   260 cycles (2.600 us)", "  DSP               192          -    15.0%",
        "modules (8):", "multiplier_Pipeline_systolic1"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing '" << expected << "' in\n"
                                                      << text;
  }
}

TEST(ToJson, ValuesAndNulls) {
  auto xml = ReadCsynthXml(Fixture("vivado_hls_2018_2_galapagos/csynth.xml"));
  ASSERT_TRUE(xml.ok()) << xml.error().message();
  const nlohmann::json j = ToJson(*xml);
  EXPECT_EQ(j["tool"], "Vivado HLS");
  EXPECT_EQ(j["version"], "2018.2");
  EXPECT_EQ(j["top_function"], "myproject_galapagos");
  EXPECT_EQ(j["clock"]["target_ns"], 5.0);
  EXPECT_EQ(j["latency"]["min_cycles"], 115);
  EXPECT_EQ(j["latency"]["interval_max"], 116);
  EXPECT_TRUE(j["latency"]["min_ns"].is_null());
  EXPECT_EQ(j["resources"]["DSP"]["used"], 792);
  EXPECT_EQ(j["resources"]["DSP"]["available"], 5520);
  EXPECT_TRUE(j["resources"]["URAM"]["used"].is_null());
  EXPECT_TRUE(j["modules"].is_array());

  const nlohmann::json s = ToJson(ReadRpt("vitis_hls_2022_2_systolic/csynth.rpt"));
  EXPECT_EQ(s["format"], "synthesis summary");
  EXPECT_TRUE(s["clock"]["target_ns"].is_null());
  ASSERT_EQ(s["modules"].size(), 8u);
  EXPECT_EQ(s["modules"][6]["module"], "multiplier_Pipeline_systolic1");
  EXPECT_EQ(s["modules"][6]["resources"]["DSP"]["used"], 192);
  EXPECT_EQ(s["modules"][6]["latency"]["max_cycles"], 25);
}

}  // namespace
}  // namespace fixnn::backends::hls_reports
