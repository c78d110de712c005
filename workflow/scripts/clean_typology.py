"""Rule clean_typology: raw Table 2 + links to Table 1 -> data/processed/typology.csv."""

from pairing_audit.errors import InputError
from pairing_audit.events import clean_typology, criterion_columns
from pairing_audit.manifest import file_spec, load_manifest
from pairing_audit.rawio import read_raw_csv
from pairing_audit.runner import run
from pairing_audit.schemas import TYPOLOGY, validate
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_csv
from pairing_audit.yamlio import load_yaml


def main():
    spec = file_spec(load_manifest(snakemake.input.manifest), snakemake.input.table)
    raw = read_raw_csv(snakemake.input.table, ["时间", "对口支援实践", *criterion_columns(spec)])
    links = load_yaml(snakemake.input.links)
    if not isinstance(links, dict) or not isinstance(links.get("links"), list):
        raise InputError(snakemake.input.links, "-", "links", "expected a `links:` list")
    links = links["links"]
    events = read_table(snakemake.input.events)
    typology = clean_typology(
        raw, links, events, spec, snakemake.input.table, snakemake.input.links
    )
    write_csv(validate(typology, TYPOLOGY, snakemake.output[0]), snakemake.output[0])


run(main, log=snakemake.log[0])
