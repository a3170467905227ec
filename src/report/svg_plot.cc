#include "report/svg_plot.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace fixnn::report {

std::string EscapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Coord(double v) {
  if (!std::isfinite(v)) return "0";
  std::string s = fmt::format("{:.2f}", v);
  if (s == "-0.00") s = "0.00";
  return s;
}

LinearAxis::LinearAxis(double lo, double hi, double pixel_lo, double pixel_hi)
    : lo_(lo), hi_(hi), pixel_lo_(pixel_lo), pixel_hi_(pixel_hi) {
  if (!(hi_ > lo_)) {  // a single value (or none): one unit around it
    lo_ -= 0.5;
    hi_ = lo_ + 1;
  }
}

double LinearAxis::ToPixel(double value) const {
  return pixel_lo_ + (value - lo_) / (hi_ - lo_) * (pixel_hi_ - pixel_lo_);
}

std::vector<Tick> LinearAxis::Ticks(int max_ticks) const {
  const double rough = (hi_ - lo_) / std::max(1, max_ticks);
  const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * magnitude;
    if (step >= rough) break;
  }
  const int decimals = std::max(0, -static_cast<int>(std::floor(std::log10(step) + 1e-9)));
  std::vector<Tick> ticks;
  const double eps = step * 1e-9;
  for (double k = std::ceil((lo_ - eps) / step); k * step <= hi_ + eps; k += 1) {
    const double v = k * step;
    std::string label = fmt::format("{:.{}f}", v, decimals);
    if (label.find_first_not_of("-0.") == std::string::npos) label = "0";
    ticks.push_back({v, ToPixel(v), label, 0});
  }
  return ticks;
}

Log2Axis::Log2Axis(int lo_exponent, int hi_exponent, double pixel_lo, double pixel_hi)
    : lo_(lo_exponent),
      hi_(std::max(hi_exponent, lo_exponent + 1)),
      pixel_lo_(pixel_lo),
      pixel_hi_(pixel_hi) {}

double Log2Axis::ToPixel(double value) const {
  // Values beyond the axis (or not positive) are drawn at its ends.
  const double e = value > 0 ? std::clamp(std::log2(value), double(lo_), double(hi_)) : lo_;
  return pixel_lo_ + (e - lo_) / (hi_ - lo_) * (pixel_hi_ - pixel_lo_);
}

std::vector<Tick> Log2Axis::Ticks(int max_ticks) const {
  const int span = hi_ - lo_;
  const int step = std::max(1, (span + std::max(1, max_ticks) - 1) / std::max(1, max_ticks));
  std::vector<Tick> ticks;
  for (int e = lo_; e <= hi_; ++e) {
    if (((e % step) + step) % step != 0) continue;
    const double v = std::ldexp(1.0, e);
    ticks.push_back({v, ToPixel(v), fmt::format("2^{}", e), e});
  }
  return ticks;
}

std::pair<int, int> Log2Span(double lo, double hi) {
  int a = static_cast<int>(std::floor(std::log2(lo)));
  int b = static_cast<int>(std::ceil(std::log2(hi)));
  if (b <= a) b = a + 1;
  return {a, b};
}

BoxGeometry HorizontalBox(const BoxStats& s, const Log2Axis& axis, double y_center, double height) {
  BoxGeometry g;
  g.whisker_lo = axis.ToPixel(s.min);
  g.box_lo = axis.ToPixel(s.q1);
  g.median = axis.ToPixel(s.median);
  g.box_hi = axis.ToPixel(s.q3);
  g.whisker_hi = axis.ToPixel(s.max);
  g.y_top = y_center - height / 2;
  g.y_bottom = y_center + height / 2;
  g.y_mid = y_center;
  return g;
}

SvgCanvas::SvgCanvas(double width, double height, std::string_view css_class)
    : width_(width), height_(height), css_class_(css_class) {}

void SvgCanvas::Rect(double x, double y, double w, double h, std::string_view css_class,
                     std::string_view extra) {
  body_ += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" class="{}"{}{}/>)", Coord(x),
                       Coord(y), Coord(std::max(0.0, w)), Coord(std::max(0.0, h)), css_class,
                       extra.empty() ? "" : " ", extra);
  body_ += "\n";
}

void SvgCanvas::Line(double x1, double y1, double x2, double y2, std::string_view css_class) {
  body_ += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" class="{}"/>)", Coord(x1),
                       Coord(y1), Coord(x2), Coord(y2), css_class);
  body_ += "\n";
}

void SvgCanvas::Circle(double cx, double cy, double r, std::string_view css_class) {
  body_ += fmt::format(R"(<circle cx="{}" cy="{}" r="{}" class="{}"/>)", Coord(cx), Coord(cy),
                       Coord(r), css_class);
}

void SvgCanvas::Text(double x, double y, std::string_view text, std::string_view css_class,
                     std::string_view anchor, std::string_view title) {
  body_ +=
      fmt::format(R"(<text x="{}" y="{}" class="{}" text-anchor="{}">{}{}</text>)", Coord(x),
                  Coord(y), css_class, anchor,
                  title.empty() ? "" : "<title>" + EscapeXml(title) + "</title>", EscapeXml(text));
  body_ += "\n";
}

void SvgCanvas::PowerOfTwoText(double x, double y, int exponent, std::string_view css_class,
                               std::string_view anchor) {
  body_ += fmt::format(
      R"(<text x="{}" y="{}" class="{}" text-anchor="{}">2<tspan dy="-5" class="sup">{}</tspan></text>)",
      Coord(x), Coord(y), css_class, anchor, exponent);
  body_ += "\n";
}

void SvgCanvas::Polyline(const std::vector<std::pair<double, double>>& points,
                         std::string_view stroke, bool dashed, std::string_view css_class) {
  if (points.empty()) return;
  std::string p;
  for (const auto& [x, y] : points) {
    if (!p.empty()) p += ' ';
    p += Coord(x) + "," + Coord(y);
  }
  body_ += fmt::format(R"(<polyline points="{}" class="{}" stroke="{}"{}/>)", p, css_class,
                       EscapeXml(stroke), dashed ? R"( stroke-dasharray="6 4")" : "");
  body_ += "\n";
}

void SvgCanvas::Raw(std::string_view svg) { body_ += svg; }

void SvgCanvas::BeginGroup(std::string_view css_class, std::string_view title) {
  body_ += fmt::format(R"(<g class="{}">)", css_class);
  if (!title.empty()) body_ += "<title>" + EscapeXml(title) + "</title>";
  body_ += "\n";
}

void SvgCanvas::EndGroup() { body_ += "</g>\n"; }

std::string SvgCanvas::Finish() const {
  return fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" class="{}" width="{}" height="{}" viewBox="0 0 {} {}">)"
      "\n{}</svg>\n",
      css_class_, Coord(width_), Coord(height_), Coord(width_), Coord(height_), body_);
}

void DrawXAxis(SvgCanvas& svg, const PlotArea& a, const std::vector<Tick>& ticks,
               bool power_of_two_labels, std::string_view title) {
  for (const Tick& t : ticks) {
    svg.Line(t.pixel, a.top, t.pixel, a.bottom, "grid");
    svg.Line(t.pixel, a.bottom, t.pixel, a.bottom + 4, "axis");
    if (power_of_two_labels) {
      svg.PowerOfTwoText(t.pixel, a.bottom + 18, t.exponent, "tick", "middle");
    } else {
      svg.Text(t.pixel, a.bottom + 16, t.label, "tick", "middle");
    }
  }
  svg.Line(a.left, a.bottom, a.right, a.bottom, "axis");
  if (!title.empty())
    svg.Text((a.left + a.right) / 2, a.bottom + 36, title, "axis-title", "middle");
}

void DrawYAxis(SvgCanvas& svg, const PlotArea& a, const std::vector<Tick>& ticks,
               std::string_view title) {
  for (const Tick& t : ticks) {
    svg.Line(a.left, t.pixel, a.right, t.pixel, "grid");
    svg.Line(a.left - 4, t.pixel, a.left, t.pixel, "axis");
    svg.Text(a.left - 6, t.pixel + 4, t.label, "tick", "end");
  }
  svg.Line(a.left, a.top, a.left, a.bottom, "axis");
  if (!title.empty()) {
    const double x = a.left - 46, y = (a.top + a.bottom) / 2;
    svg.Raw(fmt::format(
        R"svg(<text x="{}" y="{}" class="axis-title" text-anchor="middle" transform="rotate(-90 {} {})">{}</text>)svg"
        "\n",
        Coord(x), Coord(y), Coord(x), Coord(y), EscapeXml(title)));
  }
}

void DrawBox(SvgCanvas& svg, const BoxGeometry& g, std::string_view css_class,
             std::string_view title) {
  svg.BeginGroup(css_class, title);
  svg.Line(g.whisker_lo, g.y_mid, g.box_lo, g.y_mid, "whisker");
  svg.Line(g.box_hi, g.y_mid, g.whisker_hi, g.y_mid, "whisker");
  const double cap = (g.y_bottom - g.y_top) / 4;
  svg.Line(g.whisker_lo, g.y_mid - cap, g.whisker_lo, g.y_mid + cap, "whisker");
  svg.Line(g.whisker_hi, g.y_mid - cap, g.whisker_hi, g.y_mid + cap, "whisker");
  // A box of zero width still shows as a line.
  const double w = std::max(1.0, g.box_hi - g.box_lo);
  svg.Rect(g.box_lo, g.y_top, w, g.y_bottom - g.y_top, "box-body");
  svg.Line(g.median, g.y_top, g.median, g.y_bottom, "median");
  svg.EndGroup();
}

void DrawScatter(SvgCanvas& svg, const LinearAxis& x, const LinearAxis& y,
                 const std::vector<std::pair<double, double>>& points, std::string_view css_class) {
  svg.BeginGroup(css_class);
  for (const auto& [px, py] : points) svg.Circle(x.ToPixel(px), y.ToPixel(py), 2, "pt");
  svg.Raw("\n");
  svg.EndGroup();
}

void DrawLegend(SvgCanvas& svg, double x, double y, const std::vector<LegendEntry>& entries) {
  if (entries.empty()) return;
  size_t longest = 0;
  for (const LegendEntry& e : entries) longest = std::max(longest, e.label.size());
  const double row = 16, width = 40 + 6.6 * static_cast<double>(longest);
  svg.Rect(x, y, width, 8 + row * static_cast<double>(entries.size()), "legend");
  for (size_t i = 0; i < entries.size(); ++i) {
    const LegendEntry& e = entries[i];
    const double cy = y + 4 + row * (static_cast<double>(i) + 0.5);
    if (e.filled) {
      svg.Rect(x + 8, cy - 5, 18, 10, "swatch", fmt::format(R"(fill="{}")", EscapeXml(e.color)));
    } else {
      svg.Polyline({{x + 6, cy}, {x + 28, cy}}, e.color, e.dashed);
    }
    svg.Text(x + 34, cy + 4, e.label, "legend-text");
  }
}

std::string_view PaletteColor(size_t index) {
  static constexpr std::array<std::string_view, 10> kColors = {
      "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
      "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  return kColors[index % kColors.size()];
}

}  // namespace fixnn::report
