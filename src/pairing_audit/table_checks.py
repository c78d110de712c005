"""Re-adding the paper's printed subtotals/totals, and Table 6 against its sources.

A mismatch is a finding about the paper, recorded with status "mismatch"; it
never stops the run.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from .decimals import decimals_of, plain, round_half_up

CHECK_COLUMNS = [
    "check_id",
    "check_type",
    "table",
    "series",
    "label_zh",
    "row_label",
    "source_line",
    "first_year",
    "last_year",
    "other_table",
    "printed",
    "recomputed",
    "recomputed_at_printed_precision",
    "difference",
    "n_years",
    "n_values",
    "status",
    "note",
]


def exact_sum(printed_values: list[str]) -> Decimal:
    return sum((Decimal(v) for v in printed_values if v != "-"), Decimal(0))


def check_printed_totals(series: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """One row per printed total: re-added exactly and compared at printed precision."""
    rows = []
    for total in totals.itertuples(index=False):
        window = series[
            (series["table"] == total.table)
            & (series["series"] == total.series)
            & series["year"].between(total.first_year, total.last_year)
        ]
        present = window[window["value_printed"] != "-"]
        recomputed = exact_sum(present["value_printed"].tolist())
        printed = Decimal(total.printed)
        rounded = round_half_up(recomputed, decimals_of(total.printed))
        missing_years = sorted(window.loc[window["value_printed"] == "-", "year"])
        note = ""
        if missing_years:
            note = (
                f"printed '-' (missing) in {missing_years[0]}–{missing_years[-1]}; summed the rest"
            )
        rows.append(
            {
                "check_id": f"t{total.table}_{total.row_kind}_{total.first_year}_"
                f"{total.last_year}_{total.series}",
                "check_type": f"printed_{total.row_kind}",
                "table": total.table,
                "series": total.series,
                "label_zh": total.label_zh,
                "row_label": total.row_label,
                "source_line": total.source_line,
                "first_year": total.first_year,
                "last_year": total.last_year,
                "other_table": pd.NA,
                "printed": total.printed,
                "recomputed": plain(recomputed),
                "recomputed_at_printed_precision": str(rounded),
                "difference": plain(printed - rounded),
                "n_years": total.last_year - total.first_year + 1,
                "n_values": len(present),
                "status": "match" if rounded == printed else "mismatch",
                "note": note,
            }
        )
    return pd.DataFrame(rows, columns=CHECK_COLUMNS)


def check_repeated_cells(series: pd.DataFrame, repeats: dict[str, int], table: int) -> pd.DataFrame:
    """Each cell of `table` whose series repeats another table, compared by value."""
    rows = []
    for series_id, other in sorted(repeats.items()):
        mine = series[(series["table"] == table) & (series["series"] == series_id)]
        theirs = series[(series["table"] == other) & (series["series"] == series_id)]
        theirs = theirs.set_index("year")
        for cell in mine.itertuples(index=False):
            if cell.year not in theirs.index:
                status, other_printed, note = "mismatch", "", f"year absent from Table {other}"
            else:
                other_printed = theirs.at[cell.year, "value_printed"]
                equal = Decimal(cell.value_printed) == Decimal(other_printed)
                status = "match" if equal else "mismatch"
                note = (
                    ""
                    if cell.value_printed == other_printed
                    else "same value, printed differently"
                    if equal
                    else ""
                )
            rows.append(
                {
                    "check_id": f"t{table}_vs_t{other}_{cell.year}_{series_id}",
                    "check_type": "cross_table",
                    "table": table,
                    "series": series_id,
                    "label_zh": cell.label_zh,
                    "row_label": str(cell.year),
                    "source_line": pd.NA,
                    "first_year": cell.year,
                    "last_year": cell.year,
                    "other_table": other,
                    "printed": cell.value_printed,
                    "recomputed": other_printed,
                    "recomputed_at_printed_precision": other_printed,
                    "difference": plain(Decimal(cell.value_printed) - Decimal(other_printed))
                    if other_printed
                    else "",
                    "n_years": 1,
                    "n_values": 1,
                    "status": status,
                    "note": note,
                }
            )
    return pd.DataFrame(rows, columns=CHECK_COLUMNS)
