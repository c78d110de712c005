"""Report figures: seaborn/matplotlib drawn to SVG bytes (written to reports/figures/).

The report embeds each SVG as an <img> data URI rather than inline <svg>: inline
matplotlib SVGs share element ids and break each other's clip paths. A fixed
hash salt and no date metadata make the SVG bytes identical across runs.

The look is seaborn's "whitegrid" theme at "notebook" scale; Table 2 is a seaborn
heatmap.

Layout is explicit: margins and gaps in inches, turned into subplots_adjust fractions.
Where a margin holds data-dependent text (y tick labels, the timeline's and the heatmap's
labels) it is as wide as that text measured with the SVG's own glyph metrics; titles,
axis labels and the figure legend get bands of their line height and fixed positions.
Constrained layout and bbox_inches="tight" each cost extra full draws of the figure (about half the drawing
time); this costs a few text measurements.
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
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator

from . import featured
from .specs import primary_prices

STYLE = {
    "svg.hashsalt": "pairing-audit",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    # a fixed title height (axes top + pad): matplotlib otherwise measures every tick
    # label on each draw to lift the title over them
    "axes.titley": 1.0,
}
POINT = 1 / 72  # inch
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
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    return buffer.getvalue()


def _style():
    sns.set_theme(style="whitegrid", context="notebook")
    plt.rcParams.update(STYLE)


def text_width(text: str, size: float) -> float:
    """Width in inches of one line of text at `size` points (the SVG's own glyph metrics)."""
    width, _, _ = text_to_path.get_text_width_height_descent(
        text, FontProperties(size=size), ismath=False
    )
    return width * POINT


def line_height(size: float) -> float:
    """Height in inches of one line of text at `size` points (matplotlib's line spacing)."""
    return 1.2 * size * POINT


def tick_gap(axis: str) -> float:
    """Axes edge to tick label, inches (tick length + pad, counted even when not drawn)."""
    rc = plt.rcParams
    return (rc[f"{axis}tick.major.size"] + rc[f"{axis}tick.major.pad"]) * POINT


def ytick_width(axes) -> float:
    """Widest y tick label over `axes`, inches (ticks as the axes' locators give them)."""
    widths = [
        text_width(label.get_text(), label.get_fontsize())
        for ax in axes
        for label in ax.get_yticklabels()
        if label.get_text()
    ]
    return max(widths, default=0.0)


def adjust(fig, left: float, right: float, bottom: float, top: float, wgap=0.0, hgap=0.0):
    """Margins and gaps between axes in inches, as subplots_adjust fractions."""
    width, height = fig.get_size_inches()
    ncols, nrows = fig.axes[0].get_subplotspec().get_gridspec().get_geometry()[::-1]
    axes_width = (width - left - right - wgap * (ncols - 1)) / ncols
    axes_height = (height - bottom - top - hgap * (nrows - 1)) / nrows
    fig.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        bottom=bottom / height,
        top=1 - top / height,
        wspace=wgap / axes_width,
        hspace=hgap / axes_height,
    )
    return axes_width, axes_height


def place_labels(ax, axes_width: float, axes_height: float, ytick: float) -> None:
    """Axis labels at fixed offsets (outside the widest tick label) instead of measured
    ones; the same offset on every axes keeps the y labels of a column aligned."""
    labelpad = plt.rcParams["axes.labelpad"] * POINT
    ax.yaxis.set_label_coords(-(ytick + tick_gap("y") + labelpad) / axes_width, 0.5)
    xtick = line_height(plt.rcParams["xtick.labelsize"])
    ax.xaxis.set_label_coords(0.5, -(xtick + tick_gap("x") + labelpad) / axes_height)


def grid_layout(
    fig,
    axes,
    title_band: float,
    ylabel_size: float,
    xlabel_rows: str,
    extra_top: float = 0.0,
    legend_size: float | None = None,
):
    """Margins and gaps (inches) for a grid of axes, each with a title above it, y tick
    labels on every axes and a y label on the first column; x labels under the last row
    or under every row; an optional one-row figure legend at the bottom. Returns the
    axes' size and the widest y tick label (for place_labels)."""
    rc = plt.rcParams
    labelpad = rc["axes.labelpad"] * POINT
    xtick_band = line_height(rc["xtick.labelsize"]) + tick_gap("x")
    xlabel_band = labelpad + line_height(rc["axes.labelsize"])
    legend_band = 0.0 if legend_size is None else (2 * 0.4 + 1.2 + 0.5) * legend_size * POINT

    def margins(ytick: float):
        beside = ytick + tick_gap("y")
        return {
            "left": 0.08 + line_height(ylabel_size) + labelpad + beside,
            "right": 0.25,
            "bottom": 0.06 + xtick_band + xlabel_band + legend_band,
            "top": 0.06 + extra_top + title_band,
            "wgap": beside + 0.3,
            "hgap": xtick_band + title_band + (xlabel_band if xlabel_rows == "all" else 0) + 0.1,
        }

    # tick positions depend on the axes' height only, which the width of the y tick
    # labels does not change: lay out once, measure the labels, lay out again
    adjust(fig, **margins(0.0))
    ytick = ytick_width(axes.flat)
    axes_width, axes_height = adjust(fig, **margins(ytick))
    return axes_width, axes_height, ytick


def timeline(events: pd.DataFrame) -> bytes:
    """Table 1: one row per programme in date order, a marker at its date, by stage."""
    _style()
    events = events.reset_index(drop=True)
    x = events["year"] + (events["month"].fillna(6).astype(float) - 1) / 12
    y = np.arange(len(events))[::-1]
    first = int(events["year"].min()) // 10 * 10
    x_range = (first - 2, int(events["year"].max()) + 2)
    labels = [
        f"{date}  {label}"
        for date, label in zip(events["date_printed"], events["programme_en"], strict=True)
    ]
    # the axes keep a fixed size; the labels run on to the right of it, into a margin
    # as wide as the furthest-reaching label
    # (the axes size a 6 in × (0.28 n + 1.2) in figure gives with default margins)
    axes_width, axes_height = 6 * 0.775, (0.28 * len(events) + 1.2) * 0.77
    reach = max(
        (xi - x_range[0]) / (x_range[1] - x_range[0]) * axes_width + 6 * POINT + text_width(text, 7)
        for xi, text in zip(x, labels, strict=True)
    )
    left, top = 0.3, 0.15
    right = max(reach - axes_width, 0.0) + 0.15
    bottom = (
        line_height(plt.rcParams["xtick.labelsize"])
        + tick_gap("x")
        + line_height(plt.rcParams["axes.labelsize"])
        + plt.rcParams["axes.labelpad"] * POINT
        + 0.1
    )
    fig, ax = plt.subplots(figsize=(left + axes_width + right, bottom + axes_height + top))
    adjust(fig, left, right, bottom, top)
    for stage, rows in events.groupby("stage_id", sort=False):
        ax.scatter(
            x[rows.index],
            y[rows.index],
            s=36,
            color=STAGE_COLOURS.get(stage),
            label=rows["stage_en"].iloc[0],
            zorder=3,
        )
    for xi, yi, text in zip(x, y, labels, strict=True):
        ax.annotate(
            text,
            (xi, yi),
            xytext=(6, 0),
            textcoords="offset points",
            fontsize=7,
            va="center",
            annotation_clip=False,
        )
    ax.set_yticks([])
    ax.set_xlim(*x_range)
    ax.set_xticks(range(first, int(events["year"].max()) + 1, 10))
    ax.set_xlabel("year (dates with a month only are placed mid-month)")
    place_labels(ax, axes_width, axes_height, 0.0)
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
    # the grid keeps a fixed size; the margins are as wide as the labels (programmes on
    # the left, categories turned 45 degrees below)
    # (the axes size an 8.5 × 8 in figure gives with default margins)
    axes_width, axes_height, label_size = 8.5 * 0.775, 8 * 0.77, 8
    fig, ax = plt.subplots()
    sns.heatmap(
        grid, cmap=["#f4f4f4", "#2f5d8a"], cbar=False, linewidths=0.5, linecolor="white", ax=ax
    )
    diagonal = np.sqrt(0.5)
    x_widths = [text_width(c, label_size) for c in cats]
    x_drop = max(x_widths) * diagonal + line_height(label_size) * diagonal
    x_reach = max(
        (w + line_height(label_size)) * diagonal - (j + 0.5) * axes_width / len(cats)
        for j, w in enumerate(x_widths)
    )
    y_widths = [text_width(name, label_size) for name in grid.index]
    left = max(max(y_widths) + tick_gap("y"), x_reach) + 0.1
    bottom = x_drop + tick_gap("x") + 0.1
    right, top = 0.15, 0.1
    fig.set_size_inches(left + axes_width + right, bottom + axes_height + top)
    adjust(fig, left, right, bottom, top)
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
    # minor ticks would draw nothing here (no tick marks, major grid only) yet cost a
    # tick object each, eight per decade
    ax.yaxis.set_minor_locator(NullLocator())


def plain_linear_axis(ax) -> None:
    """Whole numbers on a linear y axis, never an offset or a "1e6" above it (that
    would sit where the title is placed)."""
    ax.ticklabel_format(axis="y", style="plain", useOffset=False)


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
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 2.9 * len(panels)), squeeze=False)
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
        plain_linear_axis(ax)
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(0, 1), framealpha=0.9)
    axes[-1, 0].set_xlabel("year")
    title_band = (10 + 2) * POINT + line_height(10)
    layout = grid_layout(fig, axes, title_band=title_band, ylabel_size=9, xlabel_rows="last")
    for ax in axes[:, 0]:
        place_labels(ax, *layout)
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
            else:
                plain_linear_axis(ax)
            role = "primary" if spec == primary_spec else "sensitivity"
            ax.set_title(f"{scale} model, breaks {spec} ({role})", fontsize=9.5, loc="left", pad=9)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        axes[row, 0].set_ylabel(unit + (" (log axis)" if scale == "log" else ""), fontsize=9)
    for ax in axes[-1]:
        ax.set_xlabel("year")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=4, fontsize=8, frameon=False)
    suptitle_band = 0.08 + line_height(11)
    fig.suptitle(title, fontsize=11, x=0.01, y=1 - 0.08 / fig.get_figheight(), ha="left", va="top")
    layout = grid_layout(
        fig,
        axes,
        title_band=(9 + 2) * POINT + line_height(9.5),
        ylabel_size=9,
        xlabel_rows="last",
        extra_top=suptitle_band,
        legend_size=8,
    )
    for ax in axes.flat:
        place_labels(ax, *layout)
    return to_svg(fig)


def break_scan(
    scan: pd.DataFrame, panels: list[tuple[str, str]], marks: list[int], placebo_before: int
) -> bytes:
    """F statistic of a single level+slope break at each candidate year (legend below
    the panels, off the data)."""
    _style()
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 3.5), squeeze=False)
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
        plain_linear_axis(ax)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        ax.set_xlabel("candidate break year")
    axes[0, 0].set_ylabel("F (level + slope break)")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=8, frameon=False)
    layout = grid_layout(
        fig,
        axes,
        title_band=(plt.rcParams["axes.titlepad"] + 2) * POINT + line_height(10),
        ylabel_size=plt.rcParams["axes.labelsize"],
        xlabel_rows="all",
        legend_size=8,
    )
    for ax in axes.flat:
        place_labels(ax, *layout)
    return to_svg(fig)


def featured_its_figure(
    s: featured.Series,
    paths: pd.DataFrame,
    prices: pd.DataFrame,
    breakpoints: pd.DataFrame,
    models: dict,
) -> bytes:
    """The time-series figure of one featured series, as the figures rule draws
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
