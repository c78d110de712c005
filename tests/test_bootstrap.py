"""Bootstrap of the primary tests: the vectorised Prais–Winsten equals the scalar one,
the statistics are the reported ones, the p-values behave, the merge into its.csv."""

import math

import numpy as np
import pandas as pd
import pytest

from pairing_audit import bootstrap as bt
from pairing_audit.errors import InputError
from pairing_audit.its import design_matrix, fit_its, joint_rows
from pairing_audit.prais_winsten import RHO_BOUND, prais_winsten

YEARS = np.arange(2002, 2021)
BREAKS = [2012, 2015]


def ar1(n, rho, seed, reps=1):
    rng = np.random.default_rng(seed)
    return bt.ar1_paths(rng.standard_normal((n, reps)), rho)


def trend_data(rho=0.4, seed=1, reps=8, years=YEARS, jump=0.0):
    X = design_matrix(years, BREAKS)
    mean = 3 + 0.1 * X["pre_slope"].to_numpy() + jump * X["level_change_2015"].to_numpy()
    return X, mean[:, None] + ar1(len(years), rho, seed, reps)


@pytest.mark.parametrize("rho", [-0.5, 0.0, 0.5, 0.95])
def test_batch_equals_scalar_prais_winsten(rho):
    X, Y = trend_data(rho=rho, seed=7)
    fit = bt.prais_winsten_batch(Y, X.to_numpy())
    for j in range(Y.shape[1]):
        ref = prais_winsten(Y[:, j], X.to_numpy())
        assert fit.rho[j] == pytest.approx(ref.rho, abs=1e-9)
        np.testing.assert_allclose(fit.params[j], ref.params, rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(fit.cov[j], ref.cov, rtol=1e-7, atol=1e-14)
        assert bool(fit.converged[j]) == ref.converged
    assert fit.df_resid == len(YEARS) - X.shape[1]


def test_batch_handles_rho_on_the_bound():
    # a random walk with a trend: the iteration runs into the clip bound
    rng = np.random.default_rng(3)
    X = design_matrix(YEARS, BREAKS).to_numpy()
    Y = np.cumsum(rng.standard_normal((len(YEARS), 30)), axis=0) * 5
    fit = bt.prais_winsten_batch(Y, X)
    for j in range(Y.shape[1]):
        ref = prais_winsten(Y[:, j], X)
        assert fit.rho[j] == pytest.approx(ref.rho, abs=1e-9)
        np.testing.assert_allclose(fit.params[j], ref.params, rtol=1e-7, atol=1e-8)
    assert (np.abs(fit.rho) <= RHO_BOUND).all()


def test_statistics_are_the_reported_tests():
    X, Y = trend_data(seed=11, reps=3, jump=0.3)
    fit = bt.prais_winsten_batch(Y, X.to_numpy())
    for j in range(Y.shape[1]):
        ref = fit_its(YEARS, Y[:, j], BREAKS, "prais_winsten")
        joint = {row["term"]: row["estimate"] for row in joint_rows(ref)}
        se = np.sqrt(np.diag(ref.cov.to_numpy()))
        for T in BREAKS:
            stats = bt.break_statistics(fit, list(X.columns), T)
            assert stats["joint"][j] == pytest.approx(joint[f"joint_{T}"], rel=1e-8)
            for kind in ("level_change", "slope_change"):
                i = list(X.columns).index(f"{kind}_{T}")
                t_ref = abs(ref.params.iloc[i]) / se[i]
                assert stats[kind][j] == pytest.approx(t_ref, rel=1e-8)


def test_sieve_errors_follow_the_ar1_recursion():
    resid = ar1(25, 0.5, 2)[:, 0]
    rng = np.random.default_rng(0)
    U = bt.ar1_sieve_errors(resid, 0.5, 400, rng)
    innov = bt.centred_innovations(resid, 0.5)
    e = U[1:] - 0.5 * U[:-1]  # every innovation is one of the centred residual innovations
    assert np.isin(np.round(e, 10), np.round(innov, 10)).all()
    assert np.isin(np.round(U[0] * math.sqrt(1 - 0.25), 10), np.round(innov, 10)).all()
    assert abs(innov.sum()) < 1e-12


def test_p_values_seeded_and_bounded():
    _, Y = trend_data(seed=5, reps=1)
    rows_a = bt.bootstrap_breaks(YEARS, Y[:, 0], BREAKS, 199, 42, "x")
    rows_b = bt.bootstrap_breaks(YEARS, Y[:, 0], BREAKS, 199, 42, "x")
    rows_c = bt.bootstrap_breaks(YEARS, Y[:, 0], BREAKS, 199, 42, "other series")
    assert rows_a == rows_b
    assert [r["p_boot"] for r in rows_a] != [r["p_boot"] for r in rows_c]
    assert [r["term"] for r in rows_a] == [
        f"{kind}_{T}" for T in BREAKS for kind in ("joint", "level_change", "slope_change")
    ]
    for row in rows_a:
        # p = (1 + #{T* >= T}) / (B + 1): a multiple of 1/200 in [1/200, 1]
        assert 1 / 200 <= row["p_boot"] <= 1
        assert row["p_boot"] * 200 == pytest.approx(round(row["p_boot"] * 200))


def test_planted_break_and_no_break():
    _, Y = trend_data(rho=0.2, seed=9, reps=1, jump=8.0)
    rows = {r["term"]: r for r in bt.bootstrap_breaks(YEARS, Y[:, 0], BREAKS, 999, 1, "k")}
    # (the null model, missing the break, has inflated rho: a few draws still beat it)
    assert rows["joint_2015"]["p_boot"] < 0.01
    assert rows["level_change_2015"]["p_boot"] < 0.01
    # no break anywhere: over several series the bootstrap p-values are not small
    ps = []
    for seed in range(8):
        _, Y = trend_data(rho=0.3, seed=100 + seed, reps=1)
        rows = bt.bootstrap_breaks(YEARS, Y[:, 0], BREAKS, 199, 1, "k")
        ps += [r["p_boot"] for r in rows if r["term"].startswith("joint")]
    assert np.median(ps) > 0.2


def test_bootstrap_is_more_conservative_than_the_nominal_test():
    # a short series with a moderate break: the F-test's nominal p is smaller than the
    # bootstrap's, the point of the bootstrap (the nominal test is too liberal)
    _, Y = trend_data(rho=0.5, seed=23, reps=1, jump=2.0)
    nominal = {
        r["term"]: r["p_value"]
        for r in joint_rows(fit_its(YEARS, Y[:, 0], BREAKS, "prais_winsten"))
    }
    boot = {
        r["term"]: r["p_boot"] for r in bt.bootstrap_breaks(YEARS, Y[:, 0], BREAKS, 999, 3, "k")
    }
    assert nominal["joint_2015"] < 0.05
    assert boot["joint_2015"] > nominal["joint_2015"]


def test_exact_fit_gets_no_p_value():
    y = design_matrix(YEARS, BREAKS).to_numpy() @ np.array([1.0, 0.2, 0.5, 0.0, -1.0, 0.1])
    rows = bt.bootstrap_breaks(YEARS, y, BREAKS, 99, 1, "k")
    assert all(math.isnan(r["p_boot"]) and r["note"] == bt.NOTE_EXACT for r in rows)


def test_holm_family_is_the_break_years_per_kind():
    keys = dict(series="s", table=4, scale="log", prices="real", breaks="2012+2015")
    keys["estimator"] = "prais_winsten"
    terms = ["joint_2012", "joint_2015", "level_change_2012", "level_change_2015"]
    boot = pd.DataFrame(
        [
            {**keys, "term": t, "p_boot": p}
            for t, p in zip(terms, [0.01, 0.04, 0.03, 0.5], strict=True)
        ]
    )
    holm = bt.holm_within_fit(boot).tolist()
    # joint family: 0.01 * 2, max(0.04, 0.02); level family: 0.03 * 2, max(0.5, 0.06)
    assert holm == pytest.approx([0.02, 0.04, 0.06, 0.5])


def _its_text(rows):
    return pd.DataFrame(rows).astype(str).replace("nan", "")


KEY = dict(series="s", table="4", scale="log", prices="real", breaks="2012+2015")


def test_merge_appends_p_boot_on_matching_rows_only():
    its = _its_text(
        [
            {
                **KEY,
                "estimator": "prais_winsten",
                "term": "joint_2012",
                "estimate": "2.5",
                "std_err": "",
                "p_value": "0.1",
            },
            {
                **KEY,
                "estimator": "prais_winsten",
                "term": "level_change_2012",
                "estimate": "-0.4",
                "std_err": "0.2",
                "p_value": "0.06",
            },
            {
                **KEY,
                "estimator": "ols_hc3",
                "term": "joint_2012",
                "estimate": "3",
                "std_err": "",
                "p_value": "0.05",
            },
        ]
    )
    boot = _its_text(
        [
            {
                **KEY,
                "estimator": "prais_winsten",
                "term": "joint_2012",
                "statistic": "2.5",
                "p_boot": "0.3",
                "p_boot_holm": "0.6",
            },
            {
                **KEY,
                "estimator": "prais_winsten",
                "term": "level_change_2012",
                "statistic": "2.0",
                "p_boot": "0.2",
                "p_boot_holm": "0.4",
            },
        ]
    )
    out = bt.merge_into_its(its, boot)
    assert list(out.columns) == [*its.columns, "p_boot", "p_boot_holm"]
    assert out["p_boot"].tolist() == ["0.3", "0.2", ""]
    assert out["p_boot_holm"].tolist() == ["0.6", "0.4", ""]
    assert out.drop(columns=["p_boot", "p_boot_holm"]).equals(its)


def test_merge_stops_when_the_statistic_is_not_the_reported_one():
    its = _its_text(
        [
            {
                **KEY,
                "estimator": "prais_winsten",
                "term": "joint_2012",
                "estimate": "2.5",
                "std_err": "",
                "p_value": "0.1",
            }
        ]
    )
    boot = _its_text(
        [
            {
                **KEY,
                "estimator": "prais_winsten",
                "term": "joint_2012",
                "statistic": "2.6",
                "p_boot": "0.3",
                "p_boot_holm": "0.6",
            }
        ]
    )
    with pytest.raises(InputError, match="differs from the reported test"):
        bt.merge_into_its(its, boot)


def test_merge_blanks_p_boot_where_no_test_is_reported():
    its = _its_text(
        [
            {
                **KEY,
                "estimator": "prais_winsten",
                "term": "joint_2012",
                "estimate": "",
                "std_err": "",
                "p_value": "",
            }
        ]
    )
    boot = _its_text(
        [
            {
                **KEY,
                "estimator": "prais_winsten",
                "term": "joint_2012",
                "statistic": "2.6",
                "p_boot": "0.3",
                "p_boot_holm": "0.6",
            }
        ]
    )
    assert bt.merge_into_its(its, boot)["p_boot"].tolist() == [""]


def test_exact_segment_gets_no_p_value():
    # constant for the ten years before 2012, noisy after: inference would be noise
    rng = np.random.default_rng(2)
    y = np.where(YEARS < 2012, 272.0, 300 + 5 * (YEARS - 2012) + rng.normal(0, 3, len(YEARS)))
    rows = bt.bootstrap_breaks(YEARS, y, BREAKS, 99, 1, "k")
    assert all(math.isnan(r["p_boot"]) and r["note"] == bt.NOTE_EXACT_SEGMENT for r in rows)


def test_spd_solve_agrees_with_lapack():
    # Gram matrices of Prais–Winsten-transformed designs, as in the bootstrap's iteration
    X = design_matrix(YEARS, BREAKS).to_numpy()
    rhos = np.linspace(-0.95, 0.95, 200)
    grams = np.stack([bt.ar1_transform(X, r).T @ bt.ar1_transform(X, r) for r in rhos])
    rhs = np.random.default_rng(5).standard_normal((len(rhos), X.shape[1]))
    got = bt.spd_solve(grams, rhs)
    want = np.linalg.solve(grams, rhs[..., None])[..., 0]
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


def test_spd_solve_gives_nan_for_a_singular_system():
    gram = np.array([[[1.0, 1.0], [1.0, 1.0]], [[2.0, 0.0], [0.0, 1.0]]])
    got = bt.spd_solve(gram, np.array([[1.0, 1.0], [2.0, 3.0]]))
    assert not np.isfinite(got[0]).all()
    np.testing.assert_allclose(got[1], [1.0, 3.0])


def test_large_batch_equals_scalar_prais_winsten():
    # enough columns for gls_beta's batched Cholesky path
    reps = 2 * bt.BATCHED_SOLVE_MIN
    X, Y = trend_data(rho=0.6, seed=11, reps=reps)
    fit = bt.prais_winsten_batch(Y, X.to_numpy())
    for j in range(reps):
        ref = prais_winsten(Y[:, j], X.to_numpy())
        assert fit.rho[j] == pytest.approx(ref.rho, abs=1e-9)
        np.testing.assert_allclose(fit.params[j], ref.params, rtol=1e-8, atol=1e-10)
        assert bool(fit.converged[j]) == ref.converged
