"""CPI chaining and deflation on hand-computed toy examples."""

import math

import numpy as np
import pandas as pd
import pytest

from pairing_audit.errors import InputError
from pairing_audit.prices import (
    chain_cpi_index,
    deflate_series,
    describe_missing,
    read_inflation,
    year_ranges,
)

# Rates for 2001-2003: +10%, +20%, -50%. Chained from 2000 = 1:
# 2000: 1, 2001: 1.1, 2002: 1.1 * 1.2 = 1.32, 2003: 1.32 * 0.5 = 0.66.
INFLATION = pd.DataFrame({"year": [2001, 2002, 2003], "cpi_inflation_pct": [10.0, 20.0, -50.0]})


def test_chain_starts_year_before_first_rate_with_index_one():
    cpi = chain_cpi_index(INFLATION, base_year=2000)
    assert cpi["year"].tolist() == [2000, 2001, 2002, 2003]
    assert cpi["cpi_index"].tolist() == pytest.approx([1.0, 1.1, 1.32, 0.66])
    assert math.isnan(cpi["cpi_inflation_pct"].iloc[0])


def test_chain_rebased_to_base_year():
    cpi = chain_cpi_index(INFLATION, base_year=2002)
    # divide by 1.32: 1/1.32 = 25/33, 1.1/1.32 = 5/6, 1, 0.66/1.32 = 0.5
    assert cpi["cpi_index"].tolist() == pytest.approx([25 / 33, 5 / 6, 1.0, 0.5])
    assert cpi.loc[cpi["year"] == 2002, "cpi_index"].item() == 1.0


def test_chain_unsorted_input_is_sorted():
    shuffled = INFLATION.iloc[[2, 0, 1]]
    cpi = chain_cpi_index(shuffled, base_year=2002)
    assert cpi["cpi_index"].tolist() == pytest.approx([25 / 33, 5 / 6, 1.0, 0.5])


@pytest.mark.parametrize(
    "rates, base",
    [
        (INFLATION, 1999),  # base year before the index
        (INFLATION, 2004),  # base year after the index
        (pd.DataFrame({"year": [2001, 2003], "cpi_inflation_pct": [1.0, 1.0]}), 2001),  # gap
        (pd.DataFrame({"year": [2001, 2002], "cpi_inflation_pct": [1.0, np.nan]}), 2001),
    ],
)
def test_chain_rejects_bad_input(rates, base):
    with pytest.raises(ValueError):
        chain_cpi_index(rates, base_year=base)


def _series():
    money = pd.DataFrame(
        {
            "table": 3,
            "series": "fund",
            "year": [1999, 2000, 2001, 2002, 2003],
            "value": [10.0, 10.0, 11.0, 13.2, np.nan],
            "value_printed": ["10", "10", "11", "13.2", "-"],
            "unit": "100m_yuan",
        }
    )
    people = pd.DataFrame(
        {
            "table": 4,
            "series": "cadres",
            "year": [2001, 2002],
            "value": [5.0, 6.0],
            "value_printed": ["5", "6"],
            "unit": "persons",
        }
    )
    return pd.concat([people, money], ignore_index=True)


def test_deflate_real_values_and_notes():
    cpi = chain_cpi_index(INFLATION, base_year=2002)
    out = deflate_series(_series(), cpi, base_year=2002, money_unit="100m_yuan")
    assert list(out.columns) == [
        "table", "series", "year", "unit", "prices", "value", "cpi_index_2002", "note"
    ]  # fmt: skip
    real = out[(out["series"] == "fund") & (out["prices"] == "real")].set_index("year")
    # 2000: 10 / (25/33) = 13.2; 2001: 11 / (5/6) = 13.2; 2002: 13.2 / 1 = 13.2
    assert real.loc[[2000, 2001, 2002], "value"].tolist() == pytest.approx([13.2, 13.2, 13.2])
    # No index before 2000: missing, never extrapolated, and the note says why.
    assert math.isnan(real.loc[1999, "value"])
    assert math.isnan(real.loc[1999, "cpi_index_2002"])
    assert real.loc[1999, "note"] == "no CPI before 2000"
    # Missing nominal value stays missing in real terms, with the printed mark.
    assert math.isnan(real.loc[2003, "value"])
    assert real.loc[2003, "cpi_index_2002"] == pytest.approx(0.5)
    assert real.loc[2003, "note"] == "printed '-'"
    nominal = out[(out["series"] == "fund") & (out["prices"] == "nominal")].set_index("year")
    assert nominal.loc[2001, "value"] == 11.0
    assert nominal.loc[2003, "note"] == "printed '-'"
    assert nominal.loc[2000, "note"] == ""


def test_deflate_non_money_only_nominal_and_sorted():
    cpi = chain_cpi_index(INFLATION, base_year=2002)
    out = deflate_series(_series(), cpi, base_year=2002, money_unit="100m_yuan")
    cadres = out[out["series"] == "cadres"]
    assert cadres["prices"].unique().tolist() == ["nominal"]
    assert cadres["cpi_index_2002"].isna().all()
    keys = out[["table", "series", "prices", "year"]].apply(tuple, axis=1).tolist()
    assert keys == sorted(keys)
    assert len(out) == 2 + 5 + 5


def test_year_ranges_and_describe_missing():
    assert year_ranges([1982, 1980, 1981, 1990]) == "1980–1982, 1990"
    text = describe_missing(
        [2017, 1980, 1981, 2018], ["printed '-'", "no CPI before 1986", "no CPI before 1986", ""]
    )
    assert text == "1980–1981 no CPI before 1986; 2017 printed '-'; 2018 value missing"


def test_project_cpi_file_chains_from_1986():
    """The shipped World Bank rates (1987 on) give an index from 1986, 1 in 2020."""
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "data/raw/cpi_inflation_worldbank.csv"
    if not path.exists():
        pytest.skip("data/raw/cpi_inflation_worldbank.csv not present")
    cpi = chain_cpi_index(read_inflation(path), base_year=2020)
    assert cpi["year"].iloc[0] == 1986
    assert cpi.loc[cpi["year"] == 2020, "cpi_index"].item() == 1.0
    # 1987 rate 7.23383553065609%: index_1987 / index_1986 = 1.0723383553065609
    ratio = cpi["cpi_index"].iloc[1] / cpi["cpi_index"].iloc[0]
    assert ratio == pytest.approx(1.0723383553065609)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("2001,10\n2003,20\n", r"row 3, column year: year 2003 follows 2001: no rate for 2002 "),
        ("2001,10\n2005,20\n", r"row 3, column year: .*no rate for 2002–2004"),
        ("2001,10\n2002,\n", r"row 3, column cpi_inflation_pct: no inflation rate for 2002"),
        ("2001,10\n2002,n/a\n", r"row 3, column cpi_inflation_pct: no inflation rate for 2002"),
        ("2001,10\n20O2,1\n", r"row 3, column year: not a year: '20O2'"),
        ("2001,-100\n", r"row 2, column cpi_inflation_pct: rate -100% for 2001"),
        ("", r"row 2, column year: no inflation rates"),
    ],
    ids=["gap", "long-gap", "empty-rate", "text-rate", "bad-year", "minus-100", "no-rows"],
)
def test_cpi_file_problems_name_the_file_row_and_year(tmp_path, rows, message):
    path = tmp_path / "cpi.csv"
    path.write_text("year,cpi_inflation_pct\n" + rows, encoding="utf-8")
    with pytest.raises(InputError, match=r"cpi\.csv: " + message):
        read_inflation(path)


def test_cpi_file_rates_are_read_as_printed(tmp_path):
    path = tmp_path / "cpi.csv"
    path.write_bytes(b"year,cpi_inflation_pct\n2001,10\r\n2002,-2.5\r\n")  # CRLF as shipped
    frame = read_inflation(path)
    assert frame["year"].tolist() == [2001, 2002]
    assert frame["cpi_inflation_pct"].tolist() == [10.0, -2.5]
