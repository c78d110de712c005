"""Cross-references in config/config.yaml, checked when the workflow is parsed.

The JSON schema (workflow/schemas/config.schema.yaml) checks each setting's form;
this module checks what a schema cannot: that a name used in one place is defined in
another (a break spec, a claim id, a series), and that break years fall inside the
data. A mistake here would otherwise change results silently (a headline dropped, a
model not fitted) or fail only after minutes of fitting.

Each check is one small function ``(config, context) -> [(key, problem), ...]``
registered in ``CHECKS``; a new cross-reference is one more function in that list.
A check whose keys are absent skips (the schema decides which keys are required).
Only ``yaml`` is imported: this runs inside Snakemake's parse, before any job.
"""

from __future__ import annotations

import ast
import itertools
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError, InputError
from .yamlio import load_yaml

# observations needed in every segment between breaks (pairing_audit.its.MIN_OBS_SIDE;
# tests/test_common.py asserts the two agree)
MIN_YEARS_PER_SEGMENT = 3

_MISSING = object()


def get(config: dict, key: str, default=_MISSING):
    """The value at a dotted key path (``models.primary.breaks``), or ``default``."""
    node = config
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


@dataclass
class Context:
    """What the checks compare the config with: the manifest and the claim ledger,
    read lazily (a check that needs neither reads neither)."""

    root: Path
    manifest_path: str = "data/raw/manifest.yaml"
    _cache: dict = field(default_factory=dict)

    def _load(self, path: str) -> object:
        if path not in self._cache:
            self._cache[path] = load_yaml(self.root / path)
        return self._cache[path]

    @property
    def tables(self) -> dict[int, dict]:
        """Manifest entries of the numbered tables, by table number."""
        files = (self._load(self.manifest_path) or {}).get("files") or {}
        return {int(spec["table"]): spec for spec in files.values() if "table" in spec}

    def table_years(self, table: int) -> tuple[int, int] | None:
        years = self.tables.get(int(table), {}).get("years")
        return (int(years[0]), int(years[1])) if years else None

    def series_ids(self, table: int) -> set[str]:
        series = self.tables.get(int(table), {}).get("series") or {}
        return {meta["id"] for meta in series.values()}

    def claim_ids(self, ledger_path: str) -> set[str]:
        ledger = self._load(ledger_path) or {}
        return {c.get("id") for c in ledger.get("claims") or [] if isinstance(c, dict)}

    def document_ids(self, ledger_path: str) -> set[str]:
        return set((self._load(ledger_path) or {}).get("documents") or {})


Problems = Iterator[tuple[str, str]]


def _known(names, defined, what: str) -> str:
    return f"unknown {what} {names!r} (defined: {', '.join(sorted(map(str, defined)))})"


# config keys whose values (or, for a mapping, whose values) are claim ids in the ledger
CLAIM_REFERENCES = (
    "report.headline_claims",
    "report.bottom_line_claims",
    "report.sensitivity_claims",
)


def claims_in_ledger(config: dict, ctx: Context) -> Problems:
    """Every claim the report features exists (a typo would drop a headline)."""
    ledger = get(config, "claims.ledger", None)
    if ledger is None:
        return
    ids = ctx.claim_ids(ledger)
    for key in CLAIM_REFERENCES:
        refs = get(config, key, [])
        items = refs.items() if isinstance(refs, dict) else enumerate(refs)
        for where, claim_id in items:
            if claim_id not in ids:
                yield f"{key}[{where}]", f"no claim {claim_id!r} in {ledger}"


def report_documents_in_ledger(config: dict, ctx: Context) -> Problems:
    ledger = get(config, "claims.ledger", None)
    labels = get(config, "report.document_labels", {})
    if ledger is None or not labels:
        return
    documents = ctx.document_ids(ledger)
    for name in labels:
        if name not in documents:
            yield f"report.document_labels.{name}", _known(name, documents, "document")
    for name in sorted(documents - set(labels)):
        yield "report.document_labels", f"document {name!r} of {ledger} has no label"


def report_eras_defined(config: dict, ctx: Context) -> Problems:
    eras = {era["id"] for era in get(config, "eras", [])}
    for i, name in enumerate(get(config, "report.shaded_eras", [])):
        if name not in eras:
            yield f"report.shaded_eras[{i}]", _known(name, eras, "era")
    for role, name in get(config, "report.sensitivity_eras", {}).items():
        if name not in eras:
            yield f"report.sensitivity_eras.{role}", _known(name, eras, "era")


def registered_estimators() -> list[str]:
    """Names in ``estimators.REGISTRY``, read from the module's source: importing it
    would load statsmodels into every workflow parse (about 1.4 s)."""
    source = Path(__file__).with_name("estimators.py")
    tree = ast.parse(source.read_text(encoding="utf-8"))
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "Estimator"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]


def estimators_registered(config: dict, ctx: Context) -> Problems:
    known = registered_estimators()
    for i, name in enumerate(get(config, "models.estimators", [])):
        if name not in known:
            yield f"models.estimators[{i}]", _known(name, known, "estimator")


def primary_breaks_defined(config: dict, ctx: Context) -> Problems:
    specs = get(config, "models.break_specs", {})
    for i, name in enumerate(get(config, "models.primary_breaks", [])):
        if name not in specs:
            yield f"models.primary_breaks[{i}]", _known(name, specs, "break spec")


def series_break_specs_defined(config: dict, ctx: Context) -> Problems:
    specs = get(config, "models.break_specs", {})
    for i, entry in enumerate(get(config, "models.series", [])):
        for j, name in enumerate(entry.get("break_specs") or []):
            if name not in specs:
                yield f"models.series[{i}].break_specs[{j}]", _known(name, specs, "break spec")


def primary_spec_defined(config: dict, ctx: Context) -> Problems:
    specs = get(config, "models.break_specs", {})
    name = get(config, "models.primary.breaks", None)
    if name is not None and name not in specs:
        yield "models.primary.breaks", _known(name, specs, "break spec")
    estimator = get(config, "models.primary.estimator", None)
    estimators = get(config, "models.estimators", [])
    if estimator is not None and estimator not in estimators:
        yield "models.primary.estimator", _known(estimator, estimators, "estimator")


def model_series_exist(config: dict, ctx: Context) -> Problems:
    for i, entry in enumerate(get(config, "models.series", [])):
        if entry["series"] not in ctx.series_ids(entry["table"]):
            yield (
                f"models.series[{i}]",
                f"no series {entry['series']!r} in table {entry['table']} (data/raw/manifest.yaml)",
            )


def break_years_inside_data(config: dict, ctx: Context) -> Problems:
    """Every break spec a series is fitted with leaves at least
    MIN_YEARS_PER_SEGMENT of the table's years in each segment; otherwise the
    model would be dropped without a word."""
    specs = get(config, "models.break_specs", {})
    for entry in get(config, "models.series", []):
        span = ctx.table_years(entry["table"])
        if span is None:
            continue  # reported by model_series_exist
        first, last = span
        for name in entry.get("break_specs") or list(specs):
            years = sorted(specs.get(name) or [])
            outside = [year for year in years if not first < year <= last]
            if outside:
                yield (
                    f"models.break_specs.{name}",
                    f"break year {outside[0]} is outside the data of {entry['series']} "
                    f"(table {entry['table']}, {first}–{last})",
                )
                continue
            edges = [first, *years, last + 1]
            short = [
                (lo, hi - 1)
                for lo, hi in itertools.pairwise(edges)
                if hi - lo < MIN_YEARS_PER_SEGMENT
            ]
            if short:
                lo, hi = short[0]
                yield (
                    f"models.break_specs.{name}",
                    f"breaks {years} leave {max(hi - lo + 1, 0)} year(s) ({lo}–{hi}) in a segment "
                    f"of {entry['series']} (table {entry['table']}, {first}–{last}); "
                    f"each segment needs {MIN_YEARS_PER_SEGMENT}",
                )


def main_series_fitted(config: dict, ctx: Context) -> Problems:
    fitted = {(int(s["table"]), s["series"]) for s in get(config, "models.series", [])}
    for i, entry in enumerate(get(config, "report.main_series", [])):
        if (int(entry["table"]), entry["series"]) not in fitted:
            yield (
                f"report.main_series[{i}]",
                f"table {entry['table']} series {entry['series']!r} is not in models.series",
            )


def era_tables_exist(config: dict, ctx: Context) -> Problems:
    for i, era in enumerate(get(config, "eras", [])):
        for j, table in enumerate(era.get("tables", [])):
            if int(table) not in ctx.tables:
                yield f"eras[{i}].tables[{j}]", f"no table {table} in data/raw/manifest.yaml"


CHECKS: list[Callable[[dict, Context], Problems]] = [
    claims_in_ledger,
    report_documents_in_ledger,
    report_eras_defined,
    estimators_registered,
    primary_breaks_defined,
    series_break_specs_defined,
    primary_spec_defined,
    model_series_exist,
    break_years_inside_data,
    main_series_fitted,
    era_tables_exist,
]


def config_problems(
    config: dict, root: str | Path = ".", config_path: str = "config/config.yaml"
) -> list[ConfigError]:
    """Every cross-reference problem in ``config`` (empty list: all good). A file the
    checks need that is missing or malformed is raised as an InputError."""
    ctx = Context(Path(root))
    problems = []
    for check in CHECKS:
        problems += [ConfigError(config_path, key, problem) for key, problem in check(config, ctx)]
    return problems


def missing_files(paths) -> list[InputError]:
    """Inputs that do not exist, each as an error naming the file."""
    return [InputError(p, "-", "-", "input file not found") for p in paths if not Path(p).is_file()]


def stop_on_errors(errors: list[Exception]) -> None:
    """At parse time: print each error on one line and stop before any job runs."""
    if errors:
        for error in errors:
            print(f"ERROR: {error}", file=sys.stderr)
        sys.exit(1)


def _key_path(parts) -> str:
    key = ""
    for part in parts:
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return key or "(top level)"


def schema_problems(
    config: dict, schema_path: str | Path, config_path: str = "config/config.yaml"
) -> list[ConfigError]:
    """Every place ``config`` breaks its JSON schema, each named by its key path."""
    import jsonschema  # Snakemake's own dependency, already loaded while it parses

    validator = jsonschema.Draft202012Validator(load_yaml(schema_path))
    errors = sorted(validator.iter_errors(config), key=lambda e: [str(p) for p in e.path])
    return [ConfigError(config_path, _key_path(e.path), e.message) for e in errors]


def schema_or_stop(config: dict, schema_path: str | Path) -> None:
    """At parse time: stop if the config breaks its schema, naming each key."""
    try:
        stop_on_errors(schema_problems(config, schema_path))
    except InputError as error:
        stop_on_errors([error])


def check_or_stop(config: dict, inputs, root: str | Path = ".") -> None:
    """At parse time: stop before any job if an input file is missing or the config
    has a broken cross-reference, naming each problem."""
    try:
        stop_on_errors(missing_files(inputs) or config_problems(config, root))
    except InputError as error:  # a file the checks read is malformed
        stop_on_errors([error])


def load_or_stop(path: str | Path) -> object:
    """A YAML file read at parse time; a syntax error stops the run naming the line."""
    try:
        return load_yaml(path)
    except InputError as error:
        stop_on_errors([error])
