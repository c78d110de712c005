"""`snakemake --report`: the figures and the HTML report are in the archive."""

from __future__ import annotations

import zipfile

import pytest

from conftest import snakemake

pytestmark = pytest.mark.e2e


def test_snakemake_report_zip_holds_the_figures(ran, tmp_path):
    archive = tmp_path / "report.zip"
    result = snakemake(ran, "--report", str(archive))
    assert result.returncode == 0, result.stderr[-3000:]
    names = zipfile.ZipFile(archive).namelist()
    for figure in ("timeline.svg", "typology.svg", "series.svg", "break_scan.svg"):
        assert any(name.endswith(figure) for name in names), (figure, names[:20])
    assert sum("its_t" in name and name.endswith(".svg") for name in names) >= 1
    assert any(name.endswith("report.html") and "reports" in name for name in names)
