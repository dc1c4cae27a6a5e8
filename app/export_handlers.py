"""The Export tab's buttons as plain functions: the same `export_dataset` and `estimate` the CLI runs.

The export is written under Gradio's cache, in a folder named by its arguments, so the
same request twice resumes or reuses it instead of starting over; the user gets a ZIP.
Limits (items, variants, output size, workers) are checked here, on the server.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import gradio as gr

from augmenters import Pipeline
from augmenters.core.errors import AugplayError
from augmenters.export import DiskFullError, ExportBusyError, ExportOptions, ExportResult, estimate, export_dataset
from augmenters.export.sources import SourceLimits

from . import builder
from .handlers import check_seed, human_errors
from .limits import Limits, current
from .previews import cache_dir
from .ui_text import t

DEMO = Path(__file__).resolve().parent / "assets" / "demo"
SOURCES = {
    "demo_images": DEMO / "shapes",
    "demo_text": DEMO / "reviews.csv",
}
SOURCE_CHOICES = [
    (t("export_demo_images"), "demo_images"),
    (t("export_demo_text"), "demo_text"),
    (t("export_from_upload"), "upload"),
    (t("export_from_local"), "local"),
]
FROM_IMAGE_TAB, FROM_TEXT_TAB = "@image", "@text"
TAB_NAMES = {FROM_IMAGE_TAB: "Image", FROM_TEXT_TAB: "Text"}
UPLOAD_SUFFIXES = (".zip", ".csv", ".jsonl", ".txt")
IMAGE_SUFFIXES = (".zip",)  # an uploaded ZIP holds images; the other suffixes hold text
SHOWN_ROWS = 8


def source_choices(limits: Limits) -> list[tuple[str, str]]:
    return [c for c in SOURCE_CHOICES if not (limits.space and c[1] == "local")]


def engine_choices(limits: Limits) -> list[str]:
    """`ray` only locally and only when it is installed (found without importing it: it is heavy)."""
    import importlib.util

    return ["local", "ray"] if not limits.space and importlib.util.find_spec("ray") is not None else ["local"]


def pipeline_choices() -> list[tuple[str, str]]:
    from .catalogue import presets_for

    presets = [(f"preset: {name}", name) for modality in ("image", "text") for name in presets_for(modality)]
    return [(t("export_image_tab_pipeline"), FROM_IMAGE_TAB), (t("export_text_tab_pipeline"), FROM_TEXT_TAB), *presets]


# -- the form follows the user ---------------------------------------------------------------


def _tab_for(modality: str) -> str:
    return FROM_IMAGE_TAB if modality == "image" else FROM_TEXT_TAB


def _follow(choice: str | None, modality: str | None) -> str | None:
    """A tab's pipeline follows the dataset's kind; a preset the user picked stays as it is."""
    if modality and choice in TAB_NAMES:
        return _tab_for(modality)
    return choice


def after_upload(upload: str | None, choice: str | None):
    """An upload selects the Upload source, and the matching tab's pipeline."""
    if not upload:
        return gr.skip(), gr.skip()
    suffix = Path(upload).suffix.lower()
    modality = "image" if suffix in IMAGE_SUFFIXES else "text" if suffix in UPLOAD_SUFFIXES else None
    return "upload", _follow(choice, modality)


def after_source(kind: str | None, choice: str | None):
    modality = {"demo_images": "image", "demo_text": "text"}.get(kind or "")
    return _follow(choice, modality)


def after_local(local: str | None):
    return "local" if local and local.strip() else gr.skip()


def started():
    """While an export runs: the last result is cleared (nothing old beside a new error) and Start waits."""
    return "", None, [], None, gr.Button(interactive=False)


def finished():
    return gr.Button(interactive=True)


# The engine speaks the CLI's language; the tab names its own fields instead.
APP_WORDS = {
    "--text-column": "the “Text column” field",
    "--label-column": "the “Label column” field",
    "--variants": "Variants per item",
    "--seed": "Seed",
    "--format": "Image format",
}


def in_app_words(fn):
    """Engine errors as the tab's user should read them: field names instead of CLI flags, no server folders."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ExportBusyError:
            raise gr.Error(
                "This export is already running (from another click or tab); wait for it to finish.", print_exception=False
            ) from None
        except DiskFullError:
            raise gr.Error(
                "The server's disk is nearly full: ask for fewer variants or a smaller dataset.", print_exception=False
            ) from None
        except AugplayError as exc:
            message = str(exc).replace(str(cache_dir()), "the export folder")
            for flag, words in APP_WORDS.items():
                message = message.replace(flag, words)
            raise gr.Error(message, print_exception=False) from None

    return wrapper


def _input_path(kind: str, upload: str | None, local: str | None, limits: Limits) -> Path:
    if kind in SOURCES:
        return SOURCES[kind]
    if kind == "upload":
        if not upload:
            raise gr.Error("Upload a ZIP of images or a CSV / JSONL / TXT file first.", print_exception=False)
        path = Path(upload)
        if path.suffix.lower() not in UPLOAD_SUFFIXES:
            raise gr.Error(f"{path.name}: upload a .zip, .csv, .jsonl or .txt file.", print_exception=False)
        return path
    if kind == "local" and not limits.space:
        if not local or not local.strip():
            raise gr.Error("Type the path of a folder or file on this machine.", print_exception=False)
        path = Path(local.strip()).expanduser()
        if not path.exists():
            raise gr.Error(f"{local.strip()}: no such folder or file on this machine.", print_exception=False)
        return path
    raise gr.Error("Pick where the dataset comes from.", print_exception=False)


def _pipeline(choice: str | None, image_state: dict, text_state: dict) -> Pipeline:
    if choice in TAB_NAMES:
        state = image_state if choice == FROM_IMAGE_TAB else text_state
        if not state or not state.get("steps"):
            tab = TAB_NAMES[choice]
            raise gr.Error(
                f"The {tab} tab's pipeline is empty: pick a preset or add a step in the {tab} tab, "
                "or pick a preset here.",
                print_exception=False,
            )
        return builder.to_pipeline(state)
    if not choice:
        raise gr.Error("Pick a pipeline: a tab's pipeline or a preset.", print_exception=False)
    return Pipeline.load(choice)


def _whole(value: Any, name: str, low: int, high: int) -> int:
    try:
        whole = not isinstance(value, bool) and float(value) == int(float(value))
    except (TypeError, ValueError, OverflowError):  # None, "", "abc", inf, nan
        whole = False
    if not whole or not low <= int(float(value)) <= high:
        raise gr.Error(f"{name} must be a whole number from {low} to {high}.", print_exception=False)
    return int(float(value))


def _request(
    kind, upload, local, choice, image_state, text_state, variants, seed, fmt, originals, balance, workers, text_column, label_column
) -> tuple[Pipeline, Path, ExportOptions, int, Limits]:
    limits = current()
    variants = _whole(variants, "Variants per item", 0, limits.max_export_variants)
    if variants == 0 and not originals and not balance:
        raise gr.Error(
            "With 0 variants per item there is nothing to export: ask for variants, copy the originals or balance the classes.",
            print_exception=False,
        )
    options = ExportOptions(
        variants=variants,
        seed=check_seed(seed),
        encoding=_encoding(fmt),
        include_originals=bool(originals),
        balance=bool(balance),
        text_column=(text_column or "").strip() or None,
        label_column=(label_column or "").strip() or None,
    )
    workers = _whole(workers, "Worker processes", 1, limits.max_export_workers)
    return _pipeline(choice, image_state, text_state), _input_path(kind, upload, local, limits), options, workers, limits


def _encoding(fmt: str | None):
    from augmenters.export import Encoding

    if fmt not in ("same", "jpeg", "png", "webp"):
        raise gr.Error("Pick an image format: same, jpeg, png or webp.", print_exception=False)
    return Encoding(format=fmt)


def _source_limits(limits: Limits) -> SourceLimits:
    return SourceLimits(
        max_items=limits.max_export_items,
        max_pixels=limits.max_pixels,
        max_file_bytes=limits.max_file_bytes,
        max_text_chars=limits.max_text_chars,
        max_zip_bytes=limits.max_export_bytes,
    )


def _folder_for(pipeline: Pipeline, input_path: Path, options: ExportOptions) -> Path:
    """Named by everything that shapes the files: the same request reuses (or resumes) its export."""
    key = json.dumps(
        {"input": str(input_path.resolve()), "pipeline": pipeline.to_dict(), "options": repr(options)}, sort_keys=True
    )
    return cache_dir() / "exports" / hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def _zip(folder: Path, name: str, content: str = "dataset") -> Path:
    """`folder/content` as one download beside it, written atomically (reused when already there)."""
    target = folder / f"{name}.zip"
    if target.exists():
        return target
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".zip-", suffix=".part")
    os.close(fd)
    try:
        base = tmp[: -len(".zip")] if tmp.endswith(".zip") else tmp
        made = shutil.make_archive(base, "zip", root_dir=folder / content)
        os.replace(made, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


def _summary_markdown(result: ExportResult, pipeline: Pipeline, input_name: str) -> str:
    s = result.summary
    lines = [
        f"**{result.written} rows** written from `{input_name}` with pipeline **{pipeline.name}**"
        + (f" — **{result.failed} failed** ({_items(len(result.errors))}, listed below)" if result.failed else "")
        + (f", {result.dropped} dropped under min_similarity" if result.dropped else "")
        + (" (already complete: reused)" if result.already_complete else "")
        + (f" ({result.resumed} resumed)" if result.resumed and not result.already_complete else ""),
        "",
        "| class | originals | augmented |",
        "|---|---|---|",
    ]
    for name, counts in s.get("classes", {}).items():
        lines.append(f"| {name} | {counts.get('originals', 0)} | {counts.get('augmented', 0)} |")
    if s.get("wall_seconds"):
        lines.append(f"\n{s['wall_seconds']:.1f} s with {s.get('workers', 1)} worker(s).")
    for error in result.errors[:5]:
        source, message = str(error["source"]), str(error["error"])
        message = message.removeprefix(f"{source}: ")  # the engine's message often names the file already
        lines.append(f"\n- ⚠ `{source}`: {message}")
    if len(result.errors) > 5:
        lines.append(f"\n- … and {len(result.errors) - 5} more in `errors.jsonl`")
    return "\n".join(lines)


def _items(n: int) -> str:
    return f"{n} item" if n == 1 else f"{n} items"


def _shown_rows(out: Path) -> tuple[list[tuple[str, str]], list[dict]]:
    """A few exported images (with their source) and the first manifest rows, records parsed."""
    from augmenters.export.run import export_rows, read_run

    run = read_run(out)
    every = export_rows(out, run)
    shown = _spread(every) if run["modality"] == "image" else []
    gallery = [(str(out.joinpath(*row["file_name"].split("/"))), row["file_name"]) for row in shown]
    return gallery, [_parsed(row) for row in every[:SHOWN_ROWS]]


def _spread(rows: list[dict]) -> list[dict]:
    """Augmented rows picked evenly across the export (so every class shows), originals only if nothing else."""
    pool = [row for row in rows if not row.get("original")] or rows
    if len(pool) <= SHOWN_ROWS:
        return pool
    return [pool[i * len(pool) // SHOWN_ROWS] for i in range(SHOWN_ROWS)]


def _parsed(row: dict) -> dict:
    """A manifest row as data: a CSV gives every field as text, but seed, k and similarity are numbers."""
    row = dict(row)
    for key in ("record", "aug_record"):
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key])
    for key, kind in (("seed", int), ("k", int), ("similarity", float)):
        if isinstance(row.get(key), str) and row[key]:
            try:
                row[key] = kind(row[key])
            except ValueError:
                pass
    return row


@human_errors
@in_app_words
def run_export(
    source, upload, local_path, pipeline, image_state, text_state, variants, seed, format, include_originals, balance,
    workers, text_column, label_column, engine="local", progress=gr.Progress(),
):  # parameter names are the gradio_client API's (docs/app.md)
    """Start (or resume, or reuse) an export; returns the summary, a ZIP, a few rows and their records."""
    pipeline, input_path, options, workers, limits = _request(
        source, upload, local_path, pipeline, image_state, text_state, variants, seed, format, include_originals, balance,
        workers, text_column, label_column,
    )
    if engine not in engine_choices(limits):
        raise gr.Error(f"The {engine!r} engine is not offered here; use {' or '.join(engine_choices(limits))}.", print_exception=False)
    folder = _folder_for(pipeline, input_path, options)

    def report(done: int, total: int) -> None:
        progress((done, total), desc="Exporting", unit="rows")

    result = export_dataset(
        pipeline,
        input_path,
        folder / "dataset",
        options,
        workers=workers,
        engine=engine,
        limits=_source_limits(limits),
        progress=report,
        max_output_bytes=limits.max_export_bytes,
    )
    archive = _zip(folder, f"augplay-{input_path.stem}-{pipeline.name}".replace(" ", "_"))
    gallery, rows = _shown_rows(folder / "dataset")
    return _summary_markdown(result, pipeline, input_path.name), str(archive), gallery, rows


@human_errors
@in_app_words
def estimate_export(
    source, upload, local_path, pipeline, image_state, text_state, variants, seed, format, include_originals, balance,
    workers, text_column, label_column, engine="local",
) -> str:
    """Counts and a size/time estimate from a few real rows, as `augplay export --dry-run` prints."""
    pipeline, input_path, options, workers, limits = _request(
        source, upload, local_path, pipeline, image_state, text_state, variants, seed, format, include_originals, balance,
        workers, text_column, label_column,
    )
    est = estimate(pipeline, input_path, options, workers=workers, limits=_source_limits(limits))
    classes = ", ".join(f"{name}: {n}" for name, n in est["classes"].items()) or "unlabelled"
    size = est["estimated_bytes"]
    lines = [
        f"**{est['items']} items** ({classes}) → **{est['rows']} rows** ({est['augmented_rows']} augmented)",
        f"About {est['seconds_per_row'] * 1000:.0f} ms per row: ~{est['estimated_seconds']:.0f} s with {workers} worker(s)"
        + (f", ~{size / 1e6:.1f} MB" if size is not None else ""),
    ]
    if size is not None and size > limits.max_export_bytes:
        lines.append(f"⚠ That is above this server's {limits.max_export_bytes / 1e6:,.0f} MB export limit.")
    lines += [f"- ⚠ a probe row failed: {p}" for p in est["probe_errors"]]
    return "\n\n".join(lines)


# -- pinned samples --------------------------------------------------------------------------


@human_errors
def export_pins(pins: list | None, pin_files: dict | None, format: str | None) -> tuple[str, str]:
    """The Image tab's pinned samples, each from its own input, seed, index and pipeline, as a ZIP.

    Rendered through the same path as the grid, so a pin's file is the tile's bytes when the
    format is the preview's (JPEG, PNG for transparency). `metadata.jsonl` keeps each one's
    source, seed, index, pipeline and record, so `augplay preview` can rebuild it.
    """
    from augmenters.export import Failed, ImageFilesSource, render_variants
    from augmenters.io import write_bytes_atomic, write_text_atomic

    pins, pin_files = list(pins or []), dict(pin_files or {})
    usable = [p for p in pins if p.get("source") in pin_files]
    if not usable:
        raise gr.Error("Pin a sample in the Image tab first (click a tile, then Pin this sample).", print_exception=False)
    encoding = _encoding(format)
    key = json.dumps({"pins": usable, "files": pin_files, "encoding": repr(encoding)}, sort_keys=True, default=str)
    folder = cache_dir() / "exports" / f"pins-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:24]}"
    out = folder / "pinned"
    out.mkdir(parents=True, exist_ok=True)
    rows, errors = [], []
    for pin in usable:
        pipeline = Pipeline.from_dict(pin["pipeline"], source="a pinned sample's pipeline")
        files = pin_files[pin["source"]]
        partners = [files["partner"]] if pipeline.needs_partner and files.get("partner") else []
        names = [pin["source"]] + ([pin.get("partner") or Path(files["partner"]).name] if partners else [])
        source = ImageFilesSource(files["path"], partners, _source_limits(current()), names=names)
        [result] = render_variants(pipeline, source, source.input, [pin["index"]], pin["seed"], encoding)
        if isinstance(result, Failed):
            errors.append(f"`{pin['source']}` #{pin['index']} (seed {pin['seed']}): {result.error}")
            continue
        name = f"{Path(pin['source']).stem}__seed{pin['seed']}_k{pin['index']}.{result.ext}"
        write_bytes_atomic(out / name, result.data)
        rows.append(
            {
                "file_name": name,
                "source": pin["source"],
                "seed": pin["seed"],
                "k": pin["index"],
                "pipeline": json.dumps(pipeline.to_dict(), ensure_ascii=False),
                "record": json.dumps(result.record, ensure_ascii=False),
            }
        )
    write_text_atomic(out / "metadata.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    archive = _zip(folder, "augplay-pinned", content="pinned")  # the folder is named by the pins: same pins, same ZIP
    lines = [f"**{len(rows)} pinned sample(s)** exported, each from its own input, seed, index and pipeline."]
    lines += [f"- ⚠ {e}" for e in errors]
    return "\n\n".join(lines), str(archive)


def push_offered(limits: Limits) -> bool:
    """Push to Hub: in the local app, for a user logged in to the Hub (a Space's token is its owner's)."""
    from augmenters.hub import token_present

    return not limits.space and token_present()


@human_errors
@in_app_words
def push_export(
    source, upload, local_path, pipeline, image_state, text_state, variants, seed, format, include_originals, balance,
    workers, text_column, label_column, engine, repo_id, public,
) -> str:
    """Push the export these arguments made (the folder is named by them) as a Hub dataset repo."""
    from .hub_handlers import push_export as push

    pipeline, input_path, options, _, _ = _request(
        source, upload, local_path, pipeline, image_state, text_state, variants, seed, format, include_originals, balance,
        workers, text_column, label_column,
    )
    folder = _folder_for(pipeline, input_path, options) / "dataset"
    return push(folder if folder.is_dir() else None, repo_id, bool(public))
