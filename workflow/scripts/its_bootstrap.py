"""Rule its_bootstrap: AR(1)-sieve bootstrap p-values of the primary break tests."""

from pairing_audit import bootstrap
from pairing_audit.runner import run
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_csv

smk = snakemake


def main():
    prices = read_table(smk.input.prices)
    write_csv(bootstrap.bootstrap_table(prices, smk.params.models), smk.output.boot)


run(main, log=smk.log[0])
