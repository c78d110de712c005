"""Interrupted time series: segmented regression with level and slope breaks.

Model and samples: ``its_model``. Estimators, by name: ``estimators`` (config
`models.estimators`; prais_winsten is the primary one, see `models.primary`).
Output tables: ``its_tables``. This module fits: one model (``fit_its``), the
whole configured grid (``fit_all``) or the primary specifications (``primary_fits``).

Exact fits are handled before any estimator runs:
- the whole mean model reproduces y (residuals at rounding level): the exact
  least-squares coefficients, no covariance, no fit statistics;
- one segment between breaks is a straight line to rounding level (e.g. a count
  constant for ten years): the estimator's coefficients are kept, the covariance
  is blanked (so standard errors, intervals and tests are empty) and the note
  names the segment. Its zero residuals would otherwise give standard errors of
  1e-14 and F statistics of 1e27.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pairing_audit import estimators, specs
from pairing_audit.estimators import hac_lag
from pairing_audit.its_model import (
    BG_LAGS,
    EXACT_TOL,
    KEYS,
    MIN_OBS,
    MIN_OBS_SIDE,
    NOMINAL_ON_REAL_SPAN,
    NOTE_EXACT,
    SORT,
    ItsFit,
    admissible,
    design_matrix,
    exact_segments,
    exact_solution,
    model_samples,
    note_exact_segments,
    safe_sqrt,
)
from pairing_audit.its_tables import (
    PATH_COLUMNS,
    coef_rows,
    combine_parts,
    counterfactual_effects,
    counterfactual_path,
    effects_table,
    holm_adjust,
    its_table,
    joint_rows,
    log_rows,
    paths_table,
    tidy_fit,
    tidy_rows,
)

ESTIMATORS = tuple(estimators.REGISTRY)

__all__ = [
    "BG_LAGS",
    "ESTIMATORS",
    "EXACT_TOL",
    "KEYS",
    "MIN_OBS",
    "MIN_OBS_SIDE",
    "NOMINAL_ON_REAL_SPAN",
    "NOTE_EXACT",
    "PATH_COLUMNS",
    "SORT",
    "ItsFit",
    "admissible",
    "coef_rows",
    "combine_parts",
    "counterfactual_effects",
    "counterfactual_path",
    "design_matrix",
    "effects_table",
    "fit_all",
    "fit_its",
    "hac_lag",
    "holm_adjust",
    "its_table",
    "joint_rows",
    "log_rows",
    "model_samples",
    "paths_table",
    "primary_fits",
    "safe_sqrt",
    "tidy_fit",
    "tidy_rows",
]


def fit_its(years, y, breaks, estimator: str) -> ItsFit:
    """Fit the segmented model with a registered estimator. Years must be unique."""
    years = np.asarray(years, dtype=int)
    y = np.asarray(y, dtype=float)
    return _fit_prepared(_Prepared.of(years, y, breaks), estimator)


@dataclass(frozen=True)
class _Prepared:
    """What every estimator's fit of one (sample, breaks) shares: the design and the
    exactness checks (computed once, not once per estimator)."""

    years: np.ndarray
    y: np.ndarray
    breaks: tuple
    X: pd.DataFrame
    exact: np.ndarray | None
    segments: list
    sample: estimators.Sample  # y, X and e.g. the OLS fit both OLS estimators use

    @classmethod
    def of(cls, years, y, breaks) -> _Prepared:
        X = design_matrix(years, breaks)
        Xa = X.to_numpy()
        exact = exact_solution(y, Xa)
        segments = exact_segments(years, y, breaks) if exact is None else []
        sample = estimators.Sample(y, Xa)
        return cls(years, y, tuple(sorted(breaks)), X, exact, segments, sample)


def _fit_prepared(prep: _Prepared, estimator: str) -> ItsFit:
    years, y, X = prep.years, prep.y, prep.X
    entry = estimators.get(estimator)
    names = X.columns  # one Index for every fit's params and cov (building one costs more)
    common = {"estimator": estimator, "breaks": prep.breaks, "years": years, "y": y}
    exact = prep.exact
    if exact is not None:
        k = X.shape[1]
        return ItsFit(
            **common,
            exog=X,
            params=pd.Series(exact, index=names),
            cov=pd.DataFrame(np.nan, index=names, columns=names),
            df_resid=math.inf if estimator == "arima_ar1" else float(len(y) - k),
            aic=math.nan,
            bic=math.nan,
            note=NOTE_EXACT,
        )
    est = entry.fit(prep.sample)
    cov = np.asarray(est.cov, dtype=float)
    notes = []
    if (np.diff(years) != 1).any():
        notes.append("years not consecutive: AR(1)/HAC treat neighbours as adjacent")
    notes += est.notes
    segments = prep.segments
    if segments:
        cov = np.full_like(cov, np.nan)
        notes.append(note_exact_segments(segments))
    elif (np.diag(cov) < 0).any():
        notes.append("covariance not positive semi-definite")
    return ItsFit(
        **common,
        exog=X,
        params=pd.Series(est.params, index=names),
        cov=pd.DataFrame(cov, index=names, columns=names),
        df_resid=est.df_resid,
        aic=est.aic,
        bic=est.bic,
        llf=est.llf,
        rho=est.rho,
        sigma=est.sigma,
        dw=est.dw,
        bg_p=est.bg_p,
        converged=est.converged,
        note="; ".join(notes),
    )


def fit_all(prices: pd.DataFrame, models_cfg: dict) -> list[tuple[dict, ItsFit]]:
    """Every admissible (sample, break spec, estimator) fit as (meta, fit), including
    nominal money on the real values' span (prices = NOMINAL_ON_REAL_SPAN)."""
    estimators.check_config(models_cfg)
    specs_cfg = models_cfg["break_specs"]
    fits = []
    for meta, years, y in model_samples(prices, models_cfg, nominal_on_real_span=True):
        allowed = meta.pop("allowed_specs") or list(specs_cfg)
        for spec in allowed:
            if not admissible(years, specs_cfg[spec]):
                continue
            prep = _Prepared.of(years, y, specs_cfg[spec])
            for est in models_cfg["estimators"]:
                fits.append(({**meta, "breaks": spec, "estimator": est}, _fit_prepared(prep, est)))
    return fits


def primary_fits(prices: pd.DataFrame, models_cfg: dict) -> list[tuple[dict, ItsFit]]:
    """The fit of each series' primary specification (``specs.primary_keys``), as
    (meta, fit) in the keys' order; a key whose sample is missing or too short for its
    breaks is skipped."""
    estimators.check_config(models_cfg)
    keys = specs.primary_keys(prices, models_cfg)
    wanted = {tuple(row) for row in keys[["table", "series", "scale", "prices"]].itertuples(False)}
    samples = {
        (meta["table"], meta["series"], meta["scale"], meta["prices"]): (meta, years, y)
        for meta, years, y in model_samples(
            prices, {**models_cfg, "scales": [models_cfg["primary"]["scale"]]}
        )
        if (meta["table"], meta["series"], meta["scale"], meta["prices"]) in wanted
    }
    out = []
    for key in keys.itertuples(index=False):
        found = samples.get((key.table, key.series, key.scale, key.prices))
        breaks = models_cfg["break_specs"][key.breaks]
        if found is None or not admissible(found[1], breaks):
            continue
        meta, years, y = found
        meta = {k: v for k, v in meta.items() if k != "allowed_specs"}
        meta |= {"breaks": key.breaks, "estimator": key.estimator}
        out.append((meta, fit_its(years, y, breaks, key.estimator)))
    return out
