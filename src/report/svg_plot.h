// Small SVG plotting primitives for the HTML report: a canvas that writes elements as text,
// linear and log2 axes with their ticks, horizontal box plots on a log2 axis (as hls4ml's
// numerical profiling draws them), scatter points, polylines and a legend. Coordinates are
// printed with two decimals, so the same plot always gives the same bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fixnn::report {

// Escapes text for HTML and SVG content and attribute values: & < > " '.
std::string EscapeXml(std::string_view text);

// A number as an SVG coordinate: two decimals, no "-0.00".
std::string Coord(double v);

struct Tick {
  double value = 0;   // in data units
  double pixel = 0;   // on the canvas
  std::string label;  // plain text ("0.25", "2^-3")
  int exponent = 0;   // log axes: the power of two
};

// A value axis mapped onto pixels [pixel_lo, pixel_hi] (pixel_hi may be below pixel_lo, as
// for a y axis growing upwards).
class LinearAxis {
 public:
  LinearAxis(double lo, double hi, double pixel_lo, double pixel_hi);
  double ToPixel(double value) const;
  double lo() const { return lo_; }
  double hi() const { return hi_; }
  // Ticks at 1, 2 or 5 x 10^k steps, at most about `max_ticks` of them, inside [lo, hi].
  std::vector<Tick> Ticks(int max_ticks = 6) const;

 private:
  double lo_, hi_, pixel_lo_, pixel_hi_;
};

// A log2 axis over [2^lo_exponent, 2^hi_exponent].
class Log2Axis {
 public:
  Log2Axis(int lo_exponent, int hi_exponent, double pixel_lo, double pixel_hi);
  // Values <= 0 map to the low end; values beyond the axis to its ends.
  double ToPixel(double value) const;
  int lo_exponent() const { return lo_; }
  int hi_exponent() const { return hi_; }
  // One tick per power of two, every `step`-th one so that at most `max_ticks` show (the
  // exponents that are multiples of the step), labelled "2^k".
  std::vector<Tick> Ticks(int max_ticks = 16) const;

 private:
  int lo_, hi_;
  double pixel_lo_, pixel_hi_;
};

// The exponents [floor(log2(lo)), ceil(log2(hi))] that hold [lo, hi] (lo, hi > 0), widened to
// at least one octave.
std::pair<int, int> Log2Span(double lo, double hi);

// The five numbers of a box plot of |x|.
struct BoxStats {
  double min = 0, q1 = 0, median = 0, q3 = 0, max = 0;
};

// Where a horizontal box plot's parts fall on a log2 x axis: whiskers from min to max, the box
// from q1 to q3, a line at the median; y_top/y_bottom bound the box.
struct BoxGeometry {
  double whisker_lo = 0, box_lo = 0, median = 0, box_hi = 0, whisker_hi = 0;
  double y_top = 0, y_bottom = 0, y_mid = 0;
};
BoxGeometry HorizontalBox(const BoxStats& stats, const Log2Axis& axis, double y_center,
                          double height);

// Writes SVG elements into a string. Attribute values passed as `extra` are written as given
// (they must be escaped by the caller); text content is escaped here.
class SvgCanvas {
 public:
  SvgCanvas(double width, double height, std::string_view css_class = "");
  double width() const { return width_; }
  double height() const { return height_; }

  void Rect(double x, double y, double w, double h, std::string_view css_class,
            std::string_view extra = "");
  void Line(double x1, double y1, double x2, double y2, std::string_view css_class);
  void Circle(double cx, double cy, double r, std::string_view css_class);
  // Text at (x, y); anchor "start", "middle" or "end". `title` (plain text): a hover tooltip.
  void Text(double x, double y, std::string_view text, std::string_view css_class,
            std::string_view anchor = "start", std::string_view title = "");
  // "2^k" with k raised.
  void PowerOfTwoText(double x, double y, int exponent, std::string_view css_class,
                      std::string_view anchor = "middle");
  // Points joined by straight segments; `dashed` draws them dashed. `stroke` is a colour.
  void Polyline(const std::vector<std::pair<double, double>>& points, std::string_view stroke,
                bool dashed, std::string_view css_class = "line");
  // Anything else, written as given.
  void Raw(std::string_view svg);
  // A group with an optional tooltip (<title>); EndGroup closes it.
  void BeginGroup(std::string_view css_class, std::string_view title = "");
  void EndGroup();

  std::string Finish() const;  // the <svg> element

 private:
  double width_, height_;
  std::string css_class_;
  std::string body_;
};

// The plot area of a chart inside its canvas.
struct PlotArea {
  double left = 0, top = 0, right = 0, bottom = 0;
};

// Axes with grid lines, tick labels and a title under / beside them.
void DrawXAxis(SvgCanvas& svg, const PlotArea& area, const std::vector<Tick>& ticks,
               bool power_of_two_labels, std::string_view title);
void DrawYAxis(SvgCanvas& svg, const PlotArea& area, const std::vector<Tick>& ticks,
               std::string_view title);

// Draws a horizontal box plot; `css_class` styles the box ("box", "box bad", ...).
void DrawBox(SvgCanvas& svg, const BoxGeometry& g, std::string_view css_class,
             std::string_view title);

// Scatter points (small circles) of (x, y) pairs.
void DrawScatter(SvgCanvas& svg, const LinearAxis& x, const LinearAxis& y,
                 const std::vector<std::pair<double, double>>& points, std::string_view css_class);

// A legend box at (x, y): one row per entry, a short line in the entry's colour (dashed or
// not) and its label.
struct LegendEntry {
  std::string label;
  std::string color;
  bool dashed = false;
  bool filled = false;  // a filled square instead of a line
};
void DrawLegend(SvgCanvas& svg, double x, double y, const std::vector<LegendEntry>& entries);

// Ten distinguishable colours (matplotlib's tab10), cycled.
std::string_view PaletteColor(size_t index);

}  // namespace fixnn::report
