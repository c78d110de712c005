"""Table 1 (timeline of programmes) and Table 2 (typology) as tidy tables."""

from __future__ import annotations

import re

import pandas as pd

from .errors import InputError, csv_line

DATE = re.compile(r"^(?P<year>(19|20)\d\d)(-(?P<month>\d{1,2}))?(-(?P<day>\d{1,2}))?$")
MARK = "√"

EVENT_COLUMNS = [
    "event_id",
    "printed_order",
    "stage_id",
    "stage_zh",
    "stage_en",
    "date_printed",
    "year",
    "month",
    "day",
    "date_precision",
    "programme_zh",
    "programme_en",
    "significance_zh",
    "significance_en",
]


def parse_partial_date(text: str, file, row, column) -> tuple[int, int | None, int | None]:
    """'1958-3' -> (1958, 3, None): a partial date stays partial."""
    match = DATE.match(text)
    if not match:
        raise InputError(file, row, column, f"not a date (YYYY[-M[-D]]): {text!r}")
    year, month, day = (match.group(k) for k in ("year", "month", "day"))
    month_i = int(month) if month else None
    day_i = int(day) if day else None
    if month_i is not None and not 1 <= month_i <= 12:
        raise InputError(file, row, column, f"month out of range: {text!r}")
    if day_i is not None:
        try:
            pd.Timestamp(year=int(year), month=month_i, day=day_i)
        except ValueError:
            raise InputError(file, row, column, f"no such day: {text!r}") from None
    return int(year), month_i, day_i


def clean_events(
    raw: pd.DataFrame, translations: pd.DataFrame, spec: dict, path, translations_path
) -> pd.DataFrame:
    stages = spec["stages"]
    if len(translations) != len(raw):
        raise InputError(
            translations_path, "-", "-", f"{len(translations)} rows, Table 1 has {len(raw)}"
        )
    rows, stage = [], None
    for index, row in raw.iterrows():
        line = csv_line(index)
        if row["阶段"]:
            stage = row["阶段"]
            if stage not in stages:
                raise InputError(path, line, "阶段", f"unknown stage {stage!r}")
        elif stage is None:
            raise InputError(path, line, "阶段", "first row has no stage")
        date = row["时间"]
        year, month, day = parse_partial_date(date, path, line, "时间")
        english = translations.iloc[index]
        if english["date_printed"] != date:
            raise InputError(
                translations_path,
                line,
                "date_printed",
                f"{english['date_printed']!r} does not match Table 1's {date!r}",
            )
        rows.append(
            {
                "event_id": "t1_" + date.replace("-", "_"),
                "printed_order": index + 1,
                "stage_id": stages[stage]["id"],
                "stage_zh": stage,
                "stage_en": stages[stage]["label_en"],
                "date_printed": date,
                "year": year,
                "month": month,
                "day": day,
                "date_precision": "day" if day else ("month" if month else "year"),
                "programme_zh": row["对口支援具体实践"],
                "programme_en": english["programme_en"],
                "significance_zh": row["推动对口支援发展的创新意义"],
                "significance_en": english["significance_en"],
            }
        )
    frame = pd.DataFrame(rows, columns=EVENT_COLUMNS)
    duplicated = frame["event_id"].duplicated()
    if duplicated.any():
        first = int(duplicated.idxmax())
        raise InputError(path, csv_line(first), "时间", "duplicate date")
    for column in ("month", "day"):
        frame[column] = frame[column].astype("Int64")
    return frame.sort_values(
        ["year", "month", "day", "printed_order"], na_position="first", kind="stable"
    ).reset_index(drop=True)


TYPOLOGY_COLUMNS = [
    "printed_order",
    "year",
    "programme_zh",
    "programme_en",
    "group_id",
    "group_zh",
    "group_en",
    "category_id",
    "category_zh",
    "category_en",
    "flag",
    "group_marked",
    "event_id",
    "link_note",
]


def criterion_columns(spec: dict) -> list[str]:
    """The "<group>|<category>" headers Table 2 must have, from the manifest."""
    return [f"{group}|{member}" for group, g in spec["criteria"].items() for member in g["members"]]


def clean_typology(
    raw: pd.DataFrame, links: list[dict], events: pd.DataFrame, spec: dict, path, links_path
) -> pd.DataFrame:
    criterion_cols = criterion_columns(spec)
    known_events = set(events["date_printed"])
    if len(links) != len(raw):
        raise InputError(links_path, "-", "links", f"{len(links)} links, Table 2 has {len(raw)}")
    rows = []
    for index, row in raw.iterrows():
        line = csv_line(index)
        year = int(parse_partial_date(row["时间"], path, line, "时间")[0])
        link = links[index]
        for key in ("programme_zh", "programme_en", "year"):
            if not isinstance(link, dict) or key not in link:
                raise InputError(links_path, f"links[{index}]", key, "missing")
        if link["programme_zh"] != row["对口支援实践"] or link["year"] != year:
            raise InputError(
                links_path, f"links[{index}]", "programme_zh", "does not match Table 2"
            )
        event = link.get("event")
        if event is not None and event not in known_events:
            raise InputError(links_path, f"links[{index}]", "event", f"no Table 1 event {event!r}")
        marks = {}
        for column in criterion_cols:
            cell = row[column]
            if cell not in ("", MARK):
                raise InputError(path, line, column, f"expected '{MARK}' or empty, got {cell!r}")
            marks[column] = cell == MARK
        for column in criterion_cols:
            group, category = column.split("|")
            group_marked = any(v for c, v in marks.items() if c.startswith(group + "|"))
            rows.append(
                {
                    "printed_order": index + 1,
                    "year": year,
                    "programme_zh": row["对口支援实践"],
                    "programme_en": link["programme_en"],
                    "group_id": spec["criteria"][group]["id"],
                    "group_zh": group,
                    "group_en": spec["criteria"][group]["label_en"],
                    "category_id": spec["categories"][category]["id"],
                    "category_zh": category,
                    "category_en": spec["categories"][category]["label_en"],
                    "flag": marks[column],
                    "group_marked": group_marked,
                    "event_id": None if event is None else "t1_" + event.replace("-", "_"),
                    "link_note": link.get("note", ""),
                }
            )
    return pd.DataFrame(rows, columns=TYPOLOGY_COLUMNS)
