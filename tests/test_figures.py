"""Figure layout: an explicit layout that keeps every text inside the figure and off
every other text."""

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

from pairing_audit import figures


def visible_texts(fig):
    """(name, bbox in pixels) of every drawn, non-empty text; tick labels only for
    ticks inside the view (matplotlib draws no others)."""
    renderer = fig.canvas.get_renderer()
    fig.draw(renderer)
    tick_labels = set()
    out = []
    for ax in fig.axes:
        for axis, (low, high) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            low, high = sorted((low, high))
            for tick in axis.get_major_ticks():
                tick_labels.add(id(tick.label1))
                if low - 1e-9 <= tick.get_loc() <= high + 1e-9 and tick.label1.get_text():
                    out.append((tick.label1.get_text(), tick.label1.get_window_extent(renderer)))
    for text in fig.findobj(Text):
        if id(text) in tick_labels or not text.get_visible() or not text.get_text():
            continue
        out.append((text.get_text(), text.get_window_extent(renderer)))
    return out


@pytest.fixture
def captured(monkeypatch):
    """The figures the drawing functions hand to to_svg, still open."""
    figs = []
    monkeypatch.setattr(figures, "to_svg", lambda fig: figs.append(fig) or b"")
    yield figs
    for fig in figs:
        plt.close(fig)


def assert_inside_and_apart(fig, check_overlap=True):
    texts = visible_texts(fig)
    frame = fig.bbox
    for name, box in texts:
        assert box.x0 >= frame.x0 - 0.5 and box.x1 <= frame.x1 + 0.5, ("clipped", name)
        assert box.y0 >= frame.y0 - 0.5 and box.y1 <= frame.y1 + 0.5, ("clipped", name)
    if check_overlap:
        for (a, box_a), (b, box_b) in itertools.combinations(texts, 2):
            assert not box_a.overlaps(box_b), ("overlap", a, b)


def paths_frame():
    years = np.arange(1985, 2021)
    rows = []
    for spec, scale in itertools.product(["2012+2015", "2012", "2015"], ["log", "level"]):
        values = 50 * 1.12 ** (years - 1985)
        rows.append(
            pd.DataFrame(
                {
                    "breaks": spec,
                    "scale": scale,
                    "year": years,
                    "observed": values,
                    "fitted": values * 1.01,
                    "post": years >= 2012,
                    "counterfactual": values * 0.8,
                    "cf_low": values * 0.6,
                    "cf_high": values * 0.95,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def test_its_figure_keeps_texts_inside_and_apart(captured):
    figures.its_paths(
        paths_frame(),
        "Table 3 – a long series title (100m yuan): real prices",
        "100m yuan, 2020 prices",
        "2012+2015",
        {"log": [2009], "level": [1992, 2009]},
    )
    assert_inside_and_apart(captured[0])


def test_series_and_scan_keep_texts_inside_and_apart(captured):
    years = np.arange(1980, 2021)
    prices = pd.concat(
        [
            pd.DataFrame(
                {"table": 3, "series": name, "year": years, "value": scale * years, "prices": basis}
            )
            for name, scale in (("a", 1.0), ("b", 1000.0))
            for basis in ("nominal", "real")
        ],
        ignore_index=True,
    )
    panels = [
        {
            "table": 3,
            "series": s,
            "title": f"Table 3 – series {s}",
            "unit": "100m yuan, 2020 prices if real",
            "breaks": [2012],
        }
        for s in ("a", "b")
    ]
    figures.series_with_eras(prices, panels, [{"start": 2012, "colour": "#c0504d"}])
    scan = pd.concat(
        [
            pd.DataFrame(
                {
                    "series": s,
                    "window": window,
                    "candidate_year": np.arange(1990, 2015),
                    "f_stat": np.linspace(0.1, 12000.0, 25),
                    "is_sup_f": np.arange(25) == 24,
                }
            )
            for s in ("a", "b")
            for window in ("full", "placebo")
        ],
        ignore_index=True,
    )
    figures.break_scan(scan, [("a", "series a"), ("b", "series b")], [2012, 2015], 2012)
    for fig in captured:
        assert_inside_and_apart(fig)


def test_timeline_labels_stay_inside(captured):
    events = pd.DataFrame(
        {
            "year": [1958, 1994, 2021],
            "month": [3, np.nan, 4],
            "stage_id": ["emergence", "establishment", "deepening"],
            "stage_en": ["Emergence", "Establishment", "Deepening"],
            "programme_en": [
                "short",
                "a middling programme name",
                "a very long programme name " * 3,
            ],
            "date_printed": ["1958-3", "1994", "2021-4-21"],
        }
    )
    figures.timeline(events)
    # the markers' labels may sit beside the legend box; only clipping is checked
    assert_inside_and_apart(captured[0], check_overlap=False)
