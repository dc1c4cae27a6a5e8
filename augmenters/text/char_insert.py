"""Insert random characters into random words (nlpaug's RandomCharAug, action insert)."""

from __future__ import annotations

from ..core.params import Spec
from ..core.registry import register
from ._char_edits import CharEdit, alphabet, alphabet_setting, char_settings


@register("char_insert")
class CharInsert(CharEdit):
    description = "Insert random letters into randomly chosen words."
    caution = "Noisy words can become other real words; keep aug_char_p low for readable text."
    spec = Spec(*char_settings(), alphabet_setting())

    def slots(self, word, settings):
        # Insertion points: before character i, or len(word) for the end.
        return list(range(len(word) + 1))

    def positions(self, word, settings):
        slots = self.slots(word, settings)
        return [i for i in slots if 0 < i < len(word)] if settings["keep_first_last"] else slots

    def edit(self, word, settings, rng):
        letters = alphabet(settings)
        chars = list(word)
        for i in reversed(self.pick(word, settings, rng)):
            chars.insert(i, letters[int(rng.integers(len(letters)))])
        return "".join(chars)
