"""Rule report: every output of the pipeline -> reports/report.html (one self-contained file)."""

import subprocess
from pathlib import Path

from pairing_audit import report, verdicts
from pairing_audit.runner import run_rule
from pairing_audit.tables_in import read_table
from pairing_audit.tables_out import write_bytes
from pairing_audit.yamlio import load_yaml

smk = snakemake

TABLES = (
    "claims",
    "breakdown",
    "claims_summary",
    "eras",
    "headline",
    "growth",
    "checks",
    "its",
    "effects",
    "scan",
    "its_size",
    "mde",
    "breakpoints",
    "series",
    "prices",
)


def git_commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True
        ).stdout.strip()
        return head + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"


def main():
    inp, params = smk.input, smk.params
    read = {name: read_table(getattr(inp, name)) for name in TABLES}
    ledger = load_yaml(inp.ledger)
    manifest = load_yaml(inp.manifest)
    definitions = {
        "verdicts": verdicts.VERDICT_DEFINITIONS,
        "evidence": verdicts.EVIDENCE_DEFINITIONS,
    }
    context = report.build_context(
        claims=read["claims"],
        claims_csv=Path(inp.claims).read_bytes(),
        breakdown=read["breakdown"],
        summary=read["claims_summary"],
        documents=ledger["documents"],
        manifest=manifest,
        eras=read["eras"],
        sensitivity=read["headline"],
        growth=read["growth"],
        checks=read["checks"],
        its=read["its"],
        effects=read["effects"],
        scan=read["scan"],
        size=read["its_size"],
        mde=read["mde"],
        breakpoints=read["breakpoints"],
        series=read["series"],
        prices=read["prices"],
        report_cfg=params.report,
        models_cfg=params.models,
        prices_cfg=params.prices,
        definitions=definitions,
    )
    context["figures"] = {
        Path(path).stem: report.data_uri(Path(path).read_bytes()) for path in inp.figures
    }
    context["about_tolerance_pct"] = round(100 * params.about_tolerance)
    context["provenance"] = {
        "commit": git_commit(),
        "software": report.software_versions(),
        "inputs": [(p, report.sha256(p)) for p in sorted(inp.hashed)],
    }
    html = report.render(report.template_dir(), context)
    write_bytes(html.encode("utf-8"), smk.output[0])


run_rule(main, log=smk.log[0])
