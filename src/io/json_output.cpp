// The JSON output: one file for all chains, the draws streamed through one shared temporary file (layout in docs/output-json.md).
#include "io/json_output.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "io/number_format.hpp"

namespace mcmc::io {

namespace {

using ordered_json = nlohmann::ordered_json;

constexpr int kFormatVersion = 1;
constexpr std::size_t kCopyChunkBytes = 1 << 20;

std::string quoted(const std::string& s) { return nlohmann::json(s).dump(); }

/// The configuration as a JSON object of dotted keys, and the keys the user set explicitly.
std::pair<ordered_json, ordered_json> config_json(const std::vector<ConfigEntry>& config) {
  ordered_json values = ordered_json::object();
  std::vector<std::string> user_set;
  for (const auto& [key, value] : flatten_config(config, &user_set)) values[key] = value;
  return {values, ordered_json(user_set)};
}

std::string adaptation_json(const std::optional<Adaptation>& a) {
  if (!a) return "null";
  std::string out = "{\"step_size\": ";
  append_json_number(out, a->step_size);
  out += ", \"inv_metric\": [";
  for (std::size_t i = 0; i < a->inv_metric.size(); ++i) {
    if (i > 0) out += ", ";
    append_json_number(out, a->inv_metric[i]);
  }
  out += "]}";
  return out;
}

std::string footer_json(const std::optional<ChainFooter>& f) {
  if (!f) return "null";
  ordered_json j;
  j["warmup_seconds"] = f->warmup_seconds;
  j["sampling_seconds"] = f->sampling_seconds;
  j["total_seconds"] = f->warmup_seconds + f->sampling_seconds;
  j["gradient_evaluations"] = f->gradient_evals;
  j["divergences"] = f->divergences;
  j["max_depth_hits"] = f->max_depth_hits;
  j["complete"] = f->complete;
  if (f->lockstep_paid >= 0) {
    std::int64_t useful = f->lockstep_useful >= 0 ? f->lockstep_useful : f->gradient_evals;
    j["lockstep_group"] = f->lockstep_group;
    j["lockstep_paid"] = f->lockstep_paid;
    j["lockstep_useful"] = useful;
    j["lockstep_efficiency"] = f->lockstep_paid > 0 ? static_cast<double>(useful) / f->lockstep_paid : 1.0;
  } else {
    j["lockstep_group"] = nullptr;
    j["lockstep_paid"] = nullptr;
    j["lockstep_useful"] = nullptr;
    j["lockstep_efficiency"] = nullptr;
  }
  return j.dump();
}

}  // namespace

JsonChainSink::JsonChainSink(std::shared_ptr<SpillFile> rows_file, std::size_t block_bytes)
    : rows_file_(std::move(rows_file)), block_bytes_(block_bytes) {}

void JsonChainSink::spill() {
  spilled_.append(*rows_file_, rows_.data(), rows_.size());
  rows_.clear();
}

void JsonChainSink::begin(const RunHeader& header, int chain_id, std::uint64_t seed) {
  header_ = header;
  begun_ = true;
  chain_id_ = chain_id;
  seed_ = seed;
  num_columns_ = header.sampler_columns.size() + header.param_columns.size();
}

void JsonChainSink::adaptation(const Adaptation& a) { adaptation_ = a; }

void JsonChainSink::draw(std::span<const double> row) {
  if (row.size() != num_columns_) {
    throw std::logic_error("JsonChainSink::draw: row has " + std::to_string(row.size()) + " values, header has " +
                           std::to_string(num_columns_) + " columns");
  }
  std::string& out = rows_;
  out += num_rows_ == 0 ? "\n   [" : ",\n   [";
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i > 0) out += ',';
    append_json_number(out, row[i]);
  }
  out += ']';
  ++num_rows_;
  if (rows_.size() >= block_bytes_) spill();
}

void JsonChainSink::end(const ChainFooter& footer) {
  footer_ = footer;
  spill();
}

void JsonChainSink::write_chain(LineFile& dest, int chain_index) {
  std::string& out = dest.buffer();
  out += "  {\"chain_id\": " + std::to_string(begun_ ? chain_id_ : chain_index + 1);
  out += ", \"seed\": " + (begun_ ? std::to_string(seed_) : std::string("null"));
  out += ", \"num_draws\": " + std::to_string(num_rows_);
  out += ",\n   \"adaptation\": " + adaptation_json(adaptation_);
  out += ",\n   \"footer\": " + footer_json(footer_);
  out += ",\n   \"draws\": [";
  spilled_.for_each_chunk(*rows_file_, kCopyChunkBytes, 1, [&dest](const char* data, std::size_t size) {
    dest.buffer().append(data, size);
    if (dest.buffer().size() >= kCopyChunkBytes) dest.flush();
  });
  dest.buffer() += rows_;
  dest.buffer() += num_rows_ == 0 ? "]}" : "\n   ]}";
}

JsonOutput::JsonOutput(LineFile file, const std::string& temp_dir, int num_chains, int first_chain)
    : file_(std::move(file)), path_(file_.name()), first_(first_chain) {
  auto rows_file = std::make_shared<SpillFile>(temp_dir, "JSON output");
  // Rows wait in memory in blocks of up to 1 MiB per chain, and about 64 MiB over all chains.
  const std::size_t block = chain_block_bytes(num_chains);
  for (int c = 0; c < num_chains; ++c) chains_.push_back(std::make_unique<JsonChainSink>(rows_file, block));
}

JsonOutput::~JsonOutput() {
  try {
    finalize();
  } catch (...) {
    // a destructor must not throw; finalize() called by the run reports errors
  }
}

ChainSink& JsonOutput::chain(int chain_index) {
  const int k = chain_index - first_;
  if (k < 0 || k >= static_cast<int>(chains_.size())) {
    throw std::out_of_range("JsonOutput::chain: no chain " + std::to_string(chain_index));
  }
  return *chains_[static_cast<std::size_t>(k)];
}

void JsonOutput::finalize(const RunFooter* run) {
  if (finalized_) return;
  finalized_ = true;
  const RunHeader* header = nullptr;
  for (auto& c : chains_) {
    if (!header) header = c->header();
  }
  RunHeader empty;
  if (!header) header = &empty;

  auto [config, user_set] = config_json(header->config);
  ordered_json columns = ordered_json::array();
  for (const auto& n : header->sampler_columns) columns.push_back(n);
  for (const auto& n : header->param_columns) columns.push_back(n);

  std::string& out = file_.buffer();
  out += "{\n";
  out += " \"format\": \"mcmc-draws\",\n";
  out += " \"format_version\": " + std::to_string(kFormatVersion) + ",\n";
  out += " \"mcmc_version\": " + quoted(header->mcmc_version) + ",\n";
  out += " \"mcmc_commit\": " + quoted(header->mcmc_commit) + ",\n";
  out += " \"model\": " + quoted(header->model_name) + ",\n";
  out += " \"algorithm\": " + quoted(header->algorithm) + ",\n";
  out += " \"config\": " + config.dump() + ",\n";
  out += " \"config_user_set\": " + user_set.dump() + ",\n";
  if (run) {  // the run footer's entries, numbers as numbers ("run_wall_seconds" -> "run": {"wall_seconds": ...})
    ordered_json r = ordered_json::object();
    for (const auto& [key, value] : run_footer_entries(*run)) r[key.substr(4)] = ordered_json::parse(value);
    out += " \"run\": " + r.dump() + ",\n";
  }
  out += " \"columns\": " + columns.dump() + ",\n";
  out += " \"num_sampler_columns\": " + std::to_string(header->sampler_columns.size()) + ",\n";
  out += " \"chains\": [\n";
  for (std::size_t c = 0; c < chains_.size(); ++c) {
    if (c > 0) file_.buffer() += ",\n";
    chains_[c]->write_chain(file_, first_ + static_cast<int>(c));
  }
  file_.buffer() += "\n ]\n}\n";
  file_.close();
}

}  // namespace mcmc::io
