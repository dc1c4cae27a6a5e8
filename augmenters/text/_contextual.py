"""What contextual_substitute and contextual_insert share: settings, health and picking word positions."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.augmenter import Augmenter, Health
from ..core.params import Flag, Float, Int, Text
from ..models import model_health
from ._tokens import count_to_change, tokenize, word_indices
from ._word_settings import amount_settings

DEFAULT_MODEL = "bert-base-uncased"


def contextual_settings(what: str) -> tuple:
    return (
        Text("model", default=DEFAULT_MODEL, help="Fill-mask model id or local directory (BERT, RoBERTa, ...)"),
        *amount_settings(what, p=0.15),
        Int("top_k", default=10, min=1, max=200, help="Choose among the model's k likeliest whole words"),
        Float("temperature", default=1.0, min=0.05, max=5.0, step=0.05, help="Higher spreads the choice over less likely words"),
        Flag("quantize", default=True, help="int8 dynamic quantisation of Linear layers on CPU (faster; ignored on GPU)"),
    )


def health_for(settings: dict[str, Any]) -> Health:
    return model_health(settings["model"])


def mask_inputs(settings: dict, tokens: list[str], spans: list[tuple[int, int]], after: str = ""):
    """Run the model once over one masked copy per span: (logits per span, allowed vocabulary)."""
    from ..models import load_model
    from ._masked_lm import mask_logits, masked_context, vocabulary

    model, quantize = settings["model"], settings["quantize"]
    tokenizer, _, _ = load_model(model, "masked_lm", quantize=quantize)
    texts = [masked_context(tokens, start, stop, tokenizer.mask_token + after) for start, stop in spans]
    return mask_logits(model, texts, quantize), vocabulary(model, quantize)


def pick_words(data: str, settings: dict, rng: np.random.Generator) -> tuple[list[str], list[int], list[int]]:
    """(tokens, word token indices, chosen word positions sorted): words with at least one letter."""
    tokens = tokenize(data)
    where = word_indices(tokens)
    eligible = [k for k, t in enumerate(where) if any(ch.isalpha() for ch in tokens[t])]
    n = count_to_change(len(eligible), settings["aug_p"], settings["aug_min"], settings["aug_max"])
    if n <= 0:
        return tokens, where, []
    chosen = sorted(eligible[int(i)] for i in rng.choice(len(eligible), size=n, replace=False))
    return tokens, where, chosen


def contextual_budget(settings: dict, data: str) -> int:
    """How many words `pick_words` may choose: the amount settings over the words with a letter."""
    tokens = tokenize(data)
    return count_to_change(sum(any(ch.isalpha() for ch in tokens[t]) for t in word_indices(tokens)), settings["aug_p"], settings["aug_min"], settings["aug_max"])


class MaskedLMOp(Augmenter):
    """What both contextual ops share: a fill-mask model named by the `model` setting."""

    modality = "text"
    family = "word"
    backend = "transformers"

    def check_health(self) -> Health:
        return health_for({"model": DEFAULT_MODEL})

    def health_for(self, settings: dict[str, Any]) -> Health:
        return health_for(self.validate_settings(settings))

    def models_for(self, settings: dict[str, Any]) -> tuple[str, ...]:
        return (self.validate_settings(settings)["model"],)
