"""Rules its and break_scan: segmented-regression fits, counterfactuals, break-date scan.

Thin wrapper: read the price series, call pairing_audit.its / .break_scan (which
return sorted tables), write them with the shared deterministic writer.
"""

import pandas as pd

from pairing_audit import break_scan, its
from pairing_audit.runner import run
from pairing_audit.tables_out import write_csv

smk = snakemake


def read_text(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def main():
    if smk.rule == "its":
        prices, models_cfg = None, None
    else:
        prices = pd.read_csv(smk.input.prices, keep_default_na=False, na_values=[""])
        models_cfg = smk.params.models
    if smk.rule == "its_part":
        fits = its.fit_all(prices, models_cfg)
        write_csv(its.its_table(fits, models_cfg), smk.output.its)
        write_csv(its.effects_table(fits, models_cfg), smk.output.effects)
        write_csv(its.paths_table(fits, models_cfg), smk.output.paths)
    elif smk.rule == "its":
        for kind in ("its", "effects", "paths"):
            parts = [read_text(path) for path in smk.input[kind]]
            write_csv(its.combine_parts(parts, kind), smk.output[kind])
    elif smk.rule == "break_scan":
        write_csv(break_scan.break_scan_table(prices, models_cfg), smk.output.scan)
    else:
        raise ValueError(f"models.py does not handle rule {smk.rule!r}")


run(main, log=smk.log[0])
