"""Era comparisons on hand-computed toy series."""

import math

import numpy as np
import pandas as pd
import pytest

from pairing_audit.eras import compare_eras, era_comparisons, headline_sensitivity
from pairing_audit.prices import chain_cpi_index, deflate_series

YEARS = [2000, 2001, 2002, 2003, 2004]
VALUES = [1.0, 2.0, 3.0, 4.0, 10.0]


def test_compare_eras_hand_computed():
    # earlier 2000-2002: total 6, mean 2; later 2003-2004: total 14, mean 7
    r = compare_eras(YEARS, VALUES, 2003)
    assert (r["earlier_start"], r["earlier_end"], r["later_start"], r["later_end"]) == (
        2000, 2002, 2003, 2004
    )  # fmt: skip
    assert (r["n_years_earlier"], r["n_years_later"]) == (3, 2)
    assert (r["n_obs_earlier"], r["n_obs_later"]) == (3, 2)
    assert r["total_earlier"] == 6.0 and r["total_later"] == 14.0 and r["total_all"] == 20.0
    assert r["mean_earlier"] == 2.0 and r["mean_later"] == 7.0
    assert r["later_share_pct"] == pytest.approx(70.0)
    assert r["ratio_totals"] == pytest.approx(14 / 6)
    assert r["ratio_means"] == pytest.approx(3.5)
    assert r["complete"] is True and r["note"] == ""


def test_printed_dash_makes_comparison_incomplete():
    values = [1.0, 2.0, 3.0, np.nan, np.nan]
    notes = ["", "", "", "printed '-'", "printed '-'"]
    r = compare_eras(YEARS, values, 2002, notes)
    assert r["complete"] is False
    assert (r["n_obs_earlier"], r["n_obs_later"]) == (2, 1)
    for key in ("total_earlier", "total_later", "total_all", "later_share_pct", "ratio_totals",
                "ratio_means", "mean_later"):  # fmt: skip
        assert math.isnan(r[key]), key
    assert "2003–2004 printed '-'" in r["note"] and "not computed" in r["note"]


def _toy_series():
    return pd.DataFrame(
        {
            "table": 3,
            "series": "fund",
            "year": [1999, 2000, 2001, 2002, 2003],
            "value": [5.0, 10.0, 11.0, 13.2, 6.0],
            "value_printed": ["5", "10", "11", "13.2", "6"],
            "unit": "100m_yuan",
        }
    )


def test_real_terms_incomplete_before_cpi():
    # CPI 2000 = 1 -> 2001 = 1.1 -> 2002 = 1.32 -> 2003 = 0.66; base 2002.
    cpi = chain_cpi_index(
        pd.DataFrame({"year": [2001, 2002, 2003], "cpi_inflation_pct": [10.0, 20.0, -50.0]}), 2002
    )
    prices = deflate_series(_toy_series(), cpi, base_year=2002, money_unit="100m_yuan")
    eras = [{"id": "split2002", "first_later_year": 2002, "tables": [3]}]
    out = era_comparisons(prices, eras).set_index("prices")
    nominal, real = out.loc["nominal"], out.loc["real"]
    # nominal: earlier 1999-2001 = 5 + 10 + 11 = 26; later 2002-2003 = 13.2 + 6 = 19.2
    assert nominal["total_earlier"] == pytest.approx(26.0)
    assert nominal["total_later"] == pytest.approx(19.2)
    assert nominal["later_share_pct"] == pytest.approx(100 * 19.2 / 45.2)
    assert nominal["ratio_totals"] == pytest.approx(19.2 / 26)
    assert nominal["ratio_means"] == pytest.approx((19.2 / 2) / (26 / 3))
    assert bool(nominal["complete"]) is True
    # real: 1999 has no CPI -> earlier era incomplete, no partial totals
    assert bool(real["complete"]) is False
    assert real["n_obs_earlier"] == 2 and real["n_years_earlier"] == 3
    assert math.isnan(real["total_earlier"]) and math.isnan(real["total_all"])
    assert math.isnan(real["later_share_pct"]) and math.isnan(real["ratio_totals"])
    assert "1999 no CPI before 2000" in real["note"] and "not computed" in real["note"]


def test_era_comparisons_only_listed_tables_and_order():
    df = pd.concat(
        [
            _toy_series().assign(prices="nominal", note=""),
            _toy_series().assign(table=6, prices="nominal", note=""),
        ],
        ignore_index=True,
    )
    eras = [
        {"id": "b", "first_later_year": 2001, "tables": [3]},
        {"id": "a", "first_later_year": 2002, "tables": [3]},
    ]
    out = era_comparisons(df, eras)
    assert out["table"].unique().tolist() == [3]
    assert out["comparison"].tolist() == ["b", "a"]  # config order


def test_headline_sensitivity():
    rows = []
    for table, series in ((3, "central_special_fund"), (4, "direct_aid_funds"),
                          (4, "attracted_funds"), (4, "training")):  # fmt: skip
        for prices in ("nominal", "real"):
            rows.append(
                pd.DataFrame(
                    {
                        "table": table,
                        "series": series,
                        "year": YEARS,
                        "unit": "100m_yuan",
                        "prices": prices,
                        "value": VALUES,
                        "note": "",
                    }
                )
            )
    eras = [{"id": "split2003", "first_later_year": 2003, "tables": [3, 4]}]
    eras_df = era_comparisons(pd.concat(rows, ignore_index=True), eras)
    sens = headline_sensitivity(eras_df)
    assert sens["claim_key"].tolist() == [
        "t3_share_2012_2020", "t3_share_2012_2020",
        "t4_direct_aid_ratio", "t4_direct_aid_ratio",
        "t4_attracted_ratio", "t4_attracted_ratio",
    ]  # fmt: skip
    assert sens["prices"].tolist() == ["nominal", "real"] * 3
    assert sens["value"].tolist() == pytest.approx([70.0, 70.0] + [14 / 6] * 4)
    assert {"comparison", "complete", "note"} <= set(sens.columns)


def test_an_era_pair_can_start_after_the_data():
    df = pd.DataFrame(
        {
            "table": 3,
            "series": "s",
            "unit": "100m_yuan",
            "prices": "nominal",
            "year": [2000, 2001, 2002, 2003],
            "value": [100.0, 1.0, 2.0, 3.0],
            "note": "",
        }
    )
    era = {"id": "x", "label": "x", "first_later_year": 2002, "first_year": 2001, "tables": [3]}
    row = era_comparisons(df, [era]).iloc[0]
    # 2000 is left out: earlier era 2001 only (1.0), later 2002-2003 (5.0)
    assert (row.earlier_start, row.total_earlier, row.total_later) == (2001, 1.0, 5.0)
    assert row.later_share_pct == pytest.approx(100 * 5 / 6)
