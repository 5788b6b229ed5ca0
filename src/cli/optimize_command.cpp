// `mcmc optimize`: L-BFGS to the posterior mode (CmdStan's optimize), printed and written as Stan CSV.
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "io/number_format.hpp"
#include "io/stan_csv_table.hpp"
#include "lang/frontend.hpp"
#include "model/model.hpp"
#include "run/init.hpp"
#include "util/build_info.hpp"
#include "util/error.hpp"

namespace mcmc::cli {

void add_lbfgs_options(CLI::App* cmd, optim::LbfgsOptions& o) {
  cmd->add_option("--iter", o.max_iterations, "Most L-BFGS iterations")->check(CLI::Range(1, 100000000))->capture_default_str();
  cmd->add_option("--tol-obj", o.tol_obj, "Converged when the log density changes by less than this")
      ->check(kNonNegative)->capture_default_str();
  cmd->add_option("--tol-rel-obj", o.tol_rel_obj,
                  "Converged when the relative change of the log density is below this times machine epsilon")
      ->check(kNonNegative)->capture_default_str();
  cmd->add_option("--tol-grad", o.tol_grad, "Converged when the gradient norm is below this")->check(kNonNegative)->capture_default_str();
  cmd->add_option("--tol-rel-grad", o.tol_rel_grad,
                  "Converged when the relative gradient magnitude (g' H g / |lp|) is below this times machine epsilon")
      ->check(kNonNegative)->capture_default_str();
  cmd->add_option("--tol-param", o.tol_param, "Converged when the step is shorter than this")->check(kNonNegative)->capture_default_str();
  cmd->add_option("--history-size", o.history_size, "L-BFGS history: (step, gradient change) pairs kept")
      ->check(CLI::Range(1, 1000))->capture_default_str();
}


CLI::App* add_optimize_command(CLI::App& app, OptimizeOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "optimize", "Find the posterior mode with L-BFGS (as CmdStan's optimize: without --jacobian, the mode of the "
                  "density of the constrained parameters)");
  cmd->add_option("model", o.model_file, "The model file (any extension)")->required()->type_name("FILE");
  cmd->add_option("--data,-d", o.data_file, "Data file in Stan JSON format")->type_name("FILE");
  cmd->add_option("--init", o.init, "Initial point: a radius R (uniform(-R,R) on the unconstrained scale) or a JSON file of constrained values")
      ->capture_default_str()->type_name("R|FILE");
  cmd->add_option("--seed", o.seed, "Random seed (of the initial point and generated quantities). Default: chosen at random and recorded")
      ->check(kSeed);
  cmd->add_flag("--jacobian", o.jacobian, "Include the Jacobians of the constraining transforms: the mode on the unconstrained scale (the Laplace approximation's centre)");
  add_lbfgs_options(cmd, o.lbfgs);
  cmd->add_option("--output,-o", o.output, "Write the mode as Stan CSV (one row, as CmdStan's optimize)")->type_name("FILE");
  cmd->add_option("--sig-figs", o.sig_figs, "Significant digits of the values written and printed")->check(CLI::Range(1, 18))->capture_default_str();
  cmd->add_flag("--quiet,-q", o.quiet, "Print nothing but errors");
  return cmd;
}

int optimize_command(const CLI::App& cmd, const OptimizeOptions& o) {
  const bool seed_given = given(cmd, "--seed");
  const std::uint64_t seed = seed_or_random(seed_given, o.seed);
  auto program = std::make_shared<const lang::Program>(lang::load_program(o.model_file));
  io::DataSet data;
  if (!o.data_file.empty()) data = io::read_data_json(o.data_file);
  model::CompileOptions co;
  co.jacobian = o.jacobian;
  auto model = model::Model::compile(program, data, seed, co);
  const run::Init init = run::Init::parse(o.init);
  if (init.kind == run::Init::Kind::Pathfinder)
    throw Error(ExitCode::Usage, "optimize: --init takes a radius or a JSON file of initial values");
  if (!seed_given && !o.quiet) std::cerr << "seed: " << seed << " (pass --seed " << seed << " to repeat this run)\n";

  sampler::Rng rng(seed, 0);  // chain 1's stream, as CmdStan's optimize is chain 1
  optim::Density density = run::model_density(*model)();
  const std::vector<double> x0 = run::finite_initial_point(*model, init, rng, density, "optimize");
  const optim::LbfgsResult r = optim::maximize(density.lp_grad, x0, o.lbfgs);

  std::vector<double> values;
  sampler::Rng gq_rng(seed, 1ull << 32);  // generated quantities: chain 1's stream (seed, 2^32)
  auto ev = model->make_output_evaluator();
  model->write_row(r.x, gq_rng, values, *ev);
  std::vector<double> row{r.lp};
  row.insert(row.end(), values.begin(), values.end());

  if (!o.output.empty()) {
    io::RunHeader header;
    header.mcmc_version = build_version();
    header.mcmc_commit = build_commit();
    header.model_name = model->name();
    header.sampler_columns = {"lp__"};
    header.param_columns = model->column_names();
    header.algorithm = "lbfgs";
    auto add = [&](int depth, const std::string& key, const std::string& value, const char* option) {
      header.config.push_back({depth, key, value, option ? !given(cmd, option) : true, false});
    };
    auto section = [&](int depth, const std::string& key) { header.config.push_back({depth, key, "", false, true}); };
    auto num = [](double x) { return fmt::format("{}", x); };
    add(0, "method", "optimize", nullptr);
    header.config.back().is_default = false;
    section(1, "optimize");
    add(2, "algorithm", "lbfgs", nullptr);
    section(3, "lbfgs");
    add(4, "tol_obj", num(o.lbfgs.tol_obj), "--tol-obj");
    add(4, "tol_rel_obj", num(o.lbfgs.tol_rel_obj), "--tol-rel-obj");
    add(4, "tol_grad", num(o.lbfgs.tol_grad), "--tol-grad");
    add(4, "tol_rel_grad", num(o.lbfgs.tol_rel_grad), "--tol-rel-grad");
    add(4, "tol_param", num(o.lbfgs.tol_param), "--tol-param");
    add(4, "history_size", std::to_string(o.lbfgs.history_size), "--history-size");
    add(2, "jacobian", o.jacobian ? "1" : "0", "--jacobian");
    add(2, "iter", std::to_string(o.lbfgs.max_iterations), "--iter");
    add(0, "id", "1", nullptr);
    section(0, "data");
    add(1, "file", o.data_file, "--data");
    add(0, "init", o.init, "--init");
    section(0, "random");
    add(1, "seed", std::to_string(seed), "--seed");
    section(0, "output");
    add(1, "file", o.output, "--output");
    add(1, "sig_figs", std::to_string(o.sig_figs), "--sig-figs");
    io::write_stan_csv_table(o.output, header, {row},
                             {{"iterations", std::to_string(r.iterations)},
                              {"gradient_evaluations", std::to_string(r.evaluations)},
                              {"converged", r.converged ? "1" : "0"},
                              {"termination", r.message}},
                             o.sig_figs);
  }
  if (!o.quiet) {
    std::cout << fmt::format("L-BFGS: {} iterations, {} gradient evaluations; {}\n", r.iterations, r.evaluations,
                             r.message);
    std::cout << fmt::format("Mode ({}):\n", o.jacobian ? "with Jacobian: of the unconstrained density"
                                                         : "of the constrained density, no Jacobian");
    std::vector<std::string> names{"lp__"};
    names.insert(names.end(), model->column_names().begin(), model->column_names().end());
    std::size_t width = 0;
    for (const std::string& n : names) width = std::max(width, n.size());
    for (std::size_t i = 0; i < names.size(); ++i)
      std::cout << fmt::format("  {:<{}}  {}\n", names[i], width, io::format_value(row[i], o.sig_figs));
    if (!o.output.empty()) std::cout << "Output: " << o.output << "\n";
  }
  // As CmdStan: running out of iterations ends normally (with a warning); a failed line search is an
  // error, with the last iterate still written.
  if (r.failed) {
    std::cerr << "error: optimize: " << r.message << " (the last iterate was written)\n";
    return static_cast<int>(ExitCode::Sampling);
  }
  if (!r.converged) std::cerr << "warning: optimize: " << r.message << "\n";
  return 0;
}

}  // namespace mcmc::cli
