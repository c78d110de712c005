# Interrupted time series in two jobs that run side by side: the estimates (fits,
# counterfactual paths, break scan, multiple breaks: src/pairing_audit/{its,its_model,
# its_tables,estimators,ar1_ml,prais_winsten,break_scan,breakpoints}.py), which the
# figures wait for, and their inference (bootstrap p-values, minimum detectable effects,
# Monte Carlo size: src/pairing_audit/{bootstrap,mde,its_size}.py). Two processes, not
# one per table: each model process spends more time importing statsmodels and scipy
# than computing.

MODELS = config["models"]
# config `models` parts that only the inference reads: editing them (say, the number
# of Monte Carlo replications) does not rerun the estimates
INFERENCE_ONLY = ("bootstrap", "size", "mde")


rule its_estimates:
    """Segmented regressions (level + slope breaks) for every series, scale, price
    basis, break spec and estimator; Holm-adjusted joint tests; pre-trend
    counterfactuals. The F statistic of a single break at every admissible year (full
    sample and a pre-2012 placebo window; sup-F with a seeded AR(1) bootstrap p-value).
    Multiple breaks (Bai–Perron: BIC and LWZ) with 95% intervals."""
    input:
        prices="data/processed/series_prices.csv",
        code=package_modules("its_estimates"),
    output:
        fits="data/processed/its_fits.csv",
        effects="reports/its_effects.csv",
        paths="reports/its_paths.csv",
        scan="reports/break_scan.csv",
        breakpoints="reports/breakpoints.csv",
    log:
        "logs/its_estimates.log",
    # on the critical path (deflate -> its_estimates -> figures -> report)
    priority: 20
    conda:
        CONDA_ENV
    params:
        models={k: v for k, v in MODELS.items() if k not in INFERENCE_ONLY},
    script:
        rule_script("its_estimates")


rule its_inference:
    """AR(1)-sieve residual bootstrap p-values (and Holm-adjusted ones) of the joint,
    level and slope tests of every primary fit, under the null of no break at that
    year, joined into reports/its.csv. Minimum detectable level change (80% power, 5%
    level) of each primary specification. Monte Carlo rejection rates of each
    estimator's nominal joint test (and of the bootstrap test) under no break."""
    input:
        prices="data/processed/series_prices.csv",
        fits="data/processed/its_fits.csv",
        code=package_modules("its_inference"),
    output:
        boot="data/processed/its_boot.csv",
        its="reports/its.csv",
        mde="reports/its_mde.csv",
        size="reports/its_size.csv",
    log:
        "logs/its_inference.log",
    priority: 10
    conda:
        CONDA_ENV
    params:
        models=MODELS,
    script:
        rule_script("its_inference")
