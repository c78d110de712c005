"""Constant-price (real) money series from China's annual CPI inflation.

The World Bank series (FP.CPI.TOTL.ZG) gives annual percentage changes, not index
levels, from 1987. They are chained into an index that starts at 1 in the year
before the first rate (1986)::

    index_1986 = 1,   index_t = index_{t-1} * (1 + pct_t / 100)

and rebased so that ``index_{base_year} = 1``. A nominal value divided by the index
of its year is then in constant ``base_year`` yuan. Years outside the index's span
(before 1986, or after the last published rate) have no real value: they are left
missing with a note, never extrapolated.

Output layout of :func:`deflate_series` (one row per table, series, prices, year):

``table, series, year, unit, prices, value, cpi_index_<base_year>, note``

* ``prices`` is ``"nominal"`` for every series and additionally ``"real"`` for money
  series (``unit == money_unit``).
* ``cpi_index_<base_year>`` is the rebased index of the year for money series (both
  price bases; missing where there is no index) and missing for non-money series.
* ``note`` explains every missing value: ``"printed '-'"`` (the source printed a dash)
  or ``"no CPI before 1986"`` / ``"no CPI after 2024"``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError, csv_line
from .rawio import read_raw_csv

INFLATION_COLUMNS = ["year", "cpi_inflation_pct"]
KEYS = ["table", "series"]
SERIES_KEYS = [*KEYS, "prices"]  # one series on one price basis


def index_column(base_year: int) -> str:
    """Name of the CPI index column for a base year, e.g. ``cpi_index_2020``."""
    return f"cpi_index_{int(base_year)}"


def read_inflation(path: str | Path) -> pd.DataFrame:
    """The raw annual CPI inflation file, checked row by row: a year and a rate on
    every row, consecutive years (a gap would break the chained index). Errors name
    the file, the row and the year."""
    raw = read_raw_csv(path, INFLATION_COLUMNS)
    if raw.empty:
        raise InputError(path, 2, "year", "no inflation rates")
    years, rates = [], []
    for index, (year_text, rate_text) in enumerate(raw[INFLATION_COLUMNS].itertuples(index=False)):
        line = csv_line(index)
        if not year_text.isdigit():
            raise InputError(path, line, "year", f"not a year: {year_text!r}")
        year = int(year_text)
        if years and year != years[-1] + 1:
            gap = f"no rate for {years[-1] + 1}" + (
                f"–{year - 1}" if year - 1 > years[-1] + 1 else ""
            )
            raise InputError(
                path, line, "year", f"year {year} follows {years[-1]}: {gap} (the CPI chain breaks)"
            )
        try:
            rate = float(rate_text)
        except ValueError:
            rate = float("nan")
        if not np.isfinite(rate):
            raise InputError(
                path, line, "cpi_inflation_pct", f"no inflation rate for {year}: {rate_text!r}"
            )
        if rate <= -100:
            raise InputError(
                path, line, "cpi_inflation_pct", f"rate {rate_text}% for {year} is <= -100%"
            )
        years.append(year)
        rates.append(rate)
    return pd.DataFrame({"year": years, "cpi_inflation_pct": rates})


def chain_cpi_index(inflation: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """Chain annual inflation rates into a price index equal to 1 in ``base_year``.

    ``inflation`` has columns ``year`` and ``cpi_inflation_pct`` (percent change on
    the previous year), consecutive years without gaps or missing rates. The index
    starts one year before the first rate. Returns columns ``year``,
    ``cpi_inflation_pct`` (missing in the start year) and ``cpi_index`` (rebased).
    """
    df = inflation[["year", "cpi_inflation_pct"]].copy()
    df["year"] = df["year"].astype(int)
    df["cpi_inflation_pct"] = pd.to_numeric(df["cpi_inflation_pct"]).astype(float)
    df = df.sort_values("year", kind="stable").reset_index(drop=True)
    if df.empty:
        raise ValueError("no inflation rates")
    if df["year"].duplicated().any():
        raise ValueError("duplicate years in inflation rates")
    if (df["year"].diff().dropna() != 1).any():
        raise ValueError("inflation years are not consecutive")
    if df["cpi_inflation_pct"].isna().any():
        raise ValueError("missing inflation rate: the chain would break")
    if (df["cpi_inflation_pct"] <= -100).any():
        raise ValueError("inflation rate <= -100%: index would not be positive")

    start = int(df["year"].iloc[0]) - 1
    factors = 1.0 + df["cpi_inflation_pct"].to_numpy() / 100.0
    levels = np.concatenate([[1.0], np.cumprod(factors)])
    out = pd.DataFrame(
        {
            "year": np.arange(start, start + len(levels), dtype=int),
            "cpi_inflation_pct": np.concatenate([[np.nan], df["cpi_inflation_pct"].to_numpy()]),
            "cpi_index": levels,
        }
    )
    base = out.loc[out["year"] == int(base_year), "cpi_index"]
    if base.empty:
        raise ValueError(
            f"base year {base_year} outside the index span "
            f"{out['year'].iloc[0]}-{out['year'].iloc[-1]}"
        )
    out["cpi_index"] = out["cpi_index"] / float(base.iloc[0])
    return out


def _missing_value_note(printed) -> str:
    if printed is None or (isinstance(printed, float) and np.isnan(printed)):
        return "value missing"
    text = str(printed).strip()
    if text == "":
        return "value missing"
    return f"printed '{text}'"


def deflate_series(
    series: pd.DataFrame,
    cpi_index: pd.DataFrame,
    base_year: int,
    money_unit: str = "100m_yuan",
) -> pd.DataFrame:
    """Nominal rows for every series plus real (constant ``base_year`` yuan) rows for
    money series. See the module docstring for the output layout.

    ``series`` needs columns table, series, year, value, unit (``value_printed`` is
    used for notes when present). ``cpi_index`` is the output of
    :func:`chain_cpi_index` for the same ``base_year``.
    """
    idx_col = index_column(base_year)
    cols = ["table", "series", "year", "unit", "prices", "value", idx_col, "note"]
    df = series.copy()
    df["table"] = df["table"].astype(int)
    df["year"] = df["year"].astype(int)
    df["value"] = pd.to_numeric(df["value"]).astype(float)
    if "value_printed" not in df.columns:
        df["value_printed"] = np.nan
    if df.duplicated(["table", "series", "year"]).any():
        raise ValueError("duplicate (table, series, year) rows in series")

    cpi = cpi_index[["year", "cpi_index"]].copy()
    cpi["year"] = cpi["year"].astype(int)
    first_cpi, last_cpi = int(cpi["year"].min()), int(cpi["year"].max())
    lookup = dict(zip(cpi["year"], cpi["cpi_index"].astype(float), strict=False))

    is_money = (df["unit"] == money_unit).to_numpy()
    index_values = df["year"].map(lookup).astype(float)
    missing_note = [
        "" if pd.notna(v) else _missing_value_note(p)
        for v, p in zip(df["value"], df["value_printed"], strict=False)
    ]

    nominal = pd.DataFrame(
        {
            "table": df["table"].to_numpy(),
            "series": df["series"].to_numpy(),
            "year": df["year"].to_numpy(),
            "unit": df["unit"].to_numpy(),
            "prices": "nominal",
            "value": df["value"].to_numpy(),
            idx_col: np.where(is_money, index_values.to_numpy(), np.nan),
            "note": missing_note,
        }
    )

    money = df.loc[is_money]
    m_index = index_values.loc[is_money].to_numpy()
    real_notes = []
    for year, value, printed in zip(
        money["year"], money["value"], money["value_printed"], strict=False
    ):
        parts = []
        if year < first_cpi:
            parts.append(f"no CPI before {first_cpi}")
        elif year > last_cpi:
            parts.append(f"no CPI after {last_cpi}")
        if pd.isna(value):
            parts.append(_missing_value_note(printed))
        real_notes.append("; ".join(parts))
    real = pd.DataFrame(
        {
            "table": money["table"].to_numpy(),
            "series": money["series"].to_numpy(),
            "year": money["year"].to_numpy(),
            "unit": money["unit"].to_numpy(),
            "prices": "real",
            "value": money["value"].to_numpy() / m_index,
            idx_col: m_index,
            "note": real_notes,
        }
    )

    out = pd.concat([nominal, real], ignore_index=True)[cols]
    # "nominal" < "real" alphabetically, so a plain sort gives the documented order.
    out = out.sort_values(["table", "series", "prices", "year"], kind="stable")
    return out.reset_index(drop=True)


def year_ranges(years) -> str:
    """Compact text for a set of years: ``[1980, 1981, 1982, 1990]`` -> ``"1980–1982, 1990"``."""
    ys = sorted({int(y) for y in years})
    parts = []
    i = 0
    while i < len(ys):
        j = i
        while j + 1 < len(ys) and ys[j + 1] == ys[j] + 1:
            j += 1
        parts.append(str(ys[i]) if i == j else f"{ys[i]}–{ys[j]}")
        i = j + 1
    return ", ".join(parts)


def describe_missing(years, notes) -> str:
    """Summarise missing years grouped by their note from :func:`deflate_series`,
    e.g. ``"1980–1985 no CPI before 1986; 2017–2020 printed '-'"``.

    ``years`` and ``notes`` are parallel sequences for the missing rows only; an
    empty or missing note reads as ``value missing``.
    """
    groups: dict[str, list[int]] = {}
    for year, note in zip(years, notes, strict=False):
        text = "" if note is None or (isinstance(note, float) and np.isnan(note)) else str(note)
        groups.setdefault(text.strip() or "value missing", []).append(int(year))
    ordered = sorted(groups.items(), key=lambda kv: min(kv[1]))
    return "; ".join(f"{year_ranges(ys)} {note}" for note, ys in ordered)
