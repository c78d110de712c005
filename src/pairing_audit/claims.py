"""The claim checker: every ledger entry computed from the data and given a verdict.

Each op's check lives in the registry (claim_ops). For claims that are not
reproduced, nearby computations (another year window, the other era boundary, a
sibling series) are searched for one that would reproduce the printed number: see
`explain`. Each row also says what the claim is held against (`evidence`), what
kind of number it states (`number_kind`) and a short Chinese label (`label_zh`).
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

import pandas as pd

from .claim_ops import REGISTRY, evidence_of, statement_ids
from .claim_terms import (
    Data,
    Outcome,
    evaluate_expression,
    evaluate_term,
    is_table_term,
    shown,
    works_of_ledger,
)
from .decimals import decimals_of, round_half_up
from .errors import InputError
from .ledger import term_problem
from .verdicts import VERDICTS, Verdict, half_unit_match, other_rounding

__all__ = ["Data", "Outcome", "breakdown", "check_claim", "check_ledger", "verdict_counts"]

CLAIM_COLUMNS = [
    "claim_id",
    "source",
    "location",
    "kind",
    "statement",
    "claimed_value",
    "computed_value",
    "verdict",
    "evidence",
    "explanation",
    # beyond the contract: what a reader needs to audit the audit
    "unit",
    "qualifier",
    "computation",
    "explained",
    "number_kind",
    "label_zh",
]

# Kind of number a claim states, by its ledger unit (comparisons and trends take the
# kind of the table series they compare; see number_kind).
NUMBER_KINDS = {
    "100m_yuan": "money",
    "trillion_yuan": "money",
    "yuan": "money",
    "10k_yuan": "money",
    "persons": "persons",
    "person_times": "persons",
    "10k_persons": "persons",
    "10k_person_times": "persons",
    "million_persons": "persons",
    "percent": "percent",
    "count": "count",
    "10k_count": "count",
    "10k_times": "count",
    "year": "date_year",
    "date": "date_year",
    "days": "date_year",
    "months": "date_year",
    "years": "date_year",
    "times": "ratio",
    "comparison": "other",
}

# Chinese unit words for the label (as the sources print them).
UNIT_ZH = {
    "percent": "%",
    "times": "倍",
    "100m_yuan": "亿元",
    "trillion_yuan": "万亿元",
    "yuan": "元",
    "10k_yuan": "万元",
    "persons": "人",
    "person_times": "人次",
    "10k_persons": "万人",
    "10k_person_times": "万人次",
    "10k_times": "万次",
    "million_persons": "百万人",
    "count": "个",
    "10k_count": "万个",
    "year": "年份",
    "date": "日期",
    "days": "天",
    "months": "个月",
    "years": "年",
}
OP_ZH = {
    "monotone": "逐年变化",
    "growth_faster_after": "增速前后比较",
    "more_often_since": "使用频次",
    "parts_within_whole": "分项与总数",
    "date_diff": "时长",
}


def check_claim(claim: dict, data: Data) -> Outcome:
    return REGISTRY[claim["compute"]["op"]].check(claim, data)


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
    coverage = data.coverage
    units, labels = data.first_rows["unit"], data.first_rows["label_en"]

    def describe(names):
        """Terms in words for the explanation (a reader never sees the term names)."""
        return " and ".join(
            f"Table {terms[n]['table']} {labels[(terms[n]['table'], terms[n]['series'])]} "
            f"{terms[n]['years'][0]}–{terms[n]['years'][1]}"
            for n in names
        )

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
    # Terms that share a year window keep sharing it: a variant moves the window (or
    # leaves a year out) in all of them, never mixing windows across one sum.
    windows: dict[tuple[int, int], list[str]] = {}
    for name, term in terms.items():
        windows.setdefault(tuple(term["years"]), []).append(name)
    # 2. one window end moved by a year (in every term on that window)
    for (first, last), names in windows.items():
        label_names = describe(names)
        for which, delta in itertools.product((0, 1), (-1, 1)):
            years = [first, last]
            years[which] += delta
            moved = {n: {**terms[n], "years": years} for n in names}
            if all(fits(t) for t in moved.values()):
                label = "first" if which == 0 else "last"
                yield (
                    f"{label_names} with {label} year {years[which]} instead of "
                    f"{(first, last)[which]}",
                    with_terms(moved),
                )
    # 3. one year left out of a sum (of every term on that window)
    # (only for precise figures: with two or three digits some gap would match by chance)
    precise = len(printed.replace(".", "").lstrip("0")) >= 4
    for (first, last), names in windows.items():
        sums = all(terms[n]["agg"] == "sum" for n in names)
        if precise and sums and last - first >= 2:
            for year in range(first + 1, last):
                left_out = {n: {**terms[n], "exclude": [year]} for n in names}
                yield f"{describe(names)} without {year}", with_terms(left_out)
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
                yield (
                    f"Table {table} {labels[(table, sibling)]} instead of {labels[(table, series)]}",
                    with_terms(swapped),
                )


def explain(claim: dict, outcome: Outcome, data: Data) -> tuple[str, bool]:
    """Search nearby computations that reproduce the printed value; say what was found.

    Returns the explanation and whether one was found. Matches at the printed
    precision (half-up) are preferred; matches under another named convention are
    listed only when there is nothing better, and say which."""
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
        elif other_rounding(printed, value):
            convention = other_rounding(printed, value)
            truncated.append(f"{description} gives {shown(value, printed)} (by {convention})")
    # a "rounding" verdict already names its convention; only proper matches add news
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


def _series_units(data: Data) -> dict[tuple[int, str], str]:
    first = data.series.drop_duplicates(["table", "series"])
    return dict(zip(zip(first.table, first.series, strict=True), first.unit, strict=True))


def _series_labels(data: Data) -> dict[tuple[int, str], str]:
    if "label_zh" not in data.series:
        return {}
    first = data.series.drop_duplicates(["table", "series"])
    return dict(zip(zip(first.table, first.series, strict=True), first.label_zh, strict=True))


def _table_terms(claim: dict) -> list[dict]:
    op = REGISTRY[claim["compute"]["op"]]
    return [term for _, term in op.references(claim["compute"]) if is_table_term(term)]


def number_kind(claim: dict, series_units: dict) -> str:
    """money, persons, percent, count, date_year, ratio or other (NUMBER_KINDS); a
    comparison or trend takes the kind of the table series it reads (a Table 1
    count is a count)."""
    kind = NUMBER_KINDS[claim["unit"]]
    if kind != "other":
        return kind
    for term in _table_terms(claim):
        if "events" in term:
            return "count"
        return NUMBER_KINDS.get(series_units.get((term["table"], term["series"])), "other")
    return "other"


def _programme_labels(data: Data) -> dict:
    """Short Chinese names from the tables: Table 1 programmes by event id, Table 2's
    by printed row, the series a table check re-adds by ("check", check id)."""
    labels = {}
    if "programme_zh" in data.events:
        labels |= dict(zip(data.events.event_id, data.events.programme_zh, strict=True))
    if data.typology is not None and "programme_zh" in data.typology:
        rows = data.typology.drop_duplicates("printed_order")
        labels |= dict(zip(rows.printed_order, rows.programme_zh, strict=True))
    if "label_zh" in data.checks:  # the series a table check re-adds
        labels |= {("check", cid): text for cid, text in data.checks["label_zh"].items()}
    return labels


def _data_labels(claim: dict, series_labels: dict, programmes: dict) -> tuple[list, list]:
    """(table numbers, Chinese names) of the table data a claim reads."""
    compute = claim["compute"]
    tables = [int(n) for n in re.findall(r"Tables? (\d)", claim["location"])]
    names = []
    if compute["op"] == "cross_table":
        tables += [compute["table"], compute["other_table"]]
        names.append(series_labels.get((compute["table"], compute["series"]), ""))
    if compute["op"] == "table_check":
        tables += [int(n) for n in re.findall(r"^t(\d)", compute["check_id"])]
        names.append(programmes.get(("check", compute["check_id"]), ""))
    if compute["op"] == "table_date":
        tables.append(1 if "event" in compute else 2)
        names.append(programmes.get(compute.get("event", compute.get("typology_row")), ""))
    for term in _table_terms(claim):
        if "events" in term:  # Table 1 programmes, or Table 2's of one category
            tables.append(2 if "category" in compute else 1)
            names.append("对口支援项目")
        else:
            tables.append(term["table"])
            names.append(series_labels.get((term["table"], term["series"]), ""))
    return tables, names


def label_zh(claim: dict, short_zh: str, context: dict) -> str:
    """A short Chinese label from data labels only: document short name, table
    numbers (表3), series and programme names (also of the claims it is held
    against), the op's name for trends and wholes, the unit word."""
    labels, programmes = context["labels"], context["programmes"]
    tables, names = _data_labels(claim, labels, programmes)
    for other_id in statement_ids(claim):
        other = context["claims"][other_id]
        more_tables, more_names = _data_labels(other, labels, programmes)
        tables, names = tables + more_tables, names + more_names
    items = [short_zh]
    items += [f"表{t}" for t in sorted({t for t in tables if t})]
    items += [n for n in dict.fromkeys(names) if n]
    items.append(OP_ZH.get(claim["compute"]["op"], ""))
    items.append(UNIT_ZH.get(claim["unit"], ""))
    return " ".join(dict.fromkeys(item for item in items if item))


def _row(claim: dict, outcome: Outcome, data: Data, context: dict) -> dict:
    verdict = outcome.verdict
    evidence = evidence_of(claim)
    explanation, explained = verdict.reason, None
    if evidence == "none" and verdict.verdict != "not_checkable":
        verdict = Verdict("not_checkable", "no independent evidence")
        explanation = verdict.reason
    if verdict.verdict in ("rounding", "discrepant") and claim["printed"] is None:
        explained = False  # no printed number, so no nearby computation to search
    elif outcome.explained:  # the check itself explained it (printed components)
        explained = True
    elif verdict.verdict in ("rounding", "discrepant"):
        extra, explained = explain(claim, outcome, data)
        explanation = f"{verdict.reason}; {extra}" if extra else verdict.reason
    if claim.get("judgement"):  # a reading of the words the arithmetic cannot settle
        explanation += f"; judgement: {claim['judgement']}"
    if evidence == "statement":
        others = statement_ids(claim)
        if not all(other in explanation for other in others):
            explanation += f" (held against claim {', '.join(others)})"
    return {
        "claim_id": claim["id"],
        "source": claim["source"],
        "location": claim["location"],
        "kind": claim["kind"],
        "statement": claim["statement"],
        "claimed_value": claim["printed"] if claim["printed"] is not None else "",
        "computed_value": outcome.computed,
        "verdict": verdict.verdict,
        "evidence": evidence,
        "explanation": explanation,
        "unit": claim["unit"],
        "qualifier": claim["qualifier"],
        "computation": outcome.computation,
        "explained": explained,
        "number_kind": number_kind(claim, context["units"]),
        "label_zh": label_zh(
            claim, context["short_zh"].get(claim["source"], claim["source"]), context
        ),
    }


def _checked(claim: dict, data: Data, ledger_path) -> Outcome:
    try:
        return check_claim(claim, data)
    except (ArithmeticError, ValueError, KeyError, TypeError) as exc:
        # a ledger entry that cannot be computed is a ledger bug: name it
        raise InputError(
            ledger_path, f"claim {claim['id']}", "compute", f"cannot compute: {exc!r}"
        ) from None


def check_ledger(ledger: dict, data: Data, ledger_path: str = "claims ledger") -> pd.DataFrame:
    """One row per claim (plus a full-span row for a trend claim whose verdict the
    table's full span changes), in ledger order."""
    data.claims = {c["id"]: c for c in ledger["claims"]}
    data.works = works_of_ledger(ledger)
    context = {
        "units": _series_units(data),
        "labels": _series_labels(data),
        "programmes": _programme_labels(data),
        "claims": data.claims,
        "short_zh": {k: d.get("short_zh", k) for k, d in ledger["documents"].items()},
    }
    rows = []
    for claim in ledger["claims"]:
        outcome = _checked(claim, data, ledger_path)
        rows.append(_row(claim, outcome, data, context))
        full_span = REGISTRY[claim["compute"]["op"]].full_span
        wider = full_span(claim["compute"], data) if full_span else None
        if wider is not None:
            first, last = wider["years"]
            own_first, own_last = claim["compute"]["years"]
            twin = {
                **claim,
                "id": f"{claim['id']}_full_span",
                "statement": f"{claim['statement']} [OUR sensitivity reading over the table's "
                f"full span {first}–{last}, not the paper's claim]",
                "compute": wider,
            }
            other = _checked(twin, data, ledger_path)
            if other.verdict.verdict != outcome.verdict.verdict:
                row = _row(twin, other, data, context)
                row["explanation"] += (
                    f"; a sensitivity row, not a finding against the paper: the paper's "
                    f"claim covers {own_first}–{own_last} (row {claim['id']}), this reading "
                    f"over {first}–{last} is ours"
                )
                rows.append(row)
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS)


def verdict_counts(claims: pd.DataFrame, documents: list[str]) -> pd.DataFrame:
    """Claims per document and verdict, every verdict a column (zeros kept)."""
    counts = pd.crosstab(claims["source"], claims["verdict"]).reindex(
        index=documents, columns=list(VERDICTS), fill_value=0
    )
    counts["total"] = counts.sum(axis=1)
    return counts.rename_axis("source").reset_index()


BREAKDOWN_COLUMNS = ["source", "evidence", "number_kind", "verdict", "claims"]


def breakdown(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims per (source, evidence, number_kind, verdict), long, every combination
    that occurs, sorted."""
    keys = BREAKDOWN_COLUMNS[:-1]
    counts = claims.groupby(keys).size().rename("claims").reset_index()
    return counts.sort_values(keys, ignore_index=True)[BREAKDOWN_COLUMNS]
