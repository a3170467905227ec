// ReadCsynthXml on real reports; the expected values are the ones in the files.
#include <gtest/gtest.h>

#include "backends/hls_reports/hls_reports_test_util.h"
#include "backends/hls_reports/synthesis_report.h"

namespace fixnn::backends::hls_reports {
namespace {

using testing::Fixture;
using Counts = std::array<std::optional<int64_t>, 5>;  // BRAM_18K, DSP, FF, LUT, URAM

void ExpectCounts(const Resources& resources, const Counts& used, const Counts& available) {
  for (size_t i = 0; i < kResourceKinds.size(); ++i) {
    const ResourceKind kind = kResourceKinds[i];
    EXPECT_EQ(resources[kind].used, used[i]) << ResourceName(kind) << " used";
    EXPECT_EQ(resources[kind].available, available[i]) << ResourceName(kind) << " available";
  }
}

SynthesisReport Read(std::string_view fixture) {
  auto report = ReadCsynthXml(Fixture(fixture));
  EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.error().message());
  return report.ok() ? *report : SynthesisReport();
}

TEST(CsynthXml, VivadoHls2020_1Hls4mlDataflow) {
  const SynthesisReport r = Read("vivado_hls_2020_1_hls4ml/myproject_csynth.xml");
  EXPECT_EQ(r.format, "csynth.xml");
  EXPECT_EQ(r.tool, HlsTool::kVivadoHls);
  EXPECT_EQ(r.version, "2020.1");
  EXPECT_EQ(r.top_function, "myproject");
  EXPECT_EQ(r.part, "xc7z020-clg400-1");
  EXPECT_EQ(r.product_family, "zynq");
  EXPECT_EQ(r.flow_target, "");
  EXPECT_DOUBLE_EQ(*r.target_clock_ns, 5.0);
  EXPECT_DOUBLE_EQ(*r.estimated_clock_ns, 4.049);
  EXPECT_DOUBLE_EQ(*r.clock_uncertainty_ns, 0.62);
  EXPECT_EQ(r.latency.min_cycles, 10);
  EXPECT_EQ(r.latency.max_cycles, 10);
  EXPECT_DOUBLE_EQ(*r.latency.min_ns, 50.0);
  EXPECT_DOUBLE_EQ(*r.latency.max_ns, 50.0);
  EXPECT_EQ(r.latency.interval_min, 8);
  EXPECT_EQ(r.latency.interval_max, 8);
  EXPECT_EQ(r.latency.pipeline_type, "dataflow");
  ExpectCounts(r.resources, {0, 73, 7969, 2532, 0}, {280, 220, 106400, 53200, 0});
  EXPECT_NEAR(*r.resources[ResourceKind::kDsp].percent, 100.0 * 73 / 220, 1e-9);
  EXPECT_NEAR(*r.resources[ResourceKind::kLut].percent, 100.0 * 2532 / 53200, 1e-9);
  EXPECT_FALSE(r.resources[ResourceKind::kUram].percent.has_value());  // the part has none
  EXPECT_TRUE(r.modules.empty());
}

TEST(CsynthXml, VivadoHls2019_1HeteroClDataflow) {
  const SynthesisReport r = Read("vivado_hls_2019_1_heterocl/csynth.xml");
  EXPECT_EQ(r.tool, HlsTool::kVivadoHls);
  EXPECT_EQ(r.version, "2019.1.3");
  EXPECT_EQ(r.top_function, "test");
  EXPECT_EQ(r.part, "xc7z020-clg484-1");
  EXPECT_DOUBLE_EQ(*r.target_clock_ns, 10.0);
  EXPECT_DOUBLE_EQ(*r.estimated_clock_ns, 6.186);
  EXPECT_DOUBLE_EQ(*r.clock_uncertainty_ns, 1.25);
  EXPECT_EQ(r.latency.min_cycles, 3137);
  EXPECT_EQ(r.latency.max_cycles, 3137);
  EXPECT_FALSE(r.latency.min_ns.has_value());  // 2019.1 gives no real-time latency
  EXPECT_EQ(r.latency.interval_min, 3138);
  EXPECT_EQ(r.latency.interval_max, 3138);
  EXPECT_EQ(r.latency.pipeline_type, "dataflow");
  ExpectCounts(r.resources, {0, 0, 299, 912, 0}, {280, 220, 106400, 53200, 0});
  EXPECT_NEAR(*r.resources[ResourceKind::kFf].percent, 100.0 * 299 / 106400, 1e-9);
}

TEST(CsynthXml, VivadoHls2018_2WithoutUram) {
  const SynthesisReport r = Read("vivado_hls_2018_2_galapagos/csynth.xml");
  EXPECT_EQ(r.tool, HlsTool::kVivadoHls);
  EXPECT_EQ(r.version, "2018.2");
  EXPECT_EQ(r.top_function, "myproject_galapagos");
  EXPECT_EQ(r.part, "xcku115-flva1517-2-e");
  EXPECT_EQ(r.product_family, "kintexu");
  EXPECT_DOUBLE_EQ(*r.target_clock_ns, 5.0);
  EXPECT_DOUBLE_EQ(*r.estimated_clock_ns, 4.312);
  EXPECT_EQ(r.latency.min_cycles, 115);
  EXPECT_EQ(r.latency.max_cycles, 115);
  EXPECT_EQ(r.latency.interval_min, 116);
  EXPECT_EQ(r.latency.interval_max, 116);
  EXPECT_EQ(r.latency.pipeline_type, "none");
  ExpectCounts(r.resources, {18, 792, 44641, 43343, std::nullopt},
               {4320, 5520, 1326720, 663360, std::nullopt});
  EXPECT_NEAR(*r.resources[ResourceKind::kDsp].percent, 100.0 * 792 / 5520, 1e-9);
}

TEST(CsynthXml, VitisHls2022_2PerFunctionReport) {
  const SynthesisReport r = Read("vitis_hls_2022_2_systolic/multiplier_Pipeline_1_csynth.xml");
  EXPECT_EQ(r.tool, HlsTool::kVitisHls);
  EXPECT_EQ(r.version, "2022.2");
  EXPECT_EQ(r.top_function, "multiplier_Pipeline_1");
  EXPECT_EQ(r.part, "xck26-sfvc784-2LV-c");
  EXPECT_EQ(r.product_family, "zynquplus");
  EXPECT_EQ(r.flow_target, "vitis");
  EXPECT_DOUBLE_EQ(*r.target_clock_ns, 10.0);
  EXPECT_DOUBLE_EQ(*r.estimated_clock_ns, 1.494);
  EXPECT_DOUBLE_EQ(*r.clock_uncertainty_ns, 2.70);
  EXPECT_EQ(r.latency.min_cycles, 66);
  EXPECT_EQ(r.latency.max_cycles, 66);
  EXPECT_NEAR(*r.latency.min_ns, 660.0, 1e-9);  // "0.660 us"
  EXPECT_NEAR(*r.latency.max_ns, 660.0, 1e-9);
  EXPECT_EQ(r.latency.interval_min, 66);
  EXPECT_EQ(r.latency.pipeline_type, "no");
  ExpectCounts(r.resources, {0, 0, 9, 52, 0}, {288, 1248, 234240, 117120, 64});
  EXPECT_NEAR(*r.resources[ResourceKind::kUram].percent, 0.0, 1e-12);
}

}  // namespace
}  // namespace fixnn::backends::hls_reports
