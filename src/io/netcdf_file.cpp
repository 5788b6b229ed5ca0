// One netCDF-4 file handle with checked library calls, and the one lock every netCDF call is made under.
#include "io/netcdf_file.hpp"

#include <netcdf.h>

#include <fstream>

#include "util/error.hpp"

namespace mcmc::io {

std::mutex& netcdf_mutex() {
  static std::mutex mutex;
  return mutex;
}

NetcdfFile NetcdfFile::create(const std::string& path) {
  int id = -1;
  const int status = nc_create(path.c_str(), NC_NETCDF4 | NC_CLOBBER, &id);
  if (status != NC_NOERR)
    throw Error(ExitCode::Io, "cannot create '" + path + "': " + nc_strerror(status));
  return NetcdfFile(id, path);
}

NetcdfFile NetcdfFile::open(const std::string& path) {
  int id = -1;
  const int status = nc_open(path.c_str(), NC_NOWRITE, &id);
  if (status != NC_NOERR)
    throw Error(ExitCode::Io, "cannot read '" + path + "': " + nc_strerror(status));
  return NetcdfFile(id, path);
}

NetcdfFile::NetcdfFile(NetcdfFile&& other) noexcept : id_(other.id_), path_(std::move(other.path_)) { other.id_ = -1; }

NetcdfFile& NetcdfFile::operator=(NetcdfFile&& other) noexcept {
  if (this != &other) {
    if (id_ >= 0) nc_close(id_);
    id_ = other.id_;
    path_ = std::move(other.path_);
    other.id_ = -1;
  }
  return *this;
}

NetcdfFile::~NetcdfFile() {
  if (id_ >= 0) nc_close(id_);
}

void NetcdfFile::close() {
  if (id_ < 0) return;
  const int id = id_;
  id_ = -1;
  check(nc_close(id), "closing the file");
}

void NetcdfFile::check(int status, const std::string& what) const {
  if (status != NC_NOERR) throw Error(ExitCode::Io, "netCDF file '" + path_ + "': " + what + ": " + nc_strerror(status));
}

int NetcdfFile::def_group(int parent, const std::string& name) const {
  int id = -1;
  check(nc_def_grp(parent, name.c_str(), &id), "defining group " + name);
  return id;
}

int NetcdfFile::def_dim(int group, const std::string& name, std::size_t length) const {
  int id = -1;
  check(nc_def_dim(group, name.c_str(), length == 0 ? NC_UNLIMITED : length, &id), "defining dimension " + name);
  return id;
}

int NetcdfFile::def_var(int group, const std::string& name, int type, const std::vector<int>& dims) const {
  int id = -1;
  check(nc_def_var(group, name.c_str(), type, static_cast<int>(dims.size()), dims.data(), &id), "defining variable " + name);
  return id;
}

void NetcdfFile::put_text(int group, int var, const std::string& name, const std::string& value) const {
  check(nc_put_att_text(group, var, name.c_str(), value.size(), value.data()), "writing attribute " + name);
}

void NetcdfFile::put_doubles(int group, int var, const std::string& name, const std::vector<double>& values) const {
  check(nc_put_att_double(group, var, name.c_str(), NC_DOUBLE, values.size(), values.data()), "writing attribute " + name);
}

void NetcdfFile::put_int64s(int group, int var, const std::string& name, const std::vector<long long>& values) const {
  check(nc_put_att_longlong(group, var, name.c_str(), NC_INT64, values.size(), values.data()), "writing attribute " + name);
}

int NetcdfFile::group(int parent, const std::string& name) const {
  int id = -1;
  if (nc_inq_grp_ncid(parent, name.c_str(), &id) != NC_NOERR) return -1;
  return id;
}

std::vector<int> NetcdfFile::vars(int group) const {
  int n = 0;
  check(nc_inq_varids(group, &n, nullptr), "listing variables");
  std::vector<int> ids(static_cast<std::size_t>(n));
  if (n > 0) check(nc_inq_varids(group, &n, ids.data()), "listing variables");
  return ids;
}

std::string NetcdfFile::var_name(int group, int var) const {
  char name[NC_MAX_NAME + 1] = {};
  check(nc_inq_varname(group, var, name), "reading a variable name");
  return name;
}

std::vector<int> NetcdfFile::var_dims(int group, int var) const {
  int n = 0;
  check(nc_inq_varndims(group, var, &n), "reading a variable's dimensions");
  std::vector<int> dims(static_cast<std::size_t>(n));
  if (n > 0) check(nc_inq_vardimid(group, var, dims.data()), "reading a variable's dimensions");
  return dims;
}

std::string NetcdfFile::dim_name(int group, int dim) const {
  char name[NC_MAX_NAME + 1] = {};
  check(nc_inq_dimname(group, dim, name), "reading a dimension name");
  return name;
}

std::size_t NetcdfFile::dim_length(int group, int dim) const {
  std::size_t length = 0;
  check(nc_inq_dimlen(group, dim, &length), "reading a dimension length");
  return length;
}

std::string NetcdfFile::get_text(int group, int var, const std::string& name, bool* found) const {
  nc_type type = 0;
  std::size_t length = 0;
  if (found) *found = false;
  if (nc_inq_att(group, var, name.c_str(), &type, &length) != NC_NOERR) return "";
  if (type == NC_CHAR) {
    std::string value(length, '\0');
    check(nc_get_att_text(group, var, name.c_str(), value.data()), "reading attribute " + name);
    if (found) *found = true;
    return value;
  }
  if (type == NC_STRING && length == 1) {
    char* value = nullptr;
    check(nc_get_att_string(group, var, name.c_str(), &value), "reading attribute " + name);
    std::string out = value ? value : "";
    nc_free_string(1, &value);
    if (found) *found = true;
    return out;
  }
  return "";
}

std::vector<double> NetcdfFile::get_doubles(int group, int var, const std::string& name) const {
  nc_type type = 0;
  std::size_t length = 0;
  if (nc_inq_att(group, var, name.c_str(), &type, &length) != NC_NOERR) return {};
  if (type == NC_CHAR || type == NC_STRING) return {};
  std::vector<double> values(length);
  check(nc_get_att_double(group, var, name.c_str(), values.data()), "reading attribute " + name);
  return values;
}

std::vector<long long> NetcdfFile::get_int64s(int group, int var, const std::string& name) const {
  nc_type type = 0;
  std::size_t length = 0;
  if (nc_inq_att(group, var, name.c_str(), &type, &length) != NC_NOERR) return {};
  if (type == NC_CHAR || type == NC_STRING) return {};
  std::vector<long long> values(length);
  check(nc_get_att_longlong(group, var, name.c_str(), values.data()), "reading attribute " + name);
  return values;
}

std::vector<std::string> NetcdfFile::att_names(int group, int var) const {
  int n = 0;
  if (var == NC_GLOBAL) {
    check(nc_inq_natts(group, &n), "counting attributes");
  } else {
    check(nc_inq_varnatts(group, var, &n), "counting attributes");
  }
  std::vector<std::string> names;
  for (int i = 0; i < n; ++i) {
    char name[NC_MAX_NAME + 1] = {};
    check(nc_inq_attname(group, var, i, name), "reading an attribute name");
    names.emplace_back(name);
  }
  return names;
}

bool is_netcdf_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char head[4] = {};
  if (!in.read(head, 4)) return false;
  return (head[0] == '\x89' && head[1] == 'H' && head[2] == 'D' && head[3] == 'F') ||
         (head[0] == 'C' && head[1] == 'D' && head[2] == 'F');
}

}  // namespace mcmc::io
