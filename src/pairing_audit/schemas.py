"""Pandera schemas of the processed tables: the contract other tools read."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from .errors import InputError

UNITS = ["100m_yuan", "persons", "person_times", "count", "10k_persons", "10k_person_times"]
SNAKE = r"^[a-z][a-z0-9_]*$"

SERIES = pa.DataFrameSchema(
    {
        "table": pa.Column(int, pa.Check.isin([3, 4, 5, 6, 7])),
        "series": pa.Column(str, pa.Check.str_matches(SNAKE)),
        "label_zh": pa.Column(str, pa.Check.str_length(min_value=1)),
        "label_en": pa.Column(str, pa.Check.str_length(min_value=1)),
        "year": pa.Column(int, pa.Check.in_range(1949, 2030)),
        "value": pa.Column(float, pa.Check.ge(0), nullable=True),
        "value_printed": pa.Column(str, pa.Check.str_matches(r"^(-|\d+(\.\d+)?)$")),
        "unit": pa.Column(str, pa.Check.isin(UNITS)),
    },
    unique=["table", "series", "year"],
    strict=True,
    ordered=True,
)

EVENTS = pa.DataFrameSchema(
    {
        "event_id": pa.Column(str, pa.Check.str_matches(r"^t1_\d{4}(_\d{1,2}){0,2}$"), unique=True),
        "printed_order": pa.Column(int, pa.Check.ge(1), unique=True),
        "stage_id": pa.Column(str, pa.Check.isin(["emergence", "establishment", "deepening"])),
        "stage_zh": pa.Column(str),
        "stage_en": pa.Column(str),
        "date_printed": pa.Column(str),
        "year": pa.Column(int, pa.Check.in_range(1949, 2030)),
        "month": pa.Column("Int64", pa.Check.in_range(1, 12), nullable=True),
        "day": pa.Column("Int64", pa.Check.in_range(1, 31), nullable=True),
        "date_precision": pa.Column(str, pa.Check.isin(["year", "month", "day"])),
        "programme_zh": pa.Column(str, pa.Check.str_length(min_value=1)),
        "programme_en": pa.Column(str, pa.Check.str_length(min_value=1)),
        "significance_zh": pa.Column(str, pa.Check.str_length(min_value=1)),
        "significance_en": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    strict=True,
    ordered=True,
)

TYPOLOGY = pa.DataFrameSchema(
    {
        "printed_order": pa.Column(int, pa.Check.ge(1)),
        "year": pa.Column(int, pa.Check.in_range(1949, 2030)),
        "programme_zh": pa.Column(str),
        "programme_en": pa.Column(str),
        "group_id": pa.Column(str, pa.Check.isin(["task", "relationship", "intent"])),
        "group_zh": pa.Column(str),
        "group_en": pa.Column(str),
        "category_id": pa.Column(str, pa.Check.str_matches(SNAKE)),
        "category_zh": pa.Column(str),
        "category_en": pa.Column(str),
        "flag": pa.Column(bool),
        "group_marked": pa.Column(bool),
        "event_id": pa.Column(str, nullable=True),
        "link_note": pa.Column(str),
    },
    unique=["printed_order", "category_id"],
    strict=True,
    ordered=True,
)


def validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, name: str) -> pd.DataFrame:
    """Validate lazily; report the first failure as an InputError naming row and column."""
    try:
        return schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        case = exc.failure_cases.iloc[0]
        index = case.get("index")
        row = "-" if pd.isna(index) else int(index) + 2
        raise InputError(
            name, row, case.get("column"), f"{case['check']} failed ({case['failure_case']!r})"
        ) from None
