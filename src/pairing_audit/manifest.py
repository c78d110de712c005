"""The provenance manifest of data/raw/: which column is which series, in which unit."""

from __future__ import annotations

from pathlib import Path

from .errors import InputError
from .yamlio import load_yaml


def load_manifest(path: str | Path) -> dict:
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "-", "-", "manifest file not found")
    manifest = load_yaml(path)
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise InputError(path, "-", "files", "expected a mapping with a `files` mapping")
    units = set(manifest.get("units", []))
    for name, spec in manifest.get("files", {}).items():
        for header, series in spec.get("series", {}).items():
            if series.get("unit") not in units:
                raise InputError(
                    path,
                    f"files.{name}.series.{header}",
                    "unit",
                    f"unknown unit {series.get('unit')!r}; known units: {sorted(units)}",
                )
    return manifest


def file_spec(manifest: dict, raw_path: str | Path) -> dict:
    name = Path(raw_path).name
    try:
        return manifest["files"][name]
    except KeyError:
        raise InputError(raw_path, "-", "-", "file has no entry in the manifest") from None
