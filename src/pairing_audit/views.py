"""What the report says, computed from the pipeline's outputs (pure functions).

Every number in a sentence is read from a table at build time; what is featured
(series, claims, the primary specification, the significance level) comes from
the config through ``featured``. Each sentence is a pair {en, zh}. ``report.py``
only renders what this module returns.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from .i18n import label, pair, term_label, text

VERDICT_ORDER = ["reproduced", "rounding", "discrepant", "unsupported", "not_checkable"]
EVIDENCE_ORDER = ["table", "statement", "none"]
NUMBER_KIND_ORDER = ["money", "persons", "percent", "count", "date_year", "ratio", "other"]
ESTIMATOR_ORDER = ["prais_winsten", "ols_hc3", "ols_hac", "arima_ar1"]


# ---------------------------------------------------------------- formatting


def missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def fmt(value, digits: int = 2) -> str:
    """A number for display: thousands separators, fixed decimals, '–' when missing,
    '∞' for an infinite statistic (the template adds the note)."""
    if missing(value):
        return "–"
    if isinstance(value, str):
        return value
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    return f"{value:,.{digits}f}"


def fmt_p(value) -> str:
    """p-values: four decimals, '< 0.0001' below that (never 0.0000)."""
    if missing(value):
        return "–"
    if value < 0.0001:
        return "< 0.0001"
    return f"{value:.4f}"


def fmt_signed(value, digits: int = 1) -> str:
    return "–" if missing(value) else f"{value:+.{digits}f}"


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain Python values, missing values as None (column by column:
    half the time of astype(object).where(...).to_dict("records"), same values)."""
    names = list(frame.columns)
    columns = [frame.iloc[:, i].to_numpy(dtype=object, na_value=None) for i in range(len(names))]
    if not names:
        return [{} for _ in range(len(frame))]
    rows = zip(*columns, strict=True)
    return [dict(zip(names, map(_native, row), strict=True)) for row in rows]


def _native(value):
    """A numpy scalar as the Python value it holds (as DataFrame.to_dict gives it)."""
    return value.item() if isinstance(value, np.generic) else value


def anchor(*parts) -> str:
    """A stable HTML id from parts (letters, digits, underscores, hyphens)."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", "-".join(str(p) for p in parts)).strip("-")


def claim_anchor(claim_id: str) -> str:
    return anchor("claim", claim_id)


# ---------------------------------------------------------------- labels


class SeriesLabels:
    """Human names of (table, series) from data/processed/series.csv."""

    def __init__(self, series: pd.DataFrame):
        first = series.drop_duplicates(["table", "series"])
        self._names = {
            (int(r["table"]), r["series"]): (r["label_en"], r["label_zh"], r["unit"])
            for r in first.to_dict("records")
        }

    def __call__(self, table: int, series: str) -> dict:
        en, zh, _ = self._names.get((int(table), series), (series, series, ""))
        return pair(f"T{int(table)} {en}", f"表{int(table)} {zh}")

    def unit(self, table: int, series: str) -> dict:
        return label("unit", self._names.get((int(table), series), ("", "", ""))[2])


def verdict_label(code: str) -> dict:
    return label("verdict", code)


# ---------------------------------------------------------------- the primary model


def primary_rows(its: pd.DataFrame) -> pd.DataFrame:
    """Rows of the primary fits (its.csv's `role`, set from config `models.primary`)."""
    return its[its["role"] == "primary"].assign(breaks=lambda df: df["breaks"].astype(str))


def _term(rows: pd.DataFrame, table: int, series: str, term: str):
    hit = rows[(rows["table"] == table) & (rows["series"] == series) & (rows["term"] == term)]
    return None if hit.empty else hit.iloc[0]


def boot_p(row, holm: bool = False):
    """The bootstrap p of a test row (Holm-adjusted if asked), None when not given."""
    column = "p_boot_holm" if holm else "p_boot"
    if row is None or missing(row[column]):
        return None
    return float(row[column])


def p_phrase(row) -> dict:
    """'bootstrap p = 0.0123' where the bootstrap ran; the t-test p otherwise, named so."""
    p = boot_p(row)
    if p is not None:
        return pair(f"bootstrap p {_p_rel(p)}", f"自助法p {_p_rel(p)}")
    p = None if row is None or missing(row["p_value"]) else float(row["p_value"])
    return pair(f"t-test p {_p_rel(p)} (no bootstrap)", f"t检验p {_p_rel(p)}（无自助法）")


def _p_rel(p) -> str:
    text_p = fmt_p(p)
    return text_p if text_p.startswith("<") else f"= {text_p}"


def break_years(breaks: str) -> list[int]:
    return [int(y) for y in str(breaks).split("+") if y.isdigit()]


# ---------------------------------------------------------------- the bottom line


def bottom_line(
    *,
    claims: pd.DataFrame,
    breakdown: pd.DataFrame,
    checks: pd.DataFrame,
    primary: pd.DataFrame,
    featured_claims: list[str],
    alpha: float,
    n_documents: int,
    names,
    spec: dict,
) -> list[dict]:
    """3–6 plain sentences: what reproduces, what does not, what the time series say."""
    counts = claims["verdict"].value_counts().reindex(VERDICT_ORDER, fill_value=0)
    explained = int(((claims["verdict"] == "discrepant") & (claims["explained"] == "True")).sum())
    out = [
        pair(
            f"We checked {len(claims)} numerical statements in {n_documents} documents: "
            f"{counts['reproduced']} reproduce, {counts['rounding']} match only under a named "
            f"rounding convention, {counts['discrepant']} are discrepant ({explained} of them "
            f"explained), {counts['unsupported']} {_is(counts['unsupported'])} not borne out by the sources' own "
            f"data, and {counts['not_checkable']} cannot be checked with the data the sources contain.",
            f"共核查{n_documents}份文献中的{len(claims)}个数字论断：{counts['reproduced']}个可复现，"
            f"{counts['rounding']}个仅在特定舍入规则下相符，{counts['discrepant']}个不符（其中"
            f"{explained}个已找到解释），{counts['unsupported']}个得不到原文数据支持，"
            f"{counts['not_checkable']}个因原文未提供数据而无法核查。",
        )
    ]
    table = breakdown[breakdown["evidence"] == "table"]
    if not table.empty:
        by = table.groupby("verdict")["claims"].sum().reindex(VERDICT_ORDER, fill_value=0)
        total = int(by.sum())
        share = 100 * by["reproduced"] / total if total else float("nan")
        out.append(
            pair(
                f"Of the {total} numbers that can be set against the paper's own tables, "
                f"{by['reproduced']} {_verb(by['reproduced'], 'reproduces', 'reproduce')} "
                f"({share:.0f}%), {by['rounding']} {_verb(by['rounding'], 'differs', 'differ')} "
                f"by rounding and {by['discrepant']} {_is(by['discrepant'])} discrepant.",
                f"在可与论文自身表格核对的{total}个数字中，{by['reproduced']}个可复现"
                f"（{share:.0f}%），{by['rounding']}个为舍入差异，{by['discrepant']}个不符。",
            )
        )
    n_checks, n_match = len(checks), int((checks["status"] == "match").sum())
    out.append(
        pair(
            f"{n_match} of the {n_checks} printed totals and cross-table cells add up.",
            f"{n_checks}项印刷合计与跨表数值中，{n_match}项加总一致。",
        )
    )
    indexed = claims.set_index("claim_id")
    for claim_id in featured_claims:
        row = indexed.loc[claim_id]  # ids checked against the ledger at parse time
        zh_name = row["label_zh"]
        reason = "" if missing(row["explanation"]) else f"; {row['explanation']}"
        verdict = verdict_label(row["verdict"])
        out.append(
            pair(
                f"{row['statement'].rstrip('.')}: the source prints {row['claimed_value']}, the "
                f"data give {row['computed_value']} ({verdict['en']}){reason}.",
                f"原文的{row['claimed_value']}（{zh_name}）：数据计算为{row['computed_value']}，"
                f"结论为“{verdict['zh']}”。",
            )
        )
    out.append(time_series_sentence(primary, alpha, names, spec))
    return out


def _verb(n: int, singular: str, plural: str) -> str:
    return singular if n == 1 else plural


def _is(n: int) -> str:
    return _verb(n, "is", "are")


def primary_spec_text(primary_cfg: dict, break_specs: dict) -> dict:
    """The primary specification in words, from config `models.primary`."""
    years = sorted(break_specs[str(primary_cfg["breaks"])])
    years_en = " and ".join(str(y) for y in years)
    years_zh = "与".join(str(y) for y in years)
    scale, money = (
        label("scale", primary_cfg["scale"]),
        label("prices", primary_cfg["prices"]["money"]),
    )
    estimator = label("estimator", primary_cfg["estimator"])
    return pair(
        f"{scale['en']} scale; money at {money['en']} prices; level and slope breaks at "
        f"{years_en} in one {estimator['en']} fit",
        f"{scale['zh']}尺度；资金按{money['zh']}；{years_zh}的水平与斜率断点在同一{estimator['zh']}模型中估计",
    )


def time_series_sentence(primary: pd.DataFrame, alpha: float, names, spec: dict) -> dict:
    """Per break year: how many primary series break at `alpha` by the bootstrap p
    (Holm-adjusted over the break years), and which series comes closest."""
    joint = primary[primary["term"].str.match(r"^joint_\d{4}$")]
    if joint.empty:
        return pair("No primary time-series fit is available.", "没有可用的主模型时间序列估计。")
    parts_en, parts_zh = [], []
    for term, rows in joint.groupby("term", sort=True):
        year = term.split("_")[-1]
        tested = rows.dropna(subset=["p_boot_holm"])
        untested = len(rows) - len(tested)
        hits = int((tested["p_boot_holm"] < alpha).sum())
        closest = tested.loc[tested["p_boot_holm"].idxmin()] if len(tested) else None
        name = names(closest["table"], closest["series"]) if closest is not None else None
        p = _rel(fmt_p(closest["p_boot_holm"])) if closest is not None else ""
        skip_en = f"; {untested} fitted exactly, untested" if untested else ""
        skip_zh = f"；{untested}个序列分段精确拟合，无法检验" if untested else ""
        lowest_en = f" (lowest: {name['en']}, p {p})" if name else ""
        lowest_zh = f"（最小：{name['zh']}，p {p}）" if name else ""
        parts_en.append(f"at {year}, {hits} of {len(tested)} series{lowest_en}{skip_en}")
        parts_zh.append(f"{year}年{len(tested)}个序列中有{hits}个{lowest_zh}{skip_zh}")
    return pair(
        f"Primary time-series model ({spec['en']}): breaks significant at the {alpha:g} level "
        "by the bootstrap p (Holm-adjusted over the break years): " + "; ".join(parts_en) + ".",
        f"主时间序列模型（{spec['zh']}）中，按自助法p（对各断点年份作Holm校正）在{alpha:g}水平显著的断点："
        + "；".join(parts_zh)
        + "。",
    )


def _rel(p_text: str) -> str:
    return p_text if p_text.startswith("<") else f"= {p_text}"


# ---------------------------------------------------------------- summary tables


def breakdown_table(breakdown: pd.DataFrame, by: str, order: list[str]) -> list[dict]:
    """Claims per evidence class or kind of number, one column per verdict."""
    wide = (
        breakdown.groupby([by, "verdict"])["claims"]
        .sum()
        .unstack(fill_value=0)
        .reindex(columns=VERDICT_ORDER, fill_value=0)
    )
    keys = [k for k in order if k in wide.index] + sorted(set(wide.index) - set(order))
    rows = []
    for key in keys:
        counts = {v: int(wide.loc[key, v]) for v in VERDICT_ORDER}
        rows.append({"label": label(by, key), "counts": counts, "total": sum(counts.values())})
    return rows


def verdict_table(summary: pd.DataFrame, documents: dict) -> list[dict]:
    rows = []
    for record in records(summary):
        doc = documents.get(record["source"], {})
        rows.append(
            {
                **record,
                "citation": doc.get("citation", record["source"]),
                "doi": doi_of(doc.get("citation", "")),
            }
        )
    return rows


DOI = re.compile(r"\b(10\.\d{4,9}/[^\s,;]+)")


def doi_of(citation: str) -> str | None:
    match = DOI.search(citation or "")
    return match.group(1) if match else None


def citation_parts(citation: str) -> list[dict]:
    """A citation split around its DOI, so the template links the DOI."""
    doi = doi_of(citation)
    if not doi:
        return [{"text": citation, "doi": None}]
    before, after = citation.split(doi, 1)
    return [{"text": before, "doi": None}, {"text": "", "doi": doi}, {"text": after, "doi": None}]


def headline_sentences(claims: pd.DataFrame, ids: list[str]) -> list[dict]:
    """One sentence per headline claim: printed vs computed, the verdict (link to the row)."""
    indexed = claims.set_index("claim_id")
    out = []
    for claim_id in ids:
        row = indexed.loc[claim_id]  # ids checked against the ledger at parse time
        verdict = verdict_label(row["verdict"])
        zh_name = row["label_zh"]
        if missing(row["claimed_value"]):
            holds = "holds" if str(row["computed_value"]).lower() == "true" else "does not hold"
            en = f"{row['statement']} Tested: {row['computation']}, which {holds}."
            zh = f"{zh_name}：比较性论断，结论为“{verdict['zh']}”。"
        else:
            en = (
                f"{row['statement']} The source prints {row['claimed_value']}; the data give "
                f"{row['computed_value']}: {verdict['en']}."
            )
            zh = (
                f"{zh_name}：原文为{row['claimed_value']}，数据计算为{row['computed_value']}，"
                f"结论为“{verdict['zh']}”。"
            )
        out.append(
            {
                "id": claim_id,
                "href": "#" + claim_anchor(claim_id),
                "verdict": row["verdict"],
                "text": pair(en, zh),
            }
        )
    return out


def model_findings(
    primary: pd.DataFrame, mde: pd.DataFrame | None, main: list, names
) -> list[dict]:
    """Per featured series and break: the level jump, its CI and bootstrap p, and the
    minimum detectable jump; each links to the series' figure."""
    out = []
    for s in main:
        name = names(s.table, s.series)
        for year in sorted({y for b in primary["breaks"].unique() for y in break_years(b)}):
            jump = _term(primary, s.table, s.series, f"level_change_pct_{year}")
            test = _term(primary, s.table, s.series, f"level_change_{year}")
            if jump is None:
                continue
            p = p_phrase(test)
            detect = _mde(mde, s, year)
            extra_en = f"; the data could detect {detect:.0f}% or more" if detect else ""
            extra_zh = f"；数据可检测到的最小跳跃为{detect:.0f}%" if detect else ""
            ci = f"{fmt_signed(jump['ci_low'])}% to {fmt_signed(jump['ci_high'])}%"
            ci_zh = f"{fmt_signed(jump['ci_low'])}%至{fmt_signed(jump['ci_high'])}%"
            out.append(
                {
                    "href": "#" + anchor("est", s.table, s.series, f"level_change_pct_{year}"),
                    "text": pair(
                        f"{name['en']}: level jump at {year} {fmt_signed(jump['estimate'])}% "
                        f"(95% CI {ci}), {p['en']}{extra_en}.",
                        f"{name['zh']}：{year}年水平跳跃{fmt_signed(jump['estimate'])}%"
                        f"（95%置信区间{ci_zh}），{p['zh']}{extra_zh}。",
                    ),
                }
            )
    return out


def _mde(mde, s, year):
    if mde is None or mde.empty:
        return None
    hit = mde[(mde["table"] == s.table) & (mde["series"] == s.series) & (mde["break_year"] == year)]
    return (
        None
        if hit.empty or missing(hit["mde_level_change_pct"].iloc[0])
        else float(hit["mde_level_change_pct"].iloc[0])
    )


def sensitivity_findings(
    sensitivity: pd.DataFrame, claims: pd.DataFrame, links: dict, eras: dict, base_year: int
) -> list[dict]:
    """How the headline figures move under real prices and another era boundary.

    `links` (config report.sensitivity_claims) maps each headline key to the claim whose
    printed value it recomputes, so the printed figure is read, never typed in; `eras`
    (config report.sensitivity_eras) names the paper's era split (`paper`), the
    alternative boundary (`alternative`) and the split restricted to the years with
    real prices (`real_span`). Every year in a sentence comes from the rows quoted."""
    rows = sensitivity.set_index(["claim_key", "comparison", "prices"])
    printed = claims.set_index("claim_id")["claimed_value"]
    out = []
    for key, claim_id in links.items():
        shown = printed[claim_id]  # ids checked against the ledger at parse time
        name = label("claim_key", key)
        metric = sensitivity.loc[sensitivity["claim_key"] == key, "metric"].iloc[0]
        if metric == "later_share_pct":
            nominal = rows.loc[(key, eras["real_span"], "nominal")]
            real = rows.loc[(key, eras["real_span"], "real")]
            first, last = int(real["earlier_start"]), int(real["later_end"])
            out.append(
                _linked(
                    key,
                    eras["real_span"],
                    f"{name['en']}: the printed {shown}% cannot be deflated as printed (no CPI "
                    f"before {first}). Over {first}–{last} it is {nominal['value']:.1f}% in "
                    f"nominal yuan but {real['value']:.1f}% in constant {base_year} yuan.",
                    f"{name['zh']}：原文的{shown}%无法按原口径平减（{first}年前无CPI）。按{first}–{last}年"
                    f"计算，名义为{nominal['value']:.1f}%，按{base_year}年不变价为{real['value']:.1f}%。",
                )
            )
        else:
            real = rows.loc[(key, eras["paper"], "real")]
            other = rows.loc[(key, eras["alternative"], "nominal")]
            paper_start, other_start = int(real["later_start"]), int(other["later_start"])
            out.append(
                _linked(
                    key,
                    eras["paper"],
                    f"{name['en']}: the printed {shown}× is {real['value']:.2f}× in constant "
                    f"{base_year} yuan, and {other['value']:.2f}× (nominal) if {other_start} "
                    f"rather than {paper_start} starts the later era.",
                    f"{name['zh']}：原文的{shown}倍按{base_year}年不变价为{real['value']:.2f}倍；"
                    f"若后期从{other_start}年起算，则为{other['value']:.2f}倍（名义）。",
                )
            )
    return out


def sensitivity_anchor(key: str, comparison: str, prices: str) -> str:
    return anchor("sens", key, comparison, prices)


def _linked(key: str, comparison: str, en: str, zh: str) -> dict:
    """A sensitivity sentence with a link to the real-terms row it quotes."""
    return {"href": "#" + sensitivity_anchor(key, comparison, "real"), "text": pair(en, zh)}


# ---------------------------------------------------------------- claims table


def claim_rows(claims: pd.DataFrame) -> list[dict]:
    rows = []
    for row in records(claims):
        explained = str(row.get("explained") or "") == "True"
        rows.append(
            {
                "label_zh": "",
                "evidence": "",
                **{k: ("" if v is None else v) for k, v in row.items()},
                "anchor": claim_anchor(row["claim_id"]),
                "verdict_label": verdict_label(row["verdict"]),
                "evidence_label": label("evidence", row.get("evidence"))
                if row.get("evidence")
                else None,
                "unit_label": label("unit", row.get("unit")),
                "explained": explained,
                "search": " ".join(
                    str(row.get(k) or "") for k in ("claim_id", "label_zh", "unit", "source")
                )
                + " "
                + " ".join(verdict_label(row["verdict"]).values())
                + " "
                + " ".join(label("unit", row.get("unit")).values()),
            }
        )
    return rows


# ---------------------------------------------------------------- model tables

PRIMARY_TERMS = r"^(level_change_pct|slope_change|post_growth_pct|pre_growth_pct|joint)"


def estimates_table(primary: pd.DataFrame, main: list, names) -> list[dict]:
    """The primary fit of each featured series, term by term, with t-test and bootstrap p."""
    keys = {(s.table, s.series) for s in main}
    rows = primary[primary["term"].str.match(PRIMARY_TERMS)]
    rows = rows[[(t, s) in keys for t, s in zip(rows["table"], rows["series"], strict=True)]]
    out = []
    for r in records(rows.sort_values(["table", "series", "term"])):
        out.append(
            {
                **r,
                "anchor": anchor("est", r["table"], r["series"], r["term"]),
                "series_label": names(r["table"], r["series"]),
                "term_label": term_label(r["term"]),
                "prices_label": label("prices", r["prices"]),
                "scale_label": label("scale", r["scale"]),
                "estimate_text": fmt(r["estimate"], 3),
                "undefined": missing(r["estimate"]) or math.isinf(r["estimate"]),
                "ci_text": "–"
                if missing(r.get("ci_low"))
                else f"{fmt(r['ci_low'], 3)} to {fmt(r['ci_high'], 3)}",
                "p_text": fmt_p(r.get("p_value")),
                "p_boot_text": fmt_p(r.get("p_boot")),
                "p_boot_holm_text": fmt_p(r.get("p_boot_holm")),
            }
        )
    return out


def _featured(frame: pd.DataFrame, main: list) -> pd.DataFrame:
    keys = {(s.table, s.series) for s in main}
    return frame[[(t, s) in keys for t, s in zip(frame["table"], frame["series"], strict=True)]]


def estimator_comparison(its: pd.DataFrame, main: list, names, breaks: list[str]) -> list[dict]:
    """Level jump (log scale, %, nominal) under each estimator, per series and break."""
    keep = its[
        (its["prices"] == "nominal")
        & (its["scale"] == "log")
        & its["breaks"].astype(str).isin(breaks)
        & its["term"].str.match(r"^level_change_pct_")
    ]
    rows = []
    for (table, series, spec), group in _featured(keep, main).groupby(
        ["table", "series", "breaks"]
    ):
        cells = {
            r[
                "estimator"
            ]: f"{fmt_signed(r['estimate'])} ({fmt_signed(r['ci_low'])} to {fmt_signed(r['ci_high'])})"
            for r in group.to_dict("records")
        }
        rows.append({"series_label": names(table, series), "breaks": str(spec), "cells": cells})
    return rows


def spec_comparison(its: pd.DataFrame, main: list, names, primary: pd.DataFrame) -> list[dict]:
    """AIC/BIC of every break specification, Prais–Winsten, log, primary price basis."""
    keys = primary[["table", "series", "prices"]].drop_duplicates()
    basis = {(t, s): p for t, s, p in keys.itertuples(index=False)}
    fits = its[
        (its["estimator"] == "prais_winsten")
        & (its["scale"] == "log")
        & (its["term"] == "intercept")
    ]
    fits = _featured(fits, main)
    fits = fits[
        [
            basis.get((t, s)) == p
            for t, s, p in zip(fits["table"], fits["series"], fits["prices"], strict=True)
        ]
    ]
    fits = fits[["table", "series", "prices", "breaks", "aic", "bic", "n_obs", "rho"]].copy()
    fits["delta_aic"] = fits["aic"] - fits.groupby(["table", "series"])["aic"].transform("min")
    out = []
    for r in records(fits.sort_values(["table", "series", "aic"])):
        out.append(
            {
                **r,
                "series_label": names(r["table"], r["series"]),
                "prices_label": label("prices", r["prices"]),
                "breaks": str(r["breaks"]),
            }
        )
    return out


def effects_table(effects: pd.DataFrame, main: list, names, breaks: list[str]) -> list[dict]:
    keep = effects[
        (effects["estimator"] == "prais_winsten") & effects["breaks"].astype(str).isin(breaks)
    ]
    out = []
    for r in records(
        _featured(keep, main).sort_values(["table", "series", "scale", "prices", "breaks"])
    ):
        out.append(
            {
                **r,
                "series_label": names(r["table"], r["series"]),
                "scale_label": label("scale", r["scale"]),
                "prices_label": label("prices", r["prices"]),
                "breaks": str(r["breaks"]),
            }
        )
    return out


def scan_summary(scan: pd.DataFrame, names) -> list[dict]:
    best = scan[scan["is_sup_f"]].sort_values(["table", "series", "scale", "prices", "window"])
    out = []
    for r in records(best):
        out.append(
            {
                **r,
                "series_label": names(r["table"], r["series"]),
                "scale_label": label("scale", r["scale"]),
                "prices_label": label("prices", r["prices"]),
                "window_label": label("window", r["window"]),
                "f_text": fmt(r["f_stat"], 1),
                "f_infinite": not missing(r["f_stat"]) and math.isinf(r["f_stat"]),
                "p_text": fmt_p(r["sup_f_p_boot"]),
            }
        )
    return out


def size_table(size: pd.DataFrame) -> dict:
    """Monte Carlo rejection rates under no break: one row per sample length, tested
    break year and estimator; one column per ρ."""
    rhos = sorted(size["rho"].unique())
    present = set(size["estimator"])
    estimators = [e for e in ESTIMATOR_ORDER if e in present] + sorted(
        present - set(ESTIMATOR_ORDER)
    )
    rows = []
    for (n, term), design in size.groupby(["n", "term"], sort=True):
        for est in estimators:
            group = design[design["estimator"] == est].set_index("rho")
            if group.empty:
                continue
            cells = [fmt(group["rejection_rate"].get(rho), 3) for rho in rhos]
            name, tested = label("estimator", est), term_label(term)
            both = {lang: f"{name[lang]} · n = {n} · {tested[lang]}" for lang in ("en", "zh")}
            rows.append({"label": both, "cells": cells})
    meta = size.iloc[0] if not size.empty else None
    return {
        "rhos": [fmt(r, 1) for r in rhos],
        "rows": rows,
        "n": ", ".join(str(n) for n in sorted(size["n"].unique())),
        "nominal": None if meta is None else fmt(meta["nominal"], 2),
        "replications": None if meta is None else int(meta["replications"]),
    }


def mde_table(mde: pd.DataFrame, main: list, names) -> list[dict]:
    out = []
    for r in records(_featured(mde, main).sort_values(["table", "series", "break_year"])):
        out.append(
            {
                **r,
                "series_label": names(r["table"], r["series"]),
                "prices_label": label("prices", r["prices"]),
                "mde_text": fmt(r["mde_level_change_pct"], 1),
                "estimate_text": fmt_signed(r["estimate_level_change_pct"]),
                "power_text": fmt(r["power"], 2),
            }
        )
    return out


def breakpoints_table(breakpoints: pd.DataFrame, names) -> list[dict]:
    low, high = "ci_low", "ci_high"
    out = []
    for r in records(breakpoints.sort_values(["table", "series", "scale", "prices"])):
        years = [y for y in str(r["break_years"] or "").split("+") if y]
        lows = str(r.get(low) or "").split("+")
        highs = str(r.get(high) or "").split("+")
        shown = [
            f"{y} ({lows[i]}–{highs[i]})"
            if i < len(lows) and i < len(highs) and lows[i] and highs[i]
            else y
            for i, y in enumerate(years)
        ]
        out.append(
            {
                **r,
                "series_label": names(r["table"], r["series"]),
                "scale_label": label("scale", r["scale"]),
                "prices_label": label("prices", r["prices"]),
                "years_text": ", ".join(shown) or "–",
            }
        )
    return out


def sensitivity_table(sensitivity: pd.DataFrame) -> list[dict]:
    out = []
    for r in records(sensitivity.sort_values(["claim_key", "comparison", "prices"])):
        out.append(
            {
                **r,
                "anchor": sensitivity_anchor(r["claim_key"], r["comparison"], r["prices"]),
                "key_label": label("claim_key", r["claim_key"]),
                "comparison_label": label("comparison", r["comparison"]),
                "prices_label": label("prices", r["prices"]),
            }
        )
    return out


def eras_table(eras: pd.DataFrame, names) -> list[dict]:
    out = []
    for r in records(eras[eras["table"].isin([3, 4, 5])]):
        out.append(
            {
                **r,
                "series_label": names(r["table"], r["series"]),
                "prices_label": label("prices", r["prices"]),
                "comparison_label": label("comparison", r["comparison"]),
            }
        )
    return out


def growth_table(growth: pd.DataFrame, main: list, names) -> list[dict]:
    periods = growth[
        (growth["row_type"] == "period") & growth["era"].fillna("after_2012").eq("after_2012")
    ]
    out = []
    for r in records(
        _featured(periods, main).sort_values(["table", "series", "prices", "start_year"])
    ):
        out.append(
            {
                **r,
                "series_label": names(r["table"], r["series"]),
                "prices_label": label("prices", r["prices"]),
            }
        )
    return out


def checks_table(checks: pd.DataFrame, names) -> list[dict]:
    out = []
    for r in records(checks):
        out.append(
            {
                **r,
                "status_label": label("status", r["status"]),
                "type_label": label("check_type", r["check_type"]),
                "series_label": names(r["table"], r["series"]),
            }
        )
    return out


def definitions(mapping: dict | None) -> list[dict]:
    """[{key, en, zh}] of a definitions dict (verdicts, evidence classes)."""
    return [{"key": key, **value} for key, value in (mapping or {}).items()]


__all__ = ["text"]
