// The JSON output reader: a SAX handler that keeps only the columns' doubles and the few small fields.
#include "io/json_reader.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/error.hpp"

namespace mcmc::io {
namespace {

using json = nlohmann::json;

/// Follows the path of each SAX event and stores what the summary needs.
class Handler : public nlohmann::json_sax<json> {
 public:
  explicit Handler(std::string path) : path_(std::move(path)) {}

  std::vector<ChainDraws> chains;
  std::vector<std::string> columns;
  std::string format;
  std::optional<std::string> error;

  bool null() override { return scalar(std::nullopt, std::nullopt); }
  bool boolean(bool v) override {
    if (leaf_is({"chains", "[]", "footer", "complete"}) && !v) chain().interrupted = true;
    return true;
  }
  bool number_integer(number_integer_t v) override { return number(static_cast<double>(v)); }
  bool number_unsigned(number_unsigned_t v) override { return number(static_cast<double>(v)); }
  bool number_float(number_float_t v, const string_t&) override { return number(v); }
  bool string(string_t& v) override {
    if (in_row_) {
      if (v == "NaN") return push(std::numeric_limits<double>::quiet_NaN());
      if (v == "Inf") return push(std::numeric_limits<double>::infinity());
      if (v == "-Inf") return push(-std::numeric_limits<double>::infinity());
      return fail(fmt::format("draw value \"{}\" is not a number", v));
    }
    return scalar(std::nullopt, v);
  }
  bool binary(binary_t&) override { return true; }

  bool start_object(std::size_t) override {
    enter();
    stack_.push_back({false, ""});
    if (path_is({"chains", "[]"})) {
      chains.emplace_back();
      chains.back().source = path_;
      chains.back().columns = columns;
      chains.back().values.resize(columns.size());
      chains.back().config = config_;  // "config" precedes "chains" in the layout
    }
    return true;
  }
  bool key(string_t& k) override {
    stack_.back().key = k;
    return true;
  }
  bool end_object() override { return leave(); }
  bool start_array(std::size_t) override {
    enter();
    stack_.push_back({true, ""});
    if (path_is({"chains", "[]", "draws", "[]"})) {
      if (chains.empty() || columns.empty()) return fail("draws before the column names");
      in_row_ = true;
      row_.clear();
    }
    if (path_is({"chains", "[]", "adaptation", "inv_metric"})) chain().inv_metric.clear();
    return true;
  }
  bool end_array() override {
    if (in_row_) {
      in_row_ = false;
      if (row_.size() != columns.size())
        return fail(fmt::format("a draw of chain {} has {} values but there are {} columns", chains.size(), row_.size(),
                                columns.size()));
      ChainDraws& c = chain();
      for (std::size_t j = 0; j < row_.size(); ++j) c.values[j].push_back(row_[j]);
    }
    return leave();
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
    error = fmt::format("{}: not valid JSON at byte {} (the file may be truncated): {}", path_, position, ex.what());
    return false;
  }

 private:
  struct Frame {
    bool is_array;
    std::string key;
  };

  bool fail(const std::string& message) {
    error = fmt::format("{}: {}", path_, message);
    return false;
  }
  ChainDraws& chain() { return chains.back(); }

  /// The name under which the next value sits in its parent: its key, or "[]" in an array.
  std::string_view leaf() const {
    if (stack_.empty()) return "";
    if (stack_.back().is_array) return "[]";
    return stack_.back().key;
  }
  void enter() { names_.emplace_back(leaf()); }
  bool leave() {
    stack_.pop_back();
    names_.pop_back();
    return true;
  }
  /// Whether the containers enclosing the next value are named `want` (below the top object).
  bool path_is(std::initializer_list<std::string_view> want) const {
    if (names_.size() != want.size() + 1) return false;  // names_[0] is the top object's (empty) name
    std::size_t i = 1;
    for (std::string_view w : want)
      if (names_[i++] != w) return false;
    return true;
  }
  /// Whether the next value's full path (enclosing containers, then its own name) is `want`.
  bool leaf_is(std::initializer_list<std::string_view> want) const {
    if (names_.size() != want.size()) return false;
    std::size_t i = 1;
    auto it = want.begin();
    for (; i < names_.size(); ++i, ++it)
      if (names_[i] != *it) return false;
    return leaf() == *it;
  }

  bool push(double v) {
    row_.push_back(v);
    return true;
  }

  bool number(double v) {
    if (in_row_) return push(v);
    return scalar(v, std::nullopt);
  }

  bool scalar(std::optional<double> num, std::optional<std::string> text) {
    if (stack_.size() == 1) {  // a top-level field
      const std::string& k = stack_.back().key;
      if (k == "format" && text) format = *text;
    } else if (path_is({"config"}) && text) {
      config_.emplace_back(stack_.back().key, *text);
    } else if (path_is({"run"}) && num) {  // the run footer, under the keys the CSV formats use
      config_.emplace_back("run_" + stack_.back().key, fmt::format("{}", *num));
    } else if (path_is({"columns"}) && text) {
      columns.push_back(*text);
    } else if (path_is({"chains", "[]", "adaptation"}) && num && stack_.back().key == "step_size") {
      chain().step_size = *num;
    } else if (path_is({"chains", "[]", "adaptation", "inv_metric"}) && num) {
      chain().inv_metric.push_back(*num);
    } else if (path_is({"chains", "[]", "footer"}) && num) {
      if (stack_.back().key == "warmup_seconds") chain().warmup_seconds = *num;
      if (stack_.back().key == "sampling_seconds") chain().sampling_seconds = *num;
    }
    return true;
  }

  std::string path_;
  std::vector<Frame> stack_;
  std::vector<std::string> names_;
  std::vector<std::pair<std::string, std::string>> config_;
  bool in_row_ = false;
  std::vector<double> row_;
};

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

std::vector<ChainDraws> read_json_output(const std::string& path) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) throw Error(ExitCode::Io, fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  std::setvbuf(file.get(), nullptr, _IOFBF, std::size_t{1} << 20);
  Handler handler(path);
  bool ok = json::sax_parse(file.get(), &handler);
  if (!ok || handler.error) throw Error(ExitCode::Io, handler.error.value_or(path + ": not valid JSON"));
  if (handler.format != "mcmc-draws")
    throw Error(ExitCode::Io, fmt::format("{}: not an mcmc JSON output file (\"format\" is \"{}\", expected \"mcmc-draws\")",
                                          path, handler.format));
  for (ChainDraws& c : handler.chains)
    for (auto& col : c.values) col.shrink_to_fit();
  return std::move(handler.chains);
}

}  // namespace mcmc::io
