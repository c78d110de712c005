"""Parse-time helpers: package-module inputs derived from imports, config cross-checks."""

from __future__ import annotations

import copy
import modulefinder
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from pairing_audit import code_deps, config_check
from pairing_audit.config_check import config_problems

SCRIPTS = sorted((ROOT / "workflow/scripts").glob("*.py"))
PACKAGE_DIR = ROOT / "src/pairing_audit"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_package_modules_follow_every_import_form(tmp_path):
    package = tmp_path / "src/pairing_audit"
    write(package / "__init__.py", "")
    write(package / "a.py", "from .b import f\nimport os\n")
    write(package / "b.py", "from pairing_audit import c\nfrom . import d\n")
    write(package / "c.py", "import pairing_audit.e as e\n")
    write(package / "d.py", "")
    write(package / "e.py", "from .a import g  # a cycle back to a\n")
    write(package / "unused.py", "")
    script = write(
        tmp_path / "scripts/rule.py",
        "import pandas\nfrom pairing_audit.a import x\nfrom other_package.b import y\n",
    )
    assert code_deps.package_modules(script, package) == [
        f"{package.as_posix()}/{name}.py" for name in ("a", "b", "c", "d", "e")
    ]


def test_a_module_imported_only_inside_a_function_counts(tmp_path):
    package = tmp_path / "src/pairing_audit"
    write(package / "late.py", "")
    script = write(tmp_path / "s.py", "def main():\n    from pairing_audit import late\n")
    assert code_deps.package_modules(script, package) == [f"{package.as_posix()}/late.py"]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_package_modules_agree_with_modulefinder(script):
    """An independent computation: the standard library's modulefinder, restricted to
    the project's src/, lists the package modules each rule script loads."""
    finder = modulefinder.ModuleFinder(path=[str(ROOT / "src")])
    finder.run_script(str(script))
    expected = sorted(
        f"{PACKAGE_DIR.as_posix()}/{name.split('.')[1]}.py"
        for name, module in finder.modules.items()
        if name.startswith("pairing_audit.") and module.__file__
    )
    assert code_deps.package_modules(script, PACKAGE_DIR) == expected


# --- config cross-references -------------------------------------------------------


@pytest.fixture
def config() -> dict:
    return yaml.safe_load((ROOT / "config/config.yaml").read_text(encoding="utf-8"))


def problems(config: dict) -> list[str]:
    return [str(p) for p in config_problems(config, ROOT)]


def test_the_shipped_config_has_no_problems(config):
    assert problems(config) == []


def edited(config: dict, edit) -> dict:
    changed = copy.deepcopy(config)
    edit(changed)
    return changed


CASES = {
    "headline claim not in the ledger": (
        lambda c: c["report"]["headline_claims"].append("w22_no_such_claim"),
        "key report.headline_claims[9]: no claim 'w22_no_such_claim' in config/claims.yaml",
    ),
    "bottom-line claim not in the ledger": (
        lambda c: c["report"]["bottom_line_claims"].append("w22_typo"),
        "key report.bottom_line_claims[1]: no claim 'w22_typo' in config/claims.yaml",
    ),
    "sensitivity claim not in the ledger": (
        lambda c: c["report"]["sensitivity_claims"].update(t3_share_2012_2020="w22_csf_shar"),
        "key report.sensitivity_claims[t3_share_2012_2020]: no claim 'w22_csf_shar'",
    ),
    "shaded era undefined": (
        lambda c: c["report"]["shaded_eras"].append("after_2016"),
        "key report.shaded_eras[2]: unknown era 'after_2016'",
    ),
    "sensitivity era undefined": (
        lambda c: c["report"]["sensitivity_eras"].update(alternative="after_2014"),
        "key report.sensitivity_eras.alternative: unknown era 'after_2014'",
    ),
    "document label for an unknown document": (
        lambda c: c["report"]["document_labels"].update(wang2023={"en": "x", "zh": "x"}),
        "key report.document_labels.wang2023: unknown document 'wang2023'",
    ),
    "document without a label": (
        lambda c: c["report"]["document_labels"].pop("huangshi_case"),
        "key report.document_labels: document 'huangshi_case' of config/claims.yaml has no label",
    ),
    "estimator not registered": (
        lambda c: c["models"]["estimators"].__setitem__(1, "ols_hc4"),
        "key models.estimators[1]: unknown estimator 'ols_hc4'",
    ),
    "primary_breaks name undefined": (
        lambda c: c["models"]["primary_breaks"].append("2019"),
        "key models.primary_breaks[2]: unknown break spec '2019'",
    ),
    "series break_specs name undefined": (
        lambda c: c["models"]["series"][9].update(break_specs=["2015", "2O15"]),
        "key models.series[9].break_specs[1]: unknown break spec '2O15'",
    ),
    "primary breaks undefined": (
        lambda c: c["models"]["primary"].update(breaks="2012+2016"),
        "key models.primary.breaks: unknown break spec '2012+2016'",
    ),
    "primary estimator not fitted": (
        lambda c: c["models"].update(estimators=["ols_hc3"]),
        "key models.primary.estimator: unknown estimator 'prais_winsten'",
    ),
    "break year after the data": (
        lambda c: c["models"]["break_specs"].update({"2021": [2021]}),
        "key models.break_specs.2021: break year 2021 is outside the data of central_special_fund",
    ),
    "break year leaving a short segment": (
        # Table 4 runs 2002-2020: a 2019 break leaves 2019-2020, two years
        lambda c: c["models"]["break_specs"].update({"2019": [2019]}),
        "key models.break_specs.2019: breaks [2019] leave 2 year(s) (2019–2020) in a segment",
    ),
    "model series not in the data": (
        lambda c: c["models"]["series"].append({"table": 4, "series": "direct_aid_fund"}),
        "key models.series[14]: no series 'direct_aid_fund' in table 4",
    ),
    "featured series not fitted": (
        lambda c: c["report"]["main_series"].append(
            {"table": 5, "series": "east_west_social_aid_x", "title": "x"}
        ),
        "key report.main_series[3]: table 5 series 'east_west_social_aid_x' is not in models.series",
    ),
    "era over a table that does not exist": (
        lambda c: c["eras"][0]["tables"].append(8),
        "key eras[0].tables[2]: no table 8 in data/raw/manifest.yaml",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_cross_reference_mistake_is_named(config, case):
    edit, message = CASES[case]
    found = problems(edited(config, edit))
    assert len(found) >= 1
    assert any(message in line for line in found), found
    assert all(line.startswith("config/config.yaml: key ") for line in found)


def test_a_check_skips_when_its_keys_are_absent(config):
    del config["report"]
    assert problems(config) == []


def test_min_years_per_segment_matches_the_fits():
    from pairing_audit import its

    assert config_check.MIN_YEARS_PER_SEGMENT == its.MIN_OBS_SIDE


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: [1, 2\nb: 3\n", r"y\.yaml: line 2, column 2: YAML syntax error"),
        ("a: 1\n  b: 2\n", r"y\.yaml: line 2, column 4: YAML syntax error"),
        ("a: 1\nb: 'open\n", r"y\.yaml: line 3, column 1: YAML syntax error"),
    ],
)
def test_yaml_syntax_errors_name_the_line(tmp_path, text, message):
    from pairing_audit.errors import InputError
    from pairing_audit.yamlio import load_yaml

    path = tmp_path / "y.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_yaml(path)


def test_registered_estimators_read_from_source_match_the_registry():
    from pairing_audit import estimators

    assert config_check.registered_estimators() == list(estimators.REGISTRY)


def test_schema_problems_name_the_key(config):
    del config["prices"]["base_year"]
    found = [
        str(p)
        for p in config_check.schema_problems(config, ROOT / "workflow/schemas/config.schema.yaml")
    ]
    assert any("key prices: 'base_year' is a required property" in line for line in found), found
