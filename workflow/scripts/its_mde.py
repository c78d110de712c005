"""Rule its_mde: minimum detectable level change of each primary specification."""

from pairing_audit import its, mde
from pairing_audit.runner import run
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_csv

smk = snakemake


def main():
    prices = read_table(smk.input.prices)
    models_cfg = smk.params.models
    fits = its.primary_fits(prices, models_cfg)
    write_csv(mde.mde_table(fits, models_cfg["mde"]), smk.output.mde)


run(main, log=smk.log[0])
