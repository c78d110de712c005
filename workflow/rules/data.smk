# Stage 1: raw transcriptions -> tidy tables, and the paper's own arithmetic re-checked.


rule clean_series:
    input:
        tables=[RAW_TABLES[t] for t in NUMERIC_TABLES],
        manifest=MANIFEST,
        code=package_modules("clean_series"),
    output:
        series="data/processed/series.csv",
        totals="data/processed/printed_totals.csv",
    log:
        "logs/clean_series.log",
    conda:
        CONDA_ENV
    script:
        rule_script("clean_series")


rule clean_events:
    input:
        table=RAW_TABLES[1],
        translations=RAW_ATTACHED[1, "translations"],
        manifest=MANIFEST,
        code=package_modules("clean_events"),
    output:
        "data/processed/events.csv",
    log:
        "logs/clean_events.log",
    conda:
        CONDA_ENV
    script:
        rule_script("clean_events")


rule clean_typology:
    input:
        table=RAW_TABLES[2],
        links=RAW_ATTACHED[2, "links"],
        events="data/processed/events.csv",
        manifest=MANIFEST,
        code=package_modules("clean_typology"),
    output:
        "data/processed/typology.csv",
    log:
        "logs/clean_typology.log",
    conda:
        CONDA_ENV
    script:
        rule_script("clean_typology")


rule table_checks:
    input:
        series="data/processed/series.csv",
        totals="data/processed/printed_totals.csv",
        manifest=MANIFEST,
        code=package_modules("table_checks"),
    output:
        "reports/table_checks.csv",
    log:
        "logs/table_checks.log",
    conda:
        CONDA_ENV
    script:
        rule_script("table_checks")
