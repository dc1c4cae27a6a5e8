"""Batched seq2seq translation: length-sorted buckets, optional int8, seeded sampling.

Texts are tokenised once, sorted by token count and cut into buckets of `batch_size`, so
each padded batch wastes little work; results come back in input order. transformers'
`generate` takes no generator, so sampling runs as greedy search behind a logits processor
that draws the next token with its own seeded `torch.Generator` and masks every other
token: a recorded seed reproduces the output and torch's global RNG is never touched.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import Sequence

from ..core.errors import AugmenterUnavailableError

DECODINGS = ("greedy", "beam", "sampling")
_LANGUAGE_TOKEN = re.compile(r"^>>([A-Za-z]{2,3})(?:_[A-Za-z0-9]+)?<<$")


@dataclass(frozen=True)
class Decoding:
    """How to decode; every field lands in the record, so a run can be repeated."""

    method: str = "greedy"
    num_beams: int = 4
    temperature: float = 1.0
    top_k: int = 50
    max_length: int = 256
    batch_size: int = 16
    quantize: bool = True
    engine: str = "transformers"  # or "ctranslate2" (augmenters/text/_ct2.py); never "auto" here

    def generate_kwargs(self) -> dict:
        kwargs: dict = {"max_length": self.max_length}
        if self.method == "sampling":
            kwargs.update(do_sample=False, num_beams=1)  # the sampling itself is SeededSampler's
        elif self.method == "beam":
            kwargs.update(do_sample=False, num_beams=self.num_beams, early_stopping=True)
        else:
            kwargs.update(do_sample=False, num_beams=1)
        return kwargs


def seeded_sampler(seed: int, temperature: float, top_k: int, device: str):
    """A logits processor that samples with its own generator; greedy search then takes its pick."""
    import torch
    from transformers import LogitsProcessor

    class SeededSampler(LogitsProcessor):
        def __init__(self) -> None:
            self.generator = torch.Generator(device=device)
            self.generator.manual_seed(seed)

        def __call__(self, input_ids, scores):
            logits = scores.float() / temperature
            if 0 < top_k < logits.shape[-1]:
                kth = torch.topk(logits, top_k, dim=-1).values[..., -1:]
                logits = logits.masked_fill(logits < kth, float("-inf"))
            choice = torch.multinomial(torch.softmax(logits, dim=-1), 1, generator=self.generator)
            picked = torch.full_like(scores, float("-inf"))
            return picked.scatter_(-1, choice, 0.0)

    return SeededSampler()


def output_limit(input_tokens: int, max_length: int) -> int:
    """Cap a bucket's output at twice its longest input plus a margin (and at `max_length`).

    A translation is rarely twice as long as its source; the cap stops a model that starts
    repeating itself from running to `max_length` and holding up the whole batch.
    """
    return min(max_length, 2 * input_tokens + 10)


def buckets(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """Input positions grouped into batches of similar length (stable for equal lengths)."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]


def language_tokens(tokenizer) -> list[str]:
    """The `>>lang<<` tokens of a multi-target model's vocabulary (none for a one-target model)."""
    return sorted(t for t in tokenizer.get_vocab() if _LANGUAGE_TOKEN.match(t))


def target_token(model_ref: str, tokenizer, language: str | None) -> str | None:
    """The `>>lang<<` token that asks a multi-target model for `language` (a 2-letter code).

    Read from the model's own vocabulary, not a table: `>>de<<`, then `>>de_…<<`, then a
    3-letter code starting with it (`>>deu<<`, `>>zho<<`), a plain code before a scripted one.
    None for a one-target model; an error when the model offers no token for `language`.
    """
    tokens = language_tokens(tokenizer)
    if not tokens or not language:
        return None
    codes = [(t, _LANGUAGE_TOKEN.match(t).group(1).lower()) for t in tokens]  # type: ignore[union-attr]
    for matches in (lambda c: c == language, lambda c: len(c) == 3 and c.startswith(language)):
        found = sorted((t for t, code in codes if matches(code)), key=lambda t: ("_" in t, t))
        if found:
            return found[0]
    raise AugmenterUnavailableError(
        f"{model_ref} translates into several languages ({', '.join(tokens[:8])}{'…' if len(tokens) > 8 else ''}) "
        f"and none of them is {language!r}; pick another model or pivot"
    )


def cached_target_token(model_ref: str, tokenizer, language: str | None) -> str | None:
    """`target_token`, looked up once per model and language: it scans the whole vocabulary
    (58k pieces for opus-mt), which would otherwise run on every call of either engine."""
    from ..models import cache

    return cache.get(("target-token", model_ref, language), lambda: target_token(model_ref, tokenizer, language))


def encode(tokenizer, texts: Sequence[str | None], prefix: str | None = None) -> list[list[int] | None]:
    """Token ids of each text on the model's SOURCE side (Marian keeps separate source and target
    SentencePiece models), after the `>>lang<<` prefix of a multi-target model."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # MarianTokenizer nags about sacremoses, which it does not need here
        return [tokenizer(f"{prefix} {t}" if prefix else t)["input_ids"] if t is not None else None for t in texts]


def translate(
    model_ref: str,
    texts: Sequence[str | None],
    decoding: Decoding,
    seed: int | None = None,
    target_language: str | None = None,
) -> list[str | None]:
    """Translate `texts` with the seq2seq model `model_ref` (an id or a directory), in input order.

    `target_language` picks the output language of a multi-target model (ignored by others).
    A text longer than `max_length` tokens gives None rather than a translation of its
    truncated start (which would silently drop the rest); so does a None input.
    """
    if decoding.engine == "ctranslate2":
        from . import _ct2

        return _ct2.translate(model_ref, texts, decoding, seed, target_language)
    import torch

    from ..models import load_model

    tokenizer, model, device = load_model(model_ref, "seq2seq", quantize=decoding.quantize)
    encoded = encode(tokenizer, texts, cached_target_token(model_ref, tokenizer, target_language))
    todo = [i for i, ids in enumerate(encoded) if ids is not None and len(ids) <= decoding.max_length]
    out: list[str | None] = [None] * len(texts)
    kwargs = decoding.generate_kwargs()
    # Alone at its limit, a row's last token would be the forced end-of-sentence, not a word.
    forced_eos = int(getattr(model.generation_config, "forced_eos_token_id", None) is not None)

    if decoding.method == "sampling":
        if seed is None:
            raise ValueError("sampling needs a seed, so the output can be reproduced")
        from transformers import LogitsProcessorList

        kwargs["logits_processor"] = LogitsProcessorList(
            [seeded_sampler(seed, decoding.temperature, decoding.top_k, device)]
        )

    for part in buckets([len(encoded[i]) for i in todo], decoding.batch_size):
        bucket = [todo[j] for j in part]
        batch = tokenizer.pad({"input_ids": [encoded[i] for i in bucket]}, return_tensors="pt").to(device)
        limits = [output_limit(len(encoded[i]), decoding.max_length) for i in bucket]
        with torch.inference_mode():
            generated = model.generate(**batch, **{**kwargs, "max_length": max(limits)})
        # Each row is cut at its own limit, as if it had been decoded alone: the result
        # does not depend on which sentences shared its bucket.
        rows = [row[: limit - forced_eos] for row, limit in zip(generated.tolist(), limits)]
        for i, text in zip(bucket, tokenizer.batch_decode(rows, skip_special_tokens=True)):
            out[i] = text.strip()
    return out
