#include "report/html_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "report/graph_diagram.h"
#include "report/roc.h"
#include "report/svg_plot.h"

#ifndef FIXNN_VERSION
#define FIXNN_VERSION "unknown"
#endif

namespace fixnn::report {
namespace {

namespace reports = backends::hls_reports;
using reports::ResourceKind;

constexpr std::string_view kStyle = R"css(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
       margin: 0 auto; padding: 16px 28px 40px; max-width: 1360px; line-height: 1.4; }
h1 { font-size: 24px; margin: 8px 0 4px; }
h2 { font-size: 19px; margin: 30px 0 8px; padding-bottom: 4px; border-bottom: 2px solid #dde3ea; }
h3 { font-size: 15px; margin: 18px 0 6px; }
p.note, .muted { color: #666; font-size: 13px; }
nav a { margin-right: 14px; font-size: 14px; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0 10px; }
th, td { border: 1px solid #d4dae1; padding: 3px 7px; vertical-align: top; }
th { background: #eef2f6; font-weight: 600; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.layers { font-size: 12.5px; }
td.type { max-width: 170px; }
td.weights { max-width: 250px; }
td.mono, span.mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 12px; }
tbody tr:nth-child(even) { background: #f8fafc; }
tfoot td { font-weight: 600; background: #f1f4f7; }
th.est, td.est { background-color: rgba(255, 244, 214, 0.55); }
th.group { text-align: center; }
table.sortable thead tr:last-child th { cursor: pointer; user-select: none; }
table.sortable thead tr:last-child th:hover { background: #dfe6ee; }
td.bad, span.bad { color: #b30000; font-weight: 600; }
table.settings th { width: 210px; }
.scroll { overflow-x: auto; border: 1px solid #e3e8ee; border-radius: 6px; padding: 6px;
          background: #fcfdfe; }
svg { max-width: 100%; height: auto; font-family: system-ui, sans-serif; }
svg.graph { max-width: none; display: block; margin: 0 auto; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
svg text { font-size: 12px; fill: #222; }
svg .grid { stroke: #ececec; stroke-width: 1; }
svg .axis { stroke: #444; stroke-width: 1; }
svg text.tick { font-size: 11px; fill: #444; }
svg tspan.sup { font-size: 9px; }
svg text.axis-title { font-size: 12px; fill: #333; }
svg text.row-label { font-size: 12px; }
svg text.row-type, svg text.node-type { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 11px; fill: #444; }
svg text.note { font-size: 11px; fill: #888; font-style: italic; }
svg .row-alt { fill: #f6f8fa; }
svg .range-band { fill: #d9d9d9; opacity: 0.8; }
svg .box .box-body { fill: #9ecae1; stroke: #2f6f9f; stroke-width: 1; }
svg .box.fixed .box-body { fill: #fdd0a2; stroke: #c4540a; }
svg .box.bad .box-body { fill: #fc9272; stroke: #b30000; }
svg .whisker { stroke: #555; stroke-width: 1; }
svg .median { stroke: #111; stroke-width: 2; }
svg .line { fill: none; stroke-width: 1.8; }
svg .points .pt { fill: #1f77b4; fill-opacity: 0.45; }
svg .legend { fill: #fff; fill-opacity: 0.92; stroke: #ccc; }
svg .swatch { stroke: #888; stroke-width: 0.5; }
svg text.legend-text { font-size: 12px; }
svg .node .box { fill: #f4f8fd; stroke: #4a6fa5; stroke-width: 1.2; }
svg .node.input .box { fill: #eef7ee; stroke: #4a8a4a; }
svg .node.output .box { stroke: #9a3d00; stroke-width: 2.2; }
svg .node:hover .box { fill: #fff6d6; }
svg text.node-name { font-weight: 600; font-size: 12.5px; }
svg text.node-op { font-size: 11.5px; fill: #333; }
svg .edge path { fill: none; stroke: #8a96a3; stroke-width: 1.4; }
svg .arrowhead { fill: #8a96a3; }
)css";

// Sorts a table's rows by the clicked column: numbers (data-v) numerically, text otherwise.
constexpr std::string_view kScript = R"js(
document.querySelectorAll('table.sortable').forEach(function (table) {
  var heads = table.tHead.rows[table.tHead.rows.length - 1].cells;
  Array.prototype.forEach.call(heads, function (th, col) {
    th.title = 'sort';
    th.addEventListener('click', function () {
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var dir = th.getAttribute('data-dir') === 'asc' ? -1 : 1;
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('data-dir'); });
      th.setAttribute('data-dir', dir > 0 ? 'asc' : 'desc');
      function key(row) {
        var cell = row.cells[col];
        var v = cell.getAttribute('data-v');
        return v !== null ? parseFloat(v) : cell.textContent;
      }
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        if (typeof x === 'number' && typeof y === 'number') return dir * (x - y);
        if (typeof x === 'number') return -1;
        if (typeof y === 'number') return 1;
        return dir * String(x).localeCompare(String(y));
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
)js";

std::string E(std::string_view s) { return EscapeXml(s); }

// A type (or any long token list) that may wrap after its commas.
std::string Wrappable(std::string_view s) {
  std::string out;
  for (char c : EscapeXml(s)) {
    out += c;
    if (c == ',') out += "<wbr>";
  }
  return out;
}

// A numeric cell: the value sorts; absent values show "-".
std::string NumCell(std::optional<int64_t> v, std::string_view css = "num") {
  if (!v) return fmt::format(R"(<td class="{}">-</td>)", css);
  return fmt::format(R"(<td class="{}" data-v="{}">{}</td>)", css, *v, *v);
}

std::string Opt(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : "-"; }

std::string OptNs(const std::optional<double>& v) { return v ? fmt::format("{:.3f}", *v) : "-"; }

std::string Percent(double fraction) { return fmt::format("{:.2f} %", 100 * fraction); }

std::string Header(const ReportInputs& in) {
  const config::ProjectConfig& p = *in.project;
  const config::LayerConfig& m = p.hls.model;
  std::string precision = "-";
  if (auto it = m.precision.find("default"); it != m.precision.end() && it->second.type) {
    precision = it->second.type->ToString();
  }
  const std::string name = in.graph->name.empty() ? "(unnamed model)" : in.graph->name;
  std::string out = fmt::format("<h1>fixnn report: {}</h1>\n", E(name));
  out += "<table class=\"settings\">\n";
  auto row = [&](std::string_view k, const std::string& v) {
    out += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", k, E(v));
  };
  row("Model", name + (in.graph->framework.empty() ? "" : " (" + in.graph->framework + ")"));
  row("Project", p.project_name);
  row("Part", p.part.empty() ? "(backend default)" : p.part);
  row("Clock period", fmt::format("{} ns ({:.1f} MHz)", p.clock_period,
                                  p.clock_period > 0 ? 1000.0 / p.clock_period : 0.0));
  row("I/O type", std::string(config::ToString(p.io_type)));
  row("Backend", std::string(config::ToString(p.backend)));
  row("Strategy (Model)",
      std::string(config::ToString(m.strategy.value_or(config::Strategy::kLatency))));
  row("ReuseFactor (Model)", std::to_string(m.reuse_factor.value_or(1)));
  row("Default precision (Model)", precision);
  row("Layers", std::to_string(in.graph->nodes().size()) + " nodes");
  row("Generated by", FixnnVersionString());
  out += "</table>\n";
  out +=
      "<p class=\"note\">Resource and latency figures marked <em>estimate</em> come from "
      "fixnn's estimate rules (hls4ml tutorial rules), not from synthesis.</p>\n";
  return out;
}

std::string Nav(const ReportInputs& in) {
  std::string out =
      "<nav><a href=\"#graph\">Graph</a><a href=\"#layers\">Layers</a>"
      "<a href=\"#summary\">Totals</a>";
  if (in.profile) out += "<a href=\"#distributions\">Distributions</a>";
  if (in.comparison) out += "<a href=\"#outputs\">Float vs fixed</a>";
  if (in.comparison && !in.comparison->labels.empty()) out += "<a href=\"#roc\">ROC</a>";
  return out + "</nav>\n";
}

std::string LayerTable(const ReportInputs& in) {
  const ir::Graph& g = *in.graph;
  std::map<std::string, const estimate::LayerEstimate*> est;
  for (const estimate::LayerEstimate& l : in.estimate->layers) est[l.name] = &l;
  struct Overflows {
    int64_t outputs = 0, weights = 0;
  };
  std::map<std::string, Overflows> overflow;
  if (in.profile) {
    for (const analysis::TensorProfile& t : in.profile->tensors) {
      (t.kind == "weight" ? overflow[t.layer].weights : overflow[t.layer].outputs) +=
          t.out_of_range;
    }
  }
  const bool ovf = in.profile != nullptr;
  std::string out = "<h2 id=\"layers\">Layers</h2>\n";
  out +=
      "<p class=\"note\">Click a column header to sort. MACs: multiplications per inference "
      "(zero, power-of-two and binary weights included; the tooltip splits them).";
  if (ovf) {
    out += fmt::format(
        " Overflows: values that wrapped or saturated in fixed point on the {} "
        "samples (outputs) or when the weights were stored.",
        in.profile->samples);
  }
  out += "</p>\n<div class=\"scroll\"><table class=\"sortable layers\">\n<thead>\n";
  out += fmt::format(
      "<tr><th colspan=\"5\" class=\"group\">Layer</th><th colspan=\"9\" class=\"group est\">"
      "Estimate (not a synthesis result)</th>{}</tr>\n",
      ovf ? "<th class=\"group\">On data</th>" : "");
  out +=
      "<tr><th>Name</th><th>Op</th><th>Output shape</th><th>Output type</th>"
      "<th>Weights</th><th class=\"est\">Strategy</th><th class=\"num est\">RF</th>"
      "<th class=\"num est\">MACs</th><th class=\"num est\">DSP</th>"
      "<th class=\"num est\">LUT</th><th class=\"num est\">FF</th>"
      "<th class=\"num est\">BRAM_18K</th><th class=\"num est\">Latency (cycles)</th>"
      "<th class=\"num est\">II</th>";
  if (ovf) out += "<th class=\"num\">Overflows</th>";
  out += "</tr>\n</thead>\n<tbody>\n";
  for (const ir::Node& n : g.nodes()) {
    std::string shapes, types, weights;
    for (const std::string& o : n.outputs) {
      const ir::Tensor* t = g.FindTensor(o);
      if (!shapes.empty()) shapes += "<br>", types += "<br>";
      shapes += t ? E(ir::ToString(t->shape)) : "?";
      types += t ? Wrappable(PrecisionText(t->precision)) : "?";
    }
    for (const ir::Weight& w : n.weights) {
      if (!weights.empty()) weights += "<br>";
      weights += fmt::format("{}&nbsp;{}: {}", E(w.name), E(ir::ToString(w.shape)),
                             Wrappable(PrecisionText(w.precision)));
    }
    out += fmt::format(
        "<tr><td>{}</td><td title=\"{}\">{}</td><td class=\"mono\">{}</td>"
        "<td class=\"mono type\">{}</td><td class=\"mono weights\">{}</td>",
        E(n.name), E(n.source), E(OpLabel(n)), shapes, types, weights);
    auto it = est.find(n.name);
    if (it == est.end()) {
      out += R"(<td class="est"></td>)";
      for (int k = 0; k < 8; ++k) out += R"(<td class="num est">-</td>)";
    } else {
      const estimate::LayerEstimate& l = *it->second;
      const estimate::MultiplyCounts& mc = l.multiplications;
      out += fmt::format(R"(<td class="est">{}</td>)", E(l.strategy));
      out += NumCell(l.strategy.empty() ? std::nullopt : std::optional<int64_t>(l.reuse_factor),
                     "num est");
      out += fmt::format(
          R"(<td class="num est" data-v="{}" title="{} real, {} zero, {} power of two, {} binary; {} multipliers">{}</td>)",
          mc.total, mc.real, mc.zero, mc.power_of_two, mc.binary, l.multipliers, mc.total);
      for (ResourceKind k :
           {ResourceKind::kDsp, ResourceKind::kLut, ResourceKind::kFf, ResourceKind::kBram18k}) {
        out += NumCell(l.resources[k].used, "num est");
      }
      out += NumCell(l.latency.max_cycles, "num est");
      out += NumCell(l.latency.interval_max, "num est");
    }
    if (ovf) {
      const Overflows o = overflow[n.name];
      const int64_t total = o.outputs + o.weights;
      out += fmt::format(R"(<td class="num{}" data-v="{}" title="outputs {}, weights {}">{}</td>)",
                         total > 0 ? " bad" : "", total, o.outputs, o.weights, total);
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n<tfoot>\n";
  const estimate::ModelEstimate& e = *in.estimate;
  out += fmt::format(
      "<tr><td colspan=\"5\">Total (estimate)</td><td class=\"est\"></td>"
      "<td class=\"est\"></td><td class=\"num est\">{}</td><td class=\"num est\">{}</td>"
      "<td class=\"num est\">{}</td><td class=\"num est\">{}</td><td class=\"num est\">{}</td>"
      "<td class=\"num est\">{}</td><td class=\"num est\">{}</td>",
      e.multiplications.total, Opt(e.resources[ResourceKind::kDsp].used),
      Opt(e.resources[ResourceKind::kLut].used), Opt(e.resources[ResourceKind::kFf].used),
      Opt(e.resources[ResourceKind::kBram18k].used), Opt(e.latency.max_cycles),
      Opt(e.latency.interval_max));
  if (ovf) {
    int64_t total = 0;
    for (const auto& [name, o] : overflow) total += o.outputs + o.weights;
    out += fmt::format(R"(<td class="num{}">{}</td>)", total > 0 ? " bad" : "", total);
  }
  out += "</tr>\n</tfoot>\n</table></div>\n";
  return out;
}

std::string SummaryTable(const ReportInputs& in) {
  const estimate::ModelEstimate& e = *in.estimate;
  const reports::SynthesisReport* s = in.synthesis;
  std::string out = "<h2 id=\"summary\">Totals: estimate";
  out += s ? " and synthesis report</h2>\n" : "</h2>\n";
  out += "<table class=\"summary\"><thead><tr><th></th><th class=\"num est\">Estimate</th>";
  if (s) {
    out += fmt::format(
        "<th class=\"num\">Synthesis ({} {}, {})</th><th class=\"num\">Available"
        "</th><th class=\"num\">Utilisation</th>",
        E(reports::ToolName(s->tool)), E(s->version), E(s->top_function));
  }
  out += "</tr></thead>\n<tbody>\n";
  auto row = [&](std::string_view what, const std::string& estimate, const std::string& synthesis,
                 const std::string& available, const std::string& percent) {
    out += fmt::format(R"(<tr><th>{}</th><td class="num est">{}</td>)", what, E(estimate));
    if (s) {
      out += fmt::format(R"(<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>)",
                         E(synthesis), E(available), E(percent));
    }
    out += "</tr>\n";
  };
  const reports::Latency no_latency;
  const reports::Latency& sl = s ? s->latency : no_latency;
  row("Latency (cycles)", Opt(e.latency.max_cycles), Opt(sl.max_cycles), "", "");
  row("Latency (ns)", OptNs(e.latency.max_ns), OptNs(sl.max_ns), "", "");
  row("Interval (cycles)", Opt(e.latency.interval_max), Opt(sl.interval_max), "", "");
  row("Pipeline", e.latency.pipeline_type, sl.pipeline_type, "", "");
  for (ResourceKind k : reports::kResourceKinds) {
    const reports::ResourceUse none;
    const reports::ResourceUse& u = s ? s->resources[k] : none;
    row(reports::ResourceName(k), Opt(e.resources[k].used), Opt(u.used), Opt(u.available),
        u.percent ? fmt::format("{:.1f} %", *u.percent) : "-");
  }
  row("Clock (ns)", fmt::format("{} (target)", e.clock_period_ns),
      s ? fmt::format("{} target, {} estimated", OptNs(s->target_clock_ns),
                      OptNs(s->estimated_clock_ns))
        : "",
      "", "");
  out += "</tbody></table>\n";
  if (s) {
    out += fmt::format("<p class=\"note\">Synthesis report: {} ({}), part {}.</p>\n",
                       E(std::filesystem::path(s->source).filename().string()), E(s->format),
                       E(s->part));
    if (!s->modules.empty()) {
      out +=
          "<details><summary>Synthesis report per module</summary>\n<table><thead><tr>"
          "<th>Module</th><th>Instance</th><th class=\"num\">Latency</th>"
          "<th class=\"num\">II</th><th class=\"num\">DSP</th><th class=\"num\">LUT</th>"
          "<th class=\"num\">FF</th><th class=\"num\">BRAM_18K</th></tr></thead><tbody>\n";
      for (const reports::ModuleRow& m : s->modules) {
        out += fmt::format("<tr><td>{}</td><td>{}</td>", E(m.module), E(m.instance));
        out += NumCell(m.latency.max_cycles) + NumCell(m.latency.interval_max);
        for (ResourceKind k :
             {ResourceKind::kDsp, ResourceKind::kLut, ResourceKind::kFf, ResourceKind::kBram18k}) {
          out += NumCell(m.resources[k].used);
        }
        out += "</tr>\n";
      }
      out += "</tbody></table></details>\n";
    }
  } else {
    out += "<p class=\"note\">No synthesis report: the figures are estimates only.</p>\n";
  }
  if (!e.notes.empty()) {
    out += "<details><summary>How the estimate is made</summary><ul>\n";
    for (const std::string& n : e.notes) out += "<li>" + E(n) + "</li>\n";
    out += "</ul></details>\n";
  }
  return out;
}

std::string DistributionSection(const analysis::ModelProfile& p) {
  std::string out = "<h2 id=\"distributions\">Value distributions against the types</h2>\n";
  out += fmt::format(
      "<p class=\"note\">Box plots of |x| over the nonzero values (whiskers: min and max; box: "
      "quartiles; line: median) on a log2 axis, as hls4ml's numerical profiling draws them. "
      "Grey: the range the type represents, from its LSB to its maximum. Red: the float range "
      "leaves the type's range, or fixed-point values wrapped or saturated. Outputs on {} "
      "samples: float (blue, upper) and fixed point (orange, lower).</p>\n",
      p.samples);
  const std::string weights = DistributionSvg(p, "weight");
  if (!weights.empty()) out += "<h3>Weights</h3>\n<div class=\"scroll\">" + weights + "</div>\n";
  const std::string outputs = DistributionSvg(p, "output");
  if (!outputs.empty()) {
    out += "<h3>Layer outputs</h3>\n<div class=\"scroll\">" + outputs + "</div>\n";
  }
  return out;
}

Result<std::string> ComparisonSection(const DataComparison& d) {
  const int64_t n = d.shape[0];
  const int64_t per = n > 0 ? static_cast<int64_t>(d.float_values.size()) / n : 0;
  double max_diff = 0, sum_diff = 0;
  for (size_t k = 0; k < d.float_values.size(); ++k) {
    const double diff = std::abs(d.float_values[k] - d.fixed_values[k]);
    max_diff = std::max(max_diff, diff);
    sum_diff += diff;
  }
  const std::vector<int64_t> cf = PredictedClasses(d.float_values, per);
  const std::vector<int64_t> cx = PredictedClasses(d.fixed_values, per);
  std::string out = "<h2 id=\"outputs\">Float against fixed point</h2>\n";
  out += "<div class=\"charts\"><div>\n<table class=\"settings\"><tbody>\n";
  auto row = [&](std::string_view k, const std::string& v) {
    out += fmt::format("<tr><th>{}</th><td class=\"num\">{}</td></tr>\n", k, E(v));
  };
  row("Output", d.output + " " + fmt::format("[{}]", fmt::join(d.shape, ", ")));
  row("Samples", std::to_string(n));
  row("Largest |float - fixed|", fmt::format("{:.6g}", max_diff));
  row("Mean |float - fixed|",
      fmt::format("{:.6g}", d.float_values.empty()
                                ? 0.0
                                : sum_diff / static_cast<double>(d.float_values.size())));
  row("Same class (float and fixed)", Percent(Accuracy(cf, cx)));
  if (!d.labels.empty()) {
    row("Accuracy, float", Percent(Accuracy(cf, d.labels)));
    row("Accuracy, fixed point", Percent(Accuracy(cx, d.labels)));
  }
  out += "</tbody></table>\n</div>\n<div>" + ScatterSvg(d) + "</div></div>\n";
  if (d.labels.empty()) return out;
  Result<RocChart> roc = RocSvg(d);
  if (!roc.ok()) return roc.error();
  out += "<h2 id=\"roc\">ROC curves</h2>\n";
  out +=
      "<p class=\"note\">One class against the rest, on the output's scores: float solid, "
      "fixed point dashed.</p>\n";
  out += "<div class=\"charts\"><div>" + roc->svg + "</div><div>\n";
  out +=
      "<table class=\"sortable auc\"><thead><tr><th class=\"num\">Class</th>"
      "<th class=\"num\">AUC float</th><th class=\"num\">AUC fixed</th>"
      "<th class=\"num\">Difference</th></tr></thead><tbody>\n";
  for (const ClassRoc& c : roc->classes) {
    out += fmt::format(
        "<tr><td class=\"num\" data-v=\"{}\">{}</td><td class=\"num\" data-v=\"{:.6f}\">{:.4f}"
        "</td><td class=\"num\" data-v=\"{:.6f}\">{:.4f}</td><td class=\"num\" "
        "data-v=\"{:.6f}\">{:+.4f}</td></tr>\n",
        c.cls, c.cls, c.auc_float, c.auc_float, c.auc_fixed, c.auc_fixed, c.auc_fixed - c.auc_float,
        c.auc_fixed - c.auc_float);
  }
  out += "</tbody></table>\n";
  if (!roc->skipped.empty()) {
    out += fmt::format(
        "<p class=\"note\">No curve for class {}: the labels hold no sample of it "
        "or only samples of it.</p>\n",
        fmt::join(roc->skipped, ", "));
  }
  if (roc->classes_not_drawn > 0) {
    out += fmt::format("<p class=\"note\">{} further classes are not drawn.</p>\n",
                       roc->classes_not_drawn);
  }
  out += "</div></div>\n";
  return out;
}

}  // namespace

std::string FixnnVersionString() { return std::string("fixnn ") + FIXNN_VERSION; }

Result<std::string> RenderHtmlReport(const ReportInputs& in) {
  if (in.graph == nullptr || in.project == nullptr || in.estimate == nullptr) {
    return Error("HTML report: the graph, the project settings and the estimate are required");
  }
  if (in.comparison != nullptr) {
    if (Status s = CheckComparison(*in.comparison); !s.ok()) return s.error();
  }
  const std::string name = in.graph->name.empty() ? "(unnamed model)" : in.graph->name;
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<meta name=\"generator\" content=\"{}\">\n", E(FixnnVersionString()));
  out += fmt::format("<title>fixnn report: {}</title>\n", E(name));
  out += fmt::format("<style>{}</style>\n</head>\n<body>\n", kStyle);
  out += Header(in);
  out += Nav(in);
  out += "<h2 id=\"graph\">Model graph</h2>\n";
  out +=
      "<p class=\"note\">One box per layer: name, op (and the framework's class), output "
      "shape and type; hover a box for its weights. Rows follow the depth from the inputs; "
      "green: inputs, thick border: outputs.</p>\n";
  out += "<div class=\"scroll\">" + GraphDiagramSvg(*in.graph) + "</div>\n";
  out += LayerTable(in);
  out += SummaryTable(in);
  if (in.profile) out += DistributionSection(*in.profile);
  if (in.comparison) {
    Result<std::string> cmp = ComparisonSection(*in.comparison);
    if (!cmp.ok()) return cmp.error();
    out += *cmp;
  }
  out += fmt::format("<p class=\"note\">Written by {}.</p>\n", E(FixnnVersionString()));
  out += fmt::format("<script>{}</script>\n</body>\n</html>\n", kScript);
  return out;
}

}  // namespace fixnn::report
