"""Data files shipped inside the nlpaug package (MIT licence): keyboard maps and the misspelling list.

We read nlpaug's data and sample with our own Generator instead of calling its
augmenters: they draw from Python's global `random`, and its spelling dictionary
is built through `set`, so its choices change from one process to the next.
Locating the files uses `find_spec`, which does not import nlpaug.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from functools import lru_cache
from pathlib import Path

from ..core.augmenter import Health
from ._tokens import is_single_word

KEYBOARD_LAYOUTS = ("en", "de", "es", "fr", "it", "nl", "pl", "tr", "uk", "he", "th")
_LOCK = threading.Lock()


def resource(*parts: str) -> Path | None:
    """Path of a file under nlpaug's `res/` folder, or None when nlpaug is not installed."""
    spec = importlib.util.find_spec("nlpaug")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent.joinpath("res", *parts)


def health(*parts: str) -> Health:
    path = resource(*parts)
    if path is None:
        return Health("disabled", "nlpaug is not installed: run make setup (or pip install nlpaug)")
    if not path.is_file():
        return Health("disabled", f"nlpaug's data file {'/'.join(parts)} is missing from {path.parent}")
    return Health()


@lru_cache(maxsize=None)
def keyboard(layout: str) -> dict[str, tuple[str, ...]]:
    """Key -> neighbouring keys on that layout (lowercase keys; a value may be one string)."""
    path = resource("char", "keyboard", f"{layout}.json")
    with open(path, encoding="utf-8") as handle:
        raw = json.load(handle)
    return {key: tuple([values] if isinstance(values, str) else values) for key, values in raw.items()}


@lru_cache(maxsize=None)
def ocr_pairs() -> tuple[tuple[str, str], ...]:
    """nlpaug's OCR confusions as (seen, read-as) pairs, keeping letters and digits only."""
    path = resource("char", "ocr", "en.json")
    with open(path, encoding="utf-8") as handle:
        raw = json.load(handle)
    return tuple((k, v) for k, values in raw.items() for v in values if k.isalnum() and v.isalnum())


def spelling() -> dict[str, tuple[str, ...]]:
    """Correct word -> its common misspellings, in a fixed order (sorted)."""
    with _LOCK:  # 13,550 lines: read once per process, on first use
        return _spelling()


@lru_cache(maxsize=1)
def _spelling() -> dict[str, tuple[str, ...]]:
    merged: dict[str, set[str]] = {}
    path = resource("word", "spelling", "spelling_en.txt")
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            key, *values = line.split()
            if not values:
                continue
            if any(ch.isdigit() for ch in key):  # "3 15" is a transcription slip, not a spelling
                continue
            # Some entries are markup or two words ("[[th", "be?ause"): keep clean single words.
            merged.setdefault(key, set()).update(
                v for v in values if v != key and is_single_word(v) and not any(ch.isdigit() for ch in v)
            )
    return {key: tuple(sorted(values)) for key, values in merged.items() if values}
