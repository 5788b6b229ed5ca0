// Shared helpers of the model tests: compiling a model from text with data built in code, and checking gradients.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "graph/tape.hpp"
#include "../graph/fd_check.hpp"
#include "io/data.hpp"
#include "lang/frontend.hpp"
#include "model/model.hpp"

namespace mcmc::test {

/// A data set built in code.
struct Data {
  io::DataSet set;
  Data& scalar(const std::string& name, double v) {
    set.vars[name] = io::DataValue{{}, {v}, v == std::floor(v)};
    return *this;
  }
  Data& vec(const std::string& name, std::vector<double> v) {
    std::vector<std::size_t> dims = {v.size()};
    set.vars[name] = io::DataValue{dims, std::move(v), false};
    return *this;
  }
  Data& ints(const std::string& name, std::vector<double> v) {
    std::vector<std::size_t> dims = {v.size()};
    set.vars[name] = io::DataValue{dims, std::move(v), true};
    return *this;
  }
  Data& array(const std::string& name, std::vector<std::size_t> dims, std::vector<double> v) {
    set.vars[name] = io::DataValue{std::move(dims), std::move(v), false};
    return *this;
  }
};

inline std::shared_ptr<const model::Model> compile(const std::string& source, const io::DataSet& data = {},
                                                   std::uint64_t seed = 1, const model::CompileOptions& options = {}) {
  lang::Program program = lang::parse_and_check("test.stan", source);
  return model::Model::compile(std::make_shared<const lang::Program>(std::move(program)), data, seed, options);
}

inline double logp(const model::Model& m, const std::vector<double>& q) {
  graph::Evaluator ev(m.tape(), 1);
  std::vector<double> g(q.size());
  return ev.logp_grad(q, g);
}

inline double logp_grad(const model::Model& m, const std::vector<double>& q, std::vector<double>& g) {
  graph::Evaluator ev(m.tape(), 1);
  g.assign(q.size(), 0.0);
  return ev.logp_grad(q, g);
}

/// Compares the gradient at q with central differences of the log density: step 1e-6 relative,
/// tolerance 1e-6 relative + absolute (plus the differencing error of a large log density).
inline void check_gradient_at(const model::Model& m, const std::vector<double>& q, const std::string& what) {
  INFO(what);
  test::check_tape_gradient(m.tape(), q, [&](std::size_t i) { return m.unconstrained_names()[i]; });
}

/// Gradient checks at `points` random unconstrained points, coordinates uniform in (-r, r).
inline void check_gradient(const model::Model& m, const std::string& what, int points = 4, double r = 1.0,
                           std::uint64_t seed = 99) {
  REQUIRE(m.dim() > 0);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-r, r);
  for (int p = 0; p < points; ++p) {
    std::vector<double> q(m.dim());
    for (double& v : q) v = u(rng);
    check_gradient_at(m, q, what + " point " + std::to_string(p));
  }
}

/// Batched evaluation at random points (batches of 1, 3, 8 and two chunks and a half) equals
/// one-point evaluation bit for bit. Returns how many of the points were rejected (-inf), so callers can check both paths ran.
inline int check_batches(const mcmc::model::Model& m, double r, std::uint64_t seed, int* points = nullptr) {
  const std::size_t dim = m.dim();
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-r, r);
  int rejected = 0;
  // The last size spans two full chunks and a partial one (the evaluator sweeps a large batch
  // chunk by chunk to stay in cache).
  const std::size_t chunk = mcmc::graph::Evaluator::chunk_for(m.tape(), std::size_t{1} << 30);
  for (std::size_t K : {std::size_t{1}, std::size_t{3}, std::size_t{8}, 2 * chunk + 3}) {
    std::vector<double> q(K * dim), lp(K), grad(K * dim);
    for (double& v : q) v = u(rng);
    mcmc::graph::Evaluator batch(m.tape(), K);
    CHECK(batch.chunk() == std::min(K, chunk));
    if (points) *points += static_cast<int>(K);
    batch.logp_grad(q.data(), lp.data(), grad.data());
    std::vector<double> lp_only(K);
    batch.logp(q.data(), lp_only.data());
    mcmc::graph::Evaluator one(m.tape(), 1);
    for (std::size_t k = 0; k < K; ++k) {
      std::vector<double> qk(q.begin() + k * dim, q.begin() + (k + 1) * dim), gk(dim);
      double l1 = one.logp_grad(qk, gk);
      INFO("batch " << K << " point " << k << ": " << l1 << " vs " << lp[k]);
      // Exact equality (NaN never compares equal, so compare the bits of non-finite values too).
      CHECK((l1 == lp[k] || (std::isnan(l1) && std::isnan(lp[k]))));
      CHECK((lp_only[k] == lp[k] || (std::isnan(lp_only[k]) && std::isnan(lp[k]))));
      if (l1 == -INFINITY) ++rejected;
      for (std::size_t i = 0; i < dim; ++i) CHECK((gk[i] == grad[k * dim + i] || (std::isnan(gk[i]) && std::isnan(grad[k * dim + i]))));
    }
  }
  return rejected;
}

inline std::string test_data_dir() { return MCMC_TEST_DATA_DIR; }

/// A file's whole text.
inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// A posteriordb case of tests/data/conformance compiled with its data (seed 1).
inline std::shared_ptr<const model::Model> conformance_model(const std::string& name,
                                                            const model::CompileOptions& options = {}) {
  const std::string dir = test_data_dir();
  auto data = io::read_data_json(dir + "/posteriordb/" + name + ".data.json");
  auto program = lang::parse_and_check(name + ".stan", read_text(dir + "/conformance/" + name + ".stan"));
  return model::Model::compile(std::make_shared<const lang::Program>(std::move(program)), data, 1, options);
}

}  // namespace mcmc::test
