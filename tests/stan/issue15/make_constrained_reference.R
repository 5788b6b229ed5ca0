#!/usr/bin/env Rscript
# Writes rstan's reference values for tests/stan/issue15/constrained.stan to
# tests/data/constrained/: reference.json (per point: the unconstrained point q, log_prob with the
# Jacobian, its gradient, the constrained values in Stan's output order, and unconstrain_pars of
# those values) and point<i>.init.json (the constrained values as an --init file).
# Usage (from the repository root): Rscript tests/stan/issue15/make_constrained_reference.R
# Needs rstan and jsonlite (not a dependency of mcmc; the test reads only the files written here).
suppressPackageStartupMessages({
  library(rstan)
  library(jsonlite)
})
rstan_options(boost_lib = "/usr/include")
model_file <- "tests/stan/issue15/constrained.stan"
out_dir <- "tests/data/constrained"
to_old_syntax <- function(code) {
  pattern <- paste0("array\\s*\\[([^]]+)\\]\\s*",
                    "([A-Za-z_]+\\s*(<[^>]*>)?\\s*(\\[[^]]*\\])?)\\s+",
                    "([A-Za-z_][A-Za-z0-9_]*)")
  gsub(pattern, "\\2 \\5[\\1]", code, perl = TRUE)
}
code <- to_old_syntax(paste(readLines(model_file, warn = FALSE), collapse = "\n"))
sm <- stan_model(model_code = code, model_name = "constrained")
invisible(capture.output(suppressWarnings(
  fit <- sampling(sm, data = list(), chains = 1, iter = 2, warmup = 1, refresh = 0, seed = 1, init = 0))))
dim_u <- get_num_upars(fit)
set.seed(20261202)
points <- list()
for (i in 1:3) {
  q <- runif(dim_u, -1, 1)
  lp <- log_prob(fit, q, adjust_transform = TRUE)
  g <- grad_log_prob(fit, q, adjust_transform = TRUE)
  attributes(g) <- NULL
  vals <- constrain_pars(fit, q)
  vals$lp__ <- NULL
  back <- unconstrain_pars(fit, vals)
  flat <- unlist(lapply(vals, function(v) as.vector(v)), use.names = FALSE)
  points[[i]] <- list(q = q, lp = lp, gradient = g, constrained = flat, unconstrained_again = back)
  # Stan JSON of the constrained values: arrays of matrices as nested rows.
  init <- lapply(vals, function(v) v)
  writeLines(toJSON(init, digits = NA, auto_unbox = TRUE, pretty = TRUE), file.path(out_dir, sprintf("point%d.init.json", i)))
}
ref <- list(rstan = as.character(packageVersion("rstan")), model = model_file, dim = dim_u, points = points)
writeLines(toJSON(ref, digits = NA, auto_unbox = TRUE, pretty = TRUE), file.path(out_dir, "reference.json"))
cat("wrote", out_dir, "\n")
