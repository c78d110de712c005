"""The primary specification: money series real, counts nominal; descriptive excluded."""

import pandas as pd

from pairing_audit import specs

MODELS = {
    "primary": {
        "scale": "log",
        "prices": {"money": "real", "count": "nominal"},
        "estimator": "prais_winsten",
        "breaks": "2012+2015",
    },
    "series": [
        {"table": 3, "series": "fund"},
        {"table": 4, "series": "cadres"},
        {"table": 5, "series": "short", "descriptive": True},
    ],
}
PRICES = pd.DataFrame(
    {
        "table": [3, 3, 4, 5],
        "series": ["fund", "fund", "cadres", "short"],
        "prices": ["nominal", "real", "nominal", "nominal"],
    }
)


def test_primary_keys_pick_real_for_money_and_nominal_for_counts():
    keys = specs.primary_keys(PRICES, MODELS)
    assert keys[["series", "prices"]].values.tolist() == [["fund", "real"], ["cadres", "nominal"]]
    assert set(keys["scale"]) == {"log"} and set(keys["breaks"]) == {"2012+2015"}


def test_role_marks_only_exact_primary_rows():
    primary = specs.primary_keys(PRICES, MODELS)
    rows = pd.concat([primary, primary.assign(scale="level")], ignore_index=True)
    assert specs.role_of(rows, primary).tolist() == ["primary"] * 2 + ["sensitivity"] * 2
