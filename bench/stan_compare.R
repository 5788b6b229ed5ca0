#!/usr/bin/env Rscript
# The Stan (rstan) side of bench/stan_compare.sh: compiles a model with rstan's default
# optimization (cached), then times static HMC per gradient, the start of sampling, and the
# default NUTS run's bulk ESS. Each call prints one line of JSON on stdout.
#
# Usage (CACHE: directory of compiled models, distinct from the -O0 cross-check cache):
#   Rscript stan_compare.R compile MODEL.stan CACHE
#   Rscript stan_compare.R grad    MODEL.stan DATA.json CACHE STEP_SIZE STEPS ITER|auto:SECONDS REPS
#   Rscript stan_compare.R start   MODEL.stan DATA.json CACHE REPS
#   Rscript stan_compare.R ess     MODEL.stan DATA.json CACHE REPS CORES
#   Rscript stan_compare.R ess-json OUT.json [CPU_SECONDS]   (bulk ESS and timings of mcmc's JSON output)
suppressPackageStartupMessages({
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
mode <- args[1]

emit <- function(x) cat(toJSON(x, auto_unbox = TRUE, digits = NA), "\n", sep = "")

# Minimum over parameters (not lp__ nor sampler columns) of posterior::ess_bulk, given a list of
# per-chain draw matrices with named columns.
min_bulk_ess <- function(chains) {
  params <- setdiff(colnames(chains[[1]]), c("lp__", grep("__$", colnames(chains[[1]]), value = TRUE)))
  ess <- vapply(params, function(p) {
    posterior::ess_bulk(sapply(chains, function(ch) ch[, p]))
  }, numeric(1))
  list(min = unname(min(ess)), argmin = names(ess)[which.min(ess)])
}

if (mode == "ess-json") {
  # mcmc's JSON output: columns, and per chain its draws (rows) and footer (timings, gradients).
  d <- fromJSON(args[2], simplifyVector = TRUE)
  cols <- d$columns
  chains <- lapply(d$chains$draws, function(x) { x <- as.matrix(x); colnames(x) <- cols; x })
  ess <- min_bulk_ess(chains)
  # CPU_SECONDS (optional): the process's user + system time, split between warm-up and sampling
  # in proportion to the footers' wall times (Stan's get_elapsed_time is CPU time).
  f <- d$chains$footer
  sample_s <- sum(f$sampling_seconds); warmup_s <- sum(f$warmup_seconds)
  cpu <- if (length(args) >= 3) as.numeric(args[3]) else sample_s + warmup_s
  emit(list(min_ess_bulk = ess$min, argmin = ess$argmin, sample_s = sample_s, warmup_s = warmup_s,
            process_cpu_s = cpu, sample_cpu_s = cpu * sample_s / (sample_s + warmup_s),
            warmup_cpu_s = cpu * warmup_s / (sample_s + warmup_s),
            gradients = sum(f$gradient_evaluations), divergences = sum(f$divergences)))
  quit(save = "no")
}

suppressPackageStartupMessages(library(rstan))
rstan_options(boost_lib = "/usr/include")

# rstan 2.21 reads only the old array syntax: `array[N, M] int<lower=0> y` -> `int<lower=0> y[N, M]`
# (the translation of tests/stan/crosscheck.R).
to_old_syntax <- function(code) {
  pattern <- paste0("array\\s*\\[([^]]+)\\]\\s*",
                    "([A-Za-z_]+\\s*(<[^>]*>)?\\s*(\\[[^]]*\\])?)\\s+",
                    "([A-Za-z_][A-Za-z0-9_]*)")
  code <- gsub(pattern, "\\2 \\5[\\1]", code, perl = TRUE)
  # unsized (function arguments and results): `array[] real` -> `real[]`, `array[,] int` -> `int[,]`
  gsub("array\\s*\\[(\\s*,*\\s*)\\]\\s*(real|int|vector|row_vector)", "\\2[\\1]", code, perl = TRUE)
}

model_file <- args[2]
name <- sub("\\.stan$", "", basename(model_file))
stan_code <- to_old_syntax(paste(readLines(model_file, warn = FALSE), collapse = "\n"))
tmp_code <- tempfile(fileext = ".stan")
writeLines(stan_code, tmp_code)
code_md5 <- unname(tools::md5sum(tmp_code))

# Loads the cached compiled model, compiling it (and recording the compile time) when missing.
load_model <- function(cache_dir) {
  dir.create(cache_dir, showWarnings = FALSE, recursive = TRUE)
  stem <- file.path(cache_dir, paste0(name, "-", code_md5))
  rds <- paste0(stem, ".rds")
  if (!file.exists(rds)) {
    t <- system.time(sm <- stan_model(model_code = stan_code,
                                      model_name = gsub("[^A-Za-z0-9_]", "_", name)))[["elapsed"]]
    saveRDS(sm, rds)
    writeLines(sprintf("%.3f", t), paste0(stem, ".compile_s"))
  }
  list(sm = readRDS(rds), compile_s = as.numeric(readLines(paste0(stem, ".compile_s"))))
}

if (mode == "compile") {
  m <- load_model(args[3])
  emit(list(model = name, compile_s = m$compile_s))
  quit(save = "no")
}

data_file <- args[3]
m <- load_model(args[4])
data <- fromJSON(data_file, simplifyVector = TRUE)
quietly <- function(expr) {
  invisible(capture.output(r <- suppressWarnings(suppressMessages(expr))))
  r
}

if (mode == "grad") {
  # ITER may be "auto:SECONDS": a pilot of 100 transitions sets it to about SECONDS of work.
  s <- as.numeric(args[5]); L <- as.integer(args[6]); reps <- as.integer(args[8])
  static_hmc <- function(M, seed) {
    # int_time = (L + 1/2) s: Stan takes floor(int_time / stepsize) steps, immune to rounding.
    # metric = "diag_e" without adaptation is the unit metric (the identity is never adapted):
    # rstan 2.21's static HMC with metric = "unit_e" ignores the step size given (it runs with 1).
    quietly(sampling(m$sm, data = data, algorithm = "HMC", chains = 1, cores = 1,
                     warmup = 0, iter = M, init = 0, seed = seed, refresh = 0,
                     control = list(stepsize = s, int_time = (L + 0.5) * s,
                                    metric = "diag_e", adapt_engaged = FALSE)))
  }
  if (startsWith(args[7], "auto:")) {
    target <- as.numeric(sub("auto:", "", args[7]))
    pilot <- get_elapsed_time(static_hmc(100, 1))[1, "sample"]
    M <- as.integer(min(1e6, max(20, ceiling(100 * target / max(pilot, 1e-6)))))
  } else {
    M <- as.integer(args[7])
  }
  times <- numeric(reps)
  accept <- NA
  for (r in seq_len(reps)) {
    fit <- static_hmc(M, r)
    times[r] <- get_elapsed_time(fit)[1, "sample"]
    sp <- get_sampler_params(fit, inc_warmup = FALSE)[[1]]
    accept <- mean(sp[, "accept_stat__"])
    stopifnot(all(abs(sp[, "stepsize__"] - s) <= 1e-12 * s))
  }
  # Stan computes one gradient at the start of each transition plus one per leapfrog step.
  emit(list(model = name, step_size = s, steps = L, iter = M, sample_s = times,
            min_sample_s = min(times), leapfrog_steps = M * L, gradients = M * (L + 1),
            ns_per_leapfrog = 1e9 * min(times) / (M * L),
            ns_per_gradient = 1e9 * min(times) / (M * (L + 1)), mean_accept_stat = accept))
  quit(save = "no")
}

if (mode == "start") {
  reps <- as.integer(args[5])
  # Wall time of sampling() for a single draw: data checks, model instantiation, init, one draw.
  times <- vapply(seq_len(reps), function(r) {
    system.time(quietly(sampling(m$sm, data = data, chains = 1, cores = 1, warmup = 0, iter = 1,
                                 seed = r, refresh = 0)))[["elapsed"]]
  }, numeric(1))
  emit(list(model = name, compile_s = m$compile_s, start_s = times, min_start_s = min(times)))
  quit(save = "no")
}

if (mode == "ess") {
  reps <- as.integer(args[5]); cores <- as.integer(args[6])
  runs <- lapply(seq_len(reps), function(r) {
    wall <- system.time(fit <- quietly(sampling(m$sm, data = data, chains = 4, cores = cores,
                                                seed = 1, refresh = 0)))[["elapsed"]]
    el <- get_elapsed_time(fit)
    chains <- lapply(seq_len(4), function(c) as.matrix(as.data.frame(
      rstan::extract(fit, permuted = FALSE, inc_warmup = FALSE)[, c, ])))
    ess <- min_bulk_ess(chains)
    sp <- get_sampler_params(fit, inc_warmup = FALSE)
    list(sample_s = sum(el[, "sample"]), warmup_s = sum(el[, "warmup"]), wall_s = wall,
         min_ess_bulk = ess$min, argmin = ess$argmin,
         divergences = sum(sapply(sp, function(x) sum(x[, "divergent__"]))),
         mean_leapfrog = mean(sapply(sp, function(x) mean(x[, "n_leapfrog__"]))))
  })
  best <- runs[[which.min(sapply(runs, `[[`, "sample_s"))]]
  emit(c(list(model = name, sample_s_all = sapply(runs, `[[`, "sample_s")), best,
         list(ess_per_s = best$min_ess_bulk / best$sample_s)))
  quit(save = "no")
}

stop("unknown mode ", mode)
