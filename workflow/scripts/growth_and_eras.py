"""Rule growth_and_eras: year-on-year changes and per-era growth rates; era
comparisons and the headline claims' sensitivity to them."""

from pairing_audit.eras import era_comparisons, headline_sensitivity
from pairing_audit.growth import growth_table
from pairing_audit.runner import run_rule
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_csv

smk = snakemake


def main():
    prices = read_table(smk.input.prices)
    eras = smk.params.eras
    write_csv(growth_table(prices, eras), smk.output.growth)
    comparisons = era_comparisons(prices, eras)
    write_csv(comparisons, smk.output.eras)
    write_csv(headline_sensitivity(comparisons), smk.output.headline)


run_rule(main, log=smk.log[0])
