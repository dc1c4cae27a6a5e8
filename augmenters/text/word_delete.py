"""Delete random words (EDA's random deletion), with the space beside each; never all of them."""

from __future__ import annotations

from ..core.augmenter import Augmenter
from ..core.errors import ReplayError
from ..core.params import Spec
from ..core.registry import register
from ._tokens import choose, count_to_change, is_plain_space, tokenize, word_indices
from ._rules import budget, word_changes, words_of
from ._word_settings import amount_settings


@register("word_delete")
class WordDelete(Augmenter):
    modality = "text"
    family = "word"
    backend = "python"
    description = "Delete randomly chosen words, keeping at least one."
    caution = "Deleting 'not' or a number flips or loses the meaning."
    spec = Spec(*amount_settings("words"))

    def sample(self, settings, data, rng):
        tokens = tokenize(data)
        where = word_indices(tokens)
        n = count_to_change(len(where), settings["aug_p"], settings["aug_min"], settings["aug_max"])
        n = min(n, len(where) - 1)  # an empty output is never a useful sample
        if n <= 0:
            return {"deleted": []}
        chosen = choose(rng, len(where), n)
        return {"deleted": [{"position": k, "word": tokens[where[k]]} for k in chosen]}

    def param_rules(self, settings, data):
        n = budget(settings, len(words_of(data)[1]))
        return {"deleted": word_changes(data, min(n, len(words_of(data)[1]) - 1), {})}  # never every word

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
