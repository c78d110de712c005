"""Linear regression with stationary AR(1) errors by exact Gaussian maximum likelihood.

Model: y = X beta + u, u_t = rho * u_{t-1} + e_t, e_t ~ N(0, sigma^2) iid, |rho| < 1,
u_0 drawn from the stationary distribution. This is what R's
``stats::arima(y, order = c(1, 0, 0), xreg = X, include.mean = FALSE, method = "ML")``
fits.

For a fixed rho the Prais–Winsten transform P(rho) whitens the errors, so beta(rho)
is the GLS solution (least squares on P y, P X) and sigma^2(rho) = SSR(rho) / n.
Putting both back leaves the profile log-likelihood of rho alone,

    l(rho) = -n/2 * (log(2 pi SSR(rho) / n) + 1) + 1/2 * log(1 - rho^2),

which is maximised over (-1, 1) by a grid (uniform in atanh(rho), so that it reaches
close to +-1) followed by a bounded Brent search between the best grid point's
neighbours. A one-dimensional search on the exact likelihood reaches the optimum to
the optimiser's tolerance; a general-purpose optimiser over all k + 2 parameters on
unscaled data (statsmodels' state-space ARIMA with its default tolerances) often
stops short of it.

Standard errors: inverse of the observed information of the exact likelihood, i.e.
of minus the analytic Hessian of the log-likelihood in (beta, rho) with sigma^2
profiled out (at the maximum this equals the (beta, rho) block of the inverse of the
full observed information). This is what R's ``stats::arima`` reports (it takes the
Hessian numerically); it is not statsmodels' ``cov_type="oim"``, which is Harvey's
(1989) information-matrix formula.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar

from pairing_audit.prais_winsten import ar1_transform

# The search runs over |rho| <= RHO_LIMIT; a maximum there is reported as a boundary
# solution (converged False), not as an interior optimum.
RHO_LIMIT = 1.0 - 1e-7
GRID_POINTS = 201  # uniform in atanh(rho) over [-atanh(RHO_LIMIT), atanh(RHO_LIMIT)]
RHO_XATOL = 1e-11  # Brent's tolerance on rho; the log-likelihood error is O(xatol^2)
LOG_2PI = math.log(2.0 * math.pi)


def profile_loglik(y: np.ndarray, exog: np.ndarray, rho: float) -> float:
    """Exact Gaussian log-likelihood at rho with beta and sigma^2 at their GLS optima."""
    ssr = _gls(y, exog, rho)[1]
    return _loglik(ssr, len(y), rho)


def _loglik(ssr, n: int, rho):
    # ssr == 0 (an exact fit) gives +inf, which the caller must rule out beforehand
    with np.errstate(divide="ignore"):
        return -0.5 * n * (LOG_2PI + np.log(ssr / n) + 1.0) + 0.5 * np.log1p(-(rho**2))


def _gls(y: np.ndarray, exog: np.ndarray, rho: float) -> tuple[np.ndarray, float]:
    """GLS coefficients and whitened sum of squared residuals for one rho."""
    ys, Xs = ar1_transform(y, rho), ar1_transform(exog, rho)
    beta = np.linalg.lstsq(Xs, ys, rcond=None)[0]
    resid = ys - Xs @ beta
    return beta, float(resid @ resid)


def _grid_ssr(y: np.ndarray, exog: np.ndarray, rhos: np.ndarray) -> np.ndarray:
    """Whitened SSR for many rho at once (one batched QR instead of a Python loop)."""
    scale = np.sqrt(1.0 - rhos**2)
    ys = np.empty((len(rhos), len(y)))
    ys[:, 0] = scale * y[0]
    ys[:, 1:] = y[1:] - rhos[:, None] * y[:-1]
    Xs = np.empty((len(rhos), *exog.shape))
    Xs[:, 0, :] = scale[:, None] * exog[0]
    Xs[:, 1:, :] = exog[1:] - rhos[:, None, None] * exog[:-1]
    q = np.linalg.qr(Xs, mode="reduced").Q
    resid = ys - np.einsum("gnk,gk->gn", q, np.einsum("gnk,gn->gk", q, ys))
    return np.einsum("gn,gn->g", resid, resid)


@dataclass(frozen=True)
class Ar1Fit:
    """Exact ML fit of a regression with AR(1) errors."""

    params: np.ndarray  # beta
    rho: float
    sigma2: float  # ML innovation variance SSR / n
    llf: float
    cov: np.ndarray  # (k + 1) x (k + 1): beta then rho; inverse observed information
    converged: bool  # False if the search failed or rho ended on the search limit
    on_limit: bool  # rho on the search limit: a boundary solution

    @property
    def cov_beta(self) -> np.ndarray:
        k = len(self.params)
        return self.cov[:k, :k]

    @property
    def se_rho(self) -> float:
        v = self.cov[-1, -1]
        return math.sqrt(v) if v >= 0 else math.nan


def fit_ar1_ml(y, exog) -> Ar1Fit:
    """Maximise the exact AR(1)-regression likelihood by profiling rho.

    The residuals must not be all zero (an exact fit has no likelihood maximum);
    callers handle exact fits before calling.
    """
    y = np.asarray(y, dtype=float)
    exog = np.asarray(exog, dtype=float)
    n = len(y)
    # Column scaling changes neither SSR nor beta's fitted values; it keeps the QR well
    # conditioned when a trend column is 40 times the intercept.
    col_scale = np.linalg.norm(exog, axis=0)
    col_scale[col_scale == 0] = 1.0
    xs = exog / col_scale
    limit = math.atanh(RHO_LIMIT)
    rhos = np.tanh(np.linspace(-limit, limit, GRID_POINTS))
    llf_grid = _loglik(_grid_ssr(y, xs, rhos), n, rhos)
    best = int(np.argmax(llf_grid))
    lo, hi = rhos[max(best - 1, 0)], rhos[min(best + 1, GRID_POINTS - 1)]
    found = minimize_scalar(
        lambda r: -_loglik(_gls(y, xs, r)[1], n, r),
        bounds=(lo, hi),
        method="bounded",
        options={"xatol": RHO_XATOL, "maxiter": 500},
    )
    rho = float(found.x)
    if -found.fun < llf_grid[best]:  # Brent never does worse than its bracket's best point
        rho = float(rhos[best])
    beta_scaled, ssr = _gls(y, xs, rho)
    beta = beta_scaled / col_scale
    llf = float(_loglik(ssr, n, rho))
    on_limit = abs(rho) >= RHO_LIMIT * (1 - 1e-9)
    return Ar1Fit(
        params=beta,
        rho=rho,
        sigma2=ssr / n,
        llf=llf,
        cov=observed_information_cov(y, exog, beta, rho),
        converged=bool(found.success) and not on_limit,
        on_limit=on_limit,
    )


def profile_hessian(y, exog, beta, rho) -> np.ndarray:
    """Analytic Hessian of l(beta, rho) = -n/2 log SSR(beta, rho) + 1/2 log(1 - rho^2) + c.

    SSR = sum e_t^2 with e_0 = s u_0 (s = sqrt(1 - rho^2)), e_t = u_t - rho u_{t-1},
    u = y - X beta. Parameters are ordered beta, then rho.
    """
    y = np.asarray(y, dtype=float)
    X = np.asarray(exog, dtype=float)
    n, k = X.shape
    u = y - X @ beta
    s = math.sqrt(1.0 - rho**2)
    e = ar1_transform(u, rho)
    # first derivatives of e (n x (k+1))
    jac = np.empty((n, k + 1))
    jac[:, :k] = -ar1_transform(X, rho)
    jac[0, k] = -rho / s * u[0]
    jac[1:, k] = -u[:-1]
    # second derivatives: d2e/dbeta drho and d2e/drho2 (d2e/dbeta2 = 0)
    d_beta_rho = np.empty((n, k))
    d_beta_rho[0] = rho / s * X[0]
    d_beta_rho[1:] = X[:-1]
    d_rho_rho = np.zeros(n)
    d_rho_rho[0] = -u[0] / s**3
    ssr = float(e @ e)
    grad_ssr = 2.0 * jac.T @ e
    hess_ssr = 2.0 * jac.T @ jac
    cross = 2.0 * d_beta_rho.T @ e
    hess_ssr[:k, k] += cross
    hess_ssr[k, :k] += cross
    hess_ssr[k, k] += 2.0 * float(d_rho_rho @ e)
    hess = -0.5 * n * (hess_ssr / ssr - np.outer(grad_ssr, grad_ssr) / ssr**2)
    hess[k, k] -= (1.0 + rho**2) / (1.0 - rho**2) ** 2
    return hess


def observed_information_cov(y, exog, beta, rho) -> np.ndarray:
    """Inverse of minus the profile Hessian (NaN if it is singular)."""
    info = -profile_hessian(y, exog, beta, rho)
    try:
        return np.linalg.inv(info)
    except np.linalg.LinAlgError:
        return np.full_like(info, np.nan)
