"""End to end: the whole workflow in a temporary copy of the project.

One cold run is shared by the tests in this module (it is the slow part); each test
then asks Snakemake what it would do, or reruns from a clean state.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from conftest import copy_project, snakemake, written

pytestmark = pytest.mark.e2e

OUTPUTS = [
    "data/processed/series.csv",
    "data/processed/events.csv",
    "data/processed/typology.csv",
    "reports/table_checks.csv",
    "reports/claims.csv",
    "reports/report.html",
]


def planned_rules(cwd: Path) -> set[str]:
    """Rules a dry run would execute (parsed from the job-stats table; the target
    rule `all` left out)."""
    out = snakemake(cwd, "--dry-run", "--quiet", "rules").stdout
    rules = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit() and parts[0] not in ("job", "total", "all"):
            rules.add(parts[0])
    return rules


def digests(root: Path) -> dict[str, str]:
    files = sorted(
        p for d in ("data/processed", "reports") for p in (root / d).rglob("*") if p.is_file()
    )
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def producers(cwd: Path) -> dict[str, str]:
    """Output file -> the rule that writes it (`snakemake --summary`)."""
    lines = snakemake(cwd, "--summary").stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("output_file\t"))
    return {f: rule for f, _, rule, *_ in (line.split("\t") for line in lines[start + 1 :] if line)}


def downstream(cwd: Path) -> dict[str, set[str]]:
    """Rule -> every rule that depends on it, directly or not (`snakemake --rulegraph`)."""
    dot = snakemake(cwd, "--rulegraph").stdout
    names = dict(re.findall(r'^\s*(\d+)\[label = "([^"]+)"', dot, flags=re.M))
    children: dict[str, set[str]] = {name: set() for name in names.values()}
    for parent, child in re.findall(r"^\s*(\d+) -> (\d+)", dot, flags=re.M):
        children[names[parent]].add(names[child])
    closure = {}
    for name in children:
        seen, todo = set(), set(children[name])
        while todo:
            rule = todo.pop()
            if rule not in seen:
                seen.add(rule)
                todo |= children[rule]
        closure[name] = seen - {"all"}
    return closure


def test_every_output_is_a_deliverable_and_deleting_it_reruns_exactly_its_dependents(ran):
    """Each file a run writes, deleted in turn: plain `snakemake` plans the rule that
    writes it and the rules downstream of that one, nothing else."""
    by_file, below = producers(ran), downstream(ran)
    files = written(ran)
    assert set(files) == set(by_file)  # every file written is a target of `rule all`
    wrong = {}
    for name in files:
        path = ran / name
        kept = path.with_name(path.name + ".kept")
        path.rename(kept)
        try:
            expected = {by_file[name]} | below[by_file[name]]
            planned = planned_rules(ran)
            if planned != expected:
                wrong[name] = (sorted(planned), sorted(expected))
        finally:
            kept.rename(path)
    assert wrong == {}
    assert planned_rules(ran) == set()


@pytest.mark.parametrize("name", ["reports/growth.csv", "data/processed/events.csv"])
def test_a_deleted_output_is_rebuilt_by_plain_snakemake(ran, name):
    before = (ran / name).read_bytes()
    (ran / name).unlink()
    result = snakemake(ran)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (ran / name).read_bytes() == before
    assert planned_rules(ran) == set()


def test_plain_snakemake_writes_every_output(ran):
    for output in OUTPUTS:
        assert (ran / output).stat().st_size > 0, output


def test_second_run_has_nothing_to_do(ran):
    assert planned_rules(ran) == set()


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("table_checks", {"table_checks", "check_claims", "report"}),
        ("events", {"clean_programmes", "check_claims", "figures", "report"}),
        (
            "prices",
            {
                "check_claims",  # growth_faster_after uses growth, which imports prices
                "deflate",
                "growth_and_eras",
                "its_estimates",
                "its_inference",
                "figures",
                "report",
            },
        ),
        # the fits feed the inference (bootstrap, MDE, size) and the figures
        ("its", {"its_estimates", "its_inference", "figures", "report"}),
        # the bootstrap alone: the estimates (and so the figures) stay as they are
        ("bootstrap", {"its_inference", "report"}),
        ("breakpoints", {"its_estimates", "its_inference", "figures", "report"}),
        ("figures", {"figures", "report"}),
        # report wording (report, views, i18n) reruns only the report, not the figures
        ("report", {"report"}),
        ("views", {"report"}),
        ("i18n", {"report"}),
        ("featured", {"figures", "report"}),
    ],
)
def test_editing_a_module_reruns_exactly_its_dependents(ran, module, expected):
    path = ran / "src/pairing_audit" / f"{module}.py"
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original + "\n# edited by a test\n", encoding="utf-8")
        assert planned_rules(ran) == expected
    finally:
        path.write_text(original, encoding="utf-8")


def test_two_clean_runs_are_byte_identical(ran, tmp_path):
    first = digests(ran)
    other = tmp_path / "again"
    shutil.copytree(ran, other, ignore=shutil.ignore_patterns(".snakemake", "logs"), symlinks=True)
    for d in ("data/processed", "reports"):
        shutil.rmtree(other / d)
    shared = ran.parent / "shared"
    if shared.exists() and not (tmp_path / "shared").exists():
        (tmp_path / "shared").symlink_to(shared.resolve())
    result = snakemake(other)
    assert result.returncode == 0, result.stderr[-3000:]
    assert digests(other) == first


def test_bad_cell_stops_with_one_message_and_no_output(tmp_path):
    root = copy_project(tmp_path)
    table = root / "data/raw/table4_central_units.csv"
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace("2004,272,481,564,", "2004,272,481,56x,"), encoding="utf-8")
    result = snakemake(root, "data/processed/series.csv")
    assert result.returncode != 0
    message = "data/raw/table4_central_units.csv: row 4, column 挂职干部(人): not a number: '56x'"
    assert message in result.stderr
    assert not (root / "data/processed/series.csv").exists()
    assert not list((root / "data/processed").glob(".*.tmp"))


def test_missing_raw_file_stops_before_any_job(tmp_path):
    root = copy_project(tmp_path)
    (root / "data/raw/table5_east_west.csv").unlink()
    result = snakemake(root)
    assert result.returncode != 0
    message = "ERROR: data/raw/table5_east_west.csv: row -, column -: input file not found"
    assert message in result.stderr.splitlines()
    assert written(root) == [] and not (root / "logs").exists()


def test_no_warnings_leak_into_the_run_output(ran):
    output = (ran.parent / "run.stderr").read_text() + (ran.parent / "run.stdout").read_text()
    leaked = [line for line in output.splitlines() if "Warning" in line or "warning:" in line]
    assert leaked == []


def test_claim_counts_per_document_printed_at_the_end(ran):
    output = (ran.parent / "run.stdout").read_text() + (ran.parent / "run.stderr").read_text()
    summary = pd.read_csv(ran / "reports/claims_summary.csv")
    assert "Claims by verdict" in output
    for row in summary.itertuples():
        assert row.source in output.split("Claims by verdict")[1]


def exact_sum(rows, first, last):
    return sum(Decimal(r["value_printed"]) for r in rows if first <= int(r["year"]) <= last)


def test_headline_figures_in_eras_csv_at_full_precision(ran):
    """74.2%, 4.2x and 4.95x recomputed here from series.csv in exact decimals; eras.csv
    must carry them unrounded (to double precision), nominal and real."""
    with open(ran / "data/processed/series.csv", encoding="utf-8") as handle:
        series = list(csv.DictReader(handle))
    t3 = [r for r in series if r["table"] == "3" and r["series"] == "central_special_fund"]
    share = 100 * exact_sum(t3, 2012, 2020) / exact_sum(t3, 1980, 2020)
    eras = pd.read_csv(
        ran / "reports/eras.csv", dtype={"later_share_pct": str, "ratio_totals": str}
    )
    pick = eras[(eras.comparison == "after_2012") & (eras.prices == "nominal")].set_index("series")
    printed = pick.at["central_special_fund", "later_share_pct"]
    assert len(printed.replace(".", "")) >= 15  # not pre-rounded
    assert abs(Decimal(printed) - share) < Decimal("1e-12")
    for series_id in ("direct_aid_funds", "attracted_funds"):
        t4 = [r for r in series if r["table"] == "4" and r["series"] == series_id]
        ratio = exact_sum(t4, 2012, 2020) / exact_sum(t4, 2002, 2011)
        assert abs(Decimal(pick.at[series_id, "ratio_totals"]) - ratio) < Decimal("1e-12")
    real = eras[(eras.comparison == "after_2012") & (eras.prices == "real")].set_index("series")
    assert float(real.at["direct_aid_funds", "ratio_totals"]) > 0  # deflated ratio present
    assert pd.isna(real.at["central_special_fund", "later_share_pct"])  # no CPI before 1986
    assert "1986" in real.at["central_special_fund", "note"]


def test_ledger_covers_every_printed_total_and_the_headline_figures(ran):
    import yaml

    ledger = yaml.safe_load((ran / "config/claims.yaml").read_text(encoding="utf-8"))
    checks = pd.read_csv(ran / "reports/table_checks.csv")
    totals = set(checks.loc[checks.check_type.str.startswith("printed_"), "check_id"])
    referenced = [
        c["compute"]["check_id"] for c in ledger["claims"] if c["compute"]["op"] == "table_check"
    ]
    assert sorted(referenced) == sorted(totals)  # each printed total exactly once
    claims = pd.read_csv(ran / "reports/claims.csv", dtype={"claimed_value": str})
    core = claims[claims.source == "wang2022_zh"]
    for printed, unit in (("74.2", "percent"), ("4.2", "times"), ("4.95", "times")):
        assert ((core.claimed_value == printed) & (core.unit == unit)).any(), printed
    assert set(claims.source) == set(ledger["documents"])  # all five documents
