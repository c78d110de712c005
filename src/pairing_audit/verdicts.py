"""Verdict rules: does a computed number support a printed one?

All comparisons use exact decimals at the printed precision ("33.30" has two
decimals). A number is `reproduced` when the computed value rounds half-up to the
printed one. `rounding` is reserved for a named convention: truncation, or
round-half-down / round-half-even at an exact tie (elsewhere they agree with half-up),
or a recomputation from the sources' own rounded printed components (decided where
the claim is computed, see claim_ops). Any other miss is `discrepant`, with the gap.
The five verdicts are a contract read by the report:
reproduced, rounding, discrepant, unsupported, not_checkable.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .decimals import (
    decimals_of,
    is_tie,
    plain,
    round_half_down,
    round_half_even,
    round_half_up,
    truncate,
)

VERDICTS = ("reproduced", "rounding", "discrepant", "unsupported", "not_checkable")
EVIDENCE_CLASSES = ("table", "statement", "none")

ROUNDING_DEFINITION_EN = (
    "rounding: the computed value does not round half-up to the printed number, but gives "
    "it under another named convention: truncation (cutting the extra digits), or "
    "round-half-down or round-half-even when the value lies exactly halfway; or the "
    "printed number is what the computation gives from the sources' own rounded printed "
    "components (each the rounding of its exact value; a printed component that is itself "
    "off passes its error on, and the verdict stands). For a bound ('over', 'at least', 'within') it means the bound holds only "
    "for the value rounded to the printed precision. The explanation names the convention "
    "or the printed components. Every other miss is discrepant, however small."
)
ROUNDING_DEFINITION_ZH = (
    "舍入（rounding）：计算值按四舍五入得不到所印数字，但按另一种明确的舍入规则可以得到："
    "截尾（直接舍去多余位数），或恰在中点时的“五舍”或“四舍六入五成双”；或用原文自己印出的"
    "已舍入分项重新计算恰得所印数字（各分项须是其精确值的舍入；本身有误的分项把误差传下去，结论不变）。对“超过”“以上”“以内”等界限表述，指只有把计算值舍入到"
    "所印精度后界限才成立。说明栏写明所用规则或所用分项。其余不符，无论差多少，均为“不符”。"
)

VERDICT_DEFINITIONS = {
    "reproduced": {
        "en": "The computation gives the printed number (rounded half-up at the printed "
        "precision), or the stated comparison holds, or a number the source itself states "
        "as a bound (over, at least, more than) meets that bound.",
        "zh": "计算结果按四舍五入到所印精度等于所印数字，或所述比较成立，或原文本身以界限表述"
        "（超过、至少、以上、多）的数字满足该界限。",
    },
    "rounding": {"en": ROUNDING_DEFINITION_EN, "zh": ROUNDING_DEFINITION_ZH},
    "discrepant": {
        "en": "The computation gives a different number under every named rounding "
        "convention, or two statements in the sources contradict each other; the "
        "explanation says how far off it is.",
        "zh": "在任何明确的舍入规则下计算结果都与所印数字不同，或原文两处表述互相矛盾；说明栏给出相差多少。",
    },
    "unsupported": {
        "en": "A comparison or trend that the sources' own data do not bear out.",
        "zh": "原文自身数据不支持的比较或趋势表述。",
    },
    "not_checkable": {
        "en": "Nothing independent in the five documents or the tables can check it; or "
        "the only check is a bound (part ≤ whole, a > b) that a number stated as exact "
        "passes: consistent, but a bound cannot confirm an exact number (the explanation "
        "gives the arithmetic).",
        "zh": "五份文献和表格中没有可以独立核对的依据；或唯一的核对是一个界限（分项不超过总数、"
        "甲大于乙），以精确数字表述的数满足它：二者一致，但界限不能证实精确数字（说明栏给出算式）。",
    },
}

EVIDENCE_DEFINITIONS = {
    "table": {
        "en": "Computed from transcribed table cells (Tables 1–7).",
        "zh": "由转录的表格数据（表1–表7）计算。",
    },
    "statement": {
        "en": "Compared with another, independent statement in the sources; the "
        "explanation names that claim.",
        "zh": "与原文中另一处独立表述对照；说明栏写出该条目编号。",
    },
    "none": {
        "en": "No independent evidence (nothing checks it, or it sets one author's "
        "periodisation beside another's): always not_checkable.",
        "zh": "没有独立依据（无可核对，或只是把一位作者的分期与另一位作者的分期并列）：一律为“无法核对”。",
    },
}

# How a gap is named in an explanation, by the ledger's unit.
GAP_UNITS = {
    "percent": "percentage points",
    "100m_yuan": "亿元",
    "trillion_yuan": "万亿元",
    "10k_yuan": "万元",
    "yuan": "yuan",
}


@dataclass(frozen=True)
class Verdict:
    verdict: str
    reason: str


def half_unit_match(printed: str, computed: Decimal) -> bool:
    """The computed value lies in the printed value's half-unit interval (half-up)."""
    return round_half_up(computed, decimals_of(printed)) == Decimal(printed)


def other_conventions(computed: Decimal, places: int) -> dict[str, Decimal]:
    """The value at `places` decimals under each named convention other than half-up.
    Half-down and half-even differ from half-up only at an exact tie, so they are
    listed only there."""
    values = {"truncation": truncate(computed, places)}
    if is_tie(computed, places):
        values["round-half-down at a tie"] = round_half_down(computed, places)
        values["round-half-even at a tie"] = round_half_even(computed, places)
    return values


def other_rounding(printed: str, computed: Decimal) -> str | None:
    """The named conventions under which the value gives the printed number, or None."""
    places, claimed = decimals_of(printed), Decimal(printed)
    names = [
        name for name, value in other_conventions(computed, places).items() if value == claimed
    ]
    return " / ".join(names) or None


def gap_text(printed: str, computed: Decimal, unit: str | None = None) -> str:
    """ "off by 1.15 percentage points": the distance, two digits beyond the printed ones."""
    gap = abs(computed - Decimal(printed))
    shown = plain(round_half_up(gap, decimals_of(printed) + 2))
    return f"off by {shown} {GAP_UNITS.get(unit, '')}".rstrip()


def judge_number(
    printed: str,
    computed: Decimal,
    qualifier: str,
    about_tolerance: float,
    unit: str | None = None,
) -> Verdict:
    """Verdict for a printed number with its qualifier against an exact computed value."""
    claimed = Decimal(printed)
    places = decimals_of(printed)
    at_precision = round_half_up(computed, places)
    if qualifier == "exact":
        if at_precision == claimed:
            return Verdict("reproduced", f"rounds to {printed} at {places} decimal(s)")
        if computed == at_precision:  # exact at printed precision: no rounding can explain it
            return Verdict(
                "discrepant",
                f"is exactly {at_precision}, not {printed} ({gap_text(printed, computed, unit)})",
            )
        convention = other_rounding(printed, computed)
        if convention:
            return Verdict(
                "rounding",
                f"gives {printed} at {places} decimal(s) only by {convention} "
                f"(half-up gives {at_precision})",
            )
        return Verdict(
            "discrepant",
            f"rounds to {at_precision}, not {printed}, under every named rounding "
            f"convention ({gap_text(printed, computed, unit)})",
        )
    if qualifier in ("about", "around"):
        tolerance = Decimal(str(about_tolerance)) * abs(claimed)
        share = plain((Decimal(str(about_tolerance)) * 100).normalize())  # 10, not 1E+1
        if at_precision == claimed or abs(computed - claimed) <= tolerance:
            return Verdict("reproduced", f"within ±{share}% of {printed}")
        return Verdict(
            "discrepant",
            f"more than ±{share}% away from {printed} ({gap_text(printed, computed, unit)})",
        )
    test = {
        "over": lambda v: v > claimed,
        "at_least": lambda v: v >= claimed,
        "within": lambda v: v <= claimed,
    }[qualifier]
    words = {"over": "above", "at_least": "at least", "within": "at most"}[qualifier]
    if test(computed):
        return Verdict("reproduced", f"{words} {printed}")
    rounded = {"half-up": at_precision} | other_conventions(computed, places)
    for name, value in rounded.items():
        if test(value):
            return Verdict(
                "rounding",
                f"{words} {printed} only once rounded to the printed precision "
                f"({name}: {value}); the exact value is not",
            )
    return Verdict("discrepant", f"not {words} {printed} ({gap_text(printed, computed, unit)})")


def judge_comparison(holds: bool, description: str) -> Verdict:
    if holds:
        return Verdict("reproduced", f"the data bear it out: {description}")
    return Verdict("unsupported", f"the sources' own data do not bear it out: {description}")


def is_date(printed: str) -> bool:
    return "-" in printed[1:]


def judge_same(printed: str, other: str, about_tolerance: float, qualifier: str) -> Verdict:
    """Two sources stating one fact. Dates agree when one is a prefix of the other
    (a year or month given where the other gives the day); whole numbers (years,
    counts) must be equal; other numbers follow the usual rounding rules."""
    if "." not in printed + other and qualifier == "exact":
        short, long = sorted([printed, other], key=len)
        if long == short or long.startswith(short + "-"):
            detail = f" (one source is more precise: {long})" if short != long else ""
            return Verdict("reproduced", f"both give {short}{detail}")
        return Verdict("discrepant", f"the sources contradict each other: {printed} vs {other}")
    verdict = judge_number(printed, Decimal(other), qualifier, about_tolerance)
    if verdict.verdict == "discrepant":
        return Verdict("discrepant", f"the sources contradict each other: {printed} vs {other}")
    return verdict


def judge_duration(
    printed: str,
    inclusive: int,
    exclusive: int,
    qualifier: str = "exact",
    about_tolerance: float = 0.1,
) -> Verdict:
    """A stated duration against both readings: exclusive and inclusive of the end day."""
    readings = {"exclusive": exclusive, "inclusive": inclusive}
    verdicts = {
        name: judge_number(printed, Decimal(value), qualifier, about_tolerance)
        for name, value in readings.items()
    }
    for name in ("exclusive", "inclusive"):
        if verdicts[name].verdict == "reproduced":
            return Verdict(
                "reproduced",
                f"{readings[name]}, counting {name} of the end day ({verdicts[name].reason})",
            )
    return Verdict(
        "discrepant",
        f"{exclusive} exclusive / {inclusive} inclusive of the end day; neither fits {printed} ({qualifier})",
    )
