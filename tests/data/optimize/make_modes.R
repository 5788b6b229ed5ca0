# The reference posterior modes for `mcmc optimize` (tests/optim/optimize_test.cpp): rstan's
# `optimizing` (L-BFGS, no Jacobian: the mode of the constrained density, as CmdStan's optimize)
# on the 8 conformance models of tests/data/conformance with their posteriordb data.
# Each model is optimized from 10 random inits (seeds 1..10) with tight tolerances; the run with
# the highest log density is kept. Run from the repository root (compiling at -O0 is enough):
#   R_MAKEVARS_USER=<file with CXX14FLAGS = -O0> Rscript tests/data/optimize/make_modes.R   (writes tests/data/optimize/modes.json)
suppressMessages(library(rstan))
suppressMessages(library(jsonlite))
rstan_options(boost_lib = "/usr/include")
# rstan 2.21 reads only the old array syntax: `array[N] real y` -> `real y[N]` (as tests/stan/crosscheck.R).
to_old_syntax <- function(code) {
  pattern <- paste0("array\\s*\\[([^]]+)\\]\\s*",
                    "([A-Za-z_]+\\s*(<[^>]*>)?\\s*(\\[[^]]*\\])?)\\s+",
                    "([A-Za-z_][A-Za-z0-9_]*)")
  gsub(pattern, "\\2 \\5[\\1]", code, perl = TRUE)
}
dir <- "tests/data/conformance"
cache_dir <- Sys.getenv("MCMC_STAN_CACHE", "/tmp/mcmc_stan_cache")
dir.create(cache_dir, showWarnings = FALSE, recursive = TRUE)
out <- list()
for (stan_file in sort(list.files(dir, pattern = "\\.stan$", full.names = TRUE))) {
  name <- sub("\\.stan$", "", basename(stan_file))
  data <- fromJSON(file.path("tests/data/posteriordb", paste0(name, ".data.json")), simplifyVector = TRUE)
  code <- to_old_syntax(paste(readLines(stan_file, warn = FALSE), collapse = "\n"))
  # Compiled models are cached as tests/stan/crosscheck.R caches them (the md5 of the translated code).
  cache <- file.path(cache_dir, paste0(name, "-", digest::digest(code, algo = "md5", serialize = FALSE), ".rds"))
  if (file.exists(cache)) {
    sm <- readRDS(cache)
  } else {
    sm <- stan_model(model_code = code, model_name = gsub("[^A-Za-z0-9]", "_", name))
    saveRDS(sm, cache)
  }
  best <- NULL
  for (seed in 1:10) {
    fit <- tryCatch(optimizing(sm, data = data, seed = seed, algorithm = "LBFGS", iter = 20000,
                               tol_obj = 1e-16, tol_rel_obj = 1, tol_grad = 1e-12, tol_rel_grad = 1,
                               tol_param = 1e-12, as_vector = TRUE),
                    error = function(e) NULL)
    if (is.null(fit) || fit$return_code != 0) next
    if (is.null(best) || fit$value > best$value) best <- fit
  }
  stopifnot(!is.null(best))
  out[[name]] <- list(lp = best$value, par = as.list(best$par))
  cat(name, best$value, "\n")
}
writeLines(toJSON(out, digits = I(17), auto_unbox = TRUE, pretty = TRUE), "tests/data/optimize/modes.json")
