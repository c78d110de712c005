"""Rules data_figures and model_figures: the report's figures as SVG files."""

import pandas as pd

from pairing_audit import figures, report
from pairing_audit.runner import run
from pairing_audit.tables_out import write_bytes

smk = snakemake


def main():
    main_series = report.main_series(smk.params.main_series)
    if smk.rule == "data_figures":
        events = pd.read_csv(smk.input.events)
        typology = pd.read_csv(smk.input.typology)
        prices = pd.read_csv(smk.input.prices)
        write_bytes(figures.timeline(events), smk.output.timeline)
        write_bytes(figures.typology_heatmap(typology), smk.output.typology)
        shading = report.era_shading(smk.params.eras)
        write_bytes(figures.series_with_eras(prices, main_series, shading), smk.output.series)
    else:
        paths = pd.concat(
            [pd.read_csv(path, dtype={"breaks": str}) for path in smk.input.paths],
            ignore_index=True,
        )
        scan = pd.read_csv(smk.input.scan)
        # smk.output.its lists one file per featured series, in config order
        for (table, series, title), out in zip(main_series, smk.output.its, strict=True):
            svg = figures.its_paths(report.primary_paths(paths, table, series), title)
            write_bytes(svg, out)
        panels = [(series, report.short_name(title)) for _, series, title in main_series]
        write_bytes(figures.break_scan(report.primary_scan(scan), panels), smk.output.scan)


run(main, log=smk.log[0])
