# Interrupted time series (src/pairing_audit/{its,its_model,its_tables,estimators,ar1_ml,
# prais_winsten,mde,break_scan}.py), the bootstrap of the primary tests, their Monte
# Carlo size and multiple breaks (src/pairing_audit/{bootstrap,its_size,breakpoints}.py).

SCALES = config["models"]["scales"]


MODELS = config["models"]
# The new rules get only the parts of config `models` they read, so that editing
# another part (say, adding a break specification) does not rerun them.
PRIMARY_BREAKS = {
    "break_specs": {
        MODELS["primary"]["breaks"]: MODELS["break_specs"][MODELS["primary"]["breaks"]]
    }
}
SAMPLES = {key: MODELS[key] for key in ("series", "prices", "scales")}


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


rule its_mde:
    """Minimum detectable level change (80% power, 5% level) of each primary
    specification, next to its estimate."""
    input:
        prices="data/processed/series_prices.csv",
        code=package_modules("its_mde"),
    output:
        mde="reports/its_mde.csv",
    log:
        "logs/its_mde.log",
    conda:
        CONDA_ENV
    params:
        models=config["models"],
    script:
        rule_script("its_mde")


rule its_bootstrap:
    """AR(1)-sieve residual bootstrap p-values (and Holm-adjusted ones) of the joint,
    level and slope tests of every primary fit, under the null of no break at that year.
    """
    input:
        prices="data/processed/series_prices.csv",
        code=package_modules("its_bootstrap"),
    output:
        boot="data/processed/its_boot.csv",
    log:
        "logs/its_bootstrap.log",
    priority: 10
    conda:
        CONDA_ENV
    params:
        models={
            **SAMPLES,
            **PRIMARY_BREAKS,
            "primary": MODELS["primary"],
            "bootstrap": MODELS["bootstrap"],
        },
    script:
        rule_script("its_bootstrap")


rule its:
    """The scale parts combined into reports/its.csv, its_effects.csv, its_paths.csv;
    the bootstrap p-values joined into its.csv (p_boot, p_boot_holm)."""
    input:
        its=expand("data/processed/its_parts/its_{scale}.csv", scale=SCALES),
        effects=expand("data/processed/its_parts/effects_{scale}.csv", scale=SCALES),
        paths=expand("data/processed/its_parts/paths_{scale}.csv", scale=SCALES),
        boot="data/processed/its_boot.csv",
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


rule its_size:
    """Monte Carlo rejection rates of each estimator's nominal joint break test (and
    of the bootstrap test) under no break, AR(1) errors, at the fitted series' lengths.
    """
    input:
        prices="data/processed/series_prices.csv",
        code=package_modules("its_size"),
    output:
        size="reports/its_size.csv",
    log:
        "logs/its_size.log",
    conda:
        CONDA_ENV
    params:
        models={
            **SAMPLES,
            **PRIMARY_BREAKS,
            "primary": MODELS["primary"],
            "size": MODELS["size"],
        },
    script:
        rule_script("its_size")


rule breakpoints:
    """Bai–Perron multiple breaks in intercept and slope (number chosen by BIC and by
    LWZ) with 95% intervals for the break dates, for every fitted sample."""
    input:
        prices="data/processed/series_prices.csv",
        code=package_modules("breakpoints"),
    output:
        breakpoints="reports/breakpoints.csv",
    log:
        "logs/breakpoints.log",
    conda:
        CONDA_ENV
    params:
        models={**SAMPLES, "breakpoints": MODELS["breakpoints"]},
    script:
        rule_script("breakpoints")
