"""Short human summaries of sampled params, for captions: what one call did, in a few words.

Records stay exact; a summary is only what a tile shows, so numbers are cut to 4 significant
digits here and nowhere else.
"""

from __future__ import annotations

import math
from typing import Any

SIGNIFICANT = 4
_MAX_ITEMS = 4  # a longer list reads as "[n items]"


def number(value: float | int) -> str:
    """At most 4 significant digits, never exponent notation for a readable magnitude.

    Whole numbers stay whole (a box corner at 1234 px is not 1.234e+03); floats are rounded
    to 4 significant digits (0.8765432 -> 0.8765, 123.456 -> 123.5, 16 digits of a label
    weight -> 4).
    """
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) < 1e15):
        return str(int(value))
    if not math.isfinite(value):
        return str(value)
    digits = SIGNIFICANT - 1 - math.floor(math.log10(abs(value)))
    rounded = round(value, digits) if digits > 0 else round(value)
    if float(rounded).is_integer():
        return str(int(rounded))
    return f"{rounded:.{max(digits, 0)}f}".rstrip("0").rstrip(".")


def value(item: Any) -> str:
    """A param value in a caption: numbers shortened, short lists inline, the rest elided."""
    if isinstance(item, (int, float)) and not isinstance(item, bool):
        return number(item)
    if isinstance(item, (list, tuple)):
        if len(item) > _MAX_ITEMS or any(isinstance(x, (list, tuple, dict)) for x in item):
            return f"[{len(item)} items]"
        return "[" + ", ".join(value(x) for x in item) + "]"
    if isinstance(item, dict):
        return "{…}"
    if isinstance(item, str):
        return repr(item) if len(item) <= 24 else repr(item[:23] + "…")
    return str(item)


def drawn(params: dict, settings: dict | None) -> dict:
    """The values a call drew: not flags or choices, not a setting echoed back as it was set."""
    settings = settings or {}
    return {
        k: v for k, v in params.items() if not isinstance(v, (bool, str)) and not (k in settings and settings[k] == v)
    }


def generic(params: dict, settings: dict | None = None) -> str:
    """`angle=12.5, box=[3, 4, 40, 41]`: the drawn values as key=value."""
    return ", ".join(f"{k}={value(v)}" for k, v in drawn(params, settings).items())
