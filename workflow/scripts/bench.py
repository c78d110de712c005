"""Benchmark: median wall time of a cold run, a no-op rerun, and a rerun after one
raw table changes, each against its floor. Not a test: run it by hand on an otherwise
idle machine and put the figures in the README.

    python workflow/scripts/bench.py [--repeat 3] [--table data/raw/table1_programmes.csv]

Each measurement runs plain `snakemake` in a scratch copy of the project, as a user
would. The edit adds a space at the end of the table's last cell (cells are stripped
when read: same data, new bytes; Snakemake ignores a newer modification time when the
content's checksum is unchanged, and a blank line is refused as bad input), so the
rules that read it must rerun; the script prints which ones did.

The floor, measured in the same sitting (interleaved with the runs, so both see the
same machine load): `snakemake -n` on the fresh copy (parsing the workflow and
building the whole job graph) plus one Python process importing what a rule needs
(FLOOR_IMPORTS: pandas, statsmodels, matplotlib and seaborn). Targets (issue 9): the
cold run at most 3x the floor, the no-op rerun at most 1.5x `snakemake -n` on the
finished project.
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
FLOOR_IMPORTS = "import pandas, statsmodels.api, matplotlib.pyplot, seaborn"
COLD_TARGET, NOOP_TARGET = 3.0, 1.5


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


def timed(args: list[str], cwd: Path) -> float:
    """Wall time of one command (which must succeed)."""
    env = {**os.environ, "PYTHONPATH": str(cwd / "src")}
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed in {cwd}:\n{result.stderr[-3000:]}")
    return elapsed


def dry_run(cwd: Path) -> float:
    return timed([sys.executable, "-m", "snakemake", "-n"], cwd)


def imports(cwd: Path) -> float:
    return timed([sys.executable, "-c", FLOOR_IMPORTS], cwd)


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
    dry_fresh, dry_done, importing = [], [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            project = copy_project(Path(tmp) / "project")
            dry_fresh.append(dry_run(project))
            importing.append(imports(project))
            seconds, _ = run(project)
            cold.append(seconds)
            dry_done.append(dry_run(project))
            seconds, rules = run(project)
            assert rules == [], f"no-op run executed {rules}"
            noop.append(seconds)
            table = project / args.table
            content = table.read_bytes()
            table.write_bytes(content[:-1] + b" \n")  # the last cell gains a space
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

    med = statistics.median
    floor = med(dry_fresh) + med(importing)
    print(f"floor: snakemake -n {med(dry_fresh):.1f} s + `{FLOOR_IMPORTS}` {med(importing):.1f} s")
    print(f"       = {floor:.1f} s")
    cold_ratio, noop_ratio = med(cold) / floor, med(noop) / med(dry_done)
    verdict = {True: "ok", False: "OVER"}
    print(
        f"cold run / floor:            {cold_ratio:5.2f}  (target <= {COLD_TARGET}: "
        f"{verdict[cold_ratio <= COLD_TARGET]})"
    )
    print(
        f"no-op / snakemake -n ({med(dry_done):.1f} s): {noop_ratio:5.2f}  (target <= {NOOP_TARGET}: "
        f"{verdict[noop_ratio <= NOOP_TARGET]})"
    )


if __name__ == "__main__":
    main()
