"""Replace characters by a neighbouring key on a keyboard layout (nlpaug's KeyboardAug, on its key maps)."""

from __future__ import annotations

from functools import lru_cache

from ..core.params import Choice, Flag, Spec
from ..core.registry import register
from . import _nlpaug_data
from ._char_edits import CharEdit, char_settings, substitute_chars


def _same_kind(a: str, b: str) -> bool:
    return (a.isalpha() and b.isalpha()) or (a.isdigit() and b.isdigit())


@lru_cache(maxsize=4096)
def _neighbours(layout: str, symbols: bool, char: str) -> tuple[str, ...]:
    """Keys next to `char`, in the char's case; letters stay letters and digits digits unless `symbols`."""
    keys = _nlpaug_data.keyboard(layout).get(char.lower(), ())
    if not symbols:
        keys = [k for k in keys if _same_kind(char, k)]
    upper = char != char.lower()
    return tuple(k.upper() if upper else k for k in keys if k.lower() != char.lower())


@lru_cache(maxsize=64)
def _typeable(layout: str, symbols: bool) -> frozenset[str]:
    """Letters and digits of the layout that have at least one neighbour to become."""
    keys = _nlpaug_data.keyboard(layout)
    chars = {c for k in keys for c in (k, k.upper()) if c.isalnum()}
    return frozenset(c for c in chars if _neighbours(layout, symbols, c))


@register("keyboard_typo")
class KeyboardTypo(CharEdit):
    backend = "nlpaug-data"
    description = "Replace characters by a neighbouring key (QWERTY and 10 other layouts from nlpaug), keeping case."
    caution = "Typos can turn a word into another real word; names and codes lose their identity."
    spec = Spec(
        *char_settings(char_p=0.3, word_p=0.3),
        Choice("layout", default="en", choices=_nlpaug_data.KEYBOARD_LAYOUTS, help="Keyboard layout (nlpaug's key maps)"),
        Flag("symbols", default=False, help="Let a letter become a neighbouring digit or symbol too"),
    )

    def check_health(self):
        return _nlpaug_data.health("char", "keyboard", "en.json")

    def neighbours(self, char: str, settings) -> tuple[str, ...]:
        return _neighbours(settings["layout"], settings["symbols"], char)

    def slots(self, word, settings):
        keys = _typeable(settings["layout"], settings["symbols"])
        return [i for i, ch in enumerate(word) if ch in keys]

    def edit(self, word, settings, rng):
        return substitute_chars(word, self.pick(word, settings, rng), lambda char: self.neighbours(char, settings), rng)
