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

from augmenters import AugplayError, Pipeline, load_image, load_text
from augmenters.loader import frame_count, image_mode
from augmenters.export import Encoding, Failed, ImageFilesSource, Rendered, SourceLimits, TextLinesSource, TextSampleSource, render_variants
from augmenters.pipeline import MAX_SEED

from . import builder
from .codegen import cli_command, python_code, text_lines_code, yaml_file_name
from .limits import Limits, current
from .messages import localize
from .previews import cache_dir, caption, write_preview, write_preview_bytes

logger = logging.getLogger("augplay.app")

F = TypeVar("F", bound=Callable[..., Any])

PREVIEW_ENCODING = Encoding(format="preview")  # JPEG q90, PNG when the sample has transparency (DESIGN §8)
TEXT_SOURCE_ID = "text"  # the id typed text is keyed by, as in `augplay preview --input "..."`
UI_MAX_SEED = min(MAX_SEED, 2**53 - 1)  # the largest whole number a browser's number box keeps exactly


def human_errors(fn: F) -> F:
    """Show augplay's messages as they are; hide everything else behind a short note."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except gr.Error as exc:  # written in English here; shown in the session's language
            raise gr.Error(localize(str(exc.message)), print_exception=False) from None
        except AugplayError as exc:
            raise gr.Error(localize(str(exc)), print_exception=False) from None
        except Exception:
            logger.exception("unexpected error in %s", fn.__name__)
            raise gr.Error(
                localize("Something went wrong inside augplay; the details are in the server log."),
                print_exception=False,
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


def note_count(n: Any, limits: Limits | None = None) -> None:
    """Said as the number is typed: the box clamps it when the user leaves it, so say so first."""
    limits = limits or current()
    if n is None:
        return
    if float(n) != int(n):
        gr.Warning(localize(f"The number of samples is a whole number; {n} will not run."))
    elif not 1 <= int(n) <= limits.max_samples:
        bound = 1 if n < 1 else limits.max_samples
        gr.Warning(localize(f"The number of samples is from 1 to {limits.max_samples} here: {n:g} becomes {bound}."))


def new_seed() -> int:
    """A fresh seed from the OS (not a global RNG): the point is a value nobody picked."""
    return secrets.randbelow(2**31)


@human_errors
def show_input(path: str | None) -> str | None:
    """Decode the upload with augplay's loader right away, so a bad file is refused at once."""
    if not path:
        return None
    return write_preview(read_image(path), "input")


def describe_input(path: str | None) -> str:
    """Under the input preview: what the pipeline gets, after augplay's loader (EXIF turned, mode converted)."""
    if not path:
        return ""
    try:
        image = read_image(path)
    except (AugplayError, gr.Error):
        return ""  # show_input already says what is wrong with the file
    height, width = image.shape[:2]
    size = Path(path).stat().st_size
    frames = frame_count(path)
    animated = f" · animated: the first of {frames} frames is used" if frames > 1 else ""
    return f"`{_file_name(path)}` · {width}×{height} px · {image_mode(image)} · {size / 1024:,.0f} KB{animated}"


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
    path = folder / yaml_file_name(pipeline)  # the name Show code's command uses
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
def show_code(
    state: dict,
    seed: Any,
    n: Any,
    path: str | None = None,
    partner_path: str | None = None,
    text: str | None = None,
    mode: str = "whole",
) -> tuple[str, str]:
    """The code, with the names of the files the user has: the upload (the samples' source id) and the saved YAML."""
    pipeline = builder.to_pipeline(state)
    seed, n = check_seed(seed), check_count(n)
    if pipeline.modality == "text" and mode == "lines":
        return text_lines_code(pipeline, seed, n)
    if pipeline.modality == "image":
        names = (_file_name(path) if path else None, _file_name(partner_path) if partner_path else None)
    else:
        names = (text if text and text.strip() else None, None)
    return python_code(pipeline, seed, n, *names), cli_command(pipeline, seed, n, *names)


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


def source_limits(limits: Limits | None = None) -> SourceLimits:
    limits = limits or current()
    return SourceLimits(
        max_pixels=limits.max_pixels, max_file_bytes=limits.max_file_bytes, max_text_chars=limits.max_text_chars
    )


def image_source(pipeline: Pipeline, path: str | None, partner_path: str | None) -> ImageFilesSource:
    """The uploaded image (id: its file name, label `input`) and, for mixing pipelines, the partner."""
    if not path:
        raise gr.Error("Upload an image or pick an example first.", print_exception=False)
    partners = []
    if pipeline.needs_partner:
        if not partner_path:
            raise gr.Error("Upload a partner image (this pipeline mixes two images).", print_exception=False)
        partners = [partner_path]
    names = [_file_name(path)] + [_file_name(p) for p in partners]
    return ImageFilesSource(path, partners, source_limits(), names=names)


def run_image(
    pipeline: Pipeline, source: ImageFilesSource, seed: int, indices: range | list[int]
) -> tuple[np.ndarray, list[Rendered]]:
    """The input and its samples, through the export engine's render path (the same bytes `augplay` writes)."""
    image = source.load(source.input)
    results = render_variants(pipeline, source, source.input, indices, seed, PREVIEW_ENCODING, data=image)
    failed = [r for r in results if isinstance(r, Failed)]
    if failed:  # a preview shows every sample or says why one could not be made
        raise gr.Error(f"Sample #{failed[0].k} could not be made: {failed[0].error}", print_exception=False)
    return image, results  # type: ignore[return-value]


@human_errors
def augment_image(path: str | None, state: dict, seed: Any, n: Any, partner_path: str | None = None):
    """Gallery items (file, caption) and the records, one per sample."""
    pipeline = _runnable(state)
    seed, n = check_seed(seed), check_count(n)
    _, samples = run_image(pipeline, image_source(pipeline, path, partner_path), seed, range(n))
    steps = pipeline.to_dict()
    gallery = [(write_preview_bytes(s.data, s.ext, f"sample_{s.k:03d}"), caption(s.record, steps)) for s in samples]
    return gallery, [s.record for s in samples]


@human_errors
def sample_detail(path: str | None, state: dict, seed: Any, index: Any, partner_path: str | None = None):
    """Before/after of one sample and its full record; recomputed, since (seed, source, index) fixes it."""
    pipeline = _runnable(state)
    seed = check_seed(seed)
    if index is None or int(index) < 0:
        raise gr.Error("Click a sample in the grid first.", print_exception=False)
    image, [sample] = run_image(pipeline, image_source(pipeline, path, partner_path), seed, [int(index)])
    after = write_preview_bytes(sample.data, sample.ext, f"sample_{sample.k:03d}")
    return (write_preview(image, "before"), after), sample.record


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


def attach_pin_files(pins: list | None, files: dict | None, partner_path: str | None, *, path: str | None):
    """Name each new pin's input (the id its sample is keyed by) and keep its server paths apart.

    The paths stay in server-side state, never in what the page shows; the Export tab renders
    pinned samples from them.
    """
    pins, files = [dict(p) for p in (pins or [])], dict(files or {})
    for pin in pins:
        if "source" not in pin and path:
            pin["source"] = _file_name(path)
            if partner_path:
                pin["partner"] = _file_name(partner_path)
            files[pin["source"]] = {"path": path, "partner": partner_path}
    return pins, files


# -- text ---------------------------------------------------------------------------------


TEXT_MODES = ("lines", "whole")  # each line is a sample (as a .txt file is exported) / the whole text is one


@human_errors
def augment_text(text: str | None, state: dict, seed: Any, n: Any, mode: str = "lines") -> list[dict]:
    """One row per variant (per line, per line mode): the line's id, its text, the variant, the record's scores.

    Per line, the rows are the rows `augplay export` writes for the same text saved as a .txt
    file: one sample per non-blank line, keyed by its line number from 0.
    """
    pipeline = _runnable(state)
    seed, n = check_seed(seed), check_count(n)
    if mode not in TEXT_MODES:
        raise gr.Error(f"Pick how the text is read: {' or '.join(TEXT_MODES)}.", print_exception=False)
    text = read_text(text)
    if mode == "lines":
        source = TextLinesSource(text, source_limits())
    else:
        source = TextSampleSource(text, TEXT_SOURCE_ID, source_limits())
    limits = current()
    if len(source.items) * n > limits.max_text_rows:
        raise gr.Error(
            f"{len(source.items)} lines × {n} variants is {len(source.items) * n} rows; the preview shows at most "
            f"{limits.max_text_rows}. Use fewer variants or lines, or the Export tab for the whole text.",
            print_exception=False,
        )
    rows = []
    for item in source.items:
        for result in render_variants(pipeline, source, item, range(n), seed):
            if isinstance(result, Failed):
                where = f"Line {item.id}, variant" if mode == "lines" else "Variant"
                raise gr.Error(f"{where} #{result.k} could not be made: {result.error}", print_exception=False)
            record = result.record
            rows.append(
                {
                    "line": item.id if mode == "lines" else None,
                    "source": item.text,
                    "index": result.k,
                    "text": result.output,
                    "similarity": record.get("similarity"),
                    "changed": record.get("changed"),
                    "record": record,
                }
            )
    return rows
