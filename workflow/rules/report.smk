# Stage 5: one self-contained HTML report from every output above.


rule report:
    input:
        claims="reports/claims.csv",
        claims_summary="reports/claims_summary.csv",
        ledger=config["claims"]["ledger"],
        manifest=MANIFEST,
        prices="data/processed/series_prices.csv",
        eras="reports/eras.csv",
        headline="reports/headline_sensitivity.csv",
        growth="reports/growth.csv",
        checks="reports/table_checks.csv",
        events="data/processed/events.csv",
        typology="data/processed/typology.csv",
        its="reports/its.csv",
        effects="reports/its_effects.csv",
        paths="reports/its_paths.csv",
        scan="reports/break_scan.csv",
        hashed=[
            *RAW_TABLES.values(),
            *RAW_EXTRAS,
            config["claims"]["ledger"],
            "config/config.yaml",
            *source_documents(),
        ],
        template="src/pairing_audit/templates/report.html.j2",
        code=pkg("report", "figures", "runner", "errors"),
    output:
        "reports/report.html",
    log:
        "logs/report.log",
    params:
        headline_claims=config["report"]["headline_claims"],
        about_tolerance=config["claims"]["about_tolerance"],
        eras=config["eras"],
    script:
        "../scripts/report.py"
