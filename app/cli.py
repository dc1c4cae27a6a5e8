"""`augplay` on the command line: the same Pipeline and loader the app uses, no UI.

Errors are one line on stderr (`augplay: error: ...`); `--debug` shows the traceback.
Exit codes: 0 ok, 1 finished with some failed items, 2 bad usage or invalid input/preset.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Sequence

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


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
    p.add_argument("--input", required=True, help="image file, text file, or the text itself")
    p.add_argument("--n", type=int, default=8, help="number of samples (1-1000)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--partner", action="append", default=[], help="image to mix with (mixup/cutmix); repeatable")
    p.add_argument("--format", choices=["png", "jpeg"], default="png", help="image output format")

    p = sub.add_parser("validate", help="check a preset file against the augmenter specs")
    p.add_argument("file")
    return parser


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


def cmd_preview(args: argparse.Namespace) -> int:
    from augmenters import Partner, Pipeline, load_image, load_text
    from augmenters.io import write_bytes_atomic, write_text_atomic, encode_image

    if not 1 <= args.n <= 1000:
        raise CliError(f"--n must be from 1 to 1000, got {args.n}")
    pipeline = Pipeline.load(args.pipeline)
    pipeline.check_available()
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)

    partners = [Partner(id=Path(p).name, data=load_image(p)) for p in args.partner]
    if pipeline.needs_partner and not partners:
        raise CliError(f"pipeline {pipeline.name!r} mixes images: give one or more --partner IMAGE")

    if pipeline.modality == "image":
        data = load_image(args.input)
    else:
        path = Path(args.input)
        data = load_text(path) if path.is_file() else load_text(args.input)

    lines, texts, errors = [], [], []
    for index in range(args.n):
        try:
            output, record = pipeline(data, seed=args.seed, index=index, partners=partners or None)
        except Exception as exc:  # one failing sample never loses the others
            errors.append({"index": index, "seed": args.seed, "error": f"{type(exc).__name__}: {exc}"})
            continue
        if record.get("failed"):  # e.g. under min_similarity after every attempt: kept, but reported
            errors.append({"index": index, "seed": args.seed, "error": record["failed"]})
        if pipeline.modality == "image":
            name = f"sample_{index:03d}.{'jpg' if args.format == 'jpeg' else 'png'}"
            write_bytes_atomic(out_dir / name, encode_image(output, args.format))
            lines.append(json.dumps({"output": name, **record}, ensure_ascii=False))
        else:
            texts.append(output)
            lines.append(json.dumps({"output": output, **record}, ensure_ascii=False))
    if texts:
        write_text_atomic(out_dir / "samples.txt", "".join(t.replace("\n", " ") + "\n" for t in texts))
    write_text_atomic(out_dir / "records.jsonl", "".join(line + "\n" for line in lines))
    print(f"wrote {len(lines)} {pipeline.modality} samples and records.jsonl to {out_dir}")
    if errors:
        write_text_atomic(out_dir / "errors.jsonl", "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors))
        print(f"augplay: {len(errors)} of {args.n} samples failed; see {out_dir / 'errors.jsonl'}", file=sys.stderr)
        return EXIT_PARTIAL
    return EXIT_OK


def cmd_launch(args: argparse.Namespace) -> int:
    from app.ui import launch

    launch(host=args.host, port=args.port)
    return EXIT_OK


COMMANDS = {"list": cmd_list, "validate": cmd_validate, "preview": cmd_preview, "launch": cmd_launch}


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
        print("augplay: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so in one line, keep the traceback for --debug
        if args.debug:
            raise
        print(f"augplay: error: unexpected {type(exc).__name__}: {exc} (run with --debug for details)", file=sys.stderr)
        return EXIT_PARTIAL


if __name__ == "__main__":
    sys.exit(main())
