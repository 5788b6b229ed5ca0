// Reading `mcmc run --config FILE`: CLI11's TOML parser, with relative paths resolved against the file's folder.
#include "cli/config_file.hpp"

#include "cli/commands.hpp"

#include <filesystem>
#include <sstream>

namespace mcmc::cli {
namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

}  // namespace

std::vector<CLI::ConfigItem> ConfigFile::from_config(std::istream& input) const {
  const CLI::Option* config = app_->get_config_ptr();
  file_ = config && config->count() > 0 ? config->as<std::string>() : std::string();
  std::stringstream text;
  text << input.rdbuf();
  // Each key's line: "[section]" headers and "key = value" lines.
  lines_.clear();
  std::string section, line;
  std::istringstream lines(text.str());
  for (int n = 1; std::getline(lines, line); ++n) {
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    if (t.front() == '[' && t.back() == ']') {
      section = trim(t.substr(1, t.size() - 2));
      continue;
    }
    const auto eq = t.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = trim(t.substr(0, eq));
    lines_.emplace(section.empty() ? key : section + "." + key, n);
  }
  std::vector<CLI::ConfigItem> items = CLI::ConfigTOML::from_config(text);
  const std::filesystem::path dir = std::filesystem::path(file_).parent_path();
  if (dir.empty()) return items;
  for (CLI::ConfigItem& item : items) {
    if (!path_keys_.count(item.name) || item.inputs.size() != 1) continue;
    std::string& value = item.inputs[0];
    if (value.empty() || value == "-" || parse_number(value) || std::filesystem::path(value).is_absolute()) continue;
    if (item.name == "init" && value == "pathfinder") continue;  // --init pathfinder: a method, not a file
    value = (dir / value).string();
  }
  return items;
}

int ConfigFile::line_of(const std::string& full_key) const {
  auto it = lines_.find(full_key);
  return it == lines_.end() ? 0 : it->second;
}

}  // namespace mcmc::cli
