"""The claim checker: every ledger entry computed from the data and given a verdict.

Numbers are computed in exact decimals from the printed strings of series.csv,
never from binary floats. For claims that are not reproduced, nearby computations
(another year window, the other era boundary, a sibling series) are searched for
one that would reproduce the printed number: see `explain`.
"""

from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, getcontext

import pandas as pd

from .decimals import decimals_of, plain, round_half_up
from .errors import InputError
from .ledger import series_coverage, term_problem
from .verdicts import (
    Verdict,
    half_unit_match,
    is_date,
    judge_comparison,
    judge_duration,
    judge_number,
    judge_same,
    other_rounding,
)

getcontext().prec = 34

CLAIM_COLUMNS = [
    "claim_id",
    "source",
    "location",
    "kind",
    "statement",
    "claimed_value",
    "computed_value",
    "verdict",
    "explanation",
    # beyond the contract: what a reader needs to audit the audit
    "unit",
    "qualifier",
    "computation",
    "explained",
]


@dataclass
class Data:
    """Everything a claim may be computed from."""

    series: pd.DataFrame  # series.csv
    events: pd.DataFrame  # events.csv
    checks: pd.DataFrame  # table_checks.csv, indexed by check_id
    typology: pd.DataFrame | None = None  # typology.csv
    claims: dict[str, dict] = field(default_factory=dict)
    about_tolerance: float = 0.10
    _cells: dict = field(default_factory=dict, repr=False)

    def cells(self, table: int, series: str) -> dict[int, str]:
        key = (table, series)
        if key not in self._cells:
            rows = self.series[(self.series.table == table) & (self.series.series == series)]
            self._cells[key] = dict(zip(rows.year, rows.value_printed, strict=True))
        return self._cells[key]


# --- terms -------------------------------------------------------------------


def aggregate(term: dict, data: Data) -> Decimal:
    """Exact aggregate of one series over an inclusive year window (default: all
    years); '-' cells skipped."""
    cells = data.cells(term["table"], term["series"])
    first, last = term.get("years", [min(cells), max(cells)])
    skip = set(term.get("exclude", ()))  # used only by the explanation search
    years = [y for y in range(first, last + 1) if cells.get(y, "-") != "-" and y not in skip]
    values = [Decimal(cells[y]) for y in years]
    agg = term["agg"]
    if agg == "count":
        return Decimal(len(values))
    if agg in ("first_year", "last_year"):
        return Decimal(years[0] if agg == "first_year" else years[-1])
    if not values:
        raise ValueError("no values in window")
    if agg in ("sum", "value"):
        return sum(values, Decimal(0))
    if agg == "mean":
        return sum(values, Decimal(0)) / len(values)
    return min(values) if agg == "min" else max(values)


def describe_term(term) -> str:
    if isinstance(term, str):
        return f"printed {term}"
    if "claim" in term:
        return f"claim {term['claim']}"
    if "events" in term:
        what = {
            "count": "count",
            "first_year": "first year",
            "last_year": "last year",
            "stages": "number of stages",
        }[term["events"]]
        scope = f" of stage {term['stage']}" if "stage" in term else ""
        window = f" in {term['years'][0]}–{term['years'][1]}" if "years" in term else ""
        return f"{what} of Table 1 programmes{scope}{window}"
    if "years" not in term:
        return f"{term['agg']} of T{term['table']} {term['series']} (all years)"
    first, last = term["years"]
    window = str(first) if first == last else f"{first}–{last}"
    return f"{term['agg']} of T{term['table']} {term['series']} {window}"


def evaluate_term(term, data: Data) -> Decimal:
    if isinstance(term, str):
        return Decimal(term)
    if "claim" in term:
        return Decimal(data.claims[term["claim"]]["printed"])
    if "events" in term:
        events = data.events
        if "stage" in term:
            events = events[events.stage_id == term["stage"]]
        if "years" in term:
            events = events[events.year.between(*term["years"])]
        if term["events"] == "count":
            return Decimal(len(events))
        if term["events"] == "stages":
            return Decimal(events.stage_id.nunique())
        years = events.year
        return Decimal(int(years.min() if term["events"] == "first_year" else years.max()))
    return aggregate(term, data)


def comparable(term, data: Data):
    """A term's value for ordering: dates (printed by a claim) as (year, month, day)."""
    if isinstance(term, dict) and "claim" in term:
        printed = data.claims[term["claim"]]["printed"]
        if is_date(printed):
            return tuple(int(part) for part in printed.split("-"))
    return evaluate_term(term, data)


def table_date(compute: dict, data: Data) -> tuple[str, str]:
    """(ISO date as precise as printed, description) of a Table 1 or Table 2 entry."""
    if "event" in compute:
        event = data.events.set_index("event_id").loc[compute["event"]]
        parts = [f"{int(event.year):04d}"] + [
            f"{int(event[k]):02d}" for k in ("month", "day") if pd.notna(event[k])
        ]
        return "-".join(parts), f"Table 1 dates {event.programme_en!r} {event.date_printed}"
    rows = data.typology[data.typology.printed_order == compute["typology_row"]]
    row = rows.iloc[0]
    return str(
        int(row.year)
    ), f"Table 2 row {compute['typology_row']} ({row.programme_en}) gives {row.year}"


def evaluate_expression(expr: str, values: dict[str, Decimal]) -> Decimal:
    """+ - * / and parentheses over named decimals; nothing else is accepted."""

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in OPS:
            return OPS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.Name):
            return values[node.id]
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return Decimal(str(node.value))
        raise ValueError(f"unsupported expression element: {ast.dump(node)}")

    return walk(ast.parse(expr, mode="eval"))


OPS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


# --- one claim ---------------------------------------------------------------


@dataclass
class Outcome:
    computed: str
    verdict: Verdict
    computation: str
    explanation: str = ""
    explained: bool | None = None


def shown(value: Decimal, printed: str | None) -> str:
    """A computed number shown two digits beyond the printed precision."""
    places = decimals_of(printed) if printed else 0
    if round_half_up(value, places) == value:  # exact at printed precision: show it so
        return format(round_half_up(value, places), "f")
    return format(round_half_up(value, places + 2), "f")


def check_claim(claim: dict, data: Data) -> Outcome:
    compute, printed = claim["compute"], claim["printed"]
    op = compute["op"]
    tol = data.about_tolerance
    if op == "none":
        return Outcome("", Verdict("not_checkable", compute["reason"]), "none")
    if op == "table_check":
        check = data.checks.loc[compute["check_id"]]
        value = Decimal(check["recomputed"])
        verdict = judge_number(printed, value, claim["qualifier"], tol)
        text = f"re-added {check['first_year']}–{check['last_year']} (table_checks {compute['check_id']})"
        return Outcome(shown(value, printed), verdict, text)
    if op == "cross_table":
        term = {"table": compute["other_table"], "series": compute["series"]}
        term |= {"years": compute["years"], "agg": "sum"}
        value = aggregate(term, data)
        return Outcome(
            shown(value, printed),
            judge_number(printed, value, claim["qualifier"], tol),
            describe_term(term),
        )
    if op == "same_as":
        other = data.claims[compute["claim"]]
        verdict = judge_same(printed, other["printed"], tol, claim["qualifier"])
        return Outcome(
            other["printed"], verdict, f"as printed by claim {other['id']} ({other['source']})"
        )
    if op == "table_date":
        value, text = table_date(compute, data)
        return Outcome(value, judge_same(printed, value, tol, claim["qualifier"]), text)
    if op == "date_diff":
        return _date_diff(claim, data)
    if op == "compare":
        left, right = (comparable(compute[k], data) for k in ("left", "right"))
        holds = {
            ">": left > right,
            ">=": left >= right,
            "<": left < right,
            "<=": left <= right,
            "==": left == right,
        }[compute["relation"]]
        text = (
            f"{describe_term(compute['left'])} = {_show(left)} {compute['relation']} "
            f"{describe_term(compute['right'])} = {_show(right)}"
        )
        verdict = judge_comparison(holds, text)
        if not holds and claim["kind"] == "cross_document":
            verdict = Verdict("discrepant", f"the sources contradict each other: {text}")
        return Outcome("true" if holds else "false", verdict, text)
    # expression
    values = {name: evaluate_term(term, data) for name, term in compute["terms"].items()}
    value = evaluate_expression(compute["expr"], values)
    parts = "; ".join(
        f"{name} = {describe_term(term)} = {plain(values[name])}"
        for name, term in compute["terms"].items()
    )
    return Outcome(
        shown(value, printed),
        judge_number(printed, value, claim["qualifier"], tol),
        f"{compute['expr']}; {parts}",
    )


def _show(value) -> str:
    if isinstance(value, tuple):
        return "-".join(f"{part:02d}" for part in value)
    return plain(value)


def _as_date(value, data: Data) -> date:
    text = data.claims[value["claim"]]["printed"] if isinstance(value, dict) else value
    return date.fromisoformat(text)


def _date_diff(claim: dict, data: Data) -> Outcome:
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
    return Outcome(
        str(exclusive), verdict, f"{unit} from {start} to {end} (exclusive; inclusive adds one)"
    )


# --- explanations ------------------------------------------------------------


def data_terms(compute: dict) -> dict[str, dict]:
    if compute["op"] != "expression":
        return {}
    return {k: t for k, t in compute["terms"].items() if isinstance(t, dict) and "series" in t}


def candidate_variants(compute: dict, data: Data, printed: str = ""):
    """(description, changed compute) for nearby computations of an expression claim:
    an era boundary moved a year (2013 rather than 2012 as the first "after" year),
    one window end moved a year, one year left out of a sum, a sibling series."""
    terms = {k: t for k, t in data_terms(compute).items() if "years" in t}
    coverage = series_coverage(data.series)
    units = data.series.drop_duplicates(["table", "series"]).set_index(["table", "series"])["unit"]

    def span(term):
        return coverage.loc[(term["table"], term["series"])]

    def fits(term):
        return term_problem(term, coverage) is None

    def with_terms(new_terms):
        return {**compute, "terms": {**compute["terms"], **new_terms}}

    # 1. an era boundary inside the data moved by a year, consistently in every term
    boundaries = {t["years"][0] for t in terms.values() if t["years"][0] > span(t)["min"]}
    boundaries |= {t["years"][1] + 1 for t in terms.values() if t["years"][1] < span(t)["max"]}
    for boundary, delta in itertools.product(sorted(boundaries), (1, -1)):
        moved = {}
        for name, term in terms.items():
            first, last = term["years"]
            first = first + delta if first == boundary else first
            last = last + delta if last + 1 == boundary else last
            if [first, last] != term["years"]:
                moved[name] = {**term, "years": [first, last]}
        if moved and all(fits(t) for t in moved.values()):
            yield f"later era starting {boundary + delta} instead of {boundary}", with_terms(moved)
    # 2. one window end moved by a year in one term
    for name, term in terms.items():
        for which, delta in itertools.product((0, 1), (-1, 1)):
            years = list(term["years"])
            years[which] += delta
            moved = {**term, "years": years}
            if fits(moved):
                label = "first" if which == 0 else "last"
                yield (
                    f"{name} with {label} year {years[which]} instead of {term['years'][which]}",
                    with_terms({name: moved}),
                )
    # 3. one year left out of a sum
    # (only for precise figures: with two or three digits some gap would match by chance)
    precise = len(printed.replace(".", "").lstrip("0")) >= 4
    for name, term in terms.items():
        first, last = term["years"]
        if precise and term["agg"] == "sum" and last - first >= 2:
            for year in range(first + 1, last):
                yield f"{name} without {year}", with_terms({name: {**term, "exclude": [year]}})
    # 4. a sibling series of the same table (same unit unless every term is on it)
    series_used = {(t["table"], t["series"]) for t in terms.values()}
    for table, series in sorted(series_used):
        siblings = [s for (t, s) in units.index if t == table and s != series]
        for sibling in siblings:
            if len(series_used) > 1 and units[(table, sibling)] != units[(table, series)]:
                continue
            swapped = {
                n: {**t, "series": sibling}
                for n, t in terms.items()
                if (t["table"], t["series"]) == (table, series)
            }
            if all(fits(t) for t in swapped.values()):
                yield f"series {sibling} instead of {series}", with_terms(swapped)


def explain(claim: dict, outcome: Outcome, data: Data) -> tuple[str, bool]:
    """Search nearby computations that reproduce the printed value; say what was found.

    Returns the explanation and whether one was found. Matches at the printed
    precision (half-up) are preferred; truncation-only matches are listed only when
    there is nothing better, and say so."""
    printed = claim["printed"]
    notes = []
    typo = bool(
        printed and outcome.computed and _one_digit_apart(printed, outcome.computed, claim["unit"])
    )
    if typo:
        notes.append(f"one printed digit differs from the exact {outcome.computed}: a likely typo")
    rounded, truncated, seen = [], [], set()
    for description, variant in candidate_variants(claim["compute"], data, printed):
        if description in seen:
            continue
        seen.add(description)
        try:
            values = {n: evaluate_term(t, data) for n, t in variant["terms"].items()}
            value = evaluate_expression(variant["expr"], values)
        except (ValueError, ArithmeticError, KeyError):
            continue
        if half_unit_match(printed, value):
            rounded.append(f"{description} gives {shown(value, printed)}")
        elif other_rounding(printed, value) and "truncated" in other_rounding(printed, value):
            truncated.append(f"{description} gives {shown(value, printed)} (if truncated)")
    # a "rounding" verdict already says truncation works; only proper matches add news
    found = rounded or (truncated if outcome.verdict.verdict != "rounding" else [])
    if found:
        notes.append("reproduced by a nearby computation: " + "; ".join(found[:3]))
    elif data_terms(claim["compute"]):
        notes.append(
            "no nearby computation (other era boundary, ±1-year windows, a year left out, "
            "sibling series) reproduces it"
        )
    return "; ".join(notes), bool(found) or typo


def _one_digit_apart(printed: str, computed: str, unit: str) -> bool:
    """A typo, not rounding: a long exact value needing no rounding, one digit off."""
    if unit in ("year", "date") or len(printed.replace(".", "").lstrip("0")) < 4:
        return False
    try:
        exact = Decimal(computed)
        rounded = round_half_up(exact, decimals_of(printed))
    except ArithmeticError:
        return False
    if rounded != exact:
        return False
    text = str(rounded)
    return (
        len(text) == len(printed) and sum(a != b for a, b in zip(text, printed, strict=True)) == 1
    )


# --- the ledger --------------------------------------------------------------


def check_ledger(ledger: dict, data: Data, ledger_path: str = "claims ledger") -> pd.DataFrame:
    data.claims = {c["id"]: c for c in ledger["claims"]}
    rows = []
    for claim in ledger["claims"]:
        try:
            outcome = check_claim(claim, data)
        except (ArithmeticError, ValueError, KeyError, TypeError) as exc:
            # a ledger entry that cannot be computed is a ledger bug: name it
            raise InputError(
                ledger_path, f"claim {claim['id']}", "compute", f"cannot compute: {exc!r}"
            ) from None
        verdict = outcome.verdict
        explanation, explained = verdict.reason, None
        if verdict.verdict in ("rounding", "discrepant"):
            extra, explained = explain(claim, outcome, data)
            explanation = f"{verdict.reason}; {extra}" if extra else verdict.reason
        rows.append(
            {
                "claim_id": claim["id"],
                "source": claim["source"],
                "location": claim["location"],
                "kind": claim["kind"],
                "statement": claim["statement"],
                "claimed_value": claim["printed"] if claim["printed"] is not None else "",
                "computed_value": outcome.computed,
                "verdict": verdict.verdict,
                "explanation": explanation,
                "unit": claim["unit"],
                "qualifier": claim["qualifier"],
                "computation": outcome.computation,
                "explained": explained,
            }
        )
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS)


def verdict_counts(claims: pd.DataFrame, documents: list[str]) -> pd.DataFrame:
    """Claims per document and verdict, every verdict a column (zeros kept)."""
    from .verdicts import VERDICTS

    counts = pd.crosstab(claims["source"], claims["verdict"]).reindex(
        index=documents, columns=list(VERDICTS), fill_value=0
    )
    counts["total"] = counts.sum(axis=1)
    return counts.rename_axis("source").reset_index()
