#include "report/svg_plot.h"

#include <gtest/gtest.h>

#include <cmath>

namespace fixnn::report {
namespace {

TEST(SvgPlotTest, EscapesMarkup) {
  EXPECT_EQ(EscapeXml(R"(a<b>&"c"'d)"), "a&lt;b&gt;&amp;&quot;c&quot;&#39;d");
  EXPECT_EQ(Coord(-0.001), "0.00");
  EXPECT_EQ(Coord(12.345), "12.35");
}

TEST(SvgPlotTest, Log2AxisMapsPowersOfTwoEvenly) {
  const Log2Axis axis(-4, 4, 100, 900);
  EXPECT_DOUBLE_EQ(axis.ToPixel(1.0), 500);
  EXPECT_DOUBLE_EQ(axis.ToPixel(0.25), 300);
  EXPECT_DOUBLE_EQ(axis.ToPixel(16), 900);
  EXPECT_DOUBLE_EQ(axis.ToPixel(0), 100);  // no log of zero: the low end
  EXPECT_DOUBLE_EQ(axis.ToPixel(1e-9), 100);
  EXPECT_DOUBLE_EQ(axis.ToPixel(1e9), 900);
  const std::vector<Tick> all = axis.Ticks(16);
  ASSERT_EQ(all.size(), 9u);
  EXPECT_EQ(all.front().label, "2^-4");
  EXPECT_EQ(all.front().exponent, -4);
  EXPECT_DOUBLE_EQ(all.front().pixel, 100);
  EXPECT_DOUBLE_EQ(all[5].value, 2.0);
  EXPECT_DOUBLE_EQ(all[5].pixel, 600);
  // Every second power when only four or five fit: the even exponents.
  const std::vector<Tick> few = axis.Ticks(4);
  ASSERT_EQ(few.size(), 5u);
  std::vector<int> exponents;
  for (const Tick& t : few) exponents.push_back(t.exponent);
  EXPECT_EQ(exponents, (std::vector<int>{-4, -2, 0, 2, 4}));
}

TEST(SvgPlotTest, Log2SpanHoldsTheValues) {
  EXPECT_EQ(Log2Span(0.3, 5), (std::pair<int, int>{-2, 3}));
  EXPECT_EQ(Log2Span(0.25, 4), (std::pair<int, int>{-2, 2}));
  EXPECT_EQ(Log2Span(1, 1), (std::pair<int, int>{0, 1}));
}

TEST(SvgPlotTest, LinearTicksAreRoundSteps) {
  const LinearAxis axis(0, 1, 0, 100);
  std::vector<std::string> labels;
  for (const Tick& t : axis.Ticks(5)) labels.push_back(t.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"0", "0.2", "0.4", "0.6", "0.8", "1.0"}));
  const LinearAxis wide(-0.37, 2.1, 0, 100);
  labels.clear();
  for (const Tick& t : wide.Ticks(6)) labels.push_back(t.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"0", "0.5", "1.0", "1.5", "2.0"}));
  // A y axis: larger values higher up (smaller pixel).
  const LinearAxis y(0, 10, 400, 0);
  EXPECT_DOUBLE_EQ(y.ToPixel(2.5), 300);
}

TEST(SvgPlotTest, BoxPlotCoordinatesOnALog2Axis) {
  const Log2Axis axis(-4, 4, 100, 900);
  const BoxGeometry g = HorizontalBox({0.25, 0.5, 1, 2, 4}, axis, 50, 10);
  EXPECT_DOUBLE_EQ(g.whisker_lo, 300);
  EXPECT_DOUBLE_EQ(g.box_lo, 400);
  EXPECT_DOUBLE_EQ(g.median, 500);
  EXPECT_DOUBLE_EQ(g.box_hi, 600);
  EXPECT_DOUBLE_EQ(g.whisker_hi, 700);
  EXPECT_DOUBLE_EQ(g.y_top, 45);
  EXPECT_DOUBLE_EQ(g.y_bottom, 55);
  SvgCanvas svg(1000, 100);
  DrawBox(svg, g, "box bad", "fc1 <kernel>");
  const std::string out = svg.Finish();
  EXPECT_NE(out.find(R"(<g class="box bad"><title>fc1 &lt;kernel&gt;</title>)"), std::string::npos);
  EXPECT_NE(
      out.find(R"(<rect x="400.00" y="45.00" width="200.00" height="10.00" class="box-body")"),
      std::string::npos);
  EXPECT_NE(out.find(R"(<line x1="500.00" y1="45.00" x2="500.00" y2="55.00" class="median"/>)"),
            std::string::npos);
  EXPECT_EQ(out.rfind("<svg", 0), 0u);
  EXPECT_NE(out.find("</svg>"), std::string::npos);
}

TEST(SvgPlotTest, PolylineLegendAndScatter) {
  SvgCanvas svg(200, 200);
  svg.Polyline({{0, 0}, {10, 20}}, "#123456", true);
  DrawLegend(svg, 5, 5, {{"a & b", "#ff0000", false, false}, {"c", "#00ff00", false, true}});
  const LinearAxis x(0, 1, 0, 100), y(0, 1, 100, 0);
  DrawScatter(svg, x, y, {{0.5, 0.5}, {1, 0}}, "points");
  const std::string out = svg.Finish();
  EXPECT_NE(out.find(R"(points="0.00,0.00 10.00,20.00")"), std::string::npos);
  EXPECT_NE(out.find(R"(stroke-dasharray="6 4")"), std::string::npos);
  EXPECT_NE(out.find(">a &amp; b</text>"), std::string::npos);
  EXPECT_NE(out.find(R"(<circle cx="50.00" cy="50.00" r="2.00")"), std::string::npos);
  EXPECT_NE(out.find(R"(<circle cx="100.00" cy="100.00")"), std::string::npos);
}

}  // namespace
}  // namespace fixnn::report
