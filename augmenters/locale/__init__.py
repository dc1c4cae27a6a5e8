"""Augmenters' words in other languages: descriptions, cautions and setting help, per op.

English lives on the augmenter itself (one file per op); each other language is one YAML file
here (`ko.yaml`), keyed by op name and setting name. A missing entry falls back to English,
and `missing(language)` names every one, so a test can hold each language complete.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from ..core.augmenter import Augmenter
from ..core.params import Param

ENGLISH = "en"
LANGUAGES = (ENGLISH, "ko")
_HERE = Path(__file__).resolve().parent


@functools.cache
def _catalogue(language: str) -> dict[str, Any]:
    if language == ENGLISH:
        return {}
    return yaml.safe_load((_HERE / f"{language}.yaml").read_text(encoding="utf-8")) or {}


def _entry(augmenter: Augmenter, language: str) -> dict[str, Any]:
    return (_catalogue(language).get("ops") or {}).get(augmenter.name) or {}


def _field(augmenter: Augmenter, field: str, language: str) -> str | None:
    english = getattr(augmenter, field)
    if language == ENGLISH or not english:
        return english
    return _entry(augmenter, language).get(field)


def _help(augmenter: Augmenter, param: Param, language: str) -> str | None:
    if language == ENGLISH or not param.help:
        return param.help
    own = (_entry(augmenter, language).get("settings") or {}).get(param.name)
    if own:
        return own
    # A help text many ops share counts only while its English is still the op's English.
    shared = (_catalogue(language).get("shared_settings") or {}).get(param.name) or []
    return next((item.get(language) for item in shared if item.get("en") == param.help), None)


def description(augmenter: Augmenter, language: str = ENGLISH) -> str:
    return _field(augmenter, "description", language) or augmenter.description


def caution(augmenter: Augmenter, language: str = ENGLISH) -> str:
    return _field(augmenter, "caution", language) or augmenter.caution


def setting_help(augmenter: Augmenter, param: Param, language: str = ENGLISH) -> str:
    return _help(augmenter, param, language) or param.help


def missing(language: str, augmenters: list[Augmenter]) -> list[str]:
    """Every text of these augmenters that has no entry in `language`: `rotate.caution`, `rotate.angle`."""
    gaps = []
    for augmenter in augmenters:
        for field in ("description", "caution"):
            if _field(augmenter, field, language) is None:
                gaps.append(f"{augmenter.name}.{field}")
        gaps.extend(f"{augmenter.name}.{p.name}" for p in augmenter.spec if _help(augmenter, p, language) is None)
    return gaps
