"""Rule clean_programmes: raw Table 1 + English translations -> events.csv; raw
Table 2 + its links to Table 1 -> typology.csv (data/processed/)."""

from pairing_audit.errors import InputError
from pairing_audit.events import clean_events, clean_typology, criterion_columns
from pairing_audit.manifest import file_spec, load_manifest
from pairing_audit.rawio import read_raw_csv
from pairing_audit.runner import run_rule
from pairing_audit.schemas import EVENTS, TYPOLOGY, validate
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_csv
from pairing_audit.yamlio import load_yaml

smk = snakemake


def main():
    inp, out = smk.input, smk.output
    manifest = load_manifest(inp.manifest)

    spec = file_spec(manifest, inp.table1)
    raw = read_raw_csv(inp.table1, list(spec["columns"]))
    english = read_raw_csv(inp.translations, ["date_printed", "programme_en", "significance_en"])
    events = clean_events(raw, english, spec, inp.table1, inp.translations)
    write_csv(validate(events, EVENTS, out.events), out.events)

    spec = file_spec(manifest, inp.table2)
    raw = read_raw_csv(inp.table2, ["时间", "对口支援实践", *criterion_columns(spec)])
    links = load_yaml(inp.links)
    if not isinstance(links, dict) or not isinstance(links.get("links"), list):
        raise InputError(inp.links, "-", "links", "expected a `links:` list")
    # the events as written (typed columns), as every later rule reads them
    events = read_table(out.events)
    typology = clean_typology(raw, links["links"], events, spec, inp.table2, inp.links)
    write_csv(validate(typology, TYPOLOGY, out.typology), out.typology)


run_rule(main, log=smk.log[0])
