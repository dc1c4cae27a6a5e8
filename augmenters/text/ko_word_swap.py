"""Swap two Korean words of one clause, each with its particles (Korean word order is free, particles mark the roles)."""

from __future__ import annotations

from ..core.params import Check, Fields, Items, Spec
from ..core.registry import register
from . import _kiwi
from ._protect import protect_settings
from ._rules import TEXT, budget, words_of
from ._tokens import count_to_change, tokenize, word_indices
from ._word_settings import amount_settings
from .ko_word_delete import movable
from .word_swap import WordSwap


@register("ko_word_swap")
class KoWordSwap(_kiwi.KiwiOp, WordSwap):
    description = "Swap two Korean words (noun + particle, adverb) inside one clause; the predicate stays last."
    caution = "Topic and focus shift with order ('철수가 영희를' vs '영희를 철수가'); roles do not, thanks to the particles."
    spec = Spec(*amount_settings("words"), *protect_settings())

    def sample(self, settings, data, rng):
        tokens = tokenize(data)
        where = word_indices(tokens)
        guarded, free, words = movable(tokens, where, settings)
        n = count_to_change(len(where), settings["aug_p"], settings["aug_min"], settings["aug_max"])
        current = [tokens[i] for i in where]
        swaps = []
        # Distinct pairs, so a second swap never just undoes the first.
        pairs = [(a, b) for a in free for b in free if a < b and words[a].clause == words[b].clause]
        for j in rng.permutation(len(pairs))[:n]:
            a, b = pairs[int(j)]
            swaps.append({"positions": [a, b], "words": [current[a], current[b]]})
            current[a], current[b] = current[b], current[a]
        return {"swaps": swaps, "protected": [tokens[where[k]] for k in guarded]}

    def param_rules(self, settings, data):
        tokens, where = words_of(data)
        _, free, words = movable(tokens, where, settings)

        def pair(positions: list) -> bool:
            return (
                isinstance(positions, list) and len(positions) == 2 and positions[0] < positions[1]
                and all(p in free for p in positions) and words[positions[0]].clause == words[positions[1]].clause
            )

        swap = Fields({"positions": Check(pair, "two movable Korean words of one clause"), "words": Items(TEXT, least=2, most=2)})
        return {"swaps": Items(swap, most=budget(settings, len(where))), "protected": Items(TEXT, most=len(where))}
