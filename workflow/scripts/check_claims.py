"""Rule check_claims: the claim ledger checked against the data -> reports/claims.csv."""

from pairing_audit.claims import Data, breakdown, check_ledger, verdict_counts
from pairing_audit.ledger import load_ledger, validate_references
from pairing_audit.runner import run_rule
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_csv


def main():
    ledger = load_ledger(snakemake.input.ledger)
    series = read_table(snakemake.input.series)
    events = read_table(snakemake.input.events)
    typology = read_table(snakemake.input.typology)
    checks = read_table(snakemake.input.checks).set_index("check_id")
    validate_references(
        ledger,
        snakemake.input.ledger,
        series,
        set(checks.index),
        set(events.event_id),
        set(typology.printed_order),
    )
    data = Data(series, events, checks, typology, about_tolerance=snakemake.params.about_tolerance)
    claims = check_ledger(ledger, data, snakemake.input.ledger)
    write_csv(claims, snakemake.output.claims)
    write_csv(verdict_counts(claims, list(ledger["documents"])), snakemake.output.summary)
    write_csv(breakdown(claims), snakemake.output.breakdown)


run_rule(main, log=snakemake.log[0])
