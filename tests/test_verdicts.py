"""The rounding-interval rule and the qualifier rules."""

from decimal import Decimal as D

import pytest

from pairing_audit.verdicts import (
    EVIDENCE_DEFINITIONS,
    ROUNDING_DEFINITION_EN,
    ROUNDING_DEFINITION_ZH,
    VERDICT_DEFINITIONS,
    VERDICTS,
    judge_duration,
    judge_number,
    judge_same,
)


@pytest.mark.parametrize(
    ("printed", "computed", "verdict"),
    [
        ("74.2", D("74.2016"), "reproduced"),
        ("74.2", D("74.15"), "reproduced"),  # half-up: lower edge is inside
        ("74.2", D("74.25"), "rounding"),  # rounds to 74.3 but truncates to 74.2
        # one unit off in the last digit is no rounding convention (issue 8): a miss
        ("74.2", D("74.1499"), "discrepant"),
        ("74.2", D("74.0"), "discrepant"),
        ("33.30", D("33.3"), "reproduced"),  # trailing zero: two decimals
        ("33.30", D("33.2951"), "reproduced"),
        ("33.30", D("33.2949"), "discrepant"),
        ("33.30", D("33.2849"), "discrepant"),
        ("67", D("65.85"), "discrepant"),  # 66 at printed precision: a miss, not rounding
        ("67", D("64.9"), "discrepant"),
        ("11607", D("11606"), "discrepant"),  # exact integers: no rounding to blame
        ("6937.69", D("6937.64"), "discrepant"),
        ("4.2", D("4.2025"), "reproduced"),
        ("4.95", D("4.9571"), "rounding"),  # 4.96 rounded, 4.95 truncated
    ],
)
def test_exact_rounding_interval(printed, computed, verdict):
    assert judge_number(printed, computed, "exact", 0.1).verdict == verdict


@pytest.mark.parametrize(
    ("printed", "computed", "qualifier", "verdict"),
    [
        ("19625", D("19625.72"), "over", "reproduced"),
        # below the bound under every convention: rounded it is 19625, not above it
        ("19625", D("19624.9"), "over", "discrepant"),
        ("19625", D("19000"), "over", "discrepant"),
        ("300", D("300"), "at_least", "reproduced"),
        ("300", D("299.6"), "at_least", "rounding"),
        ("300", D("299"), "at_least", "discrepant"),
        ("200", D("198.7"), "about", "reproduced"),
        ("300", D("272"), "around", "reproduced"),  # 9.3% below, inside ±10%
        ("300", D("260"), "around", "discrepant"),
        ("10", D("9.5"), "within", "reproduced"),
        ("10", D("10.4"), "within", "rounding"),
        ("10", D("12"), "within", "discrepant"),
    ],
)
def test_qualifiers(printed, computed, qualifier, verdict):
    assert judge_number(printed, computed, qualifier, 0.10).verdict == verdict


def test_about_tolerance_is_a_setting():
    assert judge_number("300", D("272"), "around", 0.05).verdict == "discrepant"


def test_same_fact_in_two_documents():
    assert judge_same("1979", "1978", 0.1, "exact").verdict == "discrepant"
    assert judge_same("2020-02", "2020-02-09", 0.1, "exact").verdict == "reproduced"
    assert judge_same("2020-02-10", "2020-02-09", 0.1, "exact").verdict == "discrepant"
    assert judge_same("19", "19", 0.1, "exact").verdict == "reproduced"
    assert judge_same("19", "16", 0.1, "exact").verdict == "discrepant"
    assert judge_same("13.7", "13.1", 0.1, "exact").verdict == "discrepant"
    assert judge_same("1.2", "1.1", 0.1, "about").verdict == "reproduced"


def test_durations_inclusive_and_exclusive():
    inclusive = judge_duration("77", inclusive=77, exclusive=76)
    assert inclusive.verdict == "reproduced" and "inclusive" in inclusive.reason
    exclusive = judge_duration("76", inclusive=77, exclusive=76)
    assert exclusive.verdict == "reproduced" and "exclusive" in exclusive.reason
    assert judge_duration("80", inclusive=77, exclusive=76).verdict == "discrepant"
    assert (
        judge_duration("80", inclusive=77, exclusive=76, qualifier="within").verdict == "reproduced"
    )


# Each named convention, worked by hand: which printed value it gives, and why.
@pytest.mark.parametrize(
    ("printed", "computed", "convention"),
    [
        # truncation: 4.9571 cut to two decimals is 4.95 (half-up gives 4.96)
        ("4.95", D("4.9571"), "truncation"),
        # truncation of a value far from a tie: 13.163 -> 13.1 (half-up 13.2)
        ("13.1", D("13.163"), "truncation"),
        # an exact tie 2.45: half-up 2.5; half-down 2.4; half-even 2.4 (4 is even);
        # truncation also 2.4
        ("2.4", D("2.45"), "truncation / round-half-down at a tie / round-half-even at a tie"),
        # a tie 0.35 at one decimal: half-even gives 0.4 (4 even) like half-up, so the
        # printed 0.3 comes from half-down (and truncation), never from half-even
        ("0.3", D("0.35"), "truncation / round-half-down at a tie"),
    ],
)
def test_each_named_convention(printed, computed, convention):
    verdict = judge_number(printed, computed, "exact", 0.1)
    assert verdict.verdict == "rounding"
    assert f"only by {convention} (" in verdict.reason


def test_half_even_at_a_tie_alone_is_not_truncation():
    # -2.5 at 0 decimals: truncation (toward zero) -2, half-even -2, half-down -2,
    # half-up (away from zero) -3; a printed -2 names all three conventions
    reason = judge_number("-2", D("-2.5"), "exact", 0.1).reason
    assert "round-half-even at a tie" in reason and "truncation" in reason


def test_a_miss_says_how_far_off():
    verdict = judge_number("67", D("65.85"), "exact", 0.1, unit="percent")
    assert verdict.verdict == "discrepant"
    assert "off by 1.15 percentage points" in verdict.reason
    # 1.26 printed as 1.3 reproduces; printed 1.1 is off by 0.16 under every convention
    assert judge_number("1.1", D("1.26"), "exact", 0.1).reason.endswith("(off by 0.16)")


def test_bound_holding_only_once_rounded_names_the_convention():
    verdict = judge_number("300", D("299.6"), "at_least", 0.1)
    assert verdict.verdict == "rounding" and "half-up: 300" in verdict.reason
    assert judge_number("300", D("299.4"), "at_least", 0.1).verdict == "discrepant"


def test_definitions_for_the_report_cover_every_class():
    assert set(VERDICT_DEFINITIONS) == set(VERDICTS)
    assert set(EVIDENCE_DEFINITIONS) == {"table", "statement", "none"}
    for texts in [*VERDICT_DEFINITIONS.values(), *EVIDENCE_DEFINITIONS.values()]:
        assert set(texts) == {"en", "zh"} and all(texts.values())
    for word in ("truncation", "round-half-down", "round-half-even", "printed components"):
        assert word in ROUNDING_DEFINITION_EN
    assert "截尾" in ROUNDING_DEFINITION_ZH and "五成双" in ROUNDING_DEFINITION_ZH
