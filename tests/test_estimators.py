"""The estimator registry: the config's names are checked against it, and adding an
estimator is one entry there."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import yaml

from pairing_audit import estimators, its, its_tables
from pairing_audit.errors import InputError

ROOT = Path(__file__).resolve().parents[1]


def models_cfg() -> dict:
    return yaml.safe_load((ROOT / "config/config.yaml").read_text(encoding="utf-8"))["models"]


def test_configured_estimators_are_registered():
    cfg = models_cfg()
    assert set(cfg["estimators"]) <= set(estimators.REGISTRY)
    assert cfg["primary"]["estimator"] in cfg["estimators"]
    estimators.check_config(cfg)  # no error


def test_unknown_estimator_in_config_is_named():
    cfg = models_cfg()
    cfg["estimators"] = ["prais_winsten", "gls_ar2"]
    with pytest.raises(InputError, match=r"models\.estimators\[1\].*unknown estimator 'gls_ar2'"):
        estimators.check_config(cfg)


def test_primary_estimator_must_be_fitted():
    cfg = models_cfg()
    cfg["estimators"] = ["ols_hc3"]
    with pytest.raises(InputError, match=r"models\.primary\.estimator"):
        estimators.check_config(cfg)


def test_lookup_of_an_unknown_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="known: prais_winsten, ols_hc3, ols_hac, arima_ar1"):
        estimators.get("ols")


def test_a_new_estimator_is_one_registry_entry(monkeypatch):
    # plain OLS with the classical covariance, registered under a new name
    def fit_ols_plain(sample):
        y, X = sample.y, sample.X
        beta, *_ = np.linalg.lstsq(X, y, rcond=None)
        resid = y - X @ beta
        df = len(y) - X.shape[1]
        cov = (resid @ resid / df) * np.linalg.inv(X.T @ X)
        return estimators.Estimate(
            params=beta, cov=cov, df_resid=float(df), llf=math.nan, aic=math.nan, bic=math.nan
        )

    entry = estimators.Estimator("ols_plain", fit_ols_plain)
    monkeypatch.setitem(estimators.REGISTRY, "ols_plain", entry)
    years = np.arange(2002, 2021)
    y = 5.0 + 0.3 * (years - 2002) + 2.0 * (years >= 2012) + np.sin(years)
    fit = its.fit_its(years, y, [2012], "ols_plain")
    rows = {r["term"]: r for r in its_tables.tidy_rows(fit, "level")}
    X = fit.exog.to_numpy()
    beta = np.linalg.solve(X.T @ X, X.T @ y)
    assert rows["level_change_2012"]["estimate"] == pytest.approx(beta[2])
    assert rows["joint_2012"]["p_value"] < 1
    assert not math.isnan(rows["level_change_2012"]["ci_low"])


def test_hac_lag_rule():
    assert estimators.hac_lag(41) == 3  # 4 * 0.41^(2/9) = 3.28
    assert estimators.hac_lag(19) == 2
    assert estimators.hac_lag(1) == 1


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_breusch_godfrey_is_statsmodels_bit_for_bit(seed):
    from statsmodels.regression.linear_model import OLS
    from statsmodels.stats.diagnostic import acorr_breusch_godfrey

    years = np.arange(1995, 2020)
    X = its.design_matrix(years, [2012]).to_numpy()
    rng = np.random.default_rng(seed)
    y = X @ np.array([1.0, 0.2, 0.5, -0.1]) + np.cumsum(rng.standard_normal(len(years)))
    res = OLS(y, X).fit()
    for lag in (1, 2, 3):
        want = acorr_breusch_godfrey(res, nlags=lag, result_object=True).fpval
        assert estimators.breusch_godfrey_fpvalue(np.asarray(res.resid), X, lag) == want


def test_breusch_godfrey_is_nan_when_the_auxiliary_regression_is_singular():
    # one non-zero residual, in the last year: every lagged-residual column is zero,
    # which statsmodels flags with a SingularMatrixWarning (the old code's NaN case)
    from statsmodels.regression.linear_model import OLS
    from statsmodels.tools.sm_exceptions import SingularMatrixWarning

    years = np.arange(2000, 2012)
    X = its.design_matrix(years, [2006]).to_numpy()
    resid = np.r_[np.zeros(11), 1.0]
    aux = np.column_stack([X, np.zeros((12, 3))])
    with pytest.warns(SingularMatrixWarning):
        OLS(resid, aux).fit()
    assert math.isnan(estimators.breusch_godfrey_fpvalue(resid, X, 3))


def test_rank_of_singular_values_is_numpys_matrix_rank_of_their_diagonal():
    # the Breusch–Godfrey rank check counts singular values above numpy's tolerance
    # instead of taking an SVD of diag(s); spans of 1e-20..1e2 put some near the cut
    rng = np.random.default_rng(7)
    for _ in range(2000):
        k = int(rng.integers(1, 9))
        sv = np.sort(np.abs(rng.standard_normal(k)) * 10.0 ** rng.integers(-20, 3, k))[::-1]
        want = np.linalg.matrix_rank(np.diag(sv))
        assert estimators._rank_of_diagonal(sv) == want
    sv = np.array([1.0, 1.0e-15, 0.0])  # 1e-15 > 3 * eps: counted, as numpy does
    assert estimators._rank_of_diagonal(sv) == np.linalg.matrix_rank(np.diag(sv)) == 2
