"""Rule its_part: segmented-regression fits on one scale, with counterfactual paths."""

from pairing_audit import its
from pairing_audit.runner import run
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_csv

smk = snakemake


def main():
    prices = read_table(smk.input.prices)
    models_cfg = smk.params.models
    fits = its.fit_all(prices, models_cfg)
    write_csv(its.its_table(fits, models_cfg), smk.output.its)
    write_csv(its.effects_table(fits, models_cfg), smk.output.effects)
    write_csv(its.paths_table(fits, models_cfg), smk.output.paths)


run(main, log=smk.log[0])
