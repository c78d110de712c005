"""Rule figures: Table 1 timeline, Table 2 heatmap, annual series with eras; per
featured series the observed / fitted / counterfactual paths; the break scan (SVG)."""

from pairing_audit import featured, figures, specs
from pairing_audit.runner import run_rule
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_bytes

smk = snakemake


def data_figures(main_series, prices, breakpoints):
    params, out = smk.params, smk.output
    primary = params.models["primary"]
    write_bytes(figures.timeline(read_table(smk.input.events)), out.timeline)
    write_bytes(figures.typology_heatmap(read_table(smk.input.typology)), out.typology)
    panels = []
    for s in main_series:
        basis = specs.primary_prices(prices, s.table, s.series, primary)
        unit = prices.loc[(prices["table"] == s.table) & (prices["series"] == s.series), "unit"]
        panels.append(
            {
                "table": s.table,
                "series": s.series,
                "title": s.title_en,
                "unit": figures.unit_label(unit.iloc[0], "2020 prices if real"),
                "breaks": featured.chosen_breaks(
                    breakpoints, s.table, s.series, primary["scale"], basis
                ),
            }
        )
    shading = featured.era_shading(params.eras, params.shaded_eras)
    write_bytes(figures.series_with_eras(prices, panels, shading), out.series)


def model_figures(main_series, prices, breakpoints):
    models, out = smk.params.models, smk.output
    paths = read_table(smk.input.paths)
    # out.its lists one file per featured series, in config order
    for s, path in zip(main_series, out.its, strict=True):
        write_bytes(figures.featured_its_figure(s, paths, prices, breakpoints, models), path)
    panels = [(s.series, featured.short_name(s.title_en)) for s in main_series]
    scan = featured.scan_rows(read_table(smk.input.scan), models["primary"]["scale"])
    marks = sorted({int(y) for spec in models["primary_breaks"] for y in spec.split("+")})
    svg = figures.break_scan(
        scan[scan["prices"] == "nominal"], panels, marks, models["break_scan"]["placebo_before"]
    )
    write_bytes(svg, out.scan)


def main():
    main_series = featured.main_series(smk.params.main_series)
    prices = read_table(smk.input.prices)
    breakpoints = read_table(smk.input.breakpoints)
    data_figures(main_series, prices, breakpoints)
    model_figures(main_series, prices, breakpoints)


run_rule(main, log=smk.log[0])
