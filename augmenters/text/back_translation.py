"""Back-translation: English -> pivot language -> English with MarianMT (Helsinki-NLP opus-mt).

`sample` runs the models (the only way to know the paraphrase) and records, per sentence,
the source, the pivot text and the output; `apply` writes the recorded outputs back in,
so replay needs no model and is exact. Sampling draws its decode seed from our generator.
"""

from __future__ import annotations

from typing import Any, Sequence

from ..core.augmenter import Augmenter, Health
from ..core.errors import ReplayError
from ..core.params import Check, Choice, Flag, Float, Int, Is, Seed, Spec, Text, passed_through
from ..core.registry import register
from ..models import model_health
from ._sentences import core, is_translatable, split
from ._ct2 import ENGINES, resolve_engine
from ._translate import DECODINGS, Decoding, translate

PIVOTS = ("de", "fr", "es", "ru", "zh", "it", "nl")
_SEED_LIMIT = 2**31 - 1


def model_ids(settings: dict) -> tuple[str, str]:
    """(en -> pivot, pivot -> en) model ids or directories for these settings."""
    pivot = settings["pivot"]
    forward = settings["forward_model"] or f"Helsinki-NLP/opus-mt-en-{pivot}"
    backward = settings["backward_model"] or f"Helsinki-NLP/opus-mt-{pivot}-en"
    return forward, backward


def decoding_from(params: dict) -> Decoding:
    return Decoding(
        method=params["decoding"],
        num_beams=params["num_beams"],
        temperature=params["temperature"],
        top_k=params["top_k"],
        max_length=params["max_length"],
        batch_size=params["batch_size"],
        quantize=params["quantize"],
        engine=params.get("engine", "transformers"),  # records made before engines existed
    )


def back_translate_batch(texts: Sequence[str], params: dict) -> list[dict]:
    """Round-trip many sentences at once: `[{"pivot": ..., "output": ...}]` in input order.

    `params` holds `forward`, `backward` (model ids or dirs), the decoding fields and, for
    sampling, `seed`. Each direction goes through its model in length-sorted batches.
    A sentence (or pivot) over `max_length` tokens is not translated: its pivot and output
    are "" and it carries a `skipped` reason.
    """
    decoding = decoding_from(params)
    seed = params.get("seed")
    pivots = translate(params["forward"], texts, decoding, seed, target_language=params.get("pivot"))
    back_seed = None if seed is None else (seed + 1) % _SEED_LIMIT
    outputs = translate(params["backward"], pivots, decoding, back_seed, target_language="en")
    results = []
    for p, o in zip(pivots, outputs):
        item = {"pivot": p or "", "output": o or ""}
        if o is None:
            item["skipped"] = f"longer than max_length ({decoding.max_length} tokens)"
        results.append(item)
    return results


@register("back_translation")
class BackTranslation(Augmenter):
    modality = "text"
    family = "sentence"
    backend = "transformers"
    description = "Paraphrase by translating to a pivot language and back with MarianMT (opus-mt)."
    caution = "Can drop negations, names or numbers and change tone; check the similarity score."
    spec = Spec(
        Choice("pivot", default="de", choices=PIVOTS, help="Pivot language: en -> pivot -> en"),
        Text("forward_model", default="", help="en -> pivot model id or directory; empty uses Helsinki-NLP/opus-mt-en-<pivot>"),
        Text("backward_model", default="", help="pivot -> en model id or directory; empty uses Helsinki-NLP/opus-mt-<pivot>-en"),
        Choice("decoding", default="sampling", choices=DECODINGS, help="greedy and beam give one paraphrase; sampling varies by seed"),
        Int("num_beams", default=4, min=1, max=16, help="Beams for beam search"),
        Float("temperature", default=0.8, min=0.05, max=2.0, step=0.05, help="Sampling temperature: higher is more varied"),
        Int("top_k", default=50, min=0, max=1000, help="Sample among the k likeliest tokens (0: all)"),
        Int("max_length", default=256, min=8, max=512, unit="tokens", help="Longest sentence, in model tokens, in and out"),
        Int("batch_size", default=16, min=1, max=256, help="Sentences per model call"),
        Flag("quantize", default=True, help="int8 dynamic quantisation of Linear layers on CPU (faster; ignored on GPU)"),
        Choice("engine", default="auto", choices=ENGINES, help="auto: CTranslate2 for greedy/beam when installed and the models convert, else transformers"),
    )

    def check_health(self) -> Health:
        return model_health(*model_ids(self.default_settings()))

    def health_for(self, settings: dict[str, Any]) -> Health:
        return model_health(*self.models_for(settings))

    def models_for(self, settings: dict[str, Any]) -> tuple[str, ...]:
        return model_ids(self.validate_settings(settings))

    def model_choices(self) -> tuple[str, ...]:
        default = self.default_settings()
        pivots = sorted(PIVOTS, key=lambda p: p != default["pivot"])  # the default pivot first
        return tuple(m for pivot in pivots for m in model_ids({**default, "pivot": pivot}))

    def sample(self, settings, data, rng):
        forward, backward = model_ids(settings)
        params: dict[str, Any] = {
            "pivot": settings["pivot"],
            "forward": forward,
            "backward": backward,
            "decoding": settings["decoding"],
            "num_beams": settings["num_beams"] if settings["decoding"] == "beam" else 1,
            "temperature": round(settings["temperature"], 4),
            "top_k": settings["top_k"],
            "max_length": settings["max_length"],
            "batch_size": settings["batch_size"],
            "quantize": settings["quantize"],
            "seed": int(rng.integers(_SEED_LIMIT)) if settings["decoding"] == "sampling" else None,
            "engine": resolve_engine(settings["engine"], (forward, backward), settings["quantize"], settings["decoding"]),
        }
        pieces = split(data)
        sources = [core(p)[1] for p in pieces[::2] if is_translatable(p)]
        results = back_translate_batch(sources, params) if sources else []
        # An empty round trip (the model gave up) keeps the source sentence rather than deleting it.
        params["sentences"] = [
            {"source": s, **r, "output": r["output"] if r["output"] else s} for s, r in zip(sources, results)
        ]
        return params

    def param_rules(self, settings, data):
        forward, backward = model_ids(settings)
        sampling = settings["decoding"] == "sampling"
        sources = [core(p)[1] for p in split(data)[::2] if is_translatable(p)]

        def one_per_sentence(sentences: list) -> bool:
            # Each translatable sentence in order, with a non-empty round trip.
            return [item.get("source") for item in sentences] == sources and all(
                isinstance(item.get("output"), str) and item["output"] for item in sentences
            )

        return {
            **passed_through(settings, "pivot", "decoding", "top_k", "max_length", "batch_size", "quantize"),
            "forward": Is(forward),
            "backward": Is(backward),
            "num_beams": Is(settings["num_beams"] if settings["decoding"] == "beam" else 1),
            "temperature": Is(round(settings["temperature"], 4)),
            "seed": Seed(_SEED_LIMIT) if sampling else Is(None),
            "engine": Is(settings["engine"]) if settings["engine"] != "auto" else Check(
                lambda engine: engine in ENGINES[1:], "the engine that ran: transformers or ctranslate2"
            ),
            "sentences": Check(one_per_sentence, "one record per translatable sentence, in order"),
        }

    def apply(self, data: str, params: dict) -> str:
        pieces = split(data)
        todo = iter(params["sentences"])
        for k in range(0, len(pieces), 2):
            if not is_translatable(pieces[k]):
                continue
            lead, sentence, trail = core(pieces[k])
            item = next(todo, None)
            if item is None or item["source"] != sentence:
                expected = "nothing" if item is None else repr(item["source"])
                raise ReplayError(f"back_translation: the text has {sentence!r} where the record has {expected}")
            pieces[k] = lead + item["output"] + trail
        if next(todo, None) is not None:
            raise ReplayError("back_translation: the record has more sentences than the text")
        return "".join(pieces)
