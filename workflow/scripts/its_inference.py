"""Rule its_inference: bootstrap p-values of the primary break tests (joined into
reports/its.csv), minimum detectable effects, Monte Carlo size of each test."""

import pandas as pd

from pairing_audit import bootstrap, its, its_size, mde
from pairing_audit.runner import run_rule
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_csv

smk = snakemake


def read_text(path):
    # joined, not computed on: keep every cell's exact text
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def main():
    prices = read_table(smk.input.prices)
    models_cfg = smk.params.models
    write_csv(bootstrap.bootstrap_table(prices, models_cfg), smk.output.boot)
    its_table = bootstrap.merge_into_its(read_text(smk.input.fits), read_text(smk.output.boot))
    write_csv(its_table, smk.output.its)
    write_csv(
        mde.mde_table(its.primary_fits(prices, models_cfg), models_cfg["mde"]), smk.output.mde
    )
    write_csv(its_size.size_table(prices, models_cfg), smk.output.size)


run_rule(main, log=smk.log[0])
