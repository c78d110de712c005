"""Which package modules a rule script runs: its imports, followed transitively.

Snakemake tracks only a rule's script file; the workflow lists these modules among
each rule's inputs (``package_modules`` in workflow/rules/common.smk) so that
editing one module reruns exactly the rules whose scripts use it. Imports are read
from the source with :mod:`ast` (nothing is executed); only the standard library is
imported here, as this runs while Snakemake parses the workflow.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path


@cache
def package_imports(path: str | Path, package_dir: str | Path) -> frozenset[str]:
    """Modules of the package in ``package_dir`` that one Python file imports,
    absolutely (``from pairing_audit.x import f``, ``import pairing_audit.x``,
    ``from pairing_audit import x``) or relatively (``from .x import f``)."""
    package_dir = Path(package_dir)
    package = package_dir.name
    tree = ast.parse(Path(path).read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            dotted = node.module or ""
            if node.level == 0 and dotted.split(".")[0] != package:
                continue
            parts = dotted.split(".")[1:] if node.level == 0 else dotted.split(".")
            parts = [p for p in parts if p]
            # `from pairing_audit import its` names modules; `from .its import x` a module
            names.update(parts[:1] or [alias.name for alias in node.names])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == package and len(parts) > 1:
                    names.add(parts[1])
    return frozenset(name for name in names if (package_dir / f"{name}.py").is_file())


def package_modules(script: str | Path, package_dir: str | Path) -> list[str]:
    """Paths of the package modules ``script`` imports, directly or through other
    modules of the package, sorted."""
    package_dir = Path(package_dir)
    todo, seen = set(package_imports(script, package_dir)), set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo |= package_imports(package_dir / f"{name}.py", package_dir)
    return [f"{package_dir.as_posix()}/{name}.py" for name in sorted(seen)]
