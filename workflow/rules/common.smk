# Helpers shared by all rule files.
PACKAGE_DIR = "src/pairing_audit"


def pkg(*modules):
    """Package modules a rule's script imports: listed as inputs so that editing
    them reruns the rule (Snakemake only tracks the script itself)."""
    return [f"{PACKAGE_DIR}/{module}.py" for module in modules]


RAW_TABLES = {
    1: "data/raw/table1_programmes.csv",
    2: "data/raw/table2_typology.csv",
    3: "data/raw/table3_central_special_fund.csv",
    4: "data/raw/table4_central_units.csv",
    5: "data/raw/table5_east_west.csv",
    6: "data/raw/table6_funds_since_2013.csv",
    7: "data/raw/table7_shaanxi.csv",
}
NUMERIC_TABLES = [3, 4, 5, 6, 7]
MANIFEST = "data/raw/manifest.yaml"
RAW_EXTRAS = [
    MANIFEST,
    "data/raw/table1_programmes_en.csv",
    "data/raw/typology_event_links.yaml",
    "data/raw/cpi_inflation_worldbank.csv",
]


def source_documents():
    """The five source documents, hashed into the report when they are beside the
    project (they are not needed to run: the numbers live in data/raw)."""
    from pathlib import Path

    folder = Path(config["sources_dir"])
    return sorted(str(p) for p in folder.glob("*.txt")) if folder.is_dir() else []


def print_claim_summary(path="reports/claims_summary.csv"):
    """Claims per document by verdict, printed when a run ends."""
    import csv
    from pathlib import Path

    if not Path(path).exists():
        return
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print("\nClaims by verdict (reports/claims_summary.csv):")
    for row in rows:
        print("  " + "  ".join(cell.rjust(w) for cell, w in zip(row, widths)))
