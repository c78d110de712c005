"""Error types for bad input and failed writes: each message names where the problem is."""

from __future__ import annotations


class InputError(Exception):
    """Bad input: stops the pipeline with one message naming where the problem is.

    `row` is the 1-based line number in the file (the CSV header is line 1), or a
    key path for YAML files; `column` is the column header or field name.
    `row_word` names what `row` counts ("row" in a CSV, "line" in a YAML file).
    """

    def __init__(
        self, file: str, row: object, column: object, problem: str, *, row_word: str = "row"
    ):
        self.file, self.row, self.column, self.problem = str(file), row, column, problem
        super().__init__(f"{file}: {row_word} {row}, column {column!s}: {problem}")


class ConfigError(InputError):
    """A setting that is well-formed but wrong: names the file and the key path."""

    def __init__(self, file: str, key: str, problem: str):
        self.file, self.row, self.column, self.problem = str(file), key, "-", problem
        self.key = key
        Exception.__init__(self, f"{file}: key {key}: {problem}")


class WriteError(Exception):
    """An output could not be written (disk full, no permission): names the file."""

    def __init__(self, file: str, problem: str):
        self.file, self.problem = str(file), problem
        super().__init__(f"{file}: cannot write: {problem}")


def csv_line(index: int) -> int:
    """Line number in the CSV file of the data row at 0-based position `index`."""
    return index + 2
