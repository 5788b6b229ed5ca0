# Regenerates the diagnostics fixtures: draw sets (made here, in R, with fixed seeds) and the values
# R's posterior package computes for them. Run from the repository root:
#   Rscript tests/diag/make_expected.R
# Requires posterior 1.4.0 (Debian: r-cran-posterior); the committed fixtures were made with R 4.2.2.
# Numbers are written with 17 significant digits; NA (posterior's answer for constant or non-finite
# draws) is written as NA.
suppressPackageStartupMessages(library(posterior))
stopifnot(as.character(packageVersion("posterior")) == "1.4.0")

out_dir <- file.path("tests", "diag", "fixtures")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
num <- function(v) ifelse(is.na(v), "NA", sprintf("%.17g", v))

ar1 <- function(n, phi, sigma = 1) {
  x <- numeric(n)
  x[1] <- rnorm(1, 0, sigma / sqrt(1 - phi^2))
  for (i in 2:n) x[i] <- phi * x[i - 1] + rnorm(1, 0, sigma)
  x
}

# Each set: an iterations x chains matrix.
sets <- list()
set.seed(101); sets$iid_normal <- matrix(rnorm(4 * 200), 200, 4)
set.seed(102); sets$ar1_phi09 <- sapply(1:4, function(c) ar1(200, 0.9))
set.seed(103); sets$not_converged <- sapply(c(0, 0, 1, 2.5), function(m) rnorm(200, m, 1))
sets$constant <- matrix(1.5, 200, 4)
set.seed(105); sets$cauchy <- matrix(rcauchy(4 * 200), 200, 4)
set.seed(106); sets$odd_draws <- sapply(1:4, function(c) ar1(215, 0.5))
set.seed(107); sets$ties_rounded <- matrix(round(rnorm(4 * 200), 1), 200, 4)
set.seed(108); sets$antithetic <- sapply(1:4, function(c) ar1(200, -0.9))
set.seed(109); sets$alternating <- sapply(1:4, function(c) rep(c(-1, 1), 100) + rnorm(200, 0, 0.05))
set.seed(110); sets$single_chain <- matrix(ar1(300, 0.7), 300, 1)
set.seed(111); sets$poisson <- matrix(rpois(4 * 200, 0.5), 200, 4)
set.seed(112); sets$tiny <- matrix(rnorm(2 * 7), 7, 2)
set.seed(113); sets$constant_chains <- matrix(rep(c(0, 0, 1, 1), each = 200), 200, 4)
set.seed(114); sets$long_ar1 <- sapply(1:2, function(c) ar1(1500, 0.95))
set.seed(115); sets$with_inf <- matrix(rnorm(4 * 50), 50, 4); sets$with_inf[17, 3] <- Inf

measures <- function(x) {
  e <- x[, 1]
  c(rhat = rhat(x), rhat_basic = rhat_basic(x), ess_bulk = ess_bulk(x), ess_tail = ess_tail(x),
    ess_basic = ess_basic(x), ess_mean = ess_mean(x),
    ess_q05 = unname(ess_quantile(x, 0.05)), ess_q50 = unname(ess_quantile(x, 0.5)),
    ess_q100 = unname(ess_quantile(x, 1)),
    mcse_mean = mcse_mean(x), mcse_q05 = unname(mcse_quantile(x, 0.05)),
    mcse_q50 = unname(mcse_quantile(x, 0.5)), mcse_q95 = unname(mcse_quantile(x, 0.95)),
    q05 = unname(quantile(x, 0.05, type = 7)), q50 = unname(quantile(x, 0.5, type = 7)),
    q95 = unname(quantile(x, 0.95, type = 7)), q025 = unname(quantile(x, 0.025, type = 7)),
    mean = mean(x), sd = stats::sd(x), mad = stats::mad(x),
    # E-BFMI of the first chain, as CmdStan's diagnose computes it (mean squared step / sample variance).
    ebfmi_chain1 = mean(diff(e)^2) / stats::var(e))
}

rows <- character()
for (name in names(sets)) {
  x <- sets[[name]]
  colnames(x) <- paste0("chain", seq_len(ncol(x)))
  write.csv(matrix(num(x), nrow(x), dimnames = list(NULL, colnames(x))),
            file.path(out_dir, paste0(name, ".csv")), row.names = FALSE, quote = FALSE)
  m <- suppressWarnings(measures(x))
  if (length(rows) == 0) rows <- paste(c("set", names(m)), collapse = ",")
  rows <- c(rows, paste(c(name, num(m)), collapse = ","))
}
writeLines(rows, file.path(out_dir, "expected.csv"))

# Special functions used by the port: qnorm and qbeta at a few points.
special <- c("fn,p,a,b,value")
for (p in c(1e-300, 1e-20, 1e-10, 0.001, 0.02, 0.075, 0.0751, 0.3, 0.5, 0.7, 0.9249, 0.925, 0.98, 0.999999,
            1 - 1e-12)) {
  special <- c(special, paste("qnorm", num(p), "NA", "NA", num(qnorm(p)), sep = ","))
}
for (a in c(1.5, 11.2, 400.7, 3000.25)) for (b in c(1.2, 38.9, 5000.5)) for (p in c(0.1586553, 0.8413447)) {
  special <- c(special, paste("qbeta", num(p), num(a), num(b), num(qbeta(p, a, b)), sep = ","))
}
writeLines(special, file.path(out_dir, "special.csv"))
