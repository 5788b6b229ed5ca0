// `mcmc log-density`: the log density and gradient at given points, for cross-checks against Stan.
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "graph/tape.hpp"
#include "io/data.hpp"
#include "io/number_format.hpp"
#include "lang/frontend.hpp"
#include "model/model.hpp"
#include "util/error.hpp"

namespace mcmc::cli {

CLI::App* add_log_density_command(CLI::App& app, LogDensityOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "log-density",
      "Print the log density (with Jacobian, constants dropped as in sampling) and its gradient at "
      "unconstrained points, one JSON object per line");
  cmd->add_option("model", o.model_file, "The model file")->required()->type_name("FILE");
  cmd->add_option("--data,-d", o.data_file, "Data file in Stan JSON format")->type_name("FILE");
  cmd->add_option("--point,-p", o.points, "An unconstrained point: comma-separated values (repeatable)")->required();
  return cmd;
}

int log_density_command(const LogDensityOptions& o) {
  auto program = std::make_shared<const lang::Program>(lang::load_program(o.model_file));
  io::DataSet data;
  if (!o.data_file.empty()) data = io::read_data_json(o.data_file);
  auto model = model::Model::compile(program, data, 0);
  graph::Evaluator ev(model->tape(), 1);
  for (const std::string& text : o.points) {
    std::vector<double> q;
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t end = text.find(',', start);
      if (end == std::string::npos) end = text.size();
      std::string item = text.substr(start, end - start);
      try {
        std::size_t pos;
        q.push_back(std::stod(item, &pos));
        if (pos != item.size()) throw std::invalid_argument(item);
      } catch (...) {
        throw Error(ExitCode::Usage, fmt::format("--point: '{}' is not a number", item));
      }
      start = end + 1;
    }
    if (q.size() != model->dim())
      throw Error(ExitCode::Usage, fmt::format("--point has {} values but the model has {} unconstrained parameters",
                                               q.size(), model->dim()));
    std::vector<double> grad(q.size());
    double lp = ev.logp_grad(q, grad);
    std::string line = "{\"lp\": ";
    io::append_json_number(line, lp);
    line += ", \"gradient\": [";
    for (std::size_t i = 0; i < grad.size(); ++i) {
      if (i) line += ", ";
      io::append_json_number(line, grad[i]);
    }
    line += "]}";
    std::cout << line << "\n";
  }
  return 0;
}

}  // namespace mcmc::cli
