"""Growth rates on hand-computed toy examples."""

import math

import numpy as np
import pandas as pd
import pytest

from pairing_audit.growth import (
    cagr,
    doubling_time,
    growth_table,
    period_growth,
    trend_growth,
    yoy_changes,
)


def test_cagr_hand_values():
    assert cagr(100.0, 121.0, 2) == pytest.approx(10.0)  # 1.1^2 = 1.21
    assert cagr(8.0, 1.0, 3) == pytest.approx(-50.0)  # 0.5^3 = 1/8
    assert cagr(5.0, 0.0, 1) == pytest.approx(-100.0)


@pytest.mark.parametrize("args", [(0.0, 5.0, 3), (-1.0, 5.0, 3), (5.0, -1.0, 3), (5.0, 6.0, 0)])
def test_cagr_undefined_is_missing(args):
    assert math.isnan(cagr(*args))


def test_doubling_time():
    assert doubling_time(100.0) == pytest.approx(1.0)
    assert doubling_time(10.0) == pytest.approx(7.272540897341713)  # ln 2 / ln 1.1
    for g in (0.0, -5.0, float("nan")):
        assert math.isnan(doubling_time(g))


def test_trend_growth_hand_computed_with_ci():
    # ln y = [0, 1, 1, 2] at x = [0, 1, 2, 3]: Sxx = 5, Sxy = 3, b = 0.6,
    # residuals [-0.1, 0.3, -0.3, 0.1], SSR = 0.2, s^2 = 0.1, se(b) = sqrt(0.02),
    # t(0.975, 2) = 4.302652729749464.
    years = [2000, 2001, 2002, 2003]
    values = np.exp([0.0, 1.0, 1.0, 2.0])
    res = trend_growth(years, values)
    assert res["slope"] == pytest.approx(0.6)
    assert res["slope"] == pytest.approx(np.polyfit(years, np.log(values), 1)[0])
    half = 4.302652729749464 * math.sqrt(0.02)
    assert res["growth_pct"] == pytest.approx(100 * (math.exp(0.6) - 1))
    assert res["ci_low_pct"] == pytest.approx(100 * (math.exp(0.6 - half) - 1))
    assert res["ci_high_pct"] == pytest.approx(100 * (math.exp(0.6 + half) - 1))
    assert res["n_obs"] == 4


def test_trend_growth_matches_polyfit_on_noisy_series_with_gap():
    years = np.arange(2001, 2011)
    values = np.array([3.1, 3.3, np.nan, 4.2, 4.0, 5.1, 5.6, 5.5, 6.8, 7.0])
    keep = ~np.isnan(values)
    b = np.polyfit(years[keep], np.log(values[keep]), 1)[0]
    res = trend_growth(years, values)
    assert res["n_obs"] == 9
    assert res["growth_pct"] == pytest.approx(100 * math.expm1(b))
    assert res["ci_low_pct"] < res["growth_pct"] < res["ci_high_pct"]


def test_trend_growth_undefined_cases():
    assert math.isnan(trend_growth([1, 2], [1.0, 2.0])["growth_pct"])
    res = trend_growth([1, 2, 3], [0.0, 1.0, 2.0])
    assert math.isnan(res["growth_pct"]) and "non-positive" in res["note"]


def test_period_growth_negative_growth_has_no_doubling_time():
    res = period_growth([2000, 2001, 2002, 2003], [8.0, 4.0, 2.0, 1.0])
    assert res["cagr_pct"] == pytest.approx(-50.0)
    assert res["trend_pct"] == pytest.approx(-50.0)
    assert math.isnan(res["doubling_time_cagr_years"])
    assert math.isnan(res["doubling_time_trend_years"])
    assert "<= 0" in res["note"]


def test_period_growth_zero_growth_and_missing_ends():
    res = period_growth(
        [2000, 2001, 2002, 2003], [np.nan, 5.0, 5.0, 5.0], ["printed '-'", "", "", ""]
    )
    assert res["cagr_pct"] == pytest.approx(0.0)
    assert res["first_obs_year"] == 2001 and res["n_obs"] == 3 and res["n_years"] == 4
    assert math.isnan(res["doubling_time_cagr_years"])
    assert "2000 printed '-'" in res["note"]


def test_period_growth_zero_first_value():
    res = period_growth([2000, 2001, 2002], [0.0, 2.0, 4.0])
    assert math.isnan(res["cagr_pct"]) and math.isnan(res["trend_pct"])
    assert not np.isinf([v for v in res.values() if isinstance(v, float)]).any()


def _toy():
    return pd.DataFrame(
        {
            "table": 3,
            "series": "s",
            "unit": "100m_yuan",
            "prices": "nominal",
            "year": [2000, 2001, 2002, 2003, 2004],
            "value": [0.0, 5.0, 10.0, np.nan, 4.0],
            "note": ["", "", "", "printed '-'", ""],
        }
    )


def test_yoy_changes_zero_and_missing_base():
    yoy = yoy_changes(_toy()).set_index("year")
    assert math.isnan(yoy.loc[2000, "abs_change"]) and "no previous year" in yoy.loc[2000, "note"]
    # 0 -> 5: absolute change 5, percent change from a zero base is missing (not inf)
    assert yoy.loc[2001, "abs_change"] == 5.0
    assert math.isnan(yoy.loc[2001, "pct_change"]) and "zero base" in yoy.loc[2001, "note"]
    assert yoy.loc[2002, "pct_change"] == pytest.approx(100.0)  # 5 -> 10
    assert math.isnan(yoy.loc[2003, "pct_change"])
    assert (
        math.isnan(yoy.loc[2004, "pct_change"]) and "previous year missing" in yoy.loc[2004, "note"]
    )
    assert not np.isinf(yoy[["abs_change", "pct_change"]].to_numpy(dtype=float)).any()


def test_growth_table_layout_and_eras():
    eras = [
        {"id": "e3", "first_later_year": 2003, "tables": [3]},
        {"id": "other", "first_later_year": 2002, "tables": [4]},
    ]
    df = pd.concat([_toy(), _toy().assign(table=5)], ignore_index=True)
    out = growth_table(df, eras)
    t3 = out[out["table"] == 3]
    assert t3["row_type"].tolist() == ["yoy"] * 5 + ["period"] * 3
    periods = t3[t3["row_type"] == "period"].set_index("period")
    assert periods.index.tolist() == ["full", "e3_earlier", "e3_later"]
    assert periods.loc["e3_earlier", ["start_year", "end_year"]].tolist() == [2000, 2002]
    assert periods.loc["e3_later", ["start_year", "end_year", "n_years", "n_obs"]].tolist() == [
        2003, 2004, 2, 1
    ]  # fmt: skip
    # full span: first value 0, so CAGR is missing; the zero also blocks the log trend
    assert math.isnan(periods.loc["full", "cagr_pct"])
    assert math.isnan(periods.loc["full", "trend_pct"])
    # table 5 is in no era: full span only
    assert out[(out["table"] == 5) & (out["row_type"] == "period")]["period"].tolist() == ["full"]
    num = out.select_dtypes("number").to_numpy(dtype=float)
    assert not np.isinf(num).any()
