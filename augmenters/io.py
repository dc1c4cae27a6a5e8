"""Writing outputs: atomic file writes (temp file + os.replace) and image encoding."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import numpy as np

PNG_COMPRESS_LEVEL = 1  # ~3x faster than Pillow's default 6 for ~9% more bytes
JPEG_QUALITY = 90
# mkstemp makes files only their owner can read; outputs get the mode a plain open() would give.
_UMASK = os.umask(0o022)
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK


def write_bytes_atomic(path: str | os.PathLike, data: bytes, *, durable: bool = True) -> None:
    """Write so that a reader sees the old file or the whole new one, never half of it.

    `durable=False` skips the fsync: still atomic if the process dies (the rename happens only
    after the write), not if the machine loses power. Export rows use it (a journal tells a
    resumed run what to redo); it halves the cost of a small file here.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        if hasattr(os, "fchmod"):  # not on Windows
            os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def encode_image(
    image: np.ndarray,
    fmt: str = "png",
    quality: int = JPEG_QUALITY,
    *,
    png_level: int = PNG_COMPRESS_LEVEL,
    exif: bytes | None = None,
) -> bytes:
    """PNG keeps every pixel (and alpha); JPEG is ~20x faster to encode and flattens alpha onto white.

    `exif` (raw EXIF bytes) is embedded when given; by default outputs carry no metadata.
    """
    from PIL import Image

    pil = Image.fromarray(image)
    buffer = io.BytesIO()
    fmt = fmt.lower()
    extra = {"exif": exif} if exif else {}
    if fmt == "png":
        pil.save(buffer, format="PNG", compress_level=png_level, **extra)
    elif fmt in ("jpeg", "jpg"):
        if pil.mode == "RGBA":
            background = Image.new("RGB", pil.size, (255, 255, 255))
            background.paste(pil, mask=pil.getchannel("A"))
            pil = background
        pil.save(buffer, format="JPEG", quality=quality, **extra)
    elif fmt == "webp":
        pil.save(buffer, format="WEBP", quality=quality, **extra)
    else:
        raise ValueError(f"unknown image format {fmt!r} (png, jpeg, webp)")
    return buffer.getvalue()
