"""Shared fixtures: small hand-made tables in the raw layout."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def manifest() -> dict:
    return yaml.safe_load((ROOT / "data/raw/manifest.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the project (sources, config, raw data, workflow) to run Snakemake in."""
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
        (tmp_path / "shared").symlink_to(shared)
    return dest
