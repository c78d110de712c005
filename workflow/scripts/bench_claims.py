"""Benchmark: does checking the claim ledger grow linearly with the number of claims?
Not a test and not a rule: run it by hand after a full pipeline run (it reads the
processed tables and reports/table_checks.csv) and compare the time per claim.

    python workflow/scripts/bench_claims.py [--factors 1 10] [--repeat 3]

The ledger is replicated `factor` times; every copy's ids (and the claim ids its
computations and groups refer to) get a suffix, so each copy is a self-contained
ledger of the same shape. Each size is timed for loading + schema validation,
reference validation, and the check itself (median of `repeat` runs).
"""

from __future__ import annotations

import argparse
import copy
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd
import yaml

from pairing_audit.claims import Data, check_ledger
from pairing_audit.ledger import load_ledger, validate_references

ROOT = Path(__file__).resolve().parents[2]


def suffixed(node, suffix: str):
    """A compute mapping with every claim reference renamed."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "claim" and isinstance(value, str):
                out[key] = value + suffix
            elif key == "printed_components":
                out[key] = {name: cid + suffix for name, cid in value.items()}
            else:
                out[key] = suffixed(value, suffix)
        return out
    if isinstance(node, list):
        return [suffixed(item, suffix) for item in node]
    return node


def replicate(ledger: dict, factor: int) -> dict:
    claims = []
    for copy_no in range(factor):
        suffix = "" if copy_no == 0 else f"_x{copy_no}"
        for claim in ledger["claims"]:
            twin = copy.deepcopy(claim)
            twin["id"] += suffix
            twin["compute"] = suffixed(twin["compute"], suffix)
            if "group" in twin:
                twin["group"] += suffix
            claims.append(twin)
    return {**ledger, "claims": claims}


def timed(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ledger_path = ROOT / "config/claims.yaml"
    series = pd.read_csv(ROOT / "data/processed/series.csv", dtype={"value_printed": str})
    events = pd.read_csv(ROOT / "data/processed/events.csv", dtype={"date_printed": str})
    typology = pd.read_csv(ROOT / "data/processed/typology.csv")
    checks = pd.read_csv(ROOT / "reports/table_checks.csv", dtype=str).set_index("check_id")
    base = load_ledger(ledger_path)
    # warm-up: first-call costs (imports, caches) are not per-claim costs
    check_ledger(copy.deepcopy(base), Data(series, events, checks, typology))
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for factor in args.factors:
            ledger = replicate(base, factor)
            path = Path(scratch) / f"claims_x{factor}.yaml"
            path.write_text(yaml.safe_dump(ledger, allow_unicode=True), encoding="utf-8")

            def validate(ledger=ledger, path=path):
                validate_references(
                    ledger,
                    path,
                    series,
                    set(checks.index),
                    set(events.event_id),
                    set(typology.printed_order),
                )

            def check(ledger=ledger):
                data = Data(series, events, checks, typology)
                check_ledger(copy.deepcopy(ledger), data)

            load_s = timed(lambda path=path: load_ledger(path), args.repeat)
            validate_s = timed(validate, args.repeat)
            check_s = timed(check, args.repeat)
            n = len(ledger["claims"])
            total = load_s + validate_s + check_s
            rows.append((factor, n, load_s, validate_s, check_s, 1000 * total / n))
    print("factor  claims  load+schema_s  references_s  check_s  ms_per_claim")
    for factor, n, load_s, validate_s, check_s, per_claim in rows:
        print(
            f"{factor:>6}  {n:>6}  {load_s:>13.2f}  {validate_s:>12.2f}  {check_s:>7.2f}"
            f"  {per_claim:>12.2f}"
        )
    first, last = rows[0], rows[-1]
    print(f"time per claim, {last[0]}x against {first[0]}x: {last[-1] / first[-1]:.2f}")


if __name__ == "__main__":
    main()
