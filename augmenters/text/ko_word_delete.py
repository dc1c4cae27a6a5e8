"""Delete Korean words with their particles (EDA's random deletion on Kiwi's analysis); predicates stay."""

from __future__ import annotations

from ..core.params import Items, Spec
from ..core.registry import register
from . import _kiwi
from ._protect import protect_settings, split
from ._rules import TEXT, budget, word_changes, words_of
from ._tokens import choose, count_to_change, tokenize, word_indices
from ._word_settings import amount_settings
from .word_delete import WordDelete


def movable(tokens: list[str], where: list[int], settings: dict) -> tuple[list[int], list[int], dict]:
    """(protected positions, Hangul arguments and modifiers that are not protected, the structure)."""
    guarded, free = split(tokens, where, settings)
    words = _kiwi.structure(tokens, where)
    return guarded, [k for k in free if k in words and not words[k].is_predicate], words


@register("ko_word_delete")
class KoWordDelete(_kiwi.KiwiOp, WordDelete):
    description = "Delete Korean words (a noun with its particle, an adverb); verbs, adjectives and endings stay."
    caution = "Dropping a subject or object can make the sentence vague; negation adverbs (안, 못) are never dropped."
    spec = Spec(*amount_settings("words"), *protect_settings())

    def sample(self, settings, data, rng):
        tokens = tokenize(data)
        where = word_indices(tokens)
        guarded, free, _ = movable(tokens, where, settings)
        free = [k for k in free if tokens[where[k]] not in NEGATIONS]
        n = count_to_change(len(where), settings["aug_p"], settings["aug_min"], settings["aug_max"])
        n = min(n, len(free), len(where) - 1)  # never every word
        chosen = [free[j] for j in choose(rng, len(free), n)] if n > 0 else []
        return {"deleted": [{"position": k, "word": tokens[where[k]]} for k in chosen], "protected": [tokens[where[k]] for k in guarded]}

    def param_rules(self, settings, data):
        where = words_of(data)[1]
        most = min(budget(settings, len(where)), len(where) - 1)
        return {"deleted": word_changes(data, most, {}), "protected": Items(TEXT, most=len(where))}


NEGATIONS = frozenset({"안", "못", "않", "아니", "없이"})
