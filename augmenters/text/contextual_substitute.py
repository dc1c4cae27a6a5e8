"""Replace words with ones a masked language model (BERT by default) finds likely in context.

`sample` runs the model and records each position, old word and new word; `apply` writes
the recorded words in, so replay needs no model. Everything else stays byte-identical.
"""

from __future__ import annotations

from ..core.errors import ReplayError
from ..core.params import Spec, passed_through
from ..core.registry import register
from ._contextual import MaskedLMOp, contextual_budget, contextual_settings, mask_inputs, pick_words
from ._masked_lm import choose, match_case
from ._rules import TEXT, word_changes
from ._tokens import tokenize, word_indices


@register("contextual_substitute")
class ContextualSubstitute(MaskedLMOp):
    description = "Replace words with whole words a masked language model predicts in their place."
    caution = "The model may predict an antonym or another name ('good' -> 'bad'); check the similarity score."
    spec = Spec(*contextual_settings("words"))

    def sample(self, settings, data, rng):
        tokens, where, chosen = pick_words(data, settings, rng)
        if not chosen:
            return {"model": settings["model"], "substituted": []}
        logits, vocab = mask_inputs(settings, tokens, [(where[k], where[k] + 1) for k in chosen])
        substituted = []
        for k, row in zip(chosen, logits):
            old = tokens[where[k]]
            new = choose(row, vocab, old, settings["top_k"], settings["temperature"], rng)
            if new is not None:
                substituted.append({"position": k, "word": old, "new": match_case(old, new)})
        return {"model": settings["model"], "substituted": substituted}

    def param_rules(self, settings, data):
        return {**passed_through(settings, "model"), "substituted": word_changes(data, contextual_budget(settings, data), {"new": TEXT})}

    def apply(self, data: str, params: dict) -> str:
        tokens = tokenize(data)
        where = word_indices(tokens)
        for item in params["substituted"]:
            k = item["position"]
            if k >= len(where) or tokens[where[k]] != item["word"]:
                raise ReplayError(f"contextual_substitute: the text has no {item['word']!r} at word position {k}")
            tokens[where[k]] = item["new"]
        return "".join(tokens)
