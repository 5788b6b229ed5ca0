// The built-in matrix functions' records (catalog/matrix_functions.cpp), part of the catalogue's functions().
#pragma once

#include <vector>

#include "catalog/catalog.hpp"

namespace mcmc::catalog {

std::vector<Function> matrix_functions();

}  // namespace mcmc::catalog
