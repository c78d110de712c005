"""Multiple structural breaks (Bai & Perron 1998, 2003): reports/breakpoints.csv.

Does the data single out 2012 (or 2015) when the breaks are not given in advance?
Each fitted sample is cut into m + 1 segments, each with its own intercept and slope
(y = a_j + b_j * t within segment j), every segment at least h = max(min_segment,
ceil(trim * n)) points long. For each m = 0..M the segmentation minimising the total
residual sum of squares is found by exact dynamic programming (`ruptures.Dynp` with
the linear-regression cost), and m is chosen by

- BIC, as strucchange's `breakpoints()`: n (log(RSS / n) + 1 + log 2 pi) + log(n) *
  (k + 1)(m + 1), k = 2 coefficients per segment (the (m + 1)(k + 1) parameters being the
  coefficients, the m break dates and the variance);
- LWZ (Liu, Wu & Zidek 1997, as in Bai & Perron 2003): log(RSS / (n - p)) + p * 0.299 *
  (log n)^2.1 / n, p = (m + 1) k + m.

M = min(max_breaks, floor(n / h) - 1), the most breaks that fit. The 95% intervals of the
chosen dates follow Bai (1997) exactly as strucchange's `confint.breakpointsfull` with
its defaults (segment-specific regressor moments and error variances): a date's
interval is the break index shifted by quantiles of the argmax of a two-sided
Brownian motion with drift, scaled by phi1^2 / (delta' Q1 delta).

Dates: strucchange numbers a break by its last pre-break observation; here every date
is the FIRST post-break year (a break "at 2012" means 2012 is the first year of the new
segment), for the estimate and for both interval ends. Interval ends may fall outside
the sample (the asymptotic interval is not clipped, as in strucchange); an interval
that cannot be computed (strucchange's NA cases, and a break next to a segment fitted
exactly, whose zero variance would otherwise give a +-1 interval from rounding noise)
is written `NA`. Several dates are joined with `+`.

At n = 19 with h = 3, BIC finds a spurious break in a straight line with white noise
about 40% of the time, LWZ about 15% (tests/test_breakpoints.py): read the BIC rows
as an upper bound on the number of breaks.
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pandas as pd
import ruptures
from scipy import optimize, special

from pairing_audit.its import EXACT_TOL, model_samples

K = 2  # coefficients per segment: intercept and slope
LWZ_C0, LWZ_DELTA0 = 0.299, 0.1
CRITERIA = ("BIC", "LWZ")
COLUMNS = ["series", "table", "scale", "prices", "n", "h", "criterion", "n_breaks"]
COLUMNS += ["break_years", "ci_low", "ci_high"]


def min_segment(n: int, trim: float, floor: int) -> int:
    """h = max(floor, ceil(trim * n)); 1e-9 keeps 0.15 * 20 = 3.0000000000000004 at 3."""
    return max(floor, math.ceil(trim * n - 1e-9))


def segment_design(n: int) -> np.ndarray:
    return np.column_stack([np.ones(n), np.arange(n, dtype=float)])


def _rss(y: np.ndarray, X: np.ndarray) -> float:
    resid = y - X @ np.linalg.lstsq(X, y, rcond=None)[0]
    return float(resid @ resid)


def segmentations(y: np.ndarray, h: int, max_breaks: int) -> dict[int, tuple[list[int], float]]:
    """m -> (break indices, total RSS) of the optimal m-break segmentation, m = 0..M.

    A break index b is the number of observations before the break (0-based index of
    the first post-break observation), as ruptures reports segment ends.
    """
    n = len(y)
    X = segment_design(n)
    out = {0: ([], _rss(y, X))}
    top = min(max_breaks, n // h - 1)
    if top < 1:
        return out
    algo = ruptures.Dynp(model="linear", min_size=h, jump=1).fit(np.column_stack([y, X]))
    for m in range(1, top + 1):
        ends = algo.predict(n_bkps=m)
        bounds = [0, *ends]
        rss = sum(_rss(y[a:b], X[a:b]) for a, b in itertools.pairwise(bounds))
        out[m] = (ends[:-1], rss)
    return out


def bic(rss: float, n: int, m: int) -> float:
    return n * (math.log(rss) + 1 - math.log(n) + math.log(2 * math.pi)) + math.log(n) * (
        (K + 1) * (m + 1)
    )


def lwz(rss: float, n: int, m: int) -> float:
    p = (m + 1) * K + m
    return math.log(rss / (n - p)) + p * LWZ_C0 * math.log(n) ** (2 + LWZ_DELTA0) / n


def choose(segs: dict, n: int, criterion: str, exact_rss: float = 0.0) -> int:
    """Number of breaks minimising the criterion (the first on ties, as R's which.min).

    An RSS at rounding level (<= exact_rss) is an exact fit: its criterion is -inf, so
    the fewest breaks that reproduce the data exactly are chosen, not the one with
    the smallest rounding noise.
    """
    score = {"BIC": bic, "LWZ": lwz}[criterion]
    values = []
    for m, (_, rss) in sorted(segs.items()):
        values.append(score(rss, n, m) if rss > exact_rss else -math.inf)
    return int(np.argmin(values))


# --- Bai (1997) confidence intervals, as strucchange::confint.breakpointsfull --------


def pargmax_v(x: float, xi: float = 1.0, phi1: float = 1.0, phi2: float = 1.0) -> float:
    """P(argmax V <= x) for Bai's (1997) two-sided Brownian motion with drift (strucchange).

    log Phi by scipy.special.log_ndtr, the function stats.norm.logcdf calls, without
    the distribution object's per-call overhead (thousands of calls in the root search).
    """
    phi = xi * (phi2 / phi1) ** 2
    ax = abs(x)
    if x < 0:
        frac = xi / phi
        return float(
            -math.exp(math.log(ax) / 2 - ax / 8 - math.log(2 * math.pi) / 2)
            - (phi / xi * (phi + 2 * xi) / (phi + xi))
            * math.exp(frac * (1 + frac) * ax / 2 + special.log_ndtr(-(0.5 + frac) * math.sqrt(ax)))
            + math.exp(
                math.log(ax / 2 - 2 + (phi + 2 * xi) ** 2 / ((phi + xi) * xi))
                + special.log_ndtr(-math.sqrt(ax) / 2)
            )
        )
    frac = xi**2 / phi
    with np.errstate(divide="ignore"):
        log_ax = math.log(ax) if ax > 0 else -math.inf
    return float(
        1
        + math.sqrt(frac) * math.exp(log_ax / 2 - frac * ax / 8 - math.log(2 * math.pi) / 2)
        + (xi / phi * (2 * phi + xi) / (phi + xi))
        * math.exp(
            (phi + xi) * ax / 2 + special.log_ndtr(-(phi + xi / 2) / math.sqrt(phi) * math.sqrt(ax))
        )
        - math.exp(
            math.log((2 * phi + xi) ** 2 / ((phi + xi) * phi) - 2 + frac * ax / 2)
            + special.log_ndtr(-math.sqrt(frac) * math.sqrt(ax) / 2)
        )
    )


def _segment_stats(y, X):
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    resid = y - X @ beta
    return beta, float(resid @ resid) / len(y), X.T @ X / len(y)


def break_intervals(
    y: np.ndarray, breaks: list[int], level: float = 0.95, exact_var: float = 0.0
) -> list[tuple]:
    """(low, high) shifts in observations per break, as strucchange's confint (defaults
    het.reg = het.err = TRUE): the interval of break b (last pre-break index, 1-based) is
    [b - ceil(upper), b - floor(lower)]; here returned as (ceil(upper), floor(lower))
    so the caller subtracts them. None for a break whose interval cannot be computed:
    strucchange's NA cases, and (unlike strucchange, which would return rounding noise)
    a break next to a segment fitted exactly (residual variance <= exact_var)."""
    n = len(y)
    X = segment_design(n)
    a2 = (1 - level) / 2
    bounds = [0, *breaks, n]
    segs = [_segment_stats(y[a:b], X[a:b]) for a, b in itertools.pairwise(bounds)]
    out = []
    for (beta1, sigma1, Q1), (beta2, sigma2, Q2) in itertools.pairwise(segs):
        if min(sigma1, sigma2) <= exact_var:
            out.append(None)
            continue
        delta = beta2 - beta1
        q1, q2 = float(delta @ Q1 @ delta), float(delta @ Q2 @ delta)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                xi, phi1, phi2 = q2 / q1, math.sqrt(sigma1), math.sqrt(sigma2)
                p0 = pargmax_v(0.0, xi, phi1, phi2)
            except (ZeroDivisionError, ValueError, OverflowError):
                p0 = math.nan
        if math.isnan(p0) or p0 < a2 or p0 > 1 - a2:
            out.append(None)
            continue

        def f(x, target, xi=xi, phi1=phi1, phi2=phi2):
            return pargmax_v(x, xi, phi1, phi2) - target

        ub = lb = 0.0
        while f(ub, 1 - a2) < 0:
            ub += 1000
        while f(lb, a2) > 0:
            lb -= 1000
        upper = optimize.brentq(f, 0.0, ub, args=(1 - a2,), xtol=1e-12)
        lower = optimize.brentq(f, lb, 0.0, args=(a2,), xtol=1e-12)
        scale = phi1**2 / q1
        out.append((math.ceil(upper * scale), math.floor(lower * scale)))
    return out


# --- the table -------------------------------------------------------------------------


def _year_at(years: np.ndarray, index: int) -> int:
    """Year of the observation with 0-based index `index`, extrapolated by whole years
    beyond the sample (an interval end may lie outside it)."""
    if index < 0:
        return int(years[0]) + index
    if index >= len(years):
        return int(years[-1]) + index - len(years) + 1
    return int(years[index])


def breakpoint_rows(years, y, trim: float, floor: int, max_breaks: int) -> list[dict]:
    """One row per criterion for one sample: chosen number of breaks, dates, intervals."""
    years, y = np.asarray(years, dtype=int), np.asarray(y, dtype=float)
    if (np.diff(years) != 1).any():
        raise ValueError("break dates need consecutive years")
    n = len(y)
    h = min_segment(n, trim, floor)
    segs = segmentations(y, h, max_breaks)
    exact_var = (EXACT_TOL * max(1.0, float(np.max(np.abs(y))))) ** 2  # rounding level
    exact_rss = n * exact_var
    rows = []
    for criterion in CRITERIA:
        m = choose(segs, n, criterion, exact_rss)
        breaks = segs[m][0]
        intervals = break_intervals(y, breaks, exact_var=exact_var) if breaks else []
        first_post = [_year_at(years, b) for b in breaks]
        low = [
            "NA" if iv is None else str(_year_at(years, b - iv[0]))
            for b, iv in zip(breaks, intervals, strict=True)
        ]
        high = [
            "NA" if iv is None else str(_year_at(years, b - iv[1]))
            for b, iv in zip(breaks, intervals, strict=True)
        ]
        rows.append(
            {
                "n": n,
                "h": h,
                "criterion": criterion,
                "n_breaks": m,
                "break_years": "+".join(str(v) for v in first_post),
                "ci_low": "+".join(low),
                "ci_high": "+".join(high),
            }
        )
    return rows


def breakpoints_table(prices: pd.DataFrame, models_cfg: dict) -> pd.DataFrame:
    """breakpoints.csv: every fitted sample (series x scale x prices), BIC and LWZ rows."""
    cfg = models_cfg["breakpoints"]
    rows = []
    for meta, years, y in model_samples(prices, models_cfg):
        keys = {k: meta[k] for k in ("series", "table", "scale", "prices")}
        for row in breakpoint_rows(years, y, cfg["trim"], cfg["min_segment"], cfg["max_breaks"]):
            rows.append({**keys, **row})
    out = pd.DataFrame(rows, columns=COLUMNS)
    order = {c: i for i, c in enumerate(CRITERIA)}
    return out.sort_values(
        ["table", "series", "prices", "scale", "criterion"],
        key=lambda col: col.map(order) if col.name == "criterion" else col,
        kind="stable",
    ).reset_index(drop=True)
