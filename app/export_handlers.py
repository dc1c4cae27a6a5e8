"""The Export tab's buttons as plain functions: the same `export_dataset` and `estimate` the CLI runs.

The export is written under Gradio's cache, in a folder named by its arguments, so the
same request twice resumes or reuses it instead of starting over; the user gets a ZIP.
Limits (items, variants, output size, workers) are checked here, on the server.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import gradio as gr

from augmenters import Pipeline
from augmenters.export import ExportOptions, ExportResult, estimate, export_dataset
from augmenters.export.sources import SourceLimits

from . import builder
from .handlers import check_seed, human_errors
from .limits import Limits, current
from .previews import cache_dir

DEMO = Path(__file__).resolve().parent / "assets" / "demo"
SOURCES = {
    "demo_images": DEMO / "shapes",
    "demo_text": DEMO / "reviews.csv",
}
SOURCE_CHOICES = [
    ("Demo images (shapes, 3 classes)", "demo_images"),
    ("Demo text (reviews.csv)", "demo_text"),
    ("Upload", "upload"),
    ("Folder or file on this machine", "local"),
]
FROM_IMAGE_TAB, FROM_TEXT_TAB = "@image", "@text"
UPLOAD_SUFFIXES = (".zip", ".csv", ".jsonl", ".txt")
SHOWN_ROWS = 8


def source_choices(limits: Limits) -> list[tuple[str, str]]:
    return [c for c in SOURCE_CHOICES if not (limits.space and c[1] == "local")]


def pipeline_choices() -> list[tuple[str, str]]:
    from .catalogue import presets_for

    presets = [(f"preset: {name}", name) for modality in ("image", "text") for name in presets_for(modality)]
    return [("The Image tab's pipeline", FROM_IMAGE_TAB), ("The Text tab's pipeline", FROM_TEXT_TAB), *presets]


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
            raise gr.Error(f"{path.name or local}: no such folder or file on this machine.", print_exception=False)
        return path
    raise gr.Error("Pick where the dataset comes from.", print_exception=False)


def _pipeline(choice: str | None, image_state: dict, text_state: dict) -> Pipeline:
    if choice == FROM_IMAGE_TAB:
        return builder.to_pipeline(image_state)
    if choice == FROM_TEXT_TAB:
        return builder.to_pipeline(text_state)
    if not choice:
        raise gr.Error("Pick a pipeline: a tab's pipeline or a preset.", print_exception=False)
    return Pipeline.load(choice)


def _whole(value: Any, name: str, low: int, high: int) -> int:
    if value is None or isinstance(value, bool) or float(value) != int(value) or not low <= int(value) <= high:
        raise gr.Error(f"{name} must be a whole number from {low} to {high}.", print_exception=False)
    return int(value)


def _request(
    kind, upload, local, choice, image_state, text_state, variants, seed, fmt, originals, balance, workers, text_column, label_column
) -> tuple[Pipeline, Path, ExportOptions, int, Limits]:
    limits = current()
    options = ExportOptions(
        variants=_whole(variants, "Variants per item", 0, limits.max_export_variants),
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


def _zip(folder: Path, name: str) -> Path:
    """The export as one download, written beside it atomically."""
    target = folder / f"{name}.zip"
    if target.exists():
        return target
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".zip-", suffix=".part")
    os.close(fd)
    try:
        base = tmp[: -len(".zip")] if tmp.endswith(".zip") else tmp
        made = shutil.make_archive(base, "zip", root_dir=folder / "dataset")
        os.replace(made, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


def _summary_markdown(result: ExportResult, pipeline: Pipeline, input_name: str) -> str:
    s = result.summary
    lines = [
        f"**{result.written} rows** written from `{input_name}` with pipeline **{pipeline.name}**"
        + (f" — {result.failed} failed" if result.failed else "")
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
        lines.append(f"\n- ⚠ `{error['source']}`: {error['error']}")
    if len(result.errors) > 5:
        lines.append(f"\n- … and {len(result.errors) - 5} more in `errors.jsonl`")
    return "\n".join(lines)


def _shown_rows(out: Path) -> tuple[list[tuple[str, str]], list[dict]]:
    """A few exported images (with their source) and the first manifest rows, records parsed."""
    from augmenters.export.run import export_rows, read_run

    run = read_run(out)
    rows = export_rows(out, run)[:SHOWN_ROWS]
    gallery = [
        (str(out.joinpath(*row["file_name"].split("/"))), f"{row['file_name']} ← {row['source']}")
        for row in rows
        if run["modality"] == "image"
    ]
    shown = []
    for row in rows:
        row = dict(row)
        for key in ("record", "aug_record"):
            if isinstance(row.get(key), str):
                row[key] = json.loads(row[key])
        shown.append(row)
    return gallery, shown


@human_errors
def run_export(
    kind, upload, local, choice, image_state, text_state, variants, seed, fmt, originals, balance, workers,
    text_column, label_column, progress=gr.Progress(),
):
    """Start (or resume, or reuse) an export; returns the summary, a ZIP, a few rows and their records."""
    pipeline, input_path, options, workers, limits = _request(
        kind, upload, local, choice, image_state, text_state, variants, seed, fmt, originals, balance, workers,
        text_column, label_column,
    )
    folder = _folder_for(pipeline, input_path, options)

    def report(done: int, total: int) -> None:
        progress((done, total), desc="Exporting", unit="rows")

    result = export_dataset(
        pipeline,
        input_path,
        folder / "dataset",
        options,
        workers=workers,
        limits=_source_limits(limits),
        progress=report,
        max_output_bytes=limits.max_export_bytes,
    )
    archive = _zip(folder, f"augplay-{input_path.stem}-{pipeline.name}".replace(" ", "_"))
    gallery, rows = _shown_rows(folder / "dataset")
    return _summary_markdown(result, pipeline, input_path.name), str(archive), gallery, rows


@human_errors
def estimate_export(
    kind, upload, local, choice, image_state, text_state, variants, seed, fmt, originals, balance, workers,
    text_column, label_column,
) -> str:
    """Counts and a size/time estimate from a few real rows, as `augplay export --dry-run` prints."""
    pipeline, input_path, options, workers, limits = _request(
        kind, upload, local, choice, image_state, text_state, variants, seed, fmt, originals, balance, workers,
        text_column, label_column,
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
