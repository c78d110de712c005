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
from .verdicts import (
    Verdict,
    half_unit_match,
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
    """Exact aggregate of one series over an inclusive year window; '-' cells skipped."""
    first, last = term["years"]
    cells = data.cells(term["table"], term["series"])
    values = [Decimal(cells[y]) for y in range(first, last + 1) if cells.get(y, "-") != "-"]
    agg = term["agg"]
    if agg == "count":
        return Decimal(len(values))
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
        return f"count of Table 1 programmes {term['years'][0]}–{term['years'][1]}"
    first, last = term["years"]
    window = str(first) if first == last else f"{first}–{last}"
    return f"{term['agg']} of T{term['table']} {term['series']} {window}"


def evaluate_term(term, data: Data) -> Decimal:
    if isinstance(term, str):
        return Decimal(term)
    if "claim" in term:
        return Decimal(data.claims[term["claim"]]["printed"])
    if "events" in term:
        first, last = term["years"]
        return Decimal(int(data.events.year.between(first, last).sum()))
    return aggregate(term, data)


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
    places = decimals_of(printed) + 2 if printed else 4
    return format(round_half_up(value, places), "f")


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
        return Outcome(other["printed"], verdict, f"as printed by claim {other['id']} ({other['source']})")
    if op == "date_diff":
        return _date_diff(claim, data)
    if op == "compare":
        left, right = (evaluate_term(compute[k], data) for k in ("left", "right"))
        holds = {
            ">": left > right,
            ">=": left >= right,
            "<": left < right,
            "<=": left <= right,
            "==": left == right,
        }[compute["relation"]]
        text = (
            f"{describe_term(compute['left'])} = {plain(left)} {compute['relation']} "
            f"{describe_term(compute['right'])} = {plain(right)}"
        )
        return Outcome(
            "true" if holds else "false", judge_comparison(holds, text), text
        )
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


def _as_date(value, data: Data) -> date:
    text = data.claims[value["claim"]]["printed"] if isinstance(value, dict) else value
    return date.fromisoformat(text if isinstance(text, str) else text.isoformat())


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
    verdict = judge_duration(claim["printed"], exclusive + 1, exclusive)
    return Outcome(
        str(exclusive), verdict, f"{unit} from {start} to {end} (exclusive; inclusive adds one)"
    )


# --- explanations ------------------------------------------------------------


def data_terms(compute: dict) -> dict[str, dict]:
    if compute["op"] != "expression":
        return {}
    return {k: t for k, t in compute["terms"].items() if isinstance(t, dict) and "series" in t}


def candidate_variants(compute: dict, data: Data):
    """(description, changed compute) for nearby computations of an expression claim."""
    terms = data_terms(compute)
    coverage = data.series.groupby(["table", "series"])["year"].agg(["min", "max"])
    units = data.series.drop_duplicates(["table", "series"]).set_index(["table", "series"])["unit"]

    def fits(term):
        key = (term["table"], term["series"])
        if key not in coverage.index:
            return False
        lo, hi = coverage.loc[key]
        first, last = term["years"]
        return lo <= first <= last <= hi and (term["agg"] != "value" or first == last)

    def with_terms(new_terms):
        return {**compute, "terms": {**compute["terms"], **new_terms}}

    # 1. one era boundary moved by a year, consistently in every term (2013 vs 2012)
    boundaries = sorted({t["years"][0] for t in terms.values()} | {t["years"][1] + 1 for t in terms.values()})
    for boundary, delta in itertools.product(boundaries, (1, -1)):
        moved = {}
        for name, term in terms.items():
            first, last = term["years"]
            first = first + delta if first == boundary else first
            last = last + delta if last + 1 == boundary else last
            if [first, last] != term["years"]:
                moved[name] = {**term, "years": [first, last]}
        if moved and all(fits(t) for t in moved.values()):
            yield f"era boundary {boundary} moved to {boundary + delta}", with_terms(moved)
    # 2. one window end moved by a year in one term
    for name, term in terms.items():
        for which, delta in itertools.product((0, 1), (-1, 1)):
            years = list(term["years"])
            years[which] += delta
            moved = {**term, "years": years}
            if fits(moved):
                label = "first" if which == 0 else "last"
                yield f"{name}: {label} year {term['years'][which]} -> {years[which]}", with_terms({name: moved})
    # 3. a sibling series of the same table and unit in one term (all terms on that series)
    for name, term in terms.items():
        table = term["table"]
        siblings = [s for (t, s), u in units.items() if t == table and s != term["series"]]
        for sibling in siblings:
            if units[(table, sibling)] != units[(table, term["series"])]:
                continue
            swapped = {
                n: {**t, "series": sibling}
                for n, t in terms.items()
                if t["series"] == term["series"] and t["table"] == table
            }
            if all(fits(t) for t in swapped.values()):
                yield f"series {sibling} instead of {term['series']}", with_terms(swapped)


def explain(claim: dict, outcome: Outcome, data: Data) -> tuple[str, bool]:
    """Search nearby computations that reproduce the printed value; say what was found."""
    printed = claim["printed"]
    notes = []
    if printed and outcome.computed and _one_digit_apart(printed, outcome.computed):
        notes.append(f"one printed digit differs from the exact {outcome.computed}: a likely typo")
    found = []
    seen = set()
    for description, variant in candidate_variants(claim["compute"], data):
        try:
            values = {n: evaluate_term(t, data) for n, t in variant["terms"].items()}
            value = evaluate_expression(variant["expr"], values)
        except (ValueError, ArithmeticError, KeyError):
            continue
        if description in seen:
            continue
        seen.add(description)
        if half_unit_match(printed, value) or other_rounding(printed, value):
            found.append(f"{description} gives {shown(value, printed)}")
    if found:
        notes.append("reproduced by a nearby computation: " + "; ".join(found[:3]))
    elif data_terms(claim["compute"]):
        notes.append("no nearby computation (±1 year windows, the other era boundary, sibling series) reproduces it")
    return "; ".join(notes), bool(found) or any("typo" in n for n in notes)


def _one_digit_apart(printed: str, computed: str) -> bool:
    """A typo, not rounding: the exact value needs no rounding and one digit differs."""
    try:
        exact = Decimal(computed)
        rounded = round_half_up(exact, decimals_of(printed))
    except ArithmeticError:
        return False
    if rounded != exact:
        return False
    text = str(rounded)
    return len(text) == len(printed) and sum(a != b for a, b in zip(text, printed, strict=True)) == 1


# --- the ledger --------------------------------------------------------------


def check_ledger(ledger: dict, data: Data) -> pd.DataFrame:
    data.claims = {c["id"]: c for c in ledger["claims"]}
    rows = []
    for claim in ledger["claims"]:
        outcome = check_claim(claim, data)
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
