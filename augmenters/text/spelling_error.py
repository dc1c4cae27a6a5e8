"""Replace words by a common misspelling from nlpaug's list (its SpellingAug, sampled with our Generator)."""

from __future__ import annotations

from ..core.params import Spec
from ..core.registry import register
from . import _nlpaug_data
from ._protect import protect_settings
from ._tokens import match_case
from ._word_edits import WordEdit
from ._word_settings import amount_settings

SPELLING_FILE = ("word", "spelling", "spelling_en.txt")


def misspellings(word: str) -> tuple[tuple[str, ...], bool]:
    """The list for this word, and whether it was found only in lowercase (so case must be carried over)."""
    table = _nlpaug_data.spelling()
    if word in table:
        return table[word], False
    return table.get(word.lower(), ()), True


@register("spelling_error")
class SpellingError(WordEdit):
    family = "word"
    backend = "nlpaug-data"
    description = "Replace words by a common human misspelling (nlpaug's English list, ~13,500 entries)."
    caution = "Some listed misspellings are other real words ('the' -> 'then')."
    spec = Spec(*amount_settings("words", p=0.3), *protect_settings())

    def check_health(self):
        return _nlpaug_data.health(*SPELLING_FILE)

    def eligible(self, word, settings):
        return bool(misspellings(word)[0])

    def edit(self, word, settings, rng):
        options, lowered = misspellings(word)
        choice = options[int(rng.integers(len(options)))]
        return match_case(word, choice) if lowered else choice
