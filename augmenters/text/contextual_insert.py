"""Insert words a masked language model (BERT by default) finds likely at random places.

`sample` runs the model and records where each word goes (before which word) and the
word; `apply` inserts the recorded words, so replay needs no model. Existing text is
kept byte-identical: each insertion adds the word and one space.
"""

from __future__ import annotations

from ..core.errors import ReplayError
from ..core.params import Spec, passed_through
from ..core.registry import register
from ._contextual import MaskedLMOp, contextual_budget, contextual_settings, mask_inputs, pick_words
from ._masked_lm import choose
from ._rules import TEXT, word_changes
from ._tokens import tokenize, word_indices


@register("contextual_insert")
class ContextualInsert(MaskedLMOp):
    description = "Insert whole words a masked language model predicts, each before a randomly chosen word."
    caution = "An inserted 'not' or 'never' flips the meaning; check the similarity score."
    spec = Spec(*contextual_settings("words (insertions)"))

    def sample(self, settings, data, rng):
        tokens, where, chosen = pick_words(data, settings, rng)
        if not chosen:
            return {"model": settings["model"], "inserted": []}
        logits, vocab = mask_inputs(settings, tokens, [(where[k], where[k]) for k in chosen], after=" ")
        inserted = []
        for k, row in zip(chosen, logits):
            # Avoiding the next word keeps the model from simply doubling it ("the the").
            new = choose(row, vocab, tokens[where[k]], settings["top_k"], settings["temperature"], rng)
            if new is not None:
                inserted.append({"position": k, "before": tokens[where[k]], "word": new})
        return {"model": settings["model"], "inserted": inserted}

    def param_rules(self, settings, data):
        return {**passed_through(settings, "model"), "inserted": word_changes(data, contextual_budget(settings, data), {"word": TEXT}, "before")}

    def apply(self, data: str, params: dict) -> str:
        tokens = tokenize(data)
        where = word_indices(tokens)
        for item in params["inserted"]:
            k = item["position"]
            if k >= len(where) or tokens[where[k]] != item["before"]:
                raise ReplayError(f"contextual_insert: the text has no {item['before']!r} at word position {k}")
            tokens[where[k]] = item["word"] + " " + tokens[where[k]]
        return "".join(tokens)
