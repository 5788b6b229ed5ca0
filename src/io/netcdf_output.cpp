// The netCDF output: ArviZ's InferenceData layout in one netCDF-4 file for all chains, draws streamed in compressed chunks (docs/output-netcdf.md).
#include "io/netcdf_output.hpp"

#include <netcdf.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <limits>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "io/data.hpp"
#include "io/inference_data.hpp"
#include "io/netcdf_file.hpp"
#include "io/spill_file.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#ifndef MCMC_VERSION
#define MCMC_VERSION "unknown"
#endif

namespace mcmc::io {

namespace {

/// zlib level of every chunk (with the byte-shuffle filter, which makes doubles compress).
constexpr int kDeflateLevel = 1;
/// Chunks shorter than this along draw cost more than they hold (zlib sets up 128 KiB of state
/// per chunk): when a chain's block would be shorter (many chains), the rows are spilled to a
/// temporary file and written at the end in chunks of many chains.
constexpr std::size_t kMinStreamRows = 256;
/// Rows of all chains laid out at once when the spilled rows are written (and again transposed).
constexpr std::size_t kAssembleBytes = std::size_t{32} << 20;
/// The most bytes of one spilled variable's chunk (raw).
constexpr std::size_t kChunkBytes = std::size_t{1} << 20;
constexpr int kWarmup = 0, kSampling = 1;  // the two phases' groups
constexpr const char* kGroupNames[2][2] = {{"warmup_posterior", "warmup_sample_stats"}, {"posterior", "sample_stats"}};

/// "2026-12-02T10:11:12.123456+00:00", as ArviZ's created_at.
std::string iso_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:06d}+00:00", text, micros);
}

/// One netCDF variable fed from the rows: a sampler statistic or a (shaped) model quantity.
struct Field {
  bool stat = false;               // sample_stats (true) or posterior
  std::string name;
  std::vector<std::size_t> dims;   // beyond (chain, draw)
  StatType type = StatType::Float64;
  std::vector<std::size_t> columns;  // row positions of the elements, in C order
  std::size_t offset = 0;          // elements of the same type before it in a row
};

/// A block of rows laid out for writing: each field's values contiguous as [row][element].
struct Block {
  std::vector<double> f64;
  std::vector<long long> i64;
  std::vector<signed char> i8;
};

struct PhaseGroups {
  bool defined = false;
  std::vector<std::size_t> chunk_chains;  // per field: chunk length along chain (1 when streamed)
  int group[2] = {-1, -1};      // posterior, sample_stats
  int draw_var[2] = {-1, -1};
  std::vector<int> var;         // per field
  std::size_t coord_length = 0; // draw coordinate values written
  std::size_t block_rows = 1;
};

std::optional<long long> config_number(const std::vector<std::pair<std::string, std::string>>& config,
                                        const std::string& key) {
  for (const auto& [k, v] : config) {
    if (k == key || (k.size() > key.size() && k.compare(k.size() - key.size() - 1, key.size() + 1, "." + key) == 0)) {
      try {
        return std::stoll(v);
      } catch (...) {
        return std::nullopt;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

struct NetcdfOutput::Shared {
  NetcdfFile file;
  std::string path;
  int num_chains = 1;
  int digits = 0;  // significant digits kept of float variables; 0: exact
  std::string created_at = iso_now();
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  bool have_header = false;
  RunHeader header;
  std::uint64_t seed = 0;
  std::vector<std::pair<std::string, std::string>> config;  // dotted keys
  std::vector<Field> fields;
  std::size_t num_columns = 0;
  std::size_t per_row[3] = {0, 0, 0};  // f64, i64, i8 elements per row
  PhaseGroups phases[2];
  std::vector<std::optional<Adaptation>> adaptations;
  std::vector<std::optional<ChainFooter>> footers;
  std::vector<std::size_t> draws[2];  // per phase, per chain: rows written
  bool finalized = false;
  std::optional<RunFooter> run;  // the run's wall time, when the run ended normally or was interrupted
  bool spill = false;                    // many chains: rows go to `spill_file`, written by finish()
  std::shared_ptr<SpillFile> spill_file;

  int type_index(StatType t) const { return t == StatType::Float64 ? 0 : t == StatType::Int64 ? 1 : 2; }

  /// The first chain's header fixes the layout (under the lock).
  void set_header(const RunHeader& h, std::uint64_t s) {
    if (have_header) return;
    have_header = true;
    header = h;
    seed = s;
    config = flatten_config(h.config, nullptr);
    for (const std::string& column : h.sampler_columns) {
      const SamplerStat st = sampler_stat_of_stan(column);
      fields.push_back({true, st.arviz, {}, st.type, {fields.size()}, 0});
    }
    const std::size_t first_param = h.sampler_columns.size();
    for (ShapedVariable& v : shape_columns(h.param_columns)) {
      for (std::size_t& c : v.columns) c += first_param;
      fields.push_back({false, v.name, v.dims, StatType::Float64, v.columns, 0});
    }
    for (Field& f : fields) {
      std::size_t& n = per_row[type_index(f.type)];
      f.offset = n;
      n += f.columns.size();
    }
    num_columns = h.sampler_columns.size() + h.param_columns.size();
    // Rows per block (and chunk length along draw): the JSON output's memory budget per chain,
    // at most the phase's number of draws when the configuration says it.
    const std::size_t budget = chain_block_bytes(num_chains) / (sizeof(double) * std::max<std::size_t>(1, num_columns));
    const long long thin = std::max(1LL, config_number(config, "thin").value_or(1));
    const std::optional<long long> counts[2] = {config_number(config, "num_warmup"), config_number(config, "num_samples")};
    for (int p = 0; p < 2; ++p) {
      std::size_t rows = std::max<std::size_t>(1, budget);
      if (counts[p] && *counts[p] > 0) rows = std::min<std::size_t>(rows, static_cast<std::size_t>((*counts[p] + thin - 1) / thin));
      phases[p].block_rows = rows;
    }
    // Spill when a streamed block (and chunk) would be shorter than kMinStreamRows and than the phase.
    const std::size_t sampling_rows = counts[kSampling] && *counts[kSampling] > 0
                                          ? static_cast<std::size_t>((*counts[kSampling] + thin - 1) / thin)
                                          : std::numeric_limits<std::size_t>::max();
    spill = phases[kSampling].block_rows < std::min(kMinStreamRows, sampling_rows);
    if (spill) {
      std::string dir = std::filesystem::path(path).parent_path().string();
      spill_file = std::make_shared<SpillFile>(dir.empty() ? "." : dir, "netCDF output");
    }
  }

  void put_group_attributes(int group) const {
    file.put_text(group, NC_GLOBAL, "created_at", created_at);
    file.put_text(group, NC_GLOBAL, "inference_library", "mcmc");
    file.put_text(group, NC_GLOBAL, "inference_library_version", MCMC_VERSION);
  }

  /// An int64 coordinate variable 0 .. n-1 over its own dimension.
  void coordinate(int group, int dim, const std::string& name, std::size_t n) const {
    const int var = file.def_var(group, name, NC_INT64, {dim});
    std::vector<long long> values(n);
    for (std::size_t i = 0; i < n; ++i) values[i] = static_cast<long long>(i);
    if (n > 0) file.check(nc_put_var_longlong(group, var, values.data()), "writing coordinate " + name);
  }

  void define_phase(int p) {
    PhaseGroups& ph = phases[p];
    if (ph.defined) return;
    ph.defined = true;
    int dims[2][2];  // [group][chain, draw]
    for (int g = 0; g < 2; ++g) {
      const int gid = file.def_group(file.id(), kGroupNames[p][g]);
      ph.group[g] = gid;
      dims[g][0] = file.def_dim(gid, "chain", static_cast<std::size_t>(num_chains));
      dims[g][1] = file.def_dim(gid, "draw", 0);
      coordinate(gid, dims[g][0], "chain", static_cast<std::size_t>(num_chains));
      ph.draw_var[g] = file.def_var(gid, "draw", NC_INT64, {dims[g][1]});
      const std::size_t coord_chunk = 4096;
      file.check(nc_def_var_chunking(gid, ph.draw_var[g], NC_CHUNKED, &coord_chunk), "chunking draw");
      put_group_attributes(gid);
    }
    ph.chunk_chains.resize(fields.size(), 1);
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const Field& f = fields[i];
      const int g = f.stat ? 1 : 0, gid = ph.group[g];
      std::vector<int> var_dims = {dims[g][0], dims[g][1]};
      std::vector<std::size_t> chunks = {ph.chunk_chains[i], ph.block_rows};
      for (std::size_t k = 0; k < f.dims.size(); ++k) {
        const std::string dim_name = default_dim_name(f.name, k);
        const int dim = file.def_dim(gid, dim_name, f.dims[k]);
        coordinate(gid, dim, dim_name, f.dims[k]);
        var_dims.push_back(dim);
        chunks.push_back(f.dims[k]);
      }
      const int type = f.type == StatType::Float64 ? NC_DOUBLE : f.type == StatType::Int64 ? NC_INT64 : NC_BYTE;
      const int var = file.def_var(gid, f.name, type, var_dims);
      file.check(nc_def_var_chunking(gid, var, NC_CHUNKED, chunks.data()), "chunking " + f.name);
      file.check(nc_def_var_deflate(gid, var, 1, 1, kDeflateLevel), "compressing " + f.name);
      // Whole chunks are written at once: no chunk cache (which would also hold memory per variable).
      file.check(nc_set_var_chunk_cache(gid, var, 0, 0, 0.0f), "setting the chunk cache of " + f.name);
      if (f.type == StatType::Float64) {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        file.check(nc_def_var_fill(gid, var, NC_FILL, &nan), "setting the fill value of " + f.name);
        if (digits > 0)
          file.check(nc_def_var_quantize(gid, var, NC_QUANTIZE_GRANULARBR, digits), "quantizing " + f.name);
      } else if (f.type == StatType::Bool) {
        file.put_text(gid, var, "dtype", "bool");
      }
      ph.var.push_back(var);
    }
  }

  /// Lays out `n` rows (row-major, num_columns each) field by field into `b`.
  void layout(const double* rows_data, std::size_t n, Block& b) const {
    b.f64.resize(n * per_row[0]);
    b.i64.resize(n * per_row[1]);
    b.i8.resize(n * per_row[2]);
    for (const Field& f : fields) {
      const std::size_t size = f.columns.size(), at = n * f.offset;
      for (std::size_t r = 0; r < n; ++r) {
        const double* row = rows_data + r * num_columns;
        for (std::size_t k = 0; k < size; ++k) {
          const double v = row[f.columns[k]];
          if (f.type == StatType::Float64) {
            b.f64[at + r * size + k] = v;
          } else if (f.type == StatType::Int64) {
            b.i64[at + r * size + k] = std::isfinite(v) ? static_cast<long long>(v) : -1;
          } else {
            b.i8[at + r * size + k] = v != 0 && !std::isnan(v) ? 1 : 0;
          }
        }
      }
    }
  }

  /// Writes `rows` rows of `chains` chains from `chain` on, phase `p`, starting at draw `first`
  /// (`b` laid out with chain-major rows; under the lock).
  void write_block(int chain, int p, std::size_t first, std::size_t rows, const Block& b, std::size_t chains = 1) {
    define_phase(p);
    PhaseGroups& ph = phases[p];
    std::vector<std::size_t> start, count;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const Field& f = fields[i];
      const int gid = ph.group[f.stat ? 1 : 0];
      start.assign({static_cast<std::size_t>(chain), first});
      count.assign({chains, rows});
      for (std::size_t d : f.dims) {
        start.push_back(0);
        count.push_back(d);
      }
      const std::size_t at = chains * rows * f.offset;
      int status = NC_NOERR;
      if (f.type == StatType::Float64) {
        status = nc_put_vara_double(gid, ph.var[i], start.data(), count.data(), b.f64.data() + at);
      } else if (f.type == StatType::Int64) {
        status = nc_put_vara_longlong(gid, ph.var[i], start.data(), count.data(), b.i64.data() + at);
      } else {
        status = nc_put_vara_schar(gid, ph.var[i], start.data(), count.data(), b.i8.data() + at);
      }
      file.check(status, "writing " + f.name);
    }
    if (first + rows > ph.coord_length) {
      const std::size_t from = ph.coord_length, n = first + rows - from;
      std::vector<long long> values(n);
      for (std::size_t i = 0; i < n; ++i) values[i] = static_cast<long long>(from + i);
      for (int g = 0; g < 2; ++g)
        file.check(nc_put_vara_longlong(ph.group[g], ph.draw_var[g], &from, &n, values.data()), "writing coordinate draw");
      ph.coord_length = first + rows;
    }
  }

  /// Many chains: writes the spilled rows of phase `p`, as many chains at a time as fit in
  /// kAssembleBytes, each chunk (chains, all draws of the phase) written whole (under the lock).
  void write_spilled(int p, const std::vector<const SpillSegments*>& segments) {
    std::size_t draws_max = 0;
    for (std::size_t d : draws[p]) draws_max = std::max(draws_max, d);
    if (draws_max == 0) return;
    PhaseGroups& ph = phases[p];
    const std::size_t row_bytes = num_columns * sizeof(double);
    ph.block_rows = draws_max;
    // Chains assembled at once: a power of two within kAssembleBytes; each variable's chunks span
    // a power of two of chains (so a group covers whole chunks) of at most kChunkBytes.
    auto pow2_below = [](std::size_t x) {
      std::size_t p = 1;
      while (p * 2 <= x) p *= 2;
      return p;
    };
    const std::size_t group = pow2_below(std::max<std::size_t>(1, kAssembleBytes / (draws_max * row_bytes)));
    ph.chunk_chains.clear();
    for (const Field& f : fields)
      ph.chunk_chains.push_back(std::min({group, static_cast<std::size_t>(num_chains),
                                          pow2_below(std::max<std::size_t>(1, kChunkBytes / (draws_max * f.columns.size() * sizeof(double))))}));
    std::vector<double> rows_data;
    Block b;
    for (std::size_t c0 = 0; c0 < static_cast<std::size_t>(num_chains); c0 += group) {
      const std::size_t n = std::min(group, static_cast<std::size_t>(num_chains) - c0);
      rows_data.assign(n * draws_max * num_columns, std::numeric_limits<double>::quiet_NaN());
      for (std::size_t k = 0; k < n; ++k) {
        char* at = reinterpret_cast<char*>(rows_data.data() + k * draws_max * num_columns);
        segments[c0 + k]->for_each_chunk(*spill_file, std::size_t{1} << 20, row_bytes, [&](const char* data, std::size_t size) {
          std::copy(data, data + size, at);
          at += size;
        });
      }
      layout(rows_data.data(), n * draws_max, b);
      write_block(static_cast<int>(c0), p, 0, draws_max, b, n);
    }
  }

  /// The run's configuration and every chain's footer as attributes of the root group, the
  /// timing attributes ArviZ sets, then closes the file (under the lock).
  void finish() {
    const int root = file.id();
    file.put_text(root, NC_GLOBAL, "created_at", created_at);
    file.put_text(root, NC_GLOBAL, "inference_library", "mcmc");
    file.put_text(root, NC_GLOBAL, "inference_library_version", MCMC_VERSION);
    if (have_header) {
      define_phase(kSampling);  // posterior and sample_stats exist even when no draw was made
      file.put_text(root, NC_GLOBAL, "model", header.model_name);
      file.put_text(root, NC_GLOBAL, "algorithm", header.algorithm);
      file.check(nc_put_att_ulonglong(root, NC_GLOBAL, "seed", NC_UINT64, 1,
                                      reinterpret_cast<const unsigned long long*>(&seed)), "writing attribute seed");
      std::vector<std::string> user_set;
      for (const auto& [key, value] : flatten_config(header.config, &user_set))
        file.put_text(root, NC_GLOBAL, "config." + key, value);
      std::string joined;
      for (const std::string& key : user_set) joined += (joined.empty() ? "" : ",") + key;
      file.put_text(root, NC_GLOBAL, "config_user_set", joined);
    }
    const std::size_t C = static_cast<std::size_t>(num_chains);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<long long> num_draws(C), num_warmup(C), complete(C), gradients(C, -1), divergences(C, -1),
        depth_hits(C, -1), group(C, -1), paid(C, -1), useful(C, -1);
    std::vector<double> step(C, nan), warm_s(C, nan), sample_s(C, nan);
    std::size_t metric_size = 0;
    bool lockstep = false, any_warmup = false;
    for (std::size_t c = 0; c < C; ++c) {
      num_draws[c] = static_cast<long long>(draws[kSampling][c]);
      num_warmup[c] = static_cast<long long>(draws[kWarmup][c]);
      any_warmup = any_warmup || num_warmup[c] > 0;
      if (adaptations[c]) {
        step[c] = adaptations[c]->step_size;
        metric_size = std::max(metric_size, adaptations[c]->inv_metric.size());
      }
      if (const auto& f = footers[c]) {
        complete[c] = f->complete ? 1 : 0;
        gradients[c] = f->gradient_evals;
        divergences[c] = f->divergences;
        depth_hits[c] = f->max_depth_hits;
        warm_s[c] = f->warmup_seconds;
        sample_s[c] = f->sampling_seconds;
        group[c] = f->lockstep_group;
        paid[c] = f->lockstep_paid;
        useful[c] = f->lockstep_paid >= 0 && f->lockstep_useful < 0 ? f->gradient_evals : f->lockstep_useful;
        lockstep = lockstep || f->lockstep_paid >= 0;
      }
    }
    std::vector<double> metric(C * metric_size, nan);
    for (std::size_t c = 0; c < C; ++c)
      if (adaptations[c] && adaptations[c]->inv_metric.size() == metric_size)
        std::copy(adaptations[c]->inv_metric.begin(), adaptations[c]->inv_metric.end(), metric.begin() + c * metric_size);
    file.put_int64s(root, NC_GLOBAL, "chain_num_draws", num_draws);
    if (any_warmup) file.put_int64s(root, NC_GLOBAL, "chain_num_warmup_draws", num_warmup);
    file.put_int64s(root, NC_GLOBAL, "chain_complete", complete);
    file.put_doubles(root, NC_GLOBAL, "chain_step_size", step);
    if (metric_size > 0) file.put_doubles(root, NC_GLOBAL, "chain_inv_metric", metric);
    file.put_doubles(root, NC_GLOBAL, "chain_warmup_seconds", warm_s);
    file.put_doubles(root, NC_GLOBAL, "chain_sampling_seconds", sample_s);
    file.put_int64s(root, NC_GLOBAL, "chain_gradient_evaluations", gradients);
    file.put_int64s(root, NC_GLOBAL, "chain_divergences", divergences);
    file.put_int64s(root, NC_GLOBAL, "chain_max_depth_hits", depth_hits);
    if (lockstep) {
      file.put_int64s(root, NC_GLOBAL, "chain_lockstep_group", group);
      file.put_int64s(root, NC_GLOBAL, "chain_lockstep_paid", paid);
      file.put_int64s(root, NC_GLOBAL, "chain_lockstep_useful", useful);
    }
    if (run)  // as text attributes, under the keys the CSV formats use
      for (const auto& [key, value] : run_footer_entries(*run)) file.put_text(root, NC_GLOBAL, key, value);
    // ArviZ's sampling_time: the run's wall time, else the time since this file was opened.
    const double seconds = run ? run->wall_seconds
                               : std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::optional<long long> tuning = config_number(config, "num_warmup");
    if (!tuning) tuning = config_number(config, "warmup");  // rstan's name
    for (int g = 0; g < 2; ++g) {
      const int gid = phases[kSampling].group[g];
      if (gid < 0) continue;
      file.put_doubles(gid, NC_GLOBAL, "sampling_time", {seconds});
      if (tuning) file.put_int64s(gid, NC_GLOBAL, "tuning_steps", {*tuning});
    }
    file.close();
  }

  /// observed_data (the variables in `observed`) and constant_data (the others): the data
  /// file's variables, int64 when all the entries of one are integers.
  void write_data(const DataSet& data, const std::set<std::string>& observed) {
    int groups[2] = {-1, -1};  // observed_data, constant_data: created when needed
    for (const auto& [name, value] : data.vars) {
      const int which = observed.count(name) ? 0 : 1;
      if (groups[which] < 0) {
        groups[which] = file.def_group(file.id(), which == 0 ? "observed_data" : "constant_data");
        put_group_attributes(groups[which]);
      }
      const int gid = groups[which];
      std::vector<int> dims;
      for (std::size_t k = 0; k < value.dims.size(); ++k) {
        const std::string dim_name = default_dim_name(name, k);
        const int dim = file.def_dim(gid, dim_name, value.dims[k]);
        coordinate(gid, dim, dim_name, value.dims[k]);
        dims.push_back(dim);
      }
      const bool integer = value.all_int && std::all_of(value.values.begin(), value.values.end(), [](double v) {
        return std::fabs(v) < 9.2e18;
      });
      const int var = file.def_var(gid, name, integer ? NC_INT64 : NC_DOUBLE, dims);
      if (value.values.empty()) continue;
      if (integer) {
        std::vector<long long> ints(value.values.begin(), value.values.end());
        file.check(nc_put_var_longlong(gid, var, ints.data()), "writing data " + name);
      } else {
        file.check(nc_put_var_double(gid, var, value.values.data()), "writing data " + name);
      }
    }
  }
};

namespace {

class NetcdfChainSink : public ChainSink {
 public:
  NetcdfChainSink(NetcdfOutput::Shared* shared, int index) : s_(shared), index_(index) {}

  void begin(const RunHeader& header, int chain_id, std::uint64_t seed) override {
    std::lock_guard<std::mutex> lock(netcdf_mutex());
    s_->set_header(header, seed);
    begun_ = true;
  }

  void adaptation(const Adaptation& a) override {
    flush();
    phase_ = kSampling;
    first_ = 0;
    s_->adaptations[static_cast<std::size_t>(index_)] = a;
  }

  void draw(std::span<const double> row) override {
    if (row.size() != s_->num_columns) {
      throw std::logic_error("NetcdfOutput: row has " + std::to_string(row.size()) + " values, header has " +
                             std::to_string(s_->num_columns) + " columns");
    }
    rows_.insert(rows_.end(), row.begin(), row.end());
    if (++pending_ >= s_->phases[phase_].block_rows) flush();
  }

  void end(const ChainFooter& footer) override {
    flush();
    s_->footers[static_cast<std::size_t>(index_)] = footer;
  }

  /// Writes the rows waiting in the block: laid out here and written under the lock, or (many
  /// chains) appended to the shared temporary file, no lock needed.
  void flush() {
    if (pending_ == 0) return;
    const std::size_t n = pending_;
    if (s_->spill) {
      spilled_[phase_].append(*s_->spill_file, rows_.data(), rows_.size() * sizeof(double));
    } else {
      s_->layout(rows_.data(), n, block_);
      std::lock_guard<std::mutex> lock(netcdf_mutex());
      s_->write_block(index_, phase_, first_, n, block_);
    }
    first_ += n;
    s_->draws[phase_][static_cast<std::size_t>(index_)] = first_;
    pending_ = 0;
    rows_.clear();
  }

 private:
  NetcdfOutput::Shared* s_;
  int index_;
  bool begun_ = false;
  int phase_ = kWarmup;   // rows before adaptation() are saved warm-up draws
  std::size_t first_ = 0; // the phase's draw index of the first pending row
  std::size_t pending_ = 0;
  std::vector<double> rows_;
  Block block_;

 public:
  SpillSegments spilled_[2];  // per phase, when the output spills
};

}  // namespace

NetcdfOutput::NetcdfOutput(const std::string& path, int num_chains, const DataSet* data,
                           const std::set<std::string>& observed, int digits)
    : shared_(std::make_unique<Shared>()) {
  std::lock_guard<std::mutex> lock(netcdf_mutex());
  Shared& s = *shared_;
  s.path = path;
  s.num_chains = num_chains;
  s.digits = digits;
  s.adaptations.resize(static_cast<std::size_t>(num_chains));
  s.footers.resize(static_cast<std::size_t>(num_chains));
  s.draws[0].assign(static_cast<std::size_t>(num_chains), 0);
  s.draws[1].assign(static_cast<std::size_t>(num_chains), 0);
  // Every chunk is written whole, once: no chunk cache (HDF5's default holds megabytes per variable).
  nc_set_chunk_cache(0, 0, 0.0f);
#if defined(__GLIBC__)
  // zlib allocates (and frees) a few hundred KiB of state per chunk: keep freed memory in the heap
  // rather than mapping and unmapping it every time (most of the time went to the kernel).
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
  s.file = NetcdfFile::create(path);
  if (data) s.write_data(*data, observed);
  for (int c = 0; c < num_chains; ++c) chains_.push_back(std::make_unique<NetcdfChainSink>(shared_.get(), c));
}

NetcdfOutput::~NetcdfOutput() {
  try {
    finalize();
  } catch (...) {
    // a destructor must not throw; finalize() called by the run reports errors
  }
}

ChainSink& NetcdfOutput::chain(int chain_index) {
  if (chain_index < 0 || chain_index >= static_cast<int>(chains_.size()))
    throw std::out_of_range("NetcdfOutput::chain: no chain " + std::to_string(chain_index));
  return *chains_[static_cast<std::size_t>(chain_index)];
}

void NetcdfOutput::finalize(const RunFooter* run) {
  if (shared_->finalized) return;
  shared_->finalized = true;
  if (run) shared_->run = *run;
  for (auto& c : chains_) static_cast<NetcdfChainSink&>(*c).flush();  // chains stopped without end()
  std::lock_guard<std::mutex> lock(netcdf_mutex());
  if (shared_->spill) {
    for (int p : {kWarmup, kSampling}) {
      std::vector<const SpillSegments*> segments;
      for (auto& c : chains_) segments.push_back(&static_cast<NetcdfChainSink&>(*c).spilled_[p]);
      shared_->write_spilled(p, segments);
    }
  }
  shared_->finish();
}

std::vector<std::string> NetcdfOutput::paths() const { return {shared_->path}; }

}  // namespace mcmc::io
