"""Cut one run of consecutive Korean words (nouns with their particles, adverbs) inside a clause; predicates stay."""

from __future__ import annotations

from ..core.params import Spec
from ..core.registry import register
from . import _kiwi
from ._protect import protect_settings
from ._tokens import count_to_change, tokenize, word_indices
from ._word_settings import amount_settings
from .ko_word_delete import NEGATIONS, movable
from .word_crop import WordCrop


@register("ko_word_crop")
class KoWordCrop(_kiwi.KiwiOp, WordCrop):
    description = "Delete one run of consecutive Korean words inside a clause, never its verb, adjective or endings."
    caution = "A cut can drop the words that carry the label (the subject, an object)."
    spec = Spec(*amount_settings("words", p=0.2), *protect_settings())

    def sample(self, settings, data, rng):
        tokens = tokenize(data)
        where = word_indices(tokens)
        guarded, free, words = movable(tokens, where, settings)
        cuttable = {k for k in free if tokens[where[k]] not in NEGATIONS}
        protected = [tokens[where[k]] for k in guarded]
        n = count_to_change(len(where), settings["aug_p"], settings["aug_min"], settings["aug_max"])
        n = min(n, len(where) - 1)
        while n > 0:  # the longest run of cuttable words of one clause, up to n words
            starts = [
                s for s in range(len(where) - n + 1)
                if all(k in cuttable for k in range(s, s + n)) and words[s].clause == words[s + n - 1].clause
            ]
            if starts:
                start = starts[int(rng.integers(len(starts)))]
                return {"start": start, "words": [tokens[i] for i in where[start : start + n]], "protected": protected}
            n -= 1
        return {"start": 0, "words": [], "protected": protected}
