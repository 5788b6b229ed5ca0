// Draw output of a compiled model: Stan's column names and column-major order, constrained values, and initial values.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "sampler/rng.hpp"
#include "tests/model/model_test_util.hpp"
#include "util/error.hpp"

using mcmc::test::compile;
using mcmc::test::Data;

namespace {

const char* kModel = R"(
data { vector[2] lo; }
parameters {
  real<lower=0> s;
  array[2] vector[3] a;
  vector<lower=lo, upper=2>[2] b;
  real<offset=1, multiplier=2> c;
  array[2, 2] real<upper=s> m;
}
transformed parameters {
  real t = 2 * s;
  row_vector[2] rv = [c, s];
}
model { s ~ lognormal(0, 1); c ~ normal(0, 1); }
generated quantities {
  array[3] int k;
  real g = s + c;
  for (i in 1:3) k[i] = i * 10;
}
)";

Data lo_data() {
  Data d;
  d.vec("lo", {-1.0, 0.5});
  return d;
}

double inv_logit(double u) { return 1 / (1 + std::exp(-u)); }

}  // namespace

TEST_CASE("column names are Stan's: declaration order, containers column-major") {
  auto m = compile(kModel, lo_data().set);
  const std::vector<std::string> want = {
      "s",     "a.1.1", "a.2.1", "a.1.2", "a.2.2", "a.1.3", "a.2.3", "b.1",   "b.2",   "c",
      "m.1.1", "m.2.1", "m.1.2", "m.2.2", "t",     "rv.1",  "rv.2",  "k.1",   "k.2",   "k.3", "g"};
  CHECK(m->column_names() == want);
  REQUIRE(m->dim() == 14);
  CHECK(m->unconstrained_names()[0] == "s");
  CHECK(m->unconstrained_names()[2] == "a[1,2]");
  CHECK(m->unconstrained_names()[4] == "a[2,1]");
}

TEST_CASE("write_row gives constrained values in column-major order") {
  auto m = compile(kModel, lo_data().set);
  std::vector<double> q(m->dim());
  for (std::size_t i = 0; i < q.size(); ++i) q[i] = 0.1 * static_cast<double>(i) - 0.4;
  mcmc::sampler::Rng rng(1, 0);
  std::vector<double> out;
  m->write_row(q, rng, out);
  REQUIRE(out.size() == m->column_names().size());
  double s = std::exp(q[0]);
  CHECK(out[0] == doctest::Approx(s).epsilon(1e-15));
  // a is row-major in q (a[1] = q[1..3], a[2] = q[4..6]); columns go a.1.1, a.2.1, a.1.2, ...
  const int a_order[] = {1, 4, 2, 5, 3, 6};
  for (int j = 0; j < 6; ++j) CHECK(out[1 + j] == q[a_order[j]]);
  CHECK(out[7] == doctest::Approx(-1 + 3 * inv_logit(q[7])).epsilon(1e-15));
  CHECK(out[8] == doctest::Approx(0.5 + 1.5 * inv_logit(q[8])).epsilon(1e-15));
  CHECK(out[9] == doctest::Approx(1 + 2 * q[9]).epsilon(1e-15));
  const int m_order[] = {10, 12, 11, 13};  // m[1,1], m[2,1], m[1,2], m[2,2]
  for (int j = 0; j < 4; ++j) CHECK(out[10 + j] == doctest::Approx(s - std::exp(q[m_order[j]])).epsilon(1e-15));
  CHECK(out[14] == doctest::Approx(2 * s).epsilon(1e-15));
  CHECK(out[15] == doctest::Approx(1 + 2 * q[9]).epsilon(1e-15));
  CHECK(out[16] == doctest::Approx(s).epsilon(1e-15));
  CHECK(out[17] == 10);
  CHECK(out[18] == 20);
  CHECK(out[19] == 30);
  CHECK(out[20] == doctest::Approx(s + 1 + 2 * q[9]).epsilon(1e-15));
}

TEST_CASE("init_point inverts the transforms") {
  auto m = compile(kModel, lo_data().set);
  mcmc::io::DataSet inits;
  inits.vars["s"] = {{}, {2.5}, false};
  inits.vars["a"] = {{2, 3}, {1, 2, 3, 4, 5, 6}, true};
  inits.vars["b"] = {{2}, {0.3, 1.9}, false};
  inits.vars["c"] = {{}, {-0.7}, false};
  inits.vars["m"] = {{2, 2}, {2.4, -3, 0, 1}, false};
  std::vector<double> random_u(m->dim(), 0.123);
  std::vector<double> u = m->init_point(&inits, random_u);
  REQUIRE(u.size() == m->dim());
  CHECK(u[0] == doctest::Approx(std::log(2.5)).epsilon(1e-15));
  mcmc::sampler::Rng rng(1, 0);
  std::vector<double> out;
  m->write_row(u, rng, out);
  const std::vector<double> want = {2.5, 1, 4, 2, 5, 3, 6, 0.3, 1.9, -0.7, 2.4, 0, -3, 1};
  for (std::size_t i = 0; i < want.size(); ++i) {
    INFO("column " << m->column_names()[i]);
    CHECK(out[i] == doctest::Approx(want[i]).epsilon(1e-13).scale(1));
  }

  // Parameters missing from the inits keep their random values.
  mcmc::io::DataSet partial;
  partial.vars["c"] = {{}, {3.0}, false};
  std::vector<double> u2 = m->init_point(&partial, random_u);
  CHECK(u2[9] == doctest::Approx(1.0).epsilon(1e-15));
  for (std::size_t i = 0; i < u2.size(); ++i)
    if (i != 9) CHECK(u2[i] == 0.123);
  CHECK(m->init_point(nullptr, random_u) == random_u);

  // An initial value outside its bounds, or of the wrong shape, is an error.
  mcmc::io::DataSet bad;
  bad.vars["s"] = {{}, {-1.0}, false};
  CHECK_THROWS_AS(m->init_point(&bad, random_u), mcmc::Error);
  mcmc::io::DataSet bad_b;
  bad_b.vars["b"] = {{2}, {0.3, 0.4}, false};  // b[2] must exceed 0.5
  CHECK_THROWS_AS(m->init_point(&bad_b, random_u), mcmc::Error);
  mcmc::io::DataSet bad_m;
  bad_m.vars["m"] = {{2, 2}, {2.4, 2.6, 0, 1}, false};  // m[1,2] above its bound s = 2.5
  bad_m.vars["s"] = {{}, {2.5}, false};
  CHECK_THROWS_AS(m->init_point(&bad_m, random_u), mcmc::Error);
  mcmc::io::DataSet bad_shape;
  bad_shape.vars["a"] = {{3, 2}, {1, 2, 3, 4, 5, 6}, true};
  CHECK_THROWS_AS(m->init_point(&bad_shape, random_u), mcmc::Error);
}

TEST_CASE("write_row for a model with no parameters and only generated quantities") {
  Data d;
  d.scalar("N", 3);
  auto m = compile("data { int N; } generated quantities { vector[N] z = rep_vector(1.5, N); int n = N; }", d.set);
  CHECK(m->dim() == 0);
  CHECK(m->column_names() == std::vector<std::string>{"z.1", "z.2", "z.3", "n"});
  mcmc::sampler::Rng rng(3, 0);
  std::vector<double> out;
  m->write_row(std::vector<double>{}, rng, out);
  CHECK(out == std::vector<double>{1.5, 1.5, 1.5, 3});
}

TEST_CASE("write_row through the output tape equals the interpreted write_row") {
  auto m = compile(kModel, lo_data().set);
  auto ev = m->make_output_evaluator();
  std::mt19937_64 gen(5);
  std::uniform_real_distribution<double> u(-2, 2);
  for (int rep = 0; rep < 5; ++rep) {
    std::vector<double> q(m->dim());
    for (double& v : q) v = u(gen);
    mcmc::sampler::Rng r1(9, 1), r2(9, 1);
    std::vector<double> interpreted, taped;
    m->write_row(q, r1, interpreted);
    m->write_row(q, r2, taped, *ev);
    REQUIRE(taped.size() == interpreted.size());
    for (std::size_t i = 0; i < taped.size(); ++i) {
      INFO("column " << m->column_names()[i]);
      CHECK(taped[i] == doctest::Approx(interpreted[i]).epsilon(1e-15).scale(1e-300));
    }
  }
}
