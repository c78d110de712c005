"""Rule its_size: Monte Carlo size of each estimator's nominal joint break test."""

from pairing_audit import its_size
from pairing_audit.runner import run
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_csv

smk = snakemake


def main():
    prices = read_table(smk.input.prices)
    write_csv(its_size.size_table(prices, smk.params.models), smk.output.size)


run(main, log=smk.log[0])
