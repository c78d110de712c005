"""Rule its: the per-scale parts combined into reports/its*.csv."""

import pandas as pd

from pairing_audit import its
from pairing_audit.runner import run
from pairing_audit.tables_out import write_csv

smk = snakemake


def read_text(path):
    # the parts are concatenated, not computed on: keep every cell's exact text
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def main():
    for kind in ("its", "effects", "paths"):
        parts = [read_text(path) for path in smk.input[kind]]
        write_csv(its.combine_parts(parts, kind), smk.output[kind])


run(main, log=smk.log[0])
