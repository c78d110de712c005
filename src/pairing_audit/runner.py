"""Entry point wrapper for rule scripts: bad input ends the job with one clear line."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from .errors import InputError


def run(main: Callable[[], None], log: str | None = None) -> None:
    """Run a rule's main(); on bad input print one message (also to the rule's log)."""
    try:
        main()
    except InputError as exc:
        message = f"ERROR: {exc}"
        _log(log, message)
        print(message, file=sys.stderr)
        sys.exit(1)
    _log(log, "ok")


def _log(log: str | None, line: str) -> None:
    if log:
        Path(log).parent.mkdir(parents=True, exist_ok=True)
        Path(log).write_text(line + "\n", encoding="utf-8")
