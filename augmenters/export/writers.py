"""The final files of an export, written from the journal in plan order, each atomically.

Images: `metadata.jsonl` in the layout Hugging Face `imagefolder` loads (a `file_name`
column; `label` written by us, since folder names stop counting once metadata exists) and
that `torchvision.datasets.ImageFolder` ignores. Text: the input's format back. Both:
`pipeline.yaml`, `errors.jsonl` (only when something failed), a dataset card `README.md`
and `summary.json`. Every file but `summary.json` is a function of the arguments alone.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from ..io import write_text_atomic
from .plan import Plan

METADATA = "metadata.jsonl"
ERRORS = "errors.jsonl"
SUMMARY = "summary.json"
CARD = "README.md"
PIPELINE = "pipeline.yaml"
# Columns augplay adds to a text row; prefixed with `aug_` when the input already has one of them.
TEXT_COLUMNS = ("source_id", "seed", "k", "similarity", "record")


def jsonl_text(rows: Iterable[dict]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def ordered(plan: Plan, entries: dict[str, dict]) -> tuple[list[dict], list[dict], list[dict]]:
    """(written, failed, dropped) entries in plan order."""
    written, failed, dropped = [], [], []
    for row in plan.rows:
        entry = entries.get(row.key)
        if entry is None:
            continue
        (failed if "error" in entry else dropped if "dropped" in entry else written).append(entry)
    return written, failed, dropped


def error_rows(failed: list[dict]) -> list[dict]:
    """One line per item and reason (a file that does not decode fails all its variants alike)."""
    grouped: dict[tuple[str, str], list] = {}
    for entry in failed:
        grouped.setdefault((entry["item"], entry["error"]), []).append(entry.get("k"))
    return [{"source": item, "error": error, "k": ks} for (item, error), ks in grouped.items()]


def text_columns(input_columns: list[str]) -> dict[str, str]:
    clash = any(name in input_columns for name in TEXT_COLUMNS)
    return {name: f"aug_{name}" if clash else name for name in TEXT_COLUMNS}


def write_text_output(root: Path, name: str, kind: str, input_columns: list[str], written: list[dict]) -> None:
    """The augmented rows in the input's format: CSV or JSONL (input columns, then augplay's), or TXT + a manifest."""
    rows = [e["row"] for e in written]
    if kind == "txt":
        write_text_atomic(root / name, "".join(" ".join(r["text"].splitlines()) + "\n" for r in rows))
        write_text_atomic(root / METADATA, jsonl_text(rows))
        return
    if kind == "jsonl":
        write_text_atomic(root / name, jsonl_text(rows))
        return
    added = list(text_columns(input_columns).values())
    header = input_columns + [c for c in added if c not in input_columns]
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
    write_text_atomic(root / name, buffer.getvalue())


# -- summary ------------------------------------------------------------------------------


def _walk_steps(steps: list) -> Iterable[dict]:
    for entry in steps:
        if "group" in entry:
            yield from _walk_steps(entry.get("steps", []))
        else:
            yield entry


def param_histograms(records: Iterable[dict], bins: int = 10) -> dict:
    """Per op: how often it fired, and a histogram (numbers) or counts (choices) of every sampled param."""
    fired: Counter = Counter()
    numbers: dict[tuple[str, str], list[float]] = defaultdict(list)
    choices: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for record in records:
        for entry in _walk_steps(record.get("steps", [])):
            if not entry.get("applied"):
                continue
            op = entry["op"]
            fired[op] += 1
            for name, value in (entry.get("params") or {}).items():
                if isinstance(value, bool) or isinstance(value, str):
                    choices[(op, name)][str(value)] += 1
                elif isinstance(value, (int, float)):
                    numbers[(op, name)].append(float(value))
                elif isinstance(value, (list, dict)):  # boxes, replaced words, op orders: how many
                    numbers[(op, f"{name} (count)")].append(float(len(value)))
    out: dict[str, Any] = {op: {"fired": n, "params": {}} for op, n in sorted(fired.items())}
    for (op, name), values in sorted(numbers.items()):
        counts, edges = np.histogram(values, bins=bins)
        out[op]["params"][name] = {
            "min": min(values),
            "max": max(values),
            "mean": round(float(np.mean(values)), 6),
            "histogram": {"counts": counts.tolist(), "edges": [round(float(e), 6) for e in edges]},
        }
    for (op, name), counter in sorted(choices.items()):
        out[op]["params"][name] = {"counts": dict(sorted(counter.items()))}
    return out


def summary(plan: Plan, written: list[dict], failed: list[dict], dropped: list[dict], facts: dict) -> dict:
    per_class: dict[str, Counter] = defaultdict(Counter)
    for entry in written:
        label = entry.get("label")
        per_class["(unlabelled)" if label is None else str(label)]["originals" if entry.get("k") is None else "augmented"] += 1
    records = [entry["record"] for entry in written if entry.get("k") is not None]
    unchanged = sum(1 for r in records if not any(e.get("applied") for e in _walk_steps(r.get("steps", []))))
    return {
        **facts,
        "rows_planned": len(plan.rows),
        "rows_written": len(written),
        "rows_failed": len(failed),
        "rows_dropped": len(dropped),
        "rows_unchanged": unchanged,  # augmented rows where no step fired (every p < 1 said no)
        "items_failed": len({e["item"] for e in failed}),
        "classes": {name: dict(c) for name, c in sorted(per_class.items())},
        "balance": plan.balance,
        "params": param_histograms(records),
    }


# -- dataset card --------------------------------------------------------------------------


def card(fingerprint: dict, plan: Plan, written: list[dict], failed: list[dict], output_name: str | None) -> str:
    """README.md for the export (a Hugging Face dataset card): what ran, counts, how to load and reproduce."""
    modality = fingerprint["modality"]
    pipeline = fingerprint["pipeline"]
    counts: dict[str, Counter] = defaultdict(Counter)
    for entry in written:
        label = entry.get("label")
        counts["(unlabelled)" if label is None else str(label)]["original" if entry.get("k") is None else "augmented"] += 1
    table = "\n".join(
        f"| {name} | {c['original']} | {c['augmented']} |" for name, c in sorted(counts.items())
    )
    tags = "image-classification" if modality == "image" else "text-classification"
    opts = fingerprint["options"]
    command = (
        f"augplay export --pipeline pipeline.yaml --input {fingerprint['input_name']} --out OUT "
        f"--variants {opts['variants']} --seed {opts['seed']}"
    )
    if modality == "image":
        command += f" --format {opts['encoding']['format']}"
        if opts["encoding"]["format"] in ("same", "jpeg", "webp"):
            command += f" --quality {opts['encoding']['quality']}"
    for flag, key in (("--include-originals", "include_originals"), ("--balance", "balance")):
        if opts.get(key):
            command += f" {flag}"
    if opts.get("balance_to"):
        command += f" --balance-to {opts['balance_to']}"
    for flag, key in (("--text-column", "text_column"), ("--label-column", "label_column"), ("--id-column", "id_column")):
        if opts.get(key):
            command += f" {flag} {opts[key]}"
    if modality == "image":
        load = (
            "```python\nfrom datasets import load_dataset\n"
            'ds = load_dataset("imagefolder", data_dir="OUT", split="train")\n'
            'import json; record = json.loads(ds[0]["record"])  # every applied op with its params\n```\n\n'
            "```python\nfrom torchvision.datasets import ImageFolder\n"
            'ds = ImageFolder("OUT")  # labels from the class folders\n```\n'
        )
        columns = (
            "`metadata.jsonl` has one line per image: `file_name`, `label` (the source's class), "
            "`soft_label` (weights over the classes listed above, from mixup/cutmix), "
            "`source` (the input file), `seed`, `k` (variant; null for a copied original), `original`, "
            "and `record` (JSON text: every step, whether it fired and its sampled params)."
        )
    else:
        load = (
            "```python\nfrom datasets import load_dataset\n"
            f'ds = load_dataset("{ "csv" if output_name and output_name.endswith(".csv") else "json"}", '
            f'data_files="OUT/{output_name if output_name and not output_name.endswith(".txt") else METADATA}", split="train")\n```\n'
        )
        columns = "Each row keeps the input's columns with the augmented text, plus `source_id`, `seed`, `k`, `similarity` and `record` (JSON text)."
    yaml_text = _pipeline_yaml(pipeline)
    return (
        "---\n"
        f"tags:\n- augplay\n- data-augmentation\ntask_categories:\n- {tags}\n"
        "---\n\n"
        f"# Augmented {modality} dataset from `{fingerprint['input_name']}`\n\n"
        f"Made with augplay, pipeline **{pipeline['name']}**, seed {opts['seed']}, "
        f"{opts['variants']} variant(s) per item{' (balanced)' if plan.balance else ''}. "
        "Every row is reproducible: `augplay replay --export OUT --row N --out FILE` rebuilds row N byte for byte.\n\n"
        f"| class | originals | augmented |\n|---|---|---|\n{table}\n\n"
        + (f"Classes, in `soft_label` order: {', '.join(f'`{c}`' for c in fingerprint['classes'])}.\n\n" if fingerprint["classes"] else "")
        + f"{len(written)} rows written, {len(failed)} failed (see `errors.jsonl`).\n\n"
        f"## Columns\n\n{columns}\n\n## Load it\n\n{load}\n"
        f"## Reproduce it\n\n```bash\n{command}\n```\n\n"
        f"## Pipeline\n\n```yaml\n{yaml_text}```\n"
    )


def _pipeline_yaml(pipeline: dict) -> str:
    import yaml

    return yaml.safe_dump(pipeline, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100)


def write_common(root: Path, fingerprint: dict, plan: Plan, written, failed, output_name: str | None) -> None:
    """pipeline.yaml, errors.jsonl (or none) and the card: the files every export has."""
    write_text_atomic(root / PIPELINE, _pipeline_yaml(fingerprint["pipeline"]))
    if failed:
        write_text_atomic(root / ERRORS, jsonl_text(error_rows(failed)))
    else:
        (root / ERRORS).unlink(missing_ok=True)
    write_text_atomic(root / CARD, card(fingerprint, plan, written, failed, output_name))
