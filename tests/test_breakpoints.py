"""Multiple breaks: known answers from strucchange (tests/reference/, made by
make_breakpoints_reference.R), minimum segment rule, planted breaks, output shape."""

import itertools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pairing_audit import breakpoints as bp

REF = Path(__file__).parent / "reference"


def reference_samples():
    data = pd.read_csv(REF / "breakpoints_input.csv")
    for (table, series, prices), grp in data.groupby(["table", "series", "prices"]):
        grp = grp.sort_values("year")
        for scale in ("level", "log"):
            values = grp["value"].to_numpy(float)
            y = np.log(values) if scale == "log" else values
            yield (int(table), series, scale, prices), grp["year"].to_numpy(int), y


def _key(row):
    return (int(row["table"]), row["series"], row["scale"], row["prices"])


RSS_REF = pd.read_csv(REF / "breakpoints_rss.csv", keep_default_na=False)
CHOSEN_REF = pd.read_csv(REF / "breakpoints_chosen.csv", keep_default_na=False)
SAMPLES = list(reference_samples())


def test_reference_covers_three_series_two_scales():
    keys = {_key(r) for _, r in CHOSEN_REF.iterrows()}
    assert len({k[1] for k in keys}) >= 3 and {k[2] for k in keys} == {"level", "log"}
    assert len(keys) == len(SAMPLES)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: "-".join(map(str, s[0])))
def test_segmentations_match_strucchange(sample):
    key, _, y = sample
    ref = RSS_REF[[_key(r) == key for _, r in RSS_REF.iterrows()]]
    n = len(y)
    h = bp.min_segment(n, 0.15, 3)
    assert h == ref["h"].iloc[0]
    segs = bp.segmentations(y, h, 5)
    assert sorted(segs) == ref["m"].tolist()  # same maximum number of breaks
    for _, row in ref.iterrows():
        m = int(row["m"])
        breaks, rss = segs[m]
        # strucchange's index is the last pre-break observation (1-based) = the number
        # of observations before the break = our 0-based index of the first post one
        expected = [int(v) for v in str(row["breakpoints"]).split("+")] if m else []
        assert breaks == expected
        assert rss == pytest.approx(row["rss"], rel=1e-9)
        assert bp.bic(rss, n, m) == pytest.approx(row["bic"], rel=1e-9)
        assert bp.lwz(rss, n, m) == pytest.approx(row["lwz"], rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: "-".join(map(str, s[0])))
def test_chosen_breaks_and_intervals_match_strucchange(sample):
    key, years, y = sample
    ref = CHOSEN_REF[[_key(r) == key for _, r in CHOSEN_REF.iterrows()]].iloc[0]
    row = next(r for r in bp.breakpoint_rows(years, y, 0.15, 3, 5) if r["criterion"] == "BIC")
    assert row["n_breaks"] == ref["n_breaks"]
    assert row["h"] == ref["h"] and row["n"] == ref["n"]

    def years_of(cell):  # strucchange index j (last pre-break) -> first post-break year
        if cell == "":
            return ""
        return "+".join(
            "NA" if v == "NA" else str(ref["first_year"] + int(v)) for v in cell.split("+")
        )

    assert row["break_years"] == years_of(str(ref["breakpoints"]))
    assert row["ci_low"] == years_of(str(ref["ci_lower"]))
    assert row["ci_high"] == years_of(str(ref["ci_upper"]))


def test_pargmax_is_a_distribution_function():
    xs = [-200, -20, -2, -0.1, 0, 0.1, 2, 20, 200]
    for xi, phi1, phi2 in [(1, 1, 1), (0.5, 1, 2), (2, 0.3, 0.7)]:
        values = [bp.pargmax_v(x, xi, phi1, phi2) for x in xs]
        assert all(b >= a - 1e-12 for a, b in itertools.pairwise(values))
        assert values[0] < 0.01 and values[-1] > 0.99
    assert bp.pargmax_v(0.0) == pytest.approx(0.5)  # symmetric case


@pytest.mark.parametrize(("n", "h"), [(9, 3), (15, 3), (19, 3), (20, 3), (21, 4), (35, 6), (41, 7)])
def test_minimum_segment(n, h):
    assert bp.min_segment(n, 0.15, 3) == h


def test_planted_breaks_found_with_first_post_break_years():
    years = np.arange(1990, 2021)
    t = years - years[0]
    y = 1 + 0.5 * t + 8 * (years >= 2005) + 1.5 * (years - 2012) * (years >= 2012)
    y = y + np.random.default_rng(4).normal(0, 0.3, len(y))
    rows = {r["criterion"]: r for r in bp.breakpoint_rows(years, y, 0.15, 3, 5)}
    for crit in bp.CRITERIA:
        assert rows[crit]["n_breaks"] == 2
        assert rows[crit]["break_years"] == "2005+2012"
        lows = [int(v) for v in rows[crit]["ci_low"].split("+")]
        highs = [int(v) for v in rows[crit]["ci_high"].split("+")]
        assert lows[0] <= 2005 <= highs[0] and lows[1] <= 2012 <= highs[1]


def test_false_breaks_in_straight_lines_with_noise():
    # at n = 19, h = 3 BIC over-segments often; LWZ, with its heavier penalty, less
    years = np.arange(2002, 2021)
    found = {"BIC": 0, "LWZ": 0}
    for seed in range(40):
        y = 3 + 0.2 * (years - 2002) + np.random.default_rng(seed).normal(0, 0.5, len(years))
        for row in bp.breakpoint_rows(years, y, 0.15, 3, 5):
            found[row["criterion"]] += row["n_breaks"] > 0
            if row["n_breaks"] == 0:
                assert row["break_years"] == row["ci_low"] == row["ci_high"] == ""
    assert found["LWZ"] <= found["BIC"]
    assert found["BIC"] / 40 < 0.6 and found["LWZ"] / 40 < 0.3


def test_step_fitted_exactly_chooses_the_fewest_exact_breaks():
    years = np.arange(2002, 2021)
    y = np.where(years >= 2012, 832.0, 592.0)
    rows = bp.breakpoint_rows(years, y, 0.15, 3, 5)
    assert all(r["n_breaks"] == 1 and r["break_years"] == "2012" for r in rows)
    assert all(r["ci_low"] == "NA" for r in rows)  # zero variance: no interval


def test_table_columns_and_rows():
    models = {
        "series": [{"table": 4, "series": "a"}],
        "prices": ["nominal"],
        "scales": ["level", "log"],
        "breakpoints": {"trim": 0.15, "min_segment": 3, "max_breaks": 5},
    }
    years = np.arange(2002, 2021)
    prices = pd.DataFrame(
        {
            "table": 4,
            "series": "a",
            "year": years,
            "prices": "nominal",
            "value": np.exp(0.1 * (years - 2000)),
        }
    )
    prices.loc[prices["year"] >= 2012, "value"] *= 2
    out = bp.breakpoints_table(prices, models)
    assert list(out.columns) == [
        "series", "table", "scale", "prices", "n", "h", "criterion", "n_breaks",
        "break_years", "ci_low", "ci_high",
    ]  # fmt: skip
    assert out[["scale", "criterion"]].values.tolist() == [
        ["level", "BIC"], ["level", "LWZ"], ["log", "BIC"], ["log", "LWZ"]
    ]  # fmt: skip
    assert not math.isnan(out["n"].iloc[0])


def test_written_table_reads_back_with_declared_types(tmp_path):
    from pairing_audit.tables_in import read_table
    from pairing_audit.tables_out import write_csv

    row = {"series": "a", "table": 4, "scale": "log", "prices": "real", "n": 19, "h": 3}
    row |= {"criterion": "BIC", "n_breaks": 2, "break_years": "2012+2015"}
    row |= {"ci_low": "2011+NA", "ci_high": "2013+NA"}
    path = write_csv(pd.DataFrame([row], columns=bp.COLUMNS), tmp_path / "breakpoints.csv")
    back = read_table(path)
    assert back.loc[0, "ci_low"] == "2011+NA" and back.loc[0, "n_breaks"] == 2
