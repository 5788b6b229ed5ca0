// Names of types and blocks, as written in Stan source.
#include "lang/ast.hpp"

namespace mcmc::lang {

std::string to_string(const Type& t) {
  std::string base;
  switch (t.base) {
    case BaseType::Int: base = "int"; break;
    case BaseType::Real: base = "real"; break;
    case BaseType::Vector: base = "vector"; break;
    case BaseType::RowVector: base = "row_vector"; break;
    case BaseType::Matrix: base = "matrix"; break;
    case BaseType::String: base = "string"; break;
    case BaseType::Void: base = "void"; break;
    case BaseType::Error: base = "error"; break;
  }
  if (t.array_dims == 0) return base;
  return "array[" + std::string(static_cast<std::size_t>(t.array_dims - 1), ',') + "] " + base;
}

const char* structure_name(Structure s) {
  switch (s) {
    case Structure::None: return "";
    case Structure::Simplex: return "simplex";
    case Structure::Ordered: return "ordered";
    case Structure::PositiveOrdered: return "positive_ordered";
    case Structure::UnitVector: return "unit_vector";
    case Structure::SumToZero: return "sum_to_zero_vector";
    case Structure::CholeskyCorr: return "cholesky_factor_corr";
    case Structure::CholeskyCov: return "cholesky_factor_cov";
    case Structure::CorrMatrix: return "corr_matrix";
    case Structure::CovMatrix: return "cov_matrix";
  }
  return "?";
}

const char* block_name(BlockKind k) {
  switch (k) {
    case BlockKind::Data: return "data";
    case BlockKind::TransformedData: return "transformed data";
    case BlockKind::Parameters: return "parameters";
    case BlockKind::TransformedParameters: return "transformed parameters";
    case BlockKind::Model: return "model";
    case BlockKind::GeneratedQuantities: return "generated quantities";
  }
  return "?";
}

}  // namespace mcmc::lang
