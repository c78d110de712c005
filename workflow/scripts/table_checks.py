"""Rule table_checks: re-add printed totals; compare Table 6 with Tables 3–5."""

import pandas as pd

from pairing_audit.manifest import load_manifest
from pairing_audit.runner import run_rule
from pairing_audit.table_checks import check_printed_totals, check_repeated_cells
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_csv


def main():
    manifest = load_manifest(snakemake.input.manifest)
    series = read_table(snakemake.input.series)
    totals = read_table(snakemake.input.totals)
    (table6,) = (s["series"].values() for s in manifest["files"].values() if s.get("table") == 6)
    repeats = {s["id"]: s["repeats_table"] for s in table6}
    checks = pd.concat(
        [check_printed_totals(series, totals), check_repeated_cells(series, repeats, table=6)],
        ignore_index=True,
    )
    write_csv(checks.sort_values(["table", "check_type", "check_id"]), snakemake.output[0])


run_rule(main, log=snakemake.log[0])
