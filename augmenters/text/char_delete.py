"""Delete random characters of random words (nlpaug's RandomCharAug, action delete)."""

from __future__ import annotations

from ..core.params import Spec
from ..core.registry import register
from ._char_edits import CharEdit, char_settings


@register("char_delete")
class CharDelete(CharEdit):
    description = "Delete randomly chosen characters of randomly chosen words, never a whole word."
    caution = "Short words lose their identity fast; min_chars keeps them out."
    spec = Spec(*char_settings())

    def edit(self, word, settings, rng):
        drop = set(self.pick(word, settings, rng, limit=len(word) - 1))
        return "".join(ch for i, ch in enumerate(word) if i not in drop)
