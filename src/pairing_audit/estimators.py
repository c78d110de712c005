"""Estimators of the segmented-regression mean model, by name (config `models.estimators`).

Each entry maps a name to a function fit(y, X) -> Estimate on plain arrays; the
caller (``its.fit_its``) handles exact fits, notes and the model bookkeeping. Adding
an estimator means one function and one REGISTRY entry here, and its name in the
config; the config's names are checked against this registry.

- ``prais_winsten``: AR(1) errors, iterated Prais–Winsten (full sample kept), GLS
  standard errors, t(n − k) inference (rho not counted in the degrees of freedom).
- ``ols_hc3``: OLS with HC3 standard errors, t(n − k).
- ``ols_hac``: OLS with Newey–West standard errors, Bartlett kernel, lag fixed in
  advance by floor(4 (n/100)^(2/9)) (at least 1), small-sample factor n/(n − k), t(n − k).
- ``arima_ar1``: regression with AR(1) errors by exact Gaussian maximum likelihood
  (rho profiled, see ``ar1_ml``); standard errors from the inverse observed
  information of the exact likelihood; z inference.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from statsmodels.regression.linear_model import OLS
from statsmodels.stats.diagnostic import acorr_breusch_godfrey
from statsmodels.stats.stattools import durbin_watson
from statsmodels.tools.sm_exceptions import SingularMatrixWarning

from pairing_audit.ar1_ml import fit_ar1_ml
from pairing_audit.errors import InputError
from pairing_audit.its_model import BG_LAGS
from pairing_audit.prais_winsten import RHO_BOUND, prais_winsten

CONFIG_FILE = "config/config.yaml"
NOTE_ARIMA_SE = "SE: inverse observed information of the exact likelihood; z tests"


@dataclass(frozen=True)
class Estimate:
    """What an estimator returns: coefficients (k) and their covariance, fit statistics."""

    params: np.ndarray
    cov: np.ndarray
    df_resid: float  # math.inf: normal (z) inference
    llf: float
    aic: float
    bic: float
    rho: float = math.nan
    sigma: float = math.nan  # sd of the errors (AR(1) innovations where rho is fitted)
    dw: float = math.nan
    bg_p: tuple = (math.nan,) * len(BG_LAGS)
    converged: bool = True
    notes: tuple = ()  # estimator-specific remarks for the note column


@dataclass(frozen=True)
class Estimator:
    name: str
    fit: Callable[[np.ndarray, np.ndarray], Estimate]
    reports_residual_tests: bool = False  # DW and Breusch–Godfrey are OLS diagnostics


def hac_lag(n: int) -> int:
    """Newey–West (1994) rule fixed in advance: floor(4 * (n/100)^(2/9)), at least 1."""
    return max(1, math.floor(4 * (n / 100) ** (2 / 9)))


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


def fit_prais_winsten(y: np.ndarray, X: np.ndarray) -> Estimate:
    pw = prais_winsten(y, X)
    if abs(pw.rho) >= RHO_BOUND:
        notes = (f"rho at the bound {RHO_BOUND}",)
    else:
        notes = () if pw.converged else ("did not converge",)
    return Estimate(
        params=pw.params,
        cov=pw.cov,
        df_resid=pw.df_resid,
        llf=pw.llf,
        aic=pw.aic,
        bic=pw.bic,
        rho=pw.rho,
        sigma=math.sqrt(float(pw.ols.scale)),
        converged=pw.converged,
        notes=notes,
    )


def _fit_ols(y: np.ndarray, X: np.ndarray, cov_type: str, cov_kwds: dict | None) -> Estimate:
    res = OLS(y, X).fit(cov_type=cov_type, cov_kwds=cov_kwds, use_t=True)
    return Estimate(
        params=np.asarray(res.params),
        cov=np.asarray(res.cov_params()),
        df_resid=float(res.df_resid),
        llf=float(res.llf),
        aic=float(res.aic),
        bic=float(res.bic),
        sigma=math.sqrt(float(res.scale)),
        dw=float(durbin_watson(res.resid)),
        bg_p=_bg_pvalues(res),
    )


def fit_ols_hc3(y: np.ndarray, X: np.ndarray) -> Estimate:
    return _fit_ols(y, X, "HC3", None)


def fit_ols_hac(y: np.ndarray, X: np.ndarray) -> Estimate:
    return _fit_ols(y, X, "HAC", {"maxlags": hac_lag(len(y)), "use_correction": True})


def fit_arima_ar1(y: np.ndarray, X: np.ndarray) -> Estimate:
    ml = fit_ar1_ml(y, X)
    n, k = X.shape
    n_par = k + 2  # coefficients, rho and sigma^2 (as R's arima and statsmodels count)
    if ml.on_limit:
        notes = ("rho at the search limit |rho| = 1 - 1e-7", NOTE_ARIMA_SE)
    else:
        notes = (NOTE_ARIMA_SE,) if ml.converged else ("did not converge", NOTE_ARIMA_SE)
    return Estimate(
        params=ml.params,
        cov=ml.cov_beta,
        df_resid=math.inf,  # ML fit: asymptotic normal inference
        llf=ml.llf,
        aic=-2.0 * ml.llf + 2.0 * n_par,
        bic=-2.0 * ml.llf + math.log(n) * n_par,
        rho=ml.rho,
        sigma=math.sqrt(ml.sigma2),
        converged=ml.converged,
        notes=notes,
    )


REGISTRY: dict[str, Estimator] = {
    e.name: e
    for e in (
        Estimator("prais_winsten", fit_prais_winsten),
        Estimator("ols_hc3", fit_ols_hc3, reports_residual_tests=True),
        Estimator("ols_hac", fit_ols_hac, reports_residual_tests=True),
        Estimator("arima_ar1", fit_arima_ar1),
    )
}


def get(name: str) -> Estimator:
    """The registered estimator of that name (ValueError naming the known ones if none)."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown estimator {name!r} (known: {', '.join(REGISTRY)})") from None


def check_config(models_cfg: dict) -> None:
    """Every estimator the config names exists, and the primary one is among those fitted."""
    for i, name in enumerate(models_cfg["estimators"]):
        if name not in REGISTRY:
            raise InputError(
                CONFIG_FILE,
                f"models.estimators[{i}]",
                "-",
                f"unknown estimator {name!r}; known: {', '.join(REGISTRY)}",
            )
    primary = models_cfg.get("primary", {}).get("estimator")
    if primary is not None and primary not in models_cfg["estimators"]:
        raise InputError(
            CONFIG_FILE,
            "models.primary.estimator",
            "-",
            f"{primary!r} is not among models.estimators ({', '.join(models_cfg['estimators'])})",
        )
