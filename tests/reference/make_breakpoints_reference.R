# Known answers for src/pairing_audit/breakpoints.py from strucchange (Bai-Perron).
#
# Run from the project root (needs R with strucchange; the tests only read the output):
#   Rscript tests/reference/make_breakpoints_reference.R
#
# Input: tests/reference/breakpoints_input.csv (table, series, prices, year, value):
# a few fitted samples copied from data/processed/series_prices.csv.
# For each sample and scale (level, log): y ~ t with segment-specific intercept and
# slope, minimum segment h = max(3, ceiling(0.15 n)), up to M = min(5, floor(n/h) - 1)
# breaks. Writes
#   breakpoints_rss.csv:    for every m = 0..M the optimal break indices, RSS and BIC
#                           (strucchange's summary()), and LWZ from that RSS;
#   breakpoints_chosen.csv: the BIC choice (breakpoints()) with 95% confint()
#                           (strucchange defaults: het.reg = het.err = TRUE).
# Break indices are strucchange's: the LAST pre-break observation (1-based); the
# Python side converts them to first post-break years.

suppressPackageStartupMessages(library(strucchange))

input <- read.csv("tests/reference/breakpoints_input.csv", stringsAsFactors = FALSE)
out_rss <- list()
out_chosen <- list()
samples <- unique(input[, c("table", "series", "prices")])

for (i in seq_len(nrow(samples))) {
  s <- samples[i, ]
  d <- input[input$table == s$table & input$series == s$series & input$prices == s$prices, ]
  d <- d[order(d$year), ]
  for (scale in c("level", "log")) {
    y <- if (scale == "log") log(d$value) else d$value
    n <- length(y)
    t <- seq_len(n) - 1
    h <- max(3, ceiling(0.15 * n - 1e-9))
    max_breaks <- min(5, floor(n / h) - 1)
    bp <- breakpoints(y ~ t, h = h, breaks = max_breaks)
    summ <- summary(bp)
    rss <- summ$RSS["RSS", ]
    bic <- summ$RSS["BIC", ]
    key <- data.frame(
      table = s$table, series = s$series, scale = scale, prices = s$prices,
      first_year = d$year[1], n = n, h = h
    )
    for (m in 0:max_breaks) {
      idx <- if (m == 0) "" else paste(breakpoints(bp, breaks = m)$breakpoints, collapse = "+")
      p <- (m + 1) * 2 + m
      lwz <- log(rss[m + 1] / (n - p)) + p * 0.299 * log(n)^2.1 / n
      out_rss[[length(out_rss) + 1]] <- cbind(
        key,
        data.frame(m = m, rss = rss[m + 1], bic = bic[m + 1], lwz = lwz, breakpoints = idx)
      )
    }
    chosen <- breakpoints(bp)  # number of breaks by BIC
    m <- if (all(is.na(chosen$breakpoints))) 0 else length(chosen$breakpoints)
    if (m == 0) {
      ci <- matrix(nrow = 0, ncol = 3)
    } else {
      ci <- suppressWarnings(confint(bp, breaks = m)$confint)
    }
    fmt <- function(v) paste(ifelse(is.na(v), "NA", as.character(v)), collapse = "+")
    out_chosen[[length(out_chosen) + 1]] <- cbind(
      key,
      data.frame(
        n_breaks = m,
        breakpoints = fmt(ci[, 2]),
        ci_lower = fmt(ci[, 1]),
        ci_upper = fmt(ci[, 3])
      )
    )
  }
}

write.csv(do.call(rbind, out_rss), "tests/reference/breakpoints_rss.csv",
          row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, out_chosen), "tests/reference/breakpoints_chosen.csv",
          row.names = FALSE, quote = FALSE)
