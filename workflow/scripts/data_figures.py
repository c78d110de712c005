"""Rule data_figures: Table 1 timeline, Table 2 heatmap, annual series with eras (SVG)."""

from pairing_audit import featured, figures, specs
from pairing_audit.runner import run
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_bytes

smk = snakemake


def main():
    params = smk.params
    main_series = featured.main_series(params.main_series)
    events = read_table(smk.input.events)
    typology = read_table(smk.input.typology)
    prices = read_table(smk.input.prices)
    breakpoints = read_table(smk.input.breakpoints)
    primary = params.primary
    write_bytes(figures.timeline(events), smk.output.timeline)
    write_bytes(figures.typology_heatmap(typology), smk.output.typology)
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
    write_bytes(figures.series_with_eras(prices, panels, shading), smk.output.series)


run(main, log=smk.log[0])
