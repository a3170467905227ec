// FindAndReadReport on project layouts built from the fixtures.
#include <gtest/gtest.h>

#include "backends/hls_reports/hls_reports_test_util.h"
#include "backends/hls_reports/synthesis_report.h"

namespace fixnn::backends::hls_reports {
namespace {

namespace fs = std::filesystem;
using testing::CopyFixture;
using testing::ScratchDir;

constexpr std::string_view kHls4mlXml = "vivado_hls_2020_1_hls4ml/myproject_csynth.xml";
constexpr std::string_view kHls4mlRpt = "vivado_hls_2020_1_hls4ml/myproject_csynth.rpt";

// What Vivado HLS leaves after csynth_design in an hls4ml-style project.
fs::path MakeHls4mlProject(const fs::path& root) {
  const fs::path report = root / "myproject_prj" / "solution1" / "syn" / "report";
  CopyFixture(kHls4mlXml, report / "csynth.xml");
  CopyFixture(kHls4mlXml, report / "myproject_csynth.xml");
  CopyFixture(kHls4mlRpt, report / "myproject_csynth.rpt");
  return report;
}

TEST(FindReport, Hls4mlLayoutPrefersXmlAndTakesModulesFromTheRpt) {
  const fs::path root = ScratchDir();
  const fs::path report_dir = MakeHls4mlProject(root);
  for (const fs::path& start :
       {root, root / "myproject_prj", root / "myproject_prj" / "solution1", report_dir}) {
    auto report = FindAndReadReport(start);
    ASSERT_TRUE(report.ok()) << start << ": " << report.error().message();
    EXPECT_EQ(report->format, "csynth.xml") << start;
    EXPECT_EQ(report->source, (report_dir / "csynth.xml").string());
    EXPECT_EQ(report->top_function, "myproject");
    EXPECT_EQ(report->latency.max_cycles, 10);
    ASSERT_EQ(report->modules.size(), 2u) << start;
    EXPECT_EQ(report->modules[0].latency.max_cycles, 7);
    EXPECT_EQ(report->modules[0].resources[ResourceKind::kDsp].used, 73);
  }
}

TEST(FindReport, NamedXmlWhenCsynthXmlIsAbsent) {
  const fs::path root = ScratchDir();
  const fs::path report_dir = MakeHls4mlProject(root);
  fs::remove(report_dir / "csynth.xml");
  auto report = FindAndReadReport(root);
  ASSERT_TRUE(report.ok()) << report.error().message();
  EXPECT_EQ(report->source, (report_dir / "myproject_csynth.xml").string());
}

TEST(FindReport, TextReportWhenThereIsNoXml) {
  const fs::path root = ScratchDir();
  CopyFixture(kHls4mlRpt, root / "myproject_prj/solution1/syn/report/myproject_csynth.rpt");
  auto report = FindAndReadReport(root);
  ASSERT_TRUE(report.ok()) << report.error().message();
  EXPECT_EQ(report->format, "csynth.rpt");
  EXPECT_EQ(report->latency.interval_max, 8);
}

TEST(FindReport, VitisSolutionWithOnlyTheSynthesisSummary) {
  const fs::path root = ScratchDir();
  CopyFixture("vitis_hls_2022_2_systolic/csynth.rpt", root / "solution/syn/report/csynth.rpt");
  auto report = FindAndReadReport(root);
  ASSERT_TRUE(report.ok()) << report.error().message();
  EXPECT_EQ(report->format, "synthesis summary");
  EXPECT_EQ(report->tool, HlsTool::kVitisHls);
  EXPECT_EQ(report->latency.max_cycles, 260);
}

TEST(FindReport, XmlBeatsTheSummaryInTheSameFolder) {
  const fs::path root = ScratchDir();
  const fs::path dir = root / "proj" / "solution1" / "syn" / "report";
  CopyFixture("vitis_hls_2022_2_systolic/csynth.rpt", dir / "csynth.rpt");
  CopyFixture("vitis_hls_2022_2_systolic/multiplier_Pipeline_1_csynth.xml", dir / "csynth.xml");
  auto report = FindAndReadReport(root / "proj");
  ASSERT_TRUE(report.ok()) << report.error().message();
  EXPECT_EQ(report->format, "csynth.xml");
  EXPECT_EQ(report->top_function, "multiplier_Pipeline_1");
}

TEST(FindReport, VitisUnifiedComponentLayout) {
  const fs::path root = ScratchDir();
  CopyFixture("vitis_hls_2022_2_systolic/multiplier_Pipeline_1_csynth.xml",
              root / "hls/syn/report/csynth.xml");
  auto report = FindAndReadReport(root);
  ASSERT_TRUE(report.ok()) << report.error().message();
  EXPECT_EQ(report->latency.min_cycles, 66);
}

TEST(FindReport, ErrorsNameTheFolder) {
  const fs::path root = ScratchDir();
  auto missing = FindAndReadReport(root / "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("nope: no such folder"), std::string::npos);

  fs::create_directories(root / "empty_prj" / "solution1" / "syn" / "report");
  auto empty = FindAndReadReport(root);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message().find("no C-synthesis report"), std::string::npos);
  EXPECT_NE(empty.error().message().find("empty_prj"), std::string::npos);

  fs::create_directories(root / "other_prj");
  auto several = FindAndReadReport(root);
  ASSERT_FALSE(several.ok());
  EXPECT_NE(several.error().message().find("several HLS projects (empty_prj, other_prj)"),
            std::string::npos)
      << several.error().message();
}

TEST(FindReport, ABrokenReportIsAnErrorNotASilentFallback) {
  const fs::path root = ScratchDir();
  const fs::path report_dir = MakeHls4mlProject(root);
  testing::WriteFile(report_dir / "csynth.xml", "<profile><UserAssignments>");
  auto report = FindAndReadReport(root);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.error().message().find("csynth.xml: malformed XML"), std::string::npos)
      << report.error().message();
}

}  // namespace
}  // namespace fixnn::backends::hls_reports
