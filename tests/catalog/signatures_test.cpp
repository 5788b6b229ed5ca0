// The catalogue's signatures as the checker sees them: return types, promotion, vectorization and distributions.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"

using namespace mcmc::catalog;

namespace {

const Type I{BaseType::Int, 0};
const Type R{BaseType::Real, 0};
const Type V{BaseType::Vector, 0};
const Type RV{BaseType::RowVector, 0};
const Type AI{BaseType::Int, 1};
const Type AR{BaseType::Real, 1};
const Type AAR{BaseType::Real, 2};

std::optional<Type> ret(const std::string& name, const std::vector<Type>& args) {
  return return_type(name, args);
}

}  // namespace

TEST_CASE("vectorized unary functions keep the shape and promote int to real") {
  CHECK(ret("exp", {I}) == R);
  CHECK(ret("log", {R}) == R);
  CHECK(ret("sqrt", {V}) == V);
  CHECK(ret("inv_logit", {RV}) == RV);
  CHECK(ret("lgamma", {AI}) == AR);
  CHECK(ret("log1p", {Type{BaseType::Vector, 2}}) == Type{BaseType::Vector, 2});
  CHECK(ret("floor", {I}) == R);
  CHECK(ret("abs", {I}) == I);
  CHECK(ret("abs", {R}) == R);
  CHECK(ret("abs", {AI}) == AI);
  CHECK_FALSE(ret("exp", {}).has_value());
  CHECK_FALSE(ret("exp", {R, R}).has_value());
}

TEST_CASE("binary and reduction functions") {
  CHECK(ret("pow", {I, R}) == R);
  CHECK(ret("choose", {I, I}) == I);
  CHECK_FALSE(ret("choose", {R, I}).has_value());
  CHECK(ret("log_sum_exp", {R, I}) == R);
  CHECK(ret("log_sum_exp", {V}) == R);
  CHECK(ret("max", {I, I}) == I);
  CHECK(ret("max", {I, R}) == R);
  CHECK(ret("min", {AI}) == I);
  CHECK(ret("min", {V}) == R);
  CHECK(ret("sum", {AI}) == I);
  CHECK(ret("sum", {AR}) == R);
  CHECK(ret("prod", {RV}) == R);
  CHECK(ret("mean", {V}) == R);
  CHECK_FALSE(ret("sum", {R}).has_value());
  CHECK(ret("int_step", {R}) == I);
  CHECK(ret("step", {I}) == R);
  CHECK(ret("is_nan", {R}) == I);
  CHECK(ret("pi", {}) == R);
  CHECK_FALSE(ret("pi", {I}).has_value());
}

TEST_CASE("container functions") {
  CHECK(ret("dot_product", {V, RV}) == R);
  CHECK(ret("dot_self", {V}) == R);
  CHECK(ret("rows_dot_product", {V, V}) == V);
  CHECK(ret("cumulative_sum", {AI}) == AI);
  CHECK(ret("cumulative_sum", {RV}) == RV);
  CHECK(ret("rep_vector", {I, I}) == V);
  CHECK_FALSE(ret("rep_vector", {R, R}).has_value());
  CHECK(ret("rep_row_vector", {R, I}) == RV);
  CHECK(ret("rep_array", {R, I}) == AR);
  CHECK(ret("rep_array", {R, I, I}) == AAR);
  CHECK(ret("rep_array", {V, I}) == Type{BaseType::Vector, 1});
  CHECK(ret("to_vector", {AI}) == V);
  CHECK(ret("to_row_vector", {V}) == RV);
  CHECK(ret("to_array_1d", {V}) == AR);
  CHECK(ret("to_array_1d", {Type{BaseType::Int, 2}}) == AI);
  CHECK(ret("size", {AAR}) == I);
  CHECK_FALSE(ret("size", {R}).has_value());
  CHECK(ret("num_elements", {V}) == I);
  CHECK(ret("rows", {V}) == I);
  CHECK(ret("head", {V, I}) == V);
  CHECK(ret("tail", {AI, I}) == AI);
  CHECK(ret("segment", {RV, I, I}) == RV);
  CHECK(ret("append_row", {R, V}) == V);
  CHECK_FALSE(ret("append_row", {R, R}).has_value());
  CHECK(ret("softmax", {V}) == V);
  CHECK_FALSE(ret("softmax", {RV}).has_value());
  CHECK(ret("sort_desc", {AR}) == AR);
}

TEST_CASE("distribution functions") {
  CHECK(ret("normal_lpdf", {V, R, I}) == R);
  CHECK(ret("normal_lpdf", {AI, R, R}) == R);  // int arrays promote to reals
  CHECK(ret("normal_lcdf", {R, R, R}) == R);
  CHECK(ret("normal_lccdf", {R, V, R}) == R);
  CHECK_FALSE(ret("normal_lpdf", {V, R}).has_value());
  CHECK(ret("std_normal_lpdf", {V}) == R);
  CHECK(ret("student_t_lpdf", {R, R, R, R}) == R);
  CHECK(ret("poisson_lpmf", {AI, V}) == R);
  CHECK_FALSE(ret("poisson_lpmf", {R, R}).has_value());
  CHECK(ret("binomial_lpmf", {AI, AI, V}) == R);
  CHECK_FALSE(ret("binomial_lpmf", {AI, R, V}).has_value());
  CHECK(ret("poisson_lcdf", {I, R}) == R);
  CHECK(ret("gamma_lccdf", {R, R, R}) == R);
  CHECK(ret("poisson_log_lcdf", {I, R}) == R);
  CHECK_FALSE(is_builtin("bernoulli_logit_lcdf"));
  CHECK(ret("categorical_lpmf", {AI, V}) == R);
  CHECK(ret("categorical_rng", {V}) == I);
  CHECK(ret("normal_rng", {R, R}) == R);
  CHECK(ret("normal_rng", {V, R}) == AR);
  CHECK(ret("poisson_rng", {R}) == I);
  CHECK(ret("poisson_rng", {AR}) == AI);
  CHECK(ret("std_normal_rng", {}) == R);
}

TEST_CASE("distribution lookup and descriptions") {
  CHECK(distribution_function("normal") == "normal_lpdf");
  CHECK(distribution_function("poisson") == "poisson_lpmf");
  CHECK(distribution_function("foo") == "");
  CHECK(is_builtin("exp"));
  CHECK_FALSE(is_builtin("normal"));
  CHECK(describe_signatures("normal_lpdf") == "normal_lpdf(reals | reals, reals) => real");
  CHECK(describe_signatures("poisson_rng") ==
        "poisson_rng(reals) => int (array[] int when an argument is a container)");
  CHECK(describe_signatures("nope") == "");
  CHECK(describe_signatures("max").find("max(int, int) => int") != std::string::npos);
}
