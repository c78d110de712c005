"""Rule its: the per-scale parts combined into reports/its*.csv; the bootstrap
p-values of the primary tests joined into reports/its.csv."""

import pandas as pd

from pairing_audit import bootstrap, its
from pairing_audit.runner import run
from pairing_audit.tables_out import write_csv

smk = snakemake


def read_text(path):
    # the parts are concatenated, not computed on: keep every cell's exact text
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def main():
    for kind in ("its", "effects", "paths"):
        table = its.combine_parts([read_text(path) for path in smk.input[kind]], kind)
        if kind == "its":
            table = bootstrap.merge_into_its(table, read_text(smk.input.boot))
        write_csv(table, smk.output[kind])


run(main, log=smk.log[0])
