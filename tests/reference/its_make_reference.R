# Known answers for the segmented regressions (tests/test_its_reference.py), computed in R
# independently of the Python package: the design matrix, the HAC lag rule, the
# Prais-Winsten iteration and the AR(1) profile likelihood are all written here anew.
#
# How to rerun (from the project root, R >= 4.2 with sandwich and lmtest;
# Debian: apt-get install r-base-core r-cran-sandwich r-cran-lmtest):
#
#   snakemake data/processed/series_prices.csv
#   Rscript tests/reference/its_make_reference.R
#
# Reads data/processed/series_prices.csv and writes, next to this script:
#   its_data.csv    the observations used (so the tests need neither R nor the pipeline)
#   its_coef.csv    one row per fit x term: estimate and standard error, for
#                   arima_ar1   stats::arima(order = c(1,0,0), method = "ML"), var.coef
#                   ols_hc3     lm + sandwich::vcovHC(type = "HC3")
#                   ols_hac     lm + sandwich::NeweyWest(lag = floor(4 (n/100)^(2/9)) >= 1,
#                               prewhite = FALSE, adjust = TRUE)
#                   prais_winsten  iterated Prais-Winsten (rho from u_t on u_{t-1},
#                               clipped to +-0.99), lm on the transformed data
#                   (term "rho" carries the AR coefficient for arima_ar1 and prais_winsten)
#   its_fit.csv     one row per fit: arima log-likelihood and sigma^2, an exact profile
#                   likelihood maximised with optimize() (GLS closed forms for beta and
#                   sigma^2), the HAC lag, lmtest::dwtest statistic and p-value and
#                   lmtest::bgtest(type = "F") p-values for orders 1-3.
suppressPackageStartupMessages({
  library(sandwich)
  library(lmtest)
})

args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
prices <- read.csv("data/processed/series_prices.csv", stringsAsFactors = FALSE)

samples <- data.frame(
  table = c(3, 4, 4, 4),
  series = c("central_special_fund", "direct_aid_funds", "attracted_funds", "inspection_visits"),
  prices = c("real", "real", "real", "nominal"),
  stringsAsFactors = FALSE
)
break_specs <- list("2012" = 2012, "2015" = 2015, "2012+2015" = c(2012, 2015))
scales <- c("level", "log")

design <- function(years, breaks) {
  X <- cbind(intercept = 1, pre_slope = years - min(years))
  for (T in sort(breaks)) {
    post <- as.numeric(years >= T)
    X <- cbind(X, post, (years - T) * post)
    colnames(X)[ncol(X) - 1:0] <- paste0(c("level_change_", "slope_change_"), T)
  }
  X
}

pw_transform <- function(v, rho) {
  v <- as.matrix(v)
  rbind(sqrt(1 - rho^2) * v[1, , drop = FALSE], v[-1, , drop = FALSE] - rho * v[-nrow(v), , drop = FALSE])
}

prais_winsten <- function(y, X) {
  rho <- 0
  for (i in 1:500) {
    fit <- lm.fit(pw_transform(X, rho), pw_transform(y, rho))
    u <- drop(y - X %*% fit$coefficients)
    new <- sum(u[-1] * u[-length(u)]) / sum(u[-length(u)]^2)
    new <- max(-0.99, min(0.99, new))
    if (abs(new - rho) < 1e-12) {
      rho <- new
      break
    }
    rho <- new
  }
  ys <- drop(pw_transform(y, rho))
  Xs <- pw_transform(X, rho)
  colnames(Xs) <- colnames(X)
  m <- lm(ys ~ Xs - 1)
  list(coef = unname(coef(m)), se = unname(sqrt(diag(vcov(m)))), rho = rho)
}

profile_ml <- function(y, X) {
  n <- length(y)
  negll <- function(rho) {
    ys <- pw_transform(y, rho)
    Xs <- pw_transform(X, rho)
    ssr <- sum(qr.resid(qr(Xs), ys)^2)
    -(-n / 2 * (log(2 * pi * ssr / n) + 1) + 0.5 * log(1 - rho^2))
  }
  grid <- seq(-0.999, 0.999, by = 0.001)
  vals <- sapply(grid, negll)
  i <- which.min(vals)
  opt <- optimize(negll, c(grid[max(i - 1, 1)], grid[min(i + 1, length(grid))]), tol = 1e-12)
  list(rho = opt$minimum, loglik = -opt$objective)
}

coef_rows <- list()
fit_rows <- list()
data_rows <- list()
for (i in seq_len(nrow(samples))) {
  s <- samples[i, ]
  obs <- prices[prices$table == s$table & prices$series == s$series & prices$prices == s$prices & !is.na(prices$value), ]
  obs <- obs[order(obs$year), ]
  data_rows[[length(data_rows) + 1]] <- obs[, c("table", "series", "prices", "year", "value")]
  for (scale in scales) {
    y <- if (scale == "log") log(obs$value) else obs$value
    n <- length(y)
    for (spec in names(break_specs)) {
      X <- design(obs$year, break_specs[[spec]])
      terms <- colnames(X)
      key <- data.frame(table = s$table, series = s$series, prices = s$prices, scale = scale, breaks = spec)
      add <- function(estimator, term, est, se) {
        coef_rows[[length(coef_rows) + 1]] <<- cbind(key, estimator = estimator, term = term, estimate = est, std_err = se)
      }
      ols <- lm(y ~ X - 1)
      add("ols_hc3", terms, unname(coef(ols)), unname(sqrt(diag(vcovHC(ols, type = "HC3")))))
      lag <- max(1, floor(4 * (n / 100)^(2 / 9)))
      nw <- NeweyWest(ols, lag = lag, prewhite = FALSE, adjust = TRUE)
      add("ols_hac", terms, unname(coef(ols)), unname(sqrt(diag(nw))))
      pw <- prais_winsten(y, X)
      add("prais_winsten", c(terms, "rho"), c(pw$coef, pw$rho), c(pw$se, NA))
      ar <- arima(y, order = c(1, 0, 0), xreg = X, include.mean = FALSE, method = "ML",
                  optim.control = list(maxit = 5000, reltol = 1e-14))
      add("arima_ar1", c(terms, "rho"), unname(ar$coef[c(colnames(X), "ar1")]),
          unname(sqrt(diag(ar$var.coef))[c(colnames(X), "ar1")]))
      prof <- profile_ml(y, X)
      dw <- dwtest(ols, alternative = "two.sided")
      bg <- sapply(1:3, function(order) bgtest(ols, order = order, type = "F")$p.value)
      fit_rows[[length(fit_rows) + 1]] <- cbind(
        key, n_obs = n, arima_loglik = ar$loglik, arima_sigma2 = ar$sigma2,
        arima_converged = ar$code == 0, profile_rho = prof$rho, profile_loglik = prof$loglik,
        hac_lag = lag, dw = unname(dw$statistic), dw_p = dw$p.value,
        bg_p_lag1 = bg[1], bg_p_lag2 = bg[2], bg_p_lag3 = bg[3]
      )
    }
  }
}

write <- function(rows, name) {
  out <- do.call(rbind, rows)
  write.csv(out, file.path(here, name), row.names = FALSE, na = "")
}
options(digits = 17)
write(data_rows, "its_data.csv")
write(coef_rows, "its_coef.csv")
write(fit_rows, "its_fit.csv")
