"""Assemble the HTML report from the pipeline's CSVs (Jinja2, autoescape on).

Everything shown is read from the outputs of earlier rules; this module only
selects, formats and arranges. Headline sentences are built from claims.csv and
the model outputs, so they change when the data or the ledger change.
"""

from __future__ import annotations

import base64
import hashlib
import platform
from importlib import metadata
from pathlib import Path

import jinja2
import pandas as pd

VERDICT_ORDER = ["reproduced", "rounding", "discrepant", "unsupported", "not_checkable"]


def main_series(config_list: list[dict]) -> list[tuple[int, str, str]]:
    """(table, series, title) of the series the report features (config report.main_series)."""
    return [(int(m["table"]), m["series"], m["title"]) for m in config_list]


def short_name(title: str) -> str:
    """'Table 3 – central special poverty fund (100m yuan)' -> 'central special poverty fund'."""
    return title.split("–")[-1].split("(")[0].strip()


def figure_name(table: int, series: str) -> str:
    """File stem of a series' interrupted-time-series figure in reports/figures/."""
    return f"its_t{table}_{series}"


PACKAGES = [
    "snakemake",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "seaborn",
    "pandera",
    "jinja2",
]


def data_uri(svg: bytes) -> str:
    """An SVG file as an <img> data URI (inline <svg> copies would clash on element ids)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts with missing values as None (Jinja tests them with `or`)."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def software_versions() -> list[tuple[str, str]]:
    versions = [("python", platform.python_version())]
    return versions + [(name, metadata.version(name)) for name in PACKAGES]


def fmt(value, digits: int = 2) -> str:
    """A number for display: thousands separators, fixed decimals, '–' when missing."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return "–"
    if isinstance(value, str):
        return value
    return f"{value:,.{digits}f}"


def verdict_table(summary: pd.DataFrame, documents: dict) -> list[dict]:
    rows = []
    for record in summary.pipe(records):
        doc = documents.get(record["source"], {})
        rows.append({**record, "citation": doc.get("citation", record["source"])})
    return rows


def headline_sentences(
    claims: pd.DataFrame, ids: list[str], sensitivity: pd.DataFrame
) -> list[dict]:
    """One plain sentence per headline claim: printed vs computed, the verdict, the why."""
    indexed = claims.set_index("claim_id")
    sentences = []
    for claim_id in ids:
        if claim_id not in indexed.index:
            continue
        row = indexed.loc[claim_id]
        if pd.isna(row["claimed_value"]):  # a comparative statement: say what was compared
            text = f"{row['statement']} Checked: {row['computation']}."
        else:
            text = (
                f"{row['statement']} The source prints {row['claimed_value']}; the data give "
                f"{row['computed_value']}: {row['verdict'].replace('_', ' ')}."
            )
        sentences.append({"id": claim_id, "verdict": row["verdict"], "text": text})
    return sentences


def sensitivity_findings(sensitivity: pd.DataFrame) -> list[str]:
    """How the three headline figures move under real prices and the 2013 reading."""
    value = sensitivity.set_index(["claim_key", "comparison", "prices"])["value"]

    def get(key, comparison, prices):
        v = value.get((key, comparison, prices))
        return None if v is None or pd.isna(v) else float(v)

    out = []
    nominal = get("t3_share_2012_2020", "after_2012_from_1986", "nominal")
    real = get("t3_share_2012_2020", "after_2012_from_1986", "real")
    if nominal is not None and real is not None:
        out.append(
            f"The 74.2% share cannot be deflated as printed (no CPI before 1986). Over "
            f"1986–2020, 2012–2020 holds {nominal:.1f}% of central special funds in nominal "
            f"yuan but {real:.1f}% in constant 2020 yuan."
        )
    for key, label in (("t4_direct_aid_ratio", "4.2×"), ("t4_attracted_ratio", "4.95×")):
        real = get(key, "after_2012", "real")
        later = get(key, "after_2013", "nominal")
        if real is not None and later is not None:
            out.append(
                f"The {label} multiplier is {real:.2f}× in constant 2020 yuan, and "
                f"{later:.2f}× (nominal) if 2013 rather than 2012 starts the later era."
            )
    return out


def _primary_term(its: pd.DataFrame, table: int, series: str, breaks: str, term: str):
    """Rows of one term of the primary fit: Prais–Winsten, log scale, nominal prices."""
    return its[
        (its["series"] == series)
        & (its["table"] == table)
        & (its["scale"] == "log")
        & (its["prices"] == "nominal")
        & (its["breaks"].astype(str) == breaks)
        & (its["estimator"] == "prais_winsten")
        & (its["term"] == term)
    ]


def model_findings(its: pd.DataFrame, scan: pd.DataFrame, main: list) -> list[str]:
    """Plain sentences about the primary models (Prais–Winsten, log scale, nominal)."""
    out = []
    for table, series, title in main:
        name = short_name(title)
        for year in ("2012", "2015"):
            jump = _primary_term(its, table, series, year, f"level_change_pct_{year}")
            joint = _primary_term(its, table, series, year, f"joint_{year}")
            if jump.empty or joint.empty:
                continue
            j, p = jump.iloc[0], joint.iloc[0]
            holm = p.get("p_holm")
            p_text = (
                f"Holm-adjusted p = {holm:.3f}" if pd.notna(holm) else f"p = {p['p_value']:.3f}"
            )
            out.append(
                f"{name}, break at {year}: level jump {j['estimate']:+.1f}% "
                f"(95% CI {j['ci_low']:+.1f}% to {j['ci_high']:+.1f}%); joint level+slope test {p_text}."
            )
        sup = scan[
            (scan["series"] == series)
            & (scan["table"] == table)
            & (scan["scale"] == "log")
            & (scan["prices"] == "nominal")
            & (scan["window"] == "full")
            & scan["is_sup_f"]
        ]
        if not sup.empty:
            s = sup.iloc[0]
            out.append(
                f"{name}: the single break that fits best (log scale) is at {int(s['candidate_year'])} "
                f"(sup-F bootstrap p = {s['sup_f_p_boot']:.3f}, {int(s['n_boot'])} draws)."
            )
    return out


def claim_rows(claims: pd.DataFrame) -> list[dict]:
    rows = claims.fillna("").pipe(records)
    for row in rows:
        row["explained"] = {True: "yes", False: "no"}.get(row["explained"], str(row["explained"]))
    return rows


def render(template_dir: Path, context: dict, name: str = "report.html.j2") -> str:
    return environment(template_dir).get_template(name).render(**context)


def environment(template_dir: Path) -> jinja2.Environment:
    """Jinja2 with autoescaping on for HTML templates: source text can never inject markup."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt"] = fmt
    return env


def template_dir() -> Path:
    return Path(__file__).parent / "templates"


ERA_COLOURS = ["#c0504d", "#e39b2d", "#6a8f3a"]


def era_shading(era_config: list[dict]) -> list[dict]:
    """Shade the later era of the first (paper's) split and mark the 2015 step."""
    return [
        {"start": era["first_later_year"], "end": 2020, "colour": ERA_COLOURS[i % len(ERA_COLOURS)]}
        for i, era in enumerate(era_config)
        if era["id"] in ("after_2012", "after_2015")
    ]


def primary_paths(paths: pd.DataFrame, table: int, series: str) -> pd.DataFrame:
    return paths[
        (paths["table"] == table)
        & (paths["series"] == series)
        & (paths["prices"] == "nominal")
        & (paths["estimator"] == "prais_winsten")
        & paths["breaks"].astype(str).isin(["2012", "2015"])
    ].assign(breaks=lambda d: d["breaks"].astype(str))


def primary_scan(scan: pd.DataFrame) -> pd.DataFrame:
    return scan[(scan["scale"] == "log") & (scan["prices"] == "nominal")]


def _main(frame: pd.DataFrame, main: list) -> pd.DataFrame:
    keys = {(t, s) for t, s, _ in main}
    return frame[[(t, s) in keys for t, s in zip(frame["table"], frame["series"], strict=True)]]


def estimates_table(its: pd.DataFrame, main: list) -> list[dict]:
    """Primary estimator, nominal, breaks 2012 and 2015: level/slope terms, both scales."""
    keep = its[
        (its["estimator"] == "prais_winsten")
        & (its["prices"] == "nominal")
        & its["breaks"].astype(str).isin(["2012", "2015"])
        & its["term"].str.match(
            r"^(level_change|slope_change|level_change_pct|post_growth_pct|pre_growth_pct|joint)"
        )
    ]
    return (
        _main(keep, main).sort_values(["table", "series", "scale", "breaks", "term"]).pipe(records)
    )


def estimator_comparison(its: pd.DataFrame, main: list) -> list[dict]:
    """The level jump at 2012 / 2015 (log scale, %, nominal) under each estimator:
    one row per series and break, one cell per estimator."""
    keep = its[
        (its["prices"] == "nominal")
        & (its["scale"] == "log")
        & its["breaks"].astype(str).isin(["2012", "2015"])
        & its["term"].str.match(r"^level_change_pct_")
    ]
    rows = []
    for (table, series, breaks), group in _main(keep, main).groupby(["table", "series", "breaks"]):
        cells = {
            r["estimator"]: f"{r['estimate']:+.1f} ({r['ci_low']:+.1f} to {r['ci_high']:+.1f})"
            for r in group.to_dict("records")
        }
        rows.append({"table": table, "series": series, "breaks": breaks, **cells})
    return rows


def spec_comparison(its: pd.DataFrame, main: list) -> list[dict]:
    """AIC/BIC of every break specification (Prais–Winsten, log, nominal)."""
    fits = its[
        (its["estimator"] == "prais_winsten")
        & (its["prices"] == "nominal")
        & (its["scale"] == "log")
        & (its["term"] == "intercept")
    ]
    fits = _main(fits, main)[["table", "series", "breaks", "aic", "bic", "n_obs", "rho"]].copy()
    fits["delta_aic"] = fits["aic"] - fits.groupby(["table", "series"])["aic"].transform("min")
    return fits.sort_values(["table", "series", "aic"]).pipe(records)


def effects_table(effects: pd.DataFrame, main: list) -> list[dict]:
    keep = effects[
        (effects["estimator"] == "prais_winsten")
        & effects["breaks"].astype(str).isin(["2012", "2015"])
    ]
    return (
        _main(keep, main)
        .sort_values(["table", "series", "scale", "prices", "breaks"])
        .pipe(records)
    )


def scan_summary(scan: pd.DataFrame) -> list[dict]:
    best = scan[scan["is_sup_f"]]
    cols = [
        "table",
        "series",
        "scale",
        "prices",
        "window",
        "candidate_year",
        "f_stat",
        "sup_f_p_boot",
        "n_obs",
    ]
    return best[cols].sort_values(["table", "series", "scale", "prices", "window"]).pipe(records)


def sensitivity_table(sensitivity: pd.DataFrame) -> list[dict]:
    return sensitivity.sort_values(["claim_key", "comparison", "prices"]).pipe(records)


def growth_summary(growth: pd.DataFrame, main: list) -> list[dict]:
    periods = growth[
        (growth["row_type"] == "period") & growth["era"].fillna("after_2012").eq("after_2012")
    ]
    return (
        _main(periods, main).sort_values(["table", "series", "prices", "start_year"]).pipe(records)
    )


def build_context(
    *,
    claims,
    summary,
    documents,
    manifest,
    eras,
    sensitivity,
    growth,
    checks,
    its,
    effects,
    scan,
    headline_ids,
    era_config,
    main,
) -> dict:
    counts = claims["verdict"].value_counts().reindex(VERDICT_ORDER, fill_value=0)
    discrepant = claims[claims["verdict"] == "discrepant"]
    return {
        "n_claims": len(claims),
        "verdict_counts": counts.to_dict(),
        "n_discrepant_explained": int((discrepant["explained"] == True).sum()),  # noqa: E712
        "verdict_table": verdict_table(summary, documents),
        "verdicts": VERDICT_ORDER,
        "headlines": headline_sentences(claims, headline_ids, sensitivity),
        "model_findings": model_findings(its, scan, main),
        "sensitivity_findings": sensitivity_findings(sensitivity),
        "claims": claim_rows(claims),
        "documents": documents,
        "checks": checks.fillna("").pipe(records),
        "n_checks": len(checks),
        "n_check_mismatch": int((checks["status"] != "match").sum()),
        "eras": eras[eras["table"].isin([3, 4, 5])].pipe(records),
        "era_config": era_config,
        "sensitivity": sensitivity_table(sensitivity),
        "growth": growth_summary(growth, main),
        "estimates": estimates_table(its, main),
        "estimators": estimator_comparison(its, main),
        "estimator_names": ["prais_winsten", "ols_hc3", "ols_hac", "arima_ar1"],
        "specs": spec_comparison(its, main),
        "effects": effects_table(effects, main),
        "scan": scan_summary(scan),
        "main_series": [(t, s, title, figure_name(t, s)) for t, s, title in main],
        "manifest": manifest,
    }
