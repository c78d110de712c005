"""What a claim is computed from: the data it may read and the terms that read it.

Numbers are computed in exact decimals from the printed strings of series.csv,
never from binary floats.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from decimal import Decimal, getcontext

import pandas as pd

from .decimals import decimals_of, round_half_up
from .ledger import series_coverage
from .verdicts import Verdict, is_date

getcontext().prec = 34


@dataclass
class Data:
    """Everything a claim may be computed from."""

    series: pd.DataFrame  # series.csv
    events: pd.DataFrame  # events.csv
    checks: pd.DataFrame  # table_checks.csv, indexed by check_id
    typology: pd.DataFrame | None = None  # typology.csv
    claims: dict[str, dict] = field(default_factory=dict)
    # document id -> the work it belongs to (a paper and its own English summary are
    # one work); a document missing here is a work of its own
    works: dict[str, str] = field(default_factory=dict)
    about_tolerance: float = 0.10
    _cells: dict = field(default_factory=dict, repr=False)
    _coverage: pd.DataFrame | None = field(default=None, repr=False)
    _events_by_id: pd.DataFrame | None = field(default=None, repr=False)
    _first_rows: pd.DataFrame | None = field(default=None, repr=False)

    def cells(self, table: int, series: str) -> dict[int, str]:
        """{year: printed cell} of one series; built once per series (one pass over
        series.csv for all of them, so checking grows linearly with the ledger)."""
        if not self._cells:
            for (tab, name), rows in self.series.groupby(["table", "series"], sort=False):
                self._cells[(tab, name)] = dict(zip(rows.year, rows.value_printed, strict=True))
        return self._cells.get((table, series), {})

    def event(self, event_id: str) -> pd.Series:
        """One Table 1 row by its event id (the index is built once, not per claim)."""
        if self._events_by_id is None:
            self._events_by_id = self.events.set_index("event_id")
        return self._events_by_id.loc[event_id]

    @property
    def first_rows(self) -> pd.DataFrame:
        """The first row of each series (its unit and labels), indexed by (table, series)."""
        if self._first_rows is None:
            first = self.series.drop_duplicates(["table", "series"])
            self._first_rows = first.set_index(["table", "series"])
        return self._first_rows

    @property
    def coverage(self) -> pd.DataFrame:
        if self._coverage is None:
            self._coverage = series_coverage(self.series)
        return self._coverage


def work_of(source: str, works: dict[str, str] | None) -> str:
    """The work a document belongs to (its own id when the ledger names none)."""
    return (works or {}).get(source, source)


def works_of_ledger(ledger: dict) -> dict[str, str]:
    """document id -> work, from each ledger document's `work` field."""
    return {key: doc.get("work", key) for key, doc in ledger["documents"].items()}


@dataclass
class Outcome:
    computed: str
    verdict: Verdict
    computation: str
    explanation: str = ""
    explained: bool | None = None


def is_table_term(term) -> bool:
    return isinstance(term, dict) and ("series" in term or "events" in term)


def is_claim_term(term) -> bool:
    return isinstance(term, dict) and "claim" in term


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


def show_value(value) -> str:
    from .decimals import plain

    if isinstance(value, tuple):
        return "-".join(f"{part:02d}" for part in value)
    return plain(value)


OPERATORS = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}


def expression_problem(expr: str, names) -> str | None:
    """Why an `expr` cannot be computed from the named terms, or None."""
    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError as exc:
        return f"expression {expr!r} does not parse ({exc.msg})"
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in names:
            return f"expression {expr!r} uses {node.id!r}, which is not among its terms"
        allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.USub, ast.Name, ast.Load)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            continue
        if type(node) in OPERATORS or isinstance(node, allowed):
            continue
        return f"expression {expr!r}: only + - * / and parentheses over terms are allowed"
    return None


def evaluate_expression(expr: str, values: dict[str, Decimal]) -> Decimal:
    """+ - * / and parentheses over named decimals; nothing else is accepted."""

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
            return OPERATORS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.Name):
            return values[node.id]
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return Decimal(str(node.value))
        raise ValueError(f"unsupported expression element: {ast.dump(node)}")

    return walk(ast.parse(expr, mode="eval"))


def component_names(key: str) -> list[str]:
    """The terms a printed component stands for: `a`, or `b + c` for one printed
    number that gives the sum of several terms."""
    return [name.strip() for name in key.split("+")]


def substitute_sum(expr: str, names: list[str], new_name: str) -> str | None:
    """`expr` with the (parenthesised) sum of exactly `names` replaced by `new_name`,
    or None if the expression has no such sum."""
    if len(names) == 1:
        return expr

    def operands(node):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return operands(node.left) + operands(node.right)
        return [node.id if isinstance(node, ast.Name) else None]

    class Swap(ast.NodeTransformer):
        found = False

        def visit_BinOp(self, node):
            if isinstance(node.op, ast.Add) and sorted(operands(node)) == sorted(names):
                self.found = True
                return ast.Name(id=new_name, ctx=ast.Load())
            return self.generic_visit(node)

    swap = Swap()
    tree = swap.visit(ast.parse(expr, mode="eval"))
    return ast.unparse(tree) if swap.found else None


def shown(value: Decimal, printed: str | None) -> str:
    """A computed number shown two digits beyond the printed precision."""
    places = decimals_of(printed) if printed else 0
    if round_half_up(value, places) == value:  # exact at printed precision: show it so
        return format(round_half_up(value, places), "f")
    return format(round_half_up(value, places + 2), "f")
