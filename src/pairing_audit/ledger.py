"""Loading and validating the claim ledger (config/claims.yaml).

A typo in the ledger stops the run with a message naming the claim id and the
field: YAML syntax errors (with the line), schema errors from jsonschema, an `expr`
that does not parse, references (series, years, check ids, other claims) that the
data do not have, and computations that check nothing (all terms typed into the
ledger, or a value compared with itself).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import jsonschema
import pandas as pd
import yaml

from .errors import InputError

# The C loader is some ten times faster on a large ledger; SafeLoader where libyaml
# is missing.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def claims_schema() -> dict:
    """The ledger schema: the YAML file's terms and claim fields, with each op's
    compute fields taken from the op registry (so an op is declared in one place)."""
    from .claim_ops import REGISTRY

    text = (
        resources.files("pairing_audit").joinpath("schemas/claims.schema.yaml").read_text("utf-8")
    )
    schema = yaml.load(text, Loader=YAML_LOADER)
    compute = schema["$defs"]["compute"]
    compute["properties"]["op"] = {"enum": list(REGISTRY)}
    compute["allOf"] = [op.schema() for op in REGISTRY.values()]
    return schema


def read_yaml(path: Path):
    """Parse a YAML file; a syntax error names the file and the line."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else ("-", "-")
        raise InputError(
            path, line, column, f"YAML syntax error at line {line}: {exc.problem}"
        ) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(path, "-", "-", f"not readable as YAML: {exc}") from None


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
    ledger = read_yaml(path)
    error_path, error = _schema_error(ledger, claims_schema())
    if error is not None:
        row, field = _claim_location(ledger, error_path)
        raise InputError(path, row, field, _short(error))
    return ledger


def _schema_error(ledger, schema: dict) -> tuple[list, jsonschema.ValidationError | None]:
    """(path, error) of the most relevant schema error, or ([], None).

    The same schema in two passes: everything but the per-op compute fields, then
    each claim's compute against its own op's fields only. One pass over the whole
    schema tried every op's `if` on every claim (15 ops x 400 claims): most of the
    validation time. A ledger with errors in one claim gets the message the one-pass
    validation gave; with errors in several claims, the first such claim's is named."""
    compute = schema["$defs"]["compute"]
    per_op = {rule["if"]["properties"]["op"]["const"]: rule["then"] for rule in compute["allOf"]}
    outline = {**schema, "$defs": {**schema["$defs"], "compute": _without(compute, "allOf")}}
    best = jsonschema.exceptions.best_match
    error = best(jsonschema.Draft202012Validator(outline).iter_errors(ledger))
    if error is not None:
        return list(error.absolute_path), error
    validators = {
        op: jsonschema.Draft202012Validator({"$defs": schema["$defs"], **fields})
        for op, fields in per_op.items()
    }
    for index, claim in enumerate(ledger["claims"]):
        error = best(validators[claim["compute"]["op"]].iter_errors(claim["compute"]))
        if error is not None:
            return ["claims", index, "compute", *error.absolute_path], error
    return [], None


def _without(mapping: dict, key: str) -> dict:
    return {k: v for k, v in mapping.items() if k != key}


def _short(error: jsonschema.ValidationError) -> str:
    if error.validator == "oneOf":
        return f"{error.instance!r} matches none of the allowed forms"
    return error.message if len(error.message) < 200 else error.message[:200] + "…"


def iter_terms(compute: dict):
    """(field path, term) for every term a computation refers to (from the op registry)."""
    from .claim_ops import REGISTRY

    yield from REGISTRY[compute["op"]].references(compute)


def computation_problem(
    claim: dict, claims: dict[str, dict] | None = None, works: dict[str, str] | None = None
) -> tuple[str, str] | None:
    """(field, problem) when a computation cannot check anything: every term typed
    into the ledger (such as an enumeration counted as 1 + 1 + 1), a value held
    against itself, or a fact restated from its own passage (`same_as` a claim with
    the same document and location). Such claims belong under op `none`. A number
    restated elsewhere in its document whose first printing has a check takes that
    check, not `same_as`: a restatement is no independent evidence. "Its own
    passage" is decided by work (`works`: document id -> work), so a paper and its
    own summary are one; a summary printed as a separate document may still restate
    a checked number by `same_as`, whose agreement is then `not_checkable`."""
    from .claim_ops import REGISTRY
    from .claim_terms import component_names, expression_problem, substitute_sum, work_of

    compute = claim["compute"]
    op = REGISTRY[compute["op"]]
    if op.evidence:  # table ops and `none` say what they rest on
        return None
    if compute["op"] == "expression":
        problem = expression_problem(compute["expr"], compute["terms"])
        if problem:
            return "compute.expr", problem
        for key in compute.get("printed_components", {}):
            names = component_names(key)
            for name in names:
                if name not in compute["terms"]:
                    return f"compute.printed_components.{key}", f"{name!r} is not among its terms"
            if substitute_sum(compute["expr"], names, "component") is None:
                return f"compute.printed_components.{key}", (
                    f"{key!r} is not a parenthesised sum in the expression"
                )
    terms = [term for _, term in op.references(compute)]
    if all(isinstance(term, str) for term in terms):
        return "compute", (
            "every term is a number typed into the ledger, so the computation checks "
            "nothing; use op none (or reference the claims that print those numbers)"
        )
    others = [t for t in terms if not (isinstance(t, dict) and t.get("claim") == claim["id"])]
    if all(isinstance(term, str) for term in others):
        return "compute", "the computation holds the claim's value against itself"
    if compute["op"] == "compare" and compute["left"] == compute["right"]:
        return "compute", "both sides of the comparison are the same term"
    other = (claims or {}).get(compute.get("claim")) if compute["op"] == "same_as" else None
    same_work = other and work_of(other["source"], works) == work_of(claim["source"], works)
    if same_work and other["location"] == claim["location"]:
        return "compute.claim", (
            f"restates claim {other['id']} from the same passage; a repeat is no "
            "independent evidence"
        )
    if other and other["source"] == claim["source"] and other["compute"]["op"] != "none":
        return "compute.claim", (
            f"restates claim {other['id']} of the same document, which op "
            f"{other['compute']['op']!r} checks; a second printing is checked as the first "
            "is (the same compute), never by agreeing with it"
        )
    return None


def validate_references(
    ledger: dict,
    path,
    series: pd.DataFrame,
    check_ids: set[str],
    event_ids: set[str],
    typology_rows: set[int] = frozenset(),
) -> None:
    """Every series, year window, check id, claim and document a claim names must exist;
    every computation must check something; one sentence or list (`group`) uses one op
    (items with nothing to check them against may be op `none`)."""
    from .claim_ops import REGISTRY
    from .claim_terms import works_of_ledger

    ids: dict[str, int] = {}
    for index, claim in enumerate(ledger["claims"]):
        if claim["id"] in ids:
            raise InputError(path, f"claim {claim['id']}", "id", "duplicate claim id")
        ids[claim["id"]] = index
    by_id = {claim["id"]: claim for claim in ledger["claims"]}
    coverage = series_coverage(series)
    group_ops: dict[str, tuple[str, str]] = {}
    for claim in ledger["claims"]:
        row = f"claim {claim['id']}"
        if claim["source"] not in ledger["documents"]:
            raise InputError(path, row, "source", f"unknown document {claim['source']!r}")
        compute = claim["compute"]
        op = REGISTRY[compute["op"]]
        if "group" in claim and compute["op"] != "none":  # an item with nothing to check
            first = group_ops.setdefault(claim["group"], (compute["op"], claim["id"]))
            if first[0] != compute["op"]:
                raise InputError(
                    path,
                    row,
                    "compute.op",
                    f"group {claim['group']!r} is checked with op {first[0]!r} "
                    f"(claim {first[1]}); one sentence or list takes one op",
                )
        known = {"check_ids": check_ids, "event_ids": event_ids, "typology_rows": typology_rows}
        problem = op.reference_problem(compute, known)
        if problem:
            raise InputError(path, row, *problem)
        if claim["printed"] is None and not op.printed_optional:
            raise InputError(path, row, "printed", f"op {compute['op']!r} needs the printed value")
        for field, term in iter_terms(compute):
            if isinstance(term, dict) and "series" in term:
                _check_data_term(term, coverage, path, row, field)
            elif isinstance(term, dict) and "claim" in term and term["claim"] not in ids:
                raise InputError(path, row, field, f"unknown claim {term['claim']!r}")
            elif isinstance(term, dict) and "events" in term and "years" in term:
                first, last = term["years"]
                if first > last:
                    raise InputError(path, row, f"{field}.years", "window ends before it starts")
        problem = computation_problem(claim, by_id, works_of_ledger(ledger))
        if problem:
            raise InputError(path, row, *problem)
        after = compute.get("after")
        if after is not None and not compute["years"][0] < after <= compute["years"][1]:
            raise InputError(path, row, "compute.after", "the break year must lie inside years")


def series_coverage(series: pd.DataFrame) -> pd.DataFrame:
    """First and last year of every (table, series) in series.csv."""
    return series.groupby(["table", "series"])["year"].agg(["min", "max"])


def term_problem(term: dict, coverage: pd.DataFrame) -> tuple[str, str] | None:
    """(field, problem) if a data term does not fit the data, else None."""
    key = (term["table"], term["series"])
    try:  # one index lookup (`.loc` twice cost most of the claim explanations' time)
        row = coverage.index.get_loc(key)
    except KeyError:
        return "series", f"unknown series {term['series']!r} in Table {term['table']}"
    lo, hi = coverage["min"].iat[row], coverage["max"].iat[row]
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
