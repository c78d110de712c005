"""Era comparisons: how much of a series' total falls after a split year.

Input: the long price table of :func:`pairing_audit.prices.deflate_series`
(columns table, series, year, unit, prices, value, note). Each config era
(``id``, ``first_later_year``, ``tables``) splits every series of its tables into
an earlier era (the series' first year to ``first_later_year - 1``) and a later era
(``first_later_year`` to the series' last year).

Output of :func:`era_comparisons` — one row per (table, series, prices, comparison):

``earlier_start, earlier_end, later_start, later_end`` bound the eras;
``n_years_*`` count their years, ``n_obs_*`` their non-missing values;
``total_earlier, total_later, total_all`` are sums, ``mean_*`` annual means
(totals over years: eras differ in length); ``later_share_pct`` is
``100 * total_later / total_all``; ``ratio_totals`` is ``total_later /
total_earlier`` (the ratio papers report) and ``ratio_means`` is ``mean_later /
mean_earlier``; ``complete`` is true when every year of both eras has a value.

All figures are at full precision. When a comparison is incomplete — a real value
before the CPI starts, a cell printed ``-`` — totals, means, share and ratios are
left missing (a partial sum is not the total) and ``note`` names the missing years
and why, e.g. ``"incomplete (1980–1985 no CPI before 1986): totals, means and
ratios not computed"``.

:func:`headline_sensitivity` picks the paper's headline figures out of this table
under every comparison and price basis.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pairing_audit.prices import SERIES_KEYS, describe_missing

COLUMNS = [
    "table",
    "series",
    "unit",
    "prices",
    "comparison",
    "first_later_year",
    "earlier_start",
    "earlier_end",
    "later_start",
    "later_end",
    "n_years_earlier",
    "n_years_later",
    "n_obs_earlier",
    "n_obs_later",
    "total_earlier",
    "total_later",
    "total_all",
    "mean_earlier",
    "mean_later",
    "later_share_pct",
    "ratio_totals",
    "ratio_means",
    "complete",
    "note",
]

# (claim key, table, series, metric of the era table)
HEADLINE_CLAIMS = [
    ("t3_share_2012_2020", 3, "central_special_fund", "later_share_pct"),
    ("t4_direct_aid_ratio", 4, "direct_aid_funds", "ratio_totals"),
    ("t4_attracted_ratio", 4, "attracted_funds", "ratio_totals"),
]

HEADLINE_COLUMNS = [
    "claim_key",
    "table",
    "series",
    "metric",
    "comparison",
    "earlier_start",
    "earlier_end",
    "later_start",
    "later_end",
    "prices",
    "value",
    "complete",
    "note",
]


def _ratio(num: float, den: float) -> float:
    if pd.isna(num) or pd.isna(den) or den == 0:
        return math.nan
    return num / den


def compare_eras(years, values, first_later_year: int, notes=None) -> dict:
    """Compare the earlier and later era of one series.

    ``years``/``values`` (and optional parallel ``notes`` explaining missing
    values) cover the series' rows; the earlier era runs from its first year to
    ``first_later_year - 1``, the later era from ``first_later_year`` to its last
    year. Years inside an era without a row count as missing. Returns the fields of
    :data:`COLUMNS` from ``earlier_start`` to ``note``.
    """
    years = np.asarray(years, dtype=int)
    values = np.asarray(values, dtype=float)
    notes = list(notes) if notes is not None else [""] * len(values)
    split = int(first_later_year)
    first, last = int(years.min()), int(years.max())
    by_year = dict(zip(years.tolist(), values.tolist(), strict=False))
    note_by_year = dict(zip(years.tolist(), notes, strict=False))

    out: dict = {
        "earlier_start": first,
        "earlier_end": split - 1,
        "later_start": split,
        "later_end": last,
    }
    missing_years, missing_notes = [], []
    sides = {}
    for side, start, end in (("earlier", first, split - 1), ("later", split, last)):
        era_years = list(range(start, end + 1))
        vals = [by_year.get(y, math.nan) for y in era_years]
        obs = [v for v in vals if not math.isnan(v)]
        for y, v in zip(era_years, vals, strict=False):
            if math.isnan(v):
                missing_years.append(y)
                missing_notes.append(note_by_year.get(y, "no row") if y in by_year else "no row")
        out[f"n_years_{side}"] = len(era_years)
        out[f"n_obs_{side}"] = len(obs)
        sides[side] = (len(era_years), obs)

    notes_out = []
    empty = [s for s, (n, _) in sides.items() if n == 0]
    complete = not empty and not missing_years
    if empty:
        notes_out.append(
            f"split year {split} leaves the {' and '.join(empty)} era empty (series {first}–{last})"
        )
    if missing_years:
        notes_out.append(
            f"incomplete ({describe_missing(missing_years, missing_notes)}): "
            "totals, means and ratios not computed"
        )
    nan = math.nan
    out.update(
        total_earlier=nan,
        total_later=nan,
        total_all=nan,
        mean_earlier=nan,
        mean_later=nan,
        later_share_pct=nan,
        ratio_totals=nan,
        ratio_means=nan,
    )
    if complete:
        n_e, obs_e = sides["earlier"]
        n_l, obs_l = sides["later"]
        total_e, total_l = math.fsum(obs_e), math.fsum(obs_l)
        total_all = math.fsum(obs_e + obs_l)
        mean_e, mean_l = total_e / n_e, total_l / n_l
        out.update(
            total_earlier=total_e,
            total_later=total_l,
            total_all=total_all,
            mean_earlier=mean_e,
            mean_later=mean_l,
            later_share_pct=100.0 * _ratio(total_l, total_all),
            ratio_totals=_ratio(total_l, total_e),
            ratio_means=_ratio(mean_l, mean_e),
        )
        if total_e == 0:
            notes_out.append("earlier total is zero: ratios undefined")
        if total_all == 0:
            notes_out.append("total is zero: share undefined")
    out["complete"] = bool(complete)
    out["note"] = "; ".join(notes_out)
    return out


def era_comparisons(df: pd.DataFrame, eras) -> pd.DataFrame:
    """One row per (table, series, prices, comparison) for the tables each era lists.

    Sorted by table, series, prices, then comparisons in config order.
    """
    data = df.copy()
    data["table"] = data["table"].astype(int)
    data["year"] = data["year"].astype(int)
    data["value"] = pd.to_numeric(data["value"]).astype(float)
    if "note" not in data.columns:
        data["note"] = ""
    rows = []
    for order, era in enumerate(eras):
        tables = {int(t) for t in era["tables"]}
        subset = data[data["table"].isin(tables)]
        if "first_year" in era:  # an era pair that starts later than the data
            subset = subset[subset["year"] >= int(era["first_year"])]
        for (table, series, prices), g in subset.groupby(SERIES_KEYS, sort=True):
            g = g.sort_values("year", kind="stable")
            stats = compare_eras(
                g["year"].to_numpy(),
                g["value"].to_numpy(),
                int(era["first_later_year"]),
                g["note"].fillna("").to_numpy(),
            )
            rows.append(
                {
                    "table": table,
                    "series": series,
                    "unit": g["unit"].iloc[0],
                    "prices": prices,
                    "comparison": era["id"],
                    "first_later_year": int(era["first_later_year"]),
                    "_order": order,
                    **stats,
                }
            )
    if not rows:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.DataFrame(rows)
    out = out.sort_values(SERIES_KEYS + ["_order"], kind="stable")
    out = out[COLUMNS].reset_index(drop=True)
    out["complete"] = out["complete"].astype(bool)
    return out


def headline_sensitivity(eras_df: pd.DataFrame) -> pd.DataFrame:
    """The headline claims under every era comparison and price basis.

    Rows: ``claim_key`` in ``t3_share_2012_2020`` (Table 3 central special fund,
    later-era share of the total), ``t4_direct_aid_ratio`` and
    ``t4_attracted_ratio`` (Table 4 direct aid / attracted funds, later/earlier
    totals); ``value`` is that metric of the era row, missing where the comparison
    is incomplete (``complete`` and ``note`` copied from the era row).
    """
    parts = []
    for key, table, series, metric in HEADLINE_CLAIMS:
        sel = eras_df[(eras_df["table"].astype(int) == table) & (eras_df["series"] == series)]
        if sel.empty:
            continue
        part = sel.assign(claim_key=key, metric=metric, value=sel[metric].astype(float))
        parts.append(part[HEADLINE_COLUMNS])
    if not parts:
        return pd.DataFrame(columns=HEADLINE_COLUMNS)
    # eras_df is already ordered by prices then comparison within a series;
    # present by claim, then comparison, then prices.
    out = pd.concat(parts, ignore_index=True)
    comp_order = {c: i for i, c in enumerate(dict.fromkeys(eras_df["comparison"]))}
    out["_c"] = out["comparison"].map(comp_order)
    out["_k"] = out["claim_key"].map({k[0]: i for i, k in enumerate(HEADLINE_CLAIMS)})
    out = out.sort_values(["_k", "_c", "prices"], kind="stable")
    return out[HEADLINE_COLUMNS].reset_index(drop=True)
