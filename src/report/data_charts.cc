#include "report/data_charts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "report/roc.h"
#include "report/svg_plot.h"

namespace fixnn::report {
namespace {

constexpr size_t kMaxRocClasses = 10;

int64_t PerSample(const DataComparison& d) {
  int64_t per = 1;
  for (size_t i = 1; i < d.shape.size(); ++i) per *= d.shape[i];
  return per;
}

std::string Clip(const std::string& s, size_t n) {
  return s.size() <= n ? s : s.substr(0, n - 3) + "...";
}

BoxStats ToBox(const analysis::AbsBox& b) { return {b.min, b.q1, b.median, b.q3, b.max}; }

std::string BoxTitle(const std::string& what, const analysis::ValueStats& v) {
  return fmt::format(
      "{}: {} values ({} nonzero), range [{:.6g}, {:.6g}]; |x| min {:.4g}, q1 {:.4g}, median "
      "{:.4g}, q3 {:.4g}, max {:.4g}",
      what, v.count, v.abs.nonzero, v.min, v.max, v.abs.min, v.abs.q1, v.abs.median, v.abs.q3,
      v.abs.max);
}

}  // namespace

Status CheckComparison(const DataComparison& d) {
  if (d.shape.empty()) return Error(fmt::format("output '{}': no shape", d.output));
  int64_t total = 1;
  for (int64_t s : d.shape) total *= s;
  if (static_cast<int64_t>(d.float_values.size()) != total ||
      static_cast<int64_t>(d.fixed_values.size()) != total) {
    return Error(fmt::format("output '{}': {} float and {} fixed values for shape [{}]", d.output,
                             d.float_values.size(), d.fixed_values.size(),
                             fmt::join(d.shape, ", ")));
  }
  if (d.labels.empty()) return Status::Ok();
  if (static_cast<int64_t>(d.labels.size()) != d.shape[0]) {
    return Error(fmt::format("output '{}': {} labels for {} samples", d.output, d.labels.size(),
                             d.shape[0]));
  }
  const int64_t per = PerSample(d), classes = per > 1 ? per : 2;
  for (size_t s = 0; s < d.labels.size(); ++s) {
    if (d.labels[s] < 0 || d.labels[s] >= classes) {
      return Error(fmt::format("labels: sample {} has class {}, the output '{}' has {} classes", s,
                               d.labels[s], d.output, classes));
    }
  }
  return Status::Ok();
}

std::string DistributionSvg(const analysis::ModelProfile& profile, const std::string& kind) {
  std::vector<const analysis::TensorProfile*> rows;
  for (const analysis::TensorProfile& t : profile.tensors) {
    if (t.kind == kind) rows.push_back(&t);
  }
  if (rows.empty()) return "";
  const bool outputs = kind == "output";
  const double row_h = outputs ? 30 : 22, width = 1280;
  const PlotArea area{240, 10, width - 250, 10 + row_h * static_cast<double>(rows.size())};
  // The axis spans every value and every type range.
  double lo = std::numeric_limits<double>::infinity(), hi = 0;
  auto widen = [&](double v) {
    if (v > 0 && std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  };
  for (const analysis::TensorProfile* t : rows) {
    if (t->float_values.abs.nonzero > 0)
      widen(t->float_values.abs.min), widen(t->float_values.abs.max);
    if (outputs && t->fixed_values.abs.nonzero > 0) {
      widen(t->fixed_values.abs.min), widen(t->fixed_values.abs.max);
    }
    if (t->type && t->type_max > 0)
      widen(std::ldexp(1.0, t->type->lsb_exponent())), widen(t->type_max);
  }
  if (!(hi > 0)) lo = 1.0 / 256, hi = 256;
  auto [e_lo, e_hi] = Log2Span(lo, hi);
  e_lo = std::max(e_lo, e_hi - 64);
  const Log2Axis axis(e_lo, e_hi, area.left, area.right);
  const std::vector<LegendEntry> legend = [&] {
    std::vector<LegendEntry> l = {{"the type's range [LSB, max]", "#d9d9d9", false, true},
                                  {"float |x|", "#9ecae1", false, true}};
    if (outputs) l.push_back({"fixed-point |x|", "#fdd0a2", false, true});
    l.push_back(
        {"float range outside the type's (or values out of range)", "#fc9272", false, true});
    return l;
  }();
  const double height = area.bottom + 48 + 8 + 16 * static_cast<double>(legend.size()) + 8;
  SvgCanvas svg(width, height, "profile");
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i % 2 == 1) {
      svg.Rect(0, area.top + row_h * static_cast<double>(i), width, row_h, "row-alt");
    }
  }
  DrawXAxis(svg, area, axis.Ticks(), true, "|x|, log2 axis");
  for (size_t i = 0; i < rows.size(); ++i) {
    const analysis::TensorProfile& t = *rows[i];
    const double y0 = area.top + row_h * static_cast<double>(i), yc = y0 + row_h / 2;
    const std::string name = outputs ? t.layer : t.layer + " / " + t.tensor;
    svg.Text(area.left - 8, yc + 4, Clip(name, 34), "row-label", "end", name);
    const std::string type_text = t.type ? t.type->ToString() : "per-element or none";
    svg.Text(area.right + 8, yc + 4, Clip(type_text, 36), "row-type", "start", type_text);
    if (t.type && t.type_max > 0) {
      const double lsb = std::ldexp(1.0, t.type->lsb_exponent());
      const double x1 = axis.ToPixel(lsb), x2 = axis.ToPixel(t.type_max);
      svg.BeginGroup("range", fmt::format("{}: [{:.6g}, {:.6g}], LSB {:.6g}", type_text, t.type_min,
                                          t.type_max, lsb));
      svg.Rect(x1, y0 + 2, x2 - x1, row_h - 4, "range-band");
      svg.EndGroup();
    }
    const bool any = t.float_values.abs.nonzero > 0 || (outputs && t.fixed_values.abs.nonzero > 0);
    if (!any) {
      svg.Text(area.left + 6, yc + 4, "all zero", "note");
      continue;
    }
    const std::string float_class = t.fits() ? "box" : "box bad";
    if (!outputs) {
      DrawBox(svg, HorizontalBox(ToBox(t.float_values.abs), axis, yc, 12), float_class,
              BoxTitle(name, t.float_values) +
                  (t.out_of_range > 0 ? fmt::format("; {} out of range", t.out_of_range) : ""));
      continue;
    }
    if (t.float_values.abs.nonzero > 0) {
      DrawBox(svg, HorizontalBox(ToBox(t.float_values.abs), axis, yc - 6, 9), float_class,
              BoxTitle(name + " (float)", t.float_values));
    }
    if (t.fixed_values.abs.nonzero > 0) {
      DrawBox(svg, HorizontalBox(ToBox(t.fixed_values.abs), axis, yc + 6, 9),
              t.out_of_range > 0 ? "box fixed bad" : "box fixed",
              BoxTitle(name + " (fixed point)", t.fixed_values) +
                  fmt::format("; {} out of range", t.out_of_range));
    }
  }
  DrawLegend(svg, area.left, area.bottom + 48, legend);
  return svg.Finish();
}

std::string ScatterSvg(const DataComparison& d, size_t max_points) {
  const size_t n = std::min(d.float_values.size(), d.fixed_values.size());
  const size_t m = std::min(n, max_points);
  std::vector<std::pair<double, double>> points;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (size_t k = 0; k < m; ++k) {
    const size_t i = k * n / m;
    points.emplace_back(d.float_values[i], d.fixed_values[i]);
    lo = std::min({lo, d.float_values[i], d.fixed_values[i]});
    hi = std::max({hi, d.float_values[i], d.fixed_values[i]});
  }
  if (points.empty()) lo = 0, hi = 1;
  const double pad = hi > lo ? (hi - lo) * 0.04 : 1;
  lo -= pad, hi += pad;
  const PlotArea area{70, 14, 510, 424};
  SvgCanvas svg(530, 474, "scatter");
  const LinearAxis x(lo, hi, area.left, area.right), y(lo, hi, area.bottom, area.top);
  DrawXAxis(svg, area, x.Ticks(), false, fmt::format("float ({})", d.output));
  DrawYAxis(svg, area, y.Ticks(), "fixed point");
  svg.Polyline({{x.ToPixel(lo), y.ToPixel(lo)}, {x.ToPixel(hi), y.ToPixel(hi)}}, "#d62728", true);
  DrawScatter(svg, x, y, points, "points");
  DrawLegend(svg, area.left + 10, area.top + 8,
             {{fmt::format("{} of {} values", m, n), "#1f77b4", false, true},
              {"y = x", "#d62728", true, false}});
  return svg.Finish();
}

Result<RocChart> RocSvg(const DataComparison& d) {
  if (Status s = CheckComparison(d); !s.ok()) return s.error();
  if (d.labels.empty()) return Error(fmt::format("output '{}': ROC curves need labels", d.output));
  const int64_t per = PerSample(d), samples = d.shape[0];
  const bool binary = per == 1;
  RocChart chart;
  const PlotArea area{70, 14, 530, 454};
  SvgCanvas svg(550, 504, "roc");
  const LinearAxis x(0, 1, area.left, area.right), y(0, 1, area.bottom, area.top);
  DrawXAxis(svg, area, x.Ticks(5), false, "false positive rate");
  DrawYAxis(svg, area, y.Ticks(5), "true positive rate");
  svg.Polyline({{x.ToPixel(0), y.ToPixel(0)}, {x.ToPixel(1), y.ToPixel(1)}}, "#bbbbbb", true,
               "line chance");
  std::vector<LegendEntry> legend;
  std::vector<double> scores_float(static_cast<size_t>(samples)),
      scores_fixed(static_cast<size_t>(samples));
  std::vector<bool> positive(static_cast<size_t>(samples));
  for (int64_t c = binary ? 1 : 0; c < (binary ? 2 : per); ++c) {
    if (chart.classes.size() >= kMaxRocClasses) {
      ++chart.classes_not_drawn;
      continue;
    }
    const int64_t col = binary ? 0 : c;
    for (int64_t s = 0; s < samples; ++s) {
      const size_t k = static_cast<size_t>(s * per + col);
      scores_float[static_cast<size_t>(s)] = d.float_values[k];
      scores_fixed[static_cast<size_t>(s)] = d.fixed_values[k];
      positive[static_cast<size_t>(s)] = d.labels[static_cast<size_t>(s)] == c;
    }
    Result<RocCurve> rf = ComputeRoc(scores_float, positive);
    Result<RocCurve> rx = ComputeRoc(scores_fixed, positive);
    if (!rf.ok() || !rx.ok()) {
      chart.skipped.push_back(c);
      continue;
    }
    const std::string color(PaletteColor(chart.classes.size()));
    for (const auto& [curve, dashed] : {std::pair{&*rf, false}, std::pair{&*rx, true}}) {
      const RocCurve thin = ThinCurve(*curve, 1000);
      std::vector<std::pair<double, double>> pts;
      for (size_t i = 0; i < thin.fpr.size(); ++i) {
        pts.emplace_back(x.ToPixel(thin.fpr[i]), y.ToPixel(thin.tpr[i]));
      }
      svg.Polyline(pts, color, dashed);
    }
    chart.classes.push_back({c, rf->auc, rx->auc});
    legend.push_back({fmt::format("class {}: AUC float {:.4f}, fixed {:.4f}", c, rf->auc, rx->auc),
                      color, false, false});
  }
  legend.push_back({"float (solid)", "#555555", false, false});
  legend.push_back({"fixed point (dashed)", "#555555", true, false});
  const double legend_h = 8 + 16 * static_cast<double>(legend.size());
  DrawLegend(svg, area.left + (area.right - area.left) * 0.36, area.bottom - legend_h - 8, legend);
  chart.svg = svg.Finish();
  return chart;
}

}  // namespace fixnn::report
