"""The claim checker on a small fixture: every verdict class, explanations, ledger typos."""

from __future__ import annotations

import copy

import pandas as pd
import pytest
import yaml

from pairing_audit.claims import Data, check_ledger, verdict_counts
from pairing_audit.errors import InputError
from pairing_audit.ledger import load_ledger, validate_references

SERIES = pd.DataFrame(
    [
        # table 9, "fund": 2010-2013; "other": a sibling series in the same unit
        *[
            (5, "fund", y, v, "100m_yuan", "Fund")
            for y, v in [(2010, "1.00"), (2011, "2.00"), (2012, "3.00"), (2013, "4.00")]
        ],
        *[
            (5, "other", y, v, "100m_yuan", "Other")
            for y, v in [(2010, "1"), (2011, "1"), (2012, "1"), (2013, "7")]
        ],
    ],
    columns=["table", "series", "year", "value_printed", "unit", "label_en"],
)
EVENTS = pd.DataFrame({"year": [2008, 2009, 2012, 2013]})
CHECKS = pd.DataFrame(
    [
        {
            "check_id": "t5_total_2010_2013_fund",
            "recomputed": "10.00",
            "first_year": 2010,
            "last_year": 2013,
        }
    ]
).set_index("check_id")


def term(years, series="fund", agg="sum"):
    return {"table": 5, "series": series, "years": years, "agg": agg}


def claim(
    cid, printed, compute, kind="text_vs_table", unit="100m_yuan", qualifier="exact", source="doc_a"
):
    return {
        "id": cid,
        "source": source,
        "location": "§1",
        "kind": kind,
        "statement": "s",
        "printed": printed,
        "unit": unit,
        "qualifier": qualifier,
        "compute": compute,
    }


LEDGER = {
    "documents": {
        "doc_a": {"file": "a.txt", "citation": "A", "language": "zh"},
        "doc_b": {"file": "b.txt", "citation": "B", "language": "en"},
    },
    "claims": [
        claim(
            "total",
            "10.00",
            {"op": "table_check", "check_id": "t5_total_2010_2013_fund"},
            kind="table_total",
        ),
        # 7/10 = 70%: reproduced
        claim(
            "share",
            "70",
            {
                "op": "expression",
                "expr": "100 * a / b",
                "terms": {"a": term([2012, 2013]), "b": term([2010, 2013])},
            },
            unit="percent",
        ),
        # 3.5/2 = 1.75: printed 1.7 is truncation -> rounding
        claim(
            "ratio_trunc",
            "1.7",
            {
                "op": "expression",
                "expr": "a / b",
                "terms": {
                    "a": term([2012, 2013], agg="mean"),
                    "b": term([2011, 2011], agg="value"),
                },
            },
            unit="times",
        ),
        # printed 4.00 for 2012-2013 mean... actually the 2013 value: explained by a moved boundary
        claim(
            "later_sum",
            "4.00",
            {"op": "expression", "expr": "a", "terms": {"a": term([2012, 2013])}},
        ),
        # nothing nearby gives 99: discrepant without explanation
        claim("wild", "99", {"op": "expression", "expr": "a", "terms": {"a": term([2010, 2013])}}),
        claim(
            "more_events",
            None,
            {
                "op": "compare",
                "left": {"events": "count", "years": [2012, 2013]},
                "relation": ">",
                "right": {"events": "count", "years": [2008, 2011]},
            },
            unit="comparison",
            kind="internal_logic",
        ),
        claim(
            "year_a",
            "1979",
            {"op": "none", "reason": "only for cross-reference below"},
            unit="year",
            kind="not_checkable",
        ),
        claim(
            "year_b",
            "1978",
            {"op": "same_as", "claim": "year_a"},
            unit="year",
            kind="cross_document",
            source="doc_b",
        ),
        claim(
            "day_one",
            "2020-01-23",
            {"op": "none", "reason": "a date another claim counts from"},
            unit="date",
            kind="not_checkable",
            source="doc_a",  # another work's dates: a duration from them is a check
        ),
        claim(
            "day_two",
            "2020-04-08",
            {"op": "none", "reason": "a date another claim counts to"},
            unit="date",
            kind="not_checkable",
            source="doc_a",
        ),
        # a duration between two dates that other statements give: statement evidence
        claim(
            "days",
            "76",
            {
                "op": "date_diff",
                "start": {"claim": "day_one"},
                "end": {"claim": "day_two"},
                "unit": "days",
            },
            unit="days",
            kind="internal_logic",
            source="doc_b",
        ),
        claim(
            "over",
            "9",
            {"op": "expression", "expr": "a", "terms": {"a": term([2010, 2013])}},
            qualifier="over",
        ),
    ],
}


def checked(ledger=LEDGER):
    data = Data(SERIES, EVENTS, CHECKS, about_tolerance=0.1)
    return check_ledger(copy.deepcopy(ledger), data).set_index("claim_id")


def test_every_verdict_class():
    result = checked()
    assert result.at["total", "verdict"] == "reproduced"
    assert (
        result.at["share", "verdict"] == "reproduced"
        and result.at["share", "computed_value"] == "70"
    )
    assert result.at["ratio_trunc", "verdict"] == "rounding"
    # 1.75: a tie, so round-half-down gives 1.7 as well; half-even gives 1.8
    assert (
        "only by truncation / round-half-down at a tie (half-up gives 1.8)"
        in result.at["ratio_trunc", "explanation"]
    )
    assert result.at["wild", "verdict"] == "discrepant"
    assert result.at["more_events", "verdict"] == "unsupported"  # 2 events vs 2 events
    assert result.at["year_a", "verdict"] == "not_checkable"
    assert result.at["year_b", "verdict"] == "discrepant"
    assert (
        result.at["days", "verdict"] == "reproduced"
        and "exclusive" in result.at["days", "explanation"]
    )
    assert result.at["over", "verdict"] == "reproduced"


def test_discrepancy_with_and_without_an_explanation():
    result = checked()
    # 2012-2013 sums to 7.00; the 2013 value alone (boundary moved to 2013) gives 4.00
    assert result.at["later_sum", "verdict"] == "discrepant"
    assert result.at["later_sum", "explained"] == True  # noqa: E712 (pandas object column)
    assert (
        "later era starting 2013 instead of 2012 gives 4.00"
        in result.at["later_sum", "explanation"]
    )
    assert result.at["wild", "explained"] == False  # noqa: E712
    assert "no nearby computation" in result.at["wild", "explanation"]


def test_sibling_series_explains_a_copied_figure():
    ledger = copy.deepcopy(LEDGER)
    # 'other' 2013 share of its total is 70%; 'fund' gives 40%: printed 70 is the sibling's
    ledger["claims"] = [
        claim(
            "sib",
            "70",
            {
                "op": "expression",
                "expr": "100 * a / b",
                "terms": {"a": term([2013, 2013]), "b": term([2010, 2013])},
            },
            unit="percent",
        )
    ]
    result = checked(ledger)
    assert result.at["sib", "verdict"] == "discrepant"
    assert "Table 5 Other instead of Fund gives 70" in result.at["sib", "explanation"]


def test_counts_keep_every_verdict_column():
    counts = verdict_counts(checked().reset_index(), ["doc_a", "doc_b"]).set_index("source")
    assert counts.at["doc_b", "discrepant"] == 1 and counts.at["doc_b", "reproduced"] == 1
    # 10 fixture claims name doc_a (8, plus the two dates day_one and day_two)
    assert counts.loc["doc_a"].drop("total").sum() == counts.at["doc_a", "total"] == 10


def write(tmp_path, ledger):
    path = tmp_path / "claims.yaml"
    path.write_text(yaml.safe_dump(ledger, allow_unicode=True), encoding="utf-8")
    return path


def test_real_schema_accepts_fixture(tmp_path):
    load_ledger(write(tmp_path, LEDGER))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda c: c["compute"]["terms"]["a"].update(series="fnud"),
            r"claim share, column compute\.terms\.a\.series: unknown series 'fnud'",
        ),
        (
            lambda c: c["compute"]["terms"]["a"].update(years=[2012, 2014]),
            r"claim share, column compute\.terms\.a\.years: years 2012–2014 outside the data",
        ),
    ],
)
def test_reference_typos_name_claim_and_field(tmp_path, mutate, message):
    ledger = copy.deepcopy(LEDGER)
    mutate(ledger["claims"][1])
    path = write(tmp_path, ledger)
    with pytest.raises(InputError, match=message):
        validate_references(load_ledger(path), path, SERIES, set(CHECKS.index), set())


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda c: c.update(printed="74,2"), r"claim share, column printed: '74,2' does not match"),
        (
            lambda c: c.update(qualifier="roughly"),
            r"claim share, column qualifier: 'roughly' is not one of",
        ),
        (lambda c: c["compute"].update(op="sum"), r"claim share, column compute\.op"),
        (
            lambda c: c["compute"]["terms"]["a"].update(agg="median"),
            r"claim share, column compute\.terms\.a",
        ),
    ],
)
def test_schema_typos_name_claim_and_field(tmp_path, mutate, message):
    ledger = copy.deepcopy(LEDGER)
    mutate(ledger["claims"][1])
    with pytest.raises(InputError, match=message):
        load_ledger(write(tmp_path, ledger))


def test_unknown_check_and_claim_references(tmp_path):
    ledger = copy.deepcopy(LEDGER)
    ledger["claims"][0]["compute"]["check_id"] = "t5_total_2010_2014_fund"
    path = write(tmp_path, ledger)
    with pytest.raises(InputError, match=r"claim total, column compute\.check_id: no table check"):
        validate_references(load_ledger(path), path, SERIES, set(CHECKS.index), set())
    ledger = copy.deepcopy(LEDGER)
    ledger["claims"][7]["compute"]["claim"] = "year_z"
    assert ledger["claims"][7]["id"] == "year_b"
    path = write(tmp_path, ledger)
    with pytest.raises(InputError, match=r"claim year_b, column compute\.claim: unknown claim"):
        validate_references(load_ledger(path), path, SERIES, set(CHECKS.index), set())


def test_a_year_left_out_of_a_sum_is_found():
    ledger = copy.deepcopy(LEDGER)
    # 2010-2013 sums to 10.00; without 2012 it is 7.00
    # (searched only for precise figures: four significant digits here)
    ledger["claims"] = [
        claim("gap", "7.000", {"op": "expression", "expr": "a", "terms": {"a": term([2010, 2013])}})
    ]
    result = checked(ledger)
    assert result.at["gap", "verdict"] == "discrepant"
    # the explanation names the term in words, not by its ledger name
    assert "Table 5 Fund 2010–2013 without 2012 gives 7.000" in result.at["gap", "explanation"]
    ledger["claims"][0]["printed"] = "7.00"  # three digits: too coarse to search gaps
    assert "without" not in checked(ledger).at["gap", "explanation"]


def test_failed_cross_document_comparison_is_discrepant_not_unsupported():
    ledger = copy.deepcopy(LEDGER)
    ledger["claims"] = [
        claim(
            "y",
            "2011",
            {"op": "none", "reason": "a year stated by another document"},
            unit="year",
            kind="not_checkable",
        ),
        claim(
            "z",
            "1990",
            {"op": "compare", "left": {"claim": "y"}, "relation": "<=", "right": "1994"},
            unit="year",
            kind="cross_document",
            source="doc_b",
        ),
    ]
    assert checked(ledger).at["z", "verdict"] == "discrepant"


def test_duration_with_a_qualifier():
    ledger = copy.deepcopy(LEDGER)
    ledger["claims"] = [
        claim("start", "2020-02-09", {"op": "none", "reason": "anchor date only"}, unit="date"),
        # the end date from another work, so the duration is more than the work's own
        claim(
            "end",
            "2020-03-17",
            {"op": "none", "reason": "anchor date only"},
            unit="date",
            source="doc_b",
        ),
        claim(
            "within",
            "40",
            {
                "op": "date_diff",
                "start": {"claim": "start"},
                "end": {"claim": "end"},
                "unit": "days",
            },
            unit="days",
            qualifier="within",
            kind="internal_logic",
        ),
    ]
    result = checked(ledger)
    assert (
        result.at["within", "verdict"] == "reproduced"
        and result.at["within", "computed_value"] == "37"
    )
