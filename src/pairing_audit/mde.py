"""Minimum detectable level change of each primary specification (reports/its_mde.csv).

For a break at year T, the minimum detectable effect (MDE) is the level jump c_T
that a two-sided test at level alpha would detect with the given power, if the data
behaved as the fitted model says:

    MDE = (t_{1 - alpha/2, df} + t_{power, df}) * SE(c_T),
    SE(c_T)^2 = sigma^2 * [(X' Omega^{-1} X)^{-1}]_{c_T, c_T},

where X is the segmented design of the specification (all its breaks), Omega the
AR(1) correlation matrix at the fitted rho (Omega^{-1} = P'P with P the Prais–Winsten
transform) and sigma the fitted innovation standard deviation (column `resid_sd`):
the analytic GLS covariance of the fitted AR(1) model. df is the fit's residual
degrees of freedom (n - k for Prais–Winsten; a normal critical value for ML fits).
The formula is the usual one (e.g. Bloom 1995): it ignores the far rejection tail
and treats rho and sigma as known, so it is an approximation at n = 19.

On the log scale the `_pct` columns are 100 * (exp(x) - 1): the detectable upward
jump in percent (a drop of the same log size is 100 * (1 - exp(-x)) percent). On the
level scale they are empty. Fits with an exactly fitted segment (no inference, see
``its``) get an empty MDE.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from pairing_audit.its_model import ItsFit
from pairing_audit.prais_winsten import ar1_transform

MDE_COLUMNS = [
    "series",
    "table",
    "scale",
    "prices",
    "estimator",
    "breaks",
    "break_year",
    "rho",
    "resid_sd",
    "n_obs",
    "power",
    "alpha",
    "mde_level_change",
    "mde_level_change_pct",
    "estimate_level_change",
    "estimate_level_change_pct",
]


def gls_cov(exog: np.ndarray, rho: float, sigma: float) -> np.ndarray:
    """sigma^2 (X' Omega^{-1} X)^{-1} for AR(1) errors with coefficient rho."""
    xs = ar1_transform(np.asarray(exog, dtype=float), rho)
    return sigma**2 * np.linalg.inv(xs.T @ xs)


def critical_sum(alpha: float, power: float, df: float) -> float:
    """t_{1-alpha/2} + t_{power} (normal quantiles if df is infinite)."""
    dist = stats.norm if math.isinf(df) else stats.t(df)
    return float(dist.ppf(1 - alpha / 2) + dist.ppf(power))


def mde_rows(meta: dict, fit: ItsFit, *, alpha: float, power: float) -> list[dict]:
    """One row per break of a fitted AR(1) specification."""
    inference = bool(np.isfinite(fit.cov.to_numpy()).all())  # False for exact fits
    if inference and (math.isnan(fit.rho) or math.isnan(fit.sigma)):
        raise ValueError(
            f"{meta['series']}: the MDE needs an AR(1) fit (rho and innovation sd); "
            f"estimator {fit.estimator!r} gives none"
        )
    cov = gls_cov(fit.exog.to_numpy(), fit.rho, fit.sigma) if inference else None
    mult = critical_sum(alpha, power, fit.df_resid)
    log = meta["scale"] == "log"
    rows = []
    for T in fit.breaks:
        term = f"level_change_{T}"
        j = fit.exog.columns.get_loc(term)
        mde = mult * math.sqrt(cov[j, j]) if inference else math.nan
        est = float(fit.params[term])
        rows.append(
            {
                **{k: meta[k] for k in ("series", "table", "scale", "prices", "estimator")},
                "breaks": meta["breaks"],
                "break_year": int(T),
                "rho": fit.rho,
                "resid_sd": fit.sigma,
                "n_obs": fit.n_obs,
                "power": power,
                "alpha": alpha,
                "mde_level_change": mde,
                "mde_level_change_pct": 100 * math.expm1(mde) if log else math.nan,
                "estimate_level_change": est,
                "estimate_level_change_pct": 100 * math.expm1(est) if log else math.nan,
            }
        )
    return rows


def mde_table(fits, mde_cfg: dict) -> pd.DataFrame:
    """its_mde.csv from the primary fits [(meta, fit)], sorted by table, series, break."""
    rows = [
        row
        for meta, fit in fits
        for row in mde_rows(meta, fit, alpha=mde_cfg["alpha"], power=mde_cfg["power"])
    ]
    table = pd.DataFrame(rows, columns=MDE_COLUMNS)
    return table.sort_values(["table", "series", "break_year"], kind="stable", ignore_index=True)
