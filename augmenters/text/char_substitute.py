"""Replace random characters of random words by random ones (nlpaug's RandomCharAug, action substitute)."""

from __future__ import annotations

from ..core.params import Spec
from ..core.registry import register
from ._char_edits import CharEdit, alphabet, alphabet_setting, char_settings, substitute_chars


@register("char_substitute")
class CharSubstitute(CharEdit):
    description = "Replace random characters of randomly chosen words by random letters."
    caution = "Noisy words can become other real words; keep aug_char_p low for readable text."
    spec = Spec(*char_settings(), alphabet_setting())

    def edit(self, word, settings, rng):
        letters = alphabet(settings)
        return substitute_chars(word, self.pick(word, settings, rng), lambda char: letters.replace(char, ""), rng)
