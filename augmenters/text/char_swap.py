"""Swap random characters with the next one inside random words (nlpaug's RandomCharAug, swap adjacent)."""

from __future__ import annotations

from ..core.params import Spec
from ..core.registry import register
from ._char_edits import CharEdit, char_settings


@register("char_swap")
class CharSwap(CharEdit):
    description = "Swap randomly chosen characters with their right-hand neighbour (typing transpositions)."
    caution = "Swapped letters can make another real word ('form' / 'from')."
    spec = Spec(*char_settings())

    def slots(self, word, settings):
        # Position i swaps i and i+1: both must be letters/digits and differ, or nothing changes.
        return [i for i in range(len(word) - 1) if word[i].isalnum() and word[i + 1].isalnum() and word[i] != word[i + 1]]

    def positions(self, word, settings):
        slots = self.slots(word, settings)
        return [i for i in slots if 0 < i < len(word) - 2] if settings["keep_first_last"] else slots

    def edit(self, word, settings, rng):
        chars = list(word)
        for i in self.pick(word, settings, rng):
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        return "".join(chars)
