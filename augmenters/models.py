"""Where model-based ops get their models: found offline, loaded lazily, cached per process.

A model setting is a Hugging Face id (`Helsinki-NLP/opus-mt-en-de`) or a local directory.
An id is looked up, in order, in `$AUGPLAY_MODELS_DIR/<org>--<name>` (or `<org>/<name>`),
then in the Hugging Face cache. Nothing here touches the network: a model that is in
neither place is reported as missing with a message saying how to provide it.
"""

from __future__ import annotations

import os
import threading
import warnings
from pathlib import Path
from typing import Any, Callable

from .core.augmenter import Health
from .core.errors import AugmenterUnavailableError

MODELS_DIR_ENV = "AUGPLAY_MODELS_DIR"
DEVICE_ENV = "AUGPLAY_DEVICE"
_MARKER_FILE = "config.json"  # every transformers model directory has one


def _looks_like_path(ref: str) -> bool:
    return ref.startswith((".", "/", "~")) or os.sep in ref.replace("/", "", 1) or Path(ref).is_absolute()


def _hf_cache_dir() -> str:
    """Read at call time (huggingface_hub fixes its constant at import), so tests and users can point it elsewhere."""
    if os.environ.get("HF_HUB_CACHE"):
        return os.environ["HF_HUB_CACHE"]
    if os.environ.get("HF_HOME"):
        return os.path.join(os.environ["HF_HOME"], "hub")
    from huggingface_hub import constants

    return constants.HF_HUB_CACHE


def models_dir_candidates(model_id: str) -> list[Path]:
    """Where `$AUGPLAY_MODELS_DIR` may hold a model id: `<org>--<name>`, `<org>/<name>` or `<name>`."""
    root = os.environ.get(MODELS_DIR_ENV)
    if not root:
        return []
    base = Path(root).expanduser()
    names = [model_id.replace("/", "--"), model_id]
    if "/" in model_id:
        names.append(model_id.split("/", 1)[1])
    return [base / name for name in dict.fromkeys(names)]


def resolve(ref: str) -> Path | None:
    """The local directory holding model `ref`, or None when it is not on this machine. Never downloads."""
    if not ref:
        return None
    path = Path(ref).expanduser()
    if (path / _MARKER_FILE).is_file():
        return path
    if _looks_like_path(ref):
        return None
    for candidate in models_dir_candidates(ref):
        if (candidate / _MARKER_FILE).is_file():
            return candidate
    from huggingface_hub import try_to_load_from_cache

    try:
        found = try_to_load_from_cache(ref, _MARKER_FILE, cache_dir=_hf_cache_dir())
    except ValueError:  # not a valid repo id
        return None
    return Path(found).parent if isinstance(found, str) else None


def missing_reason(ref: str) -> str:
    """What a user can do when `ref` is not on this machine."""
    if not ref:
        return "no model is set; give a Hugging Face model id or a local directory"
    if _looks_like_path(ref):
        return f"{ref} is not a model directory (no {_MARKER_FILE} in it); point the setting at a saved model folder"
    folder = ref.replace("/", "--")
    where = os.environ.get(MODELS_DIR_ENV) or f"${MODELS_DIR_ENV}"
    return (
        f"{ref} is not downloaded; on a machine with internet run `huggingface-cli download {ref} "
        f"--local-dir {folder}`, copy that folder to {where}/{folder}, or set the op's model setting to a local "
        "directory holding the model"
    )


def model_health(*refs: str) -> Health:
    """`ok` when every model is on this machine; checked from files only, without loading anything."""
    for ref in refs:
        if resolve(ref) is None:
            return Health("needs_model", missing_reason(ref))
    return Health()


def require(ref: str) -> Path:
    """The model's directory, or AugmenterUnavailableError naming the model and how to provide it."""
    path = resolve(ref)
    if path is None:
        raise AugmenterUnavailableError(missing_reason(ref))
    return path


def device() -> str:
    """`$AUGPLAY_DEVICE` when set, else CUDA when available, else CPU."""
    chosen = os.environ.get(DEVICE_ENV)
    if chosen:
        return chosen
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


class ModelCache:
    """One loaded object per key for the whole process; loads happen once even under concurrent requests."""

    def __init__(self) -> None:
        self._items: dict[tuple, Any] = {}
        self._lock = threading.Lock()
        self._key_locks: dict[tuple, threading.Lock] = {}

    def get(self, key: tuple, load: Callable[[], Any]) -> Any:
        if key in self._items:
            return self._items[key]
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            if key not in self._items:
                self._items[key] = load()
        return self._items[key]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._key_locks.clear()

    def __len__(self) -> int:
        return len(self._items)


cache = ModelCache()


def _offline_kwargs() -> dict:
    return {"local_files_only": True}


def quiet_transformers() -> None:
    """No download-style progress bars on stderr: loads here are local and quick."""
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()


def load_model(ref: str, kind: str, *, quantize: bool = False) -> tuple[Any, Any, str]:
    """(tokenizer, model, device) for `ref`, cached by (directory, kind, device, quantize).

    `kind` is `seq2seq` (translation) or `masked_lm` (fill-mask). int8 dynamic quantisation
    of the Linear layers applies on CPU only; on CUDA the model runs in fp32.
    """
    path = require(ref)
    where = device()
    quantize = quantize and where == "cpu"
    key = (str(path.resolve()), kind, where, quantize)

    def load() -> tuple[Any, Any, str]:
        import torch
        from transformers import AutoModelForMaskedLM, AutoModelForSeq2SeqLM, AutoTokenizer

        quiet_transformers()
        classes = {"seq2seq": AutoModelForSeq2SeqLM, "masked_lm": AutoModelForMaskedLM}
        with warnings.catch_warnings():
            # Known, harmless notices: MarianTokenizer's sacremoses hint, torch's qint8 deprecation.
            warnings.filterwarnings("ignore", message=".*sacremoses.*")
            warnings.filterwarnings("ignore", message=".*quantize_per_tensor.*")
            warnings.filterwarnings("ignore", message=".*torch.ao.quantization is deprecated.*")
            try:
                tokenizer = AutoTokenizer.from_pretrained(str(path), **_offline_kwargs())
                model = classes[kind].from_pretrained(str(path), **_offline_kwargs())
            except (OSError, ValueError) as exc:
                raise AugmenterUnavailableError(f"{ref} at {path} could not be loaded: {exc}") from exc
            model.eval()
            if quantize:
                model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        return tokenizer, model.to(where), where

    return cache.get(key, load)
