// Helpers shared by the io tests: a temporary directory that cleans up after itself.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace mcmc::io::test {

/// A fresh empty directory under the system temp directory, removed at scope exit.
struct TempDir {
  std::filesystem::path path;
  TempDir(const std::string& prefix, const std::string& name) {
    path = std::filesystem::temp_directory_path() / (prefix + name + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path / name).string(); }
  /// Writes `text` to a file in the directory and returns its path.
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(file(name), std::ios::binary) << text;
    return file(name);
  }
};

}  // namespace mcmc::io::test
