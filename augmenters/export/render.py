"""Render one item: the single sample path under `augplay preview`, the app, `augplay export` and replay.

`render_variants(pipeline, source, item, ks, seed, encoding)` loads the item once, runs the
pipeline for each variant k with the item's id as the stream key, and encodes the result.
Because every caller goes through here, a preview sample and an export row with the same
(seed, source id, k) are the same bytes with the same record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np

from ..core.errors import AugplayError
from ..io import JPEG_QUALITY, PNG_COMPRESS_LEVEL, encode_image
from ..pipeline import Pipeline
from .sources import Item, Source

FORMATS = ("same", "jpeg", "png", "webp")
# Suffixes that `same` keeps; other inputs (BMP, TIFF, GIF) are written as PNG, which keeps every pixel.
_SAME = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".webp": "webp"}
_EXT = {"jpeg": "jpg", "png": "png", "webp": "webp"}
_EXIF_ORIENTATION = 0x0112


@dataclass(frozen=True)
class Encoding:
    """How an image output becomes bytes. `preview` = JPEG, or PNG when the image has transparency."""

    format: str = "same"  # same | jpeg | png | webp | preview
    quality: int = JPEG_QUALITY
    png_level: int = PNG_COMPRESS_LEVEL
    keep_exif: bool = False

    def to_dict(self) -> dict:
        return {"format": self.format, "quality": self.quality, "png_level": self.png_level, "keep_exif": self.keep_exif}


@dataclass
class Rendered:
    """One finished sample: the output (array or text), its bytes and extension (images), and its record."""

    item: Item
    k: int
    output: Any
    record: dict
    data: bytes | None = None
    ext: str | None = None


@dataclass
class Failed:
    """A sample that could not be made, with the human reason that goes into errors.jsonl."""

    item: Item
    k: int | None
    error: str


def has_alpha(image: np.ndarray) -> bool:
    return image.ndim == 3 and image.shape[2] == 4 and bool((image[:, :, 3] < 255).any())


def resolve_format(encoding: Encoding, item: Item, image: np.ndarray | None = None) -> tuple[str, str]:
    """(Pillow format, file extension) for this item's output; `preview` needs the image to decide."""
    fmt = encoding.format
    if fmt == "preview":
        fmt = "png" if image is not None and has_alpha(image) else "jpeg"
    if fmt == "same":
        suffix = item.path.suffix.lower() if item.path else ".png"
        fmt = _SAME.get(suffix, "png")
        return fmt, suffix.lstrip(".") if suffix in _SAME else "png"
    return fmt, _EXT[fmt]


def source_exif(item: Item) -> bytes | None:
    """The source file's EXIF with orientation reset: the loader already turned the pixels upright."""
    from PIL import Image

    if item.path is None:
        return None
    try:
        with Image.open(item.path) as image:
            exif = image.getexif()
    except (OSError, ValueError):
        return None
    if not exif:
        return None
    if _EXIF_ORIENTATION in exif:
        exif[_EXIF_ORIENTATION] = 1
    return exif.tobytes()


def encode_output(image: np.ndarray, item: Item, encoding: Encoding) -> tuple[bytes, str]:
    fmt, ext = resolve_format(encoding, item, image)
    exif = source_exif(item) if encoding.keep_exif else None
    return encode_image(image, fmt, encoding.quality, png_level=encoding.png_level, exif=exif), ext


def describe_error(exc: BaseException) -> str:
    if isinstance(exc, AugplayError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def render_variants(
    pipeline: Pipeline,
    source: Source,
    item: Item,
    ks: Iterable[int],
    seed: int,
    encoding: Encoding = Encoding(),
    *,
    data: Any = None,
) -> list[Rendered | Failed]:
    """Every variant k of one item, loaded once (or given as `data`, already loaded by `source.load`).

    A failure is returned, never raised: a batch goes on.
    """
    ks = list(ks)
    if data is None:
        try:
            data = source.load(item)
        except Exception as exc:  # the loader's message names the item and says what is wrong
            return [Failed(item, k, describe_error(exc)) for k in ks] if ks else [Failed(item, None, describe_error(exc))]
    partners = source.partners_for(item) if pipeline.needs_partner else None
    label = item.label if pipeline.needs_partner else None
    results: list[Rendered | Failed] = []
    for k in ks:
        try:
            output, record = pipeline(data, seed=seed, index=k, source=item.id, partners=partners, label=label)
            if pipeline.modality == "image":
                encoded, ext = encode_output(output, item, encoding)
                results.append(Rendered(item, k, output, record, encoded, ext))
            else:
                results.append(Rendered(item, k, output, record))
        except Exception as exc:
            results.append(Failed(item, k, describe_error(exc)))
    return results


def render_item(
    pipeline: Pipeline, source: Source, item: Item, k: int, seed: int, encoding: Encoding = Encoding()
) -> Rendered | Failed:
    return render_variants(pipeline, source, item, [k], seed, encoding)[0]


def replay_variant(pipeline: Pipeline, source: Source, item: Item, record: dict, encoding: Encoding) -> Rendered:
    """Re-apply a stored record (no RNG, no model): the output must equal what was written."""
    data = source.load(item)
    partners = source.partners_for(item) if pipeline.needs_partner else None
    output = pipeline.replay(data, record, partners=partners)
    k = int(record.get("index", 0))
    if pipeline.modality == "image":
        encoded, ext = encode_output(output, item, encoding)
        return Rendered(item, k, output, record, encoded, ext)
    return Rendered(item, k, output, record)
