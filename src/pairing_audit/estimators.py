"""Estimators of the segmented-regression mean model, by name (config `models.estimators`).

Each entry maps a name to a function fit(sample) -> Estimate, where a ``Sample`` holds
the plain arrays y and X and the work several estimators of it share (the OLS fit);
the caller (``its.fit_its``) handles exact fits, notes and the model bookkeeping. Adding
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

import functools
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import special
from statsmodels.regression.linear_model import OLS
from statsmodels.stats.stattools import durbin_watson
from statsmodels.tools.tools import pinv_extended
from statsmodels.tsa.tsatools import lagmat

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


class Sample:
    """One sample (y, X), with the work several of its estimators have in common done
    once on first use: the plain OLS fit (both OLS estimators differ only in the
    covariance) and its residual diagnostics."""

    def __init__(self, y: np.ndarray, X: np.ndarray):
        self.y, self.X = y, X

    @functools.cached_property
    def ols(self):
        """statsmodels' OLS results with the classical covariance."""
        return OLS(self.y, self.X).fit()

    @functools.cached_property
    def residual_tests(self) -> tuple[float, tuple]:
        """Durbin–Watson statistic and Breusch–Godfrey p-values of the OLS residuals."""
        return float(durbin_watson(self.ols.resid)), _bg_pvalues(self.ols)


@dataclass(frozen=True)
class Estimator:
    name: str
    fit: Callable[[Sample], Estimate]
    reports_residual_tests: bool = False  # DW and Breusch–Godfrey are OLS diagnostics


def hac_lag(n: int) -> int:
    """Newey–West (1994) rule fixed in advance: floor(4 * (n/100)^(2/9)), at least 1."""
    return max(1, math.floor(4 * (n / 100) ** (2 / 9)))


def breusch_godfrey_fpvalue(resid: np.ndarray, exog: np.ndarray, nlags: int) -> float:
    """p of the F form of the Breusch–Godfrey test; NaN if the auxiliary regression is
    rank-deficient (collinear lagged residuals: not identified).

    The same arithmetic as statsmodels' ``acorr_breusch_godfrey(res, nlags).fpval``
    (auxiliary OLS by ``pinv_extended``, ``f_test`` of the lag coefficients), without
    building a results object, an R-squared and an LM test per call: it runs three
    times per OLS fit. A test checks it against acorr_breusch_godfrey bit for bit.
    The design must contain a constant (ours always does).
    """
    x = np.concatenate((np.zeros(nlags), resid))
    xdall = lagmat(x[:, None], nlags, trim="both")
    nobs = xdall.shape[0]
    xshort = x[-nobs:]
    aux = np.column_stack((exog, xdall))
    k_vars = aux.shape[1]
    pinv, singular_values = pinv_extended(aux)
    if _rank_of_diagonal(singular_values) < k_vars:
        return math.nan  # statsmodels warns SingularMatrixWarning here
    normalized_cov = np.dot(pinv, np.transpose(pinv))
    params = np.dot(pinv, xshort)
    wresid = xshort - np.dot(aux, params)
    scale = np.dot(wresid, wresid) / float(nobs - k_vars)
    r_matrix = np.eye(nlags, k_vars, k_vars - nlags)
    r_beta = np.dot(r_matrix, params[:, None]) - np.zeros(nlags)[:, None]
    cov_r = np.dot(r_matrix, np.dot(normalized_cov * scale, np.transpose(r_matrix)))
    n_restrictions = float(nlags)
    rank = np.linalg.matrix_rank(cov_r)
    if rank < n_restrictions:  # as statsmodels' wald_test: F on the rank, with a warning
        warnings.warn(
            f"Breusch–Godfrey: restriction covariance has rank {rank} < {nlags}", stacklevel=2
        )
        n_restrictions = rank
    f_value = float(np.squeeze(np.dot(np.dot(r_beta.T, np.linalg.pinv(cov_r)), r_beta)))
    f_value /= n_restrictions
    # special.fdtrc: what stats.f.sf calls, without the distribution-object overhead
    return float(special.fdtrc(n_restrictions, float(nobs - k_vars), f_value))


def _rank_of_diagonal(singular_values: np.ndarray) -> int:
    """np.linalg.matrix_rank(np.diag(singular_values)) for non-negative values, without
    an SVD of the diagonal matrix (its singular values are the values themselves)."""
    tol = singular_values.max() * len(singular_values) * np.finfo(singular_values.dtype).eps
    return int(np.count_nonzero(singular_values > tol))


def _bg_pvalues(ols_res) -> tuple:
    # F form of Breusch–Godfrey: better size than the LM (chi2) form with 9–41 points.
    resid = np.asarray(ols_res.resid).squeeze()
    exog = ols_res.model.exog
    out = []
    for lag in BG_LAGS:
        if ols_res.df_resid - lag < 1:
            out.append(math.nan)
            continue
        out.append(breusch_godfrey_fpvalue(resid, exog, lag))
    return tuple(out)


def fit_prais_winsten(sample: Sample) -> Estimate:
    pw = prais_winsten(sample.y, sample.X)
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


def _fit_ols(sample: Sample, cov_type: str, cov_kwds: dict) -> Estimate:
    # statsmodels' own robust covariance of the sample's OLS fit: the same arithmetic as
    # OLS(y, X).fit(cov_type=..., cov_kwds=...), one OLS fit for both OLS estimators
    res = sample.ols.get_robustcov_results(cov_type=cov_type, use_t=True, **cov_kwds)
    dw, bg_p = sample.residual_tests
    return Estimate(
        params=np.asarray(res.params),
        cov=np.asarray(res.cov_params()),
        df_resid=float(res.df_resid),
        llf=float(res.llf),
        aic=float(res.aic),
        bic=float(res.bic),
        sigma=math.sqrt(float(res.scale)),
        dw=dw,
        bg_p=bg_p,
    )


def fit_ols_hc3(sample: Sample) -> Estimate:
    return _fit_ols(sample, "HC3", {})


def fit_ols_hac(sample: Sample) -> Estimate:
    return _fit_ols(sample, "HAC", {"maxlags": hac_lag(len(sample.y)), "use_correction": True})


def fit_arima_ar1(sample: Sample) -> Estimate:
    ml = fit_ar1_ml(sample.y, sample.X)
    n, k = sample.X.shape
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
        Estimator("ols_hc3", fit_ols_hc3, True),
        Estimator("ols_hac", fit_ols_hac, True),
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
