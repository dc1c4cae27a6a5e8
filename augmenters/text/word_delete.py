"""Delete random words (EDA's random deletion), with the space beside each; never all of them."""

from __future__ import annotations

from ..core.augmenter import Augmenter
from ..core.errors import ReplayError
from ..core.params import Items, Spec
from ..core.registry import register
from ._tokens import choose, count_to_change, is_plain_space, tokenize, word_indices
from ._protect import protect_settings, split
from ._rules import TEXT, budget, word_changes, words_of
from ._word_settings import amount_settings


@register("word_delete")
class WordDelete(Augmenter):
    modality = "text"
    family = "word"
    backend = "python"
    description = "Delete randomly chosen words, keeping at least one."
    caution = "Deleting 'not' or a number flips or loses the meaning."
    spec = Spec(*amount_settings("words"), *protect_settings())

    def sample(self, settings, data, rng):
        tokens = tokenize(data)
        where = word_indices(tokens)
        n = count_to_change(len(where), settings["aug_p"], settings["aug_min"], settings["aug_max"])
        n = min(n, len(where) - 1)  # an empty output is never a useful sample
        guarded, free = split(tokens, where, settings)
        n = min(n, len(free))
        chosen = [free[j] for j in choose(rng, len(free), n)] if n > 0 else []
        return {"deleted": [{"position": k, "word": tokens[where[k]]} for k in chosen], "protected": [tokens[where[k]] for k in guarded]}

    def param_rules(self, settings, data):
        n = budget(settings, len(words_of(data)[1]))
        where = words_of(data)[1]
        return {
            "deleted": word_changes(data, min(n, len(where) - 1), {}),  # never every word
            "protected": Items(TEXT, most=len(where)),
        }

    def apply(self, data: str, params: dict) -> str:
        tokens = tokenize(data)
        where = word_indices(tokens)
        drop: set[int] = set()
        for item in params["deleted"]:
            k = item["position"]
            if k >= len(where) or tokens[where[k]] != item["word"]:
                raise ReplayError(f"word_delete: the text has no {item['word']!r} at word position {k}")
            drop.add(where[k])
        for t in sorted(drop):
            # Take one neighbouring run of spaces with the word so no double space is left behind;
            # line breaks and tabs are layout and stay.
            before, after = t - 1, t + 1
            if before >= 0 and is_plain_space(tokens[before]) and before not in drop:
                drop.add(before)
            elif after < len(tokens) and is_plain_space(tokens[after]) and after not in drop:
                drop.add(after)
        return "".join(tok for i, tok in enumerate(tokens) if i not in drop)
