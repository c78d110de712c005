"""Re-adding printed totals at printed precision, exactly."""

from __future__ import annotations

import pandas as pd

from pairing_audit.table_checks import check_printed_totals, check_repeated_cells


def series(table, name, pairs):
    return pd.DataFrame(
        [
            {"table": table, "series": name, "label_zh": "x", "year": y, "value_printed": v}
            for y, v in pairs
        ]
    )


def total(printed, first=2001, last=2003, table=9, name="s"):
    return pd.DataFrame(
        [
            {
                "table": table,
                "series": name,
                "label_zh": "x",
                "row_kind": "total",
                "row_label": "合计",
                "source_line": 5,
                "first_year": first,
                "last_year": last,
                "printed": printed,
            }
        ]
    )


def test_binary_float_trap_is_exact():
    # 0.1 + 0.2 + 0.3 is 0.6000000000000001 in floats; exact decimal arithmetic gives 0.6
    data = series(9, "s", [(2001, "0.1"), (2002, "0.2"), (2003, "0.3")])
    row = check_printed_totals(data, total("0.6")).iloc[0]
    assert row.status == "match" and row.recomputed == "0.6"


def test_trailing_zero_sets_precision_and_half_up():
    data = series(9, "s", [(2001, "1.004"), (2002, "1.001"), (2003, "1")])
    assert check_printed_totals(data, total("3.01")).iloc[0].status == "match"  # 3.005 -> 3.01
    row = check_printed_totals(data, total("3.00")).iloc[0]
    assert row.status == "mismatch" and row.difference == "-0.01"
    assert check_printed_totals(data, total("3.0")).iloc[0].status == "match"  # 3.005 -> 3.0


def test_missing_cells_are_summed_out_and_noted():
    data = series(9, "s", [(2001, "2"), (2002, "-"), (2003, "3")])
    row = check_printed_totals(data, total("5")).iloc[0]
    assert row.status == "match" and row.n_values == 2 and "2002" in row.note


def test_window_excludes_other_years_and_tables():
    data = pd.concat(
        [series(9, "s", [(2000, "100"), (2001, "1"), (2002, "2")]), series(8, "s", [(2001, "50")])]
    )
    row = check_printed_totals(data, total("3", 2001, 2002)).iloc[0]
    assert row.status == "match" and row.check_id == "t9_total_2001_2002_s"


def test_repeated_cells_compare_values_not_strings():
    data = pd.concat(
        [
            series(3, "f", [(2013, "394"), (2014, "5")]),
            series(6, "f", [(2013, "394.00"), (2014, "6")]),
        ]
    )
    checks = check_repeated_cells(data, {"f": 3}, table=6).set_index("first_year")
    assert checks.at[2013, "status"] == "match" and "printed differently" in checks.at[2013, "note"]
    assert checks.at[2014, "status"] == "mismatch" and checks.at[2014, "difference"] == "1"
