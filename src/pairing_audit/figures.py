"""Report figures: seaborn/matplotlib drawn to SVG bytes (written to reports/figures/).

The report embeds each SVG as an <img> data URI rather than inline <svg>: inline
matplotlib SVGs share element ids and break each other's clip paths. A fixed
hash salt and no date metadata make the SVG bytes identical across runs.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import itertools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from . import featured
from .specs import primary_prices

STYLE = {
    "svg.hashsalt": "pairing-audit",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
}
STAGE_COLOURS = {"emergence": "#7f9c55", "establishment": "#3f76a8", "deepening": "#c0504d"}
PRICE_STYLE = {"nominal": "-", "real": "--"}
# axis units as a reader says them (figures keep their own small map: they must not
# import the report's wording)
UNIT_LABELS = {
    "100m_yuan": "100m yuan",
    "10k_persons": "10k persons",
    "10k_person_times": "10k person-times",
    "person_times": "person-times",
    "persons": "persons",
    "count": "count",
}


def unit_label(unit: str, money_basis: str | None = None) -> str:
    text = UNIT_LABELS.get(unit, unit.replace("_", " "))
    return f"{text}, {money_basis}" if money_basis else text


def to_svg(fig) -> bytes:
    buffer = io.BytesIO()
    # a fixed salt makes SVG element ids (and so the bytes) the same on every run
    with plt.rc_context({"svg.hashsalt": STYLE["svg.hashsalt"]}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    return buffer.getvalue()


def _style():
    sns.set_theme(style="whitegrid", context="notebook")
    plt.rcParams.update(STYLE)


def timeline(events: pd.DataFrame) -> bytes:
    """Table 1: one row per programme in date order, a marker at its date, by stage."""
    _style()
    events = events.reset_index(drop=True)
    x = events["year"] + (events["month"].fillna(6).astype(float) - 1) / 12
    y = np.arange(len(events))[::-1]
    fig, ax = plt.subplots(figsize=(6, 0.28 * len(events) + 1.2))
    for stage, rows in events.groupby("stage_id", sort=False):
        ax.scatter(
            x[rows.index],
            y[rows.index],
            s=36,
            color=STAGE_COLOURS.get(stage),
            label=rows["stage_en"].iloc[0],
            zorder=3,
        )
    for xi, yi, label, date in zip(
        x, y, events["programme_en"], events["date_printed"], strict=True
    ):
        ax.annotate(
            f"{date}  {label}",
            (xi, yi),
            xytext=(6, 0),
            textcoords="offset points",
            fontsize=7,
            va="center",
            annotation_clip=False,
        )
    ax.set_yticks([])
    first = int(events["year"].min()) // 10 * 10
    ax.set_xlim(first - 2, int(events["year"].max()) + 2)
    ax.set_xticks(range(first, int(events["year"].max()) + 1, 10))
    ax.set_xlabel("year (dates with a month only are placed mid-month)")
    ax.legend(loc="lower left", fontsize=8, frameon=True)
    ax.grid(axis="y", visible=False)
    return to_svg(fig)


def typology_heatmap(typology: pd.DataFrame) -> bytes:
    """Table 2: programmes × categories, marked cells dark; unmarked groups hatched."""
    _style()
    typology = typology.assign(
        programme=typology["year"].astype(str) + " " + typology["programme_en"],
        category=typology["group_en"].str.split().str[0] + ": " + typology["category_en"],
    )
    order = typology.drop_duplicates("printed_order").sort_values("printed_order")["programme"]
    cats = list(dict.fromkeys(typology["category"]))
    grid = typology.pivot(index="programme", columns="category", values="flag")
    grid = grid.loc[list(order), cats].astype(float)
    unmarked = typology.pivot(index="programme", columns="category", values="group_marked")
    unmarked = ~unmarked.loc[list(order), cats].astype(bool)
    fig, ax = plt.subplots(figsize=(8.5, 8))
    sns.heatmap(
        grid, cmap=["#f4f4f4", "#2f5d8a"], cbar=False, linewidths=0.5, linecolor="white", ax=ax
    )
    for (i, j), empty_group in np.ndenumerate(unmarked.to_numpy()):
        if empty_group:
            ax.add_patch(
                plt.Rectangle((j, i), 1, 1, fill=False, hatch="///", edgecolor="#c9a227", lw=0)
            )
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    ax.tick_params(axis="y", labelsize=8)
    plt.setp(ax.get_xticklabels(), ha="right")
    return to_svg(fig)


def plain_log_axis(ax) -> None:
    """Log axis with plain-number ticks at 1, 2, 5 × 10^k and no minor labels."""
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.10g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())


def mark_breaks(ax, years, label: str | None = None) -> None:
    """Grey triangles on the top edge at break years chosen by the data."""
    for i, year in enumerate(years):
        ax.plot(
            year - 0.5,
            1.0,
            "v",
            color="#666666",
            ms=7,
            transform=ax.get_xaxis_transform(),
            clip_on=False,
            label=label if i == 0 else None,
            zorder=4,
        )


def series_with_eras(prices: pd.DataFrame, panels: list[dict], shade: list[dict]) -> bytes:
    """Annual series, nominal and real, with eras shaded (one panel per series).
    Each panel: {table, series, title, unit, breaks} (breaks: chosen break years)."""
    _style()
    fig, axes = plt.subplots(
        len(panels), 1, figsize=(9, 2.9 * len(panels)), squeeze=False, layout="constrained"
    )
    last = int(prices["year"].max())
    for ax, panel in zip(axes[:, 0], panels, strict=True):
        rows = prices[(prices["table"] == panel["table"]) & (prices["series"] == panel["series"])]
        for basis, group in rows.groupby("prices", sort=True):
            ax.plot(
                group["year"], group["value"], PRICE_STYLE[basis], marker="o", ms=3, label=basis
            )
        for era in shade:
            ax.axvspan(era["start"] - 0.5, last + 0.5, color=era["colour"], alpha=0.12, lw=0)
            ax.axvline(era["start"] - 0.5, color=era["colour"], lw=0.8, ls=":")
        mark_breaks(ax, panel.get("breaks", []), "break chosen by the data")
        ax.set_title(panel["title"], fontsize=10, loc="left", pad=10)
        ax.set_ylabel(panel["unit"], fontsize=9)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0, 1), framealpha=0.9)
    axes[-1, 0].set_xlabel("year")
    fig.align_ylabels(axes[:, 0])
    return to_svg(fig)


def segments(rows: pd.DataFrame, break_years: list[int]):
    """Rows split at each break year (first post-break year starts a new segment)."""
    edges = [-np.inf, *sorted(break_years), np.inf]
    for low, high in itertools.pairwise(edges):
        part = rows[(rows["year"] >= low) & (rows["year"] < high)]
        if not part.empty:
            yield part


def its_paths(
    paths: pd.DataFrame, title: str, unit: str, primary_spec: str, chosen: dict | None = None
) -> bytes:
    """Observed, fitted (broken at each break) and counterfactual (pre-break trend with
    its 95% band): one column per break specification (the first is the primary one),
    the log model (log axis, drawn back in levels) above the level model.
    `chosen`: scale -> break years the multiple-break search picked (triangles)."""
    _style()
    specs = list(dict.fromkeys(paths["breaks"]))
    scales = [s for s in ("log", "level") if s in set(paths["scale"])]
    fig, axes = plt.subplots(
        len(scales),
        len(specs),
        figsize=(4.6 * len(specs), 3.1 * len(scales) + 0.6),
        squeeze=False,
        layout="constrained",
    )
    for row, scale in enumerate(scales):
        for ax, spec in zip(axes[row], specs, strict=True):
            rows = paths[(paths["breaks"] == spec) & (paths["scale"] == scale)].sort_values("year")
            years = [int(y) for y in str(spec).split("+") if y.isdigit()]
            ax.plot(rows["year"], rows["observed"], "o", color="#333333", ms=3.5, label="observed")
            for i, part in enumerate(segments(rows, years)):
                ax.plot(
                    part["year"],
                    part["fitted"],
                    "-",
                    color="#3f76a8",
                    lw=1.8,
                    label="fitted, broken at each break" if i == 0 else None,
                )
            post = rows[rows["post"].astype(bool)]
            ax.plot(
                post["year"],
                post["counterfactual"],
                "--",
                color="#c0504d",
                label="pre-break trend carried forward (95% band)",
            )
            ax.fill_between(
                post["year"], post["cf_low"], post["cf_high"], color="#c0504d", alpha=0.15, lw=0
            )
            for year in years:
                ax.axvline(year - 0.5, color="#888888", lw=0.8, ls=":")
            mark_breaks(ax, (chosen or {}).get(scale, []), "break chosen by the data")
            if scale == "log":
                plain_log_axis(ax)
            role = "primary" if spec == primary_spec else "sensitivity"
            ax.set_title(f"{scale} model, breaks {spec} ({role})", fontsize=9.5, loc="left", pad=9)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        axes[row, 0].set_ylabel(unit + (" (log axis)" if scale == "log" else ""), fontsize=9)
    for ax in axes[-1]:
        ax.set_xlabel("year")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=4, fontsize=8, frameon=False)
    fig.suptitle(title, fontsize=11, x=0.01, ha="left")
    return to_svg(fig)


def break_scan(
    scan: pd.DataFrame, panels: list[tuple[str, str]], marks: list[int], placebo_before: int
) -> bytes:
    """F statistic of a single level+slope break at each candidate year (legend below
    the panels, off the data)."""
    _style()
    fig, axes = plt.subplots(
        1, len(panels), figsize=(4.2 * len(panels), 3.5), squeeze=False, layout="constrained"
    )
    for ax, (series, title) in zip(axes[0], panels, strict=True):
        rows = scan[scan["series"] == series]
        for window, group in rows.groupby("window", sort=True):
            style = "-o" if window == "full" else ":s"
            name = "full sample" if window == "full" else f"placebo (before {placebo_before} only)"
            ax.plot(group["candidate_year"], group["f_stat"], style, ms=3, label=name)
            best = group[group["is_sup_f"]]
            ax.plot(
                best["candidate_year"],
                best["f_stat"],
                "*",
                ms=12,
                color="#c0504d",
                label="sup-F year" if window == "full" else None,
            )
        for year in marks:
            ax.axvline(year, color="#888888", lw=0.8, ls=":")
        ax.set_title(title, fontsize=10, loc="left")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        ax.set_xlabel("candidate break year")
    axes[0, 0].set_ylabel("F (level + slope break)")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=3, fontsize=8, frameon=False)
    return to_svg(fig)


def featured_its_figure(
    s: featured.Series,
    paths: pd.DataFrame,
    prices: pd.DataFrame,
    breakpoints: pd.DataFrame,
    models: dict,
) -> bytes:
    """The time-series figure of one featured series, as the model_figures rule draws
    it: the primary estimator and price basis, the primary and single-break specs."""
    primary = models["primary"]
    specs = featured.figure_specs(primary, models["primary_breaks"])
    basis = primary_prices(prices, s.table, s.series, primary)
    rows = featured.figure_paths(paths, s.table, s.series, basis, primary, specs)
    rows = rows.assign(order=rows["breaks"].map(specs.index)).sort_values(["order", "year"])
    unit = prices.loc[(prices["table"] == s.table) & (prices["series"] == s.series), "unit"]
    chosen = {
        scale: featured.chosen_breaks(breakpoints, s.table, s.series, scale, basis)
        for scale in ("log", "level")
    }
    return its_paths(
        rows.drop(columns="order"),
        f"{s.title_en}: {basis} prices",
        unit_label(unit.iloc[0], "2020 prices" if basis == "real" else None),
        str(primary["breaks"]),
        chosen,
    )
