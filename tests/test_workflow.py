"""End to end: the whole workflow in a temporary copy of the project.

One cold run is shared by the tests in this module (it is the slow part); each test
then asks Snakemake what it would do, or reruns from a clean state.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import copy_project, snakemake

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


def test_plain_snakemake_writes_every_output(ran):
    for output in OUTPUTS:
        assert (ran / output).stat().st_size > 0, output


def test_second_run_has_nothing_to_do(ran):
    assert planned_rules(ran) == set()


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("table_checks", {"table_checks", "check_claims", "report"}),
        ("events", {"clean_events", "clean_typology", "check_claims", "report"}),
        ("prices", {"deflate", "growth", "eras", "its_part", "its", "break_scan", "report"}),
        ("its", {"its_part", "its", "break_scan", "report"}),
        ("figures", {"report"}),
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


def test_missing_raw_file_is_named(tmp_path):
    root = copy_project(tmp_path)
    (root / "data/raw/table5_east_west.csv").unlink()
    result = snakemake(root, "data/processed/series.csv")
    assert result.returncode != 0
    assert "table5_east_west.csv" in result.stderr
