# Interrupted time series (src/pairing_audit/{its,prais_winsten,break_scan}.py).


rule its:
    """Segmented regressions (level + slope breaks) for every series, price basis,
    scale, break spec and estimator; Holm-adjusted joint tests; pre-trend
    counterfactuals and their per-year paths (Prais-Winsten, primary breaks)."""
    input:
        prices="data/processed/series_prices.csv",
        code=pkg("its", "prais_winsten", "tables_out", "runner", "errors"),
    output:
        its="reports/its.csv",
        effects="reports/its_effects.csv",
        paths="reports/its_paths.csv",
    log:
        "logs/its.log",
    params:
        models=config["models"],
    script:
        "../scripts/models.py"


rule break_scan:
    """Level + slope break at every admissible year (full sample and a pre-2012
    placebo window); sup-F with a seeded AR(1) bootstrap p-value."""
    input:
        prices="data/processed/series_prices.csv",
        code=pkg("break_scan", "its", "prais_winsten", "tables_out", "runner", "errors"),
    output:
        scan="reports/break_scan.csv",
    log:
        "logs/break_scan.log",
    params:
        models=config["models"],
    script:
        "../scripts/models.py"
