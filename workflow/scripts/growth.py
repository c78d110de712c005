"""Rule growth: year-on-year changes and per-era growth rates."""

from pairing_audit.growth import growth_table
from pairing_audit.runner import run
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_csv

smk = snakemake


def main():
    prices = read_table(smk.input.prices)
    write_csv(growth_table(prices, smk.params.eras), smk.output.growth)


run(main, log=smk.log[0])
