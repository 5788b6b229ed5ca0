// Reads Stan JSON data / init files with a SAX parser, so that duplicate keys, ragged arrays and bad values are reported by name.
#include "io/data.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string_view>

#include "util/error.hpp"

namespace mcmc::io {

const DataValue* DataSet::find(const std::string& name) const {
  auto it = vars.find(name);
  return it == vars.end() ? nullptr : &it->second;
}

namespace {

constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53
constexpr std::int64_t kMaxExactInt = std::int64_t{1} << 53;

/// The non-finite spellings Stan's JSON reader accepts as strings.
std::optional<double> special_value(std::string_view s) {
  const double inf = std::numeric_limits<double>::infinity();
  if (s == "NaN" || s == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (s == "Inf" || s == "inf" || s == "Infinity" || s == "+Inf" || s == "+inf" || s == "+Infinity") return inf;
  if (s == "-Inf" || s == "-inf" || s == "-Infinity") return -inf;
  return std::nullopt;
}

/// Line and column (1-based) of the byte at `offset` (0-based) in `text`.
std::pair<std::size_t, std::size_t> line_column(const std::string& text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1, line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, offset - line_start + 1};
}

/// nlohmann's message without its "[json.exception...] parse error at line L, column C: " prefix.
std::string parse_error_reason(const std::string& what) {
  auto at = what.find("parse error");
  if (at != std::string::npos) {
    auto colon = what.find(": ", at);
    if (colon != std::string::npos) return what.substr(colon + 2);
  }
  // Other nlohmann errors ("[json.exception.out_of_range.406] number overflow ..."): drop the tag.
  if (what.rfind("[json.exception.", 0) == 0) {
    auto close = what.find("] ");
    if (close != std::string::npos) return what.substr(close + 2);
  }
  return what;
}

/// SAX handler building a DataSet; throws mcmc::Error on the first problem.
class DataHandler : public nlohmann::json_sax<nlohmann::json> {
 public:
  DataHandler(const std::string& text, DataSet& out) : text_(text), out_(out) {}

  bool null() override { return bad_value("null"); }
  bool boolean(bool) override { return bad_value("a boolean"); }
  bool number_integer(number_integer_t v) override {
    const bool exact = v <= kMaxExactInt && v >= -kMaxExactInt;
    return integer(static_cast<double>(v), exact, std::to_string(v));
  }
  bool number_unsigned(number_unsigned_t v) override {
    const bool exact = v <= static_cast<number_unsigned_t>(kMaxExactInt);
    return integer(static_cast<double>(v), exact, std::to_string(v));
  }
  bool number_float(number_float_t v, const string_t& raw) override {
    // Integer literals beyond 64 bits arrive here; they are still integers as written.
    if (raw.find_first_of(".eE") == std::string::npos) return integer(v, std::abs(v) <= kMaxExactInteger, raw);
    return leaf(v, false);
  }
  bool string(string_t& s) override {
    if (depth_ == 0) return top_level_not_object("a string");
    if (auto v = special_value(s)) return leaf(*v, false);
    fail(var_message("unexpected string \"" + s +
                     "\" (expected a number, an array of numbers, or one of \"NaN\", \"Inf\", \"-Inf\")"));
  }
  bool binary(binary_t&) override { return bad_value("binary data"); }

  bool start_object(std::size_t) override {
    if (depth_ == 0) {
      depth_ = 1;
      return true;
    }
    fail(var_message("unexpected object (expected a number or an array of numbers)"));
  }
  bool end_object() override {
    depth_ = 0;
    return true;
  }
  bool key(string_t& k) override {
    if (!seen_.insert(k).second) fail(file_prefix() + ": duplicate variable '" + k + "'");
    name_ = k;
    value_ = DataValue{};
    rank_.reset();
    dims_.clear();
    counts_.clear();
    return true;
  }

  bool start_array(std::size_t) override {
    if (depth_ == 0) return top_level_not_object("an array");
    if (rank_ && counts_.size() == *rank_) {
      fail(var_message("ragged array (element " + std::to_string(counts_.back() + 1) +
                       " is an array, expected a number)"));
    }
    if (!counts_.empty()) ++counts_.back();
    counts_.push_back(0);
    return true;
  }
  bool end_array() override {
    std::size_t level = counts_.size() - 1;
    std::size_t count = counts_.back();
    counts_.pop_back();
    if (!rank_) {  // an empty array with no numbers seen yet: its level is the innermost dimension
      rank_ = level + 1;
      dims_.assign(*rank_, std::nullopt);
    }
    if (!dims_[level]) {
      dims_[level] = count;
    } else if (*dims_[level] != count) {
      std::string which = level == 0 ? "the array" : "element " + std::to_string(counts_.back());
      fail(var_message("ragged array (" + which + " has " + std::to_string(count) + " entries, expected " +
                       std::to_string(*dims_[level]) + ")"));
    }
    if (counts_.empty()) finish_variable();
    return true;
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
    auto [line, col] = line_column(text_, position == 0 ? 0 : position - 1);
    fail(file_prefix() + ": malformed JSON at line " + std::to_string(line) + ", column " + std::to_string(col) +
         ": " + parse_error_reason(ex.what()));
  }

 private:
  [[noreturn]] void fail(const std::string& message) { throw Error(ExitCode::ModelOrData, message); }

  std::string file_prefix() const { return "data file '" + out_.file + "'"; }
  std::string var_message(const std::string& what) const {
    return file_prefix() + ": variable '" + name_ + "': " + what;
  }

  bool top_level_not_object(const std::string& found) {
    fail(file_prefix() + ": the top level must be an object ({\"name\": value, ...}), found " + found);
  }

  bool bad_value(const std::string& found) {
    if (depth_ == 0) return top_level_not_object(found);
    fail(var_message("unexpected " + found + " (expected a number or an array of numbers)"));
  }

  bool integer(double v, bool exact, const std::string& spelled) {
    if (depth_ == 0) return top_level_not_object("a number");
    if (!exact) {
      fail(var_message("integer " + spelled + " is too large to be represented exactly (beyond 2^53)"));
    }
    return leaf(v, true);
  }

  bool leaf(double v, bool is_int) {
    if (depth_ == 0) return top_level_not_object("a number");
    if (!rank_) {
      rank_ = counts_.size();
      dims_.assign(*rank_, std::nullopt);
    } else if (counts_.size() != *rank_) {
      fail(var_message("ragged array (element " + std::to_string(counts_.back() + 1) +
                       " is a number, expected an array)"));
    }
    if (!counts_.empty()) ++counts_.back();
    value_.values.push_back(v);
    value_.all_int = value_.all_int && is_int;
    if (counts_.empty()) finish_variable();
    return true;
  }

  void finish_variable() {
    value_.dims.clear();
    for (auto& d : dims_) value_.dims.push_back(d.value_or(0));
    out_.vars[name_] = std::move(value_);
    value_ = DataValue{};
  }

  const std::string& text_;
  DataSet& out_;
  int depth_ = 0;  // 0 outside the top-level object, 1 inside it
  std::set<std::string> seen_;
  std::string name_;
  DataValue value_;
  std::optional<std::size_t> rank_;                  // nesting depth of the numbers, once known
  std::vector<std::optional<std::size_t>> dims_;     // extent at each nesting level, once known
  std::vector<std::size_t> counts_;                  // elements so far in each open array
};

bool only_whitespace(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

std::string read_whole_file(const std::string& path) {
  auto io_error = [&](int err) {
    return Error(ExitCode::Io, "cannot read data file '" + path + "': " + std::strerror(err));
  };
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw io_error(errno);
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw io_error(EISDIR);
  }
  std::string text;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      throw io_error(err);
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return text;
}

}  // namespace

DataSet parse_data_json(const std::string& text, const std::string& file) {
  DataSet out;
  out.file = file;
  if (only_whitespace(text)) throw Error(ExitCode::ModelOrData, "data file '" + file + "' is empty");
  DataHandler handler(text, out);
  nlohmann::json::sax_parse(text, &handler);
  return out;
}

DataSet read_data_json(const std::string& path) { return parse_data_json(read_whole_file(path), path); }

}  // namespace mcmc::io
