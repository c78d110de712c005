"""Reading raw transcriptions: every cell as the printed string, nothing coerced.

A raw file is checked as a whole before any cell is read: UTF-8 throughout (a bad
byte is reported with its line and column), a header, every row ending in a line
break and holding exactly the header's number of cells (a truncated last row fails
here, before a cut-off number could be read as a smaller one), no blank lines (they
would shift the row numbers in later messages), and exactly the expected columns.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from .errors import InputError


def decode_utf8(data: bytes, path: str | Path) -> str:
    """The file's text; an undecodable byte is named by its line and column."""
    try:
        return data.decode("utf-8-sig")  # a leading byte-order mark is dropped
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        prefix = data[line_start : exc.start].decode("utf-8", errors="replace")
        header = next(csv.reader(io.StringIO(data.split(b"\n", 1)[0].decode("utf-8", "replace"))))
        field = len(next(csv.reader(io.StringIO(prefix)), [""])) - 1 if prefix else 0
        named = line > 1 and field < len(header)  # a bad header has no names to give
        column = header[field] if named else f"#{field + 1}"
        raise InputError(
            path,
            line,
            column,
            f"not UTF-8 (byte {data[exc.start]:#04x}; save the file as UTF-8)",
        ) from None


def read_raw_csv(path: str | Path, required_columns: list[str]) -> pd.DataFrame:
    """Read a raw table as strings (empty cell -> "").

    ``required_columns`` are the columns the file must have, and the only ones it
    may have (an unexpected column would otherwise be silently ignored).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "-", "-", "raw file not found")
    text = decode_utf8(path.read_bytes(), path)
    if not text.strip():
        raise InputError(path, 1, "-", "file is empty (expected a header row)")
    if not text.endswith("\n"):
        last = text.count("\n") + 1
        raise InputError(path, last, "-", "last row has no line end (file truncated?)")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    rows = []
    for cells in reader:
        line = reader.line_num
        if not cells:
            raise InputError(path, line, "-", "blank line")
        if len(cells) != len(header):
            column = header[len(cells)] if len(cells) < len(header) else f"#{len(header) + 1}"
            raise InputError(
                path,
                line,
                column,
                f"{len(cells)} cells, the header has {len(header)} (row truncated or split?)",
            )
        rows.append(cells)
    if len(rows) + 1 != text.count("\n"):
        # a quoted cell spanning lines would shift every later row number
        raise InputError(path, "-", "-", "a quoted cell spans several lines")
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise InputError(path, 1, duplicated[0], "duplicated column header")
    missing = [c for c in required_columns if c not in header]
    if missing:
        raise InputError(path, 1, missing[0], "required column missing from the header")
    unexpected = [c for c in header if c not in required_columns]
    if unexpected:
        raise InputError(
            path, 1, unexpected[0], "unexpected column (not described in data/raw/manifest.yaml)"
        )
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    return frame.apply(lambda col: col.str.strip()).astype(object)
