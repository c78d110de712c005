"""Rule model_figures: observed / fitted / counterfactual per featured series; break scan."""

import pandas as pd

from pairing_audit import featured, figures
from pairing_audit.runner import run
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_bytes

smk = snakemake


def main():
    params = smk.params
    main_series = featured.main_series(params.main_series)
    paths = pd.concat([read_table(path) for path in smk.input.paths], ignore_index=True)
    prices = read_table(smk.input.prices)
    breakpoints = read_table(smk.input.breakpoints)
    scan = read_table(smk.input.scan)
    # smk.output.its lists one file per featured series, in config order
    for s, out in zip(main_series, smk.output.its, strict=True):
        svg = figures.featured_its_figure(s, paths, prices, breakpoints, params.models)
        write_bytes(svg, out)
    panels = [(s.series, featured.short_name(s.title_en)) for s in main_series]
    scale_rows = featured.scan_rows(scan, params.models["primary"]["scale"])
    marks = sorted({int(y) for spec in params.models["primary_breaks"] for y in spec.split("+")})
    svg = figures.break_scan(
        scale_rows[scale_rows["prices"] == "nominal"],
        panels,
        marks,
        params.models["break_scan"]["placebo_before"],
    )
    write_bytes(svg, smk.output.scan)


run(main, log=smk.log[0])
