"""Prais–Winsten regression: linear model with AR(1) errors, full sample kept.

statsmodels' GLSAR.iterative_fit is Cochrane–Orcutt (it drops the first
observation), which costs one of only 9–41 annual points, so the Prais–Winsten
transformation is done here and the transformed data are fitted by plain OLS.

Inference convention (used consistently in this package): t(n − k) where k counts
the regression coefficients only; rho is NOT counted in the residual degrees of
freedom (as in Stata's `prais`). rho IS counted as a parameter in AIC/BIC, because
it is a parameter of the likelihood.
"""

from dataclasses import dataclass

import numpy as np
from statsmodels.regression.linear_model import OLS

RHO_BOUND = 0.99  # keep |rho| < 1 so the first-row weight sqrt(1 - rho^2) stays real


def ar1_transform(values: np.ndarray, rho: float | np.ndarray) -> np.ndarray:
    """Prais–Winsten transform of a vector or of the rows of a matrix; with a vector
    rho (one per column), each column is transformed with its own rho.

    Row 0 is scaled by sqrt(1 - rho^2) (so it keeps the error variance of the
    others) instead of being dropped; rows t >= 1 become x_t - rho * x_{t-1}.
    """
    values = np.asarray(values, dtype=float)
    out = np.empty_like(values)
    out[0] = np.sqrt(1.0 - rho**2) * values[0]
    out[1:] = values[1:] - rho * values[:-1]
    return out


def residual_rho(resid: np.ndarray, bound: float = RHO_BOUND) -> float:
    """AR(1) coefficient of residuals: regression of u_t on u_{t-1}, no intercept, clipped."""
    resid = np.asarray(resid, dtype=float)
    denom = float(resid[:-1] @ resid[:-1])
    if denom == 0.0:
        return 0.0
    return float(np.clip((resid[1:] @ resid[:-1]) / denom, -bound, bound))


@dataclass(frozen=True)
class PraisWinsten:
    """Result of a Prais–Winsten fit. `ols` is the OLS fit of the transformed data."""

    ols: object  # statsmodels RegressionResults on the transformed data
    rho: float
    n_iter: int
    converged: bool
    llf: float
    aic: float
    bic: float

    @property
    def params(self) -> np.ndarray:
        return np.asarray(self.ols.params)

    @property
    def cov(self) -> np.ndarray:
        return np.asarray(self.ols.cov_params())

    @property
    def df_resid(self) -> float:
        return float(self.ols.df_resid)  # n - k (rho not counted, see module docstring)


def fit_fixed_rho(y: np.ndarray, exog: np.ndarray, rho: float):
    """OLS on the Prais–Winsten-transformed data for a given rho."""
    return OLS(ar1_transform(y, rho), ar1_transform(exog, rho)).fit()


def prais_winsten(
    y: np.ndarray,
    exog: np.ndarray,
    *,
    tol: float = 1e-10,
    max_iter: int = 500,
    bound: float = RHO_BOUND,
) -> PraisWinsten:
    """Iterated Prais–Winsten: alternate beta | rho and rho | residuals(beta) to a fixed point.

    Starts from OLS (rho = 0). At convergence, rho re-estimated from the
    untransformed residuals y - X beta(rho) equals rho. `converged` is False if the
    iteration did not settle within max_iter or ended on the bound |rho| = 0.99.
    """
    y = np.asarray(y, dtype=float)
    exog = np.asarray(exog, dtype=float)
    rho, converged, n_iter = 0.0, False, 0
    for n_iter in range(1, max_iter + 1):  # noqa: B007 (reported after the loop)
        # plain least squares while iterating; the statsmodels fit (with its
        # covariance) only once, at the fixed point
        beta = np.linalg.lstsq(ar1_transform(exog, rho), ar1_transform(y, rho), rcond=None)[0]
        new_rho = residual_rho(y - exog @ beta, bound)
        if abs(new_rho - rho) < tol:
            rho, converged = new_rho, True
            break
        rho = new_rho
    # A rho stuck on the clip bound is a boundary solution, not an interior fixed
    # point: report it as not converged so it is visible in the output.
    converged = converged and abs(rho) < bound
    ols = fit_fixed_rho(y, exog, rho)
    n, k = exog.shape
    # Exact Gaussian AR(1) likelihood = likelihood of the transformed data plus the
    # Jacobian of the first-row scaling, 0.5 * log(1 - rho^2).
    llf = float(ols.llf) + 0.5 * np.log(1.0 - rho**2)
    n_par = k + 1  # coefficients + rho (sigma^2 left out, as statsmodels OLS does)
    return PraisWinsten(
        ols=ols,
        rho=rho,
        n_iter=n_iter,
        converged=converged,
        llf=llf,
        aic=-2.0 * llf + 2.0 * n_par,
        bic=-2.0 * llf + np.log(n) * n_par,
    )
