"""The rounding-interval rule and the qualifier rules."""

from decimal import Decimal as D

import pytest

from pairing_audit.verdicts import judge_duration, judge_number, judge_same


@pytest.mark.parametrize(
    ("printed", "computed", "verdict"),
    [
        ("74.2", D("74.2016"), "reproduced"),
        ("74.2", D("74.15"), "reproduced"),  # half-up: lower edge is inside
        ("74.2", D("74.25"), "rounding"),  # rounds to 74.3 but truncates to 74.2
        ("74.2", D("74.1499"), "rounding"),  # one unit off in the last digit
        ("74.2", D("74.0"), "discrepant"),
        ("33.30", D("33.3"), "reproduced"),  # trailing zero: two decimals
        ("33.30", D("33.2951"), "reproduced"),
        ("33.30", D("33.2949"), "rounding"),
        ("33.30", D("33.2849"), "discrepant"),
        ("67", D("65.85"), "rounding"),  # 66 at printed precision: a one-unit slip
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
        ("19625", D("19624.9"), "over", "rounding"),  # equal at printed precision only
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
