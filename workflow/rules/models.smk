# Interrupted time series (src/pairing_audit/{its,prais_winsten,break_scan}.py).

SCALES = config["models"]["scales"]


rule its_part:
    """Segmented regressions (level + slope breaks) on one scale, for every series,
    price basis, break spec and estimator; Holm-adjusted joint tests; pre-trend
    counterfactuals. Split by scale so the two halves run on two cores."""
    input:
        prices="data/processed/series_prices.csv",
        code=package_modules("its_part"),
    output:
        its="data/processed/its_parts/its_{scale}.csv",
        effects="data/processed/its_parts/effects_{scale}.csv",
        paths="data/processed/its_parts/paths_{scale}.csv",
    log:
        "logs/its_{scale}.log",
    wildcard_constraints:
        scale="|".join(SCALES),
    # the critical path (its_part -> its -> model_figures -> report) goes first;
    # the small rules fill in around it
    priority: 10
    conda:
        CONDA_ENV
    params:
        models=lambda wildcards: {**config["models"], "scales": [wildcards.scale]},
    script:
        rule_script("its_part")


rule its:
    """The scale parts combined into reports/its.csv, its_effects.csv, its_paths.csv."""
    input:
        its=expand("data/processed/its_parts/its_{scale}.csv", scale=SCALES),
        effects=expand("data/processed/its_parts/effects_{scale}.csv", scale=SCALES),
        paths=expand("data/processed/its_parts/paths_{scale}.csv", scale=SCALES),
        code=package_modules("its"),
    output:
        its="reports/its.csv",
        effects="reports/its_effects.csv",
        paths="reports/its_paths.csv",
    log:
        "logs/its.log",
    priority: 10
    conda:
        CONDA_ENV
    script:
        rule_script("its")


rule break_scan:
    """Level + slope break at every admissible year (full sample and a pre-2012
    placebo window); sup-F with a seeded AR(1) bootstrap p-value."""
    input:
        prices="data/processed/series_prices.csv",
        code=package_modules("break_scan"),
    output:
        scan="reports/break_scan.csv",
    log:
        "logs/break_scan.log",
    priority: 20  # short, and needed by model_figures: run it before the long fits
    conda:
        CONDA_ENV
    params:
        models=config["models"],
    script:
        rule_script("break_scan")
