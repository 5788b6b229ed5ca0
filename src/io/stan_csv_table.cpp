// A whole Stan CSV file written at once (CmdStan's optimize and pathfinder output): echo, header, rows, footer.
#include "io/stan_csv_table.hpp"

#include "io/line_file.hpp"
#include "io/stan_csv_sink.hpp"

namespace mcmc::io {

void write_stan_csv_table(const std::string& path, const RunHeader& header, const std::vector<std::vector<double>>& rows,
                          const std::vector<std::pair<std::string, std::string>>& footer, int sig_figs) {
  LineFile file = LineFile::create(path);
  std::string& out = file.buffer();
  out += header_comments(header);
  for (const ConfigEntry& e : header.config) out += config_echo_line(e) + "\n";
  std::vector<char> integer_column;
  bool first = true;
  for (const auto* names : {&header.sampler_columns, &header.param_columns})
    for (const std::string& name : *names) {
      out += first ? "" : ",";
      out += name;
      first = false;
      integer_column.push_back(0);
    }
  out += '\n';
  for (const std::vector<double>& row : rows) {
    append_row(out, row, integer_column, sig_figs);
    out += '\n';
    file.line_done();
  }
  out += "#\n";
  for (const auto& [key, value] : footer) out += "# " + key + " = " + value + "\n";
  file.close();
}

}  // namespace mcmc::io
