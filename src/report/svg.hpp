// SVG drawing for the HTML report: an escaping writer, linear scales, "nice" ticks and axes.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mcmc::report {

/// Text with &, <, >, " and ' escaped for XML content and attribute values.
std::string escape_xml(std::string_view text);

/// A coordinate with at most one decimal ("12.5", "3", "-0.5"): pixels need no more.
std::string coord(double v);

/// The "nice" number (1, 2, 5 or 10 times a power of ten) nearest x (round) or at least x
/// (Heckbert 1990, "Nice numbers for graph labels").
double nice_number(double x, bool round);

/// Tick positions for an axis over [lo, hi]: about `target` multiples of a nice step, the range
/// widened outwards to the first and last tick so that every value lies between two ticks.
struct Ticks {
  double lo = 0, hi = 1;              // the axis range (the first and last tick)
  double step = 1;
  std::vector<double> values;         // lo, lo + step, ..., hi
  std::vector<std::string> labels;    // as few digits as the step needs ("0.25", "1e+06")
};
/// `integer`: steps of at least 1 (chain numbers, counts).
Ticks nice_ticks(double lo, double hi, int target = 5, bool integer = false);

/// A tick's label: enough decimals for the step, no "-0", exponent form for very large or small.
std::string tick_label(double v, double step);

/// A linear map from data [d0, d1] to pixels [r0, r1].
struct Scale {
  double d0 = 0, d1 = 1, r0 = 0, r1 = 1;
  double operator()(double v) const { return d1 == d0 ? (r0 + r1) / 2 : r0 + (v - d0) / (d1 - d0) * (r1 - r0); }
};

/// A plot's drawing area inside its SVG element, with the scales of both axes.
struct Frame {
  double left = 0, top = 0, width = 0, height = 0;
  Ticks xt, yt;
  Scale x, y;
  /// Frame at (left, top) of width x height pixels for the data ranges [x0, x1] and [y0, y1].
  static Frame make(double left, double top, double width, double height, double x0, double x1, double y0, double y1,
                    int x_ticks = 5, int y_ticks = 4, bool x_integer = false);
};

/// An SVG document being written: elements are appended as text.
class Svg {
 public:
  /// `kind` becomes the data-plot attribute (what tests and readers look for: "trace", "rank", ...).
  Svg(double width, double height, std::string_view kind, std::string_view title);
  void raw(std::string_view text) { out_ += text; }
  void line(double x1, double y1, double x2, double y2, std::string_view attrs = "");
  void rect(double x, double y, double w, double h, std::string_view attrs = "");
  void circle(double cx, double cy, double r, std::string_view attrs = "");
  /// A polyline through the points (already in pixels).
  void polyline(const std::vector<std::pair<double, double>>& points, std::string_view attrs);
  /// Text (escaped); `anchor` is start, middle or end.
  void text(double x, double y, std::string_view text, std::string_view anchor = "start", std::string_view attrs = "");
  void open_group(std::string_view attrs);
  void close_group() { out_ += "</g>"; }
  /// Axes of a frame: the box, ticks with labels on both axes, optional axis titles.
  void axes(const Frame& f, std::string_view xlabel, std::string_view ylabel, bool y_labels = true);
  /// The finished element.
  std::string finish();

 private:
  std::string out_;
};

/// Colour-blind-safe chain colours (Okabe & Ito 2008, without black, which marks divergences).
std::string_view chain_colour(std::size_t chain);
inline constexpr std::string_view kDivergentColour = "#000000";

}  // namespace mcmc::report
