// Damaged reports, made from the good fixtures at run time: each gives an error that names the
// file and what is wrong, never a crash.
#include <gtest/gtest.h>

#include <regex>

#include "backends/hls_reports/hls_reports_test_util.h"
#include "backends/hls_reports/synthesis_report.h"

namespace fixnn::backends::hls_reports {
namespace {

namespace fs = std::filesystem;
using testing::Fixture;
using testing::ReadFile;
using testing::ScratchDir;
using testing::WriteFile;

constexpr std::string_view kXml = "vivado_hls_2020_1_hls4ml/myproject_csynth.xml";
constexpr std::string_view kRpt = "vivado_hls_2020_1_hls4ml/myproject_csynth.rpt";
constexpr std::string_view kSummary = "vitis_hls_2022_2_systolic/csynth.rpt";

constexpr std::string_view kAllXml[] = {
    kXml, "vivado_hls_2019_1_heterocl/csynth.xml", "vivado_hls_2018_2_galapagos/csynth.xml",
    "vitis_hls_2022_2_systolic/multiplier_Pipeline_1_csynth.xml"};
constexpr std::string_view kAllRpt[] = {
    kRpt, kSummary, "vivado_hls_2019_1_heterocl/test_csynth.rpt",
    "vivado_hls_2019_2_intro_examples/array_mem_perform_csynth.rpt",
    "vitis_hls_2022_2_systolic/multiplier_Pipeline_1_csynth.rpt"};

// Writes `text` to a scratch file and returns the error of reading it (the test fails if it
// reads).
std::string XmlError(std::string_view text, const std::string& name = "bad_csynth.xml") {
  const fs::path path = ScratchDir() / name;
  WriteFile(path, text);
  auto report = ReadCsynthXml(path);
  EXPECT_FALSE(report.ok()) << "read without error";
  if (report.ok()) return {};
  EXPECT_EQ(report.error().message().rfind(path.string() + ": ", 0), 0u)
      << "the error does not start with the path: " << report.error().message();
  return report.error().message();
}

std::string RptError(std::string_view text, const std::string& name = "bad_csynth.rpt") {
  const fs::path path = ScratchDir() / name;
  WriteFile(path, text);
  auto report = ReadCsynthRpt(path);
  EXPECT_FALSE(report.ok()) << "read without error";
  if (report.ok()) return {};
  EXPECT_EQ(report.error().message().rfind(path.string() + ": ", 0), 0u)
      << "the error does not start with the path: " << report.error().message();
  return report.error().message();
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "fixture lacks " << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// Removes [begin, end) of the first `begin` ... `end` span.
std::string Cut(std::string text, const std::string& begin, const std::string& end) {
  const size_t from = text.find(begin);
  const size_t to = text.find(end, from);
  EXPECT_TRUE(from != std::string::npos && to != std::string::npos) << begin << " .. " << end;
  if (from != std::string::npos && to != std::string::npos) text.erase(from, to - from);
  return text;
}

TEST(CorruptReport, MissingFiles) {
  const fs::path dir = ScratchDir();
  auto xml = ReadCsynthXml(dir / "csynth.xml");
  ASSERT_FALSE(xml.ok());
  EXPECT_EQ(xml.error().message(), (dir / "csynth.xml").string() + ": no such file");
  auto rpt = ReadCsynthRpt(dir / "csynth.rpt");
  ASSERT_FALSE(rpt.ok());
  EXPECT_EQ(rpt.error().message(), (dir / "csynth.rpt").string() + ": no such file");
  auto folder = ReadCsynthRpt(dir);
  ASSERT_FALSE(folder.ok());
  EXPECT_NE(folder.error().message().find("not a regular file"), std::string::npos);
}

TEST(CorruptReport, TruncatedXml) {
  const std::string good = ReadFile(Fixture(kXml));
  const std::string error = XmlError(good.substr(0, good.size() / 2));
  EXPECT_NE(error.find("malformed XML at byte"), std::string::npos) << error;
  EXPECT_NE(XmlError("").find("malformed XML"), std::string::npos);
}

TEST(CorruptReport, WrongRootElement) {
  std::string text = Replace(ReadFile(Fixture(kXml)), "<profile>", "<project>");
  text = Replace(text, "</profile>", "</project>");
  const std::string error = XmlError(text);
  EXPECT_NE(error.find("the root element is <project>, not <profile>"), std::string::npos) << error;
}

TEST(CorruptReport, XmlWithoutLatencySection) {
  const std::string text =
      Cut(ReadFile(Fixture(kXml)), "<SummaryOfOverallLatency>", "</PerformanceEstimates>");
  const std::string error = XmlError(text);
  EXPECT_NE(error.find("<SummaryOfOverallLatency> (the latency summary) is missing"),
            std::string::npos)
      << error;
}

TEST(CorruptReport, XmlWithoutOneLatencyValue) {
  const std::string text =
      Cut(ReadFile(Fixture(kXml)), "<Worst-caseLatency>", "<Best-caseRealTime");
  const std::string error = XmlError(text);
  EXPECT_NE(error.find("<Worst-caseLatency> is missing"), std::string::npos) << error;
}

TEST(CorruptReport, XmlWithoutResourcesOrTop) {
  std::string error =
      XmlError(Cut(ReadFile(Fixture(kXml)), "<AreaEstimates>", "<InterfaceSummary>"));
  EXPECT_NE(error.find("<AreaEstimates> is missing"), std::string::npos) << error;
  error = XmlError(Cut(ReadFile(Fixture(kXml)), "<Resources>", "<AvailableResources>"));
  EXPECT_NE(error.find("<AreaEstimates>/<Resources> is missing"), std::string::npos) << error;
  error = XmlError(Cut(ReadFile(Fixture(kXml)), "<TopModelName>", "<TargetClockPeriod>"));
  EXPECT_NE(error.find("<TopModelName> is missing"), std::string::npos) << error;
}

TEST(CorruptReport, XmlValuesThatAreNotNumbers) {
  std::string error =
      XmlError(Replace(ReadFile(Fixture(kXml)), "<Best-caseLatency>10<", "<Best-caseLatency>ten<"));
  EXPECT_NE(error.find("<Best-caseLatency>: 'ten' is not a number of cycles"), std::string::npos)
      << error;
  error = XmlError(Replace(ReadFile(Fixture(kXml)), "<FF>7969</FF>", "<FF>many</FF>"));
  EXPECT_NE(error.find("<Resources>/<FF> is 'many', not a count"), std::string::npos) << error;
  error = XmlError(
      Replace(ReadFile(Fixture(kXml)), "<TargetClockPeriod>5.00<", "<TargetClockPeriod>5.00x<"));
  EXPECT_NE(error.find("<TargetClockPeriod>"), std::string::npos) << error;
}

TEST(CorruptReport, UnknownLatencyIsNotAnError) {
  // Vivado HLS writes "undef" when it cannot bound a latency.
  std::string text =
      Replace(ReadFile(Fixture(kXml)), "<Worst-caseLatency>10<", "<Worst-caseLatency>undef<");
  const fs::path path = ScratchDir() / "csynth.xml";
  WriteFile(path, text);
  auto report = ReadCsynthXml(path);
  ASSERT_TRUE(report.ok()) << report.error().message();
  EXPECT_EQ(report->latency.min_cycles, 10);
  EXPECT_FALSE(report->latency.max_cycles.has_value());
}

TEST(CorruptReport, GarbageFiles) {
  const std::string garbage =
      "\x7f"
      "ELF\x02\x01 this is not a report \x01\x02\x03 <<<>>> |||";
  EXPECT_NE(XmlError(garbage).find("malformed XML"), std::string::npos);
  EXPECT_NE(RptError(std::string(garbage) + std::string(1, '\0')).find("binary data"),
            std::string::npos);
  EXPECT_NE(RptError("hello\nworld\n").find("not a C-synthesis report"), std::string::npos);
  EXPECT_NE(RptError("").find("not a C-synthesis report"), std::string::npos);
  // An XML report handed to the text reader, and the reverse.
  EXPECT_NE(RptError(ReadFile(Fixture(kXml))).find("not a C-synthesis report"), std::string::npos);
  EXPECT_NE(XmlError(ReadFile(Fixture(kRpt))).find("malformed XML"), std::string::npos);
}

TEST(CorruptReport, RptCutBeforeTheUtilizationSection) {
  const std::string good = ReadFile(Fixture(kRpt));
  const std::string error = RptError(good.substr(0, good.find("== Utilization Estimates")));
  EXPECT_NE(error.find("'Utilization Estimates' section is missing"), std::string::npos) << error;
}

TEST(CorruptReport, RptCutInsideATable) {
  const std::string good = ReadFile(Fixture(kRpt));
  // Cut inside a bordered group of rows: the table has no closing border.
  const std::string error = RptError(good.substr(0, good.find("|Register         |")));
  EXPECT_NE(error.find("'Utilization Estimates' summary table is missing or cut off"),
            std::string::npos)
      << error;
  // Cut at a border before the Total row: the table closes, but the totals are gone.
  EXPECT_NE(RptError(good.substr(0, good.find("|Total            |"))).find("no 'Total' row"),
            std::string::npos);
  const size_t relu = good.find("|relu_array");
  EXPECT_NE(RptError(good.substr(0, relu)).find("latency instance table is cut off"),
            std::string::npos);
}

TEST(CorruptReport, RptWithoutLatencySection) {
  const std::string text =
      Cut(ReadFile(Fixture(kRpt)), "+ Latency: ",
          "================================================================\n== Utilization");
  const std::string error = RptError(text);
  EXPECT_NE(error.find("'+ Latency' summary is missing"), std::string::npos) << error;
}

TEST(CorruptReport, RptWithoutTotalRowOrWithBadCells) {
  std::string error =
      RptError(Replace(ReadFile(Fixture(kRpt)), "|Total            |", "|Sum              |"));
  EXPECT_NE(error.find("no 'Total' row"), std::string::npos) << error;
  error = RptError(Replace(ReadFile(Fixture(kRpt)), "|       10|       10| 50.000 ns",
                           "|       1O|       10| 50.000 ns"));
  EXPECT_NE(error.find("'+ Latency' summary: '1O' is not a number of cycles"), std::string::npos)
      << error;
  error = RptError(Replace(ReadFile(Fixture(kRpt)), "|       10|       10| 50.000 ns |",
                           "|       10|       10|"));
  EXPECT_NE(error.find("expected 5 or 7"), std::string::npos) << error;
}

TEST(CorruptReport, SummaryCutOrMissingItsTable) {
  const std::string good = ReadFile(Fixture(kSummary));
  std::string error = RptError(good.substr(0, good.find(" + multiplier_Pipeline_4")));
  EXPECT_NE(error.find("'Performance & Resource Estimates' table is cut off"), std::string::npos)
      << error;
  error = RptError(good.substr(0, good.find("+ Performance & Resource")));
  EXPECT_NE(error.find("section is missing"), std::string::npos) << error;
  error = RptError(Replace(good, "|  192 (15%)|  18616 (7%)|", "|  192 (15%)|  lots (7%)|"));
  EXPECT_NE(error.find("module 'multiplier': 'lots (7%)' is not a resource count"),
            std::string::npos)
      << error;
}

// Every fixture cut at many places: an error naming the file or a report, never a crash.
TEST(CorruptReport, EveryTruncationIsHandled) {
  const fs::path dir = ScratchDir();
  auto check = [&](std::string_view fixture, bool xml) {
    const std::string good = ReadFile(Fixture(fixture));
    const fs::path path = dir / (xml ? "cut.xml" : "cut.rpt");
    for (size_t size = 0; size < good.size(); size += 211) {
      WriteFile(path, good.substr(0, size));
      auto report = xml ? ReadCsynthXml(path) : ReadCsynthRpt(path);
      if (!report.ok()) {
        EXPECT_EQ(report.error().message().rfind(path.string() + ": ", 0), 0u)
            << fixture << " cut at " << size << ": " << report.error().message();
      } else {
        EXPECT_FALSE(xml) << fixture << " cut at " << size << " read as XML";
        EXPECT_TRUE(report->latency.max_cycles.has_value()) << fixture << " cut at " << size;
      }
    }
  };
  for (std::string_view f : kAllXml) check(f, true);
  for (std::string_view f : kAllRpt) check(f, false);
}

}  // namespace
}  // namespace fixnn::backends::hls_reports
