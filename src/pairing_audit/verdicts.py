"""Verdict rules: does a computed number support a printed one?

All comparisons use exact decimals at the printed precision ("33.30" has two
decimals), rounding half-up. The five verdicts are a contract read by the report:
reproduced, rounding, discrepant, unsupported, not_checkable.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .decimals import decimals_of, quantum, round_half_up, truncate

VERDICTS = ("reproduced", "rounding", "discrepant", "unsupported", "not_checkable")


@dataclass(frozen=True)
class Verdict:
    verdict: str
    reason: str


def half_unit_match(printed: str, computed: Decimal) -> bool:
    """The computed value lies in the printed value's half-unit interval (half-up)."""
    return round_half_up(computed, decimals_of(printed)) == Decimal(printed)


def other_rounding(printed: str, computed: Decimal) -> str | None:
    """Why the value matches under another convention, or None if it does not."""
    places = decimals_of(printed)
    claimed = Decimal(printed)
    if truncate(computed, places) == claimed:
        return f"matches only if truncated to {places} decimal(s), not rounded"
    if abs(round_half_up(computed, places) - claimed) == quantum(places):
        return "off by one unit in the last printed digit"
    return None


def judge_number(
    printed: str, computed: Decimal, qualifier: str, about_tolerance: float
) -> Verdict:
    """Verdict for a printed number with its qualifier against an exact computed value."""
    claimed = Decimal(printed)
    places = decimals_of(printed)
    at_precision = round_half_up(computed, places)
    if qualifier == "exact":
        if at_precision == claimed:
            return Verdict("reproduced", f"rounds to {printed} at {places} decimal(s)")
        if computed == at_precision:  # exact at printed precision: no rounding can explain it
            return Verdict("discrepant", f"is exactly {at_precision}, not {printed}")
        slip = other_rounding(printed, computed)
        if slip:
            return Verdict("rounding", slip)
        return Verdict("discrepant", f"rounds to {at_precision}, not {printed}")
    if qualifier in ("about", "around"):
        tolerance = Decimal(str(about_tolerance)) * abs(claimed)
        if at_precision == claimed or abs(computed - claimed) <= tolerance:
            share = Decimal(str(about_tolerance)) * 100
            return Verdict("reproduced", f"within ±{share.normalize()}% of {printed}")
        return Verdict("discrepant", f"more than ±{about_tolerance:.0%} away from {printed}")
    holds = {
        "over": computed > claimed,
        "at_least": computed >= claimed,
        "within": computed <= claimed,
    }[qualifier]
    words = {"over": "above", "at_least": "at least", "within": "at most"}[qualifier]
    if holds:
        return Verdict("reproduced", f"{words} {printed}")
    if at_precision == claimed:
        return Verdict("rounding", f"equals {printed} at printed precision but is not {words} it")
    return Verdict("discrepant", f"not {words} {printed}")


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


# ---- PLACEHOLDER (issue 10, until issue 8 lands; the integrator keeps issue 8's version) ----
# The report's legend reads these names. Issue 8 owns their final wording.
VERDICT_DEFINITIONS = {
    "reproduced": {
        "en": "the computed value rounds half-up to the printed one at its printed precision, or satisfies its qualifier (over, at least, within, about)",
        "zh": "计算值按四舍五入到原文精度后与原文一致，或满足其限定语（超过、至少、以内、约）",
    },
    "rounding": {
        "en": "matches only under a named rounding convention (see Rounding)",
        "zh": "仅在特定舍入规则下相符（见“舍入”）",
    },
    "discrepant": {
        "en": "anything further, or two sources contradicting each other",
        "zh": "其他任何不一致，或两份文献相互矛盾",
    },
    "unsupported": {
        "en": "a comparative statement the sources' own data do not bear out",
        "zh": "原文数据不支持的比较性论断",
    },
    "not_checkable": {
        "en": "needs data none of the sources contains",
        "zh": "所需数据不在任何文献中",
    },
}
EVIDENCE_DEFINITIONS = {
    "table": {
        "en": "checked against a number in the paper's tables",
        "zh": "与论文表格中的数字核对",
    },
    "statement": {
        "en": "checked against another statement or the documents' own text",
        "zh": "与其他表述或文献正文核对",
    },
    "none": {"en": "no data to check it against", "zh": "无可核对的数据"},
}
ROUNDING_DEFINITION_EN = (
    "only a named convention counts: truncation, round-half-down or round-half-even at a "
    "tie, or recomputation from the source's own rounded printed components; anything "
    "else that misses is discrepant"
)
ROUNDING_DEFINITION_ZH = (
    "仅限特定规则：截断、恰在中点时向下或向偶数舍入，或由原文已舍入的分项重新计算；"
    "其他任何不符均判为“不符”"
)
# ---- end of placeholder ----
