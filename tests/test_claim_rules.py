"""Issue 8/11 rules on small hand-made fixtures: evidence classes, refusals of
computations that check nothing, parts within wholes, trend ops, groups, the op
registry, printed components, and named errors for YAML and `expr` typos.

Every expected number is worked by hand in the comment next to it."""

from __future__ import annotations

import copy
import math
from decimal import Decimal

import pandas as pd
import pytest
import yaml

from pairing_audit.claim_ops import REGISTRY, _growth, evidence_of
from pairing_audit.claims import Data, breakdown, check_ledger
from pairing_audit.errors import InputError
from pairing_audit.ledger import claims_schema, load_ledger, validate_references

# T5 "fund" 2010-2016: rises each year except 2014 (flat); T5 "rise" rises every year
FUND = {2010: "1", 2011: "2", 2012: "3", 2013: "4", 2014: "4", 2015: "5", 2016: "6"}
SERIES = pd.DataFrame(
    [(5, "fund", y, v, "100m_yuan", "资金", "Fund") for y, v in FUND.items()]
    + [
        (5, "rise", y, str(2**i), "persons", "人数", "Rise")
        for i, y in enumerate(range(2010, 2017))
    ],
    columns=["table", "series", "year", "value_printed", "unit", "label_zh", "label_en"],
)
EVENTS = pd.DataFrame(
    {
        "event_id": ["e1", "e2", "e3", "e4", "e5", "e6"],
        "printed_order": [1, 2, 3, 4, 5, 6],
        "stage_id": ["early", "early", "late", "late", "late", "late"],
        "date_printed": ["1990", "2000", "2001", "2010", "2011", "2012"],
        "year": [1990, 2000, 2001, 2010, 2011, 2012],
    }
)
CHECKS = pd.DataFrame(columns=["recomputed"]).rename_axis("check_id")
DOCS = {
    "doc": {"file": "a.txt", "citation": "A", "language": "zh", "short_zh": "甲文"},
    # the same work's own English summary: not independent of "doc"
    "summary": {"file": "s.txt", "citation": "A (summary)", "language": "en", "work": "doc"},
    "other": {"file": "b.txt", "citation": "B", "language": "en", "work": "other"},
}


def claim(cid, printed, compute, unit="count", kind="internal_logic", **extra):
    return {
        "id": cid,
        "source": "doc",
        "location": "§1; Table 5",
        "kind": kind,
        "statement": "s",
        "printed": printed,
        "unit": unit,
        "qualifier": "exact",
        "compute": compute,
        **extra,
    }


def none(cid, printed, unit="count", source="doc"):
    made = claim(cid, printed, {"op": "none", "reason": "anchor for other claims"}, unit=unit)
    return made | {"source": source}


def run(*claims):
    data = Data(SERIES, EVENTS, CHECKS, about_tolerance=0.1)
    ledger = {"documents": DOCS, "claims": copy.deepcopy(list(claims))}
    return check_ledger(ledger, data).set_index("claim_id")


def validate(*claims):
    ledger = {"documents": DOCS, "claims": list(claims)}
    validate_references(ledger, "claims.yaml", SERIES, set(), set(EVENTS.event_id))


# --- evidence classes ---------------------------------------------------------------

TABLE_SUM = {
    "op": "expression",
    "expr": "a",
    "terms": {"a": {"table": 5, "series": "fund", "years": [2010, 2011], "agg": "sum"}},
}


def test_each_evidence_class():
    result = run(
        claim("from_table", "3", TABLE_SUM, unit="100m_yuan"),  # 1 + 2 = 3
        none("total", "10"),
        claim("from_statement", "7", {"op": "same_as", "claim": "total"}),  # 7 vs 10
        none("nothing", "4"),
    )
    assert result.at["from_table", "evidence"] == "table"
    assert result.at["from_table", "verdict"] == "reproduced"
    assert result.at["from_statement", "evidence"] == "statement"
    # a statement-evidence explanation names the claim it was held against
    assert "total" in result.at["from_statement", "explanation"]
    assert result.at["nothing", "evidence"] == "none"
    assert result.at["nothing", "verdict"] == "not_checkable"
    assert list(result.columns[result.columns.get_loc("verdict") + 1 :][:1]) == ["evidence"]


def test_evidence_none_is_never_anything_but_not_checkable():
    assert {op.evidence for op in REGISTRY.values()} <= {None, "table", "none"}
    # a comparison of two typed-in numbers (validation refuses it; the checker, if
    # called without validation, still never lets it pass as reproduced)
    typed = claim("typed", None, {"op": "compare", "left": "5", "relation": ">", "right": "3"})
    assert evidence_of(typed) == "none"
    result = run(typed, none("plain", "4"))
    assert result.loc[["typed", "plain"], "verdict"].eq("not_checkable").all()
    assert result.loc[["typed", "plain"], "evidence"].eq("none").all()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        # an enumeration typed into the ledger: 1 + 1 + 1
        (
            claim(
                "three_items",
                "3",
                {"op": "expression", "expr": "a + b + c", "terms": {"a": "1", "b": "1", "c": "1"}},
            ),
            r"claim three_items, column compute: every term is a number typed into the ledger",
        ),
        (
            claim("echo", "4", {"op": "expression", "expr": "a", "terms": {"a": "4"}}),
            r"claim echo, column compute: every term is a number typed",
        ),
        (
            claim("self", "4", {"op": "same_as", "claim": "self"}),
            r"claim self, column compute: the computation holds the claim's value against itself",
        ),
        (
            claim(
                "self_bound",
                "4",
                {"op": "compare", "left": {"claim": "self_bound"}, "relation": ">=", "right": "3"},
            ),
            r"claim self_bound, column compute: the computation holds the claim's value against itself",
        ),
        (
            claim(
                "two_dates",
                "5",
                {"op": "date_diff", "start": "2020-01-01", "end": "2020-01-06", "unit": "days"},
                unit="days",
            ),
            r"claim two_dates, column compute: every term is a number typed",
        ),
        (
            claim(
                "same_sides",
                None,
                {
                    "op": "compare",
                    "left": {"events": "count"},
                    "relation": "==",
                    "right": {"events": "count"},
                },
                unit="comparison",
            ),
            r"claim same_sides, column compute: both sides of the comparison are the same term",
        ),
    ],
)
def test_computations_that_check_nothing_are_refused(bad, message):
    with pytest.raises(InputError, match=message):
        validate(bad)


def test_printed_component_must_name_a_term():
    bad = claim("comp", "3", {**TABLE_SUM, "printed_components": {"z": "other"}})
    with pytest.raises(
        InputError, match=r"claim comp, column compute\.printed_components\.z: 'z' is not among"
    ):
        validate(none("other", "1"), bad)


def test_restating_a_number_from_its_own_passage_is_refused():
    first = none("four", "4")
    repeat = claim("four_again", "4", {"op": "same_as", "claim": "four"})
    with pytest.raises(
        InputError, match=r"claim four_again, column compute\.claim: restates claim four"
    ):
        validate(first, repeat)
    elsewhere = {**repeat, "location": "§5"}  # another passage: a consistency check
    validate(first, elsewhere)


def test_expression_that_does_not_parse_names_claim_and_field():
    bad = claim("typo", "3", {**TABLE_SUM, "expr": "100 * (a"})
    with pytest.raises(
        InputError, match=r"claim typo, column compute\.expr: expression .* does not parse"
    ):
        validate(bad)
    unknown = claim("typo2", "3", {**TABLE_SUM, "expr": "a + b"})
    with pytest.raises(InputError, match=r"claim typo2, column compute\.expr: .*'b'.*not among"):
        validate(unknown)
    call = claim("typo3", "3", {**TABLE_SUM, "expr": "abs(a)"})
    with pytest.raises(
        InputError,
        match=r"claim typo3, column compute\.expr: expression 'abs\(a\)': only \+ - \* /",
    ):
        validate(call)


# --- parts against wholes ---------------------------------------------------------


def parts(cid, part_ids, whole_id, **extra):
    compute = {
        "op": "parts_within_whole",
        "parts": {p: {"claim": p} for p in part_ids},
        "whole": {"claim": whole_id},
        **extra,
    }
    return claim(cid, None, compute)


def test_part_larger_than_whole_is_discrepant_with_the_arithmetic():
    # 419 + 860 + 5884 + 1209 = 8372 > 1015 (hand sum)
    result = run(
        none("critical", "419"),
        none("severe", "860"),
        none("moderate", "5884"),
        none("mild", "1209"),
        none("total", "1015"),
        parts("fit", ["critical", "severe", "moderate", "mild"], "total"),
    )
    row = result.loc["fit"]
    assert row.verdict == "discrepant" and row.evidence == "statement"
    assert row.computed_value == "8372"
    assert "exceed the whole by 7357" in row.explanation  # 8372 - 1015
    assert "419 (claim critical) + 860" in row.explanation and "= 8372" in row.explanation


def test_parts_within_whole_and_complete_wholes():
    result = run(
        none("a", "427.6"),
        none("b", "1005"),
        none("whole", "1432.6", source="other"),
        none("bigger", "1500", source="other"),
        parts("exact", ["a", "b"], "whole", complete=True),  # 427.6 + 1005 = 1432.6
        parts("inside", ["a", "b"], "bigger"),  # 1432.6 <= 1500
        parts("short", ["a", "b"], "bigger", complete=True),  # 67.4 short of 1500
    )
    assert result.at["exact", "verdict"] == "reproduced"
    assert result.at["inside", "verdict"] == "reproduced"
    assert result.at["short", "verdict"] == "discrepant"
    assert "fall short by 67.4" in result.at["short", "explanation"]


def test_shares_summing_over_100_percent():
    # 60 + 45 = 105 > 100: shares of one whole cannot both be right
    shares = claim(
        "shares",
        None,
        {
            "op": "parts_within_whole",
            "parts": {"x": {"claim": "x"}, "y": {"claim": "y"}},
            "whole": "100",
        },
        unit="percent",
    )
    result = run(none("x", "60", "percent"), none("y", "45", "percent"), shares)
    assert result.at["shares", "verdict"] == "discrepant"
    assert "exceed the whole by 5" in result.at["shares", "explanation"]
    assert result.at["shares", "number_kind"] == "percent"


# --- trends -------------------------------------------------------------------------


def monotone(cid, series, years):
    compute = {"op": "monotone", "table": 5, "series": series, "years": years}
    return claim(cid, None, compute | {"direction": "increase"}, unit="comparison")


def test_rose_every_year_and_the_full_span_row():
    result = run(
        monotone("window", "fund", [2010, 2013]),  # 1 < 2 < 3 < 4: rose every year
        monotone("flat", "fund", [2012, 2016]),  # 4 -> 4 in 2014: not every year
        monotone("always", "rise", [2012, 2016]),  # doubles each year, full span too
    )
    assert result.at["window", "verdict"] == "reproduced"
    assert result.at["flat", "verdict"] == "unsupported"
    assert "2014 (4 → 4)" in result.at["flat", "explanation"]
    # full span 2010-2016 has the flat 2014, so the window's verdict changes: second row
    assert result.at["window_full_span", "verdict"] == "unsupported"
    assert "flat_full_span" not in result.index  # same verdict over the full span
    assert "always_full_span" not in result.index
    assert result.at["window", "number_kind"] == "money"  # the series' unit
    assert result.at["always", "number_kind"] == "persons"


def faster(cid, series, years, after):
    compute = {"op": "growth_faster_after", "table": 5, "series": series}
    return claim(cid, None, compute | {"years": years, "after": after}, unit="comparison")


def test_grew_faster_after_by_cagr_and_trend():
    # rise: 1, 2, 4, 8, 16, 32, 64 doubles each year: 100% before and after, so
    # neither measure is higher after 2013
    # fund 2010-2012: 1, 2, 3 -> CAGR (3/1)^(1/2) - 1 = 73.2%; 2013-2016: 4, 4, 5, 6 ->
    # (6/4)^(1/3) - 1 = 14.5%: slower after
    series = pd.concat(
        [
            SERIES,
            pd.DataFrame(
                # speeds up: 10, 11, 12 then 20, 40, 80 (CAGR 9.5% before, 100% after)
                [
                    (5, "speed", y, v, "100m_yuan", "加速", "Speed")
                    for y, v in zip(
                        range(2010, 2016), ["10", "11", "12", "20", "40", "80"], strict=True
                    )
                ],
                columns=SERIES.columns,
            ),
        ]
    )
    data = Data(series, EVENTS, CHECKS)
    ledger = {
        "documents": DOCS,
        "claims": [
            faster("same", "rise", [2010, 2016], 2013),
            faster("slower", "fund", [2010, 2016], 2013),
            faster("quicker", "speed", [2010, 2015], 2013),
        ],
    }
    result = check_ledger(ledger, data).set_index("claim_id")
    assert result.at["same", "verdict"] == "unsupported"
    assert result.at["slower", "verdict"] == "unsupported"
    assert "CAGR 73.21% a year in 2010–2012 vs 14.47% after" in result.at["slower", "explanation"]
    assert result.at["quicker", "verdict"] == "reproduced"
    assert "by both measures" in result.at["quicker", "explanation"]


def test_growth_measures_by_hand():
    # ln values 0, 0, 0, 3 on years 0..3: slope = Sxy / Sxx = 4.5 / 5 = 0.9, so the
    # log-linear trend is 100 (e^0.9 - 1) = 145.96%; CAGR over 3 years: e^(3/3) - 1
    values = [(2000 + i, Decimal(repr(math.exp(v)))) for i, v in enumerate([0, 0, 0, 3])]
    rate, trend = _growth(values)
    assert rate == pytest.approx(100 * (math.e - 1), rel=1e-12)
    assert trend == pytest.approx(100 * math.expm1(0.9), rel=1e-12)
    # a zero value: the CAGR from a positive start is defined (-100%), the log trend not
    rate, trend = _growth([(2000, Decimal("4")), (2001, Decimal("2")), (2002, Decimal("0"))])
    assert rate == -100.0 and math.isnan(trend)
    assert all(math.isnan(x) for x in _growth([(2000, Decimal("0")), (2001, Decimal("1"))]))


def test_more_often_since():
    # 1990-2009: 1990, 2000, 2001 = 3 programmes in 20 years (0.15 a year);
    # 2010-2012: 2010, 2011, 2012 = 3 in 3 years (1 a year)
    compute = {"op": "more_often_since", "years": [1990, 2012], "after": 2010}
    result = run(claim("often", None, compute, unit="comparison"))
    assert result.at["often", "verdict"] == "reproduced"
    assert "3 in 20 years (0.15 a year)" in result.at["often", "explanation"]
    late = {"op": "more_often_since", "years": [2011, 2012], "after": 2012}
    result = run(claim("late", None, late, unit="comparison"))
    # 2011: 1 a year; 2012: 1 a year -> not more often; full span 1990-2012: 5 in 22
    # years (0.227) vs 1 -> more often, so a second row with the other verdict
    assert result.at["late", "verdict"] == "unsupported"
    assert result.at["late_full_span", "verdict"] == "reproduced"


def test_stage_boundaries_one_rule_for_every_boundary():
    def boundary(cid, year, stage, side):
        compute = {"op": "stage_boundary", "stage": stage, "side": side}
        return claim(cid, year, compute, unit="year", group="stages")

    result = run(
        boundary("early_start", "1990", "early", "start"),
        boundary("early_end", "2000", "early", "end"),
        # late programmes from 2001; a late start in 2005 leaves 2001 outside it
        boundary("late_start", "2005", "late", "start"),
        boundary("late_end", "2012", "late", "end"),
    )
    # consistent with the grouping, but a grouping cannot pin a boundary year
    assert result.loc[["early_start", "early_end", "late_end"], "verdict"].eq("not_checkable").all()
    assert result.at["early_start", "explanation"].startswith("consistent: every Table 1 programme")
    assert result.at["late_start", "verdict"] == "unsupported"
    assert "2001 (late)" in result.at["late_start", "explanation"]


def test_one_group_one_op():
    first = claim("a", "2017", {"op": "table_date", "event": "e1"}, unit="year", group="g")
    other = none("other", "2017", "year")
    second = claim("b", "2017", {"op": "same_as", "claim": "other"}, unit="year", group="g")
    with pytest.raises(
        InputError, match=r"claim b, column compute\.op: group 'g' is checked with op 'table_date'"
    ):
        validate(first, other, second)
    # an item with nothing to check it against may be op none within the group
    nothing = claim("c", "2016", {"op": "none", "reason": "no table row"}, unit="year", group="g")
    validate(first, nothing)


# --- registry, schema, breakdown, labels -----------------------------------------------


def test_schema_ops_come_from_the_registry():
    schema = claims_schema()
    assert schema["$defs"]["compute"]["properties"]["op"]["enum"] == list(REGISTRY)
    assert len(schema["$defs"]["compute"]["allOf"]) == len(REGISTRY)
    for op in REGISTRY.values():
        assert op.rule and op.check


def test_printed_components_give_a_named_rounding():
    # rise 2010-2012 has mean (1 + 2 + 4) / 3 = 2.3333, printed rounded as 2.3 (made up);
    # 100 * fund 2010 / mean = 100 / 2.3333 = 42.857 -> 42.9, not 43.5 under any convention;
    # with the printed 2.3: 100 / 2.3 = 43.478 -> 43.5 half-up
    share = claim(
        "share",
        "43.5",
        {
            "op": "expression",
            "expr": "100 * a / b",
            "terms": {
                "a": {"table": 5, "series": "fund", "years": [2010, 2010], "agg": "value"},
                "b": {"table": 5, "series": "rise", "years": [2010, 2012], "agg": "mean"},
            },
            "printed_components": {"b": "b_printed"},
        },
        unit="percent",
    )
    result = run(none("b_printed", "2.3", "persons"), share)
    row = result.loc["share"]
    assert row.verdict == "rounding"
    assert "b = 2.3 as printed (claim b_printed)" in row.explanation
    assert row.computed_value == "42.857"


def test_a_printed_component_that_is_itself_off_passes_its_error_on():
    # fund 2011-2012 = 2 + 3 = 5 exactly, printed 4.6 (made up): 100 * 1 / 5 = 20.0 is
    # not 21.7; 100 / 4.6 = 21.739 -> 21.7, but 4.6 is no rounding of 5: no `rounding`
    share = claim(
        "share",
        "21.7",
        {
            "op": "expression",
            "expr": "100 * a / b",
            "terms": {
                "a": {"table": 5, "series": "fund", "years": [2010, 2010], "agg": "value"},
                "b": {"table": 5, "series": "fund", "years": [2011, 2012], "agg": "sum"},
            },
            "printed_components": {"b": "b_printed"},
        },
        unit="percent",
    )
    # one printed number for the sum b + c: fund 2010 + (2011 + 2012) = 1 + 5 = 6;
    # printed 7 = 1 + 6 with the sum printed as 6 (made up, itself off by one)
    total = claim(
        "total",
        "7",
        {
            "op": "expression",
            "expr": "a + (b + c)",
            "terms": {
                "a": {"table": 5, "series": "fund", "years": [2010, 2010], "agg": "value"},
                "b": {"table": 5, "series": "fund", "years": [2011, 2011], "agg": "value"},
                "c": {"table": 5, "series": "fund", "years": [2012, 2012], "agg": "value"},
            },
            "printed_components": {"b + c": "sum_printed"},
        },
    )
    result = run(none("b_printed", "4.6", "100m_yuan"), none("sum_printed", "6"), share, total)
    for cid, off in (
        ("share", "4.6 as printed (claim b_printed), which itself differs from the exact 5"),
        (
            "total",
            "b + c = 6 as printed (claim sum_printed), which itself differs from the exact 5",
        ),
    ):
        row = result.loc[cid]
        assert row.verdict == "discrepant" and row.explained == True  # noqa: E712
        assert off in row.explanation and "inherits its error" in row.explanation
    # a component key must be a parenthesised sum of the expression
    wrong = copy.deepcopy(total)
    wrong["compute"]["printed_components"] = {"a + b": "sum_printed"}
    with pytest.raises(InputError, match="not a parenthesised sum"):
        validate(none("sum_printed", "6"), wrong)


def test_breakdown_and_labels():
    result = run(
        claim("from_table", "3", TABLE_SUM, unit="100m_yuan"),
        none("total", "10"),
        claim("from_statement", "7", {"op": "same_as", "claim": "total"}),
    ).reset_index()
    counts = breakdown(result)
    assert list(counts.columns) == ["source", "evidence", "number_kind", "verdict", "claims"]
    assert counts.claims.sum() == 3 and counts.equals(
        counts.sort_values(list(counts.columns[:4])).reset_index(drop=True)
    )
    label = result.set_index("claim_id").at["from_table", "label_zh"]
    assert label == "甲文 表5 资金 亿元"


# --- YAML errors name file and line ----------------------------------------------------


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    path = tmp_path / "claims.yaml"
    # line 4 opens a quote that never closes: the scanner stops at the end (line 5)
    path.write_text("documents: {}\nclaims:\n  - id: a\n    printed: '3\n", encoding="utf-8")
    with pytest.raises(
        InputError, match=r"claims\.yaml: row 5, column 1: YAML syntax error at line 5"
    ):
        load_ledger(path)
    path.write_text("documents: {}\nclaims: [\n  {id: a, printed: 3\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"claims\.yaml: row \d+, column \d+: YAML syntax error"):
        load_ledger(path)


def test_ledger_uses_the_c_loader_when_available():
    from pairing_audit import ledger

    assert ledger.YAML_LOADER is getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def test_readme_lists_every_op_with_its_rule():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Claim ops and the rule each applies")[1].split("\n## ")[0]
    for name, op in REGISTRY.items():
        assert f"| `{name}` |" in section and op.rule.replace("|", "/") in section
    assert readme.index("## Claim ops and the rule each applies") < readme.index(
        "## Reading the report"
    )


def test_real_ledger_documents_have_chinese_short_names():
    from pathlib import Path

    ledger = load_ledger(Path(__file__).resolve().parents[1] / "config/claims.yaml")
    assert all(doc.get("short_zh") for doc in ledger["documents"].values())
    assert len(ledger["claims"]) >= 366


def test_part_against_a_stated_share_of_a_whole():
    # 86.1% of 1015 = 873.915 (hand); 805 fits, 900 exceeds it by 26.085
    share = {"op": "parts_within_whole", "whole": {"claim": "total"}}
    share |= {"whole_share": {"claim": "share"}}
    result = run(
        none("total", "1015", source="other"),
        none("share", "86.1", "percent"),
        none("early", "805"),
        none("late", "900"),
        claim("fits", None, share | {"parts": {"early": {"claim": "early"}}}),
        claim("too_many", None, share | {"parts": {"late": {"claim": "late"}}}),
    )
    assert result.at["fits", "verdict"] == "reproduced"
    assert "86.1% (claim share) of 1015 (claim total) = 873.915" in result.at["fits", "explanation"]
    assert result.at["too_many", "verdict"] == "discrepant"
    assert "exceed the whole by 26.085" in result.at["too_many", "explanation"]


def test_adding_an_op_touches_only_the_registry(tmp_path):
    from pairing_audit.claim_ops import ClaimOp, Outcome, Verdict, register

    def check_even(claim, data):
        even = int(claim["printed"]) % 2 == 0
        return Outcome(
            claim["printed"], Verdict("reproduced" if even else "unsupported", "parity"), ""
        )

    register(
        ClaimOp(
            name="toy_even",
            rule="A toy op: the printed number is even.",
            properties={"why": {"type": "string"}},
            required=("why",),
            check=check_even,
            evidence="table",
        )
    )
    try:
        ledger = {
            "documents": DOCS,
            "claims": [claim("four", "4", {"op": "toy_even", "why": "a test"})],
        }
        path = tmp_path / "claims.yaml"
        path.write_text(yaml.safe_dump(ledger, allow_unicode=True), encoding="utf-8")
        loaded = load_ledger(path)  # the schema knows the op and its fields
        validate_references(loaded, path, SERIES, set(), set())
        assert run(*loaded["claims"]).at["four", "verdict"] == "reproduced"
        bad = copy.deepcopy(ledger)
        bad["claims"][0]["compute"]["because"] = "x"
        path.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
        with pytest.raises(InputError, match=r"claim four, column compute"):
            load_ledger(path)
    finally:
        REGISTRY.pop("toy_even")


# --- re-audit rules (issue 8b) ------------------------------------------------------


def test_an_exact_part_that_fits_its_whole_is_consistent_not_reproduced():
    # 805 <= 1015 is necessary, not sufficient: an exact count is not confirmed by it
    result = run(
        none("total", "1015", source="other"),
        parts_of_self("early", "805", "total"),
        parts_of_self("too_many", "1200", "total"),  # 1200 > 1015: cannot both be right
        parts_of_self("at_least", "805", "total", qualifier="at_least"),
    )
    row = result.loc["early"]
    assert (row.verdict, row.evidence) == ("not_checkable", "statement")
    assert "consistent with claim total: 805 ≤ 1015" in row.explanation
    assert "a bound cannot confirm an exact count" in row.explanation
    assert result.at["too_many", "verdict"] == "discrepant"
    assert "exceed the whole by 185" in result.at["too_many", "explanation"]  # 1200 - 1015
    # 'at least 805' is itself a bound: a bound can reproduce it
    assert result.at["at_least", "verdict"] == "reproduced"


def parts_of_self(cid, printed, whole, qualifier="exact"):
    compute = {"op": "parts_within_whole", "parts": {"part": {"claim": cid}}}
    made = claim(cid, printed, compute | {"whole": {"claim": whole}})
    return made | {"qualifier": qualifier}


def test_a_comparison_with_the_claims_own_exact_number_is_only_a_bound():
    def bigger(cid, printed, other):
        compute = {"op": "compare", "left": {"claim": cid}, "relation": ">"}
        return claim(cid, printed, compute | {"right": {"claim": other}})

    result = run(
        none("before", "52", source="other"),
        bigger("widened", "63", "before"),  # 63 > 52 holds, but 63 itself is unconfirmed
        bigger("shrunk", "40", "before"),  # 40 > 52 fails
        claim(
            "relation",
            None,
            {
                "op": "compare",
                "left": {"claim": "widened"},
                "relation": ">",
                "right": {"claim": "before"},
            },
            unit="comparison",
        ),
    )
    assert result.at["widened", "verdict"] == "not_checkable"
    assert result.at["widened", "evidence"] == "statement"
    assert "a bound cannot confirm an exact count" in result.at["widened", "explanation"]
    assert result.at["shrunk", "verdict"] == "unsupported"
    # a comparison that is the statement itself (no number of its own) is reproduced
    assert result.at["relation", "verdict"] == "reproduced"


def test_a_bracketed_project_year_within_the_programmes_span():
    def within(cid, printed, first, last):
        compute = {"op": "year_within", "first": {"claim": first}, "last": {"claim": last}}
        return claim(cid, printed, compute, unit="year", kind="cross_document")

    result = run(
        none("start", "1992", "year"),
        none("end", "2011", "year"),
        within("inside", "2003", "start", "end"),  # 1992 <= 2003 <= 2011
        within("outside", "1973", "start", "end"),
        within("point", "1992", "start", "start"),  # a one-year span is an exact check
    )
    assert result.at["inside", "verdict"] == "not_checkable"
    assert "1992 ≤ 2003 ≤ claim end = 2011" in result.at["inside", "explanation"]
    assert "a bound cannot confirm an exact year" in result.at["inside", "explanation"]
    assert result.at["outside", "verdict"] == "discrepant"
    assert "1973 is not in 1992–2011" in result.at["outside", "explanation"]
    assert result.at["point", "verdict"] == "reproduced"


def test_another_authors_periodisation_is_never_a_fact_either_way():
    def phase(cid, printed, other, span):
        compute = {"op": "other_periodisation", "claim": other, "span": span}
        return claim(cid, printed, compute, unit="year", kind="cross_document")

    result = run(
        none("their_start", "2012", "year"),
        phase("differs", "1990", "their_start", [1990, 1999]),
        phase("agrees", "2012", "their_start", [2012, 2012]),
    )
    for cid in ("differs", "agrees"):
        row = result.loc[cid]
        assert (row.verdict, row.evidence) == ("not_checkable", "none")
        assert "a different periodisation, not a fact either way" in row.explanation
    assert (
        "gives 2012; this statement's words mean 1990–1999" in result.at["differs", "explanation"]
    )


def test_a_restatement_takes_the_check_of_its_first_printing():
    first = claim("first", "3", TABLE_SUM)  # fund 2010-2011 = 1 + 2 = 3
    again = claim("again", "3", {"op": "same_as", "claim": "first"}) | {"location": "§4"}
    with pytest.raises(InputError, match="a second printing is checked as the first"):
        validate(first, again)
    # a first printing that nothing checks may still be restated with same_as
    validate(
        none("plain", "3"),
        claim("plain_b", "3", {"op": "same_as", "claim": "plain"}) | {"location": "§4"},
    )
    # the restatement checked like the first printing is held against the table
    result = run(first, claim("again", "4", TABLE_SUM) | {"location": "§4"})
    assert (result.at["again", "verdict"], result.at["again", "evidence"]) == (
        "discrepant",
        "table",
    )


def two_term_sum(cid, printed):
    compute = {
        "op": "expression",
        "expr": "a + b",
        "terms": {
            "a": {"table": 5, "series": "fund", "years": [2011, 2013], "agg": "sum"},
            "b": {"table": 5, "series": "rise", "years": [2011, 2013], "agg": "sum"},
        },
    }
    return claim(cid, printed, compute)


def test_the_explanation_search_never_mixes_windows_within_one_sum():
    # a + b over 2011-2013 = (2+3+4) + (2+4+8) = 23. Moving only a's first year to 2010
    # gives 10 + 14 = 24 (a mixed window: no explanation); moving both gives 10 + 15 = 25
    result = run(two_term_sum("mixed", "24"), two_term_sum("shared", "25"))
    assert result.at["mixed", "verdict"] == "discrepant"
    assert result.at["mixed", "explained"] == False  # noqa: E712 (a pandas cell)
    assert "a with first year" not in result.at["mixed", "explanation"]
    assert result.at["shared", "explained"] == True  # noqa: E712
    assert (
        "Table 5 Fund 2011–2013 and Table 5 Rise 2011–2013 with first year 2010 instead of 2011 gives 25"
        in result.at["shared", "explanation"]
    )


def test_printed_components_explain_a_truncation_too():
    # rise 2010-2016 has mean 127 / 7 = 18.142857, printed rounded as 18 (made up);
    # 18.142857 + 2.45 = 20.592857: "20" only by truncation (half-up 21); with the
    # printed 18: 18 + 2.45 = 20.45 -> 20 half-up, a faithful rounded component
    mean = {"table": 5, "series": "rise", "years": [2010, 2016], "agg": "mean"}
    compute = {"op": "expression", "expr": "a + b", "terms": {"a": mean, "b": "2.45"}}
    with_parts = claim("with", "20", compute | {"printed_components": {"a": "a_printed"}})
    # rise 2010-2016 = 127, printed as 120 (made up, not a rounding of 127):
    # (127 + 30) / 100 = 1.57 -> "1.5" by truncation; (120 + 30) / 100 = 1.50 -> 1.5
    total = {"table": 5, "series": "rise", "years": [2010, 2016], "agg": "sum"}
    off = {"op": "expression", "expr": "(a + b) / 100", "terms": {"a": total, "b": "30"}}
    result = run(
        none("a_printed", "18"),
        none("a_off", "120"),
        claim("without", "20", compute),
        with_parts,
        claim("off", "1.5", off | {"printed_components": {"a": "a_off"}}),
    )
    assert result.at["without", "verdict"] == "rounding"
    assert "truncation" in result.at["without", "explanation"]
    assert result.at["without", "explained"] == False  # noqa: E712
    row = result.loc["with"]
    assert row.verdict == "rounding" and row.explained == True  # noqa: E712
    assert "a = 18 as printed (claim a_printed)" in row.explanation
    assert "truncating the exact value would also give 20" in row.explanation
    row = result.loc["off"]  # stays a truncation; the build-up from 120 is named
    assert row.verdict == "rounding" and row.explained == True  # noqa: E712
    assert "only by truncation" in row.explanation
    assert "which itself differs from the exact 127" in row.explanation


def test_the_full_span_row_says_it_is_our_reading():
    result = run(monotone("window", "fund", [2010, 2013]))
    row = result.loc["window_full_span"]
    assert "OUR sensitivity reading over the table's full span 2010–2016" in row.statement
    assert "not the paper's claim" in row.statement
    assert "a sensitivity row, not a finding against the paper" in row.explanation
    assert "covers 2010–2013 (row window)" in row.explanation


def test_a_document_agreeing_with_itself_confirms_nothing():
    """Two printings of one number in one document: agreement is not_checkable (no
    independent evidence), a contradiction is discrepant; across documents agreement
    still reproduces."""
    from pairing_audit.claim_ops import REGISTRY

    first = {"id": "a", "source": "doc1", "printed": "843.8", "qualifier": "exact"}
    first["compute"] = {"op": "none", "reason": "anchor"}
    works = {"doc1": "w1", "doc1_en": "w1", "doc2": "w2"}
    data = type("D", (), {"claims": {"a": first}, "about_tolerance": 0.1, "works": works})()

    def check(source, printed):
        claim = {
            "id": "b",
            "source": source,
            "printed": printed,
            "qualifier": "exact",
            "compute": {"op": "same_as", "claim": "a"},
        }
        return REGISTRY["same_as"].check(claim, data).verdict.verdict

    assert check("doc1", "843.8") == "not_checkable"
    assert check("doc1", "843.9") == "discrepant"
    assert check("doc2", "843.8") == "reproduced"
    # the work's own English summary is the same work: agreeing confirms nothing
    assert check("doc1_en", "843.8") == "not_checkable"
    assert check("doc1_en", "843.9") == "discrepant"


# --- re-audit 2 rules (issue 8c) ------------------------------------------------------


def test_a_works_own_summary_agreeing_with_it_confirms_nothing():
    """`same_as` between two documents of one work (ledger field `work`) is judged as
    within one document: agreement not_checkable, contradiction discrepant."""
    same = {"op": "same_as", "claim": "start"}
    result = run(
        none("start", "1978", "year"),
        claim("summary_same", "1978", same, unit="year") | {"source": "summary"},
        claim("summary_off", "1979", same, unit="year") | {"source": "summary"},
        claim("other_same", "1978", same, unit="year") | {"source": "other"},
    )
    row = result.loc["summary_same"]
    assert (row.verdict, row.evidence) == ("not_checkable", "statement")
    assert "the same work (another part of it)" in row.explanation
    assert result.at["summary_off", "verdict"] == "discrepant"
    assert "parts of one work contradict" in result.at["summary_off", "explanation"]
    assert result.at["other_same", "verdict"] == "reproduced"  # another work: independent


def test_a_restatement_in_the_same_passage_of_one_work_is_refused():
    # doc and summary are one work: a same_as at one location restates its own passage
    first = none("first", "19")
    again = claim("again", "19", {"op": "same_as", "claim": "first"}) | {"source": "summary"}
    with pytest.raises(InputError, match=r"claim again.*same passage"):
        validate(first, again)
    validate(first, again | {"source": "other"})  # another work may restate it


def test_the_work_field_is_validated(tmp_path):
    docs = copy.deepcopy(DOCS)
    docs["summary"]["work"] = "Not A Work Id"
    path = tmp_path / "claims.yaml"
    path.write_text(yaml.safe_dump({"documents": docs, "claims": []}), encoding="utf-8")
    with pytest.raises(InputError, match=r"documents.summary.work"):
        load_ledger(path)


def test_a_necessary_condition_from_one_works_own_numbers_confirms_nothing():
    # 805 <= 86.1% of 1015 = 873.915 (hand) holds, but all three numbers are one work's
    share = {"op": "parts_within_whole", "whole": {"claim": "total"}}
    share |= {"whole_share": {"claim": "share"}, "parts": {"early": {"claim": "early"}}}
    relation = {"op": "compare", "left": {"claim": "provinces"}, "relation": ">="}
    result = run(
        none("total", "1015"),
        none("share", "86.1", "percent", source="summary"),  # same work, other document
        none("early", "805"),
        none("late", "900"),
        none("provinces", "19"),
        none("cities", "16"),
        none("cities_other", "16", source="other"),
        claim("fits", None, share),
        claim("too_many", None, share | {"parts": {"late": {"claim": "late"}}}),
        claim("one_each", None, relation | {"right": {"claim": "cities"}}, unit="comparison"),
        claim(
            "one_each_x", None, relation | {"right": {"claim": "cities_other"}}, unit="comparison"
        ),
    )
    row = result.loc["fits"]
    assert (row.verdict, row.evidence) == ("not_checkable", "statement")
    assert row.explanation.startswith("consistent: 805 ≤ 873.915")
    assert "a necessary condition cannot confirm the numbers" in row.explanation
    # 900 > 873.915 by 26.085: a failed necessary condition is a finding
    assert result.at["too_many", "verdict"] == "discrepant"
    assert "exceed the whole by 26.085" in result.at["too_many", "explanation"]
    assert result.at["one_each", "verdict"] == "not_checkable"  # 19 >= 16, one work
    assert result.at["one_each_x", "verdict"] == "reproduced"  # 16 from another work


def test_a_subset_against_its_whole_in_table_cells_is_a_table_check():
    # fund 2012-2013 = 3 + 4 = 7 <= fund 2010-2016 = 1+2+3+4+4+5+6 = 25 (hand)
    cells = {
        "op": "parts_within_whole",
        "parts": {"subset": {"table": 5, "series": "fund", "years": [2012, 2013], "agg": "sum"}},
        "whole": {"table": 5, "series": "fund", "years": [2010, 2016], "agg": "sum"},
    }
    row = run(claim("subset", None, cells, unit="100m_yuan")).loc["subset"]
    assert (row.verdict, row.evidence) == ("reproduced", "table")
    assert "7" in row.explanation and "25" in row.explanation


def test_a_duration_from_one_works_own_dates_is_consistency_only():
    # 2020-02-09 to 2020-03-17: 8 days left in February 2020 (29 days) + 17 = 37 (hand)
    diff = {"op": "date_diff", "start": {"claim": "start"}, "unit": "days"}
    events = pd.DataFrame(
        {
            "event_id": ["t1_2020_2_9", "t1_2020_3_17"],
            "printed_order": [1, 2],
            "stage_id": ["late", "late"],
            "date_printed": ["2020-2-9", "2020-3-17"],
            "programme_en": ["launch", "withdrawal"],
            "year": [2020, 2020],
            "month": [2, 3],
            "day": [9, 17],
        }
    )
    ledger = {
        "documents": DOCS,
        "claims": [
            claim("start", "2020-02-09", {"op": "table_date", "event": "t1_2020_2_9"}, "date"),
            none("end", "2020-03-17", "date"),
            none("end_other", "2020-03-17", "date", source="other"),
            claim("end_table", "2020-03-17", {"op": "table_date", "event": "t1_2020_3_17"}, "date"),
            claim("own", "40", diff | {"end": {"claim": "end"}}, "days") | {"qualifier": "within"},
            claim("too_long", "30", diff | {"end": {"claim": "end"}}, "days"),
            claim("other", "40", diff | {"end": {"claim": "end_other"}}, "days")
            | {"qualifier": "within"},
            claim("tabled", "40", diff | {"end": {"claim": "end_table"}}, "days")
            | {"qualifier": "within"},
        ],
    }
    result = check_ledger(ledger, Data(SERIES, events, CHECKS)).set_index("claim_id")
    row = result.loc["own"]  # only the start date is in a table: consistency only
    assert (row.verdict, row.computed_value) == ("not_checkable", "37")
    assert row.explanation.startswith("consistent with the work's own dates")
    assert result.at["too_long", "verdict"] == "discrepant"  # 37 or 38 days is not 30
    assert result.at["other", "verdict"] == "reproduced"  # the end date from another work
    assert result.at["tabled", "verdict"] == "reproduced"  # a table confirms both dates


def test_a_judgement_is_appended_to_the_explanation(tmp_path):
    judged = claim("judged", "3", TABLE_SUM) | {"judgement": "holds only if read narrowly"}
    row = run(judged).loc["judged"]  # fund 2010-2011 = 1 + 2 = 3
    assert row.verdict == "reproduced"
    assert row.explanation.endswith("; judgement: holds only if read narrowly")
    path = tmp_path / "claims.yaml"
    path.write_text(yaml.safe_dump({"documents": DOCS, "claims": [judged]}), encoding="utf-8")
    load_ledger(path)  # the schema knows the field


def test_an_expression_from_one_works_own_numbers_is_consistency_only():
    """2012 - 30 = 1982 (hand). From the work's own printed numbers only: consistent,
    not confirmed; with one term from another work it reproduces; a miss stays a miss."""
    minus = {"op": "expression", "expr": "a - b"}
    result = run(
        none("since", "2012", unit="year"),
        none("span", "30", unit="count"),
        none("span_other", "30", unit="count", source="other"),
        claim(
            "own",
            "1982",
            minus | {"terms": {"a": {"claim": "since"}, "b": {"claim": "span"}}},
            "year",
        ),
        claim(
            "wrong",
            "1980",
            minus | {"terms": {"a": {"claim": "since"}, "b": {"claim": "span"}}},
            "year",
        ),
        claim(
            "mixed",
            "1982",
            minus | {"terms": {"a": {"claim": "since"}, "b": {"claim": "span_other"}}},
            "year",
        ),
    )
    assert result.at["own", "verdict"] == "not_checkable"
    assert "confirms nothing" in result.at["own", "explanation"]
    assert result.at["wrong", "verdict"] == "discrepant"
    assert result.at["mixed", "verdict"] == "reproduced"
