"""Cleaning functions on small fixtures, and each bad-input case."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pairing_audit.clean import numeric_table_columns, parse_number, printed_totals, tidy_series
from pairing_audit.errors import InputError
from pairing_audit.manifest import load_manifest
from pairing_audit.rawio import read_raw_csv

SPEC = {
    "table": 9,
    "series": {
        "资金(亿元)": {"id": "fund", "label_zh": "资金", "label_en": "Fund", "unit": "100m_yuan"},
        "人数(人)": {"id": "people", "label_zh": "人数", "label_en": "People", "unit": "persons"},
    },
    "totals": [{"row_label": "合计", "occurrence": 1, "years": [2001, 2002], "row_kind": "total"}],
    "years": [2001, 2002],
}
PAIRS_SPEC = {
    "table": 3,
    "pairs": [["年份_1", "额_1"], ["年份_2", "额_2"]],
    "series": {"额": {"id": "fund", "label_zh": "额", "label_en": "Fund", "unit": "100m_yuan"}},
    "totals": [{"row_label": "合计", "column": "额_2", "years": [2001, 2003], "row_kind": "total"}],
    "years": [2001, 2003],
}


def frame(rows, columns):
    return pd.DataFrame(rows, columns=columns, dtype=str)


def simple_table():
    return frame(
        [["2001", "1.50", "3"], ["2002", "-", "4"], ["合计", "1.5", "7"]],
        ["年份", "资金(亿元)", "人数(人)"],
    )


def test_parse_number_keeps_printed_precision_and_missing():
    assert str(parse_number("33.30", "f", 2, "c")) == "33.30"
    assert parse_number("-", "f", 2, "c") is None


def test_tidy_series_long_format_dash_is_missing_not_zero():
    tidy = tidy_series(simple_table(), SPEC, "t.csv")
    assert list(tidy.columns) == [
        "table",
        "series",
        "label_zh",
        "label_en",
        "year",
        "value",
        "value_printed",
        "unit",
    ]
    assert len(tidy) == 4  # the 合计 row is not data
    fund = tidy[tidy.series == "fund"].set_index("year")
    assert fund.at[2001, "value"] == 1.5 and fund.at[2001, "value_printed"] == "1.50"
    assert math.isnan(fund.at[2002, "value"]) and fund.at[2002, "value_printed"] == "-"
    assert set(tidy.unit) == {"100m_yuan", "persons"}


def test_printed_totals_carry_their_year_window():
    totals = printed_totals(simple_table(), SPEC, "t.csv")
    assert totals[["series", "printed", "first_year", "last_year"]].values.tolist() == [
        ["fund", "1.5", 2001, 2002],
        ["people", "7", 2001, 2002],
    ]
    assert (totals.source_line == 4).all()


def test_side_by_side_pairs_are_stacked_and_filler_dropped():
    raw = frame(
        [["", "2001", "1", "2003", "3"], ["", "2002", "2", "-", "-"], ["合计", "", "", "", "6"]],
        ["行标签", "年份_1", "额_1", "年份_2", "额_2"],
    )
    tidy = tidy_series(raw, PAIRS_SPEC, "t3.csv")
    assert tidy.year.tolist() == [2001, 2002, 2003]
    assert tidy.value.tolist() == [1.0, 2.0, 3.0]
    totals = printed_totals(raw, PAIRS_SPEC, "t3.csv")
    assert totals.printed.tolist() == ["6"] and totals.first_year.tolist() == [2001]


def test_non_numeric_cell_names_file_row_column():
    raw = simple_table()
    raw.loc[1, "人数(人)"] = "4O"
    with pytest.raises(InputError, match=r"t\.csv: row 3, column 人数\(人\): not a number: '4O'"):
        tidy_series(raw, SPEC, "t.csv")


def test_negative_value_names_the_raw_file_row_column():
    raw = simple_table()
    raw.loc[0, "资金(亿元)"] = "-1.50"
    with pytest.raises(InputError, match=r"t\.csv: row 2, column 资金\(亿元\): negative value"):
        tidy_series(raw, SPEC, "t.csv")


def test_year_outside_the_manifest_years_names_the_raw_row():
    raw = simple_table()
    raw.loc[1, "年份"] = "2009"
    with pytest.raises(InputError, match=r"t\.csv: row 3, column 年份: year 2009 outside"):
        tidy_series(raw, SPEC, "t.csv")


def test_duplicate_year_names_file_row_column():
    raw = simple_table()
    raw.loc[1, "年份"] = "2001"
    with pytest.raises(InputError, match=r"t\.csv: row 3, column 年份: duplicate year 2001"):
        tidy_series(raw, SPEC, "t.csv")


def test_malformed_year_names_file_row_column():
    raw = simple_table()
    raw.loc[0, "年份"] = "2OO1"
    with pytest.raises(InputError, match=r"row 2, column 年份: not a year"):
        tidy_series(raw, SPEC, "t.csv")


def test_missing_column_names_file_header_row_column(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("年份,资金(亿元)\n2001,1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"t\.csv: row 1, column 人数\(人\): required column"):
        read_raw_csv(path, ["年份", "资金(亿元)", "人数(人)"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"row 1, column -: file is empty"),
        (b"\xef\xbb\xbf", r"row 1, column -: file is empty"),
        ("年份,资金(亿元)\n2001,1\n2002,2".encode(), r"row 3, column -: last row has no line end"),
        (
            "年份,资金(亿元)\n2001,1\n2002\n".encode(),
            r"row 3, column 资金\(亿元\): 1 cells, the header has 2",
        ),
        ("年份,资金(亿元)\n2001,1\n2002,2,3\n".encode(), r"row 3, column #3: 3 cells"),
        ("年份,资金(亿元)\n2001,1\n\n2002,2\n".encode(), r"row 3, column -: blank line"),
        ("年份,资金(亿元)\n2001,1\n".encode("gbk"), r"row 1, column #1: not UTF-8"),
        (
            "年份,资金(亿元)\n2001,1\n2002,".encode() + "二".encode("gbk") + b"\n",
            r"row 3, column 资金\(亿元\): not UTF-8",
        ),
        ("年份,资金(亿元),备注\n2001,1,x\n".encode(), r"row 1, column 备注: unexpected column"),
        ("年份,年份\n2001,1\n".encode(), r"row 1, column 年份: duplicated column header"),
    ],
    ids=[
        "empty",
        "bom-only",
        "no-final-newline",
        "short-row",
        "long-row",
        "blank-line",
        "gbk-header",
        "gbk-cell",
        "extra-column",
        "duplicate-header",
    ],
)
def test_malformed_raw_file_names_row_and_column(tmp_path, content, message):
    path = tmp_path / "t.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=r"t\.csv: " + message):
        read_raw_csv(path, ["年份", "资金(亿元)"])


def test_missing_raw_file_is_named(tmp_path):
    with pytest.raises(InputError, match=r"absent\.csv: row -, column -: raw file not found"):
        read_raw_csv(tmp_path / "absent.csv", ["年份"])


def test_unknown_unit_in_manifest_names_file_entry_and_field(tmp_path):
    path = tmp_path / "manifest.yaml"
    path.write_text(
        "units: [persons]\nfiles:\n  t.csv:\n    series:\n"
        "      人数(人): {id: people, label_zh: 人数, label_en: People, unit: heads}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"row files\.t\.csv\.series\.人数\(人\), column unit"):
        load_manifest(path)


def test_real_tables_every_printed_cell_round_trips(manifest):
    """Every numeric cell of Tables 3-7 reaches the tidy table with its printed string.

    Independent of the cleaning code: the raw files are read with the csv module and
    every number outside year columns and 小计/合计 rows is collected.
    """
    import csv
    import re

    from conftest import ROOT

    number = re.compile(r"^\d+(\.\d+)?$")
    for name, spec in manifest["files"].items():
        if spec.get("kind") not in ("numeric", "numeric_wide_pairs"):
            continue
        with open(ROOT / "data/raw" / name, encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        expected = [
            cell
            for row in rows
            if not {"小计", "合计"} & set(row.values())
            for column, cell in row.items()
            if not column.startswith("年份") and number.match(cell)
        ]
        raw = read_raw_csv(ROOT / "data/raw" / name, numeric_table_columns(spec))
        tidy = tidy_series(raw, spec, name)
        printed = [v for v in tidy.value_printed if v != "-"]
        assert sorted(printed) == sorted(expected), name
    # The only printed "-" data cells: Table 4, students sponsored, 2017-2020.
    spec = manifest["files"]["table4_central_units.csv"]
    raw = read_raw_csv(ROOT / "data/raw/table4_central_units.csv", numeric_table_columns(spec))
    tidy = tidy_series(raw, spec, "t4")
    dashes = tidy[tidy.value_printed == "-"]
    assert set(dashes.series) == {"students_sponsored"} and dashes.year.tolist() == [
        2017,
        2018,
        2019,
        2020,
    ]


def test_duplicate_year_in_side_by_side_pairs_names_the_year_column():
    raw = frame(
        [["", "2001", "1", "2001", "3"]],
        ["行标签", "年份_1", "额_1", "年份_2", "额_2"],
    )
    with pytest.raises(InputError, match=r"t3\.csv: row 2, column 年份_2: duplicate year 2001"):
        tidy_series(raw, PAIRS_SPEC, "t3.csv")
