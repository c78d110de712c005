# Stage 4: every numerical statement in the five documents, checked against the data.


rule check_claims:
    input:
        ledger=config["claims"]["ledger"],
        series="data/processed/series.csv",
        events="data/processed/events.csv",
        typology="data/processed/typology.csv",
        checks="reports/table_checks.csv",
        code=package_modules("check_claims"),
        schema="src/pairing_audit/schemas/claims.schema.yaml",
    output:
        claims="reports/claims.csv",
        summary="reports/claims_summary.csv",
        breakdown="reports/claims_breakdown.csv",
    log:
        "logs/check_claims.log",
    conda:
        CONDA_ENV
    params:
        about_tolerance=config["claims"]["about_tolerance"],
    script:
        rule_script("check_claims")
