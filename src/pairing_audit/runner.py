"""Entry point wrapper for rule scripts: bad input ends the job with one clear line.

Everything the script writes to stderr (warnings, errors, a traceback from a bug)
also goes to the rule's log, so the log of a failed rule shows why it failed.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from .errors import InputError, WriteError


class _Tee:
    """A text stream that writes to several streams (the terminal and the log)."""

    def __init__(self, *streams: TextIO):
        self.streams = streams

    def write(self, text: str) -> int:
        for stream in self.streams:
            stream.write(text)
            stream.flush()
        return len(text)

    def flush(self) -> None:
        for stream in self.streams:
            stream.flush()

    def isatty(self) -> bool:
        return False


def run(main: Callable[[], None], log: str | None = None) -> None:
    """Run a rule's main() with stderr copied to ``log``; on bad input (or a failed
    write) print one message naming the file and exit 1; on success end the log
    with "ok"."""
    if not log:
        _run(main)
        return
    Path(log).parent.mkdir(parents=True, exist_ok=True)
    terminal = sys.stderr
    with open(log, "w", encoding="utf-8") as handle:
        sys.stderr = _Tee(terminal, handle)
        try:
            _run(main)
            handle.write("ok\n")
        finally:
            sys.stderr = terminal


def run_rule(main: Callable[[], None], log: str | None = None) -> None:
    """``run`` for a rule script, ending the process as soon as the rule succeeds.

    A rule job is a process of its own whose outputs are closed by the time main()
    returns (every writer replaces its file atomically). What is left, the
    interpreter's teardown of pandas, scipy and matplotlib, costs 0.1-0.4 s per job
    and does nothing for the outputs; so after a success the buffered streams are
    flushed and the process exits with status 0 at once. Failures exit as ``run``
    does. Not for use inside a longer-lived process (a notebook, a test): use ``run``.
    """
    run(main, log=log)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _run(main: Callable[[], None]) -> None:
    try:
        main()
    except (InputError, WriteError) as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        sys.exit(1)
    except Exception:
        # a bug, not bad input: the full traceback, in the log too
        traceback.print_exc(file=sys.stderr)
        sys.exit(1)
