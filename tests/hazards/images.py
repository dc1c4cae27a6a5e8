"""Hostile and unusual image files, generated at test time (no binary blobs in the repository).

Each case is a file name, a function that writes it, and what every entry point must say:
`ok` (loads; `note` says what the user is told) or a fragment of the one-line human message.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
from PIL import Image

from augmenters.loader import DEFAULT_MAX_PIXELS

from ..conftest import make_photo_like


@dataclass(frozen=True)
class ImageCase:
    name: str  # the file name, extension included (some lie)
    make: Callable[[Path], None]
    refusal: str | None  # None: the image loads; else a fragment of the message
    shape: tuple[int, ...] | None = None  # what the loader returns when it loads


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def header_only_png(width: int, height: int) -> bytes:
    """A valid PNG header declaring width x height, with a few bytes of pixel data: tiny on disk."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")


def _save(array: np.ndarray, format: str, **kwargs) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        Image.fromarray(array).save(path, format=format, **kwargs)

    return write


def _save_image(make_image: Callable[[], Image.Image], format: str, **kwargs) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        make_image().save(path, format=format, **kwargs)

    return write


def _bytes(data: bytes | Callable[[], bytes]) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_bytes(data() if callable(data) else data)

    return write


def _jpeg_bytes(height: int = 48, width: int = 64) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(make_photo_like(height, width, 3)).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def _png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(make_photo_like(40, 30, 3, seed=5)).save(buffer, format="PNG")
    return buffer.getvalue()


def _cmyk() -> Image.Image:
    return Image.fromarray(make_photo_like(32, 48, 3)).convert("CMYK")


def _palette_with_transparency() -> Image.Image:
    image = Image.fromarray(make_photo_like(32, 48, 3)).convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    image.info["transparency"] = 0
    return image


def _animated(format: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        frames = [Image.fromarray(make_photo_like(24, 32, 3, seed=s)) for s in range(4)]
        frames[0].save(path, format=format, save_all=True, append_images=frames[1:], duration=100, loop=0)

    return write


def _exif_rotated(path: Path) -> None:
    image = Image.fromarray(make_photo_like(20, 40, 3))
    exif = image.getexif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    image.save(path, format="JPEG", exif=exif.tobytes())


def _float_tiff(path: Path) -> None:
    values = (make_photo_like(16, 24, 1).reshape(16, 24).astype(np.float32) / 255.0)
    Image.fromarray(values, mode="F").save(path, format="TIFF")


def _png16(path: Path) -> None:
    values = make_photo_like(16, 24, 1).reshape(16, 24).astype(np.uint16) * 257
    Image.fromarray(values).save(path, format="PNG")


def _huge_but_legal(path: Path) -> None:
    # 4000 x 3000 = 12 MP: under the local cap (40 MP), at the Space cap; flat, so it encodes fast
    Image.new("RGB", (4000, 3000), (90, 140, 200)).save(path, format="PNG", optimize=False)


side = int(DEFAULT_MAX_PIXELS**0.5) + 1  # a square just over the cap

IMAGE_CASES = [
    ImageCase("bomb_just_over.png", _bytes(lambda: header_only_png(side, side)), f"is {side * side / 1e6:.1f} MP, above the 40 MP limit"),
    ImageCase("bomb_far_over.png", _bytes(lambda: header_only_png(100_000, 100_000)), "too many pixels, refused as a decompression bomb"),
    ImageCase("declares_huge.png", _bytes(lambda: header_only_png(30_000, 2_000)), "30000x2000 is 60.0 MP, above the 40 MP limit"),
    ImageCase("truncated.jpg", _bytes(lambda: _jpeg_bytes()[:400]), "the file is damaged or truncated"),
    ImageCase("corrupt.jpg", _bytes(lambda: _jpeg_bytes()[:200] + bytes(range(256)) * 8), "damaged or truncated"),
    ImageCase("zero_bytes.png", _bytes(b""), "the file is empty"),
    ImageCase("png_named.jpg", _bytes(_png_bytes), None, (40, 30, 3)),
    ImageCase("html_named.png", _bytes(b"<!doctype html><html><body>hello</body></html>"), "not an image augplay reads"),
    ImageCase(
        "vector.svg",
        _bytes(b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'),
        "an SVG is a vector drawing; augplay reads pixel images (save it as PNG)",
    ),
    ImageCase("sixteen_bit.png", _png16, None, (16, 24)),
    ImageCase("float32.tiff", _float_tiff, None, (16, 24)),
    ImageCase("cmyk.jpg", _save_image(_cmyk, "JPEG"), None, (32, 48, 3)),
    ImageCase("palette_transparent.png", _save_image(_palette_with_transparency, "PNG"), None, (32, 48, 4)),
    ImageCase("grey_alpha.png", _save_image(lambda: Image.fromarray(make_photo_like(16, 16, 3)).convert("LA"), "PNG"), None, (16, 16, 4)),
    ImageCase("rgba.png", _save(make_photo_like(16, 20, 4), "PNG"), None, (16, 20, 4)),
    ImageCase("animated.gif", _animated("GIF"), None, (24, 32, 3)),
    ImageCase("animated.webp", _animated("WEBP"), None, (24, 32, 3)),
    ImageCase("exif_rotated.jpg", _exif_rotated, None, (40, 20, 3)),
    ImageCase("one_by_ten_thousand.png", _save(make_photo_like(1, 10_000, 3), "PNG"), None, (1, 10_000, 3)),
    ImageCase("ten_thousand_by_one.png", _save(make_photo_like(10_000, 1, 3), "PNG"), None, (10_000, 1, 3)),
    ImageCase("one_pixel.png", _save(make_photo_like(1, 1, 3), "PNG"), None, (1, 1, 3)),
    ImageCase("huge_but_legal.png", _huge_but_legal, None, (3000, 4000, 3)),
]

REFUSED = [case for case in IMAGE_CASES if case.refusal]
LOADED = [case for case in IMAGE_CASES if not case.refusal]


def write_all(folder: Path, cases: list[ImageCase] = IMAGE_CASES) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for case in cases:
        path = folder / case.name
        case.make(path)
        paths[case.name] = path
    return paths
