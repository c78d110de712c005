"""The claim-op registry: op name -> its schema, the rule it applies, the data it
references and its check function.

Adding an op touches this file only: the ledger schema takes each op's `schema`
from here (see ledger.claims_schema), ledger validation walks `references`, the
evidence class follows from `evidence` (or from the terms referenced), and the
README's table "Claim ops and the rule each applies" lists each op's `rule`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pandas as pd

from .claim_terms import (
    Data,
    Outcome,
    aggregate,
    comparable,
    component_names,
    describe_term,
    evaluate_expression,
    evaluate_term,
    is_claim_term,
    is_table_term,
    show_value,
    shown,
    substitute_sum,
    work_of,
)
from .decimals import decimals_of, plain, round_half_up
from .verdicts import (
    Verdict,
    half_unit_match,
    judge_comparison,
    judge_duration,
    judge_number,
    judge_same,
)

TERM = {"$ref": "#/$defs/term"}
YEARS = {"$ref": "#/$defs/years"}
CLAIM_TERM = {"$ref": "#/$defs/claim_term"}
SERIES_REF = {
    "type": "object",
    "required": ["table", "series"],
    "additionalProperties": False,
    "properties": {
        "table": {"type": "integer", "minimum": 3, "maximum": 7},
        "series": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
    },
}


@dataclass(frozen=True)
class ClaimOp:
    """One kind of computation a ledger entry may ask for."""

    name: str
    rule: str  # the rule it applies, one sentence (README table)
    properties: dict  # JSON schema of the compute mapping's fields besides `op`
    required: tuple[str, ...]
    check: Callable[[dict, Data], Outcome]
    references: Callable[[dict], Iterator[tuple[str, object]]] = lambda compute: iter(())
    evidence: str | None = None  # fixed class, or None: follows from the terms
    printed_optional: bool = False  # may the claim print no number?
    full_span: Callable[[dict, Data], dict | None] | None = None  # trend ops only
    # (field, problem) when the compute names a table check, event or row that the
    # data do not have; `known` holds check_ids, event_ids and typology_rows
    reference_problem: Callable[[dict, dict], tuple[str, str] | None] = lambda c, known: None
    extra_schema: dict = field(default_factory=dict)

    def schema(self) -> dict:
        return {
            "if": {"properties": {"op": {"const": self.name}}},
            "then": {
                "required": list(self.required),
                "additionalProperties": False,
                "properties": {"op": {}, **self.properties},
                **self.extra_schema,
            },
        }


REGISTRY: dict[str, ClaimOp] = {}


def register(op: ClaimOp) -> ClaimOp:
    REGISTRY[op.name] = op
    return op


def evidence_of(claim: dict) -> str:
    """table, statement or none: what the claim is held against."""
    compute = claim["compute"]
    op = REGISTRY[compute["op"]]
    if op.evidence:
        return op.evidence
    terms = [term for _, term in op.references(compute)]
    if any(is_table_term(t) for t in terms):
        return "table"
    if any(is_claim_term(t) and t["claim"] != claim["id"] for t in terms):
        return "statement"
    return "none"


def statement_ids(claim: dict) -> list[str]:
    """The other claims a statement-evidence claim is held against."""
    op = REGISTRY[claim["compute"]["op"]]
    ids = [t["claim"] for _, t in op.references(claim["compute"]) if is_claim_term(t)]
    return sorted({i for i in ids if i != claim["id"]})


# --- a bound is not a confirmation ----------------------------------------------

NOUNS = {"count": "count", "year": "year", "date": "date"}


def checks_own_number_by_bound(claim: dict, own: bool = False) -> bool:
    """The claim's own printed number, stated as exact, is one term of a necessary
    condition (part <= whole, a > b; `own` when the op always tests the claim's own
    number): passing it cannot reproduce the number."""
    op = REGISTRY[claim["compute"]["op"]]
    own = own or any(
        is_claim_term(term) and term["claim"] == claim["id"]
        for _, term in op.references(claim["compute"])
    )
    return own and claim["printed"] is not None and claim["qualifier"] == "exact"


def bound_only(claim: dict, verdict: Verdict, arithmetic: str, own: bool = False) -> Verdict:
    """Passing a bound leaves an exact number `not_checkable` (the consistency goes
    into the explanation); failing it stays `discrepant` / `unsupported`."""
    if verdict.verdict != "reproduced" or not checks_own_number_by_bound(claim, own):
        return verdict
    against = ", ".join(f"claim {i}" for i in statement_ids(claim)) or "the tables"
    noun = NOUNS.get(claim["unit"], "number")
    return Verdict(
        "not_checkable",
        f"consistent with {against}: {arithmetic}; a bound cannot confirm an exact {noun}",
    )


# --- a work agreeing with itself confirms nothing ------------------------------


def same_work(claim: dict, other: dict, data: Data) -> bool:
    """Both printed in one work (a paper and its own English summary are one work)."""
    return work_of(claim["source"], data.works) == work_of(other["source"], data.works)


def own_work_only(claim: dict, data: Data, confirmed_by_table: bool = False) -> bool:
    """Every term is a number printed in the claim's own work (another claim of it, or
    a number typed from it): no table, no other work. With `confirmed_by_table`, a term
    whose claim is itself held against a table counts as confirmed, and the check is
    internal only when some term is not."""
    op = REGISTRY[claim["compute"]["op"]]
    terms = [term for _, term in op.references(claim["compute"])]
    claims = [data.claims[t["claim"]] for t in terms if is_claim_term(t)]
    if any(not (isinstance(t, str) or is_claim_term(t)) for t in terms):
        return False  # a table or Table 1 term checks it
    if not all(same_work(claim, other, data) for other in claims):
        return False
    if confirmed_by_table:
        return not all(evidence_of(other) == "table" for other in claims)
    return True


def internal_only(claim: dict, verdict: Verdict, data: Data, consistent: str) -> Verdict:
    """A necessary condition built from one work's own numbers that holds confirms
    nothing: `not_checkable`, the consistency in the explanation; failing it stays."""
    if verdict.verdict != "reproduced" or not own_work_only(claim, data):
        return verdict
    return Verdict(
        "not_checkable",
        f"consistent: {consistent}; a necessary condition cannot confirm the numbers",
    )


# --- expression ---------------------------------------------------------------


def _expression_refs(compute):
    for name, term in compute["terms"].items():
        yield f"compute.terms.{name}", term
    for name, claim_id in compute.get("printed_components", {}).items():
        yield f"compute.printed_components.{name}", {"claim": claim_id}


def _check_expression(claim: dict, data: Data) -> Outcome:
    compute, printed = claim["compute"], claim["printed"]
    values = {name: evaluate_term(term, data) for name, term in compute["terms"].items()}
    value = evaluate_expression(compute["expr"], values)
    parts = "; ".join(
        f"{name} = {describe_term(term)} = {plain(values[name])}"
        for name, term in compute["terms"].items()
    )
    verdict = judge_number(printed, value, claim["qualifier"], data.about_tolerance, claim["unit"])
    components = compute.get("printed_components", {})
    explained = None
    if verdict.verdict in ("discrepant", "rounding") and components:
        again, faithful, named = _with_printed_components(compute, values, data)
        if half_unit_match(printed, again):
            explained = True
            if faithful:  # each printed component is its exact terms rounded: a named rounding
                also = ""
                if verdict.verdict == "rounding":  # a truncation fits too; components say why
                    also = f" (truncating the exact value would also give {printed})"
                verdict = Verdict(
                    "rounding",
                    f"recomputed from the sources' own rounded printed components ({named}) "
                    f"it gives {shown(again, printed)}, which rounds to {printed}; the exact "
                    f"data give {shown(value, printed)}{also}",
                )
            else:  # a component that is itself off passes its error on: no rounding
                verdict = Verdict(
                    verdict.verdict,
                    f"{verdict.reason}; recomputed with the source's own printed "
                    f"components ({named}) it gives {shown(again, printed)}, which rounds to "
                    f"{printed}: the figure is built on that printed number and inherits its "
                    "error",
                )
    if verdict.verdict == "reproduced" and own_work_only(claim, data, confirmed_by_table=True):
        verdict = Verdict(
            "not_checkable",
            f"consistent with its own work's printed numbers ({verdict.reason}); a figure "
            "derived only from them confirms nothing",
        )
    return Outcome(
        shown(value, printed), verdict, f"{compute['expr']}; {parts}", explained=explained
    )


def _with_printed_components(compute: dict, values: dict, data: Data):
    """(value recomputed with the printed components, whether each component is the
    half-up rounding of its exact terms, description)."""
    expr, values, faithful, named = compute["expr"], dict(values), True, []
    for index, (key, cid) in enumerate(sorted(compute["printed_components"].items())):
        names = component_names(key)
        component = data.claims[cid]["printed"]
        exact = sum((values[name] for name in names), Decimal(0))
        rounded = round_half_up(exact, decimals_of(component)) == Decimal(component)
        faithful = faithful and rounded
        slot = f"printed_component_{index}"
        expr = substitute_sum(expr, names, slot)
        values[slot if len(names) > 1 else names[0]] = Decimal(component)
        off = "" if rounded else f", which itself differs from the exact {plain(exact)}"
        named.append(f"{key} = {component} as printed (claim {cid}){off}")
    return evaluate_expression(expr, values), faithful, ", ".join(named)


register(
    ClaimOp(
        name="expression",
        rule="Arithmetic (+ − × ÷) on table aggregates and other claims' printed numbers; "
        "the result must round half-up to the printed number at its printed precision "
        "(qualifiers: over/at least/within are bounds, about/around ±10%). With "
        "`printed_components` (a term, or a parenthesised sum `b + c` that one printed "
        "number gives), a miss or truncation that the sources' own printed components "
        "reproduce half-up is explained by them: `rounding` when each component is its "
        "exact terms rounded, otherwise the verdict stands and the error is inherited "
        "from the component. A result derived only from its own work's printed numbers "
        "(none of them confirmed by a table) that fits is `not_checkable`: consistency, "
        "not confirmation.",
        properties={
            "expr": {"type": "string"},
            "terms": {"type": "object", "additionalProperties": TERM, "minProperties": 1},
            "printed_components": {"type": "object", "additionalProperties": {"type": "string"}},
        },
        required=("expr", "terms"),
        check=_check_expression,
        references=_expression_refs,
    )
)


# --- table checks, cross tables, dates ----------------------------------------


def _check_table_check(claim: dict, data: Data) -> Outcome:
    compute, printed = claim["compute"], claim["printed"]
    check = data.checks.loc[compute["check_id"]]
    value = Decimal(check["recomputed"])
    verdict = judge_number(printed, value, claim["qualifier"], data.about_tolerance, claim["unit"])
    text = (
        f"re-added {check['first_year']}–{check['last_year']} (table_checks {compute['check_id']})"
    )
    return Outcome(shown(value, printed), verdict, text)


register(
    ClaimOp(
        name="table_check",
        rule="A printed subtotal or total, re-added from its table's cells "
        "(reports/table_checks.csv); same rounding rule as `expression`.",
        properties={"check_id": {"type": "string"}},
        required=("check_id",),
        check=_check_table_check,
        evidence="table",
        reference_problem=lambda c, known: (
            None
            if c["check_id"] in known["check_ids"]
            else ("compute.check_id", f"no table check {c['check_id']!r}")
        ),
    )
)


def _check_cross_table(claim: dict, data: Data) -> Outcome:
    compute, printed = claim["compute"], claim["printed"]
    term = {"table": compute["other_table"], "series": compute["series"]}
    term |= {"years": compute["years"], "agg": "sum"}
    value = aggregate(term, data)
    verdict = judge_number(printed, value, claim["qualifier"], data.about_tolerance, claim["unit"])
    return Outcome(shown(value, printed), verdict, describe_term(term))


register(
    ClaimOp(
        name="cross_table",
        rule="A quantity printed in one table must equal the same series summed over the "
        "same years in another table; same rounding rule as `expression`.",
        properties={
            "table": {"type": "integer"},
            "other_table": {"type": "integer"},
            "series": {"type": "string"},
            "years": YEARS,
        },
        required=("table", "other_table", "series", "years"),
        check=_check_cross_table,
        evidence="table",
        references=lambda c: iter(
            (f"compute.{key}", {"table": c[key], "series": c["series"], "years": c["years"]})
            for key in ("table", "other_table")
        ),
    )
)


def _check_same_as(claim: dict, data: Data) -> Outcome:
    other = data.claims[claim["compute"]["claim"]]
    verdict = judge_same(
        claim["printed"], other["printed"], data.about_tolerance, claim["qualifier"]
    )
    if verdict.verdict == "reproduced" and same_work(claim, other, data):
        # a work agreeing with itself (its text, notes, own English summary) confirms
        # nothing; contradicting itself is a finding
        where = "document" if other["source"] == claim["source"] else "work (another part of it)"
        rest = (
            "nothing else checks it"
            if other["compute"]["op"] == "none"
            else f"any check belongs to that printing (claim {other['id']})"
        )
        verdict = Verdict(
            "not_checkable",
            f"{verdict.reason}; the same {where} printing it twice is no independent "
            f"evidence, and {rest}",
        )
    elif verdict.verdict == "discrepant" and same_work(claim, other, data):
        verdict = Verdict(
            "discrepant",
            verdict.reason.replace("the sources contradict", "parts of one work contradict"),
        )
    return Outcome(
        other["printed"], verdict, f"as printed by claim {other['id']} ({other['source']})"
    )


register(
    ClaimOp(
        name="same_as",
        rule="One fact stated twice: dates agree when one is a prefix of the other (a year "
        "where the other gives the day), whole numbers must be equal, other numbers follow "
        "the rounding rule; a disagreement is `discrepant`. A number restated in its own "
        "document is no independent evidence: when its first printing has a check, the "
        "restatement takes that same check instead (ledger validation refuses the "
        "`same_as`); when nothing checks it, agreement is `not_checkable` and only a "
        "contradiction counts (`discrepant`). Documents that are parts of one work (a "
        "paper and its own English summary, ledger field `work`) count as one document "
        "here.",
        properties={"claim": {"type": "string"}},
        required=("claim",),
        check=_check_same_as,
        references=lambda compute: iter([("compute.claim", {"claim": compute["claim"]})]),
    )
)


def table_date(compute: dict, data: Data) -> tuple[str, str]:
    """(ISO date as precise as printed, description) of a Table 1 or Table 2 entry."""
    if "event" in compute:
        event = data.event(compute["event"])
        parts = [f"{int(event.year):04d}"] + [
            f"{int(event[k]):02d}" for k in ("month", "day") if pd.notna(event[k])
        ]
        return "-".join(parts), f"Table 1 dates {event.programme_en!r} {event.date_printed}"
    rows = data.typology[data.typology.printed_order == compute["typology_row"]]
    row = rows.iloc[0]
    return str(
        int(row.year)
    ), f"Table 2 row {compute['typology_row']} ({row.programme_en}) gives {row.year}"


def _table_date_problem(compute: dict, known: dict) -> tuple[str, str] | None:
    if "event" in compute and compute["event"] not in known["event_ids"]:
        return "compute.event", f"no Table 1 event {compute['event']!r}"
    if "typology_row" in compute and compute["typology_row"] not in known["typology_rows"]:
        return "compute.typology_row", "no such Table 2 row"
    return None


def _check_table_date(claim: dict, data: Data) -> Outcome:
    value, text = table_date(claim["compute"], data)
    verdict = judge_same(claim["printed"], value, data.about_tolerance, claim["qualifier"])
    if verdict.verdict == "discrepant":
        table = "Table 1" if "event" in claim["compute"] else "Table 2"
        verdict = Verdict(
            "discrepant", f"{table} disagrees: printed {claim['printed']} here, but {text}"
        )
    return Outcome(value, verdict, text)


register(
    ClaimOp(
        name="table_date",
        rule="A dated programme against Table 1's date (or Table 2's year), by the `same_as` "
        "date rule; every item of a dated list is checked, whether it matches or not.",
        properties={
            "event": {"type": "string", "pattern": "^t1_[0-9]{4}(_[0-9]{1,2}){0,2}$"},
            "typology_row": {"type": "integer", "minimum": 1},
        },
        required=(),
        check=_check_table_date,
        evidence="table",
        reference_problem=_table_date_problem,
        extra_schema={"oneOf": [{"required": ["event"]}, {"required": ["typology_row"]}]},
    )
)


def _as_date(value, data: Data) -> date:
    text = data.claims[value["claim"]]["printed"] if isinstance(value, dict) else value
    return date.fromisoformat(text)


def _check_date_diff(claim: dict, data: Data) -> Outcome:
    compute = claim["compute"]
    start, end = _as_date(compute["start"], data), _as_date(compute["end"], data)
    unit = compute["unit"]
    if unit == "days":
        exclusive = (end - start).days
    elif unit == "months":
        exclusive = (end.year - start.year) * 12 + end.month - start.month
    else:
        exclusive = end.year - start.year
    verdict = judge_duration(
        claim["printed"], exclusive + 1, exclusive, claim["qualifier"], data.about_tolerance
    )
    if verdict.verdict == "reproduced" and own_work_only(claim, data, confirmed_by_table=True):
        # a duration from the work's own dates, not all confirmed by a table: consistency
        verdict = Verdict(
            "not_checkable",
            f"consistent with the work's own dates ({verdict.reason}); a figure derived only "
            "from dates printed in the same work, not all confirmed by a table, cannot "
            "confirm them",
        )
    return Outcome(
        str(exclusive), verdict, f"{unit} from {start} to {end} (exclusive; inclusive adds one)"
    )


DATE_OR_CLAIM = {"oneOf": [{"type": "string", "format": "date"}, CLAIM_TERM]}

register(
    ClaimOp(
        name="date_diff",
        rule="A stated duration between two dates, counted both exclusive and inclusive of "
        "the end day; reproduced if either reading fits the printed number and qualifier. "
        "When both dates are printed in the claim's own work and a table does not confirm "
        "both, a fit is only internal consistency: `not_checkable` (consistent with the "
        "work's own dates); a misfit stays `discrepant`.",
        properties={
            "start": DATE_OR_CLAIM,
            "end": DATE_OR_CLAIM,
            "unit": {"enum": ["days", "months", "years"]},
        },
        required=("start", "end", "unit"),
        check=_check_date_diff,
        references=lambda c: iter([("compute.start", c["start"]), ("compute.end", c["end"])]),
    )
)


# --- comparisons and wholes -----------------------------------------------------

RELATIONS = {
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "==": lambda a, b: a == b,
}


def _check_compare(claim: dict, data: Data) -> Outcome:
    compute = claim["compute"]
    left, right = (comparable(compute[k], data) for k in ("left", "right"))
    holds = RELATIONS[compute["relation"]](left, right)
    text = (
        f"{describe_term(compute['left'])} = {show_value(left)} {compute['relation']} "
        f"{describe_term(compute['right'])} = {show_value(right)}"
    )
    verdict = bound_only(claim, judge_comparison(holds, text), text)
    verdict = internal_only(claim, verdict, data, text)
    if not holds and claim["kind"] == "cross_document":
        verdict = Verdict("discrepant", f"the sources contradict each other: {text}")
    return Outcome("true" if holds else "false", verdict, text)


register(
    ClaimOp(
        name="compare",
        rule="A comparative statement (>, ≥, <, ≤, =) between two terms: `reproduced` if it "
        "holds, `unsupported` if the sources' data do not bear it out (`discrepant` when "
        "two documents contradict each other). When one side is the claim's own number "
        "stated as exact, the comparison is only a bound: holding leaves it `not_checkable` "
        "(consistent, not confirmed); so does a comparison whose terms are all numbers "
        "printed in the claim's own work (a necessary condition cannot confirm them).",
        properties={
            "left": TERM,
            "relation": {"enum": list(RELATIONS)},
            "right": TERM,
        },
        required=("left", "relation", "right"),
        check=_check_compare,
        references=lambda c: iter([("compute.left", c["left"]), ("compute.right", c["right"])]),
        printed_optional=True,
    )
)


def _parts_refs(compute):
    for name, term in compute["parts"].items():
        yield f"compute.parts.{name}", term
    yield "compute.whole", compute["whole"]
    if "whole_share" in compute:
        yield "compute.whole_share", compute["whole_share"]


def _check_parts_within_whole(claim: dict, data: Data) -> Outcome:
    compute = claim["compute"]
    parts = {name: evaluate_term(term, data) for name, term in compute["parts"].items()}
    whole = evaluate_term(compute["whole"], data)
    whole_text = f"{plain(whole)} ({describe_term(compute['whole'])})"
    if "whole_share" in compute:  # the whole is a stated share of a stated total
        share = evaluate_term(compute["whole_share"], data)
        whole = whole * share / 100
        whole_text = (
            f"{plain(share)}% ({describe_term(compute['whole_share'])}) of {whole_text} = "
            f"{plain(whole)}"
        )
    total = sum(parts.values(), Decimal(0))
    listed = " + ".join(
        f"{plain(parts[name])} ({describe_term(term)})" for name, term in compute["parts"].items()
    )
    arithmetic = f"{listed} = {plain(total)}; whole = {whole_text}"
    complete = compute.get("complete", False)
    if total > whole:
        verdict = Verdict(
            "discrepant",
            f"the parts exceed the whole by {plain(total - whole)}, so the numbers cannot "
            f"all be right: {arithmetic}",
        )
    elif complete and total != whole:
        verdict = Verdict(
            "discrepant",
            f"the parts, which should make up the whole, fall short by "
            f"{plain(whole - total)}: {arithmetic}",
        )
    else:
        relation = "=" if total == whole else "≤"
        verdict = Verdict("reproduced", f"the parts fit the whole ({relation}): {arithmetic}")
        fits = f"{plain(total)} {relation} {plain(whole)} ({arithmetic})"
        if not complete:  # an exact part that merely fits is consistent, not confirmed
            verdict = bound_only(claim, verdict, fits)
        verdict = internal_only(claim, verdict, data, fits)
    return Outcome(plain(total), verdict, arithmetic)


register(
    ClaimOp(
        name="parts_within_whole",
        rule="Internal consistency: parts (categories, subsets, shares) stated in one document "
        "must sum to at most the stated whole (exactly, with `complete: true`); parts larger "
        "than the whole are `discrepant`, with the arithmetic; with `whole_share`, the "
        "whole is that stated percentage of the stated total. A part that is the claim's "
        "own number stated as exact and merely fits is `not_checkable` (a bound cannot "
        "confirm an exact count); a statement that is itself a bound (以上, at least) can "
        "be `reproduced` by one. When every part and the whole are numbers printed in the "
        "claim's own work (no table cells), fitting is only `not_checkable` (a necessary "
        "condition cannot confirm the numbers); where table cells give the terms, the check "
        "uses the cells (evidence table).",
        properties={
            "parts": {"type": "object", "additionalProperties": TERM, "minProperties": 1},
            "whole": TERM,
            "whole_share": TERM,
            "complete": {"type": "boolean"},
        },
        required=("parts", "whole"),
        check=_check_parts_within_whole,
        references=_parts_refs,
        printed_optional=True,
    )
)


# --- periodisations --------------------------------------------------------------


def _stage_order(data: Data) -> list[str]:
    return list(dict.fromkeys(data.events.sort_values("printed_order").stage_id))


def _check_stage_boundary(claim: dict, data: Data) -> Outcome:
    compute = claim["compute"]
    year, stage, side = int(claim["printed"]), compute["stage"], compute["side"]
    order = _stage_order(data)
    position = order.index(stage)
    events = data.events.assign(rank=data.events.stage_id.map(order.index))
    if side == "start":
        inside = events[(events["rank"] == position) & (events.year < year)]
        outside = events[(events["rank"] < position) & (events.year > year)]
    else:
        inside = events[(events["rank"] == position) & (events.year > year)]
        outside = events[(events["rank"] > position) & (events.year < year)]
    own = events[events["rank"] == position].year
    text = (
        f"Table 1 dates the {len(own)} programmes of stage {stage} "
        f"{int(own.min())}–{int(own.max())}; {side} {year}"
    )
    misplaced = [
        f"{row.date_printed} ({row.stage_id})"
        for row in pd.concat([inside, outside]).sort_values("printed_order").itertuples()
    ]
    if misplaced:
        where = "before" if side == "start" else "after"
        verdict = Verdict(
            "unsupported",
            f"Table 1 does not bear out a {side} in {year}: programme(s) "
            f"{', '.join(misplaced)} fall on the wrong side ({text}; a stage's programmes may "
            f"not lie {where} its {side}, nor other stages' programmes inside it)",
        )
    else:
        # the grouping brackets the boundary (the author's own classification of the
        # author's own table): consistent, but it cannot pin the year
        verdict = Verdict(
            "not_checkable",
            f"consistent: every Table 1 programme falls on its side ({text}); a grouping "
            "brackets a boundary but cannot confirm its year",
        )
    return Outcome(str(year), verdict, text)


register(
    ClaimOp(
        name="stage_boundary",
        rule="A boundary of the paper's periodisation against Table 1's stage grouping: no "
        "programme of the stage dated outside the boundary and no programme of another stage "
        "dated inside it (a shared boundary year is allowed); otherwise `unsupported`, naming "
        "the programmes. Passing is `not_checkable`: the grouping brackets the boundary but "
        "cannot confirm its year. Every boundary of the periodisation uses it.",
        properties={
            "stage": {"enum": ["emergence", "establishment", "deepening"]},
            "side": {"enum": ["start", "end"]},
        },
        required=("stage", "side"),
        check=_check_stage_boundary,
        references=lambda c: iter([("compute", {"events": "count"})]),
    )
)


def _check_other_periodisation(claim: dict, data: Data) -> Outcome:
    compute = claim["compute"]
    other = data.claims[compute["claim"]]
    if "span" in compute:
        first, last = compute["span"]
        words = str(first) if first == last else f"{first}–{last}"
        mine = f"this statement's words mean {words}"
    else:
        mine = f"this statement gives {claim['printed']}"
    text = (
        f"the other author's scheme (claim {other['id']}, {other['source']}: "
        f"{other['statement'].rstrip('.')}) gives {other['printed']}; {mine}"
    )
    verdict = Verdict("not_checkable", f"{text}: a different periodisation, not a fact either way")
    return Outcome(other["printed"], verdict, text)


register(
    ClaimOp(
        name="other_periodisation",
        rule="One author's periodisation (phase count or boundary, a loose year such as "
        '"the 1990s" read as its `span`) set beside another author\'s: phase boundaries are '
        "a framework, not a fact, so it is always `not_checkable`, evidence `none`, and the "
        "explanation states the comparison. (An author's own stage boundaries are held "
        "against that author's table by `stage_boundary`; a dated event a boundary names "
        "may be a claim of its own.)",
        properties={"claim": {"type": "string"}, "span": YEARS},
        required=("claim",),
        check=_check_other_periodisation,
        evidence="none",
        references=lambda c: iter([("compute.claim", {"claim": c["claim"]})]),
    )
)


def _check_year_within(claim: dict, data: Data) -> Outcome:
    compute = claim["compute"]
    year = int(claim["printed"][:4])
    first, last = (int(evaluate_term(compute[k], data)) for k in ("first", "last"))
    text = (
        f"{describe_term(compute['first'])} = {first} ≤ {year} ≤ "
        f"{describe_term(compute['last'])} = {last}"
    )
    if first <= year <= last:
        inside = Verdict("reproduced", f"inside the programme's span: {text}")
        within = f"{text}, the programme's pairing span (the bracketed year labels the project)"
        verdict = bound_only(claim, inside, within, own=first != last)  # a point is exact
    else:
        verdict = Verdict(
            "discrepant",
            f"outside the span another statement gives the programme: {year} is not in "
            f"{first}–{last} ({text})",
        )
    return Outcome(str(year), verdict, text)


register(
    ClaimOp(
        name="year_within",
        rule="A year in brackets after a project's name labels the project, not the start of "
        "its pairing: it must fall within the programme's pairing span that other "
        "statements give (`first`, `last`); inside, an exact year is `not_checkable` "
        "(consistent, a bound cannot confirm it); outside, `discrepant`. Items of the list "
        "whose programme no source spans take op `none`.",
        properties={"first": TERM, "last": TERM},
        required=("first", "last"),
        check=_check_year_within,
        references=lambda c: iter([("compute.first", c["first"]), ("compute.last", c["last"])]),
    )
)


# --- trends ---------------------------------------------------------------------


def _window_values(compute: dict, data: Data) -> list[tuple[int, Decimal]]:
    cells = data.cells(compute["table"], compute["series"])
    first, last = compute["years"]
    return [(y, Decimal(cells[y])) for y in range(first, last + 1) if cells.get(y, "-") != "-"]


def _series_refs(compute):
    term = {"table": compute["table"], "series": compute["series"], "agg": "sum"}
    yield "compute", term | {"years": compute["years"]}


def _series_full_span(compute: dict, data: Data) -> dict | None:
    span = data.coverage.loc[(compute["table"], compute["series"])]
    full = [int(span["min"]), int(span["max"])]
    return None if full == list(compute["years"]) else {**compute, "years": full}


def _label(compute: dict) -> str:
    first, last = compute["years"]
    return f"T{compute['table']} {compute['series']} {first}–{last}"


def _check_monotone(claim: dict, data: Data) -> Outcome:
    compute = claim["compute"]
    values = _window_values(compute, data)
    rising = compute["direction"] == "increase"
    breaks = [
        f"{y1} ({plain(v0)} → {plain(v1)})"
        for (_, v0), (y1, v1) in itertools.pairwise(values)
        if (v1 <= v0 if rising else v1 >= v0)
    ]
    word = "rose" if rising else "fell"
    text = f"{_label(compute)}: {len(values)} values, year on year"
    if len(values) < 2:
        raise ValueError("a trend needs at least two values in its window")
    if breaks:
        verdict = Verdict(
            "unsupported",
            f"the series did not {'rise' if rising else 'fall'} every year: "
            f"not in {', '.join(breaks)} ({_label(compute)})",
        )
    else:
        verdict = Verdict("reproduced", f"the series {word} every year ({_label(compute)})")
    return Outcome("true" if not breaks else "false", verdict, text)


register(
    ClaimOp(
        name="monotone",
        rule='"Rose (fell) every year": each value in the window is strictly above (below) '
        "the one before; otherwise `unsupported`, naming the years that break it. The "
        "table's full span is added as a second row when it changes the verdict.",
        properties={
            "table": SERIES_REF["properties"]["table"],
            "series": SERIES_REF["properties"]["series"],
            "years": YEARS,
            "direction": {"enum": ["increase", "decrease"]},
        },
        required=("table", "series", "years", "direction"),
        check=_check_monotone,
        references=_series_refs,
        printed_optional=True,
        full_span=_series_full_span,
    )
)


def _growth(values: list[tuple[int, Decimal]]) -> tuple[float, float]:
    """(CAGR %, log-linear trend growth %) of a run of (year, value)."""
    from .growth import cagr, trend_growth

    years = [y for y, _ in values]
    floats = [float(v) for _, v in values]
    rate = cagr(floats[0], floats[-1], years[-1] - years[0])
    trend = trend_growth(years, floats)["growth_pct"] if len(values) >= 3 else math.nan
    return rate, trend


def _check_faster_after(claim: dict, data: Data) -> Outcome:
    compute = claim["compute"]
    after = compute["after"]
    values = _window_values(compute, data)
    before_part = [(y, v) for y, v in values if y < after]
    after_part = [(y, v) for y, v in values if y >= after]
    if len(before_part) < 3 or len(after_part) < 3:
        raise ValueError("growth before and after needs three values on each side")
    (cagr_before, trend_before), (cagr_after, trend_after) = (
        _growth(before_part),
        _growth(after_part),
    )
    by_cagr, by_trend = cagr_after > cagr_before, trend_after > trend_before
    first, last = compute["years"]
    text = (
        f"{_label(compute)}, after = {after}–{last}: CAGR {cagr_before:.2f}% a year in "
        f"{first}–{after - 1} vs {cagr_after:.2f}% after; log-linear trend "
        f"{trend_before:.2f}% vs {trend_after:.2f}%"
    )
    if by_cagr and by_trend:
        verdict = Verdict("reproduced", f"faster after {after} by both measures: {text}")
    elif by_cagr or by_trend:
        which = "CAGR" if by_cagr else "log-linear trend"
        verdict = Verdict("unsupported", f"faster after {after} only by {which}: {text}")
    else:
        verdict = Verdict("unsupported", f"not faster after {after} by either measure: {text}")
    return Outcome("true" if by_cagr and by_trend else "false", verdict, text)


register(
    ClaimOp(
        name="growth_faster_after",
        rule='"Grew faster after T": growth in [first, T−1] against [T, last], by CAGR and by '
        "log-linear trend (OLS of ln value on year); `reproduced` only if both are higher "
        "after T, else `unsupported` naming the measure(s) that disagree. Full span added "
        "as a second row when it changes the verdict.",
        properties={
            "table": SERIES_REF["properties"]["table"],
            "series": SERIES_REF["properties"]["series"],
            "years": YEARS,
            "after": {"type": "integer"},
        },
        required=("table", "series", "years", "after"),
        check=_check_faster_after,
        references=_series_refs,
        printed_optional=True,
        full_span=_series_full_span,
    )
)


def _programme_years(compute: dict, data: Data) -> tuple[pd.Series, str]:
    """Years of the programmes counted: all of Table 1, or the Table 2 programmes
    marked in one category."""
    if "category" not in compute:
        return data.events.year, "Table 1 programmes"
    rows = data.typology[(data.typology.category_id == compute["category"]) & data.typology.flag]
    return rows.year, f"Table 2 programmes marked {compute['category']}"


def _check_more_often(claim: dict, data: Data) -> Outcome:
    compute = claim["compute"]
    first, last = compute["years"]
    after = compute["after"]
    years, what = _programme_years(compute, data)
    before_n = int(years.between(first, after - 1).sum())
    after_n = int(years.between(after, last).sum())
    before_rate = Decimal(before_n) / (after - first)
    after_rate = Decimal(after_n) / (last - after + 1)
    text = (
        f"{what} {first}–{after - 1}: {before_n} in {after - first} years "
        f"({plain(round_half_up(before_rate, 3))} a year); {after}–{last}: {after_n} in "
        f"{last - after + 1} years ({plain(round_half_up(after_rate, 3))} a year)"
    )
    holds = after_rate > before_rate
    return Outcome("true" if holds else "false", judge_comparison(holds, text), text)


def _events_full_span(compute: dict, data: Data) -> dict | None:
    full = [int(data.events.year.min()), int(data.events.year.max())]
    if full[0] >= compute["after"] or full == list(compute["years"]):
        return None
    return {**compute, "years": full}


register(
    ClaimOp(
        name="more_often_since",
        rule='"Used more often since T": programmes per year in [T, last] against '
        "[first, T−1] (all of Table 1, or the Table 2 programmes marked in one `category`); "
        "`reproduced` if the rate is higher after T, else `unsupported`. Full span of Table 1 "
        "added as a second row when it changes the verdict.",
        properties={
            "years": YEARS,
            "after": {"type": "integer"},
            "category": {"type": "string", "pattern": "^[a-z][a-z_]*$"},
        },
        required=("years", "after"),
        check=_check_more_often,
        references=lambda c: iter([("compute", {"events": "count", "years": c["years"]})]),
        printed_optional=True,
        full_span=_events_full_span,
    )
)


# --- nothing to check -------------------------------------------------------------


def _check_none(claim: dict, data: Data) -> Outcome:
    return Outcome("", Verdict("not_checkable", claim["compute"]["reason"]), "none")


register(
    ClaimOp(
        name="none",
        rule="Nothing independent in the sources can check it (including a count of items "
        "enumerated in its own sentence); always `not_checkable`, with the reason.",
        properties={"reason": {"type": "string", "minLength": 10}},
        required=("reason",),
        check=_check_none,
        evidence="none",
        printed_optional=True,
    )
)
