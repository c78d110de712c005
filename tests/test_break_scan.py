"""Break-date scan: trimming, Chow F, locating a planted break, seeded bootstrap."""

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from pairing_audit import break_scan as bs
from pairing_audit.its import design_matrix

SCAN = {"trim": 0.15, "min_obs_side": 3, "n_boot": 99, "seed": 20221118, "placebo_before": 2012}


def series(first=1991, last=2020, brk=2012, jump=6.0, dslope=1.0, rho=0.3, seed=2):
    years = np.arange(first, last + 1)
    rng = np.random.default_rng(seed)
    e = np.zeros(len(years))
    for i in range(len(years)):
        e[i] = (rho * e[i - 1] if i else 0.0) + rng.normal()
    post = years >= brk
    return years, 5 + 0.5 * (years - first) + jump * post + dslope * (years - brk) * post + e


@pytest.mark.parametrize("n", [9, 19, 20, 35, 41])
def test_trimming_rules(n):
    years = np.arange(2000, 2000 + n)
    cands = bs.candidate_years(years, 0.15, 3)
    need = max(3, math.ceil(0.15 * n - 1e-9))
    assert cands, "every length here has admissible years"
    for T in cands:
        before, after = (years < T).sum(), (years >= T).sum()
        assert before >= need and after >= need
    # and nothing admissible is left out
    assert cands[0] == years[need] and cands[-1] == years[n - need]


def test_trimming_examples():
    assert bs.candidate_years(np.arange(2001, 2021), 0.15, 3) == list(range(2004, 2019))
    assert bs.candidate_years(np.arange(1980, 2021), 0.15, 3)[0] == 1987  # ceil(6.15) = 7
    assert bs.candidate_years(np.arange(2012, 2017), 0.15, 3) == []  # 5 points


def test_f_stat_is_chow_against_no_break_ols():
    years, y = series()
    out = bs.scan(years, y, [2008, 2012])
    r0 = sm.OLS(y, design_matrix(years, []).to_numpy()).fit()
    for _, row in out.iterrows():
        r1 = sm.OLS(y, design_matrix(years, [int(row["candidate_year"])]).to_numpy()).fit()
        f = ((r0.ssr - r1.ssr) / 2) / (r1.ssr / r1.df_resid)
        assert row["ssr"] == pytest.approx(r1.ssr, rel=1e-9)
        assert row["aic"] == pytest.approx(r1.aic, rel=1e-9)
        assert row["f_stat"] == pytest.approx(f, rel=1e-9)


@pytest.mark.parametrize("brk", [2009, 2012, 2015])
def test_planted_break_located(brk):
    years, y = series(brk=brk)
    out = bs.scan_window(years, y, SCAN)
    assert out.loc[out["is_sup_f"], "candidate_year"].item() == brk
    assert out["is_sup_f"].sum() == 1
    assert out.loc[out["candidate_year"] == brk, "f_rank"].item() == 1
    assert out["sup_f_p_boot"].iloc[0] == pytest.approx(1 / (SCAN["n_boot"] + 1))


def test_no_break_not_significant():
    years, y = series(jump=0.0, dslope=0.0, seed=4)
    boot = bs.sup_f_bootstrap(years, y, bs.candidate_years(years, 0.15, 3), 99, 1)
    assert boot["sup_f_p_boot"] > 0.1


def test_bootstrap_reproducible_given_seed():
    years, y = series(jump=0.5, dslope=0.1)
    cands = bs.candidate_years(years, 0.15, 3)
    a = bs.sup_f_bootstrap(years, y, cands, 199, 123)
    b = bs.sup_f_bootstrap(years, y, cands, 199, 123)
    assert a == b
    c = bs.sup_f_bootstrap(years, y, cands, 199, 124)
    assert c["sup_f"] == a["sup_f"] and c["rho_boot"] == a["rho_boot"]  # only draws differ
    assert 0 < a["sup_f_p_boot"] <= 1


def test_bootstrap_rho_from_break_model_residuals():
    years, y = series(rho=0.0, jump=15.0, seed=9)
    boot = bs.sup_f_bootstrap(years, y, bs.candidate_years(years, 0.15, 3), 19, 0)
    # An unmodelled jump would make no-break residuals look highly autocorrelated.
    r0 = sm.OLS(y, design_matrix(years, []).to_numpy()).fit().resid
    rho_null = (r0[1:] @ r0[:-1]) / (r0[:-1] @ r0[:-1])
    assert rho_null > 0.5 and abs(boot["rho_boot"]) < 0.4


def prices():
    rows = []
    years, y = series(first=2002)
    rows += [(4, "cadres", int(t), "nominal", v) for t, v in zip(years, y, strict=False)]
    years, y = series(first=2012, brk=2015, seed=5)
    rows += [(5, "ew", int(t), "nominal", v) for t, v in zip(years, y, strict=False)]
    return pd.DataFrame(rows, columns=["table", "series", "year", "prices", "value"])


CFG = {
    "series": [
        {"table": 4, "series": "cadres"},
        {"table": 5, "series": "ew", "break_specs": ["2015"]},
    ],
    "scales": ["level", "log"],
    "prices": ["nominal", "real"],
    "break_scan": SCAN,
}


def test_break_scan_table_windows_and_determinism():
    out = bs.break_scan_table(prices(), CFG)
    windows = out.groupby(["series", "scale"])["window"].agg(lambda w: tuple(sorted(set(w))))
    assert windows[("cadres", "level")] == ("full", "placebo_pre2012")
    assert windows[("ew", "level")] == ("full",)  # no pre-2012 years: placebo skipped
    placebo = out[out["window"] == "placebo_pre2012"]
    assert placebo["candidate_year"].max() < 2012 and (placebo["n_obs"] == 10).all()
    assert placebo["candidate_year"].tolist()[:2] == [2005, 2006]  # 3 obs before
    per_window = out.groupby(["series", "scale", "prices", "window"])
    assert (per_window["is_sup_f"].sum() == 1).all()
    assert (per_window["sup_f_p_boot"].nunique() == 1).all()
    assert set(out["seed"]) == {SCAN["seed"]} and set(out["n_boot"]) == {SCAN["n_boot"]}
    pd.testing.assert_frame_equal(out, bs.break_scan_table(prices(), CFG))


def test_exact_step_and_constant_windows():
    years = np.arange(2002, 2021)
    step = np.where(years >= 2012, 592.0, 481.0)
    out = bs.scan_window(years, step, SCAN)
    sup = out[out["is_sup_f"]]
    assert sup["candidate_year"].item() == 2012 and np.isinf(sup["f_stat"].item())
    assert sup["sup_f_p_boot"].item() == pytest.approx(1 / (SCAN["n_boot"] + 1))
    assert "exact fit" in sup["note"].item()
    const = bs.scan_window(years[:10], step[:10], SCAN)  # placebo window: 481 throughout
    assert not const["is_sup_f"].any() and const["f_stat"].isna().all()
    assert const["sup_f_p_boot"].isna().all() and "nothing to scan" in const["note"].iloc[0]


def test_fast_bootstrap_f_equals_annihilator_f():
    years, y = series(first=1986, rho=0.6, seed=5)
    cands = bs.candidate_years(years, 0.15, 3)
    m0, m1 = bs._residual_makers(years, cands)
    Y = y[:, None] + np.random.default_rng(1).standard_normal((len(y), 50)).cumsum(axis=0)
    _, slow = bs._f_stats(m0, m1, Y)
    fast = bs._f_stats_fast(m0, bs._break_bases(years, cands, m0), Y)
    np.testing.assert_allclose(fast, slow, rtol=1e-9)


def test_configured_draws_are_at_least_4999():
    import yaml

    from conftest import ROOT

    cfg = yaml.safe_load((ROOT / "config/config.yaml").read_text(encoding="utf-8"))["models"]
    assert cfg["break_scan"]["n_boot"] >= 4999 and cfg["bootstrap"]["n_boot"] >= 4999
