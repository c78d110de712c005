"""Every class of bad input stops the run with one message naming where it is.

Table-driven: each case breaks one file in a scratch copy of the project, runs
Snakemake as a user would, and checks the message (file and row and column, or the
config key, or the YAML line), that no Python traceback reached the user, that the
failing rule's log holds the same message, and that no output was left half-written.
"""

from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from conftest import copy_project, snakemake, written
from pairing_audit import tables_out
from pairing_audit.errors import WriteError


def replace(path: str, old: str, new: str, count: int = 1):
    """An edit: replace ``old`` (which must be there) in one file of the copy."""

    def edit(root: Path):
        file = root / path
        data = file.read_bytes()  # bytes: line ends stay as they are
        assert old.encode() in data, (path, old)
        file.write_bytes(data.replace(old.encode(), new.encode(), count))

    return edit


def write_bytes(path: str, make):
    """An edit: rewrite one file from its bytes."""

    def edit(root: Path):
        file = root / path
        file.write_bytes(make(file.read_bytes()))

    return edit


def delete(path: str):
    return lambda root: (root / path).unlink()


def gbk_line(number: int):
    """Re-encode one line (1-based) of a UTF-8 file as GBK, as a Windows editor might."""

    def make(data: bytes) -> bytes:
        lines = data.split(b"\n")
        lines[number - 1] = lines[number - 1].decode("utf-8").encode("gbk")
        return b"\n".join(lines)

    return make


T4 = "data/raw/table4_central_units.csv"
T5 = "data/raw/table5_east_west.csv"
# everything rule clean_series writes: none may be left behind when it fails
SERIES_OUTPUTS = ("data/processed/series.csv", "data/processed/printed_totals.csv")
CPI = "data/raw/cpi_inflation_worldbank.csv"
CONFIG = "config/config.yaml"


@dataclass
class Case:
    edit: object
    message: str  # a regular expression the one error line must match
    target: str | None = None  # None: plain `snakemake` (parse-time errors)
    rule: str | None = None  # the failing rule (its log must hold the message)
    absent: list[str] = field(default_factory=list)  # outputs that must not exist


CASES = {
    # --- raw tables -----------------------------------------------------------
    "empty raw file": Case(
        write_bytes(T5, lambda data: b""),
        rf"{T5}: row 1, column -: file is empty",
        "data/processed/series.csv",
        "clean_series",
        list(SERIES_OUTPUTS),
    ),
    "undecodable bytes (a row saved as GBK)": Case(
        write_bytes("data/raw/table1_programmes.csv", gbk_line(4)),
        r"data/raw/table1_programmes.csv: row 4, column 对口支援具体实践: not UTF-8",
        "data/processed/events.csv",
        "clean_programmes",
        ["data/processed/events.csv", "data/processed/typology.csv"],
    ),
    "truncated last row": Case(
        write_bytes(T4, lambda data: data[:-12]),
        rf"{T4}: row 23, column -: last row has no line end \(file truncated\?\)",
        "data/processed/series.csv",
        "clean_series",
        list(SERIES_OUTPUTS),
    ),
    "row with a cell missing": Case(
        replace(T4, "2004,272,481,564,", "2004,272,481,"),
        rf"{T4}: row 4, column #9: 8 cells, the header has 9|{T4}: row 4, column 培训\(万人次\): 8 cells",
        "data/processed/series.csv",
        "clean_series",
        list(SERIES_OUTPUTS),
    ),
    "negative value": Case(
        replace(T4, "2004,272,481,564,", "2004,272,481,-564,"),
        rf"{T4}: row 4, column 挂职干部\(人\): negative value '-564'",
        "data/processed/series.csv",
        "clean_series",
        list(SERIES_OUTPUTS),
    ),
    "year outside the table's years": Case(
        replace(T4, "\n2004,", "\n2034,"),
        rf"{T4}: row 4, column 年份: year 2034 outside the table's years 2002–2020",
        "data/processed/series.csv",
        "clean_series",
        list(SERIES_OUTPUTS),
    ),
    "unexpected extra column": Case(
        write_bytes(
            "data/raw/table7_shaanxi.csv",
            lambda data: b"\n".join(
                line + (b",note" if i == 0 else b",") if line else line
                for i, line in enumerate(data.split(b"\n"))
            ),
        ),
        r"data/raw/table7_shaanxi.csv: row 1, column note: unexpected column",
        "data/processed/series.csv",
        "clean_series",
        list(SERIES_OUTPUTS),
    ),
    "missing raw file": Case(
        delete(T5),
        rf"{T5}: row -, column -: input file not found",
    ),
    # --- CPI ------------------------------------------------------------------
    "CPI gap": Case(
        replace(CPI, "1995,16.7912251650916\r\n", ""),
        rf"{CPI}: row 10, column year: year 1996 follows 1994: no rate for 1995",
        "data/processed/series_prices.csv",
        "deflate",
        ["data/processed/series_prices.csv"],
    ),
    "CPI rate missing": Case(
        replace(CPI, "1995,16.7912251650916", "1995,"),
        rf"{CPI}: row 10, column cpi_inflation_pct: no inflation rate for 1995",
        "data/processed/series_prices.csv",
        "deflate",
        ["data/processed/series_prices.csv"],
    ),
    # --- YAML syntax ----------------------------------------------------------
    "YAML syntax error in config/config.yaml": Case(
        replace(CONFIG, 'primary_breaks: ["2012", "2015"]', 'primary_breaks: ["2012", "2015"'),
        rf"{CONFIG}: line \d+, column \d+: YAML syntax error",
    ),
    "YAML syntax error in data/raw/manifest.yaml": Case(
        replace("data/raw/manifest.yaml", "    table: 4\n", "    table: [4\n"),
        r"data/raw/manifest.yaml: line \d+, column \d+: YAML syntax error",
    ),
    "YAML syntax error in data/raw/typology_event_links.yaml": Case(
        replace("data/raw/typology_event_links.yaml", "links:\n", "links:\n  - {year: 1958\n"),
        r"data/raw/typology_event_links.yaml: line \d+, column \d+: YAML syntax error",
        "data/processed/typology.csv",
        "clean_programmes",
        # the failed job's earlier output (events.csv) is removed with it
        ["data/processed/events.csv", "data/processed/typology.csv"],
    ),
    "YAML syntax error in config/claims.yaml": Case(
        replace("config/claims.yaml", "\nclaims:\n", "\nclaims: [\n"),
        r"config/claims.yaml: line \d+, column \d+: YAML syntax error",
    ),
    # --- config schema and cross-references (checked before any job) ----------
    "estimator not in the registry": Case(
        replace(
            CONFIG, "estimators: [prais_winsten, ols_hc3,", "estimators: [prais_winsten, ols_hc4,"
        ),
        rf"{CONFIG}: key models.estimators\[1\]: unknown estimator 'ols_hc4'",
    ),
    "headline claim not in the ledger": Case(
        replace(CONFIG, "    - w22_csf_share\n", "    - w22_csf_shares\n"),
        rf"{CONFIG}: key report.headline_claims\[0\]: no claim 'w22_csf_shares' in config/claims.yaml",
    ),
    "unknown break spec in primary_breaks": Case(
        replace(CONFIG, 'primary_breaks: ["2012", "2015"]', 'primary_breaks: ["2012", "2019"]'),
        rf"{CONFIG}: key models.primary_breaks\[1\]: unknown break spec '2019'",
    ),
    "unknown break spec in a series' break_specs": Case(
        replace(
            CONFIG,
            'series: east_west_social_aid, descriptive: true, break_specs: ["2015"]',
            'series: east_west_social_aid, descriptive: true, break_specs: ["2016x"]',
        ),
        rf"{CONFIG}: key models.series\[11\].break_specs\[0\]: unknown break spec '2016x'",
    ),
    "unknown primary break spec": Case(
        replace(CONFIG, 'breaks: "2012+2015"', 'breaks: "2012+2016"'),
        rf"{CONFIG}: key models.primary.breaks: unknown break spec '2012\+2016'",
    ),
    "break year outside a series' data": Case(
        replace(CONFIG, '"2016": [2016]', '"2016": [2026]'),
        rf"{CONFIG}: key models.break_specs.2016: break year 2026 is outside the data",
    ),
    "featured series not fitted": Case(
        replace(
            CONFIG,
            "{table: 4, series: attracted_funds, title:",
            "{table: 4, series: attracted_fund, title:",
        ),
        rf"{CONFIG}: key report.main_series\[2\]: table 4 series 'attracted_fund' is not in models.series",
    ),
    # --- the claim ledger's own checks (ledger.py) ---------------------------------
    "claim expression that does not parse": Case(
        replace("config/claims.yaml", "expr: ", "expr: ((", count=1),
        r"config/claims.yaml: .*(w22|claim).*expr",
        "reports/claims.csv",
        "check_claims",
        ["reports/claims.csv", "reports/claims_summary.csv"],
    ),
}


def params():
    return [pytest.param(name, case, id=name) for name, case in CASES.items()]


@pytest.mark.e2e
@pytest.mark.parametrize(("name", "case"), params())
def test_bad_input_is_named_and_leaves_no_partial_output(tmp_path, name, case):
    root = copy_project(tmp_path)
    case.edit(root)
    result = snakemake(root, *([case.target] if case.target else []))
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR: ")]
    assert errors, result.stderr[-3000:]
    assert re.search(case.message, errors[0]), errors
    assert "Traceback" not in result.stderr + result.stdout
    if case.rule is None:  # stopped while parsing: no job ran
        assert written(root) == []
        assert not (root / "logs").exists()
    else:
        log = (root / "logs" / f"{case.rule}.log").read_text(encoding="utf-8")
        assert errors[0] in log
    present = written(root)
    assert not [p for p in present if p.endswith(".tmp")]
    assert not set(case.absent) & set(present)


# --- a write that fails names the file ------------------------------------------


def test_a_failed_write_names_the_file_and_leaves_nothing(tmp_path, monkeypatch):
    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(tables_out.os, "replace", disk_full)
    target = tmp_path / "reports/out.csv"
    with pytest.raises(
        WriteError, match=r"reports/out\.csv: cannot write: No space left on device"
    ):
        tables_out.write_csv(pd.DataFrame({"a": [1]}), target)
    assert list(target.parent.iterdir()) == []


def test_a_failed_write_ends_the_rule_with_one_line(tmp_path, monkeypatch, capsys):
    from pairing_audit.runner import run

    def main():
        raise WriteError("reports/out.csv", "No space left on device")

    log = tmp_path / "logs/rule.log"
    with pytest.raises(SystemExit) as stop:
        run(main, log=str(log))
    assert stop.value.code == 1
    message = "ERROR: reports/out.csv: cannot write: No space left on device\n"
    assert capsys.readouterr().err == message
    assert log.read_text(encoding="utf-8") == message


def test_a_rule_log_holds_everything_the_script_wrote_to_stderr(tmp_path, capsys):
    import sys

    from pairing_audit.runner import run

    def main():
        print("progress note", file=sys.stderr)  # as warnings.showwarning writes them

    log = tmp_path / "logs/rule.log"
    run(main, log=str(log))
    assert log.read_text(encoding="utf-8") == "progress note\nok\n"
    assert "progress note" in capsys.readouterr().err


def test_a_bug_keeps_its_traceback_in_the_log(tmp_path):
    from pairing_audit.runner import run

    def main():
        raise KeyError("bug")

    log = tmp_path / "logs/rule.log"
    with pytest.raises(SystemExit):
        run(main, log=str(log))
    assert "Traceback" in log.read_text(encoding="utf-8")


RULE_SCRIPT = """
import atexit, sys
from pathlib import Path
from pairing_audit.errors import InputError
from pairing_audit.runner import run_rule
from pairing_audit.tables_out import write_bytes

out, log, fail = Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "fail"
atexit.register(lambda: out.with_suffix(".atexit").write_text("teardown ran"))

def main():
    print("written to stdout, unflushed", end="")
    if fail:
        raise InputError("data/raw/x.csv", 3, "year", "not a number: 'x'")
    write_bytes(b"result", out)

run_rule(main, log=log)
"""


@pytest.mark.parametrize("fail", [False, True])
def test_run_rule_exits_at_once_after_success_and_as_run_after_a_failure(tmp_path, fail):
    """A successful rule ends without the interpreter's teardown (atexit handlers do
    not run) but with its output, its log's "ok" and its buffered stdout intact; a
    failed one exits 1 with its one-line message, as `run` does."""
    import subprocess
    import sys

    script = tmp_path / "rule.py"
    script.write_text(RULE_SCRIPT, encoding="utf-8")
    out, log = tmp_path / "out.bin", tmp_path / "logs/rule.log"
    result = subprocess.run(
        [sys.executable, str(script), str(out), str(log), "fail" if fail else "ok"],
        capture_output=True,
        text=True,
    )
    assert result.stdout == "written to stdout, unflushed"
    if fail:
        assert result.returncode == 1
        message = "ERROR: data/raw/x.csv: row 3, column year: not a number: 'x'"
        assert result.stderr.strip() == message
        assert message in log.read_text(encoding="utf-8")
        assert not out.exists()
        assert out.with_suffix(".atexit").exists()  # an ordinary exit
    else:
        assert result.returncode == 0, result.stderr
        assert out.read_bytes() == b"result"
        assert log.read_text(encoding="utf-8").endswith("ok\n")
        assert not out.with_suffix(".atexit").exists()  # no teardown
