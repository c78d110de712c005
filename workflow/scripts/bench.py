"""Benchmark: median wall time of a cold run, a no-op rerun, and a rerun after one
raw table changes. Not a test: run it by hand and put the figures in the README.

    python workflow/scripts/bench.py [--repeat 3] [--table data/raw/table1_programmes.csv]

Each measurement runs plain `snakemake` in a scratch copy of the project, as a user
would. The edit appends a blank line to the table (same data, new bytes),
so the rules that read it must rerun; the script prints which ones did.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COPY = ["Snakefile", "profiles", "workflow", "config", "src", "data/raw"]


def copy_project(dest: Path) -> Path:
    for item in COPY:
        source = ROOT / item
        target = dest / item
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    shared = ROOT.parent / "shared"
    if shared.exists():
        (dest.parent / "shared").symlink_to(shared.resolve())
    return dest


def run(cwd: Path) -> tuple[float, list[str]]:
    env = {**os.environ, "PYTHONPATH": str(cwd / "src")}
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "snakemake"], cwd=cwd, capture_output=True, text=True, env=env
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"snakemake failed in {cwd}:\n{result.stderr[-3000:]}")
    rules = sorted(
        {
            line.split("rule ")[1].rstrip(":")
            for line in result.stderr.splitlines()
            if line.startswith("rule ")
        }
        | {
            line.split("localrule ")[1].rstrip(":")
            for line in result.stderr.splitlines()
            if line.startswith("localrule ")
        }
    )
    return elapsed, rules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--table", default="data/raw/table1_programmes.csv")
    args = parser.parse_args()

    cold, noop, edit, edited_rules = [], [], [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            project = copy_project(Path(tmp) / "project")
            seconds, _ = run(project)
            cold.append(seconds)
            seconds, rules = run(project)
            assert rules == [], f"no-op run executed {rules}"
            noop.append(seconds)
            table = project / args.table
            table.write_text(table.read_text(encoding="utf-8") + "\n", encoding="utf-8")
            seconds, edited_rules = run(project)
            edit.append(seconds)

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"runs per measurement: {args.repeat} (median shown)")
    print(
        f"cold full run:            {statistics.median(cold):6.1f} s   {[round(s, 1) for s in cold]}"
    )
    print(
        f"no-op rerun:              {statistics.median(noop):6.1f} s   {[round(s, 1) for s in noop]}"
    )
    print(f"rerun after editing {Path(args.table).name}: {statistics.median(edit):6.1f} s")
    print(f"  rules rerun: {', '.join(edited_rules)}")


if __name__ == "__main__":
    main()
