"""`export_dataset`: source → plan → engine → journal → final files. Also the dry-run estimate and row replay."""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from ..core.errors import InputError, ReplayError
from ..core.registry import registry
from ..io import write_bytes_atomic, write_text_atomic
from ..pipeline import Pipeline
from . import writers
from .journal import RUN_FILE, DiskFullError, ExportFolder, check_free_space
from .plan import ExportOptions, Plan, build_plan
from .render import Encoding, Failed, render_variants, replay_variant
from .sources import Source, SourceLimits, open_source
from .worker import WorkContext

FORMAT_VERSION = 1
DISK_CHECK_SECONDS = 2.0
Progress = Callable[[int, int], None]


@dataclass
class ExportResult:
    out: Path
    planned: int
    written: int
    failed: int
    dropped: int
    resumed: int
    summary: dict
    errors: list[dict] = field(default_factory=list)
    already_complete: bool = False

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def human_size(n: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= scale:
            return f"{n / scale:,.0f} {unit}"
    return f"{n} bytes"


def effective_pipeline(pipeline: Pipeline, options: ExportOptions) -> Pipeline:
    """The pipeline exactly as it runs: `--min-similarity` becomes part of it (and of pipeline.yaml)."""
    if options.min_similarity is None:
        return pipeline
    if pipeline.modality != "text":
        raise InputError("--min-similarity applies to text pipelines only")
    return Pipeline.from_dict({**pipeline.to_dict(), "min_similarity": options.min_similarity}, source=pipeline.name)


def open_for(pipeline: Pipeline, input_path: str | os.PathLike, options: ExportOptions, limits: SourceLimits, work_dir=None) -> Source:
    source = open_source(
        input_path,
        limits,
        text_column=options.text_column,
        label_column=options.label_column,
        id_column=options.id_column,
        work_dir=work_dir,
    )
    if source.modality != pipeline.modality:
        source.close()
        raise InputError(
            f"pipeline {pipeline.name!r} works on {pipeline.modality}, but {Path(input_path).name} holds {source.modality}"
        )
    return source


def fingerprint(pipeline: Pipeline, source: Source, input_path: Path, options: ExportOptions) -> dict:
    """The arguments that shape the files (not workers or engine): stored, and compared on resume."""
    opts = asdict(options)
    opts["encoding"] = options.encoding.to_dict()
    if source.modality == "text":
        opts["encoding"] = None
        opts["text_column"] = getattr(source, "text_column", None)
        opts["label_column"] = getattr(source, "label_column", None)
    return {
        "format_version": FORMAT_VERSION,
        "modality": source.modality,
        "input": str(input_path.resolve()),
        "input_name": input_path.name,
        "input_kind": source.kind,
        "classes": source.classes,
        "columns": list(getattr(source, "columns", []) or []),
        "pipeline": pipeline.to_dict(),
        "options": opts,
    }


def _check_places(input_path: Path, out: Path) -> None:
    inp, dst = input_path.resolve(), out.resolve()
    if inp == dst or (inp.is_dir() and dst.is_relative_to(inp)):
        raise InputError(f"the output folder {out} is inside the input {input_path}: pick a folder outside it")


def _context(pipeline: Pipeline, source: Source, options: ExportOptions, out: Path) -> WorkContext:
    return WorkContext(
        pipeline=pipeline.to_dict(),
        source=source,
        seed=options.seed,
        encoding=options.encoding,
        root=str(out),
        classes=tuple(source.classes),
        text_column=getattr(source, "text_column", "text"),
        input_columns=tuple(getattr(source, "columns", ()) or ()),
    )


def export_dataset(
    pipeline: Pipeline,
    input_path: str | os.PathLike,
    out: str | os.PathLike,
    options: ExportOptions = ExportOptions(),
    *,
    workers: int = 1,
    engine: str = "local",
    engine_options: dict | None = None,
    limits: SourceLimits = SourceLimits(),
    progress: Progress | None = None,
    max_output_bytes: int | None = None,
) -> ExportResult:
    """Write an augmented dataset to `out`; resumable, one writer at a time. See DESIGN §5."""
    input_path, out = Path(input_path), Path(out)
    _check_places(input_path, out)
    pipeline = effective_pipeline(pipeline, options)
    pipeline.check_available()
    source = open_for(pipeline, input_path, options, limits)
    try:
        plan = build_plan(source, pipeline, options)
        print_ = fingerprint(pipeline, source, input_path, options)
        with ExportFolder(out, print_) as folder:
            if folder.complete:
                return _finished(out, plan)
            return _run(
                folder, plan, pipeline, source, options, print_, workers, engine, engine_options or {}, progress, max_output_bytes
            )
    finally:
        source.close()


ENGINES = ("local", "ray")


def _engine(name: str):
    """The engine module, imported only when asked for (Ray is heavy and optional)."""
    if name == "local":
        from .engines import local

        return local
    if name == "ray":
        from .engines import ray

        return ray
    raise InputError(f"unknown engine {name!r} ({', '.join(ENGINES)})")


def _run(
    folder, plan, pipeline, source, options, print_, workers, engine, engine_options, progress, max_output_bytes
) -> ExportResult:
    started = time.perf_counter()
    out = folder.root
    check_free_space(out)
    entries: dict[str, dict] = dict(folder.done)
    resumed = len(entries)
    todo = [(item, [r for r in rows if r.key not in entries]) for item, rows in plan.tasks()]
    todo = [(item, rows) for item, rows in todo if rows]
    total, done = len(plan.rows), resumed
    if progress:
        progress(done, total)
    def size(entry: dict) -> int:
        path = out.joinpath(*entry["meta"]["file_name"].split("/"))
        return path.stat().st_size if path.exists() else 0

    # A resumed run counts what is already on disk: the cap is on the export, not on one run.
    written_bytes = sum(size(e) for e in entries.values() if "meta" in e) if max_output_bytes is not None else 0
    last_check = time.monotonic()
    run = _engine(engine).run(todo, _context(pipeline, source, options, out), workers, **engine_options)
    try:
        for batch in run:
            for entry in batch:
                if "fatal" in entry:
                    raise DiskFullError(f"{entry['fatal']} under {out}; free some space, then run the same command again to resume")
                folder.record(entry)
                entries[entry["key"]] = entry
                done += 1
                if max_output_bytes is not None and "meta" in entry:
                    written_bytes += size(entry)
            if max_output_bytes is not None and written_bytes > max_output_bytes:
                raise InputError(f"the export grew past its {human_size(max_output_bytes)} limit; ask for fewer variants or items")
            if progress:
                progress(done, total)
            if time.monotonic() - last_check > DISK_CHECK_SECONDS:
                folder.sync()
                check_free_space(out)
                last_check = time.monotonic()
    finally:
        run.close()  # stops the pool at once when something above raised
        folder.sync()
    facts = {
        "engine": engine,
        "workers": workers,
        "wall_seconds": round(time.perf_counter() - started, 3),
        "rows_resumed": resumed,
    }
    result = _write_final(folder, plan, print_, entries, facts)
    folder.finish()
    return result


def _write_final(folder: ExportFolder, plan: Plan, print_: dict, entries: dict, facts: dict) -> ExportResult:
    out = folder.root
    written, failed, dropped = writers.ordered(plan, entries)
    output_name = None
    if print_["modality"] == "image":
        write_text_atomic(out / writers.METADATA, writers.jsonl_text(e["meta"] for e in written))
    else:
        output_name = print_["input_name"]
        columns = list(print_.get("columns") or [])
        writers.write_text_output(out, output_name, print_["input_kind"], columns, written)
    writers.write_common(out, print_, plan, written, failed, output_name)
    summary = writers.summary(plan, written, failed, dropped, {**facts, "classes_order": print_["classes"]})
    if facts["wall_seconds"]:
        summary["rows_per_second"] = round((len(written) - facts["rows_resumed"]) / facts["wall_seconds"], 2)
    write_text_atomic(out / writers.SUMMARY, json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    return ExportResult(
        out=out,
        planned=len(plan.rows),
        written=len(written),
        failed=len(failed),
        dropped=len(dropped),
        resumed=facts["rows_resumed"],
        summary=summary,
        errors=writers.error_rows(failed),
    )


def _finished(out: Path, plan: Plan) -> ExportResult:
    summary = json.loads((out / writers.SUMMARY).read_text(encoding="utf-8"))
    errors_path = out / writers.ERRORS
    errors = [json.loads(line) for line in errors_path.read_text(encoding="utf-8").splitlines()] if errors_path.exists() else []
    return ExportResult(
        out=out,
        planned=len(plan.rows),
        written=summary["rows_written"],
        failed=summary["rows_failed"],
        dropped=summary["rows_dropped"],
        resumed=summary["rows_written"],
        summary=summary,
        errors=errors,
        already_complete=True,
    )


# -- estimate ------------------------------------------------------------------------------


def estimate(
    pipeline: Pipeline,
    input_path: str | os.PathLike,
    options: ExportOptions = ExportOptions(),
    *,
    workers: int = 1,
    limits: SourceLimits = SourceLimits(),
    probe: int = 4,
) -> dict:
    """Counts, and size and time from rendering a few real rows (nothing is written)."""
    pipeline = effective_pipeline(pipeline, options)
    pipeline.check_available()
    source = open_for(pipeline, Path(input_path), options, limits)
    try:
        plan = build_plan(source, pipeline, options)
        sample = [row for row in plan.rows if row.k is not None][:probe]
        timings, sizes, problems = [], [], []
        for row in sample:
            item = source.get(row.item_id)
            started = time.perf_counter()
            [result] = render_variants(pipeline, source, item, [row.k], options.seed, options.encoding)
            timings.append(time.perf_counter() - started)
            if isinstance(result, Failed):
                problems.append(result.error)
            else:
                sizes.append(len(result.data) if result.data is not None else len(str(result.output).encode("utf-8")))
        per_row = sum(timings) / len(timings) if timings else 0.0
        parallel = max(1, min(workers, os.cpu_count() or 1))
        rows = len(plan.rows)
        return {
            "items": len(source.items),
            "classes": {name: sum(1 for i in source.items if i.label == name) for name in source.classes},
            "rows": rows,
            "augmented_rows": sum(1 for r in plan.rows if r.k is not None),
            "balance": plan.balance,
            "probe_rows": len(sample),
            "seconds_per_row": round(per_row, 4),
            "estimated_seconds": round(per_row * rows / parallel, 1),
            "estimated_bytes": int(sum(sizes) / len(sizes) * rows) if sizes else None,
            "probe_errors": problems,
            "model_ops": sorted({op for op in pipeline.ops() if registry.get(op).backend == "transformers"}),
        }
    finally:
        source.close()


# -- replay ---------------------------------------------------------------------------------


def read_run(export_dir: str | os.PathLike) -> dict:
    path = Path(export_dir) / RUN_FILE
    if not path.is_file():
        raise ReplayError(f"{export_dir}: not an augplay export (no {RUN_FILE})")
    return json.loads(path.read_text(encoding="utf-8"))


def export_rows(export_dir: Path, run: dict) -> list[dict]:
    """The rows of a finished export, in file order: metadata.jsonl (images) or the text output."""
    if run["modality"] == "image" or run["input_kind"] == "txt":
        path = export_dir / writers.METADATA
        if not path.exists():
            raise ReplayError(f"{export_dir}: the export is not finished (no {writers.METADATA}); resume it first")
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    path = export_dir / run["input_name"]
    if not path.exists():
        raise ReplayError(f"{export_dir}: the export is not finished (no {run['input_name']}); resume it first")
    text = path.read_text(encoding="utf-8")
    if run["input_kind"] == "jsonl":
        return [json.loads(line) for line in text.splitlines() if line]
    import csv
    import io

    return list(csv.DictReader(io.StringIO(text, newline="")))


@dataclass
class Replayed:
    row: dict
    data: bytes
    identical: bool | None  # compared with the exported file or text, when it is still there


def replay_row(export_dir: str | os.PathLike, row: int, limits: SourceLimits = SourceLimits()) -> Replayed:
    """Row N (0-based, in file order) of an export, rebuilt from its record with no RNG and no model."""
    export_dir = Path(export_dir)
    run = read_run(export_dir)
    rows = export_rows(export_dir, run)
    if not 0 <= row < len(rows):
        raise ReplayError(f"row {row} is out of range: the export has rows 0 to {len(rows) - 1}")
    meta = rows[row]
    columns = writers.text_columns(run.get("columns") or [])
    record = json.loads(meta[columns["record"]] if run["modality"] == "text" and run["input_kind"] != "txt" else meta["record"])
    opts = run["options"]
    options = ExportOptions(
        text_column=opts.get("text_column") if run["input_kind"] != "txt" else None,
        label_column=opts.get("label_column") if run["input_kind"] != "txt" else None,
        id_column=opts.get("id_column"),
    )
    pipeline = Pipeline.from_dict(run["pipeline"], source=f"{export_dir.name}/{RUN_FILE}")
    source = open_for(pipeline, Path(run["input"]), options, limits)
    try:
        if run["modality"] == "image":
            item = source.get(meta["source"])
            if meta["original"]:
                data = item.path.read_bytes()
            else:
                data = replay_variant(pipeline, source, item, record, Encoding(**opts["encoding"])).data
            existing = export_dir.joinpath(*meta["file_name"].split("/"))
            identical = existing.read_bytes() == data if existing.exists() else None
            return Replayed(meta, data, identical)
        source_id = meta[columns["source_id"]] if run["input_kind"] != "txt" else meta["source_id"]
        item = source.get(str(source_id))
        text_key = source.text_column if run["input_kind"] != "txt" else "text"
        if not record:
            text = item.text or ""
        else:
            text = replay_variant(pipeline, source, item, record, Encoding()).output
        return Replayed(meta, text.encode("utf-8"), text == meta.get(text_key))
    finally:
        source.close()


def write_replay(replayed: Replayed, out_file: str | os.PathLike) -> None:
    out_file = Path(out_file)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(out_file, replayed.data)
