"""Base of the ops that rewrite some words in place (typos, synonyms, misspellings).

Each op says which words it can edit and how it edits one; this class picks the
words with the caller's Generator, records position, word and replacement, and
replays the record. The token list keeps its length, so untouched tokens stay
byte-identical.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ..core.augmenter import Augmenter
from ..core.errors import ReplayError
from ..core.params import Items
from ._protect import split
from ._rules import TEXT, budget, word_changes, words_of
from ._tokens import count_to_change, is_single_word, tokenize, word_indices


class WordEdit(Augmenter):
    modality = "text"
    backend = "python"
    # The settings holding "how many words": fraction, at least, at most.
    word_amount: ClassVar[tuple[str, str, str]] = ("aug_p", "aug_min", "aug_max")
    # The record key of the new word ("synonym" reads better than "replacement" for synonym_swap).
    replacement_key: ClassVar[str] = "replacement"
    # Whether a replacement may be several words separated by spaces (multi-word synonyms).
    multi_word: ClassVar[bool] = False

    def eligible(self, word: str, settings: dict[str, Any]) -> bool:
        """Whether `edit` may be tried on this word (cheap; a dictionary lookup at most)."""
        return True

    def edit(self, word: str, settings: dict[str, Any], rng: np.random.Generator) -> str | None:
        """The new word, or None when this word cannot be changed."""
        raise NotImplementedError

    def sample(self, settings, data, rng):
        tokens = tokenize(data)
        where = word_indices(tokens)
        p, lo, hi = (settings[key] for key in self.word_amount)
        # Like nlpaug: the budget counts every word, the choice is among eligible ones.
        n = count_to_change(len(where), p, lo, hi)
        guarded, free = split(tokens, where, settings)
        eligible = [k for k in free if self.eligible(tokens[where[k]], settings)] if n > 0 else []
        changes = []
        for j in rng.permutation(len(eligible)) if eligible else ():
            k = eligible[int(j)]
            word = tokens[where[k]]
            new = self.edit(word, settings, rng)
            # An edit that splits the word ("o'clock" -> "'clock") would shift every later position.
            if new is not None and new != word and (self.multi_word or is_single_word(new)):
                changes.append({"position": k, "word": word, self.replacement_key: new})
                if len(changes) == n:
                    break
        changes.sort(key=lambda c: c["position"])
        if not self.protects:
            return {"changes": changes}
        return {"changes": changes, "protected": [tokens[where[k]] for k in guarded]}

    @property
    def protects(self) -> bool:
        """Whether this op has the protect settings (see _protect) and records what they kept."""
        return self.spec.get("protect") is not None

    def param_rules(self, settings, data):
        where = words_of(data)[1]
        n = budget(settings, len(where), self.word_amount)
        rules = {"changes": word_changes(data, n, {self.replacement_key: TEXT})}
        if self.protects:
            rules["protected"] = Items(TEXT, most=len(where))
        return rules

    def apply(self, data: str, params: dict) -> str:
        tokens = tokenize(data)
        where = word_indices(tokens)
        for change in params["changes"]:
            k, word = change["position"], change["word"]
            if not isinstance(k, int) or not 0 <= k < len(where) or tokens[where[k]] != word:
                raise ReplayError(f"{self.name}: the text has no {word!r} at word position {k}")
            tokens[where[k]] = change[self.replacement_key]
        return "".join(tokens)
