// SVG drawing for the HTML report: an escaping writer, linear scales, "nice" ticks and axes.
#include "report/svg.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

namespace mcmc::report {

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        // Control characters other than tab and newline are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') out += ' ';
        else out += c;
    }
  }
  return out;
}

std::string coord(double v) {
  if (!std::isfinite(v)) v = 0;
  const double r = std::round(v * 10) / 10;
  std::string s = fmt::format("{:.1f}", r == 0 ? 0.0 : r);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

double nice_number(double x, bool round) {
  if (!(x > 0) || !std::isfinite(x)) return 1;
  const double e = std::floor(std::log10(x));
  const double p = std::pow(10.0, e);
  const double f = x / p;
  double nf;
  if (round) nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  else nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return nf * p;
}

std::string tick_label(double v, double step) {
  if (std::abs(v) < step * 1e-9) return "0";
  const double big = std::abs(v);
  const int step_exp = static_cast<int>(std::floor(std::log10(step) + 1e-9));
  if (big >= 1e6 || step < 1e-4) {
    const int v_exp = static_cast<int>(std::floor(std::log10(big)));
    const int digits = std::max(0, v_exp - step_exp);
    return fmt::format("{:.{}e}", v, digits);
  }
  const int decimals = std::max(0, -step_exp);
  return fmt::format("{:.{}f}", v, decimals);
}

Ticks nice_ticks(double lo, double hi, int target, bool integer) {
  Ticks t;
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
  if (lo > hi) std::swap(lo, hi);
  if (hi - lo <= std::abs(hi) * 1e-12 || hi == lo) {  // a constant: a unit-wide range around it
    const double pad = lo == 0 ? 1 : std::abs(lo) * 0.1;
    lo -= pad, hi += pad;
  }
  if (!std::isfinite(hi - lo)) {  // near the ends of the doubles: just the two ends
    t.lo = lo, t.hi = hi, t.step = hi / 2 - lo / 2;
    for (double v : {lo, hi}) t.values.push_back(v), t.labels.push_back(fmt::format("{:.3g}", v));
    return t;
  }
  const double range = nice_number(hi - lo, false);
  t.step = nice_number(range / std::max(1, target - 1), true);
  if (integer) t.step = std::max(t.step, 1.0);
  t.lo = std::floor(lo / t.step) * t.step;
  t.hi = std::ceil(hi / t.step) * t.step;
  const int n = static_cast<int>(std::llround((t.hi - t.lo) / t.step));
  for (int i = 0; i <= n; ++i) {
    double v = t.lo + i * t.step;
    if (std::abs(v) < t.step * 1e-9) v = 0;
    t.values.push_back(v);
    t.labels.push_back(tick_label(v, t.step));
  }
  return t;
}

Frame Frame::make(double left, double top, double width, double height, double x0, double x1, double y0, double y1,
                  int x_ticks, int y_ticks, bool x_integer) {
  Frame f;
  f.left = left, f.top = top, f.width = width, f.height = height;
  f.xt = nice_ticks(x0, x1, x_ticks, x_integer);
  f.yt = nice_ticks(y0, y1, y_ticks);
  f.x = Scale{f.xt.lo, f.xt.hi, left, left + width};
  f.y = Scale{f.yt.lo, f.yt.hi, top + height, top};
  return f;
}

Svg::Svg(double width, double height, std::string_view kind, std::string_view title) {
  out_ = fmt::format(R"(<svg width="{0}" height="{1}" viewBox="0 0 {0} {1}" )"
                     R"(data-plot="{2}" role="img"><title>{3}</title>)",
                     coord(width), coord(height), escape_xml(kind), escape_xml(title));
}

void Svg::line(double x1, double y1, double x2, double y2, std::string_view attrs) {
  out_ += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" {}/>)", coord(x1), coord(y1), coord(x2), coord(y2), attrs);
}

void Svg::rect(double x, double y, double w, double h, std::string_view attrs) {
  out_ += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" {}/>)", coord(x), coord(y), coord(std::max(0.0, w)),
                      coord(std::max(0.0, h)), attrs);
}

void Svg::circle(double cx, double cy, double r, std::string_view attrs) {
  out_ += fmt::format(R"(<circle cx="{}" cy="{}" r="{}" {}/>)", coord(cx), coord(cy), coord(r), attrs);
}

void Svg::polyline(const std::vector<std::pair<double, double>>& points, std::string_view attrs) {
  out_ += "<polyline points=\"";
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (i > 0) out_ += ' ';
    out_ += coord(points[i].first);
    out_ += ',';
    out_ += coord(points[i].second);
  }
  out_ += "\" fill=\"none\" ";
  out_ += attrs;
  out_ += "/>";
}

void Svg::text(double x, double y, std::string_view text, std::string_view anchor, std::string_view attrs) {
  out_ += fmt::format(R"(<text x="{}" y="{}" text-anchor="{}" {}>{}</text>)", coord(x), coord(y), anchor, attrs,
                      escape_xml(text));
}

void Svg::open_group(std::string_view attrs) { out_ += fmt::format("<g {}>", attrs); }

void Svg::axes(const Frame& f, std::string_view xlabel, std::string_view ylabel, bool y_labels) {
  out_ += "<g class=\"axes\">";
  rect(f.left, f.top, f.width, f.height, R"(class="frame")");
  const double bottom = f.top + f.height;
  out_ += "<g class=\"xticks\">";
  for (std::size_t i = 0; i < f.xt.values.size(); ++i) {
    const double x = f.x(f.xt.values[i]);
    line(x, bottom, x, bottom + 4);
    text(x, bottom + 15, f.xt.labels[i], "middle", R"(class="tick")");
  }
  out_ += "</g><g class=\"yticks\">";
  for (std::size_t i = 0; i < f.yt.values.size(); ++i) {
    const double y = f.y(f.yt.values[i]);
    line(f.left - 4, y, f.left, y);
    if (y_labels) text(f.left - 6, y + 4, f.yt.labels[i], "end", R"(class="tick")");
  }
  out_ += "</g>";
  if (!xlabel.empty()) text(f.left + f.width / 2, bottom + 30, xlabel, "middle", R"(class="label")");
  if (!ylabel.empty())
    out_ += fmt::format(R"x(<text class="label" text-anchor="middle" transform="translate({},{}) rotate(-90)">{}</text>)x",
                        coord(f.left - 44), coord(f.top + f.height / 2), escape_xml(ylabel));
  out_ += "</g>";
}

std::string Svg::finish() {
  out_ += "</svg>";
  return std::move(out_);
}

std::string_view chain_colour(std::size_t chain) {
  static constexpr std::array<std::string_view, 7> kOkabeIto = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                                "#E69F00", "#56B4E9", "#F0E442"};
  return kOkabeIto[chain % kOkabeIto.size()];
}

}  // namespace mcmc::report
