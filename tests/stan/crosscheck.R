#!/usr/bin/env Rscript
# Cross-checks `mcmc log-density` against Stan (rstan) for one model: the log density with
# Jacobian must agree up to an additive constant, the gradient exactly (to rounding).
#
# Usage: Rscript crosscheck.R MODEL.stan DATA.json MCMC_BINARY [CACHE_DIR]
# Prints one block of lines per model (see README.md); the last line is "RESULT <name> PASS|FAIL".
suppressPackageStartupMessages({
  library(rstan)
  library(jsonlite)
})
rstan_options(boost_lib = "/usr/include")

args <- commandArgs(trailingOnly = TRUE)
stopifnot(length(args) >= 3)
model_file <- args[1]
data_file <- args[2]
mcmc_bin <- args[3]
cache_dir <- if (length(args) >= 4) args[4] else "/tmp/mcmc_stan_cache"
dir.create(cache_dir, showWarnings = FALSE, recursive = TRUE)
name <- sub("\\.stan$", "", basename(model_file))

num_points <- 3
lp_tol <- 1e-8     # spread of lp_mcmc - lp_stan, relative to max(1, |lp_stan|)
grad_tol <- 1e-8   # max |g_mcmc - g_stan| / max(1, |g_stan|) per component

# rstan 2.21 reads only the old array syntax: `array[N, M] int<lower=0> y` -> `int<lower=0> y[N, M]`.
# (Balanced brackets in dimensions and constraints are not needed by the models checked here.)
to_old_syntax <- function(code) {
  pattern <- paste0("array\\s*\\[([^]]+)\\]\\s*",          # dims
                    "([A-Za-z_]+\\s*(<[^>]*>)?\\s*(\\[[^]]*\\])?)\\s+",  # element type
                    "([A-Za-z_][A-Za-z0-9_]*)")               # name
  code <- gsub(pattern, "\\2 \\5[\\1]", code, perl = TRUE)
  # unsized (function arguments and results): `array[] real` -> `real[]`, `array[,] int` -> `int[,]`
  gsub("array\\s*\\[(\\s*,*\\s*)\\]\\s*(real|int|vector|row_vector)", "\\2[\\1]", code, perl = TRUE)
}

stan_code <- to_old_syntax(paste(readLines(model_file, warn = FALSE), collapse = "\n"))
# The cache key is the md5 of the translated code (tools::md5sum needs a file).
tmp_code <- tempfile(fileext = ".stan")
writeLines(stan_code, tmp_code)
code_md5 <- unname(tools::md5sum(tmp_code))
cache_file <- file.path(cache_dir, paste0(name, "-", code_md5, ".rds"))

if (file.exists(cache_file)) {
  sm <- readRDS(cache_file)
} else {
  sm <- stan_model(model_code = stan_code, model_name = gsub("[^A-Za-z0-9_]", "_", name))
  saveRDS(sm, cache_file)
}

data <- if (nzchar(data_file)) fromJSON(data_file, simplifyVector = TRUE) else list()
# A one-iteration fit gives the model instance that log_prob / grad_log_prob evaluate.
invisible(capture.output(suppressWarnings(
  fit <- sampling(sm, data = data, chains = 1, iter = 2, warmup = 1, refresh = 0, seed = 1,
                  init = 0))))
dim_u <- get_num_upars(fit)

set.seed(20261127)
points <- matrix(runif(num_points * dim_u, -1, 1), nrow = num_points)

fmt17 <- function(x) sprintf("%.17g", x)

run_mcmc <- function(q) {
  point_arg <- paste0("--point=", paste(fmt17(q), collapse = ","))
  cmd_args <- c("log-density", shQuote(model_file), point_arg)
  if (nzchar(data_file)) cmd_args <- c(cmd_args, "--data", shQuote(data_file))
  out <- system2(mcmc_bin, cmd_args, stdout = TRUE, stderr = TRUE)
  status <- attr(out, "status")
  if (!is.null(status) && status != 0) stop("mcmc log-density failed: ", paste(out, collapse = "\n"))
  fromJSON(out[length(out)])
}

cat(sprintf("MODEL %s (%d unconstrained parameters)\n", name, dim_u))
diffs <- numeric(num_points)
lp_scale <- 1
grad_rel <- 0
for (i in seq_len(num_points)) {
  q <- points[i, ]
  lp_stan <- log_prob(fit, q, adjust_transform = TRUE)
  g_stan <- grad_log_prob(fit, q, adjust_transform = TRUE)
  attributes(g_stan) <- NULL
  m <- run_mcmc(q)
  g_mcmc <- as.numeric(m$gradient)
  diffs[i] <- m$lp - lp_stan
  lp_scale <- max(lp_scale, abs(lp_stan))
  rel <- max(abs(g_mcmc - g_stan) / pmax(1, abs(g_stan)))
  grad_rel <- max(grad_rel, rel)
  cat(sprintf("  point %d: lp_stan = %s  lp_mcmc = %s  lp_mcmc - lp_stan = %s  max rel grad diff = %.3g\n",
              i, fmt17(lp_stan), fmt17(m$lp), fmt17(diffs[i]), rel))
}
spread <- (max(diffs) - min(diffs)) / lp_scale
ok <- is.finite(spread) && spread < lp_tol && is.finite(grad_rel) && grad_rel < grad_tol
cat(sprintf("  spread of lp differences / scale = %.3g (tol %g); max rel grad diff = %.3g (tol %g)\n",
            spread, lp_tol, grad_rel, grad_tol))
cat(sprintf("RESULT %s %s\n", name, if (ok) "PASS" else "FAIL"))
