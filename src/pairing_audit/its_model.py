"""The segmented-regression model shared by the fits, the break scan and the MDE.

Model: y = b0 + b1*t + sum_k [c_k*D_k + d_k*(year - T_k)*D_k] + e, with
t = year - first year of the sample and D_k = 1 from the first post year T_k on.
Measuring the slope term from T_k (not from the origin) makes c_k the jump at T_k,
so level and slope changes do not depend on where the time origin is put. Every
segment between breaks has its own intercept and slope.

This module holds the design, the samples (series x prices x scale), the fitted-model
record and the checks for exact fits; the estimators are in ``estimators``, the
output tables in ``its_tables``.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

MIN_OBS = 6  # fewer non-missing points than this: no fit at all
MIN_OBS_SIDE = 3  # observations required in every segment between breaks
BG_LAGS = (1, 2, 3)
EXACT_TOL = 1e-9  # residuals below this (relative to max |y|) count as an exact fit
NOTE_EXACT = "exact fit (zero residuals): coefficients exact, no inference"
# Nominal money fitted on the years that have real values (the CPI starts in 1986), so
# that nominal vs real compares price bases on one sample.
NOMINAL_ON_REAL_SPAN = "nominal_1986on"
KEYS = ["series", "table", "scale", "prices", "breaks", "estimator"]
SORT = ["table", "series", "prices", "scale", "breaks", "estimator"]


# --- design -----------------------------------------------------------------


def design_matrix(years, breaks) -> pd.DataFrame:
    """Regressors of the segmented model, one column per coefficient (named as terms)."""
    years = np.asarray(years, dtype=int)
    names = ["intercept", "pre_slope"]
    cols = [np.ones(len(years)), (years - years.min()).astype(float)]
    for T in sorted(breaks):
        post = (years >= T).astype(float)
        names += [f"level_change_{T}", f"slope_change_{T}"]
        cols += [post, (years - T) * post]  # slope change 0 in T itself
    # one 2-D block (a dict of columns costs a DataFrame construction per column)
    return pd.DataFrame(np.column_stack(cols), index=pd.Index(years, name="year"), columns=names)


def segment_masks(years, breaks) -> list[np.ndarray]:
    """Boolean masks of the segments cut by the breaks (first post year starts one)."""
    years = np.asarray(years)
    edges = [-math.inf, *sorted(breaks), math.inf]
    return [(years >= lo) & (years < hi) for lo, hi in itertools.pairwise(edges)]


def admissible(years, breaks, min_side: int = MIN_OBS_SIDE) -> bool:
    """True if every segment cut by the breaks holds at least `min_side` observations."""
    return all(mask.sum() >= min_side for mask in segment_masks(years, breaks))


# --- exact fits ----------------------------------------------------------------


def _exact_tol(y: np.ndarray) -> float:
    return EXACT_TOL * max(1.0, float(np.max(np.abs(y))))


def exact_solution(y: np.ndarray, X: np.ndarray) -> np.ndarray | None:
    """Least-squares coefficients if the mean model reproduces y exactly, else None.

    Happens for step-shaped counts (e.g. a number constant before and after 2012):
    residual variance is zero, so SEs, tests and AR(1) parameters are undefined.
    """
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    resid = y - X @ beta
    return beta if np.max(np.abs(resid)) <= _exact_tol(y) else None


def exact_segments(years, y, breaks) -> list[tuple[int, int]]:
    """(first, last) year of every segment of 3+ points that a straight line fits exactly.

    Each segment has its own intercept and slope in the model, so such a segment
    (e.g. a count that stays at 272 for ten years) contributes zero residuals: any
    variance estimate then comes from the other segments alone, and standard errors
    of that segment's terms are rounding noise (1e-14), not inference.
    """
    years = np.asarray(years, dtype=int)
    y = np.asarray(y, dtype=float)
    tol = _exact_tol(y)
    out = []
    for mask in segment_masks(years, breaks):
        if mask.sum() < 3:  # two points always lie on a line
            continue
        X = np.column_stack([np.ones(mask.sum()), years[mask] - years[mask][0]])
        beta = np.linalg.lstsq(X, y[mask], rcond=None)[0]
        if np.max(np.abs(y[mask] - X @ beta)) <= tol:
            out.append((int(years[mask][0]), int(years[mask][-1])))
    return out


def note_exact_segments(segments: list[tuple[int, int]]) -> str:
    spans = ", ".join(f"{a}–{b}" for a, b in segments)
    return (
        f"segment {spans} fitted exactly (straight line, zero residuals): "
        "coefficients kept, no standard errors or tests (they would be rounding noise)"
    )


# --- the fitted model ------------------------------------------------------------


def safe_sqrt(var):
    """sqrt of variances; negative ones (numerical noise in a non-PSD covariance) -> NaN."""
    var = np.asarray(var, dtype=float)
    return np.sqrt(np.where(var >= 0, var, np.nan))


@dataclass(frozen=True)
class ItsFit:
    """One fitted model on the model scale (log values if scale == 'log')."""

    estimator: str
    breaks: tuple
    years: np.ndarray
    y: np.ndarray
    exog: pd.DataFrame
    params: pd.Series
    cov: pd.DataFrame  # covariance of the regression coefficients only
    df_resid: float  # math.inf means normal (z) inference
    aic: float
    bic: float
    llf: float = math.nan
    rho: float = math.nan
    sigma: float = math.nan  # sd of the (AR(1) innovation) errors, NaN if not estimated
    dw: float = math.nan
    bg_p: tuple = (math.nan,) * len(BG_LAGS)
    converged: bool = True
    note: str = ""  # why some output is missing or should be read with care

    @property
    def n_obs(self) -> int:
        return len(self.y)

    @property
    def resid(self) -> np.ndarray:
        """y minus the fitted mean (not whitened), on the model scale."""
        return self.y - self.exog.to_numpy() @ self.params.to_numpy()

    def two_sided_p(self, stat: float) -> float:
        return two_sided_p(stat, self.df_resid)

    def crit(self, confidence: float) -> float:
        return critical_value(confidence, self.df_resid)

    def combination(self, weights: dict | pd.Series) -> tuple[float, float]:
        """Estimate and standard error of the linear combination weights' * params."""
        w = np.zeros(len(self.params))
        for term, weight in dict(weights).items():
            w[self.params.index.get_loc(term)] = weight
        return float(w @ self.params.to_numpy()), float(safe_sqrt(w @ self.cov.to_numpy() @ w))


# scipy.special directly: the same functions scipy.stats' t and norm call, without
# the per-call overhead of the distribution objects (thousands of rows per run).
def two_sided_p(stat: float, df: float) -> float:
    """Two-sided p of a t(df) statistic; normal if df is infinite."""
    if math.isinf(df):
        return float(2 * special.ndtr(-abs(stat)))
    return float(2 * special.stdtr(df, -abs(stat)))


@functools.cache
def critical_value(confidence: float, df: float) -> float:
    """Two-sided critical value of t(df) (normal if df is infinite)."""
    q = 0.5 + confidence / 2
    return float(special.ndtri(q) if math.isinf(df) else special.stdtrit(df, q))


# --- samples -------------------------------------------------------------------


def _sample_meta(s: dict, scale: str, prices: str) -> dict:
    return {
        "series": s["series"],
        "table": int(s["table"]),
        "scale": scale,
        "prices": prices,
        "descriptive": bool(s.get("descriptive", False)),
        "allowed_specs": s.get("break_specs"),
    }


def model_samples(
    prices: pd.DataFrame, models_cfg: dict, *, nominal_on_real_span: bool = False
) -> Iterator[tuple[dict, np.ndarray, np.ndarray]]:
    """(meta, years, y on model scale) per configured series x prices x scale.

    Missing values are dropped; samples with fewer than MIN_OBS points are skipped;
    the log scale only where every value is > 0. With `nominal_on_real_span`, money
    series whose real values cover fewer years than the nominal ones are also fitted
    in nominal prices on the real values' years (prices = NOMINAL_ON_REAL_SPAN).
    """
    # split once (rows keep their order) instead of masking the whole table per series
    by_series = dict(iter(prices.groupby(["table", "series"], sort=False)))
    empty = prices.iloc[:0]
    for s in models_cfg["series"]:
        sub = by_series.get((s["table"], s["series"]), empty)
        by_prices = dict(iter(sub.groupby("prices", sort=False)))
        observed = {}
        for pr in models_cfg["prices"]:
            obs = by_prices.get(pr, empty).dropna(subset=["value"]).sort_values("year")
            if obs["year"].duplicated().any():
                raise ValueError(f"duplicate years in {s['series']} ({pr})")
            observed[pr] = obs
        if nominal_on_real_span and {"nominal", "real"} <= set(observed):
            nominal, real_years = observed["nominal"], set(observed["real"]["year"])
            if real_years and real_years != set(nominal["year"]):
                observed[NOMINAL_ON_REAL_SPAN] = nominal[nominal["year"].isin(real_years)]
        for pr, obs in observed.items():
            if len(obs) < MIN_OBS:
                continue
            years, values = obs["year"].to_numpy(int), obs["value"].to_numpy(float)
            for scale in models_cfg["scales"]:
                if scale == "log" and not (values > 0).all():
                    continue
                meta = _sample_meta(s, scale, pr)
                yield meta, years, (np.log(values) if scale == "log" else values)
