# Helpers shared by all rule files.
import ast
from functools import cache
from pathlib import Path

import yaml

PACKAGE = "pairing_audit"
PACKAGE_DIR = f"src/{PACKAGE}"
SCRIPTS_DIR = "workflow/scripts"
# One software environment for every rule: the package and its pinned dependencies.
CONDA_ENV = "../envs/pairing-audit.yaml"


@cache
def _package_imports(path):
    """Modules of the package that one Python file imports (absolute or relative)."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            dotted = node.module or ""
            if node.level == 0 and dotted.split(".")[0] != PACKAGE:
                continue
            parts = dotted.split(".")[1:] if node.level == 0 else dotted.split(".")
            parts = [p for p in parts if p]
            # `from pairing_audit import its` names modules; `from .its import x` a module
            names.update(parts[:1] or [alias.name for alias in node.names])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == PACKAGE and len(parts) > 1:
                    names.add(parts[1])
    return {name for name in names if Path(f"{PACKAGE_DIR}/{name}.py").is_file()}


def rule_script(rule_name):
    """Path of a rule's script, relative to the rule files (one script per rule)."""
    return f"../scripts/{rule_name}.py"


def package_modules(rule_name):
    """Package modules a rule's script imports, directly or through other modules.

    Listed as inputs so that editing one reruns exactly the rules that use it
    (Snakemake itself tracks only the script file).
    """
    todo, seen = set(_package_imports(f"{SCRIPTS_DIR}/{rule_name}.py")), set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo |= _package_imports(f"{PACKAGE_DIR}/{name}.py")
    return [f"{PACKAGE_DIR}/{name}.py" for name in sorted(seen)]


MANIFEST = "data/raw/manifest.yaml"


def _raw_files():
    """Raw tables by number, the numeric ones, and the other raw files (data/raw/manifest.yaml)."""
    with open(MANIFEST, encoding="utf-8") as handle:
        files = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["files"]
    tables, numeric, extras = {}, [], [MANIFEST]
    for name, spec in files.items():
        path = f"data/raw/{name}"
        if "table" in spec:
            tables[spec["table"]] = path
            if spec.get("kind", "").startswith("numeric"):
                numeric.append(spec["table"])
        else:
            extras.append(path)
        extras += [f"data/raw/{spec[key]}" for key in ("translations", "links") if key in spec]
    return tables, sorted(numeric), sorted(extras)


# Read from the manifest, the one list of raw files.
RAW_TABLES, NUMERIC_TABLES, RAW_EXTRAS = _raw_files()


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
