"""Swap words with a nearby word (EDA's random swap); punctuation and spacing stay in place."""

from __future__ import annotations

from ..core.augmenter import Augmenter
from ..core.errors import ReplayError
from ..core.params import Check, Fields, Int, Items, Spec
from ..core.registry import register
from ._tokens import count_to_change, tokenize, word_indices
from ._protect import protect_settings, split
from ._rules import TEXT, budget, words_of
from ._word_settings import amount_settings


@register("word_swap")
class WordSwap(Augmenter):
    modality = "text"
    family = "word"
    backend = "python"
    description = "Swap randomly chosen words with a neighbour up to `window` words away."
    caution = "Word order carries meaning: 'dog bites man' is not 'man bites dog'."
    spec = Spec(
        *amount_settings("words"),
        Int("window", default=1, min=1, max=20, help="How far away the swap partner may be, in words"),
        *protect_settings(),
    )

    def sample(self, settings, data, rng):
        tokens = tokenize(data)
        words = [tokens[i] for i in word_indices(tokens)]
        n_swaps = count_to_change(len(words), settings["aug_p"], settings["aug_min"], settings["aug_max"])
        swaps = []
        guarded, free = split(tokens, word_indices(tokens), settings)
        protected = [words[k] for k in guarded]
        if len(free) < 2:
            return {"swaps": swaps, "protected": protected}
        current = list(words)
        for _ in range(n_swaps):
            # Protected words stay where they are: both partners come from the free positions.
            i = free[int(rng.integers(len(free)))]
            near = [f for f in free if f != i and abs(f - i) <= settings["window"]]
            if not near:
                continue
            a, b = sorted((i, near[int(rng.integers(len(near)))]))
            swaps.append({"positions": [a, b], "words": [current[a], current[b]]})
            current[a], current[b] = current[b], current[a]
        return {"swaps": swaps, "protected": protected}

    def param_rules(self, settings, data):
        words = words_of(data)[1]
        n = budget(settings, len(words)) if len(words) >= 2 else 0
        window = settings["window"]

        def pair(positions: list) -> bool:
            return (
                isinstance(positions, list) and len(positions) == 2 and 0 <= positions[0] < positions[1] < len(words)
                and positions[1] - positions[0] <= window
            )

        swap = Fields({"positions": Check(pair, f"two word positions at most {window} apart"), "words": Items(TEXT, least=2, most=2)})
        return {"swaps": Items(swap, most=n), "protected": Items(TEXT, most=len(words))}

    def apply(self, data: str, params: dict) -> str:
        tokens = tokenize(data)
        where = word_indices(tokens)
        for swap in params["swaps"]:
            a, b = swap["positions"]
            if b >= len(where) or [tokens[where[a]], tokens[where[b]]] != swap["words"]:
                raise ReplayError(f"word_swap: the text does not have {swap['words']} at word positions {a}, {b}")
            tokens[where[a]], tokens[where[b]] = tokens[where[b]], tokens[where[a]]
        return "".join(tokens)
