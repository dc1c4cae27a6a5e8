"""Models in, datasets out: fetch the models the ops use from the Hugging Face Hub, push an export.

The only module that talks to the network, and only when a user asks (`augplay models pull`,
`augplay push`, the app's Download and Push buttons). huggingface_hub fixes `HF_ENDPOINT` and
`HF_HUB_OFFLINE` when it is imported, so both are read here at call time and passed on. The
token comes from the standard login (`HF_TOKEN` or `hf auth login`); augplay never stores or
prints it, and scrubs it from any error it relays.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from .core.errors import AugplayError
from .models import KNOWN_MODELS, MODELS_DIR_ENV, hf_cache_dir, resolve

DEFAULT_ENDPOINT = "https://huggingface.co"
# Files a transformers model needs besides its weights: config and every tokenizer format we load.
MODEL_FILES = (
    "config.json",
    "generation_config.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "added_tokens.json",
    "vocab.json",
    "vocab.txt",
    "merges.txt",
    "*.spm",
    "*.model",  # SentencePiece (spiece.model, sentencepiece.bpe.model)
)
# One weights format, the first the repo has: safetensors loads without pickle and faster.
WEIGHT_FORMATS = (
    ("model.safetensors", "model-*-of-*.safetensors", "model.safetensors.index.json"),
    ("pytorch_model.bin", "pytorch_model-*-of-*.bin", "pytorch_model.bin.index.json"),
)
# Never pushed: the export's journal, lock and temp files (hidden), and the run file, which
# holds this machine's input path (it serves `augplay replay` here, not readers of the dataset).
PUSH_IGNORE = (".*", "*/.*", "augplay-export.json")


class HubError(AugplayError):
    """A download or upload that could not be done, said in one line a user can act on."""


# -- which models ---------------------------------------------------------------------------


@dataclass
class ModelEntry:
    """One model some op can use: which ops, whether a default names it, and where it is here."""

    id: str
    ops: list[str] = field(default_factory=list)
    default: bool = False

    def describe(self) -> dict[str, Any]:
        path = resolve(self.id)
        return {
            "id": self.id,
            "ops": self.ops,
            "default": self.default,
            "status": "present" if path else "missing",
            "path": str(path) if path else None,
            "size": folder_size(path) if path else None,
        }


def catalogue() -> list[ModelEntry]:
    """Every Hub model the registry's ops can use, defaults first, each once."""
    from . import registry

    entries: dict[str, ModelEntry] = {}
    for augmenter in registry.all():
        defaults = augmenter.default_models()
        for model_id in augmenter.model_choices():
            entry = entries.setdefault(model_id, ModelEntry(model_id))
            if augmenter.name not in entry.ops:
                entry.ops.append(augmenter.name)
            entry.default = entry.default or model_id in defaults
    for model_id, user in KNOWN_MODELS.items():  # used on their own when present (the multilingual scorer)
        entries.setdefault(model_id, ModelEntry(model_id, [user], default=True))
    return sorted(entries.values(), key=lambda e: not e.default)  # stable: registry order within each


def default_model_ids() -> list[str]:
    """The models the ops' default settings name: what `--defaults` and a Space's preload fetch."""
    return [entry.id for entry in catalogue() if entry.default]


def folder_size(path: Path) -> int:
    """Bytes of the files in a model folder (the HF cache links to blobs: their size counts)."""
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file() and ".cache" not in p.parts)


def human_size(n: int | None) -> str:
    """The export engine's size wording ("476 MB"), or "" when the size is not known."""
    from .export.run import human_size as sized

    return "" if n is None else sized(n)


# -- talking to the Hub ---------------------------------------------------------------------


def endpoint() -> str:
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def offline() -> bool:
    """Offline when asked now, or when huggingface_hub was imported in offline mode (it keeps that)."""
    from huggingface_hub import constants

    env = os.environ.get("HF_HUB_OFFLINE") or os.environ.get("TRANSFORMERS_OFFLINE")
    return _truthy(env) or constants.is_offline_mode()


def _offline_error(what: str) -> HubError:
    return HubError(f"cannot {what}: offline mode is on (HF_HUB_OFFLINE); unset HF_HUB_OFFLINE and run it again")


def _scrub(text: str, token: str | None) -> str:
    return text.replace(token, "***") if token else text


def _is_connection_error(exc: Exception) -> bool:
    """A refused or timed-out connection, from whichever HTTP library this huggingface_hub uses."""
    kind = type(exc)
    return kind.__module__.split(".")[0].startswith(("httpx", "httpcore", "requests", "urllib3")) and (
        "Connect" in kind.__name__ or "Timeout" in kind.__name__
    ) or isinstance(exc, (ConnectionError, TimeoutError))


def _relay(exc: Exception, what: str, token: str | None = None) -> HubError:
    """One line for a failed Hub call: not found, refused, unreachable, or what the server said."""
    from huggingface_hub.errors import (
        GatedRepoError,
        HfHubHTTPError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    where = endpoint()
    # huggingface_hub wraps the first failure (a 500, a refused connection) in a cache-miss error.
    while isinstance(exc, LocalEntryNotFoundError) and isinstance(exc.__cause__, Exception):
        exc = exc.__cause__
    if isinstance(exc, GatedRepoError):
        message = f"cannot {what}: the repo is gated; accept its terms on {where} and log in (`hf auth login`)"
    elif isinstance(exc, RepositoryNotFoundError):
        message = f"cannot {what}: no such repo on {where}, or it is private and you are not logged in (`hf auth login`)"
    elif isinstance(exc, RevisionNotFoundError):
        message = f"cannot {what}: no such revision on {where}"
    elif isinstance(exc, LocalEntryNotFoundError) or _is_connection_error(exc):
        message = f"cannot {what}: {where} cannot be reached; check the connection (or HF_ENDPOINT) and run it again"
    elif isinstance(exc, HfHubHTTPError):
        status = exc.response.status_code if exc.response is not None else "an error"
        hint = "; log in with a token that can write (`hf auth login`)" if status in (401, 403) else "; run it again"
        message = f"cannot {what}: {where} answered {status}{hint}"
    else:
        message = f"cannot {what}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")
    return HubError(_scrub(message, token))


def _api(token: str | None = None):
    from huggingface_hub import HfApi

    return HfApi(endpoint=endpoint(), token=token)


# -- models in ------------------------------------------------------------------------------


def files_to_fetch(repo_files: Sequence[str]) -> list[str]:
    """The files of a model repo we load: config, tokenizer files and one weights format."""
    keep = [f for f in repo_files if "/" not in f and any(fnmatch.fnmatch(f, pat) for pat in MODEL_FILES)]
    for formats in WEIGHT_FORMATS:
        weights = [f for f in repo_files if "/" not in f and any(fnmatch.fnmatch(f, pat) for pat in formats)]
        if weights:
            return keep + weights
    return keep


def target_for(model_id: str) -> dict[str, str]:
    """Where a pull writes: `$AUGPLAY_MODELS_DIR/<org>--<name>` when set, else the HF cache."""
    root = os.environ.get(MODELS_DIR_ENV)
    if root:
        return {"local_dir": str(Path(root).expanduser() / model_id.replace("/", "--"))}
    return {"cache_dir": hf_cache_dir()}


def pull(model_id: str, tqdm_class: Any = None, log: Callable[[str], None] = lambda _: None) -> Path:
    """Download `model_id` (only the files we load) and return its folder. Re-running resumes:
    finished files are kept and skipped; an interrupted file is fetched again from where the
    connection broke while the process lives, else from the start."""
    from huggingface_hub import snapshot_download

    if model_id.startswith((".", "/", "~")):
        raise HubError(f"{model_id} is a folder, not a Hub model id: nothing to download")
    found = resolve(model_id)
    if found is not None:
        log(f"{model_id}: already here ({found})")
        return found
    if offline():
        raise _offline_error(f"download {model_id}")
    what = f"download {model_id}"
    try:
        files = files_to_fetch(_api().list_repo_files(model_id))
        if not files:
            raise HubError(f"cannot {what}: the repo has no config.json or weights augplay can load")
        log(f"{model_id}: fetching {len(files)} files ({', '.join(files)})")
        snapshot_download(
            model_id, allow_patterns=files, endpoint=endpoint(), tqdm_class=tqdm_class, **target_for(model_id)
        )
    except HubError:
        raise
    except Exception as exc:  # every failure of the client becomes one line
        raise _relay(exc, what) from exc
    path = resolve(model_id)
    if path is None:
        raise HubError(f"cannot {what}: the download finished but no config.json and weights are in it")
    return path


def pull_many(model_ids: Sequence[str], tqdm_class: Any = None, log: Callable[[str], None] = lambda _: None) -> list[Path]:
    """Pull each model in turn; health caches are reset so ops turn ok without a restart."""
    from . import registry

    paths = []
    try:
        for model_id in dict.fromkeys(model_ids):
            paths.append(pull(model_id, tqdm_class=tqdm_class, log=log))
    finally:
        for augmenter in registry.all():
            if augmenter.model_choices():
                type(augmenter).reset_health()
    return paths


# -- datasets out ---------------------------------------------------------------------------


def export_files(export_dir: Path) -> list[str]:
    """The files of an export that a push uploads (relative, sorted)."""
    from huggingface_hub.utils import filter_repo_objects

    root = Path(export_dir)
    every = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    return sorted(filter_repo_objects(every, ignore_patterns=list(PUSH_IGNORE)))


def check_export(export_dir: Path) -> None:
    from .export.journal import JOURNAL
    from .export.writers import CARD, METADATA, PIPELINE

    root = Path(export_dir)
    if not root.is_dir():
        raise HubError(f"{root.name}: no such folder")
    if (root / JOURNAL).exists():
        raise HubError(f"{root.name} is an unfinished export: run the same export again to finish it, then push")
    missing = [name for name in (CARD, PIPELINE) if not (root / name).is_file()]
    if missing or not ((root / METADATA).is_file() or any(root.glob("*.csv")) or any(root.glob("*.jsonl"))):
        raise HubError(f"{root.name} is not an augplay export (no {', '.join(missing) or METADATA}); export into it first")


def token_present() -> bool:
    from huggingface_hub import get_token

    return get_token() is not None


def push(
    export_dir: str | os.PathLike,
    repo_id: str,
    *,
    private: bool = True,
    revision: str | None = None,
    log: Callable[[str], None] = lambda _: None,
) -> str:
    """Upload an export folder as a dataset repo (its card becomes the README); returns the repo's URL.

    Private unless asked otherwise. An existing repo keeps its visibility (the Hub ignores it then).
    """
    from huggingface_hub import get_token

    root = Path(export_dir)
    check_export(root)
    if offline():
        raise _offline_error(f"push to {repo_id}")
    token = get_token()
    if token is None:
        raise HubError("cannot push: not logged in to the Hugging Face Hub; run `hf auth login` or set HF_TOKEN")
    api = _api(token)
    what = f"push to {repo_id}"
    files = export_files(root)
    try:
        api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
        if revision and revision != "main":
            api.create_branch(repo_id, repo_type="dataset", branch=revision, exist_ok=True)
        log(f"uploading {len(files)} files to {repo_id}{f'@{revision}' if revision else ''}")
        api.upload_folder(
            folder_path=str(root),
            repo_id=repo_id,
            repo_type="dataset",
            revision=revision,
            ignore_patterns=list(PUSH_IGNORE),
            commit_message=f"augplay export {root.name}",
        )
    except Exception as exc:
        raise _relay(exc, what, token) from exc
    url = f"{endpoint()}/datasets/{repo_id}"
    return url + (f"/tree/{revision}" if revision else "")
