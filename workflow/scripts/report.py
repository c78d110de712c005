"""Rule report: every output of the pipeline -> reports/report.html (one self-contained file)."""

import subprocess
from pathlib import Path

import pandas as pd
import yaml

from pairing_audit import figures, report
from pairing_audit.runner import run


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True
        )
        return out.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"


def main():
    inp, params = snakemake.input, snakemake.params
    read = lambda name: pd.read_csv(getattr(inp, name), keep_default_na=True)  # noqa: E731
    claims, summary = read("claims"), read("claims_summary")
    ledger = yaml.safe_load(Path(inp.ledger).read_text(encoding="utf-8"))
    manifest = yaml.safe_load(Path(inp.manifest).read_text(encoding="utf-8"))
    prices, eras, sensitivity = read("prices"), read("eras"), read("headline")
    growth, checks = read("growth"), read("checks")
    events, typology = read("events"), read("typology")
    its, effects, paths, scan = read("its"), read("effects"), read("paths"), read("scan")

    context = report.build_context(
        claims=claims,
        summary=summary,
        documents=ledger["documents"],
        manifest=manifest,
        prices=prices,
        eras=eras,
        sensitivity=sensitivity,
        growth=growth,
        checks=checks,
        its=its,
        effects=effects,
        scan=scan,
        headline_ids=params.headline_claims,
        era_config=params.eras,
    )
    context["figures"] = {
        "timeline": figures.timeline(events),
        "typology": figures.typology_heatmap(typology),
        "series": figures.series_with_eras(
            prices, report.MAIN_SERIES, report.era_shading(params.eras)
        ),
        "its": {
            series: figures.its_paths(report.primary_paths(paths, table, series), title)
            for table, series, title in report.MAIN_SERIES
        },
        "scan": figures.break_scan(
            report.primary_scan(scan),
            [(s, t.split("–")[1].split("(")[0]) for _, s, t in report.MAIN_SERIES],
        ),
    }
    context["about_tolerance_pct"] = round(100 * params.about_tolerance)
    context["provenance"] = {
        "commit": git_commit(),
        "software": report.software_versions(),
        "inputs": [(p, report.sha256(p)) for p in sorted(inp.hashed)],
    }
    html = report.render(report.template_dir(), context)
    out = Path(snakemake.output[0])
    tmp = out.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(out)


run(main, log=snakemake.log[0])
