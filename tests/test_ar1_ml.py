"""Exact AR(1)-error regression by ML: the optimum is reached, and the numbers are R's.

The reference likelihood here is computed independently of the package: from the
explicit stationary AR(1) covariance matrix (Toeplitz rho^|i-j| / (1 - rho^2)) with a
Cholesky factor, maximised over a fine grid of rho with a bounded refinement.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.linalg import cho_factor, cho_solve
from scipy.optimize import minimize_scalar
from statsmodels.tools.numdiff import approx_hess3

from pairing_audit import its
from pairing_audit.ar1_ml import fit_ar1_ml, profile_hessian

REFERENCE = Path(__file__).parent / "reference"
SPECS = {"2012": [2012], "2015": [2015], "2012+2015": [2012, 2015]}


def loglik_explicit(y: np.ndarray, X: np.ndarray, rho: float) -> float:
    """Profile log-likelihood via the n x n AR(1) covariance matrix (no transform)."""
    n = len(y)
    lags = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    corr = rho**lags / (1.0 - rho**2)
    factor = cho_factor(corr, lower=True)
    Xw, yw = cho_solve(factor, X), cho_solve(factor, y)
    beta = np.linalg.solve(X.T @ Xw, X.T @ yw)
    resid = y - X @ beta
    sigma2 = float(resid @ cho_solve(factor, resid)) / n
    logdet = 2.0 * np.log(np.diag(factor[0])).sum()
    return -0.5 * n * (math.log(2 * math.pi * sigma2) + 1.0) - 0.5 * logdet


def loglik_explicit_grid(y: np.ndarray, X: np.ndarray, rhos: np.ndarray) -> np.ndarray:
    """loglik_explicit for many rho at once (batched solves with the n x n matrices)."""
    n = len(y)
    lags = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    corr = rhos[:, None, None] ** lags / (1.0 - rhos[:, None, None] ** 2)
    rhs = np.broadcast_to(np.column_stack([X, y]), (len(rhos), n, X.shape[1] + 1))
    solved = np.linalg.solve(corr, rhs)
    Xw, yw = solved[..., :-1], solved[..., -1]
    xty = np.einsum("nk,gn->gk", X, yw)
    beta = np.linalg.solve(np.einsum("nk,gnj->gkj", X, Xw), xty[..., None])[..., 0]
    # resid' C^-1 resid = y' C^-1 y - beta' X' C^-1 y at the GLS beta
    sigma2 = (np.einsum("n,gn->g", y, yw) - np.einsum("gk,gk->g", beta, xty)) / n
    logdet = np.linalg.slogdet(corr)[1]
    return -0.5 * n * (np.log(2 * np.pi * sigma2) + 1.0) - 0.5 * logdet


def grid_optimum(y, X, points: int = 1999, limit: float = 0.999) -> float:
    """Best log-likelihood over a uniform grid in rho, refined between its neighbours."""
    grid = np.linspace(-limit, limit, points)
    values = loglik_explicit_grid(y, X, grid)
    i = int(np.argmax(values))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, points - 1)]
    found = minimize_scalar(
        lambda r: -loglik_explicit(y, X, r), bounds=(lo, hi), method="bounded",
        options={"xatol": 1e-10},
    )  # fmt: skip
    return max(values[i], -found.fun)


def simulate(n=19, rho=0.5, seed=0, breaks=(2012,), first=2002):
    rng = np.random.default_rng(seed)
    years = np.arange(first, first + n)
    u = np.empty(n)
    u[0] = rng.normal() / math.sqrt(1 - rho**2)
    for t in range(1, n):
        u[t] = rho * u[t - 1] + rng.normal()
    X = its.design_matrix(years, list(breaks)).to_numpy()
    beta = np.array([3.0, 0.2] + [0.5, 0.1] * len(breaks))
    return years, X @ beta + 0.3 * u, X


def reference_samples():
    data = pd.read_csv(REFERENCE / "its_data.csv")
    fits = pd.read_csv(REFERENCE / "its_fit.csv")
    for row in fits.itertuples(index=False):
        obs = data[(data["series"] == row.series) & (data["prices"] == row.prices)]
        y = obs["value"].to_numpy(float)
        y = np.log(y) if row.scale == "log" else y
        X = its.design_matrix(obs["year"].to_numpy(int), SPECS[row.breaks])
        yield row, y, X


REF = list(reference_samples())
REF_IDS = [f"{r.series}-{r.scale}-{r.breaks}" for r, _, _ in REF]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("rho", [-0.5, 0.0, 0.6, 0.95])
def test_reaches_the_grid_optimum_on_simulated_series(seed, rho):
    _, y, X = simulate(rho=rho, seed=seed)
    fit = fit_ar1_ml(y, X)
    assert fit.llf >= grid_optimum(y, X) - 1e-8
    # the reported likelihood is the likelihood of the reported rho
    assert fit.llf == pytest.approx(loglik_explicit(y, X, fit.rho), abs=1e-8)


def test_unscaled_trending_money_series():
    # Large values and a steep trend: where a general optimiser on unscaled data stops early.
    _, y, X = simulate(n=35, rho=0.8, seed=3, first=1986)
    y = 1000.0 * y + 50.0 * X[:, 1] ** 1.5
    fit = fit_ar1_ml(y, X)
    assert fit.converged
    assert fit.llf >= grid_optimum(y, X) - 1e-8


def test_analytic_hessian_matches_numerical():
    _, y, X = simulate(rho=0.4, seed=11, breaks=(2012, 2015))
    fit = fit_ar1_ml(y, X)
    n, k = X.shape

    def profile(theta):
        beta, rho = theta[:k], theta[k]
        u = y - X @ beta
        e = np.r_[math.sqrt(1 - rho**2) * u[0], u[1:] - rho * u[:-1]]
        return -0.5 * n * math.log(e @ e) + 0.5 * math.log(1 - rho**2)

    numeric = approx_hess3(np.r_[fit.params, fit.rho], profile)
    analytic = profile_hessian(y, X, fit.params, fit.rho)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-4, atol=1e-6 * np.abs(numeric).max())


@pytest.mark.parametrize(("row", "y", "X"), REF, ids=REF_IDS)
def test_matches_r_stats_arima(row, y, X):
    """stats::arima(method = "ML") and an R profile likelihood (tests/reference/)."""
    fit = fit_ar1_ml(y, X.to_numpy())
    assert fit.llf >= row.arima_loglik - 1e-9  # never below R's optimum
    assert fit.llf == pytest.approx(row.arima_loglik, abs=1e-8)
    assert fit.llf == pytest.approx(row.profile_loglik, abs=1e-9)
    assert fit.rho == pytest.approx(row.profile_rho, abs=1e-6)
    assert fit.sigma2 == pytest.approx(row.arima_sigma2, rel=1e-5)
    coef = pd.read_csv(REFERENCE / "its_coef.csv")
    ref = coef[
        (coef["series"] == row.series)
        & (coef["scale"] == row.scale)
        & (coef["breaks"] == row.breaks)
        & (coef["estimator"] == "arima_ar1")
    ].set_index("term")
    terms = [*X.columns, "rho"]
    est = pd.Series(np.r_[fit.params, fit.rho], index=terms)
    se = pd.Series(np.sqrt(np.diag(fit.cov)), index=terms)
    # R stops its optimiser at a relative tolerance: coefficients agree to a tiny
    # fraction of their standard errors; R's Hessian is numerical (about 1e-3 relative).
    np.testing.assert_array_less((est - ref["estimate"]).abs() / ref["std_err"], 1e-4)
    np.testing.assert_allclose(se, ref.loc[terms, "std_err"], rtol=2e-3)


def test_registry_fit_uses_exact_ml_and_names_its_standard_errors():
    years, y, _ = simulate(rho=0.3, seed=5)
    fit = its.fit_its(years, y, [2012], "arima_ar1")
    ml = fit_ar1_ml(y, fit.exog.to_numpy())
    assert fit.llf == ml.llf and fit.rho == ml.rho
    k = fit.exog.shape[1]
    assert fit.aic == pytest.approx(-2 * ml.llf + 2 * (k + 2))  # beta, rho, sigma^2
    assert "observed information of the exact likelihood" in fit.note
    assert math.isinf(fit.df_resid)  # z inference


@pytest.mark.e2e
def test_every_arima_fit_of_a_real_run_is_at_the_optimum(ran):
    """Every arima_ar1 fit in reports/its.csv: log-likelihood within 1e-6 of a fine grid
    plus refinement over rho, computed here from the run's own data."""
    table = pd.read_csv(ran / "reports/its.csv", keep_default_na=False, na_values=[""])
    prices = pd.read_csv(ran / "data/processed/series_prices.csv")
    keys = ["series", "table", "scale", "prices", "breaks"]
    arima = table[(table["estimator"] == "arima_ar1") & table["llf"].notna()]
    fits = arima.groupby(keys, sort=True)[["llf", "rho"]].first().reset_index()
    assert len(fits) >= 150
    specs_cfg = {"none": [], **{b: [int(y) for y in b.split("+")] for b in fits["breaks"]
                                if b != "none"}}  # fmt: skip
    for row in fits.itertuples(index=False):
        on_span = row.prices == its.NOMINAL_ON_REAL_SPAN
        rows = prices[(prices["series"] == row.series) & (prices["table"] == row.table)]
        obs = rows[rows["prices"] == ("nominal" if on_span else row.prices)]
        if on_span:
            real_years = rows.loc[(rows["prices"] == "real") & rows["value"].notna(), "year"]
            obs = obs[obs["year"].isin(real_years)]
        obs = obs.dropna(subset=["value"]).sort_values("year")
        y = obs["value"].to_numpy(float)
        y = np.log(y) if row.scale == "log" else y
        X = its.design_matrix(obs["year"].to_numpy(int), specs_cfg[row.breaks]).to_numpy()
        best = grid_optimum(y, X)
        where = f"{row.series} {row.scale} {row.prices} {row.breaks}"
        assert row.llf >= best - 1e-6, where
        assert row.llf == pytest.approx(loglik_explicit(y, X, row.rho), abs=1e-6), where
