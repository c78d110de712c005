"""Reading YAML files (config, manifest, links, ledger) with errors that name the line."""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import InputError

# the C loader where PyYAML was built with libyaml (much faster on large files)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: str | Path) -> object:
    """Parse one YAML file; a missing file, bad bytes or bad syntax is an InputError
    naming the file, the line and the column."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "-", "-", "file not found")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            path, line, column, f"not UTF-8 (byte {data[exc.start]:#04x})", row_word="line"
        ) from None
    try:
        return yaml.load(text, Loader=SAFE_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        line, column = (mark.line + 1, mark.column + 1) if mark else ("-", "-")
        raise InputError(
            path, line, column, f"YAML syntax error: {problem}", row_word="line"
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(path, "-", "-", f"YAML error: {exc}", row_word="line") from None
