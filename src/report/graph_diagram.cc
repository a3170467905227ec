#include "report/graph_diagram.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "report/svg_plot.h"

namespace fixnn::report {
namespace {

constexpr double kBoxWidth = 236, kBoxHeight = 56, kGapX = 28, kGapY = 44, kMargin = 16;
// The width an edge takes in a row it passes through.
constexpr double kLaneWidth = 8;

// At most `n` characters, the rest replaced by "...".
std::string Clip(const std::string& s, size_t n) {
  return s.size() <= n ? s : s.substr(0, n - 3) + "...";
}

std::string_view PoolName(ir::PoolKind k) { return k == ir::PoolKind::kMax ? "max" : "average"; }

}  // namespace

std::string OpLabel(const ir::Node& node) {
  const std::string op(ir::OpName(node.kind()));
  if (const auto* a = std::get_if<ir::ActivationAttrs>(&node.attrs)) {
    return fmt::format("{}({})", op, ir::ToString(a->fn));
  }
  if (const auto* m = std::get_if<ir::MergeAttrs>(&node.attrs)) {
    return fmt::format("{}({})", op, ir::ToString(m->kind));
  }
  if (const auto* p = std::get_if<ir::PoolAttrs>(&node.attrs)) {
    return fmt::format("{}{}D({})", op, p->pool.size(), PoolName(p->kind));
  }
  if (const auto* p = std::get_if<ir::GlobalPoolAttrs>(&node.attrs)) {
    return fmt::format("{}{}D({})", op, p->spatial_rank, PoolName(p->kind));
  }
  if (const auto* c = std::get_if<ir::ConvAttrs>(&node.attrs)) {
    return fmt::format("{}{}D", op, c->kernel.size());
  }
  if (const auto* c = std::get_if<ir::DepthwiseConvAttrs>(&node.attrs)) {
    return fmt::format("{}{}D", op, c->kernel.size());
  }
  if (const auto* c = std::get_if<ir::SeparableConvAttrs>(&node.attrs)) {
    return fmt::format("{}{}D", op, c->kernel.size());
  }
  if (const auto* r = std::get_if<ir::RecurrentAttrs>(&node.attrs)) {
    return fmt::format("{}({})", op, ir::ToString(r->cell));
  }
  if (const auto* b = std::get_if<ir::BidirectionalAttrs>(&node.attrs)) {
    return fmt::format("{}({})", op, ir::ToString(b->forward.cell));
  }
  return op;
}

std::string PrecisionText(const ir::Precision& p) {
  if (p.type) return p.type->ToString();
  if (p.per_element) return "per-element types";
  return "-";
}

std::string OutputText(const ir::Graph& graph, const ir::Node& node) {
  std::string out;
  for (const std::string& name : node.outputs) {
    const ir::Tensor* t = graph.FindTensor(name);
    if (!out.empty()) out += "; ";
    out += t == nullptr ? "?" : ir::ToString(t->shape) + " " + PrecisionText(t->precision);
  }
  return out;
}

std::vector<int> NodeDepths(const ir::Graph& graph) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < graph.nodes().size(); ++i) index[graph.nodes()[i].name] = i;
  std::vector<int> depth(graph.nodes().size(), 0);
  for (size_t i = 0; i < graph.nodes().size(); ++i) {
    for (const std::string& in : graph.nodes()[i].inputs) {
      const ir::Node* p = graph.Producer(in);
      if (p == nullptr) continue;
      depth[i] = std::max(depth[i], depth[index.at(p->name)] + 1);
    }
  }
  return depth;
}

std::string GraphDiagramSvg(const ir::Graph& graph) {
  const std::vector<ir::Node>& nodes = graph.nodes();
  const std::vector<int> depth = NodeDepths(graph);
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < nodes.size(); ++i) index[nodes[i].name] = i;
  // The edges, and a lane (a narrow placeholder) in every row an edge passes without stopping,
  // so that long edges (skip connections) run beside the boxes instead of through them.
  struct Edge {
    size_t from, to;
    std::string tensor;
    std::vector<size_t> lanes;  // items in the rows between
  };
  struct Item {
    int row = 0;
    bool lane = false;
    size_t node = 0;              // a box: its node
    std::vector<size_t> parents;  // items in the row above that lead here
    double x = 0;                 // centre
  };
  std::vector<Item> items;
  std::vector<size_t> item_of(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    item_of[i] = items.size();
    items.push_back({depth[i], false, i, {}, 0});
  }
  std::vector<Edge> edges;
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (const std::string& in : nodes[i].inputs) {
      const ir::Node* p = graph.Producer(in);
      if (p == nullptr) continue;
      Edge e{index.at(p->name), i, in, {}};
      size_t above = item_of[e.from];
      for (int r = depth[e.from] + 1; r < depth[i]; ++r) {
        e.lanes.push_back(items.size());
        items.push_back({r, true, 0, {above}, 0});
        above = e.lanes.back();
      }
      items[item_of[i]].parents.push_back(above);
      edges.push_back(std::move(e));
    }
  }
  const int rows = nodes.empty() ? 0 : *std::max_element(depth.begin(), depth.end()) + 1;
  std::vector<std::vector<size_t>> by_row(static_cast<size_t>(rows));
  for (size_t k = 0; k < items.size(); ++k) by_row[static_cast<size_t>(items[k].row)].push_back(k);
  // Row by row: each item wants the mean centre of its parents; in that order, items are pushed
  // apart where they would overlap, and the row is shifted back so that on average every item
  // sits where it wants (branches spread around their parent).
  auto half = [&](size_t k) { return items[k].lane ? kLaneWidth / 2 : kBoxWidth / 2; };
  for (auto& row : by_row) {
    std::vector<double> want(items.size());
    for (size_t k : row) {
      double sum = 0;
      for (size_t p : items[k].parents) sum += items[p].x;
      want[k] = items[k].parents.empty() ? 0 : sum / static_cast<double>(items[k].parents.size());
    }
    std::stable_sort(row.begin(), row.end(), [&](size_t a, size_t b) { return want[a] < want[b]; });
    double wanted = 0, placed = 0;
    for (size_t j = 0; j < row.size(); ++j) {
      const size_t k = row[j];
      double x = want[k];
      if (j > 0) x = std::max(x, items[row[j - 1]].x + half(row[j - 1]) + kGapX + half(k));
      items[k].x = x;
      wanted += want[k];
      placed += x;
    }
    const double shift = (wanted - placed) / static_cast<double>(std::max<size_t>(1, row.size()));
    for (size_t k : row) items[k].x += shift;
  }
  double left = 0, right = 0;
  for (size_t k = 0; k < items.size(); ++k) {
    left = std::min(left, items[k].x - half(k));
    right = std::max(right, items[k].x + half(k));
  }
  for (Item& it : items) it.x += kMargin - left;
  const double width = right - left + 2 * kMargin;
  const double height = 2 * kMargin + rows * (kBoxHeight + kGapY) - (rows > 0 ? kGapY : 0);
  auto top = [&](int row) { return kMargin + row * (kBoxHeight + kGapY); };

  SvgCanvas svg(std::max(width, 300.0), std::max(height, 60.0), "graph");
  svg.Raw(
      "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
      "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" "
      "class=\"arrowhead\"/></marker></defs>\n");
  // Edges first, so that boxes are drawn over them: S-curves between rows, straight down
  // through each lane.
  for (const Edge& e : edges) {
    double x = items[item_of[e.from]].x, y = top(depth[e.from]) + kBoxHeight;
    std::string d = fmt::format("M {} {}", Coord(x), Coord(y));
    auto curve_to = [&](double x2, double y2) {
      const double mid = (y + y2) / 2;
      d += fmt::format(" C {} {} {} {} {} {}", Coord(x), Coord(mid), Coord(x2), Coord(mid),
                       Coord(x2), Coord(y2));
      x = x2, y = y2;
    };
    for (size_t lane : e.lanes) {
      curve_to(items[lane].x, top(items[lane].row));
      y = top(items[lane].row) + kBoxHeight;
      d += fmt::format(" L {} {}", Coord(x), Coord(y));
    }
    curve_to(items[item_of[e.to]].x, top(depth[e.to]));
    const ir::Tensor* t = graph.FindTensor(e.tensor);
    svg.BeginGroup("edge", fmt::format("{} {}", e.tensor, t ? ir::ToString(t->shape) : ""));
    svg.Raw(fmt::format(R"svg(<path d="{}" marker-end="url(#arrow)"/>)svg", d));
    svg.Raw("\n");
    svg.EndGroup();
  }
  std::vector<std::pair<double, double>> at(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    at[i] = {items[item_of[i]].x - kBoxWidth / 2, top(depth[i])};
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    const ir::Node& n = nodes[i];
    bool is_output = false;
    for (const std::string& o : n.outputs) {
      is_output = is_output || std::find(graph.outputs().begin(), graph.outputs().end(), o) !=
                                   graph.outputs().end();
    }
    std::string css = "node";
    if (n.kind() == ir::OpKind::kInput) css += " input";
    if (is_output) css += " output";
    std::string tooltip =
        fmt::format("{}\nop: {}{}\noutput: {}", n.name, OpLabel(n),
                    n.source.empty() ? "" : " (" + n.source + ")", OutputText(graph, n));
    for (const ir::Weight& w : n.weights) {
      tooltip +=
          fmt::format("\n{} {}: {}", w.name, ir::ToString(w.shape), PrecisionText(w.precision));
    }
    const auto [x, y] = at[i];
    svg.BeginGroup(css, tooltip);
    svg.Rect(x, y, kBoxWidth, kBoxHeight, "box", R"(rx="6")");
    svg.Text(x + kBoxWidth / 2, y + 16, Clip(n.name, 32), "node-name", "middle");
    std::string op = OpLabel(n);
    // The framework's class where it says more than the op ("Dense (QDense)").
    if (!n.source.empty() && op.rfind(n.source, 0) != 0) op += " (" + n.source + ")";
    svg.Text(x + kBoxWidth / 2, y + 31, Clip(op, 36), "node-op", "middle");
    svg.Text(x + kBoxWidth / 2, y + 46, Clip(OutputText(graph, n), 33), "node-type", "middle");
    svg.EndGroup();
  }
  return svg.Finish();
}

}  // namespace fixnn::report
