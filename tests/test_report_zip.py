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
    # Snakemake's own index page plus our report as a result file
    assert sum(name.endswith("/report.html") for name in names) >= 2
    index = next(n for n in names if n.count("/") == 1 and n.endswith("report.html"))
    text = zipfile.ZipFile(archive).read(index).decode("utf-8")
    # the captions from workflow/report/ are in it (words of our own captions)
    assert "Break-year scan" in text and "pre-break trend carried forward" in text
