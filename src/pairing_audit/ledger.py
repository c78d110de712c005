"""Loading and validating the claim ledger (config/claims.yaml).

A typo in the ledger stops the run with a message naming the claim id and the
field: schema errors from jsonschema, and references (series, years, check ids,
other claims) that the data do not have.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import jsonschema
import pandas as pd
import yaml

from .errors import InputError


def claims_schema() -> dict:
    text = (
        resources.files("pairing_audit").joinpath("schemas/claims.schema.yaml").read_text("utf-8")
    )
    return yaml.safe_load(text)


def _claim_location(ledger: dict, path: list) -> tuple[str, str]:
    """(claim id, dotted field) for a jsonschema error path like ['claims', 3, 'compute', 'op']."""
    if len(path) >= 2 and path[0] == "claims" and isinstance(path[1], int):
        claim = ledger["claims"][path[1]]
        claim_id = claim.get("id", f"#{path[1]}") if isinstance(claim, dict) else f"#{path[1]}"
        return f"claim {claim_id}", ".".join(str(p) for p in path[2:]) or "-"
    return "-", ".".join(str(p) for p in path) or "-"


def load_ledger(path: str | Path) -> dict:
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "-", "-", "claim ledger not found")
    ledger = yaml.safe_load(path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(claims_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(ledger))
    if error is not None:
        row, field = _claim_location(ledger, list(error.absolute_path))
        raise InputError(path, row, field, _short(error))
    return ledger


def _short(error: jsonschema.ValidationError) -> str:
    if error.validator == "oneOf":
        return f"{error.instance!r} matches none of the allowed forms"
    return error.message if len(error.message) < 200 else error.message[:200] + "…"


def iter_terms(compute: dict):
    """(field path, term) for every term a computation refers to."""
    for name, term in compute.get("terms", {}).items():
        yield f"compute.terms.{name}", term
    for key in ("left", "right", "start", "end"):
        if key in compute:
            yield f"compute.{key}", compute[key]
    if compute["op"] == "same_as":
        yield "compute.claim", {"claim": compute["claim"]}


def validate_references(
    ledger: dict,
    path,
    series: pd.DataFrame,
    check_ids: set[str],
    event_ids: set[str],
    typology_rows: set[int] = frozenset(),
) -> None:
    """Every series, year window, check id, claim and document a claim names must exist."""
    ids: dict[str, int] = {}
    for index, claim in enumerate(ledger["claims"]):
        if claim["id"] in ids:
            raise InputError(path, f"claim {claim['id']}", "id", "duplicate claim id")
        ids[claim["id"]] = index
    coverage = series_coverage(series)
    for claim in ledger["claims"]:
        row = f"claim {claim['id']}"
        if claim["source"] not in ledger["documents"]:
            raise InputError(path, row, "source", f"unknown document {claim['source']!r}")
        compute = claim["compute"]
        if compute["op"] == "table_check" and compute["check_id"] not in check_ids:
            raise InputError(
                path, row, "compute.check_id", f"no table check {compute['check_id']!r}"
            )
        if compute["op"] == "table_date":
            if "event" in compute and compute["event"] not in event_ids:
                raise InputError(
                    path, row, "compute.event", f"no Table 1 event {compute['event']!r}"
                )
            if "typology_row" in compute and compute["typology_row"] not in typology_rows:
                raise InputError(path, row, "compute.typology_row", "no such Table 2 row")
        if compute["op"] == "cross_table":
            for key in ("table", "other_table"):
                term = {
                    "table": compute[key],
                    "series": compute["series"],
                    "years": compute["years"],
                }
                _check_data_term(term, coverage, path, row, f"compute.{key}")
        if claim["printed"] is None and compute["op"] not in ("compare", "none"):
            raise InputError(path, row, "printed", "only comparisons may have no printed value")
        for field, term in iter_terms(compute):
            if isinstance(term, dict) and "series" in term:
                _check_data_term(term, coverage, path, row, field)
            elif isinstance(term, dict) and "claim" in term and term["claim"] not in ids:
                raise InputError(path, row, field, f"unknown claim {term['claim']!r}")
            elif isinstance(term, dict) and "events" in term and "years" in term:
                first, last = term["years"]
                if first > last:
                    raise InputError(path, row, f"{field}.years", "window ends before it starts")


def series_coverage(series: pd.DataFrame) -> pd.DataFrame:
    """First and last year of every (table, series) in series.csv."""
    return series.groupby(["table", "series"])["year"].agg(["min", "max"])


def term_problem(term: dict, coverage: pd.DataFrame) -> tuple[str, str] | None:
    """(field, problem) if a data term does not fit the data, else None."""
    key = (term["table"], term["series"])
    if key not in coverage.index:
        return "series", f"unknown series {term['series']!r} in Table {term['table']}"
    lo, hi = coverage.loc[key, "min"], coverage.loc[key, "max"]
    first, last = term.get("years", [lo, hi])
    if first > last or first < lo or last > hi:
        return "years", f"years {first}–{last} outside the data ({lo}–{hi})"
    if term.get("agg") == "value" and first != last:
        return "agg", "agg 'value' needs a one-year window"
    return None


def _check_data_term(term, coverage, path, row, field) -> None:
    problem = term_problem(term, coverage)
    if problem:
        raise InputError(path, row, f"{field}.{problem[0]}", problem[1])
