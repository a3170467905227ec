#include "report/html_report.h"

#include <gtest/gtest.h>

#include <cmath>

#include "emulator/emulator.h"
#include "estimate/estimate_test_util.h"
#include "reference/reference_executor.h"
#include "report/graph_diagram.h"

namespace fixnn::report {
namespace {

namespace et = estimate::testing;

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// x[4] -> fc<&"1"> Dense(3) -> relu -> fc2 Dense(2) -> add <- side Dense(2) <- x: a branch
// and a merge, and a layer name that needs escaping.
constexpr const char* kOddName = R"(fc<&"1">)";

struct Fixture {
  ir::Graph graph;
  config::ProjectConfig project;
  estimate::ModelEstimate estimate;
};

Fixture MakeModel() {
  Fixture f;
  ir::Graph& g = f.graph;
  g.name = "branchy";
  EXPECT_TRUE(g.AddInput("x", {4}).ok());
  et::AddNode(
      g, kOddName, ir::DenseAttrs{3, true}, {"x"},
      {et::MakeWeight("kernel", {4, 3},
                      {0.5, -0.25, 0.75, 1.5, 0.125, -0.5, 0.3, 0.2, -0.1, 0.05, 0.9, -1.2}),
       et::MakeWeight("bias", {3}, {0.1, 0, -0.1})},
      "QDense");
  et::AddActivation(g, "relu", kOddName, ir::ActivationFn::kReLU);
  et::AddDense(g, "fc2", "relu", 3, 2, 0.3);
  et::AddDense(g, "side", "x", 4, 2, -0.2);
  et::AddNode(g, "add", ir::MergeAttrs{ir::MergeKind::kAdd}, {"fc2", "side"}, {}, "Add");
  et::Finish(g, "add");
  f.project = et::Configure(g, "Model:\n  Precision: ap_fixed<16,6>\n  ReuseFactor: 1\n");
  f.project.project_name = "branchy_prj";
  f.estimate = et::EstimateOrFail(g, f.project);
  return f;
}

std::string RenderOrFail(const ReportInputs& in) {
  Result<std::string> html = RenderHtmlReport(in);
  EXPECT_TRUE(html.ok()) << (html.ok() ? "" : html.error().message());
  return html.ok() ? *html : "";
}

TEST(HtmlReportTest, HeaderGraphAndLayerTable) {
  const Fixture f = MakeModel();
  const std::string html = RenderOrFail({&f.graph, &f.project, &f.estimate});
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<title>fixnn report: branchy</title>"), std::string::npos);
  EXPECT_NE(html.find("xcku115-flvb2104-2-i"), std::string::npos);
  EXPECT_NE(html.find("io_parallel"), std::string::npos);
  EXPECT_NE(html.find(FixnnVersionString()), std::string::npos);
  // Self-contained: nothing fetched.
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  // The graph: one box per node, one edge per produced input.
  EXPECT_NE(html.find("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph\""),
            std::string::npos);
  EXPECT_EQ(Count(html, "<g class=\"node"), f.graph.nodes().size());
  EXPECT_EQ(Count(html, "<g class=\"node input\">"), 1u);
  EXPECT_EQ(Count(html, "<g class=\"node output\">"), 1u);
  EXPECT_EQ(Count(html, "<g class=\"edge\">"), 6u);
  // One table row per node, plus the totals.
  const size_t body = html.find("<tbody>"), end = html.find("</tbody>", body);
  ASSERT_NE(body, std::string::npos);
  EXPECT_EQ(Count(html.substr(body, end - body), "<tr>"), f.graph.nodes().size());
  EXPECT_NE(html.find("<td>fc2</td><td title=\"Dense\">Dense</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>relu</td><td title=\"Activation\">Activation(relu)</td>"),
            std::string::npos);
  EXPECT_NE(html.find("kernel [4, 3]: ap_fixed&lt;16,6&gt;"), std::string::npos);
  EXPECT_NE(html.find("Estimate (not a synthesis result)"), std::string::npos);
  EXPECT_NE(html.find("Total (estimate)"), std::string::npos);
  EXPECT_NE(html.find("No synthesis report"), std::string::npos);
  // fc2's 6 multiplications.
  EXPECT_NE(html.find("data-v=\"6\" title=\"6 real"), std::string::npos);
}

// Rows by depth; the skip edge side -> add passes rows 2 and 3 in lanes beside the boxes.
TEST(HtmlReportTest, GraphRowsAndLanes) {
  const Fixture f = MakeModel();
  EXPECT_EQ(NodeDepths(f.graph), (std::vector<int>{0, 1, 2, 3, 1, 4}));
  const std::string svg = GraphDiagramSvg(f.graph);
  const size_t edge = svg.find("<title>side [2]</title>");
  ASSERT_NE(edge, std::string::npos);
  const std::string path = svg.substr(edge, svg.find("</g>", edge) - edge);
  EXPECT_EQ(Count(path, " L "), 2u);
  EXPECT_EQ(Count(path, " C "), 3u);
  // A one-row edge is a single curve.
  const size_t fc2 = svg.find("<title>fc2 [2]</title>");
  ASSERT_NE(fc2, std::string::npos);
  EXPECT_EQ(Count(svg.substr(fc2, svg.find("</g>", fc2) - fc2), " L "), 0u);
  EXPECT_EQ(OpLabel(f.graph.nodes()[5]), "Merge(add)");
}

TEST(HtmlReportTest, EscapesLayerNames) {
  const Fixture f = MakeModel();
  const std::string html = RenderOrFail({&f.graph, &f.project, &f.estimate});
  EXPECT_EQ(html.find(kOddName), std::string::npos);
  EXPECT_NE(html.find("<td>fc&lt;&amp;&quot;1&quot;&gt;</td>"), std::string::npos);
  EXPECT_NE(html.find(">fc&lt;&amp;&quot;1&quot;&gt;</text>"), std::string::npos);
}

TEST(HtmlReportTest, RequiresGraphProjectAndEstimate) {
  const Fixture f = MakeModel();
  EXPECT_FALSE(RenderHtmlReport({&f.graph, &f.project, nullptr}).ok());
  EXPECT_FALSE(RenderHtmlReport({nullptr, &f.project, &f.estimate}).ok());
}

struct DataRun {
  analysis::ModelProfile profile;
  DataComparison comparison;
};

// 40 deterministic samples through the profile, the emulator and the float reference.
DataRun RunOnData(const ir::Graph& g) {
  emulator::Batch in{{40, 4}, {}};
  for (int i = 0; i < 160; ++i) in.values.push_back(std::sin(0.37 * i) * 3);
  DataRun r;
  Result<analysis::ModelProfile> p = analysis::ProfileModel(g, {in});
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().message());
  if (p.ok()) r.profile = *p;
  Result<emulator::Emulator> emu = emulator::Emulator::Create(g);
  EXPECT_TRUE(emu.ok());
  if (!emu.ok()) return r;
  Result<std::vector<emulator::Batch>> fx = emu->Run({in});
  Result<std::vector<reference::Batch>> fl = reference::RunReference(g, {in});
  EXPECT_TRUE(fx.ok() && fl.ok());
  if (!fx.ok() || !fl.ok()) return r;
  r.comparison.output = g.outputs().at(0);
  r.comparison.shape = fl->at(0).shape;
  r.comparison.float_values = fl->at(0).values;
  r.comparison.fixed_values = fx->at(0).values;
  for (int s = 0; s < 40; ++s) r.comparison.labels.push_back((s * 7 + s / 3) % 2);
  return r;
}

TEST(HtmlReportTest, DataSectionsShowRangesScatterAndRoc) {
  const Fixture f = MakeModel();
  const DataRun run = RunOnData(f.graph);
  ReportInputs in{&f.graph, &f.project, &f.estimate};
  in.profile = &run.profile;
  in.comparison = &run.comparison;
  const std::string html = RenderOrFail(in);
  // Every typed tensor has its range shaded: weights and outputs of the profile.
  size_t typed = 0;
  for (const analysis::TensorProfile& t : run.profile.tensors) typed += t.type ? 1 : 0;
  ASSERT_GT(typed, 0u);
  EXPECT_EQ(Count(html, "class=\"range-band\""), typed);
  EXPECT_NE(html.find("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"profile\""),
            std::string::npos);
  EXPECT_NE(html.find("class=\"scatter\""), std::string::npos);
  EXPECT_NE(html.find("80 of 80 values"), std::string::npos);
  EXPECT_NE(html.find("<h2 id=\"roc\">"), std::string::npos);
  EXPECT_EQ(Count(html, "AUC float"), 2u + 1u);  // two legend entries, one table header
  EXPECT_NE(html.find("Accuracy, fixed point"), std::string::npos);
  EXPECT_NE(html.find("<th class=\"num\">Overflows</th>"), std::string::npos);
}

TEST(HtmlReportTest, ValuesOutsideTheTypeAreRed) {
  const Fixture f = MakeModel();
  analysis::ModelProfile p;
  p.samples = 1;
  analysis::TensorProfile t;
  t.layer = "fc2";
  t.tensor = "fc2";
  t.kind = "output";
  t.type = fixed::FixedType::Fixed(8, 3);
  t.type_min = -4;
  t.type_max = 3.96875;
  t.float_values = {10, -9, 10, {0.5, 1, 2, 4, 10, 10}};
  t.fixed_values = {10, -4, 3.9, {0.5, 1, 2, 3, 3.9, 10}};
  t.out_of_range = 3;
  ASSERT_FALSE(t.fits());
  p.tensors.push_back(t);
  ReportInputs in{&f.graph, &f.project, &f.estimate};
  in.profile = &p;
  const std::string html = RenderOrFail(in);
  EXPECT_EQ(Count(html, "<g class=\"box bad\">"), 1u);
  EXPECT_EQ(Count(html, "<g class=\"box fixed bad\">"), 1u);
  EXPECT_EQ(Count(html, "class=\"range-band\""), 1u);
  EXPECT_NE(html.find("title=\"outputs 3, weights 0\">3</td>"), std::string::npos);
}

TEST(HtmlReportTest, RefusesLabelsThatDoNotFit) {
  const Fixture f = MakeModel();
  DataRun run = RunOnData(f.graph);
  ReportInputs in{&f.graph, &f.project, &f.estimate};
  in.comparison = &run.comparison;
  run.comparison.labels[3] = 7;
  Result<std::string> html = RenderHtmlReport(in);
  ASSERT_FALSE(html.ok());
  EXPECT_NE(html.error().message().find("sample 3 has class 7"), std::string::npos);
  run.comparison.labels.pop_back();
  EXPECT_FALSE(RenderHtmlReport(in).ok());
}

TEST(HtmlReportTest, SameInputsGiveTheSameBytes) {
  const Fixture f = MakeModel();
  const DataRun run = RunOnData(f.graph);
  backends::hls_reports::SynthesisReport synth;
  synth.tool = backends::hls_reports::HlsTool::kVivadoHls;
  synth.version = "2020.1";
  synth.top_function = "branchy";
  synth.latency.max_cycles = 9;
  synth.resources[backends::hls_reports::ResourceKind::kDsp].used = 12;
  synth.resources[backends::hls_reports::ResourceKind::kDsp].available = 5520;
  ReportInputs in{&f.graph, &f.project, &f.estimate};
  in.profile = &run.profile;
  in.comparison = &run.comparison;
  in.synthesis = &synth;
  const std::string a = RenderOrFail(in);
  const Fixture g = MakeModel();
  const DataRun run2 = RunOnData(g.graph);
  ReportInputs in2{&g.graph, &g.project, &g.estimate};
  in2.profile = &run2.profile;
  in2.comparison = &run2.comparison;
  in2.synthesis = &synth;
  EXPECT_EQ(a, RenderOrFail(in2));
  EXPECT_NE(a.find("Synthesis (Vivado HLS 2020.1, branchy)"), std::string::npos);
  EXPECT_NE(a.find("<td class=\"num\">12</td><td class=\"num\">5520</td>"), std::string::npos);
}

}  // namespace
}  // namespace fixnn::report
