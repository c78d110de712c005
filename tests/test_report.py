"""Report rendering helpers on small fixtures (the page itself is tested in a browser)."""

from __future__ import annotations

import math

import pandas as pd

from pairing_audit.figures import to_svg
from pairing_audit.report import render
from pairing_audit.views import fmt, headline_sentences


def test_fmt_missing_and_numbers():
    assert fmt(None) == "–" and fmt(math.nan) == "–"
    assert fmt(1234.5678) == "1,234.57" and fmt(2.0, 3) == "2.000"


def test_headline_sentence_for_numbers_and_for_comparisons():
    claims = pd.DataFrame(
        [
            {
                "claim_id": "a",
                "statement": "S.",
                "claimed_value": "74.2",
                "computed_value": "74.201",
                "verdict": "reproduced",
                "computation": "x",
                "label_zh": "比重",
            },
            {
                "claim_id": "b",
                "statement": "T.",
                "claimed_value": math.nan,
                "computed_value": "false",
                "verdict": "unsupported",
                "computation": "10 > 11",
                "label_zh": "频率",
            },
        ]
    )
    a, b = headline_sentences(claims, ["a", "b"])  # ids are checked at parse time
    assert "prints 74.2; the data give 74.201: reproduced" in a["text"]["en"]
    assert a["text"]["zh"] == "比重：原文为74.2，数据计算为74.201，结论为“可复现”。"
    assert a["href"] == "#claim-a"
    assert (
        b["text"]["en"] == "T. Tested: 10 > 11, which does not hold."
        and b["verdict"] == "unsupported"
    )


def test_templates_escape_source_text(tmp_path):
    (tmp_path / "probe.html.j2").write_text("<p>{{ s }}</p>", encoding="utf-8")
    out = render(tmp_path, {"s": "<script>alert(1)</script>"}, name="probe.html.j2")
    assert out == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_figures_are_deterministic_svg_data_uris():
    import matplotlib.pyplot as plt

    def draw():
        fig, ax = plt.subplots()
        ax.plot([1, 2, 3], [3, 1, 2])
        return to_svg(fig)

    first, second = draw(), draw()
    assert first.startswith(b"<?xml") and b"<svg" in first and first == second
