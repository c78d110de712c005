"""Shared fixtures: small hand-made tables in the raw layout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def manifest() -> dict:
    return yaml.safe_load((ROOT / "data/raw/manifest.yaml").read_text(encoding="utf-8"))


def copy_project(tmp_path: Path) -> Path:
    """A copy of the project (config, raw data, workflow, code) to run Snakemake in,
    with ../shared beside it as in a checkout."""
    dest = tmp_path / "project"
    ignore = shutil.ignore_patterns(".snakemake", "__pycache__", "*.egg-info", ".venv", "logs")
    for item in ["Snakefile", "profiles", "workflow", "config", "src", "data/raw", "notebooks"]:
        source = ROOT / item
        if source.is_dir():
            shutil.copytree(source, dest / item, ignore=ignore)
        elif source.exists():
            (dest / item).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / item)
    (dest / "data/processed").mkdir(parents=True, exist_ok=True)
    (dest / "reports").mkdir(exist_ok=True)
    shared = ROOT.parent / "shared"
    if shared.exists():
        (tmp_path / "shared").symlink_to(shared.resolve())
    return dest


def written(root: Path) -> list[str]:
    """Files a run left in data/processed/ and reports/ (the .gitkeep markers aside)."""
    return sorted(
        str(p.relative_to(root))
        for folder in ("data/processed", "reports")
        for p in (root / folder).rglob("*")
        if p.is_file() and p.name != ".gitkeep"
    )


def snakemake(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """Run Snakemake as a user would (plain `snakemake` plus args) in `cwd`."""
    # the copy's own package first, so the code being run is the code being tracked
    env = {**os.environ, "PYTHONPATH": str(cwd / "src")}
    return subprocess.run(
        [sys.executable, "-m", "snakemake", *args], cwd=cwd, capture_output=True, text=True, env=env
    )


@pytest.fixture(scope="session")
def ran(tmp_path_factory) -> Path:
    """The whole workflow, run once cold in a fresh copy; shared by the slow tests."""
    root = copy_project(tmp_path_factory.mktemp("e2e"))
    result = snakemake(root)  # plain `snakemake`: the default profile supplies the rest
    assert result.returncode == 0, result.stderr[-3000:]
    (root.parent / "run.stderr").write_text(result.stderr, encoding="utf-8")
    (root.parent / "run.stdout").write_text(result.stdout, encoding="utf-8")
    return root
