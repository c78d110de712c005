# Stage 1: raw transcriptions -> tidy tables, and the paper's own arithmetic re-checked.
# One cleaning job per group of raw tables that are read together (Tables 3–7; Tables
# 1–2), so that editing one raw table reruns only what reads it.


rule clean_series:
    """Tables 3–7 as one tidy series table; printed totals kept apart."""
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


rule clean_programmes:
    """Table 1 (the programme timeline, with English translations) and Table 2 (the
    typology matrix, linked to Table 1's programmes)."""
    input:
        table1=RAW_TABLES[1],
        translations=RAW_ATTACHED[1, "translations"],
        table2=RAW_TABLES[2],
        links=RAW_ATTACHED[2, "links"],
        manifest=MANIFEST,
        code=package_modules("clean_programmes"),
    output:
        events="data/processed/events.csv",
        typology="data/processed/typology.csv",
    log:
        "logs/clean_programmes.log",
    conda:
        CONDA_ENV
    script:
        rule_script("clean_programmes")


rule table_checks:
    """Printed totals re-added; Table 6 compared with Tables 3–5. A rule of its own so
    that editing the checks does not rerun everything downstream of the series."""
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
