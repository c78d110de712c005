"""Rule deflate: nominal and constant-price (real) series."""

from pairing_audit.prices import chain_cpi_index, deflate_series, read_inflation
from pairing_audit.runner import run_rule
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_csv

smk = snakemake


def main():
    series = read_table(smk.input.series)
    inflation = read_inflation(smk.input.cpi)
    base_year = int(smk.params.base_year)
    cpi = chain_cpi_index(inflation, base_year)
    out = deflate_series(series, cpi, base_year, money_unit=smk.params.money_unit)
    write_csv(out, smk.output.prices)


run_rule(main, log=smk.log[0])
