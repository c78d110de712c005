"""Table 1 and Table 2 cleaning on small fixtures."""

from __future__ import annotations

import pandas as pd
import pytest

from pairing_audit.errors import InputError
from pairing_audit.events import clean_events, clean_typology, parse_partial_date

STAGES = {
    "甲": {"id": "emergence", "label_en": "First"},
    "乙": {"id": "deepening", "label_en": "Second"},
}
T1_COLUMNS = ["阶段", "时间", "对口支援具体实践", "推动对口支援发展的创新意义"]


def table1(rows):
    return pd.DataFrame(rows, columns=T1_COLUMNS, dtype=str)


def english(dates):
    return pd.DataFrame(
        {"date_printed": dates, "programme_en": "p", "significance_en": "s"}, dtype=str
    )


def test_partial_dates_stay_partial():
    assert parse_partial_date("1958-3", "f", 2, "时间") == (1958, 3, None)
    assert parse_partial_date("1979-7-31", "f", 2, "时间") == (1979, 7, 31)
    with pytest.raises(InputError, match=r"f: row 5, column 时间: no such day"):
        parse_partial_date("2021-2-30", "f", 5, "时间")
    with pytest.raises(InputError, match="not a date"):
        parse_partial_date("1958/3", "f", 2, "时间")


def test_stage_fill_down_and_sort_by_date_keeping_printed_order():
    raw = table1(
        [
            ["甲", "1994-8-22", "a", "x"],
            ["", "1994-7-20", "b", "y"],
            ["乙", "2012-11-8", "c", "z"],
        ]
    )
    events = clean_events(raw, english(raw["时间"]), {"stages": STAGES}, "t1", "t1en")
    assert events.date_printed.tolist() == ["1994-7-20", "1994-8-22", "2012-11-8"]
    assert events.printed_order.tolist() == [2, 1, 3]
    assert events.stage_id.tolist() == ["emergence", "emergence", "deepening"]
    assert events.event_id.tolist()[0] == "t1_1994_7_20"


def test_unknown_stage_and_mismatched_translation_are_errors():
    raw = table1([["丙", "1994-8-22", "a", "x"]])
    with pytest.raises(InputError, match=r"t1: row 2, column 阶段: unknown stage"):
        clean_events(raw, english(["1994-8-22"]), {"stages": STAGES}, "t1", "t1en")
    raw = table1([["甲", "1994-8-22", "a", "x"]])
    with pytest.raises(InputError, match=r"t1en: row 2, column date_printed"):
        clean_events(raw, english(["1994-8-2"]), {"stages": STAGES}, "t1", "t1en")


SPEC2 = {
    "criteria": {
        "任务": {"id": "task", "label_en": "task", "members": ["扶贫", "救灾"]},
        "意图": {"id": "intent", "label_en": "intent", "members": ["均衡"]},
    },
    "categories": {
        "扶贫": {"id": "poverty", "label_en": "poverty"},
        "救灾": {"id": "disaster", "label_en": "disaster"},
        "均衡": {"id": "balanced", "label_en": "balanced"},
    },
}


def test_typology_long_format_flags_and_links():
    raw = pd.DataFrame(
        [["1994", "甲", "√", "", ""], ["2009", "乙", "", "√", ""]],
        columns=["时间", "对口支援实践", "任务|扶贫", "任务|救灾", "意图|均衡"],
        dtype=str,
    )
    links = [
        {"row": 1, "year": 1994, "programme_zh": "甲", "programme_en": "A", "event": "1994-8-22"},
        {"row": 2, "year": 2009, "programme_zh": "乙", "programme_en": "B", "event": None},
    ]
    events = pd.DataFrame({"date_printed": ["1994-8-22"]})
    typology = clean_typology(raw, links, events, SPEC2, "t2", "links")
    assert len(typology) == 6
    first = typology[typology.printed_order == 1].set_index("category_id")
    assert first.at["poverty", "flag"] and not first.at["disaster", "flag"]
    # no mark in the intent group: an empty cell there is ambiguous, and flagged so
    assert not first.at["balanced", "group_marked"] and first.at["poverty", "group_marked"]
    assert typology[typology.printed_order == 2].event_id.isna().all()
    assert set(typology[typology.printed_order == 1].event_id) == {"t1_1994_8_22"}


def test_typology_bad_mark_and_bad_link():
    raw = pd.DataFrame(
        [["1994", "甲", "x", "", ""]],
        columns=["时间", "对口支援实践", "任务|扶贫", "任务|救灾", "意图|均衡"],
        dtype=str,
    )
    links = [{"year": 1994, "programme_zh": "甲", "programme_en": "A", "event": None}]
    with pytest.raises(InputError, match=r"t2: row 2, column 任务\|扶贫: expected '√'"):
        clean_typology(raw, links, pd.DataFrame({"date_printed": []}), SPEC2, "t2", "links")
    links[0]["event"] = "1994-1-1"
    raw.loc[0, "任务|扶贫"] = "√"
    with pytest.raises(InputError, match=r"links: row links\[0\], column event"):
        clean_typology(raw, links, pd.DataFrame({"date_printed": []}), SPEC2, "t2", "links")
