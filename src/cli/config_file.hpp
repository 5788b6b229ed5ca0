// The --config TOML reader: path values relative to the file's folder, and each key's line for messages.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>

#include <CLI/CLI.hpp>

namespace mcmc::cli {

/// CLI11's TOML reader, plus: the values of `path_keys` (model, data, ...) that are relative paths
/// are taken relative to the config file's folder, not the working directory; and the line of
/// every key is remembered, so that an unknown key can be reported as file:line.
class ConfigFile : public CLI::ConfigTOML {
 public:
  /// `app` holds the --config option (read while parsing to learn the file's name).
  ConfigFile(const CLI::App* app, std::set<std::string> path_keys)
      : app_(app), path_keys_(std::move(path_keys)) {}

  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override;

  /// The file being read ("" before), and the line of a key ("run.adapt_delta"), 0 if unknown.
  const std::string& file() const { return file_; }
  int line_of(const std::string& full_key) const;

 private:
  const CLI::App* app_;
  std::set<std::string> path_keys_;
  mutable std::string file_;
  mutable std::map<std::string, int> lines_;
};

}  // namespace mcmc::cli
