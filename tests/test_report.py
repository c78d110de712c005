"""Report assembly helpers on small fixtures (the page itself is tested in a browser)."""

from __future__ import annotations

import math

import pandas as pd

from pairing_audit.figures import to_svg
from pairing_audit.report import fmt, headline_sentences, render, sensitivity_findings


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
            },
            {
                "claim_id": "b",
                "statement": "T.",
                "claimed_value": math.nan,
                "computed_value": "false",
                "verdict": "unsupported",
                "computation": "10 > 11",
            },
        ]
    )
    a, b = headline_sentences(claims, ["a", "b", "missing"], pd.DataFrame())
    assert "prints 74.2; the data give 74.201: reproduced" in a["text"]
    assert b["text"] == "T. Checked: 10 > 11." and b["verdict"] == "unsupported"


def test_sensitivity_sentences_use_the_table_values():
    rows = [
        ("t3_share_2012_2020", "after_2012_from_1986", "nominal", 74.70),
        ("t3_share_2012_2020", "after_2012_from_1986", "real", 66.54),
        ("t4_direct_aid_ratio", "after_2012", "real", 3.2475),
        ("t4_direct_aid_ratio", "after_2013", "nominal", 3.4128),
    ]
    table = pd.DataFrame(rows, columns=["claim_key", "comparison", "prices", "value"])
    share, direct = sensitivity_findings(table)
    assert "74.7% of central special funds in nominal yuan but 66.5%" in share
    assert "4.2× multiplier is 3.25×" in direct and "3.41× (nominal)" in direct


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
