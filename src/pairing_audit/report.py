"""Render the HTML report (Jinja2, autoescape on).

This module only renders: what is said and featured is computed in ``views`` from
the pipeline's outputs and the config; interface text comes from the i18n
catalogue. The page's one inline script is hashed into its Content-Security-Policy
at build time, so no other script can run.
"""

from __future__ import annotations

import base64
import hashlib
import platform
from importlib import metadata
from pathlib import Path

import jinja2
import pandas as pd
from markupsafe import Markup

from . import featured, i18n, views

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


def data_uri(content: bytes, mime: str = "image/svg+xml") -> str:
    """A file as a data URI (SVGs as <img>: inline copies would clash on element ids)."""
    return f"data:{mime};base64," + base64.b64encode(content).decode("ascii")


def sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def software_versions() -> list[tuple[str, str]]:
    versions = [("python", platform.python_version())]
    return versions + [(name, metadata.version(name)) for name in PACKAGES]


def script_hash(script: str) -> str:
    """CSP source for one inline script: 'sha256-<base64 digest of its exact text>'."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(script: str) -> str:
    return (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src {script_hash(script)}; base-uri 'none'; form-action 'none'"
    )


def template_dir() -> Path:
    return Path(__file__).parent / "templates"


def _finalize(value):
    """Plain text loses bidi controls before escaping; markup built by i18n.both (already
    stripped) and the hashed script pass unchanged."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return i18n.strip_bidi(value)
    return value


def environment(template_dir: Path) -> jinja2.Environment:
    """Jinja2 with autoescaping on: source text can never inject markup; every
    rendered value also loses bidirectional control characters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    env.filters["fmt"] = views.fmt
    env.filters["fmt_p"] = views.fmt_p
    env.filters["both"] = i18n.both
    env.globals["t"] = lambda key: i18n.both(i18n.text(key))
    env.globals["label"] = lambda kind, code: i18n.both(i18n.label(kind, code))
    env.globals["tx"] = i18n.text
    env.globals["tx_label"] = i18n.label
    return env


def render(template_dir: Path, context: dict, name: str = "report.html.j2") -> str:
    env = environment(template_dir)
    script = (
        (template_dir / "report.js").read_text(encoding="utf-8")
        if (template_dir / "report.js").exists()
        else ""
    )
    context = {"script": script, "csp": content_security_policy(script), **context}
    return env.get_template(name).render(**context)


def build_context(
    *,
    claims: pd.DataFrame,
    claims_csv: bytes,
    breakdown: pd.DataFrame,
    summary: pd.DataFrame,
    documents: dict,
    manifest: dict,
    eras: pd.DataFrame,
    sensitivity: pd.DataFrame,
    growth: pd.DataFrame,
    checks: pd.DataFrame,
    its: pd.DataFrame,
    effects: pd.DataFrame,
    scan: pd.DataFrame,
    size: pd.DataFrame,
    mde: pd.DataFrame,
    breakpoints: pd.DataFrame,
    series: pd.DataFrame,
    prices: pd.DataFrame,
    report_cfg: dict,
    models_cfg: dict,
    prices_cfg: dict,
    definitions: dict,
) -> dict:
    """Everything the template shows, from the pipeline's tables and the config."""
    main = featured.main_series(report_cfg["main_series"])
    names = views.SeriesLabels(series)
    primary = views.primary_rows(its)
    breaks = [str(b) for b in models_cfg["primary_breaks"]]
    counts = claims["verdict"].value_counts().reindex(views.VERDICT_ORDER, fill_value=0)
    return {
        "bottom_line": views.bottom_line(
            claims=claims,
            breakdown=breakdown,
            checks=checks,
            primary=primary,
            featured_claims=report_cfg.get("bottom_line_claims", []),
            alpha=report_cfg.get("alpha", 0.05),
            n_documents=len(documents),
            names=names,
            spec=views.primary_spec_text(models_cfg["primary"], models_cfg["break_specs"]),
        ),
        "n_claims": len(claims),
        "verdict_counts": counts.to_dict(),
        "verdicts": views.VERDICT_ORDER,
        "verdict_table": views.verdict_table(summary, documents),
        "by_evidence": views.breakdown_table(breakdown, "evidence", views.EVIDENCE_ORDER),
        "by_kind": views.breakdown_table(breakdown, "number_kind", views.NUMBER_KIND_ORDER),
        "headlines": views.headline_sentences(claims, report_cfg["headline_claims"]),
        "model_findings": views.model_findings(primary, mde, main, names),
        "sensitivity_findings": views.sensitivity_findings(
            sensitivity,
            claims,
            report_cfg["sensitivity_claims"],
            report_cfg["sensitivity_eras"],
            prices_cfg["base_year"],
        ),
        "claims": views.claim_rows(claims),
        "claims_csv_uri": data_uri(claims_csv, "text/csv;charset=utf-8"),
        "evidence_codes": views.EVIDENCE_ORDER,
        "documents": {
            key: {
                **doc,
                "parts": views.citation_parts(doc.get("citation", "")),
                "label": report_cfg.get("document_labels", {}).get(key, {"en": key, "zh": key}),
            }
            for key, doc in documents.items()
        },
        "checks": views.checks_table(checks, names),
        "n_checks": len(checks),
        "n_check_match": int((checks["status"] == "match").sum()),
        "eras": views.eras_table(eras, names),
        "sensitivity": views.sensitivity_table(sensitivity),
        "growth": views.growth_table(growth, main, names),
        "estimates": views.estimates_table(primary, main, names),
        "estimators": views.estimator_comparison(its, main, names, breaks),
        "estimator_names": views.ESTIMATOR_ORDER,
        "specs": views.spec_comparison(its, main, names, primary),
        "effects": views.effects_table(effects, main, names, breaks),
        "scan": views.scan_summary(scan, names),
        "size": views.size_table(size),
        "mde": views.mde_table(mde, main, names),
        "breakpoints": views.breakpoints_table(breakpoints, names),
        "main_series": main,
        "manifest": manifest,
        "verdict_definitions": views.definitions(definitions.get("verdicts")),
        "evidence_definitions": views.definitions(definitions.get("evidence")),
    }
