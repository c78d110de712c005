"""Segmented regression: known answers, invariances, hand computations, output shape."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from pairing_audit import its, specs
from pairing_audit.prais_winsten import fit_fixed_rho, prais_winsten, residual_rho

LEVEL, SLOPE = 8.0, 1.5  # planted changes at 2012


def planted(first=1991, last=2020, brk=2012, rho=0.3, sigma=0.5, seed=7):
    """10 + t + LEVEL*D + SLOPE*(year-brk)*D with AR(1) noise."""
    years = np.arange(first, last + 1)
    rng = np.random.default_rng(seed)
    e = np.zeros(len(years))
    for i in range(len(years)):
        e[i] = (rho * e[i - 1] if i else 0.0) + rng.normal(scale=sigma)
    post = years >= brk
    y = 10 + (years - first) + LEVEL * post + SLOPE * (years - brk) * post + e
    return years, y


@pytest.mark.parametrize("estimator", its.ESTIMATORS)
def test_planted_break_recovered(estimator):
    years, y = planted()
    fit = its.fit_its(years, y, [2012], estimator)
    assert fit.params["level_change_2012"] == pytest.approx(LEVEL, abs=1.0)
    assert fit.params["slope_change_2012"] == pytest.approx(SLOPE, abs=0.25)
    assert fit.params["pre_slope"] == pytest.approx(1.0, abs=0.15)
    assert fit.n_obs == len(years)  # full sample kept (no Cochrane–Orcutt drop)


@pytest.mark.parametrize("estimator", its.ESTIMATORS)
def test_time_origin_shift_leaves_changes_unchanged(estimator):
    years, y = planted()
    a = its.fit_its(years, y, [2012], estimator)
    b = its.fit_its(years + 37, y, [2012 + 37], estimator)
    tol = 1e-4 if estimator == "arima_ar1" else 1e-9
    for term in ("level_change", "slope_change"):
        assert b.params[f"{term}_{2049}"] == pytest.approx(a.params[f"{term}_2012"], abs=tol)


def test_changes_do_not_depend_on_trend_origin():
    # Independent parametrisation: trend measured from year 0 instead of the first year.
    years, y = planted()
    post = (years >= 2012).astype(float)
    X = np.column_stack([np.ones(len(years)), years, post, (years - 2012) * post])
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    fit = its.fit_its(years, y, [2012], "ols_hc3")
    assert fit.params["level_change_2012"] == pytest.approx(beta[2], rel=1e-10)
    assert fit.params["slope_change_2012"] == pytest.approx(beta[3], rel=1e-10)


def test_design_matrix_slope_term_zero_in_break_year():
    X = its.design_matrix([2010, 2011, 2012, 2013], [2012])
    assert X["pre_slope"].tolist() == [0, 1, 2, 3]
    assert X["level_change_2012"].tolist() == [0, 0, 1, 1]
    assert X["slope_change_2012"].tolist() == [0, 0, 0, 1]


@pytest.mark.parametrize("estimator", ["ols_hc3", "ols_hac"])
def test_ols_matches_numpy_lstsq(estimator):
    years, y = planted(first=2002, brk=2015, seed=3)
    fit = its.fit_its(years, y, [2012, 2015], estimator)
    beta = np.linalg.lstsq(fit.exog.to_numpy(), y, rcond=None)[0]
    np.testing.assert_allclose(fit.params.to_numpy(), beta, rtol=1e-10, atol=1e-10)
    assert fit.df_resid == len(y) - 6


def test_hc3_standard_errors_by_hand():
    years, y = planted(first=2002, seed=11)
    fit = its.fit_its(years, y, [2012], "ols_hc3")
    X = fit.exog.to_numpy()
    xtx_inv = np.linalg.inv(X.T @ X)
    e = y - X @ fit.params.to_numpy()
    h = np.einsum("ij,jk,ik->i", X, xtx_inv, X)
    meat = X.T @ np.diag(e**2 / (1 - h) ** 2) @ X
    np.testing.assert_allclose(fit.cov.to_numpy(), xtx_inv @ meat @ xtx_inv, rtol=1e-10)


def test_hac_lag_rule():
    assert its.hac_lag(41) == 3  # 4 * 0.41^(2/9) = 3.28
    assert its.hac_lag(19) == 2
    assert its.hac_lag(9) == 2
    assert its.hac_lag(1) == 1


def test_prais_winsten_fixed_rho_by_hand():
    years = np.arange(2000, 2007)
    y = np.array([3.0, 3.4, 4.1, 6.9, 7.2, 8.8, 9.1])
    X = its.design_matrix(years, [2003]).to_numpy()
    rho = 0.4
    # Hand transformation: first row scaled by sqrt(1 - rho^2), others quasi-differenced.
    ys, Xs = np.empty(7), np.empty((7, 4))
    ys[0], Xs[0] = math.sqrt(1 - rho**2) * y[0], math.sqrt(1 - rho**2) * X[0]
    for i in range(1, 7):
        ys[i] = y[i] - rho * y[i - 1]
        Xs[i] = X[i] - rho * X[i - 1]
    beta = np.linalg.lstsq(Xs, ys, rcond=None)[0]
    sigma2 = np.sum((ys - Xs @ beta) ** 2) / (7 - 4)  # df: n - k, rho not counted
    res = fit_fixed_rho(y, X, rho)
    np.testing.assert_allclose(res.params, beta, rtol=1e-10)
    np.testing.assert_allclose(res.cov_params(), sigma2 * np.linalg.inv(Xs.T @ Xs), rtol=1e-10)


def test_prais_winsten_iteration_reaches_fixed_point():
    years = np.arange(2000, 2008)
    y = np.array([1.0, 1.6, 2.5, 3.3, 3.6, 3.9, 4.8, 6.0])
    X = its.design_matrix(years, []).to_numpy()
    pw = prais_winsten(y, X)
    assert pw.converged and abs(pw.rho) < 0.99
    # rho re-estimated from its own (untransformed) residuals equals itself ...
    assert residual_rho(y - X @ pw.params) == pytest.approx(pw.rho, abs=1e-9)
    # ... and beta is the fixed-rho fit at that rho; the ItsFit wrapper agrees.
    np.testing.assert_allclose(pw.params, fit_fixed_rho(y, X, pw.rho).params, rtol=1e-10)
    fit = its.fit_its(years, y, [], "prais_winsten")
    assert fit.rho == pytest.approx(pw.rho) and fit.df_resid == 8 - 2


def test_prais_winsten_rho_on_bound_flagged():
    # A saw-tooth series drives rho to the -0.99 clip: kept, but flagged not converged.
    years = np.arange(2000, 2008)
    y = np.array([1.0, 1.9, 2.1, 3.5, 3.6, 4.9, 5.2, 6.6])
    fit = its.fit_its(years, y, [], "prais_winsten")
    assert fit.rho == pytest.approx(-0.99) and fit.converged is False


def test_joint_test_matches_statsmodels_f_test():
    years, y = planted(seed=5)
    fit = its.fit_its(years, y, [2012], "ols_hc3")
    res = sm.OLS(y, fit.exog.to_numpy()).fit(cov_type="HC3", use_t=True)
    R = np.zeros((2, 4))
    R[0, 2] = R[1, 3] = 1
    ref = res.f_test(R)
    (row,) = its.joint_rows(fit)
    assert row["term"] == "joint_2012"
    assert row["estimate"] == pytest.approx(float(np.squeeze(ref.fvalue)), rel=1e-10)
    assert row["p_value"] == pytest.approx(float(ref.pvalue), rel=1e-8)


def test_log_scale_percent_terms():
    years, y = planted()
    fit = its.fit_its(years, np.log(y), [2012], "prais_winsten")
    rows = {r["term"]: r for r in its.coef_rows(fit)}
    extra = {r["term"]: r for r in its.log_rows(fit)}
    c = rows["level_change_2012"]
    assert extra["level_change_pct_2012"]["estimate"] == pytest.approx(
        100 * math.expm1(c["estimate"])
    )
    assert extra["level_change_pct_2012"]["ci_low"] == pytest.approx(100 * math.expm1(c["ci_low"]))
    b1 = fit.params["pre_slope"] + fit.params["slope_change_2012"]
    assert extra["post_growth_pct_2012"]["estimate"] == pytest.approx(100 * math.expm1(b1))
    V = fit.cov.loc[["pre_slope", "slope_change_2012"], ["pre_slope", "slope_change_2012"]]
    se = math.sqrt(V.to_numpy().sum())
    hi = 100 * math.expm1(b1 + fit.crit(0.95) * se)
    assert extra["post_growth_pct_2012"]["ci_high"] == pytest.approx(hi)


def test_holm_known_example():
    def rows(series, spec, term, p):
        keys = {"series": series, "table": 4, "scale": "level", "prices": "nominal"}
        return {**keys, "breaks": spec, "estimator": "ols_hc3", "term": term, "p_value": p}

    table = pd.DataFrame(
        [
            rows("a", "2012", "joint_2012", 0.01),
            rows("a", "2015", "joint_2015", 0.04),
            rows("b", "2012", "joint_2012", 0.03),
            rows("b", "2015", "joint_2015", 0.02),
            rows("b", "2013", "joint_2013", 0.001),  # not pre-specified
            rows("b", "2012+2015", "joint_2012", 0.001),  # not a single-break fit
            rows("c", "2015", "joint_2015", 0.2),  # only one primary fit: m = 1
            rows("a", "2012", "level_change_2012", 0.01),
        ]
    )
    specs = {"2012": [2012], "2015": [2015], "2013": [2013], "2012+2015": [2012, 2015]}
    out = its.holm_adjust(table, ["2012", "2015"], specs)
    np.testing.assert_allclose(out["p_holm"][:4], [0.02, 0.04, 0.04, 0.04])
    assert out["p_holm"][4:6].isna().all() and out["p_holm"][7:].isna().all()
    assert out["p_holm"][6] == pytest.approx(0.2)


def test_admissibility():
    years = np.arange(2012, 2021)
    assert its.admissible(years, [2015])  # 3 before, 6 after
    assert not its.admissible(years, [2014])  # only 2 before
    assert its.admissible(years, [2018]) and not its.admissible(years, [2019])
    assert not its.admissible(np.arange(2002, 2021), [2012, 2014])  # 2 in the middle


def test_counterfactual_is_pre_trend():
    years, y = planted()
    fit = its.fit_its(years, y, [2012], "ols_hac")
    path = its.counterfactual_path(fit, "level")
    b = fit.params
    np.testing.assert_allclose(
        path["counterfactual"], b["intercept"] + b["pre_slope"] * (years - 1991)
    )
    pre = ~path["post"]
    np.testing.assert_allclose(path.loc[pre, "fitted"], path.loc[pre, "counterfactual"])
    assert (path["cf_low"] < path["counterfactual"]).all() and (
        path["cf_high"] > path["counterfactual"]
    ).all()
    eff = its.counterfactual_effects(fit, "level")
    last = path.iloc[-1]
    assert eff["break_year"] == 2012 and eff["last_year"] == 2020 and eff["n_post"] == 9
    assert eff["effect_last_abs"] == pytest.approx(last["observed"] - last["counterfactual"])
    # Planted effect in 2020 is LEVEL + 8*SLOPE = 20.
    assert eff["effect_last_abs"] == pytest.approx(LEVEL + 8 * SLOPE, abs=1.5)
    post = path[path["post"]]
    assert eff["effect_sum_abs"] == pytest.approx((post["observed"] - post["counterfactual"]).sum())


def test_counterfactual_log_scale_and_two_breaks():
    years, y = planted()
    fit = its.fit_its(years, np.log(y), [2012, 2015], "prais_winsten")
    path = its.counterfactual_path(fit, "log")
    b = fit.params
    np.testing.assert_allclose(path["observed"], y)
    np.testing.assert_allclose(
        path["counterfactual"], np.exp(b["intercept"] + b["pre_slope"] * (years - 1991))
    )
    assert path.loc[path["post"], "year"].min() == 2012  # relative to the first break


def fake_prices():
    """Money series (nominal + real, real missing before 1986), a count series with a
    zero (no log) and a 9-point descriptive series; one series with only 5 points."""
    rows = []
    rng = np.random.default_rng(1)
    for year in range(1980, 2021):
        v = 10 + (year - 1980) + 5 * (year >= 2012) + rng.normal(scale=0.3)
        rows.append((3, "fund", year, "100m_yuan", "nominal", v))
        rows.append((3, "fund", year, "100m_yuan", "real", v / 1.1 if year >= 1986 else np.nan))
    for year in range(2002, 2021):
        rows.append(
            (4, "cadres", year, "persons", "nominal", 0.0 if year == 2002 else year - 2000.0)
        )
    for year in range(2012, 2021):
        rows.append((5, "ew", year, "persons", "nominal", 2.0 * (year - 2000) + (year % 2)))
    for year in range(2016, 2021):
        rows.append((4, "short", year, "persons", "nominal", float(year)))
    cols = ["table", "series", "year", "unit", "prices", "value"]
    return pd.DataFrame(rows, columns=cols)


CFG = {
    "series": [
        {"table": 3, "series": "fund"},
        {"table": 4, "series": "cadres"},
        {"table": 4, "series": "short"},
        {"table": 5, "series": "ew", "descriptive": True, "break_specs": ["2015"]},
    ],
    "break_specs": {"none": [], "2012": [2012], "2015": [2015], "2012+2015": [2012, 2015]},
    "primary_breaks": ["2012", "2015"],
    "scales": ["level", "log"],
    "prices": ["nominal", "real"],
    "estimators": list(its.ESTIMATORS),
    "confidence": 0.95,
    "primary": {
        "scale": "log",
        "prices": {"money": "real", "count": "nominal"},
        "estimator": "prais_winsten",
        "breaks": "2012+2015",
    },
}
PRIMARY = specs.primary_keys(fake_prices(), CFG)


@pytest.fixture(scope="module")
def fits():
    return its.fit_all(fake_prices(), CFG)


def test_samples_and_skips(fits):
    got = {(m["series"], m["prices"], m["scale"], m["breaks"]) for m, _ in fits}
    assert ("fund", "real", "log", "2012") in got
    assert not any(s == "short" for s, *_ in got)  # 5 points: skipped
    assert not any(s == "cadres" and sc == "log" for s, _, sc, _ in got)  # has a zero
    assert {b for s, _, _, b in got if s == "ew"} == {"2015"}  # restricted specs
    n = {(m["series"], m["prices"]): f.n_obs for m, f in fits}
    assert n[("fund", "nominal")] == 41 and n[("fund", "real")] == 35  # real: no CPI before 1986
    # nominal money also on the real values' span; not for counts (no real values)
    assert n[("fund", its.NOMINAL_ON_REAL_SPAN)] == 35
    assert not any(p == its.NOMINAL_ON_REAL_SPAN for s, p, _, _ in got if s != "fund")


def test_nominal_on_real_span_is_the_nominal_values_on_the_real_years(fits):
    by = {
        (m["prices"], m["scale"], m["breaks"], m["estimator"]): f
        for m, f in fits
        if m["series"] == "fund"
    }
    real = by[("real", "level", "2012", "ols_hc3")]
    span = by[(its.NOMINAL_ON_REAL_SPAN, "level", "2012", "ols_hc3")]
    nominal = by[("nominal", "level", "2012", "ols_hc3")]
    np.testing.assert_array_equal(span.years, real.years)
    np.testing.assert_array_equal(span.y, nominal.y[nominal.years >= 1986])


def test_its_table_columns_and_order(fits):
    table = its.its_table(fits, CFG, PRIMARY)
    needed = its.KEYS + ["term", "estimate", "std_err", "ci_low", "ci_high", "p_value", "p_holm",
                         "n_obs", "aic", "bic", "rho", "dw", "bg_p_lag1", "bg_p_lag2", "bg_p_lag3",
                         "descriptive", "converged"]  # fmt: skip
    assert set(needed) <= set(table.columns)
    keys = table[its.SORT + ["term"]].astype(str).apply(tuple, axis=1).tolist()
    assert len(set(keys)) == len(keys)
    pd.testing.assert_frame_equal(table, its.its_table(fits, CFG, PRIMARY))  # deterministic
    ols = table["estimator"].str.startswith("ols")
    assert table.loc[ols, "dw"].notna().all() and table.loc[~ols, "dw"].isna().all()
    assert table.loc[table["estimator"] == "ols_hc3", "rho"].isna().all()
    assert table.loc[table["series"] == "ew", "descriptive"].all()
    holm = table[table["p_holm"].notna()]
    assert set(holm["term"]) == {"joint_2012", "joint_2015"}
    assert (holm["p_holm"] >= holm["p_value"] - 1e-15).all()
    log_terms = set(table.loc[(table["scale"] == "log") & (table["breaks"] == "2012"), "term"])
    assert {"pre_growth_pct", "level_change_pct_2012", "post_growth_pct_2012"} <= log_terms
    # role: exactly the primary key of each non-descriptive series is primary
    primary = table[table["role"] == "primary"]
    assert set(table["role"]) == {"primary", "sensitivity"}
    assert set(
        map(tuple, primary[["series", "prices", "scale", "breaks", "estimator"]].values)
    ) == {
        ("fund", "real", "log", "2012+2015", "prais_winsten"),
        ("cadres", "nominal", "log", "2012+2015", "prais_winsten"),
    } - {("cadres", "nominal", "log", "2012+2015", "prais_winsten")}  # cadres: a zero, no log


def test_effects_and_paths_tables(fits):
    eff = its.effects_table(fits, CFG, PRIMARY)
    assert "none" not in set(eff["breaks"])
    assert set(eff.loc[eff["breaks"] == "2012+2015", "break_year"]) == {2012}
    assert set(eff["role"]) == {"primary", "sensitivity"}
    assert eff.loc[eff["scale"] == "log", "note"].str.contains("Duan smearing").all()
    assert eff.loc[eff["scale"] == "level", "smearing_factor"].isna().all()
    paths = its.paths_table(fits, CFG, PRIMARY)
    assert set(paths["estimator"]) == {"prais_winsten"}
    assert set(paths["breaks"]) == {"2012", "2015", "2012+2015"}
    assert {"year", "observed", "fitted", "counterfactual", "cf_low", "cf_high",
            "counterfactual_mean", "role"} <= set(paths.columns)  # fmt: skip
    level = paths[paths["scale"] == "level"]
    assert (level["counterfactual_mean"] == level["counterfactual"]).all()


@pytest.mark.parametrize("estimator", its.ESTIMATORS)
def test_exact_step_fit_has_no_inference(estimator):
    # A count constant before and after 2012 (like paired_poor_counties): zero residuals.
    years = np.arange(2002, 2021)
    y = np.where(years >= 2012, 592.0, 481.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = its.fit_its(years, y, [2012], estimator)
        rows = its.tidy_fit(fit, "level")
        eff = its.counterfactual_effects(fit, "level")
    assert fit.params["level_change_2012"] == pytest.approx(111.0)
    assert fit.note == its.NOTE_EXACT
    assert rows["std_err"].isna().all() and rows["p_value"].isna().all()
    assert eff["effect_last_abs"] == pytest.approx(111.0) and math.isnan(eff["cf_low_last"])


def test_notes_for_gaps_and_rho_bound():
    years, y = planted()
    keep = years != 2000
    fit = its.fit_its(years[keep], y[keep], [2012], "ols_hac")
    assert "not consecutive" in fit.note
    saw = np.array([1.0, 1.9, 2.1, 3.5, 3.6, 4.9, 5.2, 6.6])
    assert its.fit_its(np.arange(2000, 2008), saw, [], "prais_winsten").note.startswith("rho at")


@pytest.mark.parametrize("estimator", its.ESTIMATORS)
def test_exactly_fitted_segment_blanks_inference_keeps_coefficients(estimator):
    # Like central_units: constant 272 for 2002-2011, then a noisy level; 2012 break.
    years = np.arange(2002, 2021)
    noise = np.array([0.0, 4.1, -3.2, 2.5, 6.3, -1.7, -5.0, 3.3, 1.2])
    y = np.where(years >= 2012, 300.0 + np.r_[np.zeros(10), noise], 272.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = its.fit_its(years, y, [2012], estimator)
        rows = its.tidy_fit(fit, "level").set_index("term")
    assert "segment 2002–2011 fitted exactly" in fit.note
    # the estimator's own coefficients stay (OLS: the segment's exact line; GLS mixes
    # the segments through rho, so only close)
    exact = fit.estimator.startswith("ols")
    assert fit.params["intercept"] == pytest.approx(272.0, abs=1e-9 if exact else 0.5)
    assert fit.params["pre_slope"] == pytest.approx(0.0, abs=1e-9 if exact else 0.1)
    assert np.isfinite(fit.params).all() and np.isfinite(fit.rho) != exact
    inference = ["std_err", "ci_low", "ci_high", "p_value"]
    assert rows[inference].isna().all().all()
    assert math.isnan(rows.loc["joint_2012", "estimate"])  # no F of 1e27 either
    # a segment that is only nearly linear (noise 1e-6 of the level) is not exact
    y2 = y + np.where(years < 2012, 1e-4 * (-1.0) ** years, 0.0)
    assert "fitted exactly" not in its.fit_its(years, y2, [2012], estimator).note


def test_exact_segments_found_per_segment():
    years = np.arange(2002, 2021)
    y = np.r_[np.full(10, 481.0), np.full(3, 592.0), [600.0, 601.5, 599.0, 610.0, 620.0, 605.0]]
    assert its.exact_segments(years, y, [2012, 2015]) == [(2002, 2011), (2012, 2014)]
    assert its.exact_segments(years, y, [2015]) == []  # 2002-2014 is a step, not a line
    line = 3.0 + 0.5 * (years - 2002)
    assert its.exact_segments(years, line, [2012]) == [(2002, 2011), (2012, 2020)]


def test_smearing_factor_by_hand():
    years, y = planted()
    fit = its.fit_its(years, np.log(y), [2012], "prais_winsten")
    X = fit.exog.to_numpy()
    resid = np.log(y) - X @ fit.params.to_numpy()
    factor = np.mean(np.exp(resid))
    eff = its.counterfactual_effects(fit, "log")
    assert eff["smearing_factor"] == pytest.approx(factor, rel=1e-12)
    post = years >= 2012
    cf = np.exp(fit.params["intercept"] + fit.params["pre_slope"] * (years - years[0]))
    assert eff["counterfactual_post_sum"] == pytest.approx(factor * cf[post].sum(), rel=1e-12)
    assert eff["counterfactual_last"] == pytest.approx(factor * cf[-1], rel=1e-12)
    assert eff["effect_sum_abs"] == pytest.approx(y[post].sum() - factor * cf[post].sum())


def test_unknown_estimator_is_refused():
    years, y = planted()
    with pytest.raises(ValueError, match=r"unknown estimator 'gls'.*prais_winsten"):
        its.fit_its(years, y, [2012], "gls")


def test_primary_fits_follow_the_primary_keys():
    fits = its.primary_fits(fake_prices(), CFG)
    assert [(m["series"], m["prices"], m["scale"], m["breaks"]) for m, _ in fits] == [
        ("fund", "real", "log", "2012+2015")  # cadres has a zero: no log sample
    ]
    ((_meta, fit),) = fits
    assert fit.estimator == "prais_winsten" and fit.breaks == (2012, 2015)
    assert fit.n_obs == 35


# --- the real run ------------------------------------------------------------


@pytest.mark.e2e
def test_real_run_has_no_rounding_noise_inference(ran):
    from pairing_audit.tables_in import read_table

    table = read_table(ran / "reports/its.csv")
    coef = table[table["std_err"].notna()]
    # no standard error at rounding level (step-like counts gave 1e-14 before)
    assert (coef["std_err"] > 1e-8 * coef["estimate"].abs().clip(lower=1)).all()
    joint = table[table["term"].str.startswith("joint_")]
    assert (joint["estimate"].dropna() < 1e8).all()  # no F of 1e27
    exact = table[table["note"].fillna("").str.contains("fitted exactly|exact fit")]
    assert len(exact) and exact[["std_err", "p_value", "p_holm"]].isna().all().all()
    assert set(exact["series"]) >= {"paired_poor_counties", "central_units"}


@pytest.mark.e2e
def test_real_run_roles_and_price_bases(ran):
    from pairing_audit.tables_in import read_table

    table = read_table(ran / "reports/its.csv")
    assert set(table["role"]) == {"primary", "sensitivity"}
    primary = table[table["role"] == "primary"]
    fits = primary.drop_duplicates(its.KEYS)
    assert fits.groupby(["table", "series"]).size().eq(1).all()
    assert set(fits["estimator"]) == {"prais_winsten"} and set(fits["breaks"]) == {"2012+2015"}
    assert set(fits["scale"]) == {"log"} and not fits["descriptive"].any()
    money = fits[fits["series"].isin(["central_special_fund", "direct_aid_funds"])]
    assert set(money["prices"]) == {"real"}
    span = table[table["prices"] == its.NOMINAL_ON_REAL_SPAN]
    assert set(span["series"]) == {"central_special_fund"}  # the only money series cut by the CPI
    assert set(span["n_obs"]) == {35}
    mde = read_table(ran / "reports/its_mde.csv")
    assert len(mde) == 2 * len(fits) and set(mde["break_year"]) == {2012, 2015}
