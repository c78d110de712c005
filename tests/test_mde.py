"""Minimum detectable level change: the formula by hand, its power, the table's shape."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from pairing_audit import its, mde
from pairing_audit.prais_winsten import fit_fixed_rho

YEARS = np.arange(2002, 2021)
BREAKS = [2012, 2015]


def ar1_corr(n: int, rho: float) -> np.ndarray:
    lags = np.abs(np.subtract.outer(np.arange(n), np.arange(n)))
    return rho**lags / (1 - rho**2)


def noisy_series(seed=4, rho=0.3, sigma=0.2):
    rng = np.random.default_rng(seed)
    u = np.empty(len(YEARS))
    u[0] = rng.normal(scale=sigma / math.sqrt(1 - rho**2))
    for t in range(1, len(YEARS)):
        u[t] = rho * u[t - 1] + rng.normal(scale=sigma)
    return 2.0 + 0.08 * (YEARS - 2002) + u


def test_gls_cov_is_the_explicit_ar1_gls_covariance():
    X = its.design_matrix(YEARS, BREAKS).to_numpy()
    rho, sigma = 0.45, 0.3
    explicit = sigma**2 * np.linalg.inv(X.T @ np.linalg.solve(ar1_corr(len(YEARS), rho), X))
    np.testing.assert_allclose(mde.gls_cov(X, rho, sigma), explicit, rtol=1e-10)


def test_gls_cov_at_the_fitted_rho_is_prais_winstens_covariance():
    fit = its.fit_its(YEARS, noisy_series(), BREAKS, "prais_winsten")
    cov = mde.gls_cov(fit.exog.to_numpy(), fit.rho, fit.sigma)
    np.testing.assert_allclose(cov, fit.cov.to_numpy(), rtol=1e-9)


def test_mde_has_the_stated_power():
    # Exact power of the two-sided t test at effect = MDE (noncentral t): about 80%.
    for df in (13, 29):
        delta = mde.critical_sum(0.05, 0.8, df)
        crit = stats.t.ppf(0.975, df)
        power = stats.nct.sf(crit, df, delta) + stats.nct.cdf(-crit, df, delta)
        assert power == pytest.approx(0.80, abs=0.01)
    assert mde.critical_sum(0.05, 0.8, math.inf) == pytest.approx(1.959964 + 0.841621, abs=1e-5)


def test_mde_power_by_simulation_with_known_rho():
    # A jump of exactly the MDE at 2012, AR(1) errors with the rho and sigma used for
    # the MDE, GLS at that rho: the two-sided 5% t test rejects about 80% of the time.
    rho, sigma, reps = 0.4, 0.25, 2000
    X = its.design_matrix(YEARS, BREAKS)
    j = X.columns.get_loc("level_change_2012")
    df = len(YEARS) - X.shape[1]
    effect = mde.critical_sum(0.05, 0.8, df) * math.sqrt(
        mde.gls_cov(X.to_numpy(), rho, sigma)[j, j]
    )
    rng = np.random.default_rng(20221121)
    chol = np.linalg.cholesky(ar1_corr(len(YEARS), rho))
    mean = X.to_numpy() @ np.array([1.0, 0.05, effect, 0.0, 0.0, 0.0])
    crit = stats.t.ppf(0.975, df)
    rejected = 0
    for _ in range(reps):
        y = mean + sigma * chol @ rng.standard_normal(len(YEARS))
        res = fit_fixed_rho(y, X.to_numpy(), rho)
        rejected += abs(res.tvalues[j]) > crit
    assert rejected / reps == pytest.approx(0.80, abs=0.03)


def test_mde_rows_log_scale_percent_and_columns():
    y = noisy_series()
    fit = its.fit_its(YEARS, y, BREAKS, "prais_winsten")
    meta = {"series": "s", "table": 4, "scale": "log", "prices": "nominal",
            "estimator": "prais_winsten", "breaks": "2012+2015"}  # fmt: skip
    table = mde.mde_table([(meta, fit)], {"alpha": 0.05, "power": 0.8})
    assert list(table.columns) == mde.MDE_COLUMNS == [
        "series", "table", "scale", "prices", "estimator", "breaks", "break_year", "rho",
        "resid_sd", "n_obs", "power", "alpha", "mde_level_change", "mde_level_change_pct",
        "estimate_level_change", "estimate_level_change_pct",
    ]  # fmt: skip
    assert table["break_year"].tolist() == [2012, 2015]
    row = table.iloc[0]
    se = math.sqrt(fit.cov.loc["level_change_2012", "level_change_2012"])
    df = len(YEARS) - 6
    expected = (stats.t.ppf(0.975, df) + stats.t.ppf(0.8, df)) * se
    assert row["mde_level_change"] == pytest.approx(expected, rel=1e-9)
    assert row["mde_level_change_pct"] == pytest.approx(100 * math.expm1(expected))
    assert row["estimate_level_change"] == fit.params["level_change_2012"]
    assert row["rho"] == fit.rho and row["resid_sd"] == fit.sigma and row["n_obs"] == 19


def test_exact_fit_gets_no_mde():
    y = np.where(YEARS >= 2012, 592.0, 481.0)
    fit = its.fit_its(YEARS, np.log(y), BREAKS, "prais_winsten")
    meta = {"series": "s", "table": 4, "scale": "log", "prices": "nominal",
            "estimator": "prais_winsten", "breaks": "2012+2015"}  # fmt: skip
    table = mde.mde_table([(meta, fit)], {"alpha": 0.05, "power": 0.8})
    assert table["mde_level_change"].isna().all()
    assert table["estimate_level_change"].iloc[0] == pytest.approx(math.log(592 / 481))


def test_mde_needs_an_ar1_estimator():
    fit = its.fit_its(YEARS, noisy_series(), BREAKS, "ols_hc3")
    meta = {"series": "s", "table": 4, "scale": "log", "prices": "nominal",
            "estimator": "ols_hc3", "breaks": "2012+2015"}  # fmt: skip
    with pytest.raises(ValueError, match="needs an AR\\(1\\) fit"):
        mde.mde_rows(meta, fit, alpha=0.05, power=0.8)


def test_level_scale_has_no_percent():
    fit = its.fit_its(YEARS, noisy_series(), BREAKS, "arima_ar1")
    meta = {"series": "s", "table": 4, "scale": "level", "prices": "nominal",
            "estimator": "arima_ar1", "breaks": "2012+2015"}  # fmt: skip
    rows = pd.DataFrame(mde.mde_rows(meta, fit, alpha=0.05, power=0.8))
    assert rows["mde_level_change_pct"].isna().all() and rows["mde_level_change"].notna().all()
