# Stage 5: the report's figures (SVG files), then one self-contained HTML report.
# Figures and key tables are marked with report() for `snakemake --report report.zip`.

MAIN_SERIES = config["report"]["main_series"]
# file stems as pairing_audit.featured.Series.figure gives them (the template looks them up)
ITS_FIGURES = [
    f"reports/figures/its_t{m['table']}_{m['series']}.svg" for m in MAIN_SERIES
]
CAPTIONS = "../report"


rule figures:
    """Table 1 timeline, Table 2 heatmap, annual series with eras (nominal and real);
    observed / fitted / counterfactual per featured series; the break scan."""
    input:
        events="data/processed/events.csv",
        typology="data/processed/typology.csv",
        prices="data/processed/series_prices.csv",
        paths="reports/its_paths.csv",
        # chosen breaks are drawn on the series and the time-series figures
        breakpoints="reports/breakpoints.csv",
        scan="reports/break_scan.csv",
        code=package_modules("figures"),
    output:
        timeline=report(
            "reports/figures/timeline.svg",
            caption=f"{CAPTIONS}/timeline.rst",
            category="Data",
        ),
        typology=report(
            "reports/figures/typology.svg",
            caption=f"{CAPTIONS}/typology.rst",
            category="Data",
        ),
        series=report(
            "reports/figures/series.svg",
            caption=f"{CAPTIONS}/series.rst",
            category="Growth",
        ),
        its=report(
            ITS_FIGURES,
            caption=f"{CAPTIONS}/its.rst",
            category="Time series",
        ),
        scan=report(
            "reports/figures/break_scan.svg",
            caption=f"{CAPTIONS}/break_scan.rst",
            category="Time series",
        ),
    log:
        "logs/figures.log",
    priority: 15  # on the critical path
    conda:
        CONDA_ENV
    params:
        main_series=MAIN_SERIES,
        eras=config["eras"],
        shaded_eras=config["report"]["shaded_eras"],
        # only the parts of config `models` the figures draw from
        models={
            k: config["models"][k] for k in ("primary", "primary_breaks", "break_scan")
        },
    script:
        rule_script("figures")


rule report:
    """One self-contained HTML page in English and Chinese (reports/report.html)."""
    input:
        claims="reports/claims.csv",
        # produced by the claims checker (issue 8)
        breakdown="reports/claims_breakdown.csv",
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
        # produced by the time-series rules (issue 9)
        its_size="reports/its_size.csv",
        mde="reports/its_mde.csv",
        breakpoints="reports/breakpoints.csv",
        series="data/processed/series.csv",
        prices="data/processed/series_prices.csv",
        figures=rules.figures.output,
        hashed=[
            *RAW_TABLES.values(),
            *RAW_EXTRAS,
            config["claims"]["ledger"],
            "config/config.yaml",
            *source_documents(),
        ],
        template="src/pairing_audit/templates/report.html.j2",
        script="src/pairing_audit/templates/report.js",
        catalogue="src/pairing_audit/i18n/catalogue.yaml",
        code=package_modules("report"),
    output:
        report(
            "reports/report.html",
            caption=f"{CAPTIONS}/report.rst",
            category="Report",
        ),
    log:
        "logs/report.log",
    priority: 10
    conda:
        CONDA_ENV
    params:
        report=config["report"],
        models=config["models"],
        prices=config["prices"],
        about_tolerance=config["claims"]["about_tolerance"],
    script:
        rule_script("report")
