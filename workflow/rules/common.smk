# Helpers shared by all rule files.
import re
from pathlib import Path

from pairing_audit import code_deps
from pairing_audit.config_check import check_or_stop, load_or_stop, stop_on_errors
from snakemake.io import get_wildcard_names

PACKAGE = "pairing_audit"
PACKAGE_DIR = f"src/{PACKAGE}"
SCRIPTS_DIR = "workflow/scripts"
# One software environment for every rule: the package and its pinned dependencies.
CONDA_ENV = "../envs/pairing-audit.yaml"


def rule_script(rule_name):
    """Path of a rule's script, relative to the rule files (one script per rule)."""
    return f"../scripts/{rule_name}.py"


def package_modules(rule_name):
    """Package modules a rule's script imports, directly or through other modules
    (src/pairing_audit/code_deps.py). Listed as inputs so that editing one reruns
    exactly the rules that use it (Snakemake itself tracks only the script file)."""
    return code_deps.package_modules(f"{SCRIPTS_DIR}/{rule_name}.py", PACKAGE_DIR)


MANIFEST = "data/raw/manifest.yaml"


def _raw_files():
    """Raw tables by number, the numeric ones, the files attached to a table
    (`translations`, `links`) and the other raw files, all from data/raw/manifest.yaml.
    """
    manifest = load_or_stop(MANIFEST)
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        stop_on_errors(
            [f"{MANIFEST}: key files: expected a mapping of file name -> entry"]
        )
    files = manifest["files"]
    tables, numeric, attached, extras = {}, [], {}, [MANIFEST]
    for name, spec in files.items():
        path = f"data/raw/{name}"
        if "table" in spec:
            tables[spec["table"]] = path
            if spec.get("kind", "").startswith("numeric"):
                numeric.append(spec["table"])
        else:
            extras.append(path)
        for key in ("translations", "links"):
            if key in spec:
                attached[spec["table"], key] = f"data/raw/{spec[key]}"
                extras.append(attached[spec["table"], key])
    return tables, sorted(numeric), attached, sorted(extras)


# Read from the manifest, the one list of raw files.
RAW_TABLES, NUMERIC_TABLES, RAW_ATTACHED, RAW_EXTRAS = _raw_files()

# Before any job: every raw input and the claim ledger exist, and the config's
# cross-references hold (src/pairing_audit/config_check.py).
check_or_stop(config, [*RAW_TABLES.values(), *RAW_EXTRAS, config["claims"]["ledger"]])

# Values of the wildcards in rule outputs, so that `rule all` can name every file
# (no rule's outputs have wildcards at present; a rule that adds one names it here).
OUTPUT_WILDCARDS = {}


def deliverables():
    """Every output of every rule defined so far (wildcards expanded), sorted."""
    files = set()
    for defined in workflow.rules:
        for output in defined.output:
            if output.is_temp:
                continue
            pattern = re.sub(r"\{(\w+),[^{}]*\}", r"{\1}", str(output))
            names = get_wildcard_names(pattern)
            unknown = sorted(names - OUTPUT_WILDCARDS.keys())
            if unknown:
                stop_on_errors(
                    [
                        f"outputs of {defined.name!r} have wildcard {unknown[0]!r}; "
                        "add its values to OUTPUT_WILDCARDS in workflow/rules/common.smk"
                    ]
                )
            files.update(expand(pattern, **{n: OUTPUT_WILDCARDS[n] for n in names}))
    return sorted(files)


def source_documents():
    """The five source documents, hashed into the report when they are beside the
    project (they are not needed to run: the numbers live in data/raw)."""
    folder = Path(config["sources_dir"])
    return sorted(str(p) for p in folder.glob("*.txt")) if folder.is_dir() else []


def print_claim_summary(path="reports/claims_summary.csv"):
    """Claims per document by verdict, printed when a run ends."""
    import csv

    if not Path(path).exists():
        return
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print("\nClaims by verdict (reports/claims_summary.csv):")
    for row in rows:
        print("  " + "  ".join(cell.rjust(w) for cell, w in zip(row, widths)))


def release_scheduler_timers():
    """Cancel the scheduler's pending wake-up timers once the run is over.

    Snakemake's job-rate limiter (--max-jobs-per-timespan, default 100/1s) starts a
    one-second threading.Timer each time it submits jobs, to wake the scheduler
    again. The timers are not daemon threads, so after the last job the interpreter
    waits for the latest one to fire: up to a second of idle time on every run that
    executed anything. The timespan cannot be set below one second (the CLI parses
    "100ms" as 100 minutes), so the leftover timers are cancelled here instead.
    """
    import threading

    for thread in threading.enumerate():
        if isinstance(thread, threading.Timer):
            thread.cancel()
