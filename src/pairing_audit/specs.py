"""The declared primary time-series specification (config `models.primary`).

One definition, read by the fits (to label each row `primary` or `sensitivity`) and
by the bootstrap (to know which tests to resample).
"""

from __future__ import annotations

import pandas as pd

PRIMARY, SENSITIVITY = "primary", "sensitivity"


def primary_prices(prices: pd.DataFrame, table: int, series: str, primary_cfg: dict) -> str:
    """Price basis of a series' primary fit: money series (those with real-price rows)
    use `primary.prices.money`; counts use `primary.prices.count` (nominal)."""
    rows = prices[(prices["table"] == table) & (prices["series"] == series)]
    is_money = (rows["prices"] == "real").any()
    return primary_cfg["prices"]["money" if is_money else "count"]


def primary_keys(prices: pd.DataFrame, models_cfg: dict) -> pd.DataFrame:
    """One row per fitted, non-descriptive series: the key of its primary fit
    (table, series, scale, prices, breaks, estimator), sorted."""
    primary = models_cfg["primary"]
    rows = [
        {
            "table": int(s["table"]),
            "series": s["series"],
            "scale": primary["scale"],
            "prices": primary_prices(prices, int(s["table"]), s["series"], primary),
            "breaks": primary["breaks"],
            "estimator": primary["estimator"],
        }
        for s in models_cfg["series"]
        if not s.get("descriptive", False)
    ]
    columns = ["table", "series", "scale", "prices", "breaks", "estimator"]
    return pd.DataFrame(rows, columns=columns).sort_values(["table", "series"], ignore_index=True)


def role_of(keys: pd.DataFrame, primary: pd.DataFrame) -> pd.Series:
    """`primary` for rows of `keys` whose specification is a primary one, else `sensitivity`."""
    on = ["table", "series", "scale", "prices", "breaks", "estimator"]
    marked = keys[on].merge(primary[on].assign(_primary=True), on=on, how="left")["_primary"]
    return (
        marked.fillna(False)
        .astype(bool)
        .map({True: PRIMARY, False: SENSITIVITY})
        .set_axis(keys.index)
    )
