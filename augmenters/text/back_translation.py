"""Back-translation: English -> pivot language -> English, or Korean -> English -> Korean, with MarianMT.

`sample` runs the models (the only way to know the paraphrase) and records, per sentence,
the source, the pivot text and the output, plus the text's language and the models used;
`apply` writes the recorded outputs back in, so replay needs no model and is exact.
Sampling draws its decode seed from our generator.

The language is decided per text, by the script most of its letters are in (the same test
the similarity score uses): mostly Hangul is Korean, anything else goes the English way.
"""

from __future__ import annotations

from typing import Any, Sequence

from ..core.augmenter import Augmenter, Health
from ..core.errors import AugmenterUnavailableError, ReplayError
from ..core.params import Check, Choice, Flag, Float, Int, Is, Seed, Spec, Text, passed_through
from ..core.registry import register
from ..models import model_health
from ._sentences import core, is_translatable, split
from ._ct2 import ENGINES, resolve_engine
from ._translate import DECODINGS, Decoding, translate

PIVOTS = ("de", "fr", "es", "ru", "zh", "it", "nl")
LANGUAGES = ("auto", "en", "ko")
# Korean goes through English: ko -> en (opus-mt-ko-en), then en -> ko (the Tatoeba-challenge
# "tc-big" model; Helsinki-NLP publishes no plain opus-mt-en-ko).
KOREAN_MODELS = ("Helsinki-NLP/opus-mt-ko-en", "Helsinki-NLP/opus-mt-tc-big-en-ko")
_SEED_LIMIT = 2**31 - 1


def text_language(settings: dict, text: str) -> str:
    """"ko" or "en": the `language` setting, or with "auto" the script of most of the text's letters."""
    if settings["language"] != "auto":
        return settings["language"]
    from ..similarity import script

    return "ko" if script(text) == "Hangul" else "en"


def pivot_for(settings: dict, language: str) -> str:
    """English text goes through the `pivot` setting's language, Korean text through English."""
    return "en" if language == "ko" else settings["pivot"]


def model_ids(settings: dict, language: str = "en") -> tuple[str, str]:
    """(source -> pivot, pivot -> source) model ids or directories for text in `language`.

    A model setting wins over the defaults, whatever the language.
    """
    if language == "ko":
        forward, backward = KOREAN_MODELS
    else:
        pivot = settings["pivot"]
        forward, backward = f"Helsinki-NLP/opus-mt-en-{pivot}", f"Helsinki-NLP/opus-mt-{pivot}-en"
    return settings["forward_model"] or forward, settings["backward_model"] or backward


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
    source_language = params.get("language", "en")  # records from before Korean support are English
    outputs = translate(params["backward"], pivots, decoding, back_seed, target_language=source_language)
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
    description = "Paraphrase by translating to a pivot language and back with MarianMT (opus-mt); Korean goes ko -> en -> ko."
    caution = "Can drop negations, names or numbers and change tone; check the similarity score."
    spec = Spec(
        Choice("language", default="auto", choices=LANGUAGES,
               help="Language of the text; auto: Korean when most letters are Hangul (ko -> en -> ko), else English"),
        Choice("pivot", default="de", choices=PIVOTS, help="Pivot language for English text: en -> pivot -> en"),
        Text("forward_model", default="",
             help="First model (id or directory); empty: Helsinki-NLP/opus-mt-en-<pivot>, for Korean Helsinki-NLP/opus-mt-ko-en"),
        Text("backward_model", default="",
             help="Second model (id or directory); empty: Helsinki-NLP/opus-mt-<pivot>-en, for Korean Helsinki-NLP/opus-mt-tc-big-en-ko"),
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
        """The pair the settings name; with `auto`, the English pair (a Korean text that finds its
        pair missing fails with the command that fetches it)."""
        settings = self.validate_settings(settings)
        return model_ids(settings, "ko" if settings["language"] == "ko" else "en")

    def default_models(self) -> tuple[str, ...]:
        default = self.default_settings()
        return (*model_ids(default, "en"), *model_ids(default, "ko"))

    def model_choices(self) -> tuple[str, ...]:
        default = self.default_settings()
        pivots = sorted(PIVOTS, key=lambda p: p != default["pivot"])  # the default pivot first
        english = [m for pivot in pivots for m in model_ids({**default, "pivot": pivot})]
        return (*english[:2], *KOREAN_MODELS, *english[2:])

    def sample(self, settings, data, rng):
        language = text_language(settings, data)
        forward, backward = model_ids(settings, language)
        params: dict[str, Any] = {
            "language": language,
            "pivot": pivot_for(settings, language),
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
        if sources:
            # Both models up front, so a missing pair is named whole (the Korean one, for Korean text).
            health = model_health(forward, backward)
            if not health.ok:
                raise AugmenterUnavailableError(health.reason)
        results = back_translate_batch(sources, params) if sources else []
        # An empty round trip (the model gave up) keeps the source sentence rather than deleting it.
        params["sentences"] = [
            {"source": s, **r, "output": r["output"] if r["output"] else s} for s, r in zip(sources, results)
        ]
        return params

    def param_rules(self, settings, data):
        language = text_language(settings, data)
        forward, backward = model_ids(settings, language)
        sampling = settings["decoding"] == "sampling"
        sources = [core(p)[1] for p in split(data)[::2] if is_translatable(p)]

        def one_per_sentence(sentences: list) -> bool:
            # Each translatable sentence in order, with a non-empty round trip.
            return [item.get("source") for item in sentences] == sources and all(
                isinstance(item.get("output"), str) and item["output"] for item in sentences
            )

        return {
            **passed_through(settings, "decoding", "top_k", "max_length", "batch_size", "quantize"),
            "language": Is(language),
            "pivot": Is(pivot_for(settings, language)),
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
