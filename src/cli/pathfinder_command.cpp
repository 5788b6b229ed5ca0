// `mcmc pathfinder`: draws from multi-path Pathfinder's approximation (CmdStan's pathfinder), printed and written as Stan CSV.
#include <cmath>
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


std::string pathfinder_note(const optim::PathfinderResult& r) {
  std::string out = fmt::format(
      "Pathfinder: {} paths, {} gradient evaluations (L-BFGS) and {} log density evaluations (ELBO and draws); "
      "Pareto k of the importance weights {}\n",
      r.paths.size(), r.gradient_evals, r.density_evals, std::isnan(r.k_hat) ? "n/a" : fmt::format("{:.2f}", r.k_hat));
  for (const optim::PathReport& p : r.paths)
    if (!p.error.empty()) out += fmt::format("warning: Pathfinder path {} gave no draws: {}\n", p.path + 1, p.error);
  if (r.k_hat > 0.7)
    out += "warning: Pathfinder's Pareto k is above 0.7: its draws approximate the posterior poorly (use them as "
           "starting points, not as the posterior)\n";
  return out;
}

CLI::App* add_pathfinder_command(CLI::App& app, PathfinderCommandOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "pathfinder", "Draw from a normal approximation of the posterior by multi-path Pathfinder (as CmdStan's pathfinder)");
  auto& p = o.pathfinder;
  cmd->add_option("model", o.model_file, "The model file (any extension)")->required()->type_name("FILE");
  cmd->add_option("--data,-d", o.data_file, "Data file in Stan JSON format")->type_name("FILE");
  cmd->add_option("--init", o.init, "Each path's initial point: a radius R (uniform(-R,R) on the unconstrained scale) or a JSON file of constrained values")
      ->capture_default_str()->type_name("R|FILE");
  cmd->add_option("--seed", o.seed, "Random seed; path p draws from the stream (seed, 3*2^32 + p). Default: chosen at random and recorded")
      ->check(kSeed);
  cmd->add_option("--num-paths", p.num_paths, "Pathfinder paths (L-BFGS runs from different initial points)")
      ->check(CLI::Range(1, 100000))->capture_default_str();
  cmd->add_option("--num-draws", p.num_draws, "Draws per path from its best approximation")->check(CLI::Range(1, 100000000))->capture_default_str();
  cmd->add_option("--num-psis-draws", p.num_psis_draws, "Draws resampled from all paths' draws by their Pareto-smoothed importance weights (with more than one path)")
      ->check(CLI::Range(1, 100000000))->capture_default_str();
  cmd->add_option("--num-elbo-draws", p.num_elbo_draws, "Monte Carlo draws per ELBO estimate")->check(CLI::Range(1, 100000000))->capture_default_str();
  add_lbfgs_options(cmd, p.lbfgs);
  cmd->add_option("--threads,-j", p.threads, "Threads running paths side by side (default: all cores, OMP_NUM_THREADS honoured)")
      ->check(kNonNegative);
  cmd->add_option("--output,-o", o.output, "Write the draws as Stan CSV (lp_approx__, lp__, then the model's columns, as CmdStan's pathfinder)")
      ->type_name("FILE");
  cmd->add_option("--sig-figs", o.sig_figs, "Significant digits of the values written and printed")->check(CLI::Range(1, 18))->capture_default_str();
  cmd->add_flag("--quiet,-q", o.quiet, "Print nothing but errors and warnings");
  return cmd;
}

int pathfinder_command(const CLI::App& cmd, const PathfinderCommandOptions& o) {
  const bool seed_given = given(cmd, "--seed");
  const std::uint64_t seed = seed_or_random(seed_given, o.seed);
  auto program = std::make_shared<const lang::Program>(lang::load_program(o.model_file));
  io::DataSet data;
  if (!o.data_file.empty()) data = io::read_data_json(o.data_file);
  auto model = model::Model::compile(program, data, seed);
  if (model->dim() == 0) throw Error(ExitCode::Usage, "pathfinder: the model has no parameters");
  const run::Init init = run::Init::parse(o.init);
  if (init.kind == run::Init::Kind::Pathfinder)
    throw Error(ExitCode::Usage, "pathfinder: --init takes a radius or a JSON file of initial values");
  if (!seed_given && !o.quiet) std::cerr << "seed: " << seed << " (pass --seed " << seed << " to repeat this run)\n";

  auto start = [&](int path, sampler::Rng& rng, optim::Density& d) {
    return run::finite_initial_point(*model, init, rng, d, fmt::format("Pathfinder path {}", path + 1));
  };
  const optim::PathfinderResult r = optim::pathfinder(run::model_density(*model), start, o.pathfinder, seed);

  // The draws: with one path its draws as they are, else resampled by their importance weights.
  std::vector<std::size_t> picks;
  if (o.pathfinder.num_paths == 1) {
    for (std::size_t i = 0; i < r.num_draws(); ++i) picks.push_back(i);
  } else {
    sampler::Rng rng(seed, optim::kResampleStream);
    for (int i = 0; i < o.pathfinder.num_psis_draws; ++i) picks.push_back(r.pick(rng));
  }
  std::vector<std::vector<double>> rows;
  auto ev = model->make_output_evaluator();
  sampler::Rng gq_rng(seed, 1ull << 32);
  std::vector<double> values;
  for (std::size_t i : picks) {
    model->write_row(r.draw(i), gq_rng, values, *ev);
    std::vector<double> row{r.lq[i], r.lp[i]};
    row.insert(row.end(), values.begin(), values.end());
    rows.push_back(std::move(row));
  }

  if (!o.output.empty()) {
    const auto& p = o.pathfinder;
    io::RunHeader header;
    header.mcmc_version = build_version();
    header.mcmc_commit = build_commit();
    header.model_name = model->name();
    header.sampler_columns = {"lp_approx__", "lp__"};
    header.param_columns = model->column_names();
    header.algorithm = "pathfinder";
    auto add = [&](int depth, const std::string& key, const std::string& value, const char* option) {
      header.config.push_back({depth, key, value, option ? !given(cmd, option) : true, false});
    };
    auto section = [&](int depth, const std::string& key) { header.config.push_back({depth, key, "", false, true}); };
    auto num = [](double x) { return fmt::format("{}", x); };
    add(0, "method", "pathfinder", nullptr);
    header.config.back().is_default = false;
    section(1, "pathfinder");
    add(2, "tol_obj", num(p.lbfgs.tol_obj), "--tol-obj");
    add(2, "tol_rel_obj", num(p.lbfgs.tol_rel_obj), "--tol-rel-obj");
    add(2, "tol_grad", num(p.lbfgs.tol_grad), "--tol-grad");
    add(2, "tol_rel_grad", num(p.lbfgs.tol_rel_grad), "--tol-rel-grad");
    add(2, "tol_param", num(p.lbfgs.tol_param), "--tol-param");
    add(2, "history_size", std::to_string(p.lbfgs.history_size), "--history-size");
    add(2, "num_psis_draws", std::to_string(p.num_psis_draws), "--num-psis-draws");
    add(2, "num_paths", std::to_string(p.num_paths), "--num-paths");
    add(2, "psis_resample", p.num_paths > 1 ? "1" : "0", nullptr);
    add(2, "calculate_lp", "1", nullptr);
    add(2, "max_lbfgs_iters", std::to_string(p.lbfgs.max_iterations), "--iter");
    add(2, "num_draws", std::to_string(p.num_draws), "--num-draws");
    add(2, "num_elbo_draws", std::to_string(p.num_elbo_draws), "--num-elbo-draws");
    add(0, "id", "1", nullptr);
    section(0, "data");
    add(1, "file", o.data_file, "--data");
    add(0, "init", o.init, "--init");
    section(0, "random");
    add(1, "seed", std::to_string(seed), "--seed");
    section(0, "output");
    add(1, "file", o.output, "--output");
    add(1, "sig_figs", std::to_string(o.sig_figs), "--sig-figs");
    std::vector<std::pair<std::string, std::string>> footer = {
        {"gradient_evaluations", std::to_string(r.gradient_evals)},
        {"log_density_evaluations", std::to_string(r.density_evals)},
        {"pareto_k", std::isnan(r.k_hat) ? "nan" : io::format_value(r.k_hat, 3)}};
    for (const optim::PathReport& pr : r.paths)
      footer.emplace_back(fmt::format("path_{}", pr.path + 1),
                          pr.error.empty() ? fmt::format("{} L-BFGS iterations, best ELBO {} at iteration {}; {}",
                                                         pr.lbfgs_iterations, io::format_value(pr.best_elbo, 6),
                                                         pr.best_iteration, pr.lbfgs_message)
                                           : pr.error);
    io::write_stan_csv_table(o.output, header, rows, footer, o.sig_figs);
  }
  std::cerr << (o.quiet ? std::string() : pathfinder_note(r));
  if (o.quiet && r.k_hat > 0.7) std::cerr << "warning: Pathfinder's Pareto k is above 0.7\n";
  if (!o.quiet) {
    std::vector<std::string> names{"lp_approx__", "lp__"};
    names.insert(names.end(), model->column_names().begin(), model->column_names().end());
    std::size_t width = 4;
    for (const std::string& n : names) width = std::max(width, n.size());
    std::cout << fmt::format("{} draws\n  {:<{}}  {:>12}  {:>12}\n", rows.size(), "", width, "Mean", "StdDev");
    for (std::size_t j = 0; j < names.size(); ++j) {
      double sum = 0, sq = 0;
      for (const auto& row : rows) sum += row[j];
      const double mean = sum / static_cast<double>(rows.size());
      for (const auto& row : rows) sq += (row[j] - mean) * (row[j] - mean);
      const double sd = rows.size() > 1 ? std::sqrt(sq / static_cast<double>(rows.size() - 1)) : 0.0;
      std::cout << fmt::format("  {:<{}}  {:>12}  {:>12}\n", names[j], width, io::format_value(mean, o.sig_figs),
                               io::format_value(sd, o.sig_figs));
    }
    if (!o.output.empty()) std::cout << "Output: " << o.output << "\n";
  }
  return 0;
}

}  // namespace mcmc::cli
