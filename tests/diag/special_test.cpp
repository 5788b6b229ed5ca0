// Checks qnorm / qbeta against R, and the FFT autocovariance against a direct O(n^2) sum.
#include <doctest/doctest.h>

#include <cmath>

#include "diag/autocovariance.hpp"
#include "diag/special.hpp"
#include "fixtures.hpp"

using namespace mcmc::diag;

TEST_CASE("qnorm and qbeta agree with R to 1e-13 relative") {
  const auto table = testing::read_csv("special.csv");
  REQUIRE(table.rows.size() > 20);
  for (const auto& row : table.rows) {
    const double p = testing::parse_number(row[1]);
    const double want = testing::parse_number(row[4]);
    if (row[0] == "qnorm") {
      CHECK_MESSAGE(testing::agrees(qnorm(p), want, 1e-13), "qnorm(" << p << ")");
    } else {
      const double a = testing::parse_number(row[2]);
      const double b = testing::parse_number(row[3]);
      CHECK_MESSAGE(testing::agrees(qbeta(p, a, b), want, 1e-12), "qbeta(" << p << ", " << a << ", " << b << ")");
    }
  }
  CHECK(std::isnan(qnorm(-0.1)));
  CHECK(std::isinf(qnorm(1.0)));
  CHECK(qbeta(0.0, 2.0, 3.0) == 0.0);
  CHECK(pbeta(0.5, 2.0, 2.0) == doctest::Approx(0.5).epsilon(1e-15));
}

TEST_CASE("FFT autocovariance equals the direct biased sum") {
  for (std::size_t n : {3u, 7u, 100u, 107u, 1000u}) {
    std::vector<double> x(n);
    double state = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      state = 0.6 * state + std::sin(1.7 * static_cast<double>(i) + 0.3) + 0.01 * static_cast<double>(i % 5);
      x[i] = state;
    }
    double mean = 0.0;
    for (double v : x) mean += v;
    mean /= static_cast<double>(n);
    const std::vector<double> acov = autocovariance(x);
    REQUIRE(acov.size() == n);
    for (std::size_t k = 0; k < n; ++k) {
      double sum = 0.0;
      for (std::size_t i = 0; i + k < n; ++i) sum += (x[i] - mean) * (x[i + k] - mean);
      CHECK(acov[k] == doctest::Approx(sum / static_cast<double>(n)).epsilon(1e-10).scale(acov[0]));
    }
  }
  const std::vector<double> constant(10, 2.5);
  for (double v : autocovariance(constant)) CHECK(v == 0.0);
}
