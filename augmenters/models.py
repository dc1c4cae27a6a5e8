"""Where model-based ops get their models: found offline, loaded lazily, cached per process.

A model setting is a Hugging Face id (`Helsinki-NLP/opus-mt-en-de`) or a local directory.
An id is looked up, in order, in `$AUGPLAY_MODELS_DIR/<org>--<name>` (or `<org>/<name>`),
then in the Hugging Face cache. Nothing here touches the network: a model that is in
neither place is reported as missing with a message naming the command that fetches it
(`augplay models pull`, see augmenters/hub.py).
"""

from __future__ import annotations

import os
import threading
import warnings
from pathlib import Path
from typing import Any, Callable, Sequence

from .core.augmenter import Health
from .core.errors import AugmenterUnavailableError

MODELS_DIR_ENV = "AUGPLAY_MODELS_DIR"
DEVICE_ENV = "AUGPLAY_DEVICE"
_MARKER_FILE = "config.json"  # every transformers model directory has one
# One of these makes a directory loadable by our torch path; a folder with only config.json
# (an interrupted download) is not a model yet.
WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json")

# Models no op setting names but augplay uses on its own when they are here, with what uses
# them: `augplay models list` shows them and `augplay models pull --defaults` fetches them.
MULTILINGUAL_SCORER = "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2"
KNOWN_MODELS: dict[str, str] = {MULTILINGUAL_SCORER: "similarity"}


def _looks_like_path(ref: str) -> bool:
    return ref.startswith((".", "/", "~")) or os.sep in ref.replace("/", "", 1) or Path(ref).is_absolute()


def hf_cache_dir() -> str:
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


def is_model_dir(path: Path) -> bool:
    """A saved model: its config and one weights file (not a half-finished download)."""
    return (path / _MARKER_FILE).is_file() and any((path / name).is_file() for name in WEIGHT_FILES)


def resolve(ref: str) -> Path | None:
    """The local directory holding model `ref`, or None when it is not on this machine. Never downloads."""
    if not ref:
        return None
    path = Path(ref).expanduser()
    if is_model_dir(path):
        return path
    if _looks_like_path(ref):
        return None
    for candidate in models_dir_candidates(ref):
        if is_model_dir(candidate):
            return candidate
    from huggingface_hub import try_to_load_from_cache

    try:
        found = try_to_load_from_cache(ref, _MARKER_FILE, cache_dir=hf_cache_dir())
    except ValueError:  # not a valid repo id
        return None
    if not isinstance(found, str):
        return None
    snapshot = Path(found).parent
    return snapshot if is_model_dir(snapshot) else None


def where_looked() -> str:
    """The two places an id is looked up, with their actual values."""
    root = os.environ.get(MODELS_DIR_ENV)
    models_dir = f"${MODELS_DIR_ENV}={root}" if root else f"${MODELS_DIR_ENV} (not set)"
    return f"{models_dir} and the Hugging Face cache {hf_cache_dir()}"


def pull_command(ids: Sequence[str]) -> str:
    return "augplay models pull " + " ".join(ids)


def missing_reason(*refs: str) -> str:
    """What a user can do when models `refs` (all a step needs) are not all on this machine.

    Names every missing model, where it was looked for and the one command that fetches them all.
    """
    if not refs or not all(refs):
        return "no model is set; give a Hugging Face model id or a local directory"
    missing = [ref for ref in refs if resolve(ref) is None] or list(refs)
    folders = [ref for ref in missing if _looks_like_path(ref)]
    ids = [ref for ref in missing if not _looks_like_path(ref)]
    parts = [
        f"{ref} is not a model directory (it needs {_MARKER_FILE} and a weights file); point the setting at a saved model folder"
        for ref in folders
    ]
    if ids:
        needs = f"needs {' and '.join(refs)}; " if len(ids) < len(refs) else ""
        parts.append(
            f"{needs}{' and '.join(ids)} {'is' if len(ids) == 1 else 'are'} not on this machine (looked in {where_looked()}); "
            f"fetch {'it' if len(ids) == 1 else 'them'} with `{pull_command(ids)}`"
        )
    return "; ".join(parts)


def model_health(*refs: str) -> Health:
    """`ok` when every model is on this machine; checked from files only, without loading anything."""
    if any(resolve(ref) is None for ref in refs):
        return Health("needs_model", missing_reason(*refs))
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
