# The data and reference posterior of tests/data/arma/arma11_ma_free.stan (the start-up trap test in
# tests/optim/init_pathfinder_test.cpp). Run from the repository root:
#   R_MAKEVARS_USER=<file with CXX14FLAGS = -O0> Rscript tests/data/arma/make_arma.R
# Writes arma11_ma_free.data.json (an ARMA(1,1) series, T = 200, mu 0.5, phi 0.6, theta 0.4, sigma 1,
# simulated with set.seed(16)) and arma11_ma_free.ref.json (rstan NUTS, 4 chains x 5000 draws, every
# chain started at 0 on the unconstrained scale, inside |theta| < 1: per parameter mean and sd).
suppressMessages(library(rstan))
suppressMessages(library(jsonlite))
rstan_options(boost_lib = "/usr/include")
dir <- "tests/data/arma"
set.seed(16)
T <- 200
y <- as.numeric(0.5 / (1 - 0.6) + arima.sim(list(ar = 0.6, ma = 0.4), n = T, sd = 1))
writeLines(toJSON(list(T = T, y = y), digits = I(17), auto_unbox = TRUE),
           file.path(dir, "arma11_ma_free.data.json"))
code <- paste(readLines(file.path(dir, "arma11_ma_free.stan"), warn = FALSE), collapse = "\n")
code <- sub("array\\[T\\] real y;", "real y[T];", code)
sm <- stan_model(model_code = code, model_name = "arma11_ma_free")
fit <- sampling(sm, data = list(T = T, y = y), chains = 4, iter = 10000, warmup = 5000, seed = 16,
                init = 0, refresh = 0)
s <- summary(fit)$summary
print(s)
stopifnot(all(s[, "Rhat"] < 1.01))
pars <- c("mu", "phi", "theta", "sigma")
ref <- lapply(pars, function(p) list(mean = s[p, "mean"], sd = s[p, "sd"]))
names(ref) <- pars
writeLines(toJSON(list(params = ref), digits = I(17), auto_unbox = TRUE, pretty = TRUE),
           file.path(dir, "arma11_ma_free.ref.json"))
