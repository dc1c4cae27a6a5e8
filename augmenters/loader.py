"""The only door inputs come through: images and text are checked here, refused with a reason.

Images become uint8 arrays in one of three layouts: HxW (L), HxWx3 (RGB), HxWx4 (RGBA).
Conversion rules:
- EXIF orientation is applied, then dropped.
- 16-bit and 32-bit integer greyscale is scaled to 0-255 (x * 255 / 65535), never clipped;
  float images in [0, 1] are scaled by 255, other float ranges are stretched min..max.
- Palette images become RGBA when they carry transparency, else RGB; LA and PA become RGBA;
  1-bit becomes L; CMYK, YCbCr, LAB and HSV become RGB.
- Multi-frame files (GIF, TIFF, WebP animations) give their first frame.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import BinaryIO, Union

import numpy as np

from .core.errors import (
    AugplayError,
    CorruptImageError,
    EmptyInputError,
    ImageTooLargeError,
    InputError,
    TextDecodeError,
    TextTooLargeError,
    UnsupportedFormatError,
)

ImageSource = Union[str, os.PathLike, bytes, BinaryIO]

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "BMP", "TIFF", "GIF")
DEFAULT_MAX_PIXELS = 40_000_000  # well under Pillow's own bomb limit (89 MP)
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
DEFAULT_MAX_TEXT_CHARS = 1_000_000
_RGB_LIKE = {"CMYK", "YCbCr", "LAB", "HSV", "RGBX", "RGBa"}


def _describe(source: ImageSource) -> str:
    if isinstance(source, (str, os.PathLike)):
        return Path(source).name
    return getattr(source, "name", None) and Path(source.name).name or "the image"  # type: ignore[union-attr]


def _read_bytes(source: ImageSource, max_bytes: int, label: str) -> bytes:
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise InputError(f"{label}: no such file")
        size = path.stat().st_size
        if size > max_bytes:
            raise ImageTooLargeError(f"{label}: file is {size / 1e6:.1f} MB, above the {max_bytes / 1e6:.0f} MB limit")
        data = path.read_bytes()
    else:
        data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImageTooLargeError(f"{label}: file is above the {max_bytes / 1e6:.0f} MB limit")
    if not data:
        raise EmptyInputError(f"{label}: the file is empty")
    return data


def load_image(
    source: ImageSource,
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    name: str | None = None,
) -> np.ndarray:
    """Decode an image file safely into a uint8 array (L, RGB or RGBA). See the module docstring."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    label = name or _describe(source)
    data = _read_bytes(source, max_bytes, label)
    try:
        # Our own pixel cap (below Pillow's) is checked right after the header is read;
        # Pillow's bomb error still guards anything far beyond it.
        image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
    except Image.DecompressionBombError as exc:
        raise ImageTooLargeError(f"{label}: too many pixels, refused as a decompression bomb ({exc})") from None
    except UnidentifiedImageError:
        raise _unidentified(data, label) from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise CorruptImageError(f"{label}: the file is damaged or truncated ({exc})") from None

    width, height = image.size
    if width < 1 or height < 1:
        raise CorruptImageError(f"{label}: the image has no pixels ({width}x{height})")
    if width * height > max_pixels:
        raise ImageTooLargeError(
            f"{label}: {width}x{height} is {width * height / 1e6:.1f} MP, above the {max_pixels / 1e6:.0f} MP limit"
        )
    try:
        image.seek(0)
        image.load()  # refuses truncated files: LOAD_TRUNCATED_IMAGES stays False
        image = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise CorruptImageError(f"{label}: the file is damaged or truncated ({exc})") from None
    return _to_array(image, label)


_SIGNATURES = {  # the first bytes of the formats augplay reads
    b"\xff\xd8\xff": "JPEG",
    b"\x89PNG\r\n\x1a\n": "PNG",
    b"GIF87a": "GIF",
    b"GIF89a": "GIF",
    b"BM": "BMP",
    b"II*\x00": "TIFF",
    b"MM\x00*": "TIFF",
}


def _unidentified(data: bytes, label: str) -> AugplayError:
    """Why Pillow could not identify the file, in the user's terms: damaged, vector, or not an image."""
    kind = next((name for magic, name in _SIGNATURES.items() if data.startswith(magic)), None)
    if kind is None and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind = "WEBP"
    if kind:
        return CorruptImageError(f"{label}: the file starts as a {kind} but is damaged or truncated")
    head = data[:512].lstrip().lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head):
        return UnsupportedFormatError(f"{label}: an SVG is a vector drawing; augplay reads pixel images (save it as PNG)")
    kinds = ", ".join(f.lower() for f in ALLOWED_FORMATS)
    return UnsupportedFormatError(f"{label}: not an image augplay reads ({kinds})")


def frame_count(source: ImageSource) -> int:
    """How many frames a file holds (GIF, WebP, TIFF animations); `load_image` uses the first."""
    from PIL import Image

    try:
        with Image.open(source if not isinstance(source, bytes) else io.BytesIO(source)) as image:
            return int(getattr(image, "n_frames", 1))
    except Exception:  # the loader itself says what is wrong with an unreadable file
        return 1


def _to_array(image, label: str) -> np.ndarray:
    mode = image.mode
    if mode in ("L", "RGB", "RGBA"):
        return np.array(image, dtype=np.uint8)
    if mode == "1":
        return np.array(image.convert("L"), dtype=np.uint8)
    if mode == "P":
        has_alpha = "transparency" in image.info or image.palette.mode == "RGBA"
        return np.array(image.convert("RGBA" if has_alpha else "RGB"), dtype=np.uint8)
    if mode in ("LA", "PA", "La"):
        return np.array(image.convert("RGBA"), dtype=np.uint8)
    if mode in _RGB_LIKE:
        return np.array(image.convert("RGB"), dtype=np.uint8)
    if mode.startswith("I;16") or mode == "I":
        values = np.asarray(image, dtype=np.float64)
        if values.min() < 0 or values.max() > 65535:
            return _stretch(values)
        return np.rint(values * (255.0 / 65535.0)).astype(np.uint8)
    if mode == "F":
        values = np.asarray(image, dtype=np.float64)
        if not np.isfinite(values).all():
            raise CorruptImageError(f"{label}: the float image holds NaN or infinite values")
        if values.min() >= 0 and values.max() <= 1:
            return np.rint(values * 255.0).astype(np.uint8)
        return _stretch(values)
    raise UnsupportedFormatError(f"{label}: pixel mode {mode} is not supported")


def _stretch(values: np.ndarray) -> np.ndarray:
    lo, hi = float(values.min()), float(values.max())
    if hi == lo:
        return np.zeros(values.shape, dtype=np.uint8)
    return np.rint((values - lo) * (255.0 / (hi - lo))).astype(np.uint8)


def image_mode(image: np.ndarray) -> str:
    """The Pillow mode name of an augplay image array."""
    if image.ndim == 2:
        return "L"
    return {3: "RGB", 4: "RGBA"}[image.shape[2]]


def to_pil(image: np.ndarray):
    from PIL import Image

    return Image.fromarray(image, mode=None)


def load_text(
    source: str | bytes | os.PathLike,
    *,
    max_chars: int = DEFAULT_MAX_TEXT_CHARS,
    name: str | None = None,
) -> str:
    """Text from a str, UTF-8 bytes or a file path (`Path`); a clear error when it is not UTF-8 or too long."""
    label = name or (Path(source).name if isinstance(source, os.PathLike) else "the text")
    if isinstance(source, os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise InputError(f"{label}: no such file")
        if path.stat().st_size > max_chars * 4:
            raise TextTooLargeError(f"{label}: the file is larger than {max_chars:,} characters allow")
        source = path.read_bytes()
    if isinstance(source, bytes):
        try:
            text = source.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            bad = source[exc.start : exc.start + 1].hex()
            raise TextDecodeError(
                f"{label} is not UTF-8 (byte 0x{bad} at offset {exc.start}); save it as UTF-8 and try again"
            ) from None
    elif isinstance(source, str):
        text = source
    else:
        raise InputError(f"{label}: expected text, got {type(source).__name__}")
    if len(text) > max_chars:
        raise TextTooLargeError(f"{label}: {len(text):,} characters is above the {max_chars:,} limit")
    if not text.strip():
        raise EmptyInputError(f"{label}: the text is empty")
    if "\x00" in text:
        raise InputError(f"{label}: the text contains NUL bytes (is it a binary file?)")
    return text
