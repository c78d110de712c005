"""Interrupted time series: segmented regression with level and slope breaks.

Model: y = b0 + b1*t + sum_k [c_k*D_k + d_k*(year - T_k)*D_k] + e, with
t = year - first year of the sample and D_k = 1 from the first post year T_k on.
Measuring the slope term from T_k (not from the origin) makes c_k the jump at T_k,
so level and slope changes do not depend on where the time origin is put.

Four estimators of the same mean model (column `estimator`):
prais_winsten (primary; AR(1), full sample), ols_hc3, ols_hac (Newey–West, lag
fixed in advance) and arima_ar1 (exact ML, observed-information SEs, z inference).
"""

import gc
import itertools
import math
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.regression.linear_model import OLS
from statsmodels.stats.diagnostic import acorr_breusch_godfrey
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.stattools import durbin_watson
from statsmodels.tools.sm_exceptions import ConvergenceWarning, SingularMatrixWarning
from statsmodels.tsa.arima.model import ARIMA

from pairing_audit.prais_winsten import RHO_BOUND, prais_winsten

ESTIMATORS = ("prais_winsten", "ols_hc3", "ols_hac", "arima_ar1")
MIN_OBS = 6  # fewer non-missing points than this: no fit at all
MIN_OBS_SIDE = 3  # observations required in every segment between breaks
BG_LAGS = (1, 2, 3)
EXACT_TOL = 1e-9  # residuals below this (relative to max |y|) count as an exact fit
NOTE_EXACT = "exact fit (zero residuals): coefficients exact, no inference"
KEYS = ["series", "table", "scale", "prices", "breaks", "estimator"]
SORT = ["table", "series", "prices", "scale", "breaks", "estimator"]


def _sorted(df: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Deterministic row order (stable sort on explicit keys), fresh index."""
    return df.sort_values(by, kind="stable").reset_index(drop=True)


# --- design -----------------------------------------------------------------


def design_matrix(years, breaks) -> pd.DataFrame:
    """Regressors of the segmented model, one column per coefficient (named as terms)."""
    years = np.asarray(years, dtype=int)
    cols = {"intercept": np.ones(len(years)), "pre_slope": (years - years.min()).astype(float)}
    for T in sorted(breaks):
        post = (years >= T).astype(float)
        cols[f"level_change_{T}"] = post
        cols[f"slope_change_{T}"] = (years - T) * post  # 0 in T itself
    return pd.DataFrame(cols, index=pd.Index(years, name="year"))


def admissible(years, breaks, min_side: int = MIN_OBS_SIDE) -> bool:
    """True if every segment cut by the breaks holds at least `min_side` observations."""
    years = np.asarray(years)
    edges = [-math.inf, *sorted(breaks), math.inf]
    return all(
        ((years >= lo) & (years < hi)).sum() >= min_side for lo, hi in itertools.pairwise(edges)
    )


def hac_lag(n: int) -> int:
    """Newey–West (1994) rule fixed in advance: floor(4 * (n/100)^(2/9)), at least 1."""
    return max(1, math.floor(4 * (n / 100) ** (2 / 9)))


# --- fitting ----------------------------------------------------------------


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
    rho: float = math.nan
    dw: float = math.nan
    bg_p: tuple = (math.nan,) * len(BG_LAGS)
    converged: bool = True
    note: str = ""  # why some output is missing or should be read with care

    @property
    def n_obs(self) -> int:
        return len(self.y)

    def two_sided_p(self, stat: float) -> float:
        if math.isinf(self.df_resid):
            return float(2 * stats.norm.sf(abs(stat)))
        return float(2 * stats.t.sf(abs(stat), self.df_resid))

    def crit(self, confidence: float) -> float:
        q = 0.5 + confidence / 2
        return float(
            stats.norm.ppf(q) if math.isinf(self.df_resid) else stats.t.ppf(q, self.df_resid)
        )

    def combination(self, weights: pd.Series) -> tuple[float, float]:
        """Estimate and standard error of the linear combination weights' * params."""
        w = weights.reindex(self.params.index, fill_value=0.0).to_numpy()
        return float(w @ self.params.to_numpy()), float(safe_sqrt(w @ self.cov.to_numpy() @ w))


def safe_sqrt(var):
    """sqrt of variances; negative ones (numerical noise in a non-PSD covariance) -> NaN."""
    var = np.asarray(var, dtype=float)
    return np.sqrt(np.where(var >= 0, var, np.nan))


def _bg_pvalues(ols_res) -> tuple:
    # F form of Breusch–Godfrey: better size than the LM (chi2) form with 9–41 points.
    out = []
    for lag in BG_LAGS:
        if ols_res.df_resid - lag < 1:
            out.append(math.nan)
            continue
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", SingularMatrixWarning)
            p = float(acorr_breusch_godfrey(ols_res, nlags=lag, result_object=True).fpval)
        # Collinear lagged residuals: the auxiliary regression is not identified.
        out.append(math.nan if any(w.category is SingularMatrixWarning for w in caught) else p)
        for w in caught:
            if w.category is not SingularMatrixWarning:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return tuple(out)


def _fit_arima(y: np.ndarray, exog: np.ndarray):
    """ARIMA(1,0,0) with exog; warnings handled here so they are recorded, not printed."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = ARIMA(y, exog=exog, order=(1, 0, 0), trend="n").fit(cov_type="oim")
    no_conv = False
    for w in caught:
        if issubclass(w.category, ConvergenceWarning):
            no_conv = True  # becomes converged=False in the output
        elif issubclass(w.category, UserWarning) and "starting" in str(w.message).lower():
            pass  # about start values only; the optimiser result is what counts
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    converged = bool(res.mle_retvals.get("converged", True)) and not no_conv
    return res, converged


def _exact_solution(y: np.ndarray, X: np.ndarray) -> np.ndarray | None:
    """Least-squares coefficients if the mean model reproduces y exactly, else None.

    Happens for step-shaped counts (e.g. a number constant before and after 2012):
    residual variance is zero, so SEs, tests and AR(1) parameters are undefined.
    """
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    resid = y - X @ beta
    return beta if np.max(np.abs(resid)) <= EXACT_TOL * max(1.0, np.max(np.abs(y))) else None


def fit_its(years, y, breaks, estimator: str) -> ItsFit:
    """Fit the segmented model with one of ESTIMATORS. Years must be unique.

    An exact fit gets the exact coefficients with NaN covariance and a note, instead
    of the meaningless SEs (~1e-13) and warnings the estimators would produce.
    """
    years = np.asarray(years, dtype=int)
    y = np.asarray(y, dtype=float)
    if estimator not in ESTIMATORS:
        raise ValueError(f"unknown estimator {estimator!r}")
    X = design_matrix(years, breaks)
    exact = _exact_solution(y, X.to_numpy())
    if exact is not None:
        k = X.shape[1]
        return ItsFit(
            estimator=estimator,
            breaks=tuple(sorted(breaks)),
            years=years,
            y=y,
            exog=X,
            params=pd.Series(exact, index=X.columns),
            cov=pd.DataFrame(np.nan, index=X.columns, columns=X.columns),
            df_resid=math.inf if estimator == "arima_ar1" else float(len(y) - k),
            aic=math.nan,
            bic=math.nan,
            note=NOTE_EXACT,
        )
    fit = _fit_estimator(years, y, X, breaks, estimator)
    notes = []
    if (np.diff(years) != 1).any():
        notes.append("years not consecutive: AR(1)/HAC treat neighbours as adjacent")
    if estimator == "prais_winsten" and abs(fit.rho) >= RHO_BOUND:
        notes.append(f"rho at the bound {RHO_BOUND}")
    elif not fit.converged:
        notes.append("did not converge")
    if (np.diag(fit.cov.to_numpy()) < 0).any():
        notes.append("covariance not positive semi-definite")
    return replace(fit, note="; ".join(notes))


def _fit_estimator(years, y, X: pd.DataFrame, breaks, estimator: str) -> ItsFit:
    names, k = list(X.columns), X.shape[1]
    common = {
        "estimator": estimator,
        "breaks": tuple(sorted(breaks)),
        "years": years,
        "y": y,
        "exog": X,
    }

    def wrap(params, cov):
        return pd.Series(np.asarray(params)[:k], index=names), pd.DataFrame(
            np.asarray(cov)[:k, :k], index=names, columns=names
        )

    if estimator == "prais_winsten":
        pw = prais_winsten(y, X.to_numpy())
        params, cov = wrap(pw.params, pw.cov)
        return ItsFit(
            **common,
            params=params,
            cov=cov,
            df_resid=pw.df_resid,
            aic=pw.aic,
            bic=pw.bic,
            rho=pw.rho,
            converged=pw.converged,
        )
    if estimator in ("ols_hc3", "ols_hac"):
        model = OLS(y, X.to_numpy())
        if estimator == "ols_hc3":
            res = model.fit(cov_type="HC3", use_t=True)
        else:
            kw = {"maxlags": hac_lag(len(y)), "use_correction": True}
            res = model.fit(cov_type="HAC", cov_kwds=kw, use_t=True)
        params, cov = wrap(res.params, res.cov_params())
        return ItsFit(
            **common,
            params=params,
            cov=cov,
            df_resid=float(res.df_resid),
            aic=float(res.aic),
            bic=float(res.bic),
            dw=float(durbin_watson(res.resid)),
            bg_p=_bg_pvalues(res),
        )
    if estimator == "arima_ar1":
        res, converged = _fit_arima(y, X.to_numpy())
        params, cov = wrap(res.params, res.cov_params())
        return ItsFit(
            **common,
            params=params,
            cov=cov,
            df_resid=math.inf,  # ML fit: asymptotic normal inference
            aic=float(res.aic),
            bic=float(res.bic),
            rho=float(np.asarray(res.params)[k]),
            converged=converged,
        )
    raise AssertionError(estimator)  # checked in fit_its


# --- tidy output -------------------------------------------------------------


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
    return [
        _row(fit, t, float(b), float(s), confidence)
        for t, b, s in zip(fit.params.index, fit.params, se, strict=False)
    ]


def joint_rows(fit: ItsFit) -> list[dict]:
    """Wald test that level and slope change of each break are both 0, reported as F = W/q.

    p from F(q, n-k) for t-inference fits, chi2(q) on W for the ML (ARIMA) fit.
    """
    rows = []
    for T in fit.breaks:
        terms = [f"level_change_{T}", f"slope_change_{T}"]
        b = fit.params[terms].to_numpy()
        V = fit.cov.loc[terms, terms].to_numpy()
        q = len(terms)
        if not np.isfinite(V).all() or np.linalg.matrix_rank(V) < q:
            rows.append({"term": f"joint_{T}", "estimate": math.nan, "p_value": math.nan})
            continue
        wald = float(b @ np.linalg.solve(V, b))
        if math.isinf(fit.df_resid):
            p = stats.chi2.sf(wald, q)
        else:
            p = stats.f.sf(wald / q, q, fit.df_resid)
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
    w = pd.Series({"pre_slope": 1.0})
    rows.append(_pct(_row(fit, "", *fit.combination(w), confidence), "pre_growth_pct"))
    for T in fit.breaks:
        lc = pd.Series({f"level_change_{T}": 1.0})
        rows.append(_pct(_row(fit, "", *fit.combination(lc), confidence), f"level_change_pct_{T}"))
        w = w.copy()
        w[f"slope_change_{T}"] = 1.0  # growth after T: b1 + all slope changes up to T
        rows.append(_pct(_row(fit, "", *fit.combination(w), confidence), f"post_growth_pct_{T}"))
    return rows


def tidy_rows(fit: ItsFit, scale: str, confidence: float = 0.95) -> list[dict]:
    """All term rows of one fit as dicts, the fit-level columns repeated on each row."""
    rows = coef_rows(fit, confidence) + joint_rows(fit)
    if scale == "log":
        rows += log_rows(fit, confidence)
    ols = fit.estimator.startswith("ols")
    fit_level = {
        "n_obs": fit.n_obs,
        "aic": fit.aic,
        "bic": fit.bic,
        "rho": fit.rho,
        "dw": fit.dw if ols else math.nan,
        **{
            f"bg_p_lag{lag}": (p if ols else math.nan)
            for lag, p in zip(BG_LAGS, fit.bg_p, strict=False)
        },
        "converged": fit.converged,
        "note": fit.note,
    }
    return [{**row, **fit_level} for row in rows]


def tidy_fit(fit: ItsFit, scale: str, confidence: float = 0.95) -> pd.DataFrame:
    """All term rows of one fit with the fit-level columns repeated on each row."""
    return pd.DataFrame(tidy_rows(fit, scale, confidence))


# --- samples and the full grid ----------------------------------------------


def model_samples(
    prices: pd.DataFrame, models_cfg: dict
) -> Iterator[tuple[dict, np.ndarray, np.ndarray]]:
    """(meta, years, y on model scale) per configured series x prices x scale.

    Missing values are dropped; samples with fewer than MIN_OBS points are skipped;
    the log scale only where every value is > 0.
    """
    for s in models_cfg["series"]:
        sub = prices[(prices["table"] == s["table"]) & (prices["series"] == s["series"])]
        for pr in models_cfg["prices"]:
            obs = sub[sub["prices"] == pr].dropna(subset=["value"]).sort_values("year")
            if obs["year"].duplicated().any():
                raise ValueError(f"duplicate years in {s['series']} ({pr})")
            if len(obs) < MIN_OBS:
                continue
            years, values = obs["year"].to_numpy(int), obs["value"].to_numpy(float)
            for scale in models_cfg["scales"]:
                if scale == "log" and not (values > 0).all():
                    continue
                meta = {
                    "series": s["series"],
                    "table": int(s["table"]),
                    "scale": scale,
                    "prices": pr,
                    "descriptive": bool(s.get("descriptive", False)),
                    "allowed_specs": s.get("break_specs"),
                }
                yield meta, years, (np.log(values) if scale == "log" else values)


def fit_all(prices: pd.DataFrame, models_cfg: dict) -> list[tuple[dict, ItsFit]]:
    """Every admissible (sample, break spec, estimator) fit as (meta, fit)."""
    specs = models_cfg["break_specs"]
    fits = []
    for meta, years, y in model_samples(prices, models_cfg):
        allowed = meta.pop("allowed_specs") or list(specs)
        for spec in allowed:
            if not admissible(years, specs[spec]):
                continue
            for est in models_cfg["estimators"]:
                fits.append(
                    (
                        {**meta, "breaks": spec, "estimator": est},
                        fit_its(years, y, specs[spec], est),
                    )
                )
    return fits


def holm_adjust(table: pd.DataFrame, primary_specs, break_specs: dict) -> pd.DataFrame:
    """p_holm for the joint tests of the pre-specified single-break fits.

    Within each series/table/scale/prices/estimator, the joint p-values of the fits with
    spec in `primary_specs` (e.g. 'joint_2012' from spec '2012', 'joint_2015' from '2015')
    are Holm-adjusted together; m is the number of those fits that exist for the group.
    """
    out = table.copy()
    out["p_holm"] = math.nan
    target = {spec: f"joint_{break_specs[spec][0]}" for spec in primary_specs}
    mask = out["breaks"].map(target).eq(out["term"]) & out["p_value"].notna()
    group_keys = ["series", "table", "scale", "prices", "estimator"]
    # statsmodels' Holm branch runs gc.collect() on every call, which costs ~0.1 s with
    # hundreds of fits alive; freezing the heap first keeps each collection trivial.
    gc.freeze()
    try:
        for _, grp in out[mask].groupby(group_keys, sort=True):
            pvals = grp["p_value"].to_numpy()
            out.loc[grp.index, "p_holm"] = multipletests(pvals, method="holm")[1]
    finally:
        gc.unfreeze()
    return out


def its_table(fits, models_cfg: dict) -> pd.DataFrame:
    """its.csv: one row per (fit, term)."""
    conf = models_cfg["confidence"]
    # one DataFrame from plain rows: building one per fit costs more than the fits
    table = pd.DataFrame(
        [{**row, **meta} for meta, fit in fits for row in tidy_rows(fit, meta["scale"], conf)]
    )
    table = holm_adjust(table, models_cfg["primary_breaks"], models_cfg["break_specs"])
    cols = KEYS + ["term", "estimate", "std_err", "ci_low", "ci_high", "p_value", "p_holm"]
    return _sorted(table[cols + [c for c in table.columns if c not in cols]], SORT + ["term"])


# --- counterfactual ------------------------------------------------------------


def counterfactual_path(fit: ItsFit, scale: str, confidence: float = 0.95) -> pd.DataFrame:
    """Per-year observed, fitted and pre-trend counterfactual (b0 + b1*t) with its band.

    The counterfactual drops every break term, so with two breaks it is the trend
    before the first one. Rows cover the whole sample (before the first break the
    counterfactual is the fitted pre-trend); `post` marks years >= the first break.
    The band is for the mean (coefficient uncertainty only). On the log scale
    everything is exp()'d back, so the line is the geometric-mean (median) path.
    """
    if not fit.breaks:
        raise ValueError("counterfactual needs at least one break")
    X = fit.exog.to_numpy()
    Xcf = fit.exog.copy()
    Xcf.loc[:, ~Xcf.columns.isin(["intercept", "pre_slope"])] = 0.0
    Xcf = Xcf.to_numpy()
    b, V = fit.params.to_numpy(), fit.cov.to_numpy()
    cf = Xcf @ b
    se = safe_sqrt(np.einsum("ij,jk,ik->i", Xcf, V, Xcf))
    c = fit.crit(confidence)
    back = np.exp if scale == "log" else (lambda v: v)
    return pd.DataFrame(
        {
            "year": fit.years,
            "post": fit.years >= fit.breaks[0],
            "observed": back(fit.y),
            "fitted": back(X @ b),
            "counterfactual": back(cf),
            "cf_low": back(cf - c * se),
            "cf_high": back(cf + c * se),
        }
    )


def counterfactual_effects(fit: ItsFit, scale: str, confidence: float = 0.95) -> dict:
    """Observed minus counterfactual in the last year and summed over the post period."""
    path = counterfactual_path(fit, scale, confidence)
    post = path[path["post"]]
    last = post.iloc[-1]
    obs_sum, cf_sum = float(post["observed"].sum()), float(post["counterfactual"].sum())
    return {
        "break_year": int(fit.breaks[0]),
        "last_year": int(last["year"]),
        "observed_last": float(last["observed"]),
        "counterfactual_last": float(last["counterfactual"]),
        "cf_low_last": float(last["cf_low"]),
        "cf_high_last": float(last["cf_high"]),
        "effect_last_abs": float(last["observed"] - last["counterfactual"]),
        "effect_last_pct": float(100 * (last["observed"] / last["counterfactual"] - 1)),
        "observed_post_sum": obs_sum,
        "counterfactual_post_sum": cf_sum,
        "effect_sum_abs": obs_sum - cf_sum,
        "effect_sum_pct": 100 * (obs_sum / cf_sum - 1),
        "n_post": len(post),
    }


def effects_table(fits, models_cfg: dict) -> pd.DataFrame:
    """its_effects.csv: one row per fit with at least one break (relative to the first)."""
    conf = models_cfg["confidence"]
    rows = [
        {**meta, **counterfactual_effects(fit, meta["scale"], conf), "note": fit.note}
        for meta, fit in fits
        if fit.breaks
    ]
    return _sorted(pd.DataFrame(rows), SORT)


def paths_table(fits, models_cfg: dict, estimator: str = "prais_winsten") -> pd.DataFrame:
    """its_paths.csv: per-year paths of one estimator for the primary break specs."""
    conf, specs = models_cfg["confidence"], set(models_cfg["primary_breaks"])
    parts = [
        counterfactual_path(fit, meta["scale"], conf).assign(**meta, break_year=fit.breaks[0])
        for meta, fit in fits
        if meta["estimator"] == estimator and meta["breaks"] in specs
    ]
    first = KEYS + ["descriptive", "break_year"]
    if not parts:  # a part of the grid without that estimator
        return pd.DataFrame(columns=first + PATH_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    return _sorted(out[first + [c for c in out.columns if c not in first]], SORT + ["year"])


# --- running the grid in parts ----------------------------------------------

PART_ORDER = {"its": SORT + ["term"], "effects": SORT, "paths": SORT + ["year"]}
PATH_COLUMNS = ["year", "post", "observed", "fitted", "counterfactual", "cf_low", "cf_high"]
NUMERIC_KEYS = {"table", "year"}


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
