"""Monte Carlo size of the break tests at this design (reports/its_size.csv).

How often does each estimator's nominal 5% joint test of "no level and no slope change
at T" reject when there is no break at all? Design: the primary model (breaks 2012
and 2015, level + slope change at each) on the year spans of the fitted series (every
span on which that model is fitted), data = a linear trend plus Gaussian AR(1) errors
with rho in config `models.size.rho`, stationary start. All tests here are invariant
to the trend coefficients and to the error scale, so the data are the AR(1) errors
alone (unit innovation variance). The same simulated data serve every estimator.

Estimators (one vectorised fit of all replications each):

- prais_winsten: iterated Prais–Winsten (:func:`bootstrap.prais_winsten_batch`), F(2, n-k).
- ols_hc3, ols_hac: OLS with HC3 / Newey–West (Bartlett, lag as in its.hac_lag,
  small-sample factor n/(n-k), as statsmodels' use_correction) errors, F(2, n-k).
- arima_ar1: regression with AR(1) errors by exact Gaussian maximum likelihood,
  profiling rho over (-1, 1) (grid on atanh(rho), then golden-section refinement) with
  the GLS closed form for the coefficients and sigma^2; standard errors from the
  observed information of the exact likelihood (analytic second derivatives in beta,
  rho and sigma^2); Wald chi2(2). A vectorised fit of this module's own; a test checks
  that it equals the arima_ar1 fits of reports/its.csv (pairing_audit.ar1_ml, the
  same exact profile likelihood) to 1e-7 in log-likelihood.
- prais_winsten_bootstrap: the AR(1)-sieve bootstrap test of reports/its.csv's p_boot,
  with the "warp-speed" method of Giacomini, Politis & White (2013, Econometric
  Theory 29): one bootstrap draw per replication; replication r rejects when
  (1 + #{F*_j >= F_r}) / (R + 1) <= nominal, the F*_j pooled over all replications.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from pairing_audit.bootstrap import (
    Ar1Moments,
    ar1_paths,
    batch_matmul,
    break_statistics,
    centred_innovations,
    gls_beta,
    prais_winsten_batch,
)
from pairing_audit.its import admissible, design_matrix, hac_lag, model_samples

ESTIMATORS = ("prais_winsten", "ols_hc3", "ols_hac", "arima_ar1", "prais_winsten_bootstrap")
SIZE_COLUMNS = ["estimator", "n", "rho", "nominal", "rejection_rate", "replications"]
SIZE_COLUMNS += ["term", "first_year", "last_year", "mc_se"]
Q = 2  # restrictions per joint test (level and slope change)


# --- OLS with HC3 and Newey–West errors --------------------------------------------


def _ols_wald(Y: np.ndarray, X: np.ndarray, idx: list[int], kind: str) -> np.ndarray:
    """Wald statistic of coefficients idx = 0 per column of Y, robust covariance `kind`."""
    n, k = X.shape
    proj = np.linalg.pinv(X)  # (k, n): beta = proj @ y
    U = Y - batch_matmul(X, batch_matmul(proj, Y))
    rows = proj[idx]  # (q, n)
    b = batch_matmul(rows, Y).T  # (R, q)
    if kind == "hc3":
        lev = np.einsum("ij,ji->i", X, proj)  # hat-matrix diagonal
        w = (U / (1 - lev)[:, None]) ** 2  # (n, R)
        V = np.einsum("it,tr,jt->rij", rows, w, rows)
    elif kind == "hac":
        lags = hac_lag(n)
        scores = rows[:, :, None] * U[None]  # (q, n, R): p_t u_t
        V = np.einsum("itr,jtr->rij", scores, scores)
        for lag in range(1, lags + 1):
            gamma = np.einsum("itr,jtr->rij", scores[:, lag:], scores[:, :-lag])
            V += (1 - lag / (lags + 1)) * (gamma + gamma.transpose(0, 2, 1))
        V *= n / (n - k)
    else:
        raise ValueError(kind)
    return np.einsum("ri,ri->r", b, np.linalg.solve(V, b[..., None])[..., 0])


# --- regression with AR(1) errors by exact maximum likelihood -----------------------


RHO_LIMIT = 1.0 - 1e-7  # search |rho| <= this (as the fits of reports/its.csv)
Z_LIMIT = math.atanh(RHO_LIMIT)
GRID_Z = np.linspace(-Z_LIMIT, Z_LIMIT, 85)  # uniform in atanh(rho), step 0.2
GOLDEN_ITER = 30  # bracket 0.4 in atanh(rho) shrinks to ~2e-7: llf within ~1e-12


def _profile(moments: Ar1Moments, rho: np.ndarray, cols, n: int, beta=None, cross=None):
    """Concentrated exact log-likelihood, GLS coefficients and sigma^2 at rho per column
    (`cross`: moments.cross(rho, cols) if the caller has it already)."""
    if beta is None:
        beta = gls_beta(moments, rho, cols)
    if cross is None:
        cross = moments.cross(rho, cols)
    ssr = moments.transformed_yy(rho, cols) - np.sum(cross * beta, axis=1)
    ssr = np.maximum(ssr, np.finfo(float).tiny)
    llf = -0.5 * n * (np.log(2 * np.pi * ssr / n) + 1) + 0.5 * np.log1p(-(rho**2))
    return llf, beta, ssr / n


def exact_ar1_ml(Y: np.ndarray, X: np.ndarray) -> dict[str, np.ndarray]:
    """Exact ML of y = X beta + u, u AR(1), for every column of Y (n x R).

    Returns beta (R, k), rho, sigma2, llf and cov (R, k, k): the coefficient block of
    the inverse observed information of the exact likelihood in (beta, rho, sigma^2).
    """
    X = np.asarray(X, dtype=float)
    n, k = X.shape
    beta_ols = batch_matmul(np.linalg.pinv(X), Y)  # fit the OLS residuals (equivariance), add back
    R0 = Y - batch_matmul(X, beta_ols)
    R = Y.shape[1]
    moments = Ar1Moments(X, R0)
    # Gather the cross basis once (in the layout a gather gives, which the einsums'
    # last bits depend on); every step below then takes all columns as a view
    moments.cross_basis = moments.cross_basis[np.arange(R)]
    cols = slice(None)
    grid = []
    for z in GRID_Z:  # one rho for all columns: one k x k system, many right-hand sides
        rho = np.full(R, np.tanh(z))
        cross = moments.cross(rho, cols)
        beta = np.linalg.solve(moments.gram(rho[:1])[0], cross.T).T
        grid.append(_profile(moments, rho, cols, n, beta, cross)[0])
    grid = np.stack(grid)
    best = np.argmax(grid, axis=0)
    step = GRID_Z[1] - GRID_Z[0]
    lo = np.maximum(GRID_Z[best] - step, -Z_LIMIT)
    hi = np.minimum(GRID_Z[best] + step, Z_LIMIT)
    golden = (math.sqrt(5) - 1) / 2
    a, b = hi - golden * (hi - lo), lo + golden * (hi - lo)
    fa = _profile(moments, np.tanh(a), cols, n)[0]
    fb = _profile(moments, np.tanh(b), cols, n)[0]
    for _ in range(GOLDEN_ITER):
        left = fa >= fb  # maximum in [lo, b]
        hi = np.where(left, b, hi)
        lo = np.where(left, lo, a)
        new = np.where(left, hi - golden * (hi - lo), lo + golden * (hi - lo))
        f_new = _profile(moments, np.tanh(new), cols, n)[0]
        a, b, fa, fb = (
            np.where(left, new, b),
            np.where(left, a, new),
            np.where(left, f_new, fb),
            np.where(left, fa, f_new),
        )
    z = np.where(fa >= fb, a, b)
    rho = np.tanh(z)
    llf, beta, sigma2 = _profile(moments, rho, cols, n)
    beta = beta + beta_ols.T
    U = Y - batch_matmul(X, beta.T)
    return {
        "beta": beta,
        "rho": rho,
        "sigma2": sigma2,
        "llf": llf,
        "cov": _inverse_observed_information(X, U, rho, sigma2)[:, :k, :k],
    }


def _inverse_observed_information(X, U, rho, sigma2) -> np.ndarray:
    """Inverse of minus the Hessian of the exact AR(1) log-likelihood in (beta, rho, sigma^2).

    l = -n/2 log(2 pi s2) + 1/2 log(1 - r^2) - u' Q(r) u / (2 s2), Q = Omega^-1
    tridiagonal (diagonal 1, 1 + r^2, ..., 1 + r^2, 1; off-diagonal -r), u = y - X beta.
    """
    n, k = X.shape
    s2, r = sigma2, rho
    QU = U.copy()
    QU[1:-1] += r**2 * U[1:-1]
    QU[1:] -= r * U[:-1]
    QU[:-1] -= r * U[1:]
    DU = np.zeros_like(U)  # dQ/dr u: diagonal 2r inside, off-diagonal -1
    DU[1:-1] = 2 * r * U[1:-1]
    DU[1:] -= U[:-1]
    DU[:-1] -= U[1:]
    uqu = np.sum(U * QU, axis=0)
    udu = np.sum(U * DU, axis=0)
    ud2u = 2 * np.sum(U[1:-1] ** 2, axis=0)  # d2Q/dr2 = diag(0, 2, ..., 2, 0)
    R = U.shape[1]
    H = np.zeros((R, k + 2, k + 2))
    # beta-beta: -X'QX / s2, with X'QX at each column's rho
    xx = X.T @ X
    xx_mid = X[1:-1].T @ X[1:-1]
    xx_lag = X[1:].T @ X[:-1]
    xx_lag = xx_lag + xx_lag.T
    xqx = xx[None] + (r**2)[:, None, None] * xx_mid[None] - r[:, None, None] * xx_lag[None]
    H[:, :k, :k] = -xqx / s2[:, None, None]
    H[:, :k, k] = batch_matmul(X.T, DU).T / s2[:, None]  # beta-rho
    H[:, :k, k + 1] = -batch_matmul(X.T, QU).T / (s2**2)[:, None]  # beta-sigma2 (0 at the optimum)
    H[:, k, k] = -(1 + r**2) / (1 - r**2) ** 2 - ud2u / (2 * s2)
    H[:, k, k + 1] = udu / (2 * s2**2)
    H[:, k + 1, k + 1] = n / (2 * s2**2) - uqu / s2**3
    H = np.triu(H) + np.triu(H, 1).transpose(0, 2, 1)
    return np.linalg.inv(-H)


def exact_ar1_loglik(y, X, beta, rho, sigma2) -> float:
    """Exact Gaussian AR(1)-regression log-likelihood at given parameters (one column)."""
    u = np.asarray(y, dtype=float) - np.asarray(X, dtype=float) @ np.asarray(beta)
    n = len(u)
    e = np.r_[math.sqrt(1 - rho**2) * u[0], u[1:] - rho * u[:-1]]
    return float(
        -0.5 * n * math.log(2 * math.pi * sigma2)
        + 0.5 * math.log(1 - rho**2)
        - e @ e / (2 * sigma2)
    )


# --- one design cell ------------------------------------------------------------------


def _wald(beta: np.ndarray, cov: np.ndarray, idx: list[int]) -> np.ndarray:
    b = beta[:, idx]
    V = cov[:, idx][:, :, idx]
    return np.einsum("ri,ri->r", b, np.linalg.solve(V, b[..., None])[..., 0])


def rejection_rates(years, breaks, rho: float, replications: int, nominal: float, rng):
    """Rejection rate of every estimator's joint test at each break: {(estimator, T): rate}."""
    design = design_matrix(years, breaks)
    X, columns = design.to_numpy(), list(design.columns)
    n, k = X.shape
    innov = rng.standard_normal((n, replications))
    Y = ar1_paths(innov, rho)
    pw = prais_winsten_batch(Y, X)
    ml = exact_ar1_ml(Y, X)
    out = {}
    for T in breaks:
        idx = [columns.index(f"level_change_{T}"), columns.index(f"slope_change_{T}")]
        f_pw = break_statistics(pw, columns, T)["joint"]
        p = {
            "prais_winsten": stats.f.sf(f_pw, Q, n - k),
            "ols_hc3": stats.f.sf(_ols_wald(Y, X, idx, "hc3") / Q, Q, n - k),
            "ols_hac": stats.f.sf(_ols_wald(Y, X, idx, "hac") / Q, Q, n - k),
            "arima_ar1": stats.chi2.sf(_wald(ml["beta"], ml["cov"], idx), Q),
        }
        # warp-speed bootstrap: one sieve draw per replication under the null of no break at T
        X0 = design.drop(columns=[columns[i] for i in idx]).to_numpy()
        null = prais_winsten_batch(Y, X0)
        fitted0 = batch_matmul(X0, null.params.T)
        innov0 = centred_innovations(Y - fitted0, null.rho)
        pick = rng.integers(0, n - 1, size=(n, replications))
        draws = np.take_along_axis(innov0, pick, axis=0)
        Y_star = fitted0 + ar1_paths(draws, null.rho)
        f_star = np.sort(break_statistics(prais_winsten_batch(Y_star, X), columns, T)["joint"])
        exceed = replications - np.searchsorted(f_star, f_pw, side="left")
        p["prais_winsten_bootstrap"] = (1 + exceed) / (replications + 1)
        for est in ESTIMATORS:
            out[(est, T)] = float(np.mean(p[est] <= nominal))
    return out


def size_designs(prices: pd.DataFrame, models_cfg: dict) -> list[np.ndarray]:
    """Distinct year spans of the fitted (non-descriptive) samples on which the primary
    break specification is admissible, shortest first."""
    breaks = models_cfg["break_specs"][models_cfg["primary"]["breaks"]]
    spans = {}
    for meta, years, _ in model_samples(prices, models_cfg):
        if not meta["descriptive"] and admissible(years, breaks):
            spans[tuple(int(v) for v in years)] = years
    return [spans[key] for key in sorted(spans, key=lambda s: (len(s), s))]


def size_table(prices: pd.DataFrame, models_cfg: dict) -> pd.DataFrame:
    """its_size.csv: rejection rates of the nominal tests under no break."""
    cfg = models_cfg["size"]
    breaks = models_cfg["break_specs"][models_cfg["primary"]["breaks"]]
    reps, nominal = cfg["replications"], cfg["nominal"]
    rows = []
    for years in size_designs(prices, models_cfg):
        for rho in cfg["rho"]:
            # one generator per cell: a cell's numbers do not depend on the others
            rng = np.random.default_rng([cfg["seed"], len(years), int(years[0]), round(rho * 1e6)])
            rates = rejection_rates(years, breaks, rho, reps, nominal, rng)
            for (est, T), rate in rates.items():
                rows.append(
                    {
                        "estimator": est,
                        "n": len(years),
                        "rho": rho,
                        "nominal": nominal,
                        "rejection_rate": rate,
                        "replications": reps,
                        "term": f"joint_{T}",
                        "first_year": int(years[0]),
                        "last_year": int(years[-1]),
                        "mc_se": math.sqrt(rate * (1 - rate) / reps),
                    }
                )
    order = {est: i for i, est in enumerate(ESTIMATORS)}
    out = pd.DataFrame(rows, columns=SIZE_COLUMNS)
    out = out.sort_values(
        ["estimator", "n", "first_year", "rho", "term"],
        key=lambda col: col.map(order) if col.name == "estimator" else col,
        kind="stable",
    )
    return out.reset_index(drop=True)
