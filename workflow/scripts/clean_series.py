"""Rule clean_series: raw Tables 3–7 -> data/processed/series.csv + printed totals;
the printed totals re-added and Table 6 compared with Tables 3–5 (table_checks.csv)."""

import pandas as pd

from pairing_audit.clean import numeric_table_columns, printed_totals, tidy_series
from pairing_audit.manifest import file_spec, load_manifest
from pairing_audit.rawio import read_raw_csv
from pairing_audit.runner import run
from pairing_audit.schemas import SERIES, validate
from pairing_audit.table_checks import check_printed_totals, check_repeated_cells
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_csv

smk = snakemake


def main():
    manifest = load_manifest(smk.input.manifest)
    series, totals = [], []
    for path in smk.input.tables:
        spec = file_spec(manifest, path)
        raw = read_raw_csv(path, numeric_table_columns(spec))
        series.append(tidy_series(raw, spec, path))
        totals.append(printed_totals(raw, spec, path))
    tidy = pd.concat(series, ignore_index=True).sort_values(["table", "series", "year"])
    tidy = validate(tidy.reset_index(drop=True), SERIES, smk.output.series)
    write_csv(tidy, smk.output.series)
    write_csv(pd.concat(totals, ignore_index=True), smk.output.totals)

    # the checks read the tables back, as every later rule does (typed columns)
    series, totals = read_table(smk.output.series), read_table(smk.output.totals)
    (table6,) = (s["series"].values() for s in manifest["files"].values() if s.get("table") == 6)
    repeats = {s["id"]: s["repeats_table"] for s in table6}
    checks = pd.concat(
        [check_printed_totals(series, totals), check_repeated_cells(series, repeats, table=6)],
        ignore_index=True,
    )
    write_csv(checks.sort_values(["table", "check_type", "check_id"]), smk.output.checks)


run(main, log=smk.log[0])
