"""What an export will write, decided before anything runs: rows, variant counts, output names.

A row is (item id, k): its randomness comes from (seed, item id, k) alone, and its output
name from the item's path, so rows never depend on listing order or on other items
(except under `balance`, where a class's size sets how many variants its items get).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..core.errors import InputError
from ..pipeline import MAX_SEED, Pipeline
from .render import Encoding, resolve_format
from .sources import Item, Source

MAX_VARIANTS = 1000  # per item, balancing included: beyond this a dataset is mostly copies of a few images


@dataclass(frozen=True)
class ExportOptions:
    """Everything that shapes an export's files. Workers and engine do not: any count gives the same files."""

    variants: int = 1
    seed: int = 0
    encoding: Encoding = Encoding()
    include_originals: bool = False
    balance: bool = False
    balance_to: int | None = None
    min_similarity: float | None = None
    text_column: str | None = None
    label_column: str | None = None
    id_column: str | None = None

    def check(self) -> None:
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or not 0 <= self.seed <= MAX_SEED:
            raise InputError(f"--seed must be a whole number from 0 to {MAX_SEED}, got {self.seed!r}")
        if not 0 <= self.variants <= MAX_VARIANTS:
            raise InputError(f"--variants must be from 0 to {MAX_VARIANTS}, got {self.variants}")
        if self.variants == 0 and not self.include_originals and not (self.balance or self.balance_to):
            raise InputError("--variants 0 writes nothing: ask for variants, originals or balancing")
        if self.balance_to is not None and self.balance_to < 1:
            raise InputError(f"--balance-to must be at least 1, got {self.balance_to}")
        if self.encoding.format not in ("same", "jpeg", "png", "webp"):
            raise InputError(f"--format must be same, jpeg, png or webp, got {self.encoding.format!r}")
        if not 1 <= self.encoding.quality <= 100:
            raise InputError(f"--quality must be from 1 to 100, got {self.encoding.quality}")


@dataclass(frozen=True)
class Row:
    """One output: an augmented variant k of an item, or (k is None) the original copied as it is."""

    item_id: str
    k: int | None
    name: str = ""  # image outputs: the file name relative to the export root

    @property
    def key(self) -> str:
        return f"{self.item_id}\x00{'orig' if self.k is None else self.k}"


@dataclass
class Plan:
    rows: list[Row]
    variants: dict[str, int]  # item id -> number of augmented variants
    balance: dict = field(default_factory=dict)  # per class: items, variants per item, total, for the summary

    def tasks(self) -> list[tuple[str, list[Row]]]:
        """Rows grouped by item, so each item is decoded once per task."""
        grouped: dict[str, list[Row]] = defaultdict(list)
        for row in self.rows:
            grouped[row.item_id].append(row)
        return list(grouped.items())


def variant_counts(source: Source, options: ExportOptions) -> tuple[dict[str, int], dict]:
    """Variants per item. Balancing gives a minority class more variants until it reaches the target size."""
    counts = {item.id: options.variants for item in source.items}
    if not (options.balance or options.balance_to):
        return counts, {}
    by_class: dict[str | None, list[Item]] = defaultdict(list)
    for item in source.items:
        by_class[item.label].append(item)
    if None in by_class or not by_class:
        raise InputError(f"{source.describe()}: balancing needs every item labelled (class folders or a label column)")
    originals = 1 if options.include_originals else 0
    sizes = {label: len(items) for label, items in by_class.items()}
    target = options.balance_to or max(n * (options.variants + originals) for n in sizes.values())
    report = {"target_per_class": target, "classes": {}}
    for label, items in sorted(by_class.items()):
        need = max(len(items) * options.variants, target - len(items) * originals)
        base, extra = divmod(need, len(items))
        if base + (extra > 0) > MAX_VARIANTS:
            raise InputError(
                f"balancing class {label!r} ({len(items)} items) up to {target} would need "
                f"{base + 1} variants per item, above the {MAX_VARIANTS} limit"
            )
        for j, item in enumerate(items):  # items are in id order: the first `extra` get one more
            counts[item.id] = base + (1 if j < extra else 0)
        report["classes"][label] = {"items": len(items), "augmented": need, "total": need + len(items) * originals}
    return counts, report


def output_stem(item: Item) -> str:
    rel = PurePosixPath(item.id)
    return str(rel.with_suffix("")) if rel.suffix else str(rel)


def build_plan(source: Source, pipeline: Pipeline, options: ExportOptions) -> Plan:
    options.check()
    counts, balance = variant_counts(source, options)
    rows: list[Row] = []
    for item in source.items:
        if source.modality == "image":
            _, ext = resolve_format(options.encoding, item)
            stem = output_stem(item)
            if options.include_originals:
                rows.append(Row(item.id, None, item.id))
            rows.extend(Row(item.id, k, f"{stem}__aug{k}.{ext}") for k in range(counts[item.id]))
        else:
            if options.include_originals:
                rows.append(Row(item.id, None))
            rows.extend(Row(item.id, k) for k in range(counts[item.id]))
    if source.modality == "image":
        rows = _unique_names(rows, source)
    return Plan(rows, counts, balance)


def _unique_names(rows: list[Row], source: Source) -> list[Row]:
    """`a.jpg` and `a.png` exported as JPEG would both write `a__aug0.jpg`: those take their suffix in the name."""
    clashes = {name for name, n in Counter(row.name for row in rows).items() if n > 1}
    if not clashes:
        return rows
    fixed = []
    for row in rows:
        if row.name in clashes and row.k is not None:
            item = source.get(row.item_id)
            rel = PurePosixPath(item.id)
            row = Row(row.item_id, row.k, str(rel.with_name(rel.name.replace(".", "_"))) + row.name[len(output_stem(item)):])
        fixed.append(row)
    still = [name for name, n in Counter(row.name for row in fixed).items() if n > 1]
    if still:
        raise InputError(f"two outputs would both be named {still[0]!r}: rename one of their source files")
    return fixed

