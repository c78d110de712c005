"""Rule break_scan: sup-F break-year scan with a bootstrap p-value, and placebo scans."""

from pairing_audit import break_scan
from pairing_audit.runner import run
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_csv

smk = snakemake


def main():
    prices = read_table(smk.input.prices)
    write_csv(break_scan.break_scan_table(prices, smk.params.models), smk.output.scan)


run(main, log=smk.log[0])
