"""One error type for bad input, whose message always names file, row and column."""

from __future__ import annotations


class InputError(Exception):
    """Bad input: stops the pipeline with one message naming where the problem is.

    `row` is the 1-based line number in the file (the CSV header is line 1), or a
    key path for YAML files; `column` is the column header or field name.
    """

    def __init__(self, file: str, row: object, column: object, problem: str):
        self.file, self.row, self.column, self.problem = str(file), row, column, problem
        super().__init__(f"{file}: row {row}, column {column!s}: {problem}")


def csv_line(index: int) -> int:
    """Line number in the CSV file of the data row at 0-based position `index`."""
    return index + 2
