// `mcmc merge`: the csv-long or JSON files of the shards of a run (--shard i/N) joined into the whole run's one file.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "io/line_file.hpp"
#include "util/error.hpp"

namespace mcmc::cli {

CLI::App* add_merge_command(CLI::App& app, MergeOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "merge", "Join the csv-long or JSON files of a run's shards (mcmc run --shard i/N) into the file of the whole run");
  cmd->add_option("files", o.files, "The shards' files (every shard of one run once, in any order)")->required();
  cmd->add_option("--output,-o", o.output, "The merged file")->required()->type_name("FILE");
  return cmd;
}

namespace {

// One shard's file, read line by line.
struct Shard {
  std::string path;
  std::string format;                 // "csv-long" | "json"
  std::vector<std::string> header;    // csv-long: the lines up to the column names; json: up to "chains"
  std::size_t body_begin = 0;         // the line number where the chains begin
  std::size_t body_end = 0;           // and where they end (the footer, or json's closing lines)
  std::vector<std::pair<std::string, std::string>> footer;  // csv-long: run_* entries in order
  nlohmann::ordered_json run;         // json: the "run" object
  int index = 0, count = 0;           // shard i of N
  std::ifstream in;                   // the body is copied from here
};

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

Error bad_file(const std::string& path, const std::string& why) {
  return Error(ExitCode::Io, fmt::format("{}: {}", path, why));
}

// Reads the parts of a shard's file merge needs (not its draws).
void scan(Shard& sh) {
  std::ifstream in(sh.path, std::ios::binary);
  if (!in) throw Error(ExitCode::Io, fmt::format("cannot read '{}'", sh.path));
  std::string line;
  std::size_t n = 0;
  if (!std::getline(in, line)) throw bad_file(sh.path, "the file is empty");
  if (line == "{") {
    sh.format = "json";
    bool in_chains = false, closed = false;
    do {
      if (!in_chains) {
        if (line == " \"chains\": [") {
          in_chains = true;
          sh.body_begin = n + 1;
        } else if (starts_with(line, " \"run\": ")) {
          std::string text = line.substr(8);
          if (!text.empty() && text.back() == ',') text.pop_back();
          sh.run = nlohmann::ordered_json::parse(text, nullptr, false);
        } else {
          sh.header.push_back(line);
        }
      } else if (line == " ]") {
        sh.body_end = n;
        closed = true;
        break;
      }
      ++n;
    } while (std::getline(in, line));
    if (!in_chains || !closed || sh.header.size() < 2 || sh.header[1] != " \"format\": \"mcmc-draws\",")
      throw bad_file(sh.path, "not a complete JSON draws file of mcmc run");
    if (!sh.run.is_object() || !sh.run.contains("shard_index"))
      throw bad_file(sh.path, "not a shard's file (it was written without mcmc run --shard i/N)");
    sh.index = sh.run["shard_index"].get<int>();
    sh.count = sh.run["shard_count"].get<int>();
    return;
  }
  sh.format = "csv-long";
  bool columns = false;
  do {
    if (!columns) {
      sh.header.push_back(line);
      if (!starts_with(line, "#")) {
        if (!starts_with(line, "chain__,"))
          throw bad_file(sh.path, "not a csv-long file of mcmc run (its columns do not start with chain__; "
                                  "per-chain csv files need no merging: mcmc summary reads them all)");
        columns = true;
        sh.body_begin = n + 1;
      }
    } else if (line == "#" && sh.body_end == 0) {
      sh.body_end = n;
    } else if (sh.body_end > 0) {
      const std::size_t eq = line.find(" = ");
      if (!starts_with(line, "# run_") || eq == std::string::npos) throw bad_file(sh.path, "unexpected line after the run's footer: " + line);
      sh.footer.emplace_back(line.substr(2, eq - 2), line.substr(eq + 3));
    }
    ++n;
  } while (std::getline(in, line));
  if (!columns || sh.body_end == 0) throw bad_file(sh.path, "not a complete csv-long file of mcmc run (no run footer)");
  std::optional<int> index, count;
  for (const auto& [k, v] : sh.footer) {
    if (k == "run_shard_index") index = std::stoi(v);
    if (k == "run_shard_count") count = std::stoi(v);
  }
  if (!index || !count) throw bad_file(sh.path, "not a shard's file (it was written without mcmc run --shard i/N)");
  sh.index = *index;
  sh.count = *count;
}

// The settings of a json file's "config" line without the thread count (shards may run on machines of different sizes).
std::string without_threads(const std::string& line, const std::string& format) {
  if (format == "json") {
    if (!starts_with(line, " \"config\": ")) return line;
    std::string text = line.substr(11);
    if (!text.empty() && text.back() == ',') text.pop_back();
    auto j = nlohmann::ordered_json::parse(text, nullptr, false);
    if (j.is_object()) j.erase("num_threads");
    return " \"config\": " + j.dump() + ",";
  }
  return starts_with(line, "# num_threads = ") ? "# num_threads" : line;
}

// The first difference of two shards' headers, named ("" when they agree).
std::string difference(const Shard& a, const Shard& b) {
  const std::size_t n = std::max(a.header.size(), b.header.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::string x = i < a.header.size() ? without_threads(a.header[i], a.format) : "(nothing)";
    const std::string y = i < b.header.size() ? without_threads(b.header[i], b.format) : "(nothing)";
    if (x == y) continue;
    if (a.format == "json" && starts_with(x, " \"config\": ")) {  // name the setting
      auto ja = nlohmann::ordered_json::parse(x.substr(11, x.size() - 12), nullptr, false);
      auto jb = nlohmann::ordered_json::parse(y.substr(11, y.size() - 12), nullptr, false);
      for (auto it = ja.begin(); it != ja.end(); ++it)
        if (!jb.contains(it.key()) || jb[it.key()] != it.value())
          return fmt::format("{} = {} in {}, {} in {}", it.key(), it.value().dump(), a.path,
                             jb.contains(it.key()) ? jb[it.key()].dump() : "(none)", b.path);
    }
    auto trim = [](std::string s) { return s.size() > 160 ? s.substr(0, 160) + "..." : s; };
    return fmt::format("'{}' in {}, '{}' in {}", trim(x), a.path, trim(y), b.path);
  }
  return "";
}

// Copies lines [from, to) of the shard's file; `comma` ends the previous one with ','.
void copy_lines(Shard& sh, io::LineFile& out, std::size_t to, bool comma_before) {
  std::string line;
  bool first = true;
  for (std::size_t n = sh.body_begin; n < to && std::getline(sh.in, line); ++n) {
    if (first && comma_before) {
      std::string& b = out.buffer();
      if (!b.empty() && b.back() == '\n') {
        b.pop_back();
        b += ",\n";
      }
    }
    first = false;
    out.buffer() += line;
    out.buffer() += '\n';
    out.line_done();
  }
}

void skip_lines(Shard& sh, std::size_t n) {
  std::string line;
  for (std::size_t i = 0; i < n && std::getline(sh.in, line); ++i) {
  }
}

}  // namespace

int merge_command(const MergeOptions& o) {
  std::vector<Shard> shards(o.files.size());
  for (std::size_t i = 0; i < o.files.size(); ++i) {
    shards[i].path = o.files[i];
    scan(shards[i]);
  }
  for (const Shard& sh : shards)
    if (sh.format != shards[0].format)
      throw Error(ExitCode::Usage, fmt::format("{} is {} but {} is {}: the shards of one run have one format",
                                               shards[0].path, shards[0].format, sh.path, sh.format));
  const int N = shards[0].count;
  std::map<int, const Shard*> by_index;
  for (const Shard& sh : shards) {
    if (sh.count != N)
      throw Error(ExitCode::Usage, fmt::format("{} is shard {} of {} but {} is shard {} of {}: not one run's shards",
                                               shards[0].path, shards[0].index, N, sh.path, sh.index, sh.count));
    auto [it, fresh] = by_index.emplace(sh.index, &sh);
    if (!fresh)
      throw Error(ExitCode::Usage, fmt::format("{} and {} are both shard {} of {}", it->second->path, sh.path, sh.index, N));
    const std::string diff = difference(shards[0], sh);
    if (!diff.empty())
      throw Error(ExitCode::Usage, fmt::format("{} and {} are not shards of one run (a different model, data or "
                                               "settings): {}", shards[0].path, sh.path, diff));
  }
  std::vector<int> missing;
  for (int i = 1; i <= N; ++i)
    if (!by_index.count(i)) missing.push_back(i);
  if (!missing.empty())
    throw Error(ExitCode::Usage, fmt::format("shard{} {} of {} {} missing (merge needs every shard of the run once)",
                                             missing.size() == 1 ? "" : "s", fmt::join(missing, ", "), N,
                                             missing.size() == 1 ? "is" : "are"));
  std::sort(shards.begin(), shards.end(), [](const Shard& a, const Shard& b) { return a.index < b.index; });
  for (const Shard& sh : shards)
    if (std::filesystem::exists(o.output) && std::filesystem::equivalent(sh.path, o.output))
      throw Error(ExitCode::Usage, fmt::format("--output {} is one of the shards' files", o.output));

  io::LineFile out = io::LineFile::create(o.output);
  const Shard& head = shards[0];
  for (const std::string& line : head.header) {
    if (head.format == "json" && starts_with(line, " \"columns\": ")) {
      // the run object goes before "columns", as mcmc run writes it
      nlohmann::ordered_json r = nlohmann::ordered_json::object();
      for (auto it = head.run.begin(); it != head.run.end(); ++it) {
        if (it.key() == "shard_index" || it.key() == "shard_count") continue;
        nlohmann::ordered_json v = it.value();
        for (const Shard& sh : shards) {
          const auto& w = sh.run[it.key()];
          if (it.key() == "chains_started") {
            if (&sh != &head) v = v.get<std::int64_t>() + w.get<std::int64_t>();
          } else if (it.key() == "interrupted") {
            v = std::max(v.get<std::int64_t>(), w.get<std::int64_t>());
          } else if (it.key().find("seconds") != std::string::npos) {
            v = std::max(v.get<double>(), w.get<double>());
          }
        }
        r[it.key()] = v;
      }
      out.buffer() += " \"run\": " + r.dump() + ",\n";
    }
    out.buffer() += line;
    out.buffer() += '\n';
  }
  if (head.format == "json") out.buffer() += " \"chains\": [\n";
  out.line_done();
  bool any_chain = false;
  for (Shard& sh : shards) {
    sh.in.open(sh.path, std::ios::binary);
    if (!sh.in) throw Error(ExitCode::Io, fmt::format("cannot read '{}'", sh.path));
    skip_lines(sh, sh.body_begin);
    copy_lines(sh, out, sh.body_end, head.format == "json" && any_chain && sh.body_end > sh.body_begin);
    any_chain = any_chain || sh.body_end > sh.body_begin;
  }
  if (head.format == "json") {
    out.buffer() += " ]\n}\n";
  } else {
    out.buffer() += "#\n";
    for (const auto& [key, value] : head.footer) {
      if (key == "run_shard_index" || key == "run_shard_count") continue;
      std::string v = value;
      for (const Shard& sh : shards)
        for (const auto& [k, w] : sh.footer) {
          if (k != key || &sh == &head) continue;
          if (key == "run_chains_started") v = std::to_string(std::stoll(v) + std::stoll(w));
          if (key == "run_interrupted") v = std::max(v, w);
          if (key.find("seconds") != std::string::npos && std::stod(w) > std::stod(v)) v = w;
        }
      out.buffer() += "# " + key + " = " + v + "\n";
    }
  }
  out.close();
  return 0;
}

}  // namespace mcmc::cli
