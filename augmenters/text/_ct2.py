"""The CTranslate2 translation engine: a transformers Marian model converted once, then run by ctranslate2.

Conversion happens on first use into a cache folder (`$AUGPLAY_MODELS_DIR/.ct2/…` when that is
set, else `.ct2/…` inside the model's own folder), keyed by the weights file's size and mtime,
so a replaced model is converted again. The caller's texts are batched by length and cut as
the transformers engine does (CTranslate2's own batching by `batch_size`; `output_limit`), so
both engines decode the same number of tokens per sentence.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
import warnings
from pathlib import Path
from typing import Any, Sequence

from ..core.errors import AugmenterUnavailableError

ENGINES = ("auto", "transformers", "ctranslate2")
_CONVERT_LOCK = threading.Lock()
# CTranslate2 has one process-wide seed, read once per worker thread when that thread first
# samples (src/random.cc: a thread_local mt19937). A cached Translator's worker would carry
# its generator state from call to call, so a sampling call builds a fresh Translator (new
# worker thread) with the seed set, under this lock so no other call changes the seed meanwhile.
_SEED_LOCK = threading.Lock()


def available() -> bool:
    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        return False
    return True


def compute_type(device: str, quantize: bool) -> str:
    """int8 on CPU (float32 without `quantize`); float16 on CUDA (int8_float16 with `quantize`)."""
    if device.startswith("cuda"):
        return "int8_float16" if quantize else "float16"
    return "int8" if quantize else "float32"


def _weights(model_dir: Path) -> Path:
    from ..models import WEIGHT_FILES

    return next(model_dir / name for name in WEIGHT_FILES if (model_dir / name).is_file())


def cache_dir(model_dir: Path, quantization: str) -> Path:
    """Where the converted copy of `model_dir` lives (it may not exist yet)."""
    import ctranslate2

    weights = _weights(model_dir).stat()
    key = f"{model_dir.resolve()}|{weights.st_size}|{weights.st_mtime_ns}|{ctranslate2.__version__}"
    name = f"{model_dir.name}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"
    root = os.environ.get("AUGPLAY_MODELS_DIR")
    base = Path(root).expanduser() / ".ct2" if root else model_dir / ".ct2"
    return base / name / quantization


def convert(model_ref: str, quantization: str) -> Path:
    """The CTranslate2 folder for `model_ref`, converting it first if needed; a human error when it can't be."""
    import ctranslate2

    from ..models import quiet_transformers, require

    model_dir = require(model_ref)
    out = cache_dir(model_dir, quantization)
    if (out / "model.bin").is_file():
        return out
    with _CONVERT_LOCK:
        if (out / "model.bin").is_file():
            return out
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            work = Path(tempfile.mkdtemp(prefix=".converting-", dir=out.parent))
        except OSError as exc:
            raise AugmenterUnavailableError(
                f"{model_ref}: no writable folder for its CTranslate2 copy ({exc.strerror}); "
                "set AUGPLAY_MODELS_DIR to a writable folder or use engine 'transformers'"
            ) from exc
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                quiet_transformers()
                converter = ctranslate2.converters.TransformersConverter(str(model_dir))
                converter.convert(str(work / "model"), quantization=quantization, force=True)
            try:
                os.replace(work / "model", out)  # atomic: a reader sees no half-written model
            except OSError:
                if not (out / "model.bin").is_file():  # another process finished first otherwise
                    raise
        except Exception as exc:  # the converter raises many kinds; all mean "this model can't run here"
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise AugmenterUnavailableError(
                f"{model_ref}: CTranslate2 could not convert this model ({reason}); use engine 'transformers'"
            ) from exc
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return out


def resolve_engine(engine: str, refs: Sequence[str], quantize: bool, decoding: str = "greedy") -> str:
    """The engine a run will use. `auto` is ctranslate2 for greedy and beam decoding when it is
    installed and every model converts; sampling stays on transformers under `auto`, because a
    seeded CTranslate2 call needs a fresh Translator (see _SEED_LOCK): about 0.6 s per opus-mt
    model here, more than it saves on one text."""
    if engine == "transformers" or (engine == "auto" and decoding == "sampling"):
        return "transformers"
    if not available():
        if engine == "auto":
            return "transformers"
        raise AugmenterUnavailableError("engine 'ctranslate2' needs the ctranslate2 package: pip install ctranslate2")
    from ..models import device

    try:
        for ref in refs:
            convert(ref, compute_type(device(), quantize).split("_")[0])
    except AugmenterUnavailableError:
        if engine == "auto":
            return "transformers"
        raise
    return "ctranslate2"


def _translator(folder: Path, where: str, compute: str) -> Any:
    import ctranslate2
    import torch

    # As many threads as torch uses, so the two engines compare on equal cores.
    return ctranslate2.Translator(
        str(folder), device=where, compute_type=compute, inter_threads=1, intra_threads=torch.get_num_threads()
    )


def _cached_translator(folder: Path, where: str, compute: str) -> Any:
    from ..models import cache

    return cache.get(("ctranslate2", str(folder), where, compute), lambda: _translator(folder, where, compute))


def _tokenizer(model_ref: str) -> tuple[Any, int]:
    """(tokenizer, 1 when the model forces an end token at its length limit else 0), cached per process."""
    from ..models import cache, require

    path = require(model_ref)

    def load() -> tuple[Any, int]:
        from transformers import AutoTokenizer, GenerationConfig

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # MarianTokenizer's sacremoses hint
            tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
            try:
                forced = GenerationConfig.from_pretrained(str(path), local_files_only=True).forced_eos_token_id
            except OSError:  # no generation_config.json: the model's config holds it
                from transformers import AutoConfig

                forced = getattr(AutoConfig.from_pretrained(str(path), local_files_only=True), "forced_eos_token_id", None)
        return tokenizer, int(forced is not None)

    return cache.get(("ctranslate2-tokenizer", str(path.resolve())), load)


def translate(model_ref: str, texts: Sequence[str | None], decoding, seed: int | None, target_language: str | None) -> list:
    """`_translate.translate` through CTranslate2: same inputs, same skipping of over-long texts, input order."""
    import ctranslate2

    from ..models import device
    from ._translate import cached_target_token, encode, output_limit

    tokenizer, forced_eos = _tokenizer(model_ref)
    prefix = cached_target_token(model_ref, tokenizer, target_language)
    encoded = encode(tokenizer, texts, prefix)
    todo = [i for i, ids in enumerate(encoded) if ids is not None and len(ids) <= decoding.max_length]
    where = device()
    compute = compute_type(where, decoding.quantize)
    folder = convert(model_ref, compute.split("_")[0])
    # min_decoding_length 0: an end token may come first, as in transformers' generate.
    options: dict[str, Any] = {"beam_size": 1, "sampling_topk": 1}
    if decoding.method == "beam":
        options["beam_size"] = decoding.num_beams
    elif decoding.method == "sampling":
        if seed is None:
            raise ValueError("sampling needs a seed, so the output can be reproduced")
        options.update(sampling_topk=decoding.top_k, sampling_temperature=decoding.temperature)

    def run(translator) -> list:
        out: list = [None] * len(texts)
        if not todo:
            return out
        # transformers counts the decoder's start token and a forced end token in its limit.
        limits = [output_limit(len(encoded[i]), decoding.max_length) - 1 - forced_eos for i in todo]
        source = [tokenizer.convert_ids_to_tokens(encoded[i]) for i in todo]
        # One call: CTranslate2 sorts the texts by length and cuts its own batches of
        # `batch_size` (what `_translate.buckets` does for transformers), ~5 % faster here than
        # a call per batch. Each output is cut at its own limit: greedy and beam outputs are
        # the same whatever the longest limit, which only lets a runaway text go further.
        results = translator.translate_batch(
            source, max_batch_size=decoding.batch_size, max_decoding_length=max(limits), min_decoding_length=0,
            max_input_length=0, **options
        )
        for i, limit, result in zip(todo, limits, results):
            ids = tokenizer.convert_tokens_to_ids(result.hypotheses[0][:limit])
            out[i] = tokenizer.decode(ids, skip_special_tokens=True).strip()
        return out

    if decoding.method != "sampling":
        return run(_cached_translator(folder, where, compute))
    with _SEED_LOCK:
        ctranslate2.set_random_seed(seed)
        return run(_translator(folder, where, compute))
