"""Batched seq2seq translation: length-sorted buckets, optional int8, seeded sampling.

Texts are tokenised once, sorted by token count and cut into buckets of `batch_size`, so
each padded batch wastes little work; results come back in input order. Sampling seeds
torch's generator inside `torch.random.fork_rng` under a lock (transformers' `generate`
takes no generator), so a recorded seed reproduces the output and nothing outside changes.
"""

from __future__ import annotations

import threading
import warnings
from dataclasses import dataclass
from typing import Sequence

_SAMPLING_LOCK = threading.Lock()
DECODINGS = ("greedy", "beam", "sampling")


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

    def generate_kwargs(self) -> dict:
        kwargs: dict = {"max_length": self.max_length}
        if self.method == "sampling":
            kwargs.update(do_sample=True, num_beams=1, temperature=self.temperature, top_k=self.top_k, top_p=1.0)
        elif self.method == "beam":
            kwargs.update(do_sample=False, num_beams=self.num_beams, early_stopping=True)
        else:
            kwargs.update(do_sample=False, num_beams=1)
        return kwargs


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


def translate(
    model_ref: str, texts: Sequence[str | None], decoding: Decoding, seed: int | None = None
) -> list[str | None]:
    """Translate `texts` with the seq2seq model `model_ref` (an id or a directory), in input order.

    A text longer than `max_length` tokens gives None rather than a translation of its
    truncated start (which would silently drop the rest); so does a None input.
    """
    import torch

    from ..models import load_model

    tokenizer, model, device = load_model(model_ref, "seq2seq", quantize=decoding.quantize)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # MarianTokenizer nags about sacremoses, which it does not need here
        encoded = [tokenizer(t)["input_ids"] if t is not None else None for t in texts]
    todo = [i for i, ids in enumerate(encoded) if ids is not None and len(ids) <= decoding.max_length]
    out: list[str | None] = [None] * len(texts)
    kwargs = decoding.generate_kwargs()
    # Alone at its limit, a row's last token would be the forced end-of-sentence, not a word.
    forced_eos = int(getattr(model.generation_config, "forced_eos_token_id", None) is not None)

    def run() -> None:
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

    if not todo:
        return out
    if decoding.method == "sampling":
        if seed is None:
            raise ValueError("sampling needs a seed, so the output can be reproduced")
        with _SAMPLING_LOCK, torch.random.fork_rng(devices=[torch.cuda.current_device()] if device == "cuda" else []):
            torch.manual_seed(seed)
            run()
    else:
        run()
    return out
