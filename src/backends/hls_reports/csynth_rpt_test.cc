// ReadCsynthRpt on real text reports; the expected values are the ones in the files.
#include <gtest/gtest.h>

#include "backends/hls_reports/hls_reports_test_util.h"
#include "backends/hls_reports/synthesis_report.h"

namespace fixnn::backends::hls_reports {
namespace {

using testing::Fixture;
using Counts = std::array<std::optional<int64_t>, 5>;  // BRAM_18K, DSP, FF, LUT, URAM

Counts Used(const Resources& resources) {
  Counts out;
  for (size_t i = 0; i < kResourceKinds.size(); ++i) out[i] = resources[kResourceKinds[i]].used;
  return out;
}

Counts Available(const Resources& resources) {
  Counts out;
  for (size_t i = 0; i < kResourceKinds.size(); ++i) {
    out[i] = resources[kResourceKinds[i]].available;
  }
  return out;
}

SynthesisReport Read(std::string_view fixture) {
  auto report = ReadCsynthRpt(Fixture(fixture));
  EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.error().message());
  return report.ok() ? *report : SynthesisReport();
}

const ModuleRow* FindModule(const SynthesisReport& report, std::string_view module) {
  for (const ModuleRow& row : report.modules) {
    if (row.module == module) return &row;
  }
  return nullptr;
}

TEST(CsynthRpt, VivadoHls2020_1Hls4mlWithInstances) {
  const SynthesisReport r = Read("vivado_hls_2020_1_hls4ml/myproject_csynth.rpt");
  EXPECT_EQ(r.format, "csynth.rpt");
  EXPECT_EQ(r.tool, HlsTool::kVivadoHls);
  EXPECT_EQ(r.version, "2020.1");
  EXPECT_EQ(r.top_function, "myproject");
  EXPECT_EQ(r.part, "xc7z020-clg400-1");
  EXPECT_EQ(r.product_family, "zynq");
  EXPECT_DOUBLE_EQ(*r.target_clock_ns, 5.0);
  EXPECT_DOUBLE_EQ(*r.estimated_clock_ns, 4.049);
  EXPECT_DOUBLE_EQ(*r.clock_uncertainty_ns, 0.62);
  EXPECT_EQ(r.latency.min_cycles, 10);
  EXPECT_EQ(r.latency.max_cycles, 10);
  EXPECT_DOUBLE_EQ(*r.latency.min_ns, 50.0);
  EXPECT_EQ(r.latency.interval_min, 8);
  EXPECT_EQ(r.latency.interval_max, 8);
  EXPECT_EQ(r.latency.pipeline_type, "dataflow");
  EXPECT_EQ(Used(r.resources), (Counts{0, 73, 7969, 2532, 0}));
  EXPECT_EQ(Available(r.resources), (Counts{280, 220, 106400, 53200, 0}));
  EXPECT_NEAR(*r.resources[ResourceKind::kDsp].percent, 100.0 * 73 / 220, 1e-9);
  // The part has no URAM: the printed 0 % is kept.
  EXPECT_EQ(r.resources[ResourceKind::kUram].percent, 0.0);

  ASSERT_EQ(r.modules.size(), 2u);
  const ModuleRow& dense = r.modules[0];
  EXPECT_EQ(dense.instance, "dense_array_array_ap_fixed_16_6_5_3_0_5u_config2_U0");
  EXPECT_EQ(dense.module, "dense_array_array_ap_fixed_16_6_5_3_0_5u_config2_s");
  EXPECT_EQ(dense.latency.min_cycles, 7);
  EXPECT_EQ(dense.latency.max_cycles, 7);
  EXPECT_DOUBLE_EQ(*dense.latency.min_ns, 35.0);
  EXPECT_EQ(dense.latency.interval_min, 7);
  EXPECT_EQ(dense.latency.pipeline_type, "none");
  EXPECT_EQ(Used(dense.resources), (Counts{0, 73, 7860, 2134, 0}));
  const ModuleRow& relu = r.modules[1];
  EXPECT_EQ(relu.module, "relu_array_array_ap_fixed_5u_relu_config3_s");
  EXPECT_EQ(relu.latency.max_cycles, 2);
  EXPECT_EQ(relu.latency.interval_max, 1);
  EXPECT_EQ(relu.latency.pipeline_type, "function");
  EXPECT_EQ(Used(relu.resources), (Counts{0, 0, 84, 256, 0}));
}

TEST(CsynthRpt, VivadoHls2019_1BareNumbersAndDataflowInstances) {
  const SynthesisReport r = Read("vivado_hls_2019_1_heterocl/test_csynth.rpt");
  EXPECT_EQ(r.tool, HlsTool::kVivadoHls);
  EXPECT_EQ(r.version, "2019.1.3");
  EXPECT_EQ(r.top_function, "test");
  EXPECT_EQ(r.part, "xc7z020-clg484-1");
  EXPECT_DOUBLE_EQ(*r.target_clock_ns, 10.0);
  EXPECT_DOUBLE_EQ(*r.estimated_clock_ns, 6.186);
  EXPECT_DOUBLE_EQ(*r.clock_uncertainty_ns, 1.25);
  EXPECT_EQ(r.latency.min_cycles, 3137);
  EXPECT_EQ(r.latency.max_cycles, 3137);
  EXPECT_FALSE(r.latency.min_ns.has_value());
  EXPECT_EQ(r.latency.interval_min, 3138);
  EXPECT_EQ(r.latency.pipeline_type, "dataflow");
  EXPECT_EQ(Used(r.resources), (Counts{0, 0, 299, 912, 0}));
  EXPECT_EQ(Available(r.resources), (Counts{280, 220, 106400, 53200, 0}));

  // Latency rows come in the order B, E, F, D; resource rows B, D, E, F: matched by instance.
  ASSERT_EQ(r.modules.size(), 4u);
  EXPECT_EQ(r.modules[0].instance, "Loop_B_i_proc4_U0");
  EXPECT_EQ(r.modules[1].instance, "Loop_E_i2_proc6_U0");
  const ModuleRow* d = FindModule(r, "Loop_D_i1_proc5");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->latency.min_cycles, 2113);
  EXPECT_EQ(d->latency.interval_max, 2113);
  EXPECT_EQ(Used(d->resources), (Counts{0, 0, 61, 167, 0}));
  const ModuleRow* f = FindModule(r, "Loop_F_i3_proc7");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(Used(f->resources), (Counts{0, 0, 79, 179, 0}));
  EXPECT_EQ(FindModule(r, "Loop_E_i2_proc6")->latency.max_cycles, 3137);
}

TEST(CsynthRpt, VivadoHls2019_2AvailableIsNotAvailableSlr) {
  const SynthesisReport r = Read("vivado_hls_2019_2_intro_examples/array_mem_perform_csynth.rpt");
  EXPECT_EQ(r.tool, HlsTool::kVivadoHls);
  EXPECT_EQ(r.version, "2019.2.0");
  EXPECT_EQ(r.top_function, "array_mem_perform");
  EXPECT_EQ(r.part, "xcvu9p-flga2104-2-i");
  EXPECT_EQ(r.product_family, "virtexuplus");
  EXPECT_DOUBLE_EQ(*r.target_clock_ns, 4.0);
  EXPECT_DOUBLE_EQ(*r.estimated_clock_ns, 2.586);
  EXPECT_DOUBLE_EQ(*r.clock_uncertainty_ns, 1.08);
  EXPECT_EQ(r.latency.min_cycles, 130);
  EXPECT_EQ(r.latency.max_cycles, 130);
  EXPECT_EQ(r.latency.interval_min, 130);
  EXPECT_EQ(r.latency.pipeline_type, "none");
  EXPECT_EQ(Used(r.resources), (Counts{0, 0, 39, 137, 0}));
  EXPECT_EQ(Available(r.resources), (Counts{4320, 6840, 2364480, 1182240, 960}));
  EXPECT_TRUE(r.modules.empty());  // "* Instance: N/A"
}

TEST(CsynthRpt, VitisHls2022_2PerFunctionReport) {
  const SynthesisReport r = Read("vitis_hls_2022_2_systolic/multiplier_Pipeline_1_csynth.rpt");
  EXPECT_EQ(r.tool, HlsTool::kVitisHls);
  EXPECT_EQ(r.version, "2022.2");
  EXPECT_EQ(r.top_function, "multiplier_Pipeline_1");
  EXPECT_EQ(r.flow_target, "vitis");
  EXPECT_EQ(r.part, "xck26-sfvc784-2LV-c");
  EXPECT_DOUBLE_EQ(*r.target_clock_ns, 10.0);
  EXPECT_DOUBLE_EQ(*r.estimated_clock_ns, 1.494);
  EXPECT_DOUBLE_EQ(*r.clock_uncertainty_ns, 2.70);
  EXPECT_EQ(r.latency.min_cycles, 66);
  EXPECT_NEAR(*r.latency.max_ns, 660.0, 1e-9);
  EXPECT_EQ(r.latency.interval_max, 66);
  EXPECT_EQ(r.latency.pipeline_type, "no");
  EXPECT_EQ(Used(r.resources), (Counts{0, 0, 9, 52, 0}));
  EXPECT_EQ(Available(r.resources), (Counts{288, 1248, 234240, 117120, 64}));
  EXPECT_TRUE(r.modules.empty());
}

TEST(CsynthRpt, VitisHls2022_2SynthesisSummary) {
  const SynthesisReport r = Read("vitis_hls_2022_2_systolic/csynth.rpt");
  EXPECT_EQ(r.format, "synthesis summary");
  EXPECT_EQ(r.tool, HlsTool::kVitisHls);
  EXPECT_EQ(r.version, "2022.2");
  EXPECT_EQ(r.top_function, "multiplier");
  EXPECT_EQ(r.part, "xck26-sfvc784-2LV-c");
  EXPECT_EQ(r.product_family, "zynquplus");
  EXPECT_EQ(r.flow_target, "vitis");
  EXPECT_FALSE(r.target_clock_ns.has_value());  // the summary gives slack, not clocks
  EXPECT_EQ(r.latency.min_cycles, 260);
  EXPECT_EQ(r.latency.max_cycles, 260);
  EXPECT_DOUBLE_EQ(*r.latency.min_ns, 2600.0);  // "2.600e+03"
  EXPECT_EQ(r.latency.interval_min, 261);
  EXPECT_EQ(r.latency.interval_max, 261);
  EXPECT_EQ(r.latency.pipeline_type, "no");
  EXPECT_EQ(Used(r.resources), (Counts{std::nullopt, 192, 18616, 26638, std::nullopt}));
  EXPECT_EQ(Available(r.resources), (Counts{}));
  EXPECT_EQ(r.resources[ResourceKind::kDsp].percent, 15.0);
  EXPECT_EQ(r.resources[ResourceKind::kFf].percent, 7.0);
  EXPECT_EQ(r.resources[ResourceKind::kLut].percent, 22.0);

  // Eight sub-functions ('+' rows); the 'o' loop rows are not modules.
  ASSERT_EQ(r.modules.size(), 8u);
  EXPECT_EQ(r.modules[0].module, "multiplier_Pipeline_1");
  EXPECT_EQ(r.modules[0].depth, 1);
  EXPECT_EQ(r.modules[0].latency.min_cycles, 66);
  EXPECT_DOUBLE_EQ(*r.modules[0].latency.min_ns, 660.0);
  EXPECT_EQ(r.modules[0].resources[ResourceKind::kFf].used, 9);
  EXPECT_EQ(r.modules[0].resources[ResourceKind::kFf].percent, 0.0);  // "9 (~0%)"
  const ModuleRow* systolic = FindModule(r, "multiplier_Pipeline_systolic1");
  ASSERT_NE(systolic, nullptr);
  EXPECT_EQ(systolic->latency.max_cycles, 25);
  EXPECT_EQ(systolic->latency.interval_max, 25);
  EXPECT_EQ(Used(systolic->resources), (Counts{std::nullopt, 192, 6172, 12389, std::nullopt}));
  EXPECT_EQ(systolic->resources[ResourceKind::kLut].percent, 10.0);
  const ModuleRow* last = FindModule(r, "multiplier_Pipeline_VITIS_LOOP_142_3");
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(last->latency.min_cycles, 10);
  EXPECT_EQ(Used(last->resources), (Counts{std::nullopt, std::nullopt, 520, 633, std::nullopt}));
  EXPECT_EQ(FindModule(r, "Loop 1"), nullptr);
}

}  // namespace
}  // namespace fixnn::backends::hls_reports
