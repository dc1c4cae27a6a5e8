"""What each button does, as plain functions: the same loader and Pipeline the CLI uses.

Every handler turns augplay's own errors into `gr.Error` with the human message; anything
unexpected is logged and reported without a traceback or a server path.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
from pathlib import Path
from typing import Any, Callable, TypeVar

import gradio as gr
import numpy as np

from augmenters import AugplayError, Partner, Pipeline, load_image, load_text
from augmenters.pipeline import MAX_SEED

from . import builder
from .codegen import cli_command, python_code
from .limits import Limits, current
from .previews import cache_dir, caption, write_preview

logger = logging.getLogger("augplay.app")

F = TypeVar("F", bound=Callable[..., Any])

INPUT_LABEL, PARTNER_LABEL = "input", "partner"
UI_MAX_SEED = min(MAX_SEED, 2**53 - 1)  # the largest whole number a browser's number box keeps exactly


def human_errors(fn: F) -> F:
    """Show augplay's messages as they are; hide everything else behind a short note."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except gr.Error:
            raise
        except AugplayError as exc:
            raise gr.Error(str(exc), print_exception=False) from None
        except Exception:
            logger.exception("unexpected error in %s", fn.__name__)
            raise gr.Error(
                "Something went wrong inside augplay; the details are in the server log.", print_exception=False
            ) from None

    return wrapper  # type: ignore[return-value]


# -- inputs -------------------------------------------------------------------------------


def _file_name(path: str | None) -> str:
    return Path(path).name if path else "the file"


def read_image(path: str | None, what: str = "an image", limits: Limits | None = None) -> np.ndarray:
    limits = limits or current()
    if not path:
        raise gr.Error(f"Upload {what} or pick an example first.", print_exception=False)
    return load_image(path, max_pixels=limits.max_pixels, max_bytes=limits.max_file_bytes, name=_file_name(path))


def read_text(text: str | None, limits: Limits | None = None) -> str:
    limits = limits or current()
    if not text or not text.strip():
        raise gr.Error("Type or paste some text first.", print_exception=False)
    return load_text(text, max_chars=limits.max_text_chars, name="the text")


def check_seed(seed: Any) -> int:
    if seed is None or isinstance(seed, bool) or float(seed) != int(seed) or not 0 <= int(seed) <= UI_MAX_SEED:
        raise gr.Error(f"The seed must be a whole number from 0 to {UI_MAX_SEED}.", print_exception=False)
    return int(seed)


def check_count(n: Any, limits: Limits | None = None) -> int:
    limits = limits or current()
    if n is None or float(n) != int(n) or not 1 <= int(n) <= limits.max_samples:
        raise gr.Error(f"The number of samples must be from 1 to {limits.max_samples}.", print_exception=False)
    return int(n)


def new_seed() -> int:
    """A fresh seed from the OS (not a global RNG): the point is a value nobody picked."""
    return secrets.randbelow(2**31)


@human_errors
def show_input(path: str | None) -> str | None:
    """Decode the upload with augplay's loader right away, so a bad file is refused at once."""
    if not path:
        return None
    return write_preview(read_image(path), "input")


# -- pipeline builder ---------------------------------------------------------------------


@human_errors
def load_preset(name: str | None, modality: str) -> dict:
    if not name:
        return builder.empty(modality)
    pipeline = Pipeline.load(name)
    if pipeline.modality != modality:
        raise gr.Error(f"Preset {name!r} is for {pipeline.modality}, not {modality}.", print_exception=False)
    return builder.from_pipeline(pipeline)


@human_errors
def add_step(state: dict, op: str | None) -> dict:
    if not op:
        raise gr.Error("Pick an augmenter to add.", print_exception=False)
    return builder.add_step(state, op)


@human_errors
def edit(action: Callable[..., dict], state: dict, *args: Any) -> dict:
    """Run one builder edit (set a setting, move, remove, group) with human errors."""
    return action(state, *args)


@human_errors
def save_yaml(state: dict) -> str:
    pipeline = builder.to_pipeline(state)
    text = pipeline.to_yaml()
    folder = cache_dir() / "yaml" / hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
    folder.mkdir(parents=True, exist_ok=True)
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in pipeline.name) or "pipeline"
    path = folder / f"{stem}.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@human_errors
def load_yaml(path: str | None, modality: str, limits: Limits | None = None) -> dict:
    limits = limits or current()
    if not path:
        raise gr.Error("Choose a pipeline YAML file to load.", print_exception=False)
    name = _file_name(path)
    data = Path(path).read_bytes()
    if len(data) > limits.max_yaml_bytes:
        raise gr.Error(
            f"{name} is larger than {limits.max_yaml_bytes // 1024} KB; a pipeline is much smaller.",
            print_exception=False,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise gr.Error(f"{name} is not a UTF-8 text file.", print_exception=False) from None
    pipeline = Pipeline.from_yaml(text, source=name)
    if pipeline.modality != modality:
        raise gr.Error(
            f"{name} is a {pipeline.modality} pipeline; load it in the {pipeline.modality.title()} tab.",
            print_exception=False,
        )
    return builder.from_pipeline(pipeline)


@human_errors
def show_code(state: dict, seed: Any, n: Any) -> tuple[str, str]:
    pipeline = builder.to_pipeline(state)
    seed, n = check_seed(seed), check_count(n)
    return python_code(pipeline, seed, n), cli_command(pipeline, seed, n)


def pipeline_yaml(state: dict) -> str:
    """The builder's pipeline as YAML, or a note while it is empty."""
    if not state.get("steps"):
        return "# empty pipeline: add a step or pick a preset"
    try:
        return builder.to_pipeline(state).to_yaml()
    except AugplayError as exc:
        return f"# not valid yet: {exc}"


# -- image --------------------------------------------------------------------------------


def _runnable(state: dict) -> Pipeline:
    pipeline = builder.to_pipeline(state)
    pipeline.check_available()
    return pipeline


def _partners(pipeline: Pipeline, partner_path: str | None) -> tuple[list[Partner] | None, str | None]:
    """Mixing ops get the partner image and soft labels; other pipelines ignore the partner box."""
    if not pipeline.needs_partner:
        return None, None
    partner = read_image(partner_path, "a partner image (this pipeline mixes two images)")
    return [Partner(id=_file_name(partner_path), data=partner, label=PARTNER_LABEL)], INPUT_LABEL


def run_image(
    image: np.ndarray,
    pipeline: Pipeline,
    seed: int,
    indices: range | list[int],
    partners: list[Partner] | None = None,
    label: Any = None,
) -> list[tuple[np.ndarray, dict]]:
    """The in-process core of a preview: exactly `pipeline(image, seed, index)` per sample."""
    return [pipeline(image, seed=seed, index=i, partners=partners, label=label) for i in indices]


@human_errors
def augment_image(path: str | None, state: dict, seed: Any, n: Any, partner_path: str | None = None):
    """Gallery items (file, caption) and the records, one per sample."""
    pipeline = _runnable(state)
    seed, n = check_seed(seed), check_count(n)
    image = read_image(path)
    partners, label = _partners(pipeline, partner_path)
    samples = run_image(image, pipeline, seed, range(n), partners, label)
    steps = pipeline.to_dict()
    gallery = [(write_preview(out, f"sample_{rec['index']:03d}"), caption(rec, steps)) for out, rec in samples]
    return gallery, [rec for _, rec in samples]


@human_errors
def sample_detail(path: str | None, state: dict, seed: Any, index: Any, partner_path: str | None = None):
    """Before/after of one sample and its full record; recomputed, since (seed, index) fixes it."""
    pipeline = _runnable(state)
    seed = check_seed(seed)
    if index is None or int(index) < 0:
        raise gr.Error("Click a sample in the grid first.", print_exception=False)
    image = read_image(path)
    partners, label = _partners(pipeline, partner_path)
    [(out, record)] = run_image(image, pipeline, seed, [int(index)], partners, label)
    return (write_preview(image, "before"), write_preview(out, f"sample_{int(index):03d}")), record


@human_errors
def pin_sample(pins: list | None, state: dict, seed: Any, index: Any) -> list:
    """Keep a sample's exact seed and index (and the pipeline that made it) for export."""
    pipeline = builder.to_pipeline(state)
    seed = check_seed(seed)
    if index is None or int(index) < 0:
        raise gr.Error("Click a sample in the grid first, then pin it.", print_exception=False)
    pin = {"seed": seed, "index": int(index), "pipeline": pipeline.to_dict()}
    pins = list(pins or [])
    if pin not in pins:
        pins.append(pin)
    return pins


# -- text ---------------------------------------------------------------------------------


@human_errors
def augment_text(text: str | None, state: dict, seed: Any, n: Any) -> list[dict]:
    """One row per variant: the text, the record, and the record's similarity/changed when it has them."""
    pipeline = _runnable(state)
    seed, n = check_seed(seed), check_count(n)
    source = read_text(text)
    rows = []
    for index in range(n):
        output, record = pipeline(source, seed=seed, index=index)
        rows.append(
            {
                "index": index,
                "text": output,
                "similarity": record.get("similarity"),
                "changed": record.get("changed"),
                "record": record,
            }
        )
    return rows
