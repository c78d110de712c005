"""Deterministic, atomic output shared by rule scripts.

:func:`write_csv` never reorders rows or columns (callers sort), writes no index,
uses ``\\n`` line endings and full-precision floats (the shortest text that reads
back to the same double: nothing is pre-rounded). Every writer replaces its target
atomically: the content goes to a temporary file in the same directory which is then
renamed over the target, so a crash never leaves a half-written file behind. A write
that fails (disk full, no permission) raises :class:`WriteError` naming the target.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pandas as pd

from .errors import WriteError


def _replace_atomically(path: str | os.PathLike, write: Callable[[IO], None], mode: str) -> Path:
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise WriteError(path, exc.strerror or str(exc)) from None
    try:
        text = {"encoding": "utf-8", "newline": ""} if "b" not in mode else {}
        with os.fdopen(fd, mode, **text) as handle:
            write(handle)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; give the usual file mode
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):  # disk full, no permission: name the file
            raise WriteError(path, exc.strerror or str(exc)) from None
        raise
    return path


def write_csv(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write ``df`` to ``path`` as CSV (UTF-8, no index) atomically; return the path."""
    return _replace_atomically(
        path, lambda handle: df.to_csv(handle, index=False, lineterminator="\n"), "w"
    )


def write_bytes(data: bytes, path: str | os.PathLike) -> Path:
    """Write bytes (e.g. an SVG figure) to ``path`` atomically; return the path."""
    return _replace_atomically(path, lambda handle: handle.write(data), "wb")
