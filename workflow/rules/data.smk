# Stage 1: raw transcriptions -> tidy tables, and the paper's own arithmetic re-checked.


rule clean_series:
    input:
        tables=[RAW_TABLES[t] for t in NUMERIC_TABLES],
        manifest=MANIFEST,
        code=pkg(
            "clean", "manifest", "rawio", "schemas", "errors", "runner", "tables_out"
        ),
    output:
        series="data/processed/series.csv",
        totals="data/processed/printed_totals.csv",
    log:
        "logs/clean_series.log",
    script:
        "../scripts/clean_series.py"


rule clean_events:
    input:
        table=RAW_TABLES[1],
        translations="data/raw/table1_programmes_en.csv",
        manifest=MANIFEST,
        code=pkg(
            "events", "manifest", "rawio", "schemas", "errors", "runner", "tables_out"
        ),
    output:
        "data/processed/events.csv",
    log:
        "logs/clean_events.log",
    script:
        "../scripts/clean_events.py"


rule clean_typology:
    input:
        table=RAW_TABLES[2],
        links="data/raw/typology_event_links.yaml",
        events="data/processed/events.csv",
        manifest=MANIFEST,
        code=pkg(
            "events", "manifest", "rawio", "schemas", "errors", "runner", "tables_out"
        ),
    output:
        "data/processed/typology.csv",
    log:
        "logs/clean_typology.log",
    script:
        "../scripts/clean_typology.py"


rule table_checks:
    input:
        series="data/processed/series.csv",
        totals="data/processed/printed_totals.csv",
        manifest=MANIFEST,
        code=pkg(
            "table_checks", "decimals", "manifest", "errors", "runner", "tables_out"
        ),
    output:
        "reports/table_checks.csv",
    log:
        "logs/table_checks.log",
    script:
        "../scripts/table_checks.py"
