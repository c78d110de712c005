"""Rule its_part: segmented-regression fits on one scale, with counterfactual paths."""

from pairing_audit import its, its_tables, specs
from pairing_audit.runner import run
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_csv

smk = snakemake


def main():
    prices = read_table(smk.input.prices)
    models_cfg = smk.params.models
    fits = its.fit_all(prices, models_cfg)
    primary = specs.primary_keys(prices, models_cfg)
    write_csv(its_tables.its_table(fits, models_cfg, primary), smk.output.its)
    write_csv(its_tables.effects_table(fits, models_cfg, primary), smk.output.effects)
    write_csv(its_tables.paths_table(fits, models_cfg, primary), smk.output.paths)


run(main, log=smk.log[0])
