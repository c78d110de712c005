"""Rule eras: era comparisons and the headline claims' sensitivity to them."""

from pairing_audit.eras import era_comparisons, headline_sensitivity
from pairing_audit.runner import run
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_csv

smk = snakemake


def main():
    prices = read_table(smk.input.prices)
    comparisons = era_comparisons(prices, smk.params.eras)
    write_csv(comparisons, smk.output.eras)
    write_csv(headline_sensitivity(comparisons), smk.output.headline)


run(main, log=smk.log[0])
