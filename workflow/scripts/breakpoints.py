"""Rule breakpoints: Bai–Perron multiple breaks (BIC and LWZ) with 95% date intervals."""

from pairing_audit import breakpoints
from pairing_audit.runner import run
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_csv

smk = snakemake


def main():
    prices = read_table(smk.input.prices)
    write_csv(breakpoints.breakpoints_table(prices, smk.params.models), smk.output.breakpoints)


run(main, log=smk.log[0])
