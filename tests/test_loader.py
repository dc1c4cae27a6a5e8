"""The safe loader on the awkward inputs real datasets contain."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from augmenters import load_image, load_text
from augmenters.core.errors import (
    CorruptImageError,
    EmptyInputError,
    ImageTooLargeError,
    InputError,
    TextDecodeError,
    TextTooLargeError,
    UnsupportedFormatError,
)


def _encode(image: Image.Image, fmt: str, **kwargs) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def test_rgb_jpeg_and_png_load_as_uint8_arrays(tmp_path):
    rgb = np.arange(24 * 32 * 3, dtype=np.uint8).reshape(24, 32, 3)
    path = tmp_path / "a.png"
    Image.fromarray(rgb).save(path)
    out = load_image(path)
    assert out.dtype == np.uint8 and out.shape == (24, 32, 3) and np.array_equal(out, rgb)
    assert load_image(_encode(Image.fromarray(rgb), "JPEG")).shape == (24, 32, 3)
    assert load_image(str(path)).shape == (24, 32, 3)
    with open(path, "rb") as handle:
        assert load_image(handle).shape == (24, 32, 3)


def test_16_bit_png_is_scaled_not_clipped():
    values = np.array([[0, 257, 32768, 65535]], dtype=np.uint16)
    data = _encode(Image.fromarray(values), "PNG")
    out = load_image(data)
    assert out.dtype == np.uint8 and out.shape == (1, 4)
    assert out.tolist() == [[0, 1, 128, 255]]  # Pillow's own convert("L") would give 255 for all but 0


def test_float_tiff_in_unit_range_is_scaled():
    values = np.array([[0.0, 0.5, 1.0]], dtype=np.float32)
    out = load_image(_encode(Image.fromarray(values, mode="F"), "TIFF"))
    assert out.tolist() == [[0, 128, 255]]


def test_cmyk_jpeg_becomes_rgb():
    cmyk = Image.new("CMYK", (16, 8), (0, 255, 255, 0))  # pure red in CMYK
    out = load_image(_encode(cmyk, "JPEG", quality=95))
    assert out.shape == (8, 16, 3)
    r, g, b = out.reshape(-1, 3).mean(axis=0)
    assert r > 230 and g < 25 and b < 25


def test_exif_orientation_is_applied():
    image = np.zeros((20, 40, 3), dtype=np.uint8)
    image[0, 0] = (255, 0, 0)  # red mark at the stored top-left
    pil = Image.fromarray(image)
    exif = pil.getexif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    out = load_image(_encode(pil, "PNG", exif=exif.tobytes()))
    assert out.shape == (40, 20, 3)
    assert tuple(out[0, -1]) == (255, 0, 0)  # the mark is now top-right


def test_palette_with_transparency_becomes_rgba():
    pil = Image.new("P", (4, 2))
    pil.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    pil.putpixel((1, 0), 1)
    out = load_image(_encode(pil, "PNG", transparency=0))
    assert out.shape == (2, 4, 4)
    assert tuple(out[0, 1]) == (255, 0, 0, 255)
    assert out[0, 0, 3] == 0 and out[1, 3, 3] == 0


def test_palette_without_transparency_becomes_rgb_and_la_becomes_rgba():
    pil = Image.new("P", (4, 2))
    pil.putpalette([10, 20, 30] * 256)
    assert load_image(_encode(pil, "PNG")).shape == (2, 4, 3)
    la = Image.new("LA", (3, 3), (77, 128))
    out = load_image(_encode(la, "PNG"))
    assert out.shape == (3, 3, 4) and tuple(out[1, 1]) == (77, 77, 77, 128)


def test_greyscale_and_1_bit_stay_greyscale():
    assert load_image(_encode(Image.new("L", (5, 4), 9), "PNG")).shape == (4, 5)
    one_bit = load_image(_encode(Image.new("1", (5, 4), 1), "PNG"))
    assert one_bit.shape == (4, 5) and one_bit.max() == 255


def test_gif_gives_its_first_frame():
    frames = [Image.new("RGB", (6, 6), c) for c in ((255, 0, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    out = load_image(buffer.getvalue())
    assert out.shape == (6, 6, 3) and out[0, 0, 0] > 200 and out[0, 0, 2] < 50


def test_truncated_file_is_refused():
    noisy = np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    data = _encode(Image.fromarray(noisy), "JPEG")
    with pytest.raises(CorruptImageError, match="damaged or truncated"):
        load_image(data[: len(data) // 2], name="half.jpg")
    png = _encode(Image.fromarray(np.arange(64 * 64, dtype=np.uint8).reshape(64, 64) % 7), "PNG")
    with pytest.raises(CorruptImageError):
        load_image(png[: len(png) - 30])


def _png_with_size(width: int, height: int) -> bytes:
    """A real 1x1 PNG whose header claims another size: a decompression bomb's calling card."""
    data = bytearray(_encode(Image.new("L", (1, 1)), "PNG"))
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr) & 0xFFFFFFFF)
    return bytes(data)


def test_bomb_sized_header_is_refused_before_decoding():
    with pytest.raises(ImageTooLargeError, match="12000x5000 is 60.0 MP, above the 40 MP limit"):
        load_image(_png_with_size(12_000, 5_000), name="big.png")
    with pytest.raises(ImageTooLargeError, match="above the 1 MP limit"):
        load_image(_png_with_size(2000, 1000), max_pixels=1_000_000)
    with pytest.raises(ImageTooLargeError, match="bomb.png: too many pixels, refused as a decompression bomb"):
        load_image(_png_with_size(300_000, 300_000), name="bomb.png")


def test_wrong_format_empty_and_oversized_files():
    noisy = np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    with pytest.raises(UnsupportedFormatError, match="not an image augplay reads"):
        load_image(b"%PDF-1.4 definitely not an image", name="doc.pdf")
    tga = _encode(Image.new("RGB", (4, 4)), "TGA")  # Pillow reads TGA, we do not
    with pytest.raises(UnsupportedFormatError):
        load_image(tga)
    with pytest.raises(EmptyInputError, match="empty"):
        load_image(b"")
    with pytest.raises(ImageTooLargeError, match="MB limit"):
        load_image(_encode(Image.fromarray(noisy), "PNG"), max_bytes=1000)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_image(tmp_path / "nope.png")


def test_text_loading(tmp_path):
    assert load_text("héllo 안녕 🙂") == "héllo 안녕 🙂"
    assert load_text("\ufeffhi".encode("utf-8")) == "hi"  # BOM dropped
    path = tmp_path / "t.txt"
    path.write_bytes("line one\nline two\n".encode("utf-8"))
    assert load_text(path) == "line one\nline two\n"
    with pytest.raises(TextDecodeError, match=r"not UTF-8 \(byte 0xe9 at offset 3\)"):
        load_text("caf\xe9".encode("latin-1"))
    with pytest.raises(TextTooLargeError, match="above the 10 limit"):
        load_text("x" * 11, max_chars=10)
    with pytest.raises(EmptyInputError):
        load_text("   \n")
    with pytest.raises(InputError, match="NUL"):
        load_text("a\x00b")
