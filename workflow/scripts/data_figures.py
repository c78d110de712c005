"""Rule data_figures: Table 1 timeline, Table 2 heatmap, annual series with eras (SVG)."""

from pairing_audit import figures, report
from pairing_audit.runner import run
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_bytes

smk = snakemake


def main():
    main_series = report.main_series(smk.params.main_series)
    events = read_table(smk.input.events)
    typology = read_table(smk.input.typology)
    prices = read_table(smk.input.prices)
    write_bytes(figures.timeline(events), smk.output.timeline)
    write_bytes(figures.typology_heatmap(typology), smk.output.typology)
    shading = report.era_shading(smk.params.eras)
    write_bytes(figures.series_with_eras(prices, main_series, shading), smk.output.series)


run(main, log=smk.log[0])
