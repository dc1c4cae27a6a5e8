"""The two arms' data: training originals, their variants made by the export engine, the held-out originals.

The variants come from a real export (`export_dataset`) of a folder (or CSV) holding the
training originals only, so a mixing op can only draw partners from training items and no
copy of a held-out item can reach training; `leak_check` proves it by source id.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from ..core.errors import AugplayError
from ..export import ExportOptions, ExportResult, Source, export_dataset
from ..loader import load_image
from ..pipeline import Pipeline
from .split import Split

TRAIN_DIR, EXPORT_DIR = "train", "export"
TEXT_FILE = "train.csv"  # the text arm's training originals: our own columns, whatever the input's were
Features = Callable[[Any], Any]  # raw item (image array or text) -> what the model takes


class LeakError(AugplayError):
    """A held-out item (or a copy of one) reached training: the evaluation would be meaningless."""


@dataclass
class Example:
    source: str  # the original item's id; for a variant, the id it was made from
    features: Any
    target: str | dict[str, float]  # a class, or class weights (mixup / cutmix)


@dataclass
class ArmData:
    originals: list[Example]  # training originals (both arms)
    variants: list[Example]  # their export variants (the augmented arm only)
    heldout: list[Example]  # held-out originals, never augmented
    export: ExportResult
    skipped: list[str]  # items that did not load, with the loader's reason
    leak_check: dict


def write_training_input(source: Source, split: Split, root: Path) -> Path:
    """The training originals alone, as an input the export engine reads, with the original ids."""
    target = root / TRAIN_DIR
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    train = [source.get(i) for i in split.train]
    if source.modality == "text":
        path = target / TEXT_FILE
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["id", "text", "label"])
            writer.writerows([item.id, item.text or "", item.label] for item in train)
        return path
    for item in train:
        dst = target.joinpath(*item.id.split("/"))
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(item.path, dst)  # no copy where the file system allows it
        except OSError:
            shutil.copyfile(item.path, dst)
    return target


def export_variants(
    pipeline: Pipeline, source: Source, split: Split, root: Path, variants: int, seed: int, workers: int, progress=None
) -> ExportResult:
    training_input = write_training_input(source, split, root)
    columns = {"text_column": "text", "label_column": "label", "id_column": "id"} if source.modality == "text" else {}
    options = ExportOptions(variants=variants, seed=seed, **columns)
    return export_dataset(pipeline, training_input, root / EXPORT_DIR, options, workers=workers, progress=progress)


def variant_rows(root: Path, modality: str) -> list[dict]:
    """The export's rows as {source, target, file or text, record}, in file order."""
    export = root / EXPORT_DIR
    if modality == "text":
        with (export / TEXT_FILE).open(encoding="utf-8", newline="") as handle:
            return [
                {"source": row["source_id"], "target": row["label"], "text": row["text"], "record": json.loads(row["record"])}
                for row in csv.DictReader(handle)
            ]
    order = json.loads((export / "summary.json").read_text(encoding="utf-8"))["classes_order"]
    rows = []
    for line in (export / "metadata.jsonl").read_text(encoding="utf-8").splitlines():
        meta = json.loads(line)
        soft = meta.get("soft_label")  # weights over the export's classes, in `classes_order`
        target = {name: w for name, w in zip(order, soft) if w} if soft and len(soft) == len(order) else meta["label"]
        rows.append({"source": meta["source"], "target": target, "file": export / meta["file_name"], "record": json.loads(meta["record"])})
    return rows


def _partner_ids(value: Any) -> Iterable[str]:
    """Every partner id a record names (mixup / cutmix steps, nested groups included)."""
    if isinstance(value, dict):
        partner = value.get("partner")
        if isinstance(partner, dict) and "id" in partner:
            yield str(partner["id"])
        for child in value.values():
            yield from _partner_ids(child)
    elif isinstance(value, list):
        for child in value:
            yield from _partner_ids(child)


def leak_check(rows: list[dict], split: Split) -> dict:
    """Every variant and every mixing partner comes from a training item; raises if one does not."""
    train, heldout = set(split.train), set(split.heldout)
    if train & heldout:
        raise LeakError(f"an item is both in training and held out: {sorted(train & heldout)[0]!r}")
    sources = [row["source"] for row in rows]
    partners = [pid for row in rows for pid in _partner_ids(row["record"])]
    strays = sorted({i for i in sources + partners if i not in train})
    if strays:
        raise LeakError(f"{len(strays)} variant(s) come from outside the training split, e.g. {strays[0]!r}")
    return {
        "variant_rows": len(rows),
        "partners_checked": len(partners),
        "heldout_items_in_training": 0,
        "statement": "Every augmented row and every mixing partner was checked by source id: all come from "
        "training originals; no held-out item, and no copy of one, entered training.",
    }


def load_examples(source: Source, ids: Iterable[str], features: Features, skipped: list[str]) -> list[Example]:
    examples = []
    for item_id in ids:
        item = source.get(item_id)
        try:
            examples.append(Example(item.id, features(source.load(item)), item.label))
        except AugplayError as exc:  # one bad file is reported, never the end of the evaluation
            skipped.append(str(exc))
    return examples


def load_variants(rows: list[dict], features: Features, source: Source, skipped: list[str]) -> list[Example]:
    examples = []
    for row in rows:
        try:
            data = row["text"] if "text" in row else load_image(
                row["file"], max_pixels=source.limits.max_pixels, max_bytes=source.limits.max_file_bytes
            )
            examples.append(Example(row["source"], features(data), row["target"]))
        except AugplayError as exc:
            skipped.append(str(exc))
    return examples


def prepare(
    pipeline: Pipeline,
    source: Source,
    split: Split,
    root: Path,
    *,
    variants: int,
    seed: int,
    workers: int,
    features: Features,
    progress=None,
) -> ArmData:
    result = export_variants(pipeline, source, split, root, variants, seed, workers, progress)
    rows = variant_rows(root, source.modality)
    check = leak_check(rows, split)
    skipped: list[str] = []
    return ArmData(
        originals=load_examples(source, split.train, features, skipped),
        variants=load_variants(rows, features, source, skipped),
        heldout=load_examples(source, split.heldout, features, skipped),
        export=result,
        skipped=skipped,
        leak_check=check,
    )
