"""Rule model_figures: observed / fitted / counterfactual per featured series; break scan."""

import pandas as pd

from pairing_audit import figures, report
from pairing_audit.runner import run
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_bytes

smk = snakemake


def main():
    main_series = report.main_series(smk.params.main_series)
    paths = pd.concat([read_table(path) for path in smk.input.paths], ignore_index=True)
    scan = read_table(smk.input.scan)
    # smk.output.its lists one file per featured series, in config order
    for (table, series, title), out in zip(main_series, smk.output.its, strict=True):
        svg = figures.its_paths(report.primary_paths(paths, table, series), title)
        write_bytes(svg, out)
    panels = [(series, report.short_name(title)) for _, series, title in main_series]
    write_bytes(figures.break_scan(report.primary_scan(scan), panels), smk.output.scan)


run(main, log=smk.log[0])
