"""Reading raw transcriptions: every cell as the printed string, nothing coerced."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .errors import InputError


def read_raw_csv(path: str | Path, required_columns: list[str]) -> pd.DataFrame:
    """Read a raw table as strings (empty cell -> ""), checking its columns exist."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "-", "-", "raw file not found")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(path, "-", "-", f"cannot parse as UTF-8 CSV: {exc}") from None
    missing = [c for c in required_columns if c not in frame.columns]
    if missing:
        raise InputError(path, 1, missing[0], "required column missing from the header")
    duplicated = frame.columns[frame.columns.str.contains(r"\.\d+$", regex=True)]
    if len(duplicated):
        raise InputError(path, 1, duplicated[0], "duplicated column header")
    return frame.apply(lambda col: col.str.strip())
