"""Where a preview or an export reads its items: an image folder, a ZIP of one, a text table, one file.

Every source lists `Item`s with a stable id (a POSIX path relative to the dataset root, or a
text row id) and loads them through `augmenters.loader`, so a bad item is refused with the
same message everywhere. A new input format (COCO, YOLO, masks) is a new source class here.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ..core.augmenter import Partner
from ..core.errors import InputError, PipelineError, ReplayError
from ..loader import DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, DEFAULT_MAX_TEXT_CHARS, load_image, load_text

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff", ".gif")
TEXT_SUFFIXES = (".csv", ".jsonl", ".txt")
# Folders that tools leave beside data and that never hold samples.
IGNORED_DIRS = {"__MACOSX", "__pycache__"}


@dataclass(frozen=True)
class SourceLimits:
    """How much a source may hold and each item may weigh: generous locally, tighter on a Space."""

    max_items: int = 1_000_000
    max_pixels: int = DEFAULT_MAX_PIXELS
    max_file_bytes: int = DEFAULT_MAX_BYTES
    max_text_chars: int = DEFAULT_MAX_TEXT_CHARS
    max_table_bytes: int = 2 * 1024**3
    max_zip_entries: int = 200_000
    max_zip_bytes: int = 20 * 1024**3


@dataclass(frozen=True)
class Item:
    """One sample of a source. `error` is set when the listing already knows it is unusable."""

    id: str
    label: str | None = None
    path: Path | None = None  # image files
    text: str | None = None  # text rows
    fields: dict = field(default_factory=dict)  # the row's other columns, carried into the output
    error: str | None = None


class Source:
    """The interface every source keeps. `items` is sorted by id (text: file order); `load` returns what the pipeline takes."""

    modality: str = "image"
    kind: str = ""
    items: list[Item]
    path: Path | None = None

    def __init__(self, items: Sequence[Item], limits: SourceLimits, *, sort: bool = True):
        self.items = sorted(items, key=lambda item: item.id) if sort else list(items)
        self.limits = limits
        self._by_id = {item.id: item for item in self.items}
        self._index = {item.id: i for i, item in enumerate(self.items)}
        if len(self.items) > limits.max_items:
            raise InputError(f"{self.describe()}: {len(self.items):,} items is above the {limits.max_items:,} limit")
        self._partner_cache: OrderedDict[str, Any] = OrderedDict()

    def describe(self) -> str:
        return self.path.name if self.path else self.kind

    def get(self, item_id: str) -> Item:
        try:
            return self._by_id[item_id]
        except KeyError:
            raise ReplayError(f"{self.describe()} has no item {item_id!r}") from None

    @property
    def classes(self) -> list[str]:
        return sorted({item.label for item in self.items if item.label is not None})

    def load(self, item: Item) -> Any:
        if item.error:
            raise InputError(item.error)
        if self.modality == "text":
            return load_text(item.text or "", max_chars=self.limits.max_text_chars, name=f"row {item.id}")
        assert item.path is not None
        return load_image(
            item.path, max_pixels=self.limits.max_pixels, max_bytes=self.limits.max_file_bytes, name=item.id
        )

    def partners_for(self, item: Item) -> "DatasetPartners":
        return DatasetPartners(self, item.id)

    def load_partner(self, item: Item) -> Any:
        """Partners are drawn again and again: keep the last few decoded (per process)."""
        cached = self._partner_cache.get(item.id)
        if cached is None:
            cached = self.load(item)
            self._partner_cache[item.id] = cached
            while len(self._partner_cache) > 32:
                self._partner_cache.popitem(last=False)
        else:
            self._partner_cache.move_to_end(item.id)
        return cached

    def close(self) -> None:
        """Release what the source holds on disk (an extracted archive)."""


class DatasetPartners:
    """Mixing partners drawn from the source's other items with the step's stream, found again by id."""

    def __init__(self, source: Source, exclude: str):
        self.source = source
        self.exclude = exclude

    def draw(self, rng: np.random.Generator) -> Partner:
        items = self.source.items
        skip = self.source._index.get(self.exclude)
        count = len(items) - (skip is not None)
        if count < 1:
            raise PipelineError("this pipeline mixes two samples, but the input has no other item to mix with")
        j = int(rng.integers(count))
        if skip is not None and j >= skip:
            j += 1
        return self._partner(items[j])

    def get(self, partner_id: str) -> Partner:
        return self._partner(self.source.get(partner_id))

    def _partner(self, item: Item) -> Partner:
        try:
            data = self.source.load_partner(item)
        except InputError as exc:
            raise InputError(f"partner {exc}") from None
        return Partner(id=item.id, data=data, label=item.label)


# -- images ----------------------------------------------------------------------------------


def is_image_name(name: str) -> bool:
    return name.lower().endswith(IMAGE_SUFFIXES) and not name.startswith(".")


class ImageFolderSource(Source):
    """A folder of images: files in sub-folders are labelled by the top sub-folder, files at the root are not."""

    kind = "folder"

    def __init__(self, root: str | os.PathLike, limits: SourceLimits = SourceLimits(), *, kind: str = "folder"):
        root = Path(root)
        if not root.is_dir():
            raise InputError(f"{root.name}: no such folder")
        self.path = root
        self.kind = kind
        items = []
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in IGNORED_DIRS)
            for name in files:
                if not is_image_name(name):
                    continue
                rel = (Path(folder) / name).relative_to(root).as_posix()
                parts = rel.split("/")
                items.append(Item(id=rel, label=parts[0] if len(parts) > 1 else None, path=Path(folder) / name))
                if len(items) > limits.max_items:
                    raise InputError(f"{root.name}: more than {limits.max_items:,} images, above the limit")
        if not items:
            raise InputError(
                f"{root.name}: no images found ({', '.join(s[1:] for s in IMAGE_SUFFIXES)}), "
                "directly or in class sub-folders"
            )
        super().__init__(items, limits)


class ImageFilesSource(Source):
    """The preview's source: one input image (labelled `input`) and any partner images (`partner`)."""

    kind = "file"

    def __init__(
        self,
        path: str | os.PathLike,
        partners: Sequence[str | os.PathLike] = (),
        limits: SourceLimits = SourceLimits(),
        *,
        names: Sequence[str] | None = None,
    ):
        paths = [Path(path), *(Path(p) for p in partners)]
        names = list(names) if names is not None else [p.name for p in paths]
        labels = ["input"] + ["partner"] * len(partners)
        seen: set[str] = set()
        items = []
        for p, name, label in zip(paths, names, labels):
            if name in seen:  # the same picture twice: still two items, with distinct ids
                name = f"{label}:{name}"
            seen.add(name)
            items.append(Item(id=name, label=label, path=p))
        self.path = paths[0]
        super().__init__(items, limits)
        self.input = items[0]


# -- text --------------------------------------------------------------------------------------


class TextSampleSource(Source):
    """The preview's text source: one typed (or file) text with an id (`text`, or the file name)."""

    modality = "text"
    kind = "text"

    def __init__(self, text: str, item_id: str = "text", limits: SourceLimits = SourceLimits()):
        super().__init__([Item(id=item_id, text=text)], limits)
        self.input = self.items[0]


def text_lines(text: str) -> list[tuple[str, str]]:
    """A .txt file's samples: one per non-blank line, its id the line's number from 0 (blank lines keep theirs)."""
    return [(str(i), line) for i, line in enumerate(text.splitlines()) if line.strip()]


class TextLinesSource(Source):
    """Typed text read as a .txt file is exported: one sample per line, so a preview row is that export row."""

    modality = "text"
    kind = "txt"

    def __init__(self, text: str, limits: SourceLimits = SourceLimits()):
        items = [Item(id=row_id, text=line, fields={"text": line}) for row_id, line in text_lines(text)]
        if not items:
            raise InputError("the text has no line with words on it")
        super().__init__(items, limits, sort=False)


class TextTableSource(Source):
    """Rows of a CSV or JSONL file (a text column, optional label and id columns) or lines of a .txt."""

    modality = "text"

    def __init__(
        self,
        path: str | os.PathLike,
        limits: SourceLimits = SourceLimits(),
        *,
        text_column: str | None = None,
        label_column: str | None = None,
        id_column: str | None = None,
    ):
        path = Path(path)
        self.path = path
        self.kind = path.suffix.lower().lstrip(".")
        if self.kind not in ("csv", "jsonl", "txt"):
            raise InputError(f"{path.name}: text input must be .csv, .jsonl or .txt")
        if not path.is_file():
            raise InputError(f"{path.name}: no such file")
        if path.stat().st_size > limits.max_table_bytes:
            raise InputError(f"{path.name}: the file is above the {limits.max_table_bytes / 1e6:,.0f} MB limit")
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(f"{path.name} is not UTF-8 (byte offset {exc.start}); save it as UTF-8 and try again") from None
        self.columns: list[str] = []
        if self.kind == "txt":
            if text_column or label_column or id_column:
                raise InputError(f"{path.name}: a .txt file has one sample per line and no columns")
            rows = [(row_id, {"text": line}, None) for row_id, line in text_lines(text)]
            self.text_column, self.label_column = "text", None
        else:
            parsed = _csv_rows(text, path.name) if self.kind == "csv" else _jsonl_rows(text, path.name)
            self.columns = _columns(parsed, self.kind)
            self.text_column = _pick_column(text_column, "text", self.columns, path.name, "--text-column")
            self.label_column = _pick_column(label_column, "label", self.columns, path.name, "--label-column", required=False)
            if id_column is not None and id_column not in self.columns:
                raise InputError(f"{path.name}: no column {id_column!r} for --id-column (columns: {', '.join(self.columns)})")
            rows = [
                (str(row.get(id_column)) if id_column and isinstance(row, dict) else str(i), row, error)
                for i, (row, error) in enumerate(parsed)
            ]
        self.id_column = id_column
        items = [self._item(row_id, row, error) for row_id, row, error in rows]
        if not items:
            raise InputError(f"{path.name}: no rows of text found")
        ids = [item.id for item in items]
        if len(set(ids)) != len(ids):
            dup = next(i for i in ids if ids.count(i) > 1)
            raise InputError(f"{path.name}: the id column {id_column!r} repeats the value {dup!r}; ids must be unique")
        super().__init__(items, limits, sort=False)  # text rows come back in the order they were read

    def _item(self, row_id: str, row: Any, error: str | None) -> Item:
        where = f"row {row_id}"
        if error:
            return Item(id=row_id, error=f"{where}: {error}")
        text = row.get(self.text_column)
        label = row.get(self.label_column) if self.label_column else None
        if text is None:
            return Item(id=row_id, fields=row, error=f"{where}: the text column {self.text_column!r} is missing")
        if not isinstance(text, str):
            return Item(id=row_id, fields=row, error=f"{where}: the text column {self.text_column!r} holds {type(text).__name__}, not text")
        label = None if label is None or label == "" else str(label) if not isinstance(label, (list, dict)) else json.dumps(label, ensure_ascii=False)
        return Item(id=row_id, label=label, text=text, fields=row)


def _csv_rows(text: str, name: str) -> list[tuple[dict, str | None]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{name}: the file is empty") from None
    except csv.Error as exc:
        raise InputError(f"{name}: not a readable CSV header ({exc})") from None
    header = [h.strip() for h in header]
    if len(set(header)) != len(header):
        raise InputError(f"{name}: the header repeats a column name ({', '.join(header)})")
    rows: list[tuple[dict, str | None]] = []
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            rows.append(({}, f"not readable CSV ({exc})"))
            continue
        if not values or not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            rows.append(({}, f"has {len(values)} field{'' if len(values) == 1 else 's'} where the header has {len(header)}"))
            continue
        rows.append((dict(zip(header, values)), None))
    return rows


def _jsonl_rows(text: str, name: str) -> list[tuple[dict, str | None]]:
    rows: list[tuple[dict, str | None]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            rows.append(({}, f"line {number} is not valid JSON ({exc.msg})"))
            continue
        if not isinstance(value, dict):
            rows.append(({}, f"line {number} is a JSON {type(value).__name__}, not an object"))
            continue
        rows.append((value, None))
    return rows


def _columns(rows: list[tuple[dict, str | None]], kind: str) -> list[str]:
    seen: dict[str, None] = {}
    for row, error in rows:
        if not error:
            for key in row:
                seen.setdefault(str(key), None)
    return list(seen)


def _pick_column(given: str | None, default: str, columns: list[str], name: str, flag: str, required: bool = True):
    listing = ", ".join(columns) or "none"
    if given is not None:
        if given not in columns:
            raise InputError(f"{name}: no column {given!r} (columns: {listing})")
        return given
    if default in columns:
        return default
    if required:
        raise InputError(f"{name}: no {default!r} column; name the text column with {flag} (columns: {listing})")
    return None


# -- opening ----------------------------------------------------------------------------------


def open_source(
    path: str | os.PathLike,
    limits: SourceLimits = SourceLimits(),
    *,
    text_column: str | None = None,
    label_column: str | None = None,
    id_column: str | None = None,
    work_dir: str | os.PathLike | None = None,
) -> Source:
    """A folder, a ZIP (extracted into a sandbox under `work_dir` or a temp dir), or a CSV/JSONL/TXT."""
    path = Path(path)
    if path.is_dir():
        return ImageFolderSource(path, limits)
    if not path.exists():
        raise InputError(f"{path.name}: no such file or folder")
    suffix = path.suffix.lower()
    if suffix == ".zip":
        from .zipsafe import ZipSource

        return ZipSource(path, limits, work_dir=work_dir)
    if suffix in TEXT_SUFFIXES:
        return TextTableSource(path, limits, text_column=text_column, label_column=label_column, id_column=id_column)
    if suffix in IMAGE_SUFFIXES:
        raise InputError(f"{path.name}: a single image; export takes a folder (or ZIP) of images — use `augplay preview` for one image")
    raise InputError(f"{path.name}: export takes an image folder, a .zip of one, or a .csv/.jsonl/.txt of text")
