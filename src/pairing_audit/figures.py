"""Report figures: seaborn/matplotlib drawn to SVG bytes (written to reports/figures/).

The report embeds each SVG as an <img> data URI rather than inline <svg>: inline
matplotlib SVGs share element ids and break each other's clip paths. A fixed
hash salt and no date metadata make the SVG bytes identical across runs.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.ticker import MaxNLocator

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
    ax.set_xlabel("year (month-only dates placed mid-month); labels run past the axis")
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


def series_with_eras(
    prices: pd.DataFrame, panels: list[tuple[int, str, str]], shade: list[dict]
) -> bytes:
    """Annual series, nominal and real, with eras shaded (one panel per series)."""
    _style()
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 2.8 * len(panels)), squeeze=False)
    for ax, (table, series, title) in zip(axes[:, 0], panels, strict=True):
        rows = prices[(prices["table"] == table) & (prices["series"] == series)]
        for basis, group in rows.groupby("prices", sort=True):
            ax.plot(
                group["year"], group["value"], PRICE_STYLE[basis], marker="o", ms=3, label=basis
            )
        for era in shade:
            ax.axvspan(era["start"] - 0.5, era["end"] + 0.5, color=era["colour"], alpha=0.12, lw=0)
            ax.axvline(era["start"] - 0.5, color=era["colour"], lw=0.8, ls=":")
        ax.set_title(title, fontsize=10, loc="left")
        ax.set_ylabel(rows["unit"].iloc[0].replace("100m_yuan", "100m yuan (2020 prices if real)"))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(fontsize=8, loc="upper left")
    axes[-1, 0].set_xlabel("year")
    fig.tight_layout()
    return to_svg(fig)


def its_paths(paths: pd.DataFrame, title: str) -> bytes:
    """Observed, fitted and counterfactual (pre-break trend with its 95% band): one
    column per break, one row per scale (the log model drawn back in yuan, log axis)."""
    _style()
    specs = list(dict.fromkeys(paths["breaks"]))
    scales = [s for s in ("level", "log") if s in set(paths["scale"])]
    fig, axes = plt.subplots(
        len(scales), len(specs), figsize=(5 * len(specs), 3.2 * len(scales)), squeeze=False
    )
    for row, scale in enumerate(scales):
        for ax, spec in zip(axes[row], specs, strict=True):
            rows = paths[(paths["breaks"] == spec) & (paths["scale"] == scale)].sort_values("year")
            ax.plot(rows["year"], rows["observed"], "o", color="#333333", ms=4, label="observed")
            ax.plot(
                rows["year"], rows["fitted"], "-", color="#3f76a8", label="fitted (Prais–Winsten)"
            )
            post = rows[rows["post"].astype(bool)]
            ax.plot(
                post["year"],
                post["counterfactual"],
                "--",
                color="#c0504d",
                label="counterfactual: pre-break trend",
            )
            ax.fill_between(
                post["year"], post["cf_low"], post["cf_high"], color="#c0504d", alpha=0.15, lw=0
            )
            ax.axvline(int(spec.split("+")[0]) - 0.5, color="#888888", lw=0.8, ls=":")
            if scale == "log":
                ax.set_yscale("log")
            ax.set_title(f"{scale} model, break at {spec}", fontsize=10, loc="left")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes[row, 0].set_ylabel("100m yuan" + (" (log axis)" if scale == "log" else ""))
    axes[-1, 0].set_xlabel("year")
    axes[0, 0].legend(fontsize=7, loc="upper left")
    fig.suptitle(title, fontsize=11, x=0.01, ha="left")
    fig.tight_layout()
    return to_svg(fig)


def break_scan(scan: pd.DataFrame, panels: list[tuple[str, str]], marks=(2012, 2015)) -> bytes:
    """F statistic of a single level+slope break at each candidate year."""
    _style()
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 3.2), squeeze=False)
    for ax, (series, title) in zip(axes[0], panels, strict=True):
        rows = scan[scan["series"] == series]
        for window, group in rows.groupby("window", sort=True):
            style = "-o" if window == "full" else ":s"
            ax.plot(group["candidate_year"], group["f_stat"], style, ms=3, label=window)
            best = group[group["is_sup_f"]]
            ax.plot(best["candidate_year"], best["f_stat"], "*", ms=12, color="#c0504d")
        for year in marks:
            ax.axvline(year, color="#888888", lw=0.8, ls=":")
        ax.set_title(title, fontsize=10, loc="left")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("candidate break year")
    axes[0, 0].set_ylabel("F (level + slope break)")
    axes[0, 0].legend(fontsize=7)
    fig.tight_layout()
    return to_svg(fig)
