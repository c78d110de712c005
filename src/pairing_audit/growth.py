"""Year-on-year changes, compound and trend growth rates, doubling times.

Input: the long price table of :func:`pairing_audit.prices.deflate_series`
(columns table, series, year, unit, prices, value, note). Every (table, series,
prices) is a series here; real and nominal versions are treated separately.

Output of :func:`growth_table` — one tidy table with two row types, told apart by
``row_type``:

``row_type == "yoy"`` (one row per series and year)
    ``year``, ``value``, ``prev_value`` (value of ``year - 1``), ``abs_change``
    (``value - prev_value``) and ``pct_change`` (``100 * abs_change / prev_value``).
    The change is missing when either value is missing, and the percent change is
    also missing when the base is zero (never ``inf``); ``note`` says why.

``row_type == "period"`` (one row per series and period)
    ``period`` is ``"full"`` (the series' first to last year) or
    ``"<era id>_earlier"`` / ``"<era id>_later"`` for each config era that lists the
    series' table (earlier: first year to ``first_later_year - 1``; later:
    ``first_later_year`` to the last year); ``era`` and ``side`` repeat this split.
    ``start_year``/``end_year`` bound the period, ``n_years`` counts its years and
    ``n_obs`` its non-missing values, ``first_obs_year``/``last_obs_year`` are the
    first and last non-missing years.

    * ``cagr_pct`` — compound annual growth between the first and last non-missing
      values: ``100 * ((last / first) ** (1 / (last_obs_year - first_obs_year)) - 1)``.
    * ``trend_pct`` — log-linear trend: OLS of ``ln(value)`` on year over the
      non-missing values, ``100 * (exp(b) - 1)``; ``trend_ci_low_pct`` and
      ``trend_ci_high_pct`` transform the endpoints of the 95% t-interval of ``b``
      the same way. Needs at least 3 observations, all positive.
    * ``doubling_time_cagr_years`` / ``doubling_time_trend_years`` —
      ``ln 2 / ln(1 + g/100)`` for the two growth rates; missing when ``g <= 0``
      (nothing doubles) or ``g`` is missing.

Columns not used by a row type are empty. ``note`` lists every reason a figure is
missing or computed over fewer years than the period has.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from statsmodels.regression.linear_model import OLS
from statsmodels.tools.tools import add_constant

from pairing_audit.prices import SERIES_KEYS, describe_missing, year_ranges

COLUMNS = [
    "table",
    "series",
    "unit",
    "prices",
    "row_type",
    "period",
    "era",
    "side",
    "start_year",
    "end_year",
    "year",
    "value",
    "prev_value",
    "abs_change",
    "pct_change",
    "n_years",
    "n_obs",
    "first_obs_year",
    "last_obs_year",
    "cagr_pct",
    "trend_pct",
    "trend_ci_low_pct",
    "trend_ci_high_pct",
    "doubling_time_cagr_years",
    "doubling_time_trend_years",
    "note",
]


# --------------------------------------------------------------------------- scalars


def cagr(first_value: float, last_value: float, n_periods: float) -> float:
    """Compound annual growth rate in percent over ``n_periods`` years.

    Missing (NaN) when an input is missing, ``n_periods <= 0``, the first value is
    not positive or the last value is negative (a fall to exactly zero is -100%).
    """
    if any(pd.isna(x) for x in (first_value, last_value, n_periods)):
        return math.nan
    if n_periods <= 0 or first_value <= 0 or last_value < 0:
        return math.nan
    return 100.0 * ((last_value / first_value) ** (1.0 / n_periods) - 1.0)


def doubling_time(growth_pct: float) -> float:
    """Years to double at ``growth_pct`` percent a year: ``ln 2 / ln(1 + g/100)``.

    Missing (NaN) for missing or non-positive growth: nothing doubles.
    """
    if pd.isna(growth_pct) or growth_pct <= 0:
        return math.nan
    return math.log(2.0) / math.log1p(growth_pct / 100.0)


def trend_growth(years, values, confidence: float = 0.95) -> dict:
    """Log-linear trend growth: OLS of ``ln(value)`` on year (statsmodels).

    Missing values are dropped. Returns a dict with ``slope`` (b, log points a
    year), ``growth_pct`` = ``100 (e^b - 1)``, ``ci_low_pct``/``ci_high_pct`` (the
    t-interval of b at ``confidence``, transformed the same way), ``n_obs`` and
    ``note`` (empty, or why the estimate is missing: fewer than 3 observations or a
    non-positive value, whose log is undefined).
    """
    y = np.asarray(values, dtype=float)
    x = np.asarray(years, dtype=float)
    keep = ~np.isnan(y)
    x, y = x[keep], y[keep]
    out = {
        "slope": math.nan,
        "growth_pct": math.nan,
        "ci_low_pct": math.nan,
        "ci_high_pct": math.nan,
        "n_obs": len(y),
        "note": "",
    }
    if len(y) < 3:
        out["note"] = "trend needs at least 3 observations"
        return out
    if (y <= 0).any():
        out["note"] = "non-positive value: log trend undefined"
        return out
    design = add_constant(x - x.min(), has_constant="add")
    fit = OLS(np.log(y), design).fit()
    b = float(fit.params[1])
    low, high = (float(v) for v in np.asarray(fit.conf_int(alpha=1.0 - confidence))[1])
    out.update(
        slope=b,
        growth_pct=100.0 * math.expm1(b),
        ci_low_pct=100.0 * math.expm1(low),
        ci_high_pct=100.0 * math.expm1(high),
    )
    return out


# --------------------------------------------------------------------------- tables


def yoy_changes(df: pd.DataFrame) -> pd.DataFrame:
    """Year-on-year rows (``row_type == "yoy"``) for every (table, series, prices)."""
    rows = []
    for (table, series, prices), g in df.groupby(SERIES_KEYS, sort=True):
        g = g.sort_values("year", kind="stable")
        values = dict(zip(g["year"].astype(int), g["value"].astype(float), strict=False))
        unit = g["unit"].iloc[0]
        for year, value in values.items():
            prev = values.get(year - 1, math.nan)
            notes = []
            if (year - 1) not in values:
                notes.append("no previous year")
            elif pd.isna(prev):
                notes.append("previous year missing")
            if pd.isna(value):
                notes.append("value missing")
            abs_change = value - prev if not (pd.isna(value) or pd.isna(prev)) else math.nan
            pct_change = math.nan
            if not pd.isna(abs_change):
                if prev == 0:
                    notes.append("zero base: percent change undefined")
                else:
                    pct_change = 100.0 * abs_change / prev
            rows.append(
                {
                    "table": table,
                    "series": series,
                    "unit": unit,
                    "prices": prices,
                    "row_type": "yoy",
                    "year": year,
                    "value": value,
                    "prev_value": prev,
                    "abs_change": abs_change,
                    "pct_change": pct_change,
                    "note": "; ".join(notes),
                }
            )
    return pd.DataFrame(rows)


def series_periods(table: int, first_year: int, last_year: int, eras) -> list[dict]:
    """Periods of a series: the full span, then both sides of every era listing
    ``table`` (sides that would be empty are skipped)."""
    periods = [
        {"period": "full", "era": "", "side": "full", "start_year": first_year,
         "end_year": last_year}
    ]  # fmt: skip
    for era in eras:
        if int(table) not in {int(t) for t in era["tables"]}:
            continue
        split = int(era["first_later_year"])
        for side, start, end in (
            ("earlier", first_year, split - 1),
            ("later", split, last_year),
        ):
            if start <= end:
                periods.append(
                    {
                        "period": f"{era['id']}_{side}",
                        "era": era["id"],
                        "side": side,
                        "start_year": start,
                        "end_year": end,
                    }
                )
    return periods


def period_growth(years, values, notes=None, confidence: float = 0.95) -> dict:
    """CAGR, trend growth with CI and doubling times for one period's values.

    ``notes`` (parallel to ``values``, optional) explain missing values and are
    summarised in the returned ``note``.
    """
    years = np.asarray(years, dtype=int)
    values = np.asarray(values, dtype=float)
    notes = list(notes) if notes is not None else [""] * len(values)
    present = ~np.isnan(values)
    out_notes = []
    if (~present).any():
        out_notes.append(
            "missing "
            + describe_missing(
                years[~present], [n for n, p in zip(notes, present, strict=False) if not p]
            )
        )
    result = {
        "n_years": len(years),
        "n_obs": int(present.sum()),
        "first_obs_year": math.nan,
        "last_obs_year": math.nan,
        "cagr_pct": math.nan,
    }
    if present.any():
        obs_years = years[present]
        obs_values = values[present]
        first, last = int(obs_years.min()), int(obs_years.max())
        result["first_obs_year"], result["last_obs_year"] = first, last
        if (~present).any():
            out_notes.append(f"growth over non-missing years {year_ranges(obs_years)}")
        if present.sum() < 2:
            out_notes.append("CAGR needs 2 observations")
        else:
            v_first = float(obs_values[obs_years == first][0])
            v_last = float(obs_values[obs_years == last][0])
            result["cagr_pct"] = cagr(v_first, v_last, last - first)
            if v_first <= 0:
                out_notes.append("CAGR undefined: first value not positive")
            elif v_last < 0:
                out_notes.append("CAGR undefined: last value negative")
    trend = trend_growth(years, values, confidence=confidence)
    if trend["note"]:
        out_notes.append(trend["note"])
    result.update(
        trend_pct=trend["growth_pct"],
        trend_ci_low_pct=trend["ci_low_pct"],
        trend_ci_high_pct=trend["ci_high_pct"],
        doubling_time_cagr_years=doubling_time(result["cagr_pct"]),
        doubling_time_trend_years=doubling_time(trend["growth_pct"]),
    )
    for label, g in (("CAGR", result["cagr_pct"]), ("trend", trend["growth_pct"])):
        if not pd.isna(g) and g <= 0:
            out_notes.append(f"no doubling time: {label} growth <= 0")
    result["note"] = "; ".join(out_notes)
    return result


def period_table(df: pd.DataFrame, eras, confidence: float = 0.95) -> pd.DataFrame:
    """Per-period rows (``row_type == "period"``) for every (table, series, prices)."""
    rows = []
    for (table, series, prices), g in df.groupby(SERIES_KEYS, sort=True):
        g = g.sort_values("year", kind="stable")
        years = g["year"].astype(int).to_numpy()
        values = g["value"].astype(float).to_numpy()
        notes = g["note"].to_numpy() if "note" in g.columns else None
        for p in series_periods(table, int(years.min()), int(years.max()), eras):
            mask = (years >= p["start_year"]) & (years <= p["end_year"])
            stats = period_growth(
                years[mask],
                values[mask],
                None if notes is None else notes[mask],
                confidence=confidence,
            )
            span = p["end_year"] - p["start_year"] + 1
            if stats["n_years"] != span:
                stats["note"] = "; ".join(
                    x for x in (f"{span - stats['n_years']} years without rows", stats["note"]) if x
                )
            stats["n_years"] = span
            rows.append(
                {
                    "table": table,
                    "series": series,
                    "unit": g["unit"].iloc[0],
                    "prices": prices,
                    "row_type": "period",
                    **p,
                    **stats,
                }
            )
    return pd.DataFrame(rows)


def growth_table(df: pd.DataFrame, eras, confidence: float = 0.95) -> pd.DataFrame:
    """Year-on-year and per-period growth for every (table, series, prices), in the
    layout of the module docstring. Sorted by table, series, prices, then the yoy
    rows by year, then the period rows (full, then eras in config order, earlier
    before later)."""
    data = df.copy()
    data["table"] = data["table"].astype(int)
    data["year"] = data["year"].astype(int)
    data["value"] = pd.to_numeric(data["value"]).astype(float)
    yoy = yoy_changes(data)
    periods = period_table(data, eras, confidence=confidence)
    order = {"full": 0}
    for i, era in enumerate(eras):
        order[f"{era['id']}_earlier"] = 2 * i + 1
        order[f"{era['id']}_later"] = 2 * i + 2
    yoy["_type"], yoy["_order"] = 0, yoy["year"]
    periods["_type"], periods["_order"] = 1, periods["period"].map(order)
    out = pd.concat([yoy, periods], ignore_index=True)
    out = out.sort_values(SERIES_KEYS + ["_type", "_order"], kind="stable")
    out = out.reindex(columns=COLUMNS).reset_index(drop=True)
    for col in ("year", "start_year", "end_year", "n_years", "n_obs", "first_obs_year",
                "last_obs_year"):  # fmt: skip
        out[col] = out[col].astype("Int64")
    for col in ("period", "era", "side", "note"):
        out[col] = out[col].fillna("")
    return out
