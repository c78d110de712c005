"""The report's two languages: the catalogue (i18n/catalogue.yaml) and how a pair of
texts becomes markup. English is the default; the page shows one language at a time."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml
from markupsafe import Markup, escape

from .yamlio import SAFE_LOADER

LANGS = ("en", "zh")
HTML_LANG = {"en": "en", "zh": "zh-Hans"}
# Bidirectional embedding/override/isolate controls and marks: in ledger text they
# could make "1.47" display as "74.1"; numbers and ids never need them.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strip_bidi(text: str) -> str:
    return BIDI_CONTROLS.sub("", text)


@cache
def catalogue() -> dict:
    text = resources.files(__package__).joinpath("i18n/catalogue.yaml").read_text("utf-8")
    return yaml.load(text, Loader=SAFE_LOADER)  # libyaml's parser where available


def text(key: str) -> dict:
    """An interface string {en, zh} by key; an unknown key is a KeyError naming it."""
    try:
        return catalogue()["ui"][key]
    except KeyError:
        raise KeyError(f"i18n/catalogue.yaml: no ui text {key!r}") from None


def label(kind: str, code) -> dict:
    """Human label {en, zh} of a code (verdict, unit, estimator ...); unknown codes
    fall back to the code with underscores as spaces, never a crash."""
    if code is None:
        return {"en": "", "zh": ""}
    code = str(code)
    found = catalogue()["labels"].get(kind, {}).get(code)
    if found:
        return found
    plain = code.replace("_", " ")
    return {"en": plain, "zh": plain}


def term_label(term: str) -> dict:
    """'level_change_pct_2012' -> 'level change at 2012, %' (both languages)."""
    terms = catalogue()["labels"]["term"]
    match = re.fullmatch(r"([a-z_]+?)_(\d{4})", term)
    if match and match.group(1) in terms:
        return {lang: terms[match.group(1)][lang].format(year=match.group(2)) for lang in LANGS}
    if term in terms:
        return terms[term]
    return label("term", term)


def pair(en: str, zh: str | None = None) -> dict:
    return {"en": en, "zh": en if zh is None else zh}


def both(value) -> Markup:
    """Markup with one span per language (the page's CSS shows the active one).
    Plain strings and numbers are language-neutral and rendered as they are."""
    if isinstance(value, dict) and set(LANGS) <= set(value):
        # one string, not a Markup.format per language (thousands of calls per report)
        return Markup(
            "".join(
                f'<span lang="{HTML_LANG[lang]}">{escape(strip_bidi(str(value[lang])))}</span>'
                for lang in LANGS
            )
        )
    return escape(strip_bidi("" if value is None else str(value)))
