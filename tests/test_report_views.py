"""The report's views on small hand-made tables: every expected number below is
counted or computed by hand from the fixture rows, not copied from a run."""

from __future__ import annotations

import base64
import hashlib
import html
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from pairing_audit import featured, i18n, report, views

ROOT = Path(__file__).resolve().parents[1]


def claims_frame() -> pd.DataFrame:
    rows = [
        # claim_id, verdict, evidence, number_kind, explained, claimed, computed, label_zh
        ("a", "reproduced", "table", "money", "", "74.2", "74.201", "比重"),
        ("b", "reproduced", "table", "percent", "", "4.2", "4.202", "倍数"),
        ("c", "rounding", "table", "money", "", "4.95", "4.9571", "引进资金"),
        ("d", "discrepant", "table", "money", "True", "1066.4", "1841.040", "引进资金"),
        ("e", "discrepant", "statement", "date_year", "", "1979", "1978", "阶段"),
        ("f", "not_checkable", "none", "count", "", "3", "", "县"),
        ("g", "unsupported", "statement", "count", "", "", "false", "频率"),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "claim_id",
            "verdict",
            "evidence",
            "number_kind",
            "explained",
            "claimed_value",
            "computed_value",
            "label_zh",
        ],
    )
    frame["source"] = "doc"
    frame["statement"] = "S."
    frame["explanation"] = "why"
    frame["computation"] = "x"
    frame["unit"] = "100m_yuan"
    frame["qualifier"] = "exact"
    frame["location"] = "§1"
    frame["kind"] = "text_vs_table"
    return frame.replace({"": None})


def breakdown_of(claims: pd.DataFrame) -> pd.DataFrame:
    return (
        claims.groupby(["source", "evidence", "number_kind", "verdict"])
        .size()
        .rename("claims")
        .reset_index()
    )


def primary_frame(p_boot_holm: dict[tuple[str, str], float]) -> pd.DataFrame:
    rows = []
    for (series, term), p in p_boot_holm.items():
        rows.append(
            {
                "table": 4,
                "series": series,
                "term": term,
                "breaks": "2012+2015",
                "p_value": p / 10,
                "p_holm": p / 5,
                "p_boot": p / 2,
                "p_boot_holm": p,
            }
        )
    return pd.DataFrame(rows)


def test_p_values_never_print_as_zero():
    assert views.fmt_p(0.00004) == "< 0.0001"
    assert views.fmt_p(0.0) == "< 0.0001"
    assert views.fmt_p(0.00012) == "0.0001"
    assert views.fmt_p(0.5) == "0.5000"
    assert views.fmt_p(None) == "–" and views.fmt_p(math.nan) == "–"


def test_infinite_statistics_print_as_infinity():
    assert views.fmt(math.inf, 1) == "∞" and views.fmt(-math.inf) == "−∞"
    assert views.fmt(1234.5678) == "1,234.57"


def names(table, series):
    return {"en": f"T{table} {series}", "zh": f"表{table} {series}"}


SPEC = views.primary_spec_text(
    {
        "scale": "log",
        "prices": {"money": "real", "count": "nominal"},
        "estimator": "prais_winsten",
        "breaks": "2012+2015",
    },
    {"2012+2015": [2012, 2015]},
)


def test_bottom_line_counts_by_hand():
    claims = claims_frame()
    checks = pd.DataFrame({"status": ["match", "match", "mismatch"]})
    primary = primary_frame(
        {
            ("s1", "joint_2012"): 0.20,
            ("s2", "joint_2012"): 0.01,
            ("s1", "joint_2015"): 0.00001,
            ("s2", "joint_2015"): 0.04,
        }
    )
    lines = views.bottom_line(
        claims=claims,
        breakdown=breakdown_of(claims),
        checks=checks,
        primary=primary,
        featured_claims=["d"],
        alpha=0.05,
        n_documents=5,
        names=names,
        spec=SPEC,
    )
    assert 3 <= len(lines) <= 6 and all(set(line) == {"en", "zh"} for line in lines)
    overall, table, totals, featured_claim, series = (line["en"] for line in lines)
    # 7 claims: 2 reproduced, 1 rounding, 2 discrepant (1 explained), 1 unsupported, 1 not checkable
    assert overall.startswith("We checked 7 numerical statements in 5 documents: 2 reproduce, 1 ")
    assert "2 are discrepant (1 of them explained), 1 is not borne out" in overall
    # table evidence: a, b, c, d -> 2 reproduce of 4 (50%), 1 rounding, 1 discrepant
    assert "Of the 4 numbers" in table and "2 reproduce (50%), 1 differ" in table
    assert table.endswith("1 differs by rounding and 1 is discrepant.")
    assert totals.startswith("2 of the 3 printed totals")
    assert (
        featured_claim == "S: the source prints 1066.4, the data give 1841.040 (discrepant); why."
    )
    # bootstrap Holm p < 0.05: at 2012 one of two (0.01), at 2015 both (1e-5, 0.04)
    assert "at 2012, 1 of 2 series (lowest: T4 s2, p = 0.0100)" in series
    assert "at 2015, 2 of 2 series (lowest: T4 s1, p < 0.0001)" in series
    assert "by the bootstrap p (Holm-adjusted over the break years)" in series
    assert "2015年2个序列中有2个" in lines[-1]["zh"]


def test_time_series_sentence_names_the_closest_series_and_the_untested():
    primary = primary_frame(
        {("s1", "joint_2012"): 0.2, ("s2", "joint_2012"): 0.03, ("s3", "joint_2012"): math.nan}
    )
    sentence = views.time_series_sentence(primary, 0.05, names, SPEC)
    assert (
        "at 2012, 1 of 2 series (lowest: T4 s2, p = 0.0300); 1 fitted exactly, untested"
        in (sentence["en"])
    )
    assert (
        "level and slope breaks at 2012 and 2015 in one Prais–Winsten AR(1) fit" in sentence["en"]
    )
    assert "2012年2个序列中有1个（最小：表4 s2，p = 0.0300）" in sentence["zh"]


def test_breakdown_splits_by_evidence_and_kind():
    claims = claims_frame()
    by_evidence = views.breakdown_table(breakdown_of(claims), "evidence", views.EVIDENCE_ORDER)
    assert [r["label"]["en"] for r in by_evidence] == ["table", "statement", "no data"]
    table = by_evidence[0]
    assert table["total"] == 4 and table["counts"]["reproduced"] == 2
    assert table["counts"]["discrepant"] == 1 and table["counts"]["unsupported"] == 0
    by_kind = views.breakdown_table(breakdown_of(claims), "number_kind", views.NUMBER_KIND_ORDER)
    money = next(r for r in by_kind if r["label"]["en"] == "money")
    assert money["total"] == 3 and money["label"]["zh"] == "金额"


def test_model_findings_quote_the_bootstrap_p_and_the_detectable_jump():
    main = [featured.Series(4, "s1", "Table 4 – s1", "表4 – s1")]
    primary = pd.DataFrame(
        [
            {
                "table": 4,
                "series": "s1",
                "breaks": "2012+2015",
                "term": "level_change_pct_2012",
                "estimate": 22.3,
                "ci_low": -20.1,
                "ci_high": 87.0,
                "p_value": 0.3,
            },
            {
                "table": 4,
                "series": "s1",
                "breaks": "2012+2015",
                "term": "level_change_2012",
                "estimate": 0.2,
                "ci_low": -0.2,
                "ci_high": 0.6,
                "p_value": 0.3,
                "p_boot": 0.41,
            },
        ]
    )
    mde = pd.DataFrame(
        [{"table": 4, "series": "s1", "break_year": 2012, "mde_level_change_pct": 56.8}]
    )
    names = views.SeriesLabels(
        pd.DataFrame(
            [
                {
                    "table": 4,
                    "series": "s1",
                    "label_en": "Aid",
                    "label_zh": "帮扶",
                    "unit": "100m_yuan",
                }
            ]
        )
    )
    (finding,) = views.model_findings(primary, mde, main, names)
    assert finding["href"] == "#est-4-s1-level_change_pct_2012"
    assert finding["text"]["en"] == (
        "T4 Aid: level jump at 2012 +22.3% (95% CI -20.1% to +87.0%), bootstrap p = 0.4100; "
        "the data could detect 57% or more."
    )
    assert finding["text"]["zh"].startswith("表4 帮扶：2012年水平跳跃+22.3%")


def test_sensitivity_sentences_read_the_printed_figure_from_the_claims():
    rows = [
        # claim_key, metric, comparison, prices, value, earlier_start, later_start, later_end
        ("t3_share", "later_share_pct", "span", "nominal", 74.70, 1986, 2012, 2020),
        ("t3_share", "later_share_pct", "span", "real", 66.54, 1986, 2012, 2020),
        ("t4_ratio", "ratio_totals", "paper", "real", 3.2475, 2002, 2012, 2020),
        ("t4_ratio", "ratio_totals", "other", "nominal", 3.4128, 2002, 2013, 2020),
    ]
    columns = ["claim_key", "metric", "comparison", "prices", "value"]
    table = pd.DataFrame(rows, columns=columns + ["earlier_start", "later_start", "later_end"])
    claims = pd.DataFrame({"claim_id": ["share", "ratio"], "claimed_value": ["74.2", "4.2"]})
    eras = {"paper": "paper", "alternative": "other", "real_span": "span"}
    share, ratio = views.sensitivity_findings(
        table, claims, {"t3_share": "share", "t4_ratio": "ratio"}, eras, 2019
    )
    # every year comes from the rows or the base year passed in, none typed in
    assert "printed 74.2%" in share["text"]["en"] and "(no CPI before 1986)" in share["text"]["en"]
    assert (
        "Over 1986–2020 it is 74.7% in nominal yuan but 66.5% in constant 2019 yuan"
        in (share["text"]["en"])
    )
    assert share["href"] == "#sens-t3_share-span-real"
    assert "printed 4.2× is 3.25× in constant 2019 yuan" in ratio["text"]["en"]
    assert "3.41× (nominal) if 2013 rather than 2012 starts the later era" in ratio["text"]["en"]


def test_term_labels_and_units_are_human():
    assert i18n.term_label("level_change_pct_2012")["en"] == "level change at 2012, %"
    assert i18n.term_label("joint_2015")["zh"] == "2015年水平+斜率联合检验"
    assert i18n.label("unit", "100m_yuan") == {"en": "100m yuan", "zh": "亿元"}
    assert i18n.label("estimator", "prais_winsten")["en"] == "Prais–Winsten AR(1)"
    assert i18n.label("unit", "new_unit")["en"] == "new unit"  # falls back, no crash


def test_catalogue_has_both_languages_for_every_entry():
    catalogue = i18n.catalogue()
    for key, value in catalogue["ui"].items():
        assert value.get("en") and value.get("zh"), key
    for kind, labels in catalogue["labels"].items():
        for code, value in labels.items():
            assert value.get("en") and value.get("zh"), (kind, code)
    for code in views.VERDICT_ORDER + views.EVIDENCE_ORDER + views.NUMBER_KIND_ORDER:
        kind = "verdict" if code in views.VERDICT_ORDER else None
        kind = kind or ("evidence" if code in views.EVIDENCE_ORDER else "number_kind")
        assert code in catalogue["labels"][kind], code


def test_every_ui_key_the_template_uses_exists():
    template = (ROOT / "src/pairing_audit/templates/report.html.j2").read_text(encoding="utf-8")
    used = set(re.findall(r"\bt(?:x)?\('([a-z_0-9]+)'\)", template))
    assert used and used <= set(i18n.catalogue()["ui"]), used - set(i18n.catalogue()["ui"])


def test_dois_become_links():
    parts = views.citation_parts(
        "Wang 2022, Management World, DOI 10.19744/j.cnki.11-1235/f.2022.0080"
    )
    assert [p["doi"] for p in parts if p["doi"]] == ["10.19744/j.cnki.11-1235/f.2022.0080"]
    assert views.citation_parts("no doi here") == [{"text": "no doi here", "doi": None}]


def test_right_to_left_override_is_neutralised(tmp_path):
    (tmp_path / "probe.html.j2").write_text(
        "<p>{{ s }}</p><p>{{ pair|both }}</p>", encoding="utf-8"
    )
    out = report.render(
        tmp_path,
        {"s": "share \u202e1.47 <b>", "pair": {"en": "x\u202e1.47", "zh": "\u2067y\u2069"}},
        name="probe.html.j2",
    )
    assert "\u202e" not in out and "\u2067" not in out and "\u2069" not in out
    assert "share 1.47 &lt;b&gt;" in out and ">x1.47<" in out


def test_csp_allows_only_the_hashed_inline_script(tmp_path):
    (tmp_path / "report.js").write_text('console.log("hi");\n', encoding="utf-8")
    (tmp_path / "page.html.j2").write_text(
        '<meta content="{{ csp }}"><script>{{ script|safe }}</script>', encoding="utf-8"
    )
    out = report.render(tmp_path, {}, name="page.html.j2")
    csp = html.unescape(re.search(r'content="([^"]+)"', out).group(1))
    script = re.search(r"<script>(.*)</script>", out, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


@pytest.mark.parametrize(
    "path",
    [
        "src/pairing_audit/report.py",
        "src/pairing_audit/templates/report.html.j2",
        "src/pairing_audit/figures.py",
        "src/pairing_audit/views.py",
    ],
)
def test_no_featured_number_is_typed_in(path):
    """The headline figures (74.2%, 4.2×, 4.95×, 1066.4) come from the tables."""
    text = (ROOT / path).read_text(encoding="utf-8")
    for literal in ("74.2", "4.95", "4.2×", "1066.4", "66.5", "t3_share_2012_2020"):
        assert literal not in text, (path, literal)


def test_figures_do_not_import_the_report_wording():
    """Editing report wording (report, views, i18n) must not rerun the figure rules:
    no figure script reaches those modules, directly or through other modules."""
    from pairing_audit.code_deps import package_modules

    for script in ("figures",):
        modules = package_modules(
            ROOT / f"workflow/scripts/{script}.py", ROOT / "src/pairing_audit"
        )
        names = {Path(m).stem for m in modules}
        assert "figures" in names, names
        assert not {"report", "views", "i18n"} & names, (script, names)


def test_fitted_lines_break_at_each_break():
    from pairing_audit.figures import segments

    rows = pd.DataFrame({"year": range(2008, 2020)})
    parts = [list(p["year"]) for p in segments(rows, [2012, 2015])]
    assert parts == [[2008, 2009, 2010, 2011], [2012, 2013, 2014], [2015, 2016, 2017, 2018, 2019]]
