// `--init`, parsed once: a radius, a file of initial values, or Pathfinder; and the initial points it gives.
#include "run/init.hpp"

#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "graph/tape.hpp"
#include "util/error.hpp"
#include "util/parse_number.hpp"

namespace mcmc::run {


Init Init::parse(const std::string& text) {
  Init init;
  if (text == "pathfinder") {
    init.kind = Kind::Pathfinder;
  } else if (const std::optional<double> r = parse_number(text)) {
    if (!(*r >= 0) || !std::isfinite(*r)) throw Error(ExitCode::Usage, "--init radius must be non-negative");
    init.radius = *r;
  } else {
    init.kind = Kind::File;
    init.file = text;
    try {
      init.values = std::make_shared<const io::DataSet>(io::read_data_json(text));
    } catch (const Error& e) {  // the JSON reader speaks of a "data file": say which file this is
      std::string message = e.what();
      const std::string data_file = "data file '";
      if (auto at = message.find(data_file); at != std::string::npos)
        message.replace(at, data_file.size(), "initial values file '");
      throw Error(e.code(), message);
    }
  }
  return init;
}

std::string Init::text() const {
  switch (kind) {
    case Kind::Radius: return fmt::format("{}", radius);
    case Kind::File: return file;
    case Kind::Pathfinder: return "pathfinder";
  }
  return "";
}

void Init::prepare(const model::Model& model, std::uint64_t seed, int threads) {
  if (kind != Kind::Pathfinder || draws) return;
  optim::PathfinderOptions o;
  o.threads = threads;
  const Init uniform;  // each path starts from uniform(-2, 2), as CmdStan's pathfinder
  auto start = [&](int path, sampler::Rng& rng, optim::Density& d) {
    return finite_initial_point(model, uniform, rng, d, fmt::format("Pathfinder path {}", path + 1));
  };
  draws = std::make_shared<const optim::PathfinderResult>(optim::pathfinder(model_density(model), start, o, seed));
}

std::vector<double> Init::point(const model::Model& model, sampler::Rng& rng) const {
  if (kind == Kind::Pathfinder) {
    if (!draws) throw std::logic_error("Init::point: Pathfinder has not run (call prepare first)");
    const std::span<const double> q = draws->draw(draws->pick(rng));
    return {q.begin(), q.end()};
  }
  const double r = kind == Kind::File ? 2.0 : radius;
  std::vector<double> u(model.dim());
  for (double& x : u) x = r == 0 ? 0.0 : (2 * rng.uniform() - 1) * r;
  return model.init_point(values.get(), u);
}

bool Init::random(const model::Model& model) const {
  if (kind == Kind::Radius) return radius != 0;
  if (kind == Kind::File) {
    for (const auto& o : model.outputs())
      if (o.block == lang::BlockKind::Parameters && !values->find(o.name)) return true;
    return false;
  }
  return true;
}

optim::DensityFactory model_density(const model::Model& model) {
  return [&model] {
    auto ev = std::make_shared<graph::Evaluator>(model.tape(), 1);
    optim::Density d;
    d.lp_grad = [ev](std::span<const double> q, std::span<double> grad) { return ev->logp_grad(q, grad); };
    d.lp = [ev](std::span<const double> q) {
      double lp = 0;
      ev->logp(q.data(), &lp);
      return lp;
    };
    return d;
  };
}

std::vector<double> finite_initial_point(const model::Model& model, const Init& init, sampler::Rng& rng,
                                         optim::Density& density, const std::string& who) {
  std::vector<double> grad(model.dim());
  std::string last;
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::vector<double> q = init.point(model, rng);
    const double lp = density.lp_grad(q, grad);
    bool ok = std::isfinite(lp);
    for (double g : grad) ok = ok && std::isfinite(g);
    if (ok) return q;
    last = model.explain(q);
    if (last.empty()) last = std::isfinite(lp) ? "the gradient is not finite" : fmt::format("the log density is {}", lp);
    if (!init.random(model)) throw Error(ExitCode::Sampling, fmt::format("{}: the initial point is not valid: {}", who, last));
  }
  throw Error(ExitCode::Sampling,
              fmt::format("{}: initialization failed after 100 attempts; last: {}\n"
                          "Try a smaller --init radius (e.g. --init 0.5) or initial values in a JSON file (--init inits.json).",
                          who, last));
}

}  // namespace mcmc::run
