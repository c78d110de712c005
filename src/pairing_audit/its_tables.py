"""Output tables of the segmented-regression fits: its.csv, its_effects.csv, its_paths.csv.

Every row carries a `role`: `primary` for the one declared specification of a series
(config `models.primary`, see ``specs``), `sensitivity` for everything else.

Log scale back on the original scale: exp(fitted log) is the median path; the mean,
which is what sums in yuan (or persons) need, is exp(fitted log) times Duan's (1983)
smearing factor, the sample mean of exp(residual) with the residuals y - X beta of
the fit on the log scale. `its_paths.csv` keeps the median path (`counterfactual`)
and adds the mean (`counterfactual_mean`); `its_effects.csv` compares observed values
with the mean counterfactual (last year and post-period sums) and gives the factor.
"""

from __future__ import annotations

import gc
import math

import numpy as np
import pandas as pd
from scipy import special
from statsmodels.stats.multitest import multipletests

from pairing_audit import estimators, specs
from pairing_audit.its_model import BG_LAGS, KEYS, SORT, ItsFit, safe_sqrt

NOTE_SMEARING = (
    "log scale: counterfactual on the original scale = exp(pre-trend) x Duan smearing "
    "factor mean(exp(residual))"
)
PART_ORDER = {"its": SORT + ["term"], "effects": SORT, "paths": SORT + ["year"]}
PATH_COLUMNS = [
    "year",
    "post",
    "observed",
    "fitted",
    "counterfactual",
    "cf_low",
    "cf_high",
    "counterfactual_mean",
]
NUMERIC_KEYS = {"table", "year"}


def _sorted(df: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Deterministic row order (stable sort on explicit keys), fresh index."""
    return df.sort_values(by, kind="stable").reset_index(drop=True)


def _with_role(table: pd.DataFrame, primary: pd.DataFrame) -> pd.DataFrame:
    return table.assign(role=specs.role_of(table, primary))


# --- term rows ---------------------------------------------------------------


def _row(fit: ItsFit, term, est, se, confidence, p=None) -> dict:
    c = fit.crit(confidence)
    if p is None:
        p = fit.two_sided_p(est / se) if se > 0 else math.nan
    return {
        "term": term,
        "estimate": est,
        "std_err": se,
        "ci_low": est - c * se,
        "ci_high": est + c * se,
        "p_value": float(p),
    }


def coef_rows(fit: ItsFit, confidence: float = 0.95) -> list[dict]:
    se = safe_sqrt(np.diag(fit.cov.to_numpy()))
    # plain lists: iterating a string Index and a Series goes through pandas per element
    terms, params = fit.params.index.tolist(), fit.params.to_numpy().tolist()
    return [
        _row(fit, t, float(b), float(s), confidence)
        for t, b, s in zip(terms, params, se.tolist(), strict=False)
    ]


def joint_rows(fit: ItsFit) -> list[dict]:
    """Wald test that level and slope change of each break are both 0, reported as F = W/q.

    p from F(q, n-k) for t-inference fits, chi2(q) on W for the ML (ARIMA) fit.
    """
    rows = []
    params, cov = fit.params.to_numpy(), fit.cov.to_numpy()
    for T in fit.breaks:
        idx = [fit.params.index.get_loc(f"{name}_{T}") for name in ("level_change", "slope_change")]
        b = params[idx]
        V = cov[np.ix_(idx, idx)]
        q = len(idx)
        if not np.isfinite(V).all() or np.linalg.matrix_rank(V) < q:
            rows.append({"term": f"joint_{T}", "estimate": math.nan, "p_value": math.nan})
            continue
        wald = float(b @ np.linalg.solve(V, b))
        if math.isinf(fit.df_resid):
            p = special.chdtrc(q, wald)
        else:
            p = special.fdtrc(q, fit.df_resid, wald / q)
        rows.append({"term": f"joint_{T}", "estimate": wald / q, "p_value": float(p)})
    return rows


def _pct(row: dict, term: str) -> dict:
    # 100*(e^x - 1) is monotone: transform estimate and CI endpoints; p is that of x = 0.
    def f(v):
        return 100.0 * math.expm1(v)

    return {
        "term": term,
        "estimate": f(row["estimate"]),
        "std_err": math.nan,
        "ci_low": f(row["ci_low"]),
        "ci_high": f(row["ci_high"]),
        "p_value": row["p_value"],
    }


def log_rows(fit: ItsFit, confidence: float = 0.95) -> list[dict]:
    """Percent versions of the log-scale coefficients (level jumps, pre and post growth)."""
    rows = []
    w = {"pre_slope": 1.0}
    rows.append(_pct(_row(fit, "", *fit.combination(w), confidence), "pre_growth_pct"))
    for T in fit.breaks:
        lc = {f"level_change_{T}": 1.0}
        rows.append(_pct(_row(fit, "", *fit.combination(lc), confidence), f"level_change_pct_{T}"))
        w = {**w, f"slope_change_{T}": 1.0}  # growth after T: b1 + all slope changes up to T
        rows.append(_pct(_row(fit, "", *fit.combination(w), confidence), f"post_growth_pct_{T}"))
    return rows


def tidy_rows(fit: ItsFit, scale: str, confidence: float = 0.95) -> list[dict]:
    """All term rows of one fit as dicts, the fit-level columns repeated on each row."""
    rows = coef_rows(fit, confidence) + joint_rows(fit)
    if scale == "log":
        rows += log_rows(fit, confidence)
    tests = estimators.get(fit.estimator).reports_residual_tests
    fit_level = {
        "n_obs": fit.n_obs,
        "aic": fit.aic,
        "bic": fit.bic,
        "rho": fit.rho,
        "dw": fit.dw if tests else math.nan,
        **{
            f"bg_p_lag{lag}": (p if tests else math.nan)
            for lag, p in zip(BG_LAGS, fit.bg_p, strict=False)
        },
        "converged": fit.converged,
        "note": fit.note,
        "llf": fit.llf,
    }
    return [{**row, **fit_level} for row in rows]


def tidy_fit(fit: ItsFit, scale: str, confidence: float = 0.95) -> pd.DataFrame:
    """All term rows of one fit with the fit-level columns repeated on each row."""
    return pd.DataFrame(tidy_rows(fit, scale, confidence))


def holm_adjust(table: pd.DataFrame, primary_specs, break_specs: dict) -> pd.DataFrame:
    """p_holm for the joint tests of the pre-specified single-break fits.

    Within each series/table/scale/prices/estimator, the joint p-values of the fits with
    spec in `primary_specs` (e.g. 'joint_2012' from spec '2012', 'joint_2015' from '2015')
    are Holm-adjusted together; m is the number of those fits that exist for the group.
    """
    out = table.copy()
    p_holm = np.full(len(out), math.nan)
    target = {spec: f"joint_{break_specs[spec][0]}" for spec in primary_specs}
    mask = out["breaks"].map(target).eq(out["term"]) & out["p_value"].notna()
    group_keys = ["series", "table", "scale", "prices", "estimator"]
    # statsmodels' Holm branch runs gc.collect() on every call, which costs ~0.1 s with
    # hundreds of fits alive; freezing the heap first keeps each collection trivial.
    gc.freeze()
    try:
        for _, grp in out[mask].groupby(group_keys, sort=True):
            pvals = grp["p_value"].to_numpy()
            # filled by position, one column assignment at the end (not one .loc per group)
            p_holm[out.index.get_indexer(grp.index)] = multipletests(pvals, method="holm")[1]
    finally:
        gc.unfreeze()
    out["p_holm"] = p_holm
    return out


def its_table(fits, models_cfg: dict, primary: pd.DataFrame) -> pd.DataFrame:
    """its.csv: one row per (fit, term). `primary`: ``specs.primary_keys`` of the data."""
    conf = models_cfg["confidence"]
    # one DataFrame from plain rows: building one per fit costs more than the fits
    table = pd.DataFrame(
        [{**row, **meta} for meta, fit in fits for row in tidy_rows(fit, meta["scale"], conf)]
    )
    table = holm_adjust(table, models_cfg["primary_breaks"], models_cfg["break_specs"])
    table = _with_role(table, primary)
    cols = KEYS + ["term", "estimate", "std_err", "ci_low", "ci_high", "p_value", "p_holm"]
    return _sorted(table[cols + [c for c in table.columns if c not in cols]], SORT + ["term"])


# --- counterfactual ------------------------------------------------------------


def smearing_factor(fit: ItsFit) -> float:
    """Duan's smearing factor mean(exp(residual)) of a log-scale fit (1 for an exact fit)."""
    return float(np.mean(np.exp(fit.resid)))


def _path_arrays(fit: ItsFit, scale: str, confidence: float) -> dict[str, np.ndarray]:
    """The columns of :func:`counterfactual_path` as arrays (no DataFrame per fit)."""
    if not fit.breaks:
        raise ValueError("counterfactual needs at least one break")
    X = fit.exog.to_numpy()
    Xcf = X.copy()
    # plain membership test: Index.isin costs more than the rest of the path
    Xcf[:, [name not in ("intercept", "pre_slope") for name in fit.exog.columns]] = 0.0
    b, V = fit.params.to_numpy(), fit.cov.to_numpy()
    cf = Xcf @ b
    se = safe_sqrt(np.einsum("ij,jk,ik->i", Xcf, V, Xcf))
    c = fit.crit(confidence)
    log = scale == "log"
    back = np.exp if log else (lambda v: v)
    return {
        "year": fit.years,
        "post": fit.years >= fit.breaks[0],
        "observed": back(fit.y),
        "fitted": back(X @ b),
        "counterfactual": back(cf),
        "cf_low": back(cf - c * se),
        "cf_high": back(cf + c * se),
        "counterfactual_mean": back(cf) * (smearing_factor(fit) if log else 1.0),
    }


def counterfactual_path(fit: ItsFit, scale: str, confidence: float = 0.95) -> pd.DataFrame:
    """Per-year observed, fitted and pre-trend counterfactual (b0 + b1*t) with its band.

    The counterfactual drops every break term, so with two breaks it is the trend
    before the first one. Rows cover the whole sample (before the first break the
    counterfactual is the fitted pre-trend); `post` marks years >= the first break.
    The band is for the mean (coefficient uncertainty only). On the log scale
    everything is exp()'d back, so the line is the geometric-mean (median) path;
    `counterfactual_mean` is the mean path (median x Duan's smearing factor; equal to
    `counterfactual` on the level scale).
    """
    return pd.DataFrame(_path_arrays(fit, scale, confidence))


def counterfactual_effects(fit: ItsFit, scale: str, confidence: float = 0.95) -> dict:
    """Observed minus counterfactual in the last year and summed over the post period.

    On the log scale the counterfactual (and its band) is the mean on the original
    scale, i.e. smeared (see the module docstring); `smearing_factor` is NaN on the
    level scale, where nothing is retransformed.
    """
    path = _path_arrays(fit, scale, confidence)
    smear = smearing_factor(fit) if scale == "log" else math.nan
    factor = 1.0 if math.isnan(smear) else smear
    post = {name: col[path["post"]] for name, col in path.items()}
    observed, cf_mean = post["observed"], post["counterfactual_mean"]
    obs_sum, cf_sum = float(observed.sum()), float(cf_mean.sum())
    obs_last, cf_last = float(observed[-1]), float(cf_mean[-1])
    return {
        "break_year": int(fit.breaks[0]),
        "last_year": int(post["year"][-1]),
        "observed_last": obs_last,
        "counterfactual_last": cf_last,
        "cf_low_last": float(post["cf_low"][-1]) * factor,
        "cf_high_last": float(post["cf_high"][-1]) * factor,
        "effect_last_abs": obs_last - cf_last,
        "effect_last_pct": float(100 * (obs_last / cf_last - 1)),
        "observed_post_sum": obs_sum,
        "counterfactual_post_sum": cf_sum,
        "effect_sum_abs": obs_sum - cf_sum,
        "effect_sum_pct": 100 * (obs_sum / cf_sum - 1),
        "n_post": len(observed),
        "smearing_factor": smear,
    }


def _join_notes(*notes: str) -> str:
    return "; ".join(n for n in notes if n)


def effects_table(fits, models_cfg: dict, primary: pd.DataFrame) -> pd.DataFrame:
    """its_effects.csv: one row per fit with at least one break (relative to the first)."""
    conf = models_cfg["confidence"]
    rows = [
        {
            **meta,
            **counterfactual_effects(fit, meta["scale"], conf),
            "note": _join_notes(fit.note, NOTE_SMEARING if meta["scale"] == "log" else ""),
        }
        for meta, fit in fits
        if fit.breaks
    ]
    return _sorted(_with_role(pd.DataFrame(rows), primary), SORT)


def paths_table(fits, models_cfg: dict, primary: pd.DataFrame) -> pd.DataFrame:
    """its_paths.csv: per-year paths of the primary estimator for the pre-specified
    single breaks (`primary_breaks`) and for the primary specification's breaks."""
    conf = models_cfg["confidence"]
    estimator = models_cfg["primary"]["estimator"]
    wanted = {*models_cfg["primary_breaks"], models_cfg["primary"]["breaks"]}
    picked = [
        (meta, fit)
        for meta, fit in fits
        if meta["estimator"] == estimator and meta["breaks"] in wanted
    ]
    first = KEYS + ["descriptive", "break_year"]
    if not picked:  # a part of the grid without that estimator
        return pd.DataFrame(columns=first + PATH_COLUMNS + ["role"])
    # one DataFrame from concatenated columns, not one per fit (the same cells)
    paths = [_path_arrays(fit, meta["scale"], conf) for meta, fit in picked]
    lengths = [len(p["year"]) for p in paths]
    columns = {name: np.concatenate([p[name] for p in paths]) for name in PATH_COLUMNS}
    for name in picked[0][0]:
        columns[name] = np.repeat(
            np.array([meta[name] for meta, _ in picked], dtype=object), lengths
        )
    columns["break_year"] = np.repeat([fit.breaks[0] for _, fit in picked], lengths)
    table = pd.DataFrame(columns).infer_objects()
    out = _with_role(table, primary)
    return _sorted(out[first + [c for c in out.columns if c not in first]], SORT + ["year"])


# --- running the grid in parts ----------------------------------------------


def combine_parts(parts: list[pd.DataFrame], kind: str) -> pd.DataFrame:
    """One output table from parts fitted separately (by scale and estimator family),
    in exactly the row order a single run gives. Parts are read back as text so that
    every cell is written out unchanged; numeric sort keys are compared as numbers."""
    filled = [part for part in parts if len(part)]
    table = pd.concat(filled, ignore_index=True)[list(filled[0].columns)]
    keys = PART_ORDER[kind]
    return table.sort_values(
        keys, kind="stable", key=lambda col: col.astype(int) if col.name in NUMERIC_KEYS else col
    ).reset_index(drop=True)
