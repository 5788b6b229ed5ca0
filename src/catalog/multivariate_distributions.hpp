// The multivariate distributions' and GLMs' records (catalog/multivariate_distributions.cpp), part of the catalogue's distributions().
#pragma once

#include <vector>

#include "catalog/catalog.hpp"

namespace mcmc::catalog {

std::vector<Distribution> multivariate_distributions();

}  // namespace mcmc::catalog
