"""`augplay` on the command line: the same Pipeline and loader the app uses, no UI.

Errors are one line on stderr (`augplay: error: ...`); `--debug` shows the traceback.
Exit codes: 0 ok, 1 finished with some failed items, 2 bad usage or invalid input/preset,
3 an internal error (a bug: one line, the traceback saved to a file), 4 stopped before the end
(a full disk: free space and run the same command to resume), 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Sequence

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_INTERNAL, EXIT_STOPPED = 0, 1, 2, 3, 4


class CliError(Exception):
    """A usage or input problem: printed as one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors use our one-line format
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"augplay: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="augplay", description="Data-augmentation playground: preview, validate and export.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("launch", help="start the web app")
    p.add_argument("--host", default=os.environ.get("AUGPLAY_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("AUGPLAY_PORT", "7860")))

    p = sub.add_parser("list", help="list registered augmenters")
    p.add_argument("--modality", choices=["image", "text"])
    p.add_argument("--json", action="store_true", help="one JSON object per augmenter, as a list")

    p = sub.add_parser("preview", help="write N augmented samples and their records")
    p.add_argument("--pipeline", required=True, help="preset name or YAML file")
    p.add_argument(
        "--input", required=True, help="image file, text file, the text itself, or a dataset (folder, ZIP, CSV, JSONL)"
    )
    p.add_argument("--n", type=int, default=8, help="number of samples (1-1000)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--partner", action="append", default=[], help="image to mix with (mixup/cutmix); repeatable")
    p.add_argument(
        "--source",
        help="the item id: in a dataset, the item to preview (e.g. cats/a.jpg, or a row id); "
        "for one file, the id its randomness is keyed by (default: the file name)",
    )
    _encoding_arguments(p, default_format="png", formats=["png", "jpeg", "webp", "same"])
    _text_arguments(p)

    p = sub.add_parser("export", help="write an augmented dataset: files, metadata.jsonl, card, summary")
    p.add_argument("--pipeline", required=True, help="preset name or YAML file")
    p.add_argument("--input", required=True, help="image folder (class sub-folders or flat), ZIP of one, CSV, JSONL or TXT")
    p.add_argument("--out", required=True, help="output folder (new or empty; or an unfinished export to resume)")
    p.add_argument("--variants", type=int, default=1, help="augmented variants per item (default 1)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--engine", choices=["local", "ray"], default="local", help="where rows run (ray: pip install 'augplay[ray]')")
    p.add_argument("--ray-address", help="with --engine ray: join this Ray cluster (default: start Ray on this machine)")
    p.add_argument("--include-originals", action="store_true", help="copy each original beside its variants")
    p.add_argument("--balance", action="store_true", help="give smaller classes more variants, up to the largest")
    p.add_argument("--balance-to", type=int, help="give every class at least this many rows")
    p.add_argument("--min-similarity", type=float, help="text: drop variants whose meaning score is below this")
    p.add_argument("--dry-run", action="store_true", help="print counts and a size/time estimate; write nothing")
    _encoding_arguments(p, default_format="same", formats=["same", "jpeg", "png", "webp"])
    _text_arguments(p)

    p = sub.add_parser("evaluate", help="does it help? train a small model without and with the pipeline, compare")
    p.add_argument("--pipeline", required=True, help="preset name or YAML file")
    p.add_argument("--input", required=True, help="labelled dataset: image class folders (or a ZIP of them), CSV or JSONL")
    p.add_argument("--variants", type=int, default=4, help="augmented variants per training item (default 4)")
    p.add_argument("--seeds", type=int, default=3, help="training runs per arm, each from its own seed (default 3)")
    p.add_argument("--seed", type=int, default=0, help="base seed: the split, the variants and the runs (default 0)")
    p.add_argument("--holdout", type=float, default=0.2, help="fraction of each class's originals held out (default 0.2)")
    p.add_argument("--epochs", type=float, default=30.0, help="passes over the training originals; sets both arms' steps")
    p.add_argument("--image-size", type=int, default=32, help="images are squeezed to this square for the CNN (default 32)")
    p.add_argument("--budget-minutes", type=float, help="cap the work (fewer seeds, then fewer steps; the report says so)")
    p.add_argument("--workers", type=int, default=1, help="export worker processes (default 1)")
    p.add_argument("--out", help="folder for evaluation.json, evaluation.png and the export (default: nothing kept)")
    p.add_argument("--json", action="store_true", help="print the report as JSON on stdout")
    _text_arguments(p)

    p = sub.add_parser("replay", help="rebuild one row of an export from its record, byte for byte")
    p.add_argument("--export", required=True, help="the export folder")
    p.add_argument("--row", type=int, required=True, help="row number, from 0, in metadata.jsonl (or the text output)")
    p.add_argument("--out", required=True, help="file to write")

    p = sub.add_parser("validate", help="check a preset file against the augmenter specs")
    p.add_argument("file")

    models = sub.add_parser("models", help="the models the ops use: list them, pull them from the Hugging Face Hub")
    models_sub = models.add_subparsers(dest="models_command", required=True, parser_class=_Parser)
    p = models_sub.add_parser("list", help="every model an op can use, present (where) or missing")
    p.add_argument("--json", action="store_true", help="one JSON object per model, as a list")
    p = models_sub.add_parser("pull", help="download models (only the files augplay loads) into the HF cache or $AUGPLAY_MODELS_DIR")
    p.add_argument("ids", nargs="*", metavar="ID", help="Hub model ids, e.g. Helsinki-NLP/opus-mt-en-de")
    p.add_argument("--defaults", action="store_true", help="the models the ops' default settings use")

    p = sub.add_parser("push", help="upload an export folder as a Hugging Face dataset repo (its card as README)")
    p.add_argument("export_dir", metavar="EXPORT_DIR")
    p.add_argument("repo_id", metavar="REPO_ID", help="e.g. your-name/my-augmented-set")
    visibility = p.add_mutually_exclusive_group()
    visibility.add_argument("--private", dest="private", action="store_true", default=True, help="a private repo (default)")
    visibility.add_argument("--public", dest="private", action="store_false", help="a public repo")
    p.add_argument("--revision", help="branch to push to (created when missing; default main)")
    return parser


def _encoding_arguments(p: argparse.ArgumentParser, default_format: str, formats: list[str]) -> None:
    p.add_argument("--format", choices=formats, default=default_format, help=f"image output format (default {default_format})")
    p.add_argument("--quality", type=int, default=90, help="JPEG/WebP quality, 1-100 (default 90)")
    p.add_argument("--keep-exif", action="store_true", help="copy the source's EXIF into image outputs (stripped by default)")


def _text_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--text-column", help="CSV/JSONL: the column holding the text (default: text)")
    p.add_argument("--label-column", help="CSV/JSONL: the column holding the label (default: label, if present)")
    p.add_argument("--id-column", help="CSV/JSONL: a column of unique row ids (default: the row number from 0)")


# -- commands --------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    from augmenters import registry

    rows = [a.describe() for a in registry.all(args.modality)]
    for module, reason in registry.import_errors.items():
        print(f"augplay: warning: plugin {module} did not load: {reason}", file=sys.stderr)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    width = max(len(r["name"]) for r in rows) if rows else 4
    for r in rows:
        reason = f"  ({r['reason']})" if r["reason"] else ""
        print(f"{r['name']:<{width}}  {r['modality']:<5}  {r['family']:<9}  {r['status']}{reason}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from augmenters import Pipeline, registry

    if not Path(args.file).is_file():
        raise CliError(f"{args.file}: no such file")
    pipeline = Pipeline.load(args.file)
    print(f"ok: {args.file} is a valid {pipeline.modality} pipeline {pipeline.name!r} ({len(pipeline.ops())} ops)")
    for op in pipeline.ops():
        health = registry.get(op).health()
        if not health.ok:
            print(f"note: {op} is {health.status} here: {health.reason}")
    return EXIT_OK


def _encoding(args: argparse.Namespace):
    from augmenters.export import Encoding

    if not 1 <= args.quality <= 100:
        raise CliError(f"--quality must be from 1 to 100, got {args.quality}")
    return Encoding(format=args.format, quality=args.quality, keep_exif=args.keep_exif)


def _preview_source(args: argparse.Namespace, pipeline):
    """The source a preview reads, and the item it augments: one file (with partners) or a dataset item."""
    from augmenters import load_text
    from augmenters.export import ImageFilesSource, TextSampleSource, open_source

    path = Path(args.input)
    is_dataset = path.is_dir() or (path.is_file() and path.suffix.lower() in (".zip", ".csv", ".jsonl")) or (
        path.is_file() and path.suffix.lower() == ".txt" and args.source is not None and pipeline.modality == "text"
    )
    if is_dataset:
        if args.partner:
            raise CliError("--partner is for a single input image; a dataset's items mix with each other")
        source = open_source(path, text_column=args.text_column, label_column=args.label_column, id_column=args.id_column)
        if args.source is None:
            source.close()
            first = ", ".join(item.id for item in source.items[:3])
            raise CliError(f"{path.name} is a dataset: pick the item to preview with --source (e.g. {first})")
        return source, source.get(args.source)
    if pipeline.modality == "image":
        if not path.is_file():
            raise CliError(f"{path.name}: no such file")
        names = [args.source or path.name] + [Path(p).name for p in args.partner]
        source = ImageFilesSource(path, args.partner, names=names)
        if pipeline.needs_partner and not args.partner:
            raise CliError(f"pipeline {pipeline.name!r} mixes images: give one or more --partner IMAGE")
        return source, source.input
    text = load_text(path) if path.is_file() else load_text(args.input)
    source = TextSampleSource(text, args.source or (path.name if path.is_file() else "text"))
    return source, source.input


def cmd_preview(args: argparse.Namespace) -> int:
    from augmenters import Pipeline
    from augmenters.export import Failed, render_variants
    from augmenters.io import write_bytes_atomic, write_text_atomic

    if not 1 <= args.n <= 1000:
        raise CliError(f"--n must be from 1 to 1000, got {args.n}")
    pipeline = Pipeline.load(args.pipeline)
    pipeline.check_available()
    encoding = _encoding(args)
    source, item = _preview_source(args, pipeline)
    out_dir = Path(args.out)
    try:
        data = source.load(item)  # a bad input is a usage error (exit 2), not N failed samples
        results = render_variants(pipeline, source, item, range(args.n), args.seed, encoding, data=data)
    finally:
        source.close()
    out_dir.mkdir(parents=True, exist_ok=True)  # only once there is something to write
    lines, texts, errors = [], [], []
    for result in results:
        if isinstance(result, Failed):  # one failing sample never loses the others
            errors.append({"index": result.k, "seed": args.seed, "source": item.id, "error": result.error})
            continue
        record = result.record
        if record.get("failed"):  # e.g. under min_similarity after every attempt: kept, but reported
            errors.append({"index": result.k, "seed": args.seed, "source": item.id, "error": record["failed"]})
        if result.data is not None:
            name = f"sample_{result.k:03d}.{result.ext}"
            write_bytes_atomic(out_dir / name, result.data)
            lines.append(json.dumps({"output": name, **record}, ensure_ascii=False))
        else:
            texts.append(result.output)
            lines.append(json.dumps({"output": result.output, **record}, ensure_ascii=False))
    if texts:
        write_text_atomic(out_dir / "samples.txt", "".join(t.replace("\n", " ") + "\n" for t in texts))
    write_text_atomic(out_dir / "records.jsonl", "".join(line + "\n" for line in lines))
    print(f"wrote {len(lines)} {pipeline.modality} samples and records.jsonl to {out_dir}")
    if errors:
        write_text_atomic(out_dir / "errors.jsonl", "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors))
        print(f"augplay: {len(errors)} of {args.n} samples failed; see {out_dir / 'errors.jsonl'}", file=sys.stderr)
        return EXIT_PARTIAL
    return EXIT_OK


def _export_options(args: argparse.Namespace):
    from augmenters.export import ExportOptions

    most = 4 * (os.cpu_count() or 1)
    if not 1 <= args.workers <= most:
        raise CliError(f"--workers must be from 1 to {most} on this machine, got {args.workers}")
    return ExportOptions(
        variants=args.variants,
        seed=args.seed,
        encoding=_encoding(args),
        include_originals=args.include_originals,
        balance=args.balance,
        balance_to=args.balance_to,
        min_similarity=args.min_similarity,
        text_column=args.text_column,
        label_column=args.label_column,
        id_column=args.id_column,
    )


def _print_estimate(est: dict, workers: int) -> None:
    classes = ", ".join(f"{name} {n}" for name, n in est["classes"].items()) or "unlabelled"
    print(f"input: {est['items']} items ({classes})")
    print(f"rows: {est['rows']} ({est['augmented_rows']} augmented)")
    if est["balance"]:
        for name, c in est["balance"]["classes"].items():
            print(f"  balance {name}: {c['items']} items -> {c['total']} rows")
    size = est["estimated_bytes"]
    print(
        f"estimate from {est['probe_rows']} probe rows: {est['seconds_per_row'] * 1000:.1f} ms per row, "
        f"about {_duration(est['estimated_seconds'])} with {workers} worker(s)"
        + (f", about {size / 1e6:,.1f} MB" if size is not None else "")
    )
    for problem in est["probe_errors"]:
        print(f"augplay: warning: a probe row failed: {problem}", file=sys.stderr)
    if est["model_ops"] and est["estimated_seconds"] > 3600:
        print(
            f"augplay: warning: {', '.join(est['model_ops'])} runs a model: this export would take "
            f"{_duration(est['estimated_seconds'])}; consider fewer variants or a GPU",
            file=sys.stderr,
        )


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def cmd_export(args: argparse.Namespace) -> int:
    from augmenters import Pipeline
    from augmenters.export import DiskFullError, estimate, export_dataset

    options = _export_options(args)
    pipeline = Pipeline.load(args.pipeline)
    if args.dry_run:
        _print_estimate(estimate(pipeline, args.input, options, workers=args.workers), args.workers)
        return EXIT_OK
    bar = _progress_bar()
    try:
        if args.ray_address and args.engine != "ray":
            raise CliError("--ray-address goes with --engine ray")
        result = export_dataset(
            pipeline,
            args.input,
            args.out,
            options,
            workers=args.workers,
            engine=args.engine,
            engine_options={"address": args.ray_address} if args.engine == "ray" else None,
            progress=bar.update,
        )
    except DiskFullError as exc:
        bar.close()
        print(f"augplay: stopped: {exc}", file=sys.stderr)
        return EXIT_STOPPED
    finally:
        bar.close()
    if result.already_complete:
        print(f"{args.out} is already a finished export with these arguments: {result.written} rows; nothing to do")
    else:
        resumed = f" ({result.resumed} from an earlier run)" if result.resumed else ""
        dropped = f", {result.dropped} dropped under min_similarity" if result.dropped else ""
        print(f"wrote {result.written} rows{resumed}{dropped} to {args.out}")
    if result.failed:
        print(f"augplay: {result.failed} rows failed; see {Path(args.out) / 'errors.jsonl'}", file=sys.stderr)
        return EXIT_PARTIAL
    return EXIT_OK


class _progress_bar:
    """tqdm's bar on stderr (items/s, ETA), created on the first update so the pool starts first."""

    def __init__(self) -> None:
        self._bar = None

    def update(self, done: int, total: int) -> None:
        from tqdm import tqdm

        if self._bar is None:
            self._bar = tqdm(total=total, initial=done, unit="row", file=sys.stderr, disable=None, dynamic_ncols=True)
        else:
            self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def cmd_evaluate(args: argparse.Namespace) -> int:
    from augmenters import Pipeline
    from augmenters.evaluate import EvaluationOptions, evaluate
    from augmenters.evaluate.report import lines
    from augmenters.evaluate.run import make_plan_for

    options = EvaluationOptions(
        variants=args.variants, seeds=args.seeds, seed=args.seed, holdout=args.holdout, epochs=args.epochs,
        budget_minutes=args.budget_minutes, workers=args.workers, image_size=args.image_size,
        text_column=args.text_column, label_column=args.label_column, id_column=args.id_column,
    )
    pipeline = Pipeline.load(args.pipeline)
    talk = sys.stderr if args.json else sys.stdout  # with --json, stdout holds the JSON alone
    plan = make_plan_for(pipeline, args.input, options)
    est = plan.estimate
    print(
        f"evaluating {pipeline.name!r} on {est['items']} items ({est['classes']} classes): {est['train_items']} to train on, "
        f"{est['heldout_items']} held out; {est['variant_rows']} variants, {plan.seeds} seed(s) x 2 arms"
        + (f", {plan.steps} steps each" if plan.steps else "")
        + f"; about {_duration(est['total_seconds'])}",
        file=talk,
    )
    for cut in plan.cuts:
        print(f"note: {cut}", file=talk)
    bar = _progress_bar()
    try:
        result = evaluate(pipeline, args.input, options, out=args.out, plan=plan, progress=lambda done, total, _stage: bar.update(done, total))
    finally:
        bar.close()
    if args.json:
        print(json.dumps(result.report, indent=2, ensure_ascii=False))
    else:
        print("\n".join(lines(result.report)))
    if result.out:
        print(f"wrote evaluation.json, evaluation.png and the export to {result.out}", file=talk)
    return EXIT_OK


def cmd_replay(args: argparse.Namespace) -> int:
    from augmenters.export import replay_row, write_replay

    replayed = replay_row(args.export, args.row)
    write_replay(replayed, args.out)
    name = replayed.row.get("file_name") or f"row {args.row}"
    if replayed.identical is False:
        print(f"augplay: row {args.row} ({name}) rebuilt into {args.out}, but it differs from the exported one", file=sys.stderr)
        return EXIT_PARTIAL
    same = "identical to the exported file" if replayed.identical else "the exported file is gone, nothing to compare"
    print(f"row {args.row} ({name}) rebuilt into {args.out}: {same}")
    return EXIT_OK


def cmd_launch(args: argparse.Namespace) -> int:
    from app.ui import launch

    launch(host=args.host, port=args.port)
    return EXIT_OK


def cmd_models(args: argparse.Namespace) -> int:
    from augmenters import hub

    if args.models_command == "list":
        rows = [entry.describe() for entry in hub.catalogue()]
        if args.json:
            print(json.dumps(rows, indent=2, ensure_ascii=False))
            return EXIT_OK
        width = max(len(r["id"]) for r in rows) if rows else 2
        for r in rows:
            where = f"present  {r['path']}  {hub.human_size(r['size'])}" if r["path"] else "missing"
            default = "default" if r["default"] else "       "
            print(f"{r['id']:<{width}}  {default}  {','.join(r['ops']):<40}  {where}")
        return EXIT_OK
    ids = list(args.ids) + (hub.default_model_ids() if args.defaults else [])
    if not ids:
        raise CliError("name the models to pull (e.g. augplay models pull Helsinki-NLP/opus-mt-en-de) or use --defaults")
    for model_id, path in zip(dict.fromkeys(ids), hub.pull_many(ids, log=lambda line: print(line, file=sys.stderr))):
        print(f"{model_id}: ready at {path} ({hub.human_size(hub.folder_size(path))})")
    return EXIT_OK


def cmd_push(args: argparse.Namespace) -> int:
    from augmenters import hub

    url = hub.push(
        args.export_dir, args.repo_id, private=args.private, revision=args.revision, log=lambda line: print(line, file=sys.stderr)
    )
    print(f"pushed {args.export_dir} to {url} ({'private' if args.private else 'public'})")
    return EXIT_OK


COMMANDS = {
    "list": cmd_list,
    "models": cmd_models,
    "push": cmd_push,
    "validate": cmd_validate,
    "preview": cmd_preview,
    "export": cmd_export,
    "replay": cmd_replay,
    "evaluate": cmd_evaluate,
    "launch": cmd_launch,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from augmenters import AugplayError

    try:
        return COMMANDS[args.command](args)
    except (CliError, AugplayError) as exc:
        if args.debug:
            raise
        print(f"augplay: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        resume = "; run the same command again to resume" if args.command == "export" else ""
        print(f"augplay: interrupted{resume}", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so in one line, keep the traceback in a file and for --debug
        if args.debug:
            raise
        saved = _save_traceback()
        print(
            f"augplay: internal error (a bug in augplay, not in your input): {type(exc).__name__}: {exc}; "
            f"traceback saved to {saved} (or run again with --debug to print it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _save_traceback() -> str:
    """Write the current exception's traceback to a private temp file; its path goes in the message."""
    import tempfile
    import traceback

    try:
        handle, path = tempfile.mkstemp(prefix="augplay-traceback-", suffix=".txt")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(traceback.format_exc())
        return path
    except OSError:
        return "nowhere (the temp folder is not writable)"


if __name__ == "__main__":
    sys.exit(main())
