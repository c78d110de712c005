"""Rule clean_events: raw Table 1 + English translations -> data/processed/events.csv."""

from pairing_audit.events import clean_events
from pairing_audit.manifest import file_spec, load_manifest
from pairing_audit.rawio import read_raw_csv
from pairing_audit.runner import run
from pairing_audit.schemas import EVENTS, validate
from pairing_audit.tables_out import write_csv


def main():
    spec = file_spec(load_manifest(snakemake.input.manifest), snakemake.input.table)
    raw = read_raw_csv(snakemake.input.table, list(spec["columns"]))
    english = read_raw_csv(
        snakemake.input.translations, ["date_printed", "programme_en", "significance_en"]
    )
    events = clean_events(raw, english, spec, snakemake.input.table, snakemake.input.translations)
    write_csv(validate(events, EVENTS, snakemake.output[0]), snakemake.output[0])


run(main, log=snakemake.log[0])
