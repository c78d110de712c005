"""The one reader for the pipeline's own tables (data/processed/, reports/*.csv).

Every column the pipeline writes has one declared type here, by name: a column
means the same thing in every table that carries it. Text, integer and boolean
columns are listed in ``COLUMN_TYPES``; every other column is a measurement read as
a float, so a text column someone forgot to declare fails loudly (a cell that is
not a number), never silently. Empty cells are missing values; no other text
(``NA``, ``nan``) is taken for missing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .errors import InputError

TEXT, FLOAT, INT, BOOL = "string", "float64", "Int64", "boolean"

_TEXT_COLUMNS = """
series label_zh label_en value_printed unit prices note event_id stage_id stage_zh stage_en
date_printed date_precision programme_zh programme_en significance_zh significance_en
group_id group_zh group_en category_id category_zh category_en link_note row_kind
row_label source_line printed check_id check_type status scale breaks estimator term window
claim_id source location kind statement claimed_value computed_value verdict explanation
qualifier computation explained comparison claim_key metric row_type period era side
recomputed recomputed_at_printed_precision difference other_table evidence number_kind
role break_years ci_low_years ci_high_years criterion
""".split()
_INT_COLUMNS = """
table year month day printed_order first_year last_year n_obs n_years n_values candidate_year
f_rank sup_f_year n_boot seed break_year n_post earlier_start earlier_end later_start later_end
n_years_earlier n_years_later n_obs_earlier n_obs_later start_year end_year first_obs_year
last_obs_year first_later_year reproduced rounding discrepant unsupported not_checkable total
claims n h n_breaks replications
""".split()
_BOOL_COLUMNS = "descriptive converged flag group_marked post is_sup_f complete".split()

COLUMN_TYPES: dict[str, str] = {
    **{name: TEXT for name in _TEXT_COLUMNS},
    **{name: INT for name in _INT_COLUMNS},
    **{name: BOOL for name in _BOOL_COLUMNS},
}


# The one exception to "one type per column name": in reports/breakpoints.csv the
# interval ends are break dates, several joined with "+" (its column names are fixed
# by issue 9's contract), not the numeric bounds of other tables.
TABLE_COLUMN_TYPES: dict[str, dict[str, str]] = {
    "breakpoints.csv": {"ci_low": TEXT, "ci_high": TEXT},
}


def column_type(name: str, table: str = "") -> str:
    """Declared type of a column (of the table file named `table`); numeric
    measurements (the rest) are floats."""
    return TABLE_COLUMN_TYPES.get(table, {}).get(name) or COLUMN_TYPES.get(name, FLOAT)


def read_table(path: str | Path, *, columns: list[str] | None = None) -> pd.DataFrame:
    """Read one of the pipeline's own CSV tables with its declared column types.

    ``columns``: columns the caller needs; a missing one is named in the error.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "-", "-", "table not found (rerun the pipeline)")
    try:
        header = pd.read_csv(path, nrows=0, encoding="utf-8").columns.tolist()
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(path, 1, "-", f"cannot read the header: {exc}") from None
    missing = [name for name in columns or [] if name not in header]
    if missing:
        raise InputError(path, 1, missing[0], "column missing from the header")
    dtypes = {name: column_type(name, path.name) for name in header}
    try:
        return pd.read_csv(
            path, dtype=dtypes, keep_default_na=False, na_values=[""], encoding="utf-8"
        )
    except (ValueError, TypeError, pd.errors.ParserError) as exc:
        raise InputError(path, "-", "-", f"a cell does not have its column's type: {exc}") from None
