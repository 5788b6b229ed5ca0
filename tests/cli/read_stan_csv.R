# Reads Stan CSV files (the arguments) with rstan; prints the posterior mean of `loc`, the number of draws and of chains.
if (!requireNamespace("rstan", quietly = TRUE)) {
  cat("NO_RSTAN\n")
  quit(status = 0)
}
files <- commandArgs(trailingOnly = TRUE)
fit <- suppressMessages(rstan::read_stan_csv(files))
loc <- rstan::extract(fit, "loc", permuted = FALSE)
cat(sprintf("%.17g %d %d\n", mean(loc), length(loc), dim(loc)[2]))
