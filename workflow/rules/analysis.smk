# Real prices, growth rates and era comparisons (src/pairing_audit/{prices,growth,eras}.py).


rule deflate:
    """Nominal rows for every series, plus constant base-year-yuan rows for money
    series (CPI chained from World Bank annual inflation; none before 1986)."""
    input:
        series="data/processed/series.csv",
        cpi="data/raw/cpi_inflation_worldbank.csv",
        code=package_modules("deflate"),
    output:
        prices="data/processed/series_prices.csv",
    log:
        "logs/deflate.log",
    conda:
        CONDA_ENV
    params:
        base_year=config["prices"]["base_year"],
        money_unit=config["prices"]["money_unit"],
    script:
        rule_script("deflate")


rule growth_and_eras:
    """Year-on-year changes; CAGR, log-linear trend growth (95% CI) and doubling
    time over the full span and both sides of every era. Earlier/later era totals,
    shares and ratios; headline-claim sensitivity."""
    input:
        prices="data/processed/series_prices.csv",
        code=package_modules("growth_and_eras"),
    output:
        growth="reports/growth.csv",
        eras="reports/eras.csv",
        headline="reports/headline_sensitivity.csv",
    log:
        "logs/growth_and_eras.log",
    conda:
        CONDA_ENV
    params:
        eras=config["eras"],
    script:
        rule_script("growth_and_eras")
