"""What the report and its figures feature, read from the config in one place.

Selection only (which series, which specification, which years are shaded): no
wording. The figure rules import this module and not ``views``/``report``, so
editing the report's wording does not redraw the figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

ERA_COLOURS = ["#c0504d", "#e39b2d", "#6a8f3a"]


@dataclass(frozen=True)
class Series:
    table: int
    series: str
    title_en: str
    title_zh: str

    @property
    def figure(self) -> str:
        """File stem of the series' time-series figure in reports/figures/."""
        return f"its_t{self.table}_{self.series}"


def main_series(config_list: list[dict]) -> list[Series]:
    """The featured series (config `report.main_series`), in config order."""
    return [
        Series(int(m["table"]), m["series"], m["title"], m.get("title_zh", m["title"]))
        for m in config_list
    ]


def short_name(title: str) -> str:
    """'Table 3 – central special poverty fund (100m yuan)' -> 'central special poverty fund'."""
    return title.split("–")[-1].split("(")[0].strip()


def era_shading(era_config: list[dict], shaded: list[str]) -> list[dict]:
    """Eras shaded on the series figure (config `report.shaded_eras`)."""
    return [
        {"start": era["first_later_year"], "colour": ERA_COLOURS[i % len(ERA_COLOURS)]}
        for i, era in enumerate(e for e in era_config if e["id"] in shaded)
    ]


def figure_specs(primary: dict, primary_breaks: list[str]) -> list[str]:
    """Break specifications drawn per featured series: the primary one, then each
    pre-specified single break (sensitivity)."""
    return list(dict.fromkeys([str(primary["breaks"]), *map(str, primary_breaks)]))


def figure_paths(
    paths: pd.DataFrame, table: int, series: str, prices_basis: str, primary: dict, specs: list
) -> pd.DataFrame:
    """Fitted paths of one series drawn in its figure: the primary estimator and price
    basis, the listed break specifications that were fitted (both scales)."""
    breaks = paths["breaks"].astype(str)
    keep = paths[
        (paths["table"] == table)
        & (paths["series"] == series)
        & (paths["prices"] == prices_basis)
        & (paths["estimator"] == primary["estimator"])
        & breaks.isin(specs)
    ]
    return keep.assign(breaks=keep["breaks"].astype(str))


def chosen_breaks(breakpoints: pd.DataFrame, table: int, series: str, scale: str, prices: str):
    """Break years the multiple-break search chose for one series (empty if none)."""
    rows = breakpoints[
        (breakpoints["table"] == table)
        & (breakpoints["series"] == series)
        & (breakpoints["scale"] == scale)
        & (breakpoints["prices"] == prices)
    ]
    if rows.empty or pd.isna(rows["break_years"].iloc[0]):
        return []
    return [int(y) for y in str(rows["break_years"].iloc[0]).split("+") if y]


def scan_rows(scan: pd.DataFrame, scale: str) -> pd.DataFrame:
    """Break-scan rows on the primary scale; each series in its primary price basis is
    chosen by the caller."""
    return scan[scan["scale"] == scale]
