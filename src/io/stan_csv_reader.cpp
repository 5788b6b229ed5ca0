// The Stan CSV reader: a large read buffer, lines split in place, numbers parsed with std::from_chars.
#include "io/stan_csv_reader.hpp"

#include <map>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <string_view>

#include <fmt/format.h>

#include "util/error.hpp"

namespace mcmc::io {

std::optional<std::size_t> ChainDraws::find_column(const std::string& name) const {
  auto it = std::find(columns.begin(), columns.end(), name);
  if (it == columns.end()) return std::nullopt;
  return static_cast<std::size_t>(it - columns.begin());
}

std::optional<std::string> ChainDraws::config_value(const std::string& key) const {
  for (const auto& [k, v] : config)
    if (k == key || (k.size() > key.size() && k.ends_with(key) && k[k.size() - key.size() - 1] == '.')) return v;
  return std::nullopt;
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

/// One number in any of the spellings we accept (the slow path: trimmed, '+', quotes, NA).
std::optional<double> parse_token(std::string_view s) {
  s = trim(s);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = trim(s.substr(1, s.size() - 2));
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (iequals(s, "NA")) return kNaN;
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  // from_chars reports out-of-range for subnormal / huge literals: take what strtod would give.
  if (ec == std::errc::result_out_of_range && ptr == s.data() + s.size()) return std::strtod(std::string(s).c_str(), nullptr);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

/// Comma-separated numbers (the inverse-metric comment lines); nullopt if any is not a number.
std::optional<std::vector<double>> parse_number_list(std::string_view s) {
  std::vector<double> out;
  while (true) {
    std::size_t comma = s.find(',');
    auto v = parse_token(s.substr(0, comma));
    if (!v) return std::nullopt;
    out.push_back(*v);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

/// The number just before " seconds" in an elapsed-time line.
std::optional<double> seconds_value(std::string_view text) {
  std::size_t at = text.find(" seconds");
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view before = trim(text.substr(0, at));
  std::size_t start = before.find_last_of(" :\t");
  return parse_token(start == std::string_view::npos ? before : before.substr(start + 1));
}

class Parser {
 public:
  Parser(ChainDraws& d, std::size_t file_size) : d_(d), file_size_(file_size) {}

  /// One line without its '\n'. `bytes_before` is its offset in the file (for the size estimate).
  void line(std::string_view text, std::size_t bytes_before) {
    ++line_no_;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (trim(text).empty()) return;
    if (pending_error_) throw Error(ExitCode::Io, *pending_error_);
    if (text.front() == '#') {
      comment(trim(text.substr(1)));
    } else if (!header_seen_) {
      header(text);
    } else {
      data(text, bytes_before);
    }
  }

  /// The file ended with `text` and no line end: a draw there may be cut short, so it is dropped.
  void unterminated_last_line(std::string_view text, std::size_t bytes_before) {
    std::string_view t = trim(text);
    if (t.empty()) return;
    if (t.front() == '#' || !header_seen_) {
      line(text, bytes_before);
      return;
    }
    ++line_no_;
    if (pending_error_) throw Error(ExitCode::Io, *pending_error_);
    d_.truncated = true;
    d_.notes.push_back(fmt::format("{}:{}: the last line has no line end (the file may be truncated): it was not read",
                                   d_.source, line_no_));
  }

  void finish() {
    flush();
    if (!header_seen_) throw Error(ExitCode::Io, fmt::format("{}: no header line (column names) found: not a Stan CSV file", d_.source));
    if (pending_error_) {
      d_.truncated = true;
      d_.notes.push_back(*pending_error_ + " (the last line: the file may be truncated; it was not read)");
    }
    drop_unmarked_warmup();
    // The reserve estimate is a little generous: give memory back only when it was far off.
    for (auto& col : d_.values)
      if (col.capacity() > col.size() + col.size() / 4 + 1024) col.shrink_to_fit();
  }

 private:
  void header(std::string_view text) {
    header_seen_ = true;
    while (true) {
      std::size_t comma = text.find(',');
      std::string_view name = trim(text.substr(0, comma));
      if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
      d_.columns.emplace_back(name);
      if (comma == std::string_view::npos) break;
      text.remove_prefix(comma + 1);
    }
    d_.values.resize(d_.columns.size());
  }

  void data(std::string_view text, std::size_t bytes_before) {
    const std::size_t ncol = d_.values.size();
    if (d_.values[0].capacity() == 0) reserve_for(text.size() + 1, bytes_before);
    const std::size_t start = block_.size();
    block_.resize(start + ncol);
    double* out = block_.data() + start;
    const char* p = text.data();
    const char* end = p + text.size();
    for (std::size_t j = 0; j < ncol; ++j) {
      auto [next, ec] = std::from_chars(p, end, out[j]);
      if (ec != std::errc() || (next != end && *next != ',')) {  // slow path: other spellings
        const char* comma = static_cast<const char*>(std::memchr(p, ',', static_cast<std::size_t>(end - p)));
        next = comma ? comma : end;
        std::string_view field(p, static_cast<std::size_t>(next - p));
        auto slow = parse_token(field);
        if (!slow) {
          reject(start, fmt::format("'{}' in column {} ({}) is not a number", field, j + 1, d_.columns[j]));
          return;
        }
        out[j] = *slow;
      }
      if ((next == end) != (j + 1 == ncol)) {  // too few or too many values
        std::size_t fields = static_cast<std::size_t>(std::count(text.begin(), text.end(), ',')) + 1;
        reject(start, fmt::format("{} values, but the header has {} columns", fields, ncol));
        return;
      }
      p = next + 1;
    }
    if (block_.size() >= kBlockRows * ncol) flush();
  }

  /// A malformed line: takes back its values and remembers the error (see line()).
  void reject(std::size_t start, const std::string& why) {
    block_.resize(start);
    pending_error_ = fmt::format("{}:{}: {}", d_.source, line_no_, why);
  }

  /// Moves the rows parsed so far (row-major, for locality while parsing) into the columns.
  void flush() {
    const std::size_t ncol = d_.values.size();
    if (ncol == 0 || block_.empty()) return;
    const std::size_t rows = block_.size() / ncol;
    for (std::size_t j = 0; j < ncol; ++j) {
      auto& col = d_.values[j];
      for (std::size_t r = 0; r < rows; ++r) col.push_back(block_[r * ncol + j]);
    }
    block_.clear();
  }

  /// Reserves room for the rows the rest of the file probably holds (lines about this long).
  void reserve_for(std::size_t line_bytes, std::size_t bytes_before) {
    if (file_size_ <= bytes_before) return;
    std::size_t estimate = (file_size_ - bytes_before) / std::max<std::size_t>(line_bytes, 1);
    estimate = estimate + estimate / 16 + 16;
    for (auto& col : d_.values) col.reserve(estimate);
  }

  void comment(std::string_view text) {
    if (text.starts_with("chain ")) {  // csv-long footer: "chain N: key = value"
      std::size_t colon = text.find(':');
      if (colon != std::string_view::npos && colon > 6) {
        std::string_view num = text.substr(6, colon - 6);
        if (num.find_first_not_of("0123456789") == std::string_view::npos) {
          d_.chain_notes.emplace_back(std::stoi(std::string(num)), std::string(trim(text.substr(colon + 1))));
          return;
        }
      }
    }
    if (in_metric_) {
      if (auto numbers = parse_number_list(text)) {
        d_.inv_metric.insert(d_.inv_metric.end(), numbers->begin(), numbers->end());
        return;
      }
      in_metric_ = false;
    }
    if (text == "Adaptation terminated") {
      adaptation_seen_ = true;
      flush();
      drop_warmup_rows(d_.num_draws());
      return;
    }
    if (text.starts_with("Step size")) {
      std::size_t eq = text.find('=');
      if (eq != std::string_view::npos) d_.step_size = parse_token(text.substr(eq + 1));
      return;
    }
    if (text.find("inverse mass matrix") != std::string_view::npos || text.find("inverse metric") != std::string_view::npos) {
      in_metric_ = true;
      d_.inv_metric.clear();
      return;
    }
    if (text.find("seconds (Warm-up)") != std::string_view::npos) {
      d_.warmup_seconds = seconds_value(text);
      return;
    }
    if (text.find("seconds (Sampling)") != std::string_view::npos) {
      d_.sampling_seconds = seconds_value(text);
      return;
    }
    key_value(text);
  }

  void key_value(std::string_view text) {
    std::size_t eq = text.find('=');
    if (eq == std::string_view::npos) return;
    std::string_view key = trim(text.substr(0, eq));
    std::string_view value = trim(text.substr(eq + 1));
    if (key.empty() || key.find(' ') != std::string_view::npos) return;
    constexpr std::string_view dflt = "(Default)";
    if (value.ends_with(dflt)) value = trim(value.substr(0, value.size() - dflt.size()));
    d_.config.emplace_back(key, value);
    if (key == "interrupted" && value == "1") d_.interrupted = true;
  }

  void drop_warmup_rows(std::size_t n) {
    n = std::min(n, d_.num_draws());
    if (n == 0) return;
    for (auto& col : d_.values) col.erase(col.begin(), col.begin() + static_cast<std::ptrdiff_t>(n));
    d_.warmup_draws_dropped += n;
  }

  /// Saved warm-up without an "Adaptation terminated" mark (adaptation off): drop num_warmup/thin rows.
  void drop_unmarked_warmup() {
    if (adaptation_seen_) return;
    auto save = d_.config_value("save_warmup");
    if (!save || !(*save == "1" || *save == "true" || *save == "TRUE")) return;
    auto warmup = parse_token(d_.config_value("num_warmup").value_or("0"));
    auto thin = parse_token(d_.config_value("thin").value_or("1"));
    if (!warmup || !thin || !(*warmup > 0) || !(*thin >= 1)) return;
    drop_warmup_rows(static_cast<std::size_t>(std::ceil(*warmup / *thin)));
  }

  ChainDraws& d_;
  std::size_t file_size_;
  std::size_t line_no_ = 0;
  bool header_seen_ = false;
  bool in_metric_ = false;
  bool adaptation_seen_ = false;
  std::optional<std::string> pending_error_;  // a malformed data line: an error unless it was the last
  static constexpr std::size_t kBlockRows = 256;
  std::vector<double> block_;                 // parsed rows not yet moved into the columns
};

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

ChainDraws read_stan_csv(const std::string& path) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) throw Error(ExitCode::Io, fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  std::size_t file_size = 0;
  if (std::fseek(file.get(), 0, SEEK_END) == 0) {
    long n = std::ftell(file.get());
    if (n > 0) file_size = static_cast<std::size_t>(n);
    std::fseek(file.get(), 0, SEEK_SET);
  }

  ChainDraws d;
  d.source = path;
  Parser parser(d, file_size);
  constexpr std::size_t kChunk = std::size_t{1} << 22;  // 4 MiB reads
  std::vector<char> buf(kChunk);
  std::size_t held = 0;       // bytes of an unfinished line kept at the front of buf
  std::size_t consumed = 0;   // file offset of buf[0]
  while (true) {
    if (buf.size() - held < kChunk / 2) buf.resize(std::max(buf.size() * 2, held + kChunk));  // a very long line
    std::size_t got = std::fread(buf.data() + held, 1, buf.size() - held, file.get());
    if (got == 0) {
      if (std::ferror(file.get())) throw Error(ExitCode::Io, fmt::format("{}: read error: {}", path, std::strerror(errno)));
      break;
    }
    const char* begin = buf.data();
    const char* end = buf.data() + held + got;
    const char* line = begin;
    while (true) {
      const char* nl = static_cast<const char*>(std::memchr(line, '\n', static_cast<std::size_t>(end - line)));
      if (!nl) break;
      parser.line(std::string_view(line, static_cast<std::size_t>(nl - line)), consumed + static_cast<std::size_t>(line - begin));
      line = nl + 1;
    }
    held = static_cast<std::size_t>(end - line);
    consumed += static_cast<std::size_t>(line - begin);
    std::memmove(buf.data(), line, held);
  }
  if (held > 0) parser.unterminated_last_line(std::string_view(buf.data(), held), consumed);
  parser.finish();
  return d;
}

}  // namespace mcmc::io

namespace mcmc::io {

std::vector<ChainDraws> split_chains(ChainDraws all) {
  std::vector<ChainDraws> out;
  if (all.columns.size() < 3 || all.columns[0] != "chain__" || all.columns[1] != "draw__" ||
      all.columns[2] != "warmup__") {
    out.push_back(std::move(all));
    return out;
  }
  const auto& chain = all.values[0];
  const auto& warm = all.values[2];
  std::map<int, std::size_t> index;  // chain id -> position in out
  auto slot = [&](int id) -> ChainDraws& {
    auto it = index.find(id);
    if (it != index.end()) return out[it->second];
    ChainDraws d;
    d.source = all.source + " (chain " + std::to_string(id) + ")";
    d.columns.assign(all.columns.begin() + 3, all.columns.end());
    d.values.resize(d.columns.size());
    d.config = all.config;
    d.truncated = all.truncated;
    d.notes = all.notes;
    index.emplace(id, out.size());
    out.push_back(std::move(d));
    return out.back();
  };
  for (std::size_t i = 0; i < chain.size(); ++i) {
    ChainDraws& d = slot(static_cast<int>(chain[i]));
    if (warm[i] != 0) {
      ++d.warmup_draws_dropped;
      continue;
    }
    for (std::size_t j = 3; j < all.columns.size(); ++j) d.values[j - 3].push_back(all.values[j][i]);
  }
  for (const auto& [id, text] : all.chain_notes) {
    ChainDraws& d = slot(id);
    std::size_t eq = text.find('=');
    if (eq == std::string::npos) continue;
    std::string key = std::string(trim(std::string_view(text).substr(0, eq)));
    std::string_view value = trim(std::string_view(text).substr(eq + 1));
    if (key == "step_size") d.step_size = parse_token(value);
    if (key == "inv_metric")
      if (auto numbers = parse_number_list(value)) d.inv_metric = *numbers;
    if (key == "warmup_seconds") d.warmup_seconds = parse_token(value);
    if (key == "sampling_seconds") d.sampling_seconds = parse_token(value);
    if (key == "interrupted" && value == "1") d.interrupted = true;
  }
  // Chain order by id.
  std::vector<ChainDraws> sorted;
  for (auto& [id, pos] : index) sorted.push_back(std::move(out[pos]));
  return sorted;
}

}  // namespace mcmc::io
