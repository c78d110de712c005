"""Rule its_estimates: segmented-regression fits on every scale, with counterfactual
paths; the single-break scan over candidate years; multiple breaks (Bai–Perron)."""

from pairing_audit import break_scan, breakpoints, its, its_tables, specs
from pairing_audit.runner import run_rule
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_csv

smk = snakemake


def main():
    prices = read_table(smk.input.prices)
    models_cfg = smk.params.models
    fits = its.fit_all(prices, models_cfg)
    primary = specs.primary_keys(prices, models_cfg)
    write_csv(its_tables.its_table(fits, models_cfg, primary), smk.output.fits)
    write_csv(its_tables.effects_table(fits, models_cfg, primary), smk.output.effects)
    write_csv(its_tables.paths_table(fits, models_cfg, primary), smk.output.paths)
    write_csv(break_scan.break_scan_table(prices, models_cfg), smk.output.scan)
    write_csv(breakpoints.breakpoints_table(prices, models_cfg), smk.output.breakpoints)


run_rule(main, log=smk.log[0])
