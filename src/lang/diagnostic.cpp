// Positioned model errors: `file:line:col: error: message`, the source line and a caret under the column.
#include "lang/diagnostic.hpp"

#include <vector>

namespace mcmc::lang {

namespace {

/// The text of 1-based line `line` (without its newline / carriage return).
std::string_view source_line(std::string_view source, int line) {
  std::size_t begin = 0;
  for (int l = 1; l < line; ++l) {
    std::size_t nl = source.find('\n', begin);
    if (nl == std::string_view::npos) return {};
    begin = nl + 1;
  }
  std::size_t end = source.find('\n', begin);
  if (end == std::string_view::npos) end = source.size();
  if (end > begin && source[end - 1] == '\r') --end;
  return source.substr(begin, end - begin);
}

/// Splits a line into printable UTF-8 characters; control characters (except tab) and malformed
/// bytes are shown as '?', one per byte, so the message stays printable text.
std::vector<std::string_view> characters(std::string_view line) {
  std::vector<std::string_view> chars;
  std::size_t i = 0;
  while (i < line.size()) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool valid = len > 0 && i + len <= line.size();
    for (std::size_t k = 1; valid && k < len; ++k)
      valid = (static_cast<unsigned char>(line[i + k]) & 0xC0) == 0x80;
    if (!valid || (c < 0x20 && c != '\t') || c == 0x7F) {
      chars.push_back("?");
      ++i;
      continue;
    }
    chars.push_back(line.substr(i, len));
    i += len;
  }
  return chars;
}

constexpr std::size_t kMaxShown = 160;  // longer lines are shown as a window around the column

}  // namespace

std::string format_diagnostic(std::string_view file, std::string_view source, Pos pos,
                              std::string_view message) {
  std::string out(file);
  if (pos.line > 0) {
    out += ':';
    out += std::to_string(pos.line);
    out += ':';
    out += std::to_string(std::max(pos.col, 1));
  }
  out += ": error: ";
  out += message;
  if (pos.line <= 0) return out;
  std::vector<std::string_view> chars = characters(source_line(source, pos.line));
  std::size_t col = static_cast<std::size_t>(std::max(pos.col, 1)) - 1;  // 0-based character index
  std::size_t first = 0, last = chars.size();
  if (chars.size() > kMaxShown) {
    first = col > kMaxShown / 2 ? col - kMaxShown / 2 : 0;
    last = std::min(chars.size(), first + kMaxShown);
    if (last - first < kMaxShown) first = last > kMaxShown ? last - kMaxShown : 0;
  }
  std::string shown = "  ", caret = "  ";
  if (first > 0) shown += "...", caret += "   ";
  for (std::size_t i = first; i < last; ++i) {
    shown += chars[i];
    if (i < col) caret += chars[i] == "\t" ? '\t' : ' ';
  }
  if (last < chars.size()) shown += "...";
  for (std::size_t i = std::max(last, first); i < col; ++i) caret += ' ';
  caret += '^';
  out += "\n" + shown + "\n" + caret;
  return out;
}

Error model_error(std::string_view file, std::string_view source, Pos pos, std::string_view message) {
  return Error(ExitCode::ModelOrData, format_diagnostic(file, source, pos, message));
}

}  // namespace mcmc::lang
