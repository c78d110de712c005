"""Cleaning the numeric tables (3–7) into one tidy series table plus printed totals.

The raw files keep cells as printed; here each cell is parsed once, with exact
decimals kept beside the float so later checks can work at printed precision.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd

from .errors import InputError, csv_line

NUMBER = re.compile(r"^\d+(\.\d+)?$")  # amounts and counts: never negative
YEAR = re.compile(r"^(19|20)\d\d$")
MISSING = "-"
TOTAL_LABELS = {"小计": "subtotal", "合计": "total"}

SERIES_COLUMNS = [
    "table",
    "series",
    "label_zh",
    "label_en",
    "year",
    "value",
    "value_printed",
    "unit",
]
TOTAL_COLUMNS = [
    "table",
    "series",
    "label_zh",
    "row_kind",
    "row_label",
    "source_line",
    "first_year",
    "last_year",
    "printed",
]


def parse_number(text: str, file, row, column) -> Decimal | None:
    """A printed numeric cell: "-" is missing (None), anything else must be a number."""
    if text == MISSING:
        return None
    if text.startswith("-") and NUMBER.match(text[1:]):
        raise InputError(
            file, row, column, f"negative value {text!r} (amounts and counts are >= 0)"
        )
    if not NUMBER.match(text):
        raise InputError(file, row, column, f"not a number: {text!r}")
    return Decimal(text)


def parse_year(text: str, file, row, column) -> int:
    if not YEAR.match(text):
        raise InputError(file, row, column, f"not a year: {text!r}")
    return int(text)


def printed_cells(raw: pd.DataFrame, spec: dict, path) -> pd.DataFrame:
    """Flatten a numeric raw table to one row per printed cell.

    Columns: line, row_label, header (series header as in the manifest),
    source_column (the CSV column), printed, year_column (where the row's year is).
    Table 3's side-by-side (year, value) pairs are stacked here; rows whose pair
    prints "-" "-" are layout filler.
    """
    records = []
    if "pairs" in spec:
        (header,) = spec["series"]
        for index, row in raw.iterrows():
            line = csv_line(index)
            label = row.get("行标签", "")
            if label in TOTAL_LABELS:
                for year_col, value_col in spec["pairs"]:
                    if row[value_col]:
                        records.append((line, label, header, value_col, row[value_col], year_col))
                continue
            if label:
                raise InputError(path, line, "行标签", f"unexpected row label {label!r}")
            for year_col, value_col in spec["pairs"]:
                year_text, value_text = row[year_col], row[value_col]
                if year_text == MISSING and value_text == MISSING:
                    continue
                year = parse_year(year_text, path, line, year_col)
                records.append((line, str(year), header, value_col, value_text, year_col))
    else:
        for index, row in raw.iterrows():
            line = csv_line(index)
            label = row["年份"]
            if label not in TOTAL_LABELS:
                label = str(parse_year(label, path, line, "年份"))
            for header in spec["series"]:
                records.append((line, label, header, header, row[header], "年份"))
    return pd.DataFrame(
        records,
        columns=["line", "row_label", "header", "source_column", "printed", "year_column"],
    )


def tidy_series(raw: pd.DataFrame, spec: dict, path) -> pd.DataFrame:
    """Data rows of one numeric table as tidy series rows (totals excluded)."""
    cells = printed_cells(raw, spec, path)
    data = cells[~cells["row_label"].isin(TOTAL_LABELS)]
    seen: dict[tuple[str, int], int] = {}
    rows = []
    for cell in data.itertuples(index=False):
        year = int(cell.row_label)
        first, last = (int(y) for y in spec["years"])
        if not first <= year <= last:
            raise InputError(
                path,
                cell.line,
                cell.year_column,
                f"year {year} outside the table's years {first}–{last} (data/raw/manifest.yaml)",
            )
        meta = spec["series"][cell.header]
        key = (meta["id"], year)
        if key in seen:
            raise InputError(
                path,
                cell.line,
                cell.year_column,
                f"duplicate year {year} (first on line {seen[key]})",
            )
        seen[key] = cell.line
        value = parse_number(cell.printed, path, cell.line, cell.source_column)
        rows.append(
            {
                "table": int(spec["table"]),
                "series": meta["id"],
                "label_zh": meta["label_zh"],
                "label_en": meta["label_en"],
                "year": year,
                "value": float(value) if value is not None else float("nan"),
                "value_printed": cell.printed,
                "unit": meta["unit"],
            }
        )
    frame = pd.DataFrame(rows, columns=SERIES_COLUMNS)
    return frame.sort_values(["series", "year"], kind="stable").reset_index(drop=True)


def printed_totals(raw: pd.DataFrame, spec: dict, path) -> pd.DataFrame:
    """Printed subtotal/total cells, each with the year window it covers."""
    cells = printed_cells(raw, spec, path)
    totals = cells[cells["row_label"].isin(TOTAL_LABELS)]
    lines_by_label = {
        label: sorted(group["line"].unique()) for label, group in totals.groupby("row_label")
    }
    rows = []
    for total in spec.get("totals", []):
        label = total["row_label"]
        lines = lines_by_label.get(label, [])
        occurrence = total.get("occurrence", 1)
        if len(lines) < occurrence:
            raise InputError(path, "-", label, f"manifest expects {label} row #{occurrence}")
        line = lines[occurrence - 1]
        row_cells = totals[totals["line"] == line]
        if "column" in total:
            row_cells = row_cells[row_cells["source_column"] == total["column"]]
        for cell in row_cells.itertuples(index=False):
            if cell.printed in ("", MISSING):
                continue  # the paper prints no total for this column
            parse_number(cell.printed, path, cell.line, cell.source_column)
            meta = spec["series"][cell.header]
            rows.append(
                {
                    "table": int(spec["table"]),
                    "series": meta["id"],
                    "label_zh": meta["label_zh"],
                    "row_kind": total["row_kind"],
                    "row_label": label,
                    "source_line": int(cell.line),
                    "first_year": int(total["years"][0]),
                    "last_year": int(total["years"][1]),
                    "printed": cell.printed,
                }
            )
    return pd.DataFrame(rows, columns=TOTAL_COLUMNS)


def numeric_table_columns(spec: dict) -> list[str]:
    if "pairs" in spec:
        return ["行标签"] + [c for pair in spec["pairs"] for c in pair]
    return ["年份", *spec["series"]]
