// Elementwise functions: values against closed forms and analytic derivatives against finite differences.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "graph/functions.hpp"

using mcmc::graph::apply;
using mcmc::graph::BinaryFn;
using mcmc::graph::derivative;
using mcmc::graph::partials;
using mcmc::graph::UnaryFn;

namespace {

// Central difference with a relative step; accurate to ~1e-9 relative for smooth functions.
template <class F>
double central_diff(F f, double x) {
  double h = 1e-6 * std::max(1.0, std::fabs(x));
  return (f(x + h) - f(x - h)) / (2 * h);
}

void check_close(double analytic, double numeric, const std::string& what) {
  INFO(what << ": analytic " << analytic << " numeric " << numeric);
  CHECK(std::fabs(analytic - numeric) <= 1e-6 * std::max(1.0, std::fabs(numeric)));
}

}  // namespace

TEST_CASE("every differentiable unary function's derivative matches a central difference") {
  struct Case {
    const char* name;
    UnaryFn f;
    std::vector<double> xs;
  };
  const std::vector<Case> cases = {
      {"neg", UnaryFn::Neg, {-2.5, 0.3}},
      {"exp", UnaryFn::Exp, {-3, 0.4, 2.2}},
      {"log", UnaryFn::Log, {0.05, 1.3, 40}},
      {"log2", UnaryFn::Log2, {0.3, 7}},
      {"log10", UnaryFn::Log10, {0.3, 7}},
      {"log1p", UnaryFn::Log1p, {-0.7, 0.01, 3}},
      {"expm1", UnaryFn::Expm1, {-2, 1e-3, 1.5}},
      {"sqrt", UnaryFn::Sqrt, {0.02, 2, 50}},
      {"cbrt", UnaryFn::Cbrt, {-8, 0.5, 27}},
      {"square", UnaryFn::Square, {-1.5, 0.2}},
      {"inv", UnaryFn::Inv, {-3, 0.4}},
      {"inv_sqrt", UnaryFn::InvSqrt, {0.2, 5}},
      {"inv_square", UnaryFn::InvSquare, {-1.7, 0.6}},
      {"inv_logit", UnaryFn::InvLogit, {-40, -3, 0.2, 5}},
      {"logit", UnaryFn::Logit, {0.01, 0.5, 0.93}},
      {"log_inv_logit", UnaryFn::LogInvLogit, {-30, -1, 2, 30}},
      {"log1m_inv_logit", UnaryFn::Log1mInvLogit, {-30, -1, 2, 30}},
      {"log1m", UnaryFn::Log1m, {-2, 0.3, 0.99}},
      {"log1p_exp", UnaryFn::Log1pExp, {-30, -1, 0.5, 40}},
      {"log1m_exp", UnaryFn::Log1mExp, {-5, -0.9, -0.1}},
      {"lgamma", UnaryFn::Lgamma, {0.1, 0.9, 3.7, 25, -0.5, -2.3}},
      {"tgamma", UnaryFn::Tgamma, {0.3, 2.5, 6.1, -1.5}},
      {"digamma", UnaryFn::Digamma, {0.2, 1, 4.4, 30, -0.7}},
      {"Phi", UnaryFn::Phi, {-6, -1, 0, 0.7, 3}},
      {"Phi_approx", UnaryFn::PhiApprox, {-3, 0.1, 2}},
      {"inv_Phi", UnaryFn::InvPhi, {0.001, 0.3, 0.5, 0.8, 0.999}},
      {"erf", UnaryFn::Erf, {-1.2, 0.1, 2}},
      {"erfc", UnaryFn::Erfc, {-1.2, 0.1, 2}},
      {"sin", UnaryFn::Sin, {-2, 0.5, 4}},
      {"cos", UnaryFn::Cos, {-2, 0.5, 4}},
      {"tan", UnaryFn::Tan, {-1.2, 0.3, 1}},
      {"asin", UnaryFn::Asin, {-0.9, 0.2}},
      {"acos", UnaryFn::Acos, {-0.9, 0.2}},
      {"atan", UnaryFn::Atan, {-3, 0.2, 10}},
      {"sinh", UnaryFn::Sinh, {-2, 0.3}},
      {"cosh", UnaryFn::Cosh, {-2, 0.3}},
      {"tanh", UnaryFn::Tanh, {-2, 0.3, 1.5}},
      {"asinh", UnaryFn::Asinh, {-2, 0.3}},
      {"acosh", UnaryFn::Acosh, {1.2, 5}},
      {"atanh", UnaryFn::Atanh, {-0.8, 0.3}},
      {"fabs", UnaryFn::Fabs, {-2.5, 0.7}},
      {"exp2", UnaryFn::Exp2, {-1.5, 3}},
  };
  for (const Case& c : cases)
    for (double x : c.xs) {
      double y = apply(c.f, x);
      double numeric = central_diff([&](double t) { return apply(c.f, t); }, x);
      check_close(derivative(c.f, x, y), numeric, std::string(c.name) + " at " + std::to_string(x));
    }
}

TEST_CASE("unary function values match closed forms") {
  CHECK(apply(UnaryFn::InvLogit, 0.3) == doctest::Approx(1 / (1 + std::exp(-0.3))).epsilon(1e-15));
  CHECK(apply(UnaryFn::Logit, 0.2) == doctest::Approx(std::log(0.25)).epsilon(1e-14));
  CHECK(apply(UnaryFn::LogInvLogit, -800) == doctest::Approx(-800).epsilon(1e-15));
  CHECK(apply(UnaryFn::Log1mInvLogit, 800) == doctest::Approx(-800).epsilon(1e-15));
  CHECK(apply(UnaryFn::Log1pExp, 1000) == doctest::Approx(1000).epsilon(1e-15));
  CHECK(apply(UnaryFn::Log1pExp, -1000) == 0.0);
  CHECK(apply(UnaryFn::Phi, 1.0) == doctest::Approx(0.8413447460685429).epsilon(1e-14));
  CHECK(apply(UnaryFn::Phi, -3.0) == doctest::Approx(0.0013498980316300946).epsilon(1e-13));
  CHECK(apply(UnaryFn::InvPhi, 0.975) == doctest::Approx(1.959963984540054).epsilon(1e-12));
  CHECK(apply(UnaryFn::InvPhi, 1e-10) == doctest::Approx(-6.361340902404056).epsilon(1e-10));
  CHECK(apply(UnaryFn::Phi, apply(UnaryFn::InvPhi, 0.123)) == doctest::Approx(0.123).epsilon(1e-14));
  CHECK(apply(UnaryFn::Digamma, 1.0) == doctest::Approx(-0.5772156649015329).epsilon(1e-13));
  CHECK(apply(UnaryFn::Digamma, 0.5) == doctest::Approx(-1.9635100260214235).epsilon(1e-13));
  CHECK(apply(UnaryFn::Digamma, -0.5) == doctest::Approx(0.03648997397857652).epsilon(1e-11));
  CHECK(apply(UnaryFn::PhiApprox, 0.5) ==
        doctest::Approx(1 / (1 + std::exp(-(0.07056 * 0.125 + 1.5976 * 0.5)))).epsilon(1e-15));
  CHECK(apply(UnaryFn::Log1m, 0.25) == doctest::Approx(std::log(0.75)).epsilon(1e-15));
  CHECK(apply(UnaryFn::Step, -0.1) == 0.0);
  CHECK(apply(UnaryFn::Step, 0.0) == 1.0);
  // trigamma(1) = pi^2 / 6 (the derivative of digamma).
  CHECK(derivative(UnaryFn::Digamma, 1.0, apply(UnaryFn::Digamma, 1.0)) ==
        doctest::Approx(std::numbers::pi * std::numbers::pi / 6).epsilon(1e-9));
}

TEST_CASE("every differentiable binary function's partials match central differences") {
  struct Case {
    const char* name;
    BinaryFn f;
    std::vector<std::pair<double, double>> pts;
  };
  const std::vector<Case> cases = {
      {"add", BinaryFn::Add, {{1.5, -2}}},
      {"sub", BinaryFn::Sub, {{1.5, -2}}},
      {"mul", BinaryFn::Mul, {{1.5, -2}}},
      {"div", BinaryFn::Div, {{1.5, -2}, {-0.3, 0.7}}},
      {"pow", BinaryFn::Pow, {{1.7, 2.3}, {0.4, -1.5}, {3, 0.5}}},
      {"fmin", BinaryFn::Fmin, {{1, 2}, {3, -1}}},
      {"fmax", BinaryFn::Fmax, {{1, 2}, {3, -1}}},
      {"atan2", BinaryFn::Atan2, {{1, 2}, {-0.5, -3}, {2, -0.1}}},
      {"lbeta", BinaryFn::Lbeta, {{0.5, 2.5}, {7, 3}}},
      {"log_sum_exp", BinaryFn::LogSumExp, {{1, 2}, {-30, 4}, {0.3, 0.3}}},
      {"lchoose", BinaryFn::Lchoose, {{10.5, 3.2}, {5, 2}}},
      {"fdim", BinaryFn::Fdim, {{3, 1}, {1, 3}}},
      {"hypot", BinaryFn::Hypot, {{3, 4}, {-1, 0.5}}},
      {"fmod", BinaryFn::Fmod, {{7.5, 2}, {-5.3, 1.5}}},
      {"log_diff_exp", BinaryFn::LogDiffExp, {{2, 1}, {0.5, -3}, {1, 0.9}}},
  };
  for (const Case& c : cases)
    for (const auto& pt : c.pts) {
      const double a = pt.first, b = pt.second;  // (clang 14 cannot capture structured bindings)
      double r = apply(c.f, a, b), da, db;
      partials(c.f, a, b, r, da, db);
      std::string where = std::string(c.name) + " at (" + std::to_string(a) + ", " + std::to_string(b) + ")";
      check_close(da, central_diff([&](double t) { return apply(c.f, t, b); }, a), where + " d/da");
      check_close(db, central_diff([&](double t) { return apply(c.f, a, t); }, b), where + " d/db");
    }
}

TEST_CASE("binary function values match closed forms") {
  CHECK(apply(BinaryFn::Lbeta, 2, 3) == doctest::Approx(std::log(1.0 / 12)).epsilon(1e-14));
  CHECK(apply(BinaryFn::Lchoose, 10, 3) == doctest::Approx(std::log(120.0)).epsilon(1e-14));
  CHECK(apply(BinaryFn::LogSumExp, 1000, 1000) == doctest::Approx(1000 + std::log(2.0)).epsilon(1e-15));
  CHECK(apply(BinaryFn::LogDiffExp, std::log(5.0), std::log(2.0)) == doctest::Approx(std::log(3.0)).epsilon(1e-14));
  CHECK(apply(BinaryFn::Fdim, 1, 3) == 0.0);
  CHECK(apply(BinaryFn::Fdim, 3, 1) == 2.0);
  CHECK(apply(BinaryFn::Hypot, 3, 4) == 5.0);
  CHECK(apply(BinaryFn::Fmin, std::nan(""), 2) == 2.0);
  CHECK(apply(BinaryFn::Fmax, 2, std::nan("")) == 2.0);
}

TEST_CASE("special functions on Boost.Math: values against R, derivatives against central differences") {
  // R 4.2: trigamma(2.5); pgamma(1.7, 2.3) and lower.tail = FALSE; Owen's T by
  // integrate(function(x) exp(-h^2 (1 + x^2) / 2) / (1 + x^2), 0, a) / (2 pi) at h = 0.8, a = 1.6;
  // besselJ(2.3, 1), besselY(2.3, 2), besselI(1.7, 0), besselK(1.7, 3).
  CHECK(apply(UnaryFn::Trigamma, 2.5) == doctest::Approx(0.49035775610023491).epsilon(1e-14));
  CHECK(apply(BinaryFn::GammaP, 2.3, 1.7) == doctest::Approx(0.41684485601278309).epsilon(1e-14));
  CHECK(apply(BinaryFn::GammaQ, 2.3, 1.7) == doctest::Approx(0.58315514398721691).epsilon(1e-14));
  CHECK(apply(BinaryFn::OwensT, 0.8, 1.6) == doctest::Approx(0.099121466399930899).epsilon(1e-13));
  CHECK(apply(BinaryFn::BesselJ, 1, 2.3) == doctest::Approx(0.53987253260431367).epsilon(1e-14));
  CHECK(apply(BinaryFn::BesselY, 2, 2.3) == doctest::Approx(-0.47261686069090486).epsilon(1e-14));
  CHECK(apply(BinaryFn::BesselI, 0, 1.7) == doctest::Approx(1.8639649620738397).epsilon(1e-14));
  CHECK(apply(BinaryFn::BesselK, 3, 1.7) == doctest::Approx(1.1783157298719844).epsilon(1e-14));
  for (double x : {0.3, 2.5, 11.0}) {
    double y = apply(UnaryFn::Trigamma, x);
    double numeric = central_diff([](double t) { return apply(UnaryFn::Trigamma, t); }, x);
    check_close(derivative(UnaryFn::Trigamma, x, y), numeric, "trigamma at " + std::to_string(x));
  }
  struct Case {
    BinaryFn f;
    double a, b;
    bool da;  // differentiable in a (the Bessel order is an integer)
  };
  const Case cases[] = {
      {BinaryFn::GammaP, 2.3, 1.7, true}, {BinaryFn::GammaQ, 0.6, 3.1, true}, {BinaryFn::GammaP, 9.0, 2.0, true},
      {BinaryFn::OwensT, 0.8, 1.6, true}, {BinaryFn::OwensT, -1.3, 0.4, true},
      {BinaryFn::BesselJ, 0, 2.3, false}, {BinaryFn::BesselJ, 3, 0.7, false}, {BinaryFn::BesselY, 0, 2.3, false},
      {BinaryFn::BesselY, 2, 4.1, false}, {BinaryFn::BesselI, 0, 1.7, false}, {BinaryFn::BesselI, 2, 0.4, false},
      {BinaryFn::BesselK, 0, 1.7, false}, {BinaryFn::BesselK, 3, 2.6, false},
  };
  for (const Case& c : cases) {
    double r = apply(c.f, c.a, c.b), da, db;
    partials(c.f, c.a, c.b, r, da, db);
    std::string what = "binary function " + std::to_string(static_cast<int>(c.f)) + " at (" + std::to_string(c.a) +
                       ", " + std::to_string(c.b) + ")";
    check_close(db, central_diff([&](double t) { return apply(c.f, c.a, t); }, c.b), what + " d/db");
    if (c.da) check_close(da, central_diff([&](double t) { return apply(c.f, t, c.b); }, c.a), what + " d/da");
    else CHECK(da == 0);
  }
}
