# Stage 5: the report's figures (SVG files), then one self-contained HTML report.

MAIN_SERIES = config["report"]["main_series"]
# file stems as pairing_audit.report.figure_name gives them (the template looks them up)
ITS_FIGURES = [
    f"reports/figures/its_t{m['table']}_{m['series']}.svg" for m in MAIN_SERIES
]


rule data_figures:
    """Table 1 timeline, Table 2 heatmap, annual series with eras (nominal and real)."""
    input:
        events="data/processed/events.csv",
        typology="data/processed/typology.csv",
        prices="data/processed/series_prices.csv",
        code=package_modules("data_figures"),
    output:
        timeline="reports/figures/timeline.svg",
        typology="reports/figures/typology.svg",
        series="reports/figures/series.svg",
    log:
        "logs/data_figures.log",
    conda:
        CONDA_ENV
    params:
        main_series=MAIN_SERIES,
        eras=config["eras"],
    script:
        rule_script("data_figures")


rule model_figures:
    """Observed / fitted / counterfactual per featured series, and the break scan."""
    input:
        # the per-scale parts, not the merged reports/its_paths.csv: the figures need
        # not wait for the merge (same rows either way)
        paths=expand("data/processed/its_parts/paths_{scale}.csv", scale=SCALES),
        scan="reports/break_scan.csv",
        code=package_modules("model_figures"),
    output:
        its=ITS_FIGURES,
        scan="reports/figures/break_scan.svg",
    log:
        "logs/model_figures.log",
    priority: 15  # on the critical path; the merged ITS tables can wait
    conda:
        CONDA_ENV
    params:
        main_series=MAIN_SERIES,
    script:
        rule_script("model_figures")


rule report:
    input:
        claims="reports/claims.csv",
        claims_summary="reports/claims_summary.csv",
        ledger=config["claims"]["ledger"],
        manifest=MANIFEST,
        eras="reports/eras.csv",
        headline="reports/headline_sensitivity.csv",
        growth="reports/growth.csv",
        checks="reports/table_checks.csv",
        its="reports/its.csv",
        effects="reports/its_effects.csv",
        scan="reports/break_scan.csv",
        data_figures=rules.data_figures.output,
        model_figures=rules.model_figures.output,
        hashed=[
            *RAW_TABLES.values(),
            *RAW_EXTRAS,
            config["claims"]["ledger"],
            "config/config.yaml",
            *source_documents(),
        ],
        template="src/pairing_audit/templates/report.html.j2",
        code=package_modules("report"),
    output:
        "reports/report.html",
    log:
        "logs/report.log",
    priority: 10
    conda:
        CONDA_ENV
    params:
        headline_claims=config["report"]["headline_claims"],
        main_series=MAIN_SERIES,
        about_tolerance=config["claims"]["about_tolerance"],
        eras=config["eras"],
    script:
        rule_script("report")
