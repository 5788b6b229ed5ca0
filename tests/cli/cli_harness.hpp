// Helpers for the end-to-end tests of the `mcmc` binary: running it, temporary directories, reading Stan CSV.
#pragma once

#include <stdlib.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace cli_test {

namespace fs = std::filesystem;

inline const std::string kBinary = MCMC_BINARY;
inline const std::string kRoot = MCMC_SOURCE_DIR;
inline const std::string kTestData = MCMC_TEST_DATA_DIR;

inline std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw std::runtime_error("cannot write " + path.string());
  out << text;
}

inline std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream ss(text);
  while (std::getline(ss, item, sep)) out.push_back(item);
  return out;
}

inline std::vector<std::string> lines_of(const std::string& text) { return split(text, '\n'); }

inline bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

inline bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

/// A fresh directory under the system temporary directory, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "mcmc_cli_XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

/// What a finished process left: its exit code (128 + signal if killed) and its two output streams.
struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

/// Runs a shell command line from the repository root, capturing stdout and stderr.
inline Result run_shell(const std::string& command_line) {
  TempDir capture;
  const std::string out = capture / "stdout", err = capture / "stderr";
  const std::string full = "cd " + shell_quote(kRoot) + " && " + command_line + " >" + shell_quote(out) + " 2>" +
                           shell_quote(err) + " </dev/null";
  const int status = std::system(full.c_str());
  Result r;
  if (status == -1) throw std::runtime_error("std::system failed");
  if (WIFEXITED(status)) {
    r.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    r.code = 128 + WTERMSIG(status);
  }
  r.out = read_text(out);
  r.err = read_text(err);
  return r;
}

/// Runs the built `mcmc` binary with these arguments, from the repository root.
inline Result run_mcmc(const std::vector<std::string>& args) {
  std::string command = shell_quote(kBinary);
  for (const std::string& a : args) command += " " + shell_quote(a);
  return run_shell(command);
}

/// A Python 3 interpreter with xarray and netCDF4 (Debian's python3-xarray, python3-netcdf4):
/// /usr/bin/python3 first (a python3 earlier on PATH may lack Debian's modules), else python3;
/// "" when neither imports them.
inline std::string python_with_xarray() {
  static const std::string found = [] {
    const std::vector<std::string> candidates = {"/usr/bin/python3", "python3"};
    for (const std::string& candidate : candidates) {
      std::string command = shell_quote(candidate);
      command += " -c 'import xarray, netCDF4'";
      if (run_shell(command).code == 0) return candidate;
    }
    return std::string();
  }();
  return found;
}

/// One Stan CSV file, split into its parts.
struct StanCsv {
  std::vector<std::string> config;            // the '#' lines before the header
  std::vector<std::string> header;            // the column names
  std::vector<std::string> adaptation;        // the '#' lines between the header and the first draw
  std::vector<std::string> draw_lines;        // the draw rows exactly as written
  std::vector<std::vector<double>> rows;      // the same rows as numbers
  std::vector<std::string> footer;            // the '#' lines after the draws

  std::size_t column(const std::string& name) const {
    for (std::size_t j = 0; j < header.size(); ++j)
      if (header[j] == name) return j;
    throw std::runtime_error("no column " + name);
  }

  std::vector<double> values(const std::string& name) const {
    const std::size_t j = column(name);
    std::vector<double> out;
    for (const auto& row : rows) out.push_back(row.at(j));
    return out;
  }

  /// The value of the first `# ... key = value` line of the configuration echo, without " (Default)";
  /// "" if there is none.
  std::string config_value(const std::string& key) const {
    for (const std::string& line : config) {
      std::string body = line.substr(1);
      const std::size_t first = body.find_first_not_of(' ');
      if (first == std::string::npos) continue;
      body = body.substr(first);
      if (!starts_with(body, key + " = ")) continue;
      std::string value = body.substr(key.size() + 3);
      const std::string def = " (Default)";
      if (value.size() >= def.size() && value.compare(value.size() - def.size(), def.size(), def) == 0)
        value.resize(value.size() - def.size());
      return value;
    }
    return "";
  }
};

inline StanCsv parse_stan_csv(const std::string& text) {
  StanCsv csv;
  bool have_header = false;
  for (const std::string& line : lines_of(text)) {
    if (line.empty()) continue;
    if (line[0] == '#') {
      if (!have_header) {
        csv.config.push_back(line);
      } else if (csv.rows.empty()) {
        csv.adaptation.push_back(line);
      } else {
        csv.footer.push_back(line);
      }
      continue;
    }
    if (!have_header) {
      csv.header = split(line, ',');
      have_header = true;
      continue;
    }
    if (!csv.footer.empty()) throw std::runtime_error("a draw after the footer: " + line);
    std::vector<double> row;
    for (const std::string& cell : split(line, ',')) row.push_back(std::stod(cell));
    if (row.size() != csv.header.size()) throw std::runtime_error("row width differs from the header: " + line);
    csv.draw_lines.push_back(line);
    csv.rows.push_back(std::move(row));
  }
  if (!have_header) throw std::runtime_error("no header row");
  return csv;
}

inline StanCsv read_stan_csv(const fs::path& path) { return parse_stan_csv(read_text(path)); }

/// The per-chain files `stem_1.csv` ... `stem_n.csv` in `dir`.
inline std::vector<StanCsv> read_chains(const fs::path& dir, const std::string& stem, int n) {
  std::vector<StanCsv> out;
  for (int c = 1; c <= n; ++c) out.push_back(read_stan_csv(dir / (stem + "_" + std::to_string(c) + ".csv")));
  return out;
}

/// Every chain's draw lines, each prefixed by its chain number: what must not change between equivalent runs.
inline std::string all_draw_lines(const std::vector<StanCsv>& chains) {
  std::string out;
  for (std::size_t c = 0; c < chains.size(); ++c)
    for (const std::string& line : chains[c].draw_lines) out += std::to_string(c + 1) + ":" + line + "\n";
  return out;
}

}  // namespace cli_test
