// One netCDF-4 file handle with checked library calls, and the one lock every netCDF call is made under.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace mcmc::io {

/// The netCDF library (and HDF5 beneath it) is not thread-safe: every call into it, from any
/// file, is made holding this mutex.
std::mutex& netcdf_mutex();

/// Owns an open netCDF file (the caller holds netcdf_mutex() around every use). check() turns a
/// library status into mcmc::Error(ExitCode::Io) naming the file and what was being done.
class NetcdfFile {
 public:
  /// Creates (or truncates) a netCDF-4 / HDF5 file.
  static NetcdfFile create(const std::string& path);
  /// Opens an existing netCDF file read-only.
  static NetcdfFile open(const std::string& path);

  NetcdfFile() = default;
  NetcdfFile(NetcdfFile&& other) noexcept;
  NetcdfFile& operator=(NetcdfFile&& other) noexcept;
  NetcdfFile(const NetcdfFile&) = delete;
  NetcdfFile& operator=(const NetcdfFile&) = delete;
  ~NetcdfFile();  // closes without throwing; call close() to see errors

  void close();
  bool is_open() const { return id_ >= 0; }
  int id() const { return id_; }
  const std::string& path() const { return path_; }
  void check(int status, const std::string& what) const;

  // Definitions (return the new id).
  int def_group(int parent, const std::string& name) const;
  int def_dim(int group, const std::string& name, std::size_t length) const;  // 0: unlimited
  int def_var(int group, const std::string& name, int type, const std::vector<int>& dims) const;
  // Attributes (`var` may be NC_GLOBAL).
  void put_text(int group, int var, const std::string& name, const std::string& value) const;
  void put_doubles(int group, int var, const std::string& name, const std::vector<double>& values) const;
  void put_int64s(int group, int var, const std::string& name, const std::vector<long long>& values) const;
  // Reading.
  int group(int parent, const std::string& name) const;  // -1 when absent
  std::vector<int> vars(int group) const;
  std::string var_name(int group, int var) const;
  std::vector<int> var_dims(int group, int var) const;
  std::string dim_name(int group, int dim) const;
  std::size_t dim_length(int group, int dim) const;
  /// A text attribute, or "" with found = false.
  std::string get_text(int group, int var, const std::string& name, bool* found = nullptr) const;
  /// A numeric attribute as doubles / int64s (empty when absent).
  std::vector<double> get_doubles(int group, int var, const std::string& name) const;
  std::vector<long long> get_int64s(int group, int var, const std::string& name) const;
  /// Names of the attributes of a group (var = NC_GLOBAL) or variable.
  std::vector<std::string> att_names(int group, int var) const;

 private:
  NetcdfFile(int id, std::string path) : id_(id), path_(std::move(path)) {}
  int id_ = -1;
  std::string path_;
};

/// True when the file starts with the signature of netCDF-4 / HDF5 ("\x89HDF") or classic netCDF ("CDF").
bool is_netcdf_file(const std::string& path);

}  // namespace mcmc::io
