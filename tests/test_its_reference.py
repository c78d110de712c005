"""Every estimator against known answers from R (tests/reference/its_make_reference.R).

Four series (central_special_fund, direct_aid_funds and attracted_funds in real
prices, inspection_visits nominal) x level and log x breaks 2012, 2015, 2012+2015.
R: lm + sandwich (HC3, Newey–West), lmtest (Durbin–Watson, Breusch–Godfrey F), an
iterated Prais–Winsten written in R, stats::arima ML (tested in test_ar1_ml.py).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pairing_audit import its

REFERENCE = Path(__file__).parent / "reference"
SPECS = {"2012": [2012], "2015": [2015], "2012+2015": [2012, 2015]}
DATA = pd.read_csv(REFERENCE / "its_data.csv")
COEF = pd.read_csv(REFERENCE / "its_coef.csv")
FITS = pd.read_csv(REFERENCE / "its_fit.csv")
CASES = list(FITS.itertuples(index=False))
IDS = [f"{r.series}-{r.scale}-{r.breaks}" for r in CASES]


def sample(row):
    obs = DATA[(DATA["series"] == row.series) & (DATA["prices"] == row.prices)]
    y = obs["value"].to_numpy(float)
    return obs["year"].to_numpy(int), (np.log(y) if row.scale == "log" else y)


def reference(row, estimator: str) -> pd.DataFrame:
    ref = COEF[
        (COEF["series"] == row.series)
        & (COEF["scale"] == row.scale)
        & (COEF["breaks"] == row.breaks)
        & (COEF["estimator"] == estimator)
    ]
    return ref.set_index("term")


def test_reference_covers_three_series_on_both_scales():
    got = FITS.groupby("series")["scale"].agg(set)
    assert sum(scales == {"level", "log"} for scales in got) >= 3
    assert set(COEF["estimator"]) == {"ols_hc3", "ols_hac", "prais_winsten", "arima_ar1"}


@pytest.mark.parametrize("estimator", ["ols_hc3", "ols_hac", "prais_winsten"])
@pytest.mark.parametrize("row", CASES, ids=IDS)
def test_coefficients_and_standard_errors_match_r(row, estimator):
    years, y = sample(row)
    fit = its.fit_its(years, y, SPECS[row.breaks], estimator)
    ref = reference(row, estimator)
    terms = list(fit.params.index)
    np.testing.assert_allclose(fit.params, ref.loc[terms, "estimate"], rtol=1e-8, atol=1e-9)
    se = np.sqrt(np.diag(fit.cov.to_numpy()))
    np.testing.assert_allclose(se, ref.loc[terms, "std_err"], rtol=1e-8)
    if estimator == "prais_winsten":
        assert fit.rho == pytest.approx(ref.loc["rho", "estimate"], abs=1e-9)


@pytest.mark.parametrize("row", CASES, ids=IDS)
def test_residual_diagnostics_match_lmtest(row):
    years, y = sample(row)
    fit = its.fit_its(years, y, SPECS[row.breaks], "ols_hc3")
    assert its.hac_lag(len(y)) == row.hac_lag
    assert fit.dw == pytest.approx(row.dw, rel=1e-10)
    expected = (row.bg_p_lag1, row.bg_p_lag2, row.bg_p_lag3)
    np.testing.assert_allclose(fit.bg_p, expected, rtol=1e-7)


@pytest.mark.e2e
def test_reference_data_are_the_pipelines_data(ran):
    """The R script's input is what the pipeline fits (guards against a stale reference)."""
    prices = pd.read_csv(ran / "data/processed/series_prices.csv").dropna(subset=["value"])
    merged = DATA.merge(prices, on=["table", "series", "prices", "year"], how="left")
    assert merged["value_y"].notna().all()
    np.testing.assert_allclose(merged["value_x"], merged["value_y"], rtol=1e-13)
