"""Break-date scan: a level+slope break tried at every admissible year.

Answers "is 2012 (or 2015) where the series actually bends, or would any year do?"
For each candidate year: SSR, AIC and a Chow-type F against the no-break trend. The
maximum (sup-F) is searched over many years, so its nominal F p-value is far too
small; its p-value here comes from a parametric bootstrap under the no-break model.
"""

import math
from typing import NamedTuple

import numpy as np
import pandas as pd

from pairing_audit.its import EXACT_TOL, design_matrix, model_samples
from pairing_audit.prais_winsten import RHO_BOUND, residual_rho

N_BREAK_PARAMS = 2  # level + slope change


def candidate_years(years, trim: float, min_obs_side: int) -> list[int]:
    """First-post years T with enough observations before and from T on.

    Each side needs at least max(min_obs_side, ceil(trim * n)) observations, i.e.
    trim-fraction trimming at both ends and the minimum-per-side rule together.
    """
    years = np.sort(np.asarray(years, dtype=int))
    n = len(years)
    need = max(min_obs_side, math.ceil(trim * n - 1e-9))  # 1e-9: 0.15*20 is 3.0000000000000004
    return [int(years[i]) for i in range(need, n - need + 1)]


def _residual_makers(years, candidates, designs=None) -> tuple[np.ndarray, np.ndarray]:
    """Annihilators M = I - X X^+ of the no-break model and of each candidate break model.
    `designs`: ``_designs(years, candidates)`` if already built."""

    def maker(X):
        return np.eye(len(X)) - X @ np.linalg.pinv(X)

    trend, breaks = designs or _designs(years, candidates)
    m0 = maker(trend)
    m1 = np.stack([maker(np.column_stack([trend, brk])) for brk in breaks])
    return m0, m1


def _designs(years, candidates) -> tuple[np.ndarray, list[np.ndarray]]:
    """The no-break trend columns and each candidate's (level, slope) break columns,
    from one design matrix (the same columns as its.design_matrix of a single break)."""
    design = design_matrix(years, candidates)
    X, where = design.to_numpy(), {name: i for i, name in enumerate(design.columns)}
    trend = X[:, [where["intercept"], where["pre_slope"]]]
    breaks = [X[:, [where[f"level_change_{T}"], where[f"slope_change_{T}"]]] for T in candidates]
    return trend, breaks


def _f_stats(m0, m1, Y) -> tuple[np.ndarray, np.ndarray]:
    """SSR (candidates x reps) and Chow F for data columns Y (n x reps)."""
    n = Y.shape[0]
    ssr0 = np.sum((m0 @ Y) ** 2, axis=0)
    ssr1 = np.sum((m1 @ Y) ** 2, axis=1)  # (candidates, reps)
    df1 = n - 2 - N_BREAK_PARAMS
    with np.errstate(divide="ignore", invalid="ignore"):
        f = ((ssr0 - ssr1) / N_BREAK_PARAMS) / (ssr1 / df1)
    return ssr1, f


def _break_bases(years, candidates, m0, designs=None) -> np.ndarray:
    """Orthonormal bases (candidates x n x 2) of each candidate's break columns with the
    no-break trend projected out: the part of the data a break adds to the fit."""
    _, breaks = designs or _designs(years, candidates)
    return np.stack([np.linalg.qr(m0 @ brk)[0] for brk in breaks])


def _f_stats_fast(m0, bases, Y) -> np.ndarray:
    """Chow F for many data columns (n x reps) at every candidate (candidates x reps).

    SSR0 = |M0 y|^2 and the SSR a break saves is |W' M0 y|^2 (W the candidate's basis),
    so no n x n product per candidate: the bootstrap's thousands of draws stay cheap.
    Equal to :func:`_f_stats` up to rounding (tested).
    """
    n = Y.shape[0]
    # einsum rather than @ (here and below): n x n (or thin 2 x candidates by n) times
    # n x draws, on which multithreaded BLAS spends several times the CPU when the
    # cores are busy. The draws only enter through sup F* >= sup F, so rounding-level
    # differences from the BLAS product do not reach the output.
    resid0 = np.einsum("mn,nb->mb", m0, Y)
    ssr0 = np.sum(resid0**2, axis=0)
    n_cand = bases.shape[0]
    flat = bases.transpose(0, 2, 1).reshape(n_cand * N_BREAK_PARAMS, n)
    proj = np.einsum("cn,nb->cb", flat, resid0)
    saved = np.sum(proj.reshape(n_cand, N_BREAK_PARAMS, -1) ** 2, axis=1)
    df1 = n - 2 - N_BREAK_PARAMS
    with np.errstate(divide="ignore", invalid="ignore"):
        return (saved / N_BREAK_PARAMS) / ((ssr0 - saved) / df1)


class _Observed(NamedTuple):
    """What the scan and the bootstrap of one window share (computed once)."""

    m0: np.ndarray
    m1: np.ndarray
    ssr: np.ndarray
    f: np.ndarray
    designs: tuple


def _observed(years, y, candidates) -> _Observed:
    """Annihilators, SSR and F of the data, with exact fits made explicit.

    A break model that reproduces y exactly (a pure step, as in some count series)
    has SSR ~1e-25 from rounding: it is set to 0 and its F to +inf. If even the
    no-break trend fits exactly there is nothing to test and every F is NaN.
    """
    designs = _designs(years, candidates)
    m0, m1 = _residual_makers(years, candidates, designs)
    ssr1, f = (a[:, 0] for a in _f_stats(m0, m1, y[:, None]))
    tol = len(y) * (EXACT_TOL * max(1.0, float(np.max(np.abs(y))))) ** 2
    if np.sum((m0 @ y) ** 2) <= tol:
        return _Observed(m0, m1, np.zeros_like(ssr1), np.full_like(f, np.nan), designs)
    exact = ssr1 <= tol
    return _Observed(m0, m1, np.where(exact, 0.0, ssr1), np.where(exact, np.inf, f), designs)


def _scan_columns(n: int, candidates, observed: _Observed) -> dict:
    n_params = 2 + N_BREAK_PARAMS
    ssr = observed.ssr
    with np.errstate(divide="ignore"):  # exact fit: SSR 0 -> AIC -inf, on purpose
        llf = -n / 2 * (np.log(2 * np.pi) + np.log(ssr / n) + 1)
    return {
        "candidate_year": np.asarray(candidates, dtype=np.int64),
        "ssr": ssr,
        "aic": -2 * llf + 2 * n_params,
        "f_stat": observed.f,
    }


def scan(years, y, candidates, observed=None) -> pd.DataFrame:
    """SSR, AIC (Gaussian OLS, as statsmodels) and Chow F for each candidate year.
    `observed`: this data's ``_observed`` if already computed."""
    years, y = np.asarray(years, dtype=int), np.asarray(y, dtype=float)
    observed = observed or _observed(years, y, candidates)
    return pd.DataFrame(_scan_columns(len(y), candidates, observed))


def sup_f_bootstrap(years, y, candidates, n_boot: int, seed: int, observed=None) -> dict:
    """Bootstrap p-value of sup-F under the no-break trend with AR(1) errors.

    rho and the innovation s.d. come from the residuals of the sup-F break model, so an
    unmodelled break does not inflate the autocorrelation. (F is invariant to the
    scale and to the null trend, so only rho really matters.) Gaussian innovations,
    stationary start; p = (1 + #{F*_sup >= F_sup}) / (n_boot + 1). Seeded with
    numpy default_rng(seed) per window, so results do not depend on processing order.
    `observed`: this data's ``_observed`` if already computed.
    """
    years, y = np.asarray(years, dtype=int), np.asarray(y, dtype=float)
    observed = observed or _observed(years, y, candidates)
    m0, m1, f_obs = observed.m0, observed.m1, observed.f
    if np.isnan(f_obs).all():
        return _boot_result(
            None, np.nan, np.nan, np.nan, "no-break trend fits exactly: nothing to scan"
        )
    best = int(np.nanargmax(f_obs))
    sup_obs, year = f_obs[best], int(candidates[best])
    if np.isinf(sup_obs):
        # Any simulated F is finite, so the bootstrap p is its minimum; rho is undefined.
        note = f"exact fit with a break at {year}: F infinite"
        return _boot_result(year, np.inf, 1 / (n_boot + 1), np.nan, note)
    resid = m1[best] @ y
    rho = residual_rho(resid, RHO_BOUND)
    sigma = float(np.std(resid[1:] - rho * resid[:-1], ddof=0))
    rng = np.random.default_rng(seed)
    n = len(y)
    e = rng.standard_normal((n, n_boot)) * sigma
    u = np.empty_like(e)
    u[0] = e[0] / np.sqrt(1 - rho**2)
    for t in range(1, n):
        u[t] = rho * u[t - 1] + e[t]
    # F is invariant to the null trend, so the draws are the AR(1) errors alone
    f_boot = _f_stats_fast(m0, _break_bases(years, candidates, m0, observed.designs), u)
    sup_boot = np.nanmax(f_boot, axis=0)
    p = (1 + np.sum(sup_boot >= sup_obs)) / (n_boot + 1)
    return _boot_result(year, float(sup_obs), float(p), rho, "")


def _boot_result(year, sup_f, p, rho, note) -> dict:
    return {"sup_f_year": year, "sup_f": sup_f, "sup_f_p_boot": p, "rho_boot": rho, "note": note}


# columns of a scanned window after the scan's own; the two integer ones may be missing
WINDOW_COLUMNS = ["n_obs", "f_rank", "is_sup_f", "sup_f_year", "sup_f_p_boot", "rho_boot"]
WINDOW_COLUMNS += ["note", "n_boot", "seed"]
_NULLABLE_INT = ("f_rank", "sup_f_year")


def _window_columns(years, y, scan_cfg: dict) -> dict | None:
    """The columns of :func:`scan_window` as arrays, one per candidate year; the
    nullable integer ones as floats (NaN: missing). None if no candidate is admissible."""
    cands = candidate_years(years, scan_cfg["trim"], scan_cfg["min_obs_side"])
    if not cands:
        return None
    years, y = np.asarray(years, dtype=int), np.asarray(y, dtype=float)
    observed = _observed(years, y, cands)  # annihilators and F: once for scan and bootstrap
    out = _scan_columns(len(y), cands, observed)
    boot = sup_f_bootstrap(years, y, cands, scan_cfg["n_boot"], scan_cfg["seed"], observed)
    size, year = len(cands), boot["sup_f_year"]
    out |= {
        "n_obs": np.full(size, len(y), dtype=np.int64),
        "f_rank": pd.Series(out["f_stat"]).rank(ascending=False, method="min").to_numpy(),
        "is_sup_f": out["candidate_year"] == year if year is not None else np.zeros(size, bool),
        "sup_f_year": np.full(size, math.nan if year is None else float(year)),
        **{key: np.full(size, boot[key], dtype=float) for key in ("sup_f_p_boot", "rho_boot")},
        "note": np.full(size, boot["note"], dtype=object),
        "n_boot": np.full(size, scan_cfg["n_boot"], dtype=np.int64),
        "seed": np.full(size, scan_cfg["seed"], dtype=np.int64),
    }
    return out


def _frame(columns: dict) -> pd.DataFrame:
    # one DataFrame from whole columns (not one per window and per added column)
    return pd.DataFrame(
        {
            name: pd.array(col, dtype="Int64") if name in _NULLABLE_INT else col
            for name, col in columns.items()
        }
    )


def scan_window(years, y, scan_cfg: dict) -> pd.DataFrame | None:
    """Scan plus bootstrap for one sample window; None if no candidate year is admissible."""
    columns = _window_columns(years, y, scan_cfg)
    return None if columns is None else _frame(columns)


def _dtype(value):
    return np.int64 if isinstance(value, int) else object


def break_scan_table(prices: pd.DataFrame, models_cfg: dict) -> pd.DataFrame:
    """break_scan.csv: full window and placebo window (years < placebo_before) per sample."""
    cfg = models_cfg["break_scan"]
    placebo = f"placebo_pre{cfg['placebo_before']}"
    parts = []
    for meta, years, y in model_samples(prices, models_cfg):
        meta = {k: meta[k] for k in ("series", "table", "scale", "prices")}
        pre = years < cfg["placebo_before"]
        for window, keep in (("full", np.ones_like(pre)), (placebo, pre)):
            cols = _window_columns(years[keep], y[keep], cfg)
            if cols is not None:
                size = len(cols["candidate_year"])
                added = {**meta, "window": window}
                parts.append(
                    cols | {k: np.full(size, v, dtype=_dtype(v)) for k, v in added.items()}
                )
    out = _frame({name: np.concatenate([part[name] for part in parts]) for name in parts[0]})
    first = ["series", "table", "scale", "prices", "window", "candidate_year"]
    out = out[first + [c for c in out.columns if c not in first]]
    by = ["table", "series", "prices", "scale", "window", "candidate_year"]
    return out.sort_values(by, kind="stable").reset_index(drop=True)
