"""Rule clean_series: raw Tables 3–7 -> data/processed/series.csv + printed totals."""

import pandas as pd

from pairing_audit.clean import numeric_table_columns, printed_totals, tidy_series
from pairing_audit.manifest import file_spec, load_manifest
from pairing_audit.rawio import read_raw_csv
from pairing_audit.runner import run_rule
from pairing_audit.schemas import SERIES, validate
from pairing_audit.tables_out import write_csv


def main():
    manifest = load_manifest(snakemake.input.manifest)
    series, totals = [], []
    for path in snakemake.input.tables:
        spec = file_spec(manifest, path)
        raw = read_raw_csv(path, numeric_table_columns(spec))
        series.append(tidy_series(raw, spec, path))
        totals.append(printed_totals(raw, spec, path))
    tidy = pd.concat(series, ignore_index=True).sort_values(["table", "series", "year"])
    tidy = validate(tidy.reset_index(drop=True), SERIES, snakemake.output.series)
    write_csv(tidy, snakemake.output.series)
    write_csv(pd.concat(totals, ignore_index=True), snakemake.output.totals)


run_rule(main, log=snakemake.log[0])
