"""The sub-op kernels the policy augmenters chain, applied from recorded params with no RNG.

Semantics follow torchvision v2 functional on PIL images (Pillow's ImageOps, ImageEnhance and
affine transforms). Backends were picked by measurement on a 512x512 photo, one thread:
- point ops: bit operations (posterize, solarize, invert) or 256-entry lookup tables through
  OpenCV, computed exactly as Pillow computes them but without its Python loops and slow RGB
  histogram (bit-exact);
- shear, nearest: Pillow's own fixed-point sample points as whole-pixel row/column shifts
  (`_pillow_shear`, exact);
- rotate, and bilinear shears: OpenCV warps sampling Pillow's points (nearest: a few pixels
  per thousand differ on rotations; bilinear: within one level away from the border);
- translate: crop + constant border (exact);
- Color and Sharpness: OpenCV blends, 5x faster than ImageEnhance; they round where Pillow
  truncates (within one level; Color two, as its grey weights differ slightly).
RGBA: colour ops touch the colour channels only; geometric ops move alpha too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..core.errors import ReplayError
from ..core.params import Choice, Flag, Int, passed_through
from ._image import join_alpha, split_alpha
from ._pillow_shear import shear as pillow_shear

GEOMETRY_KEYS = ("fill", "transparent_fill", "interpolation")


def geometry_settings(interpolation: str = "nearest") -> tuple:
    """Border and resampling controls shared by every policy op (torchvision defaults: nearest,
    bilinear for AugMix). Fill defaults to the papers' grey 128 (torchvision's default is 0)."""
    return (
        Int("fill", default=128, min=0, max=255, help="Grey level shear, translate and rotate leave behind"),
        Flag("transparent_fill", default=True, help="RGBA images: make that fill transparent"),
        Choice("interpolation", default=interpolation, choices=("nearest", "bilinear"), help="Resampling filter"),
    )


def geometry_params(settings: dict) -> dict:
    return {key: settings[key] for key in GEOMETRY_KEYS}


def geometry_rules(settings: dict) -> dict:
    return passed_through(settings, *GEOMETRY_KEYS)


@dataclass(frozen=True)
class Geometry:
    fill: int
    transparent_fill: bool
    interpolation: str

    @classmethod
    def from_params(cls, params: dict) -> "Geometry":
        return cls(int(params["fill"]), bool(params["transparent_fill"]), str(params["interpolation"]))


class _Canvas:
    """The image being worked on: colour channels (HxW or HxWx3) and alpha, kept apart."""

    def __init__(self, image: np.ndarray):
        color, alpha = split_alpha(image)
        # A caller may hand us a view (a flipped or cropped array): OpenCV wants plain strides.
        self.color, self.alpha = np.ascontiguousarray(color), None if alpha is None else np.ascontiguousarray(alpha)
        self.gray = image.ndim == 2

    def result(self) -> np.ndarray:
        return np.ascontiguousarray(join_alpha(self.color, self.alpha))


# -- point ops: lookup tables ----------------------------------------------------------------

_LEVELS = np.arange(256)


def _apply_lut(canvas: _Canvas, lut: np.ndarray) -> None:
    """One table (256,) for all channels, or one per channel (channels, 256)."""
    import cv2

    image = canvas.color
    lut = lut.astype(np.uint8)
    if lut.ndim == 2:
        lut = lut[0] if image.ndim == 2 else np.ascontiguousarray(lut.T).reshape(1, 256, image.shape[2])
    canvas.color = cv2.LUT(image, lut)


def blend_lut(base: float, factor: float) -> np.ndarray:
    """Pillow's `Image.blend(flat grey `base`, image, factor)` per level: float32, truncated, clipped."""
    value = np.float32(base) + np.float32(factor) * (_LEVELS - int(base)).astype(np.float32)
    return np.clip(value, 0, 255).astype(np.uint8)


def _histograms(image: np.ndarray) -> np.ndarray:
    """(channels, 256) pixel counts; OpenCV's is ~2x faster than Pillow's on RGB."""
    import cv2

    channels = 1 if image.ndim == 2 else image.shape[2]
    return np.stack([cv2.calcHist([image], [c], None, [256], [0, 256]).ravel() for c in range(channels)]).astype(np.int64)


def equalize_lut(histogram: np.ndarray) -> np.ndarray:
    """ImageOps.equalize's table for one channel: spread the cumulative histogram over 0..255."""
    used = histogram[histogram > 0]
    if used.size <= 1:
        return _LEVELS.astype(np.uint8)
    step = int(used.sum() - used[-1]) // 255
    if not step:
        return _LEVELS.astype(np.uint8)
    below = np.concatenate(([0], np.cumsum(histogram)[:-1]))
    return np.minimum((step // 2 + below) // step, 255).astype(np.uint8)


def autocontrast_lut(lo: int, hi: int) -> np.ndarray:
    """ImageOps.autocontrast's table for one channel: stretch [darkest, lightest] to [0, 255]."""
    if hi <= lo:
        return _LEVELS.astype(np.uint8)
    scale = 255.0 / (hi - lo)
    offset = -lo * scale
    return np.clip(np.trunc(_LEVELS * scale + offset), 0, 255).astype(np.uint8)


def _brightness(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    _apply_lut(canvas, blend_lut(0, op["factor"]))


def _contrast(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    # Pillow's mean grey uses its own RGB->L rounding: ask Pillow for it so the result is exact.
    from PIL import Image

    gray = Image.fromarray(canvas.color)
    counts = np.asarray((gray if canvas.gray else gray.convert("L")).histogram(), dtype=np.int64)
    mean = int(float((counts * _LEVELS).sum()) / counts.sum() + 0.5)
    _apply_lut(canvas, blend_lut(mean, op["factor"]))


# Posterize, Solarize and Invert are bit operations: 10x faster than any lookup table.


def _posterize(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    """Keep the top `bits` bits of every level."""
    canvas.color = np.bitwise_and(canvas.color, np.uint8(0xFF << (8 - int(op["bits"])) & 0xFF))


def _solarize(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    """Invert the levels at or above the threshold: XOR with 255 where level >= threshold."""
    import cv2

    # For whole levels, `level >= t` is `level > ceil(t) - 1`, which is what cv2.threshold tests.
    above = math.ceil(float(op["threshold"])) - 1
    _, mask = cv2.threshold(canvas.color, above, 255, cv2.THRESH_BINARY)
    canvas.color = cv2.bitwise_xor(canvas.color, mask)


def _invert(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    canvas.color = np.invert(canvas.color)


def _equalize(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    _apply_lut(canvas, np.stack([equalize_lut(h) for h in _histograms(canvas.color)]))


def _autocontrast(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    # Only the darkest and lightest level matter: per-plane min/max is 2x faster than histograms.
    import cv2

    extremes = [cv2.minMaxLoc(plane)[:2] for plane in cv2.split(canvas.color)]
    _apply_lut(canvas, np.stack([autocontrast_lut(int(lo), int(hi)) for lo, hi in extremes]))


def _identity(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    return None


# -- blends with a degenerate image (ImageEnhance semantics, OpenCV speed) ------------------------

# Pillow's ImageFilter.SMOOTH, the blur ImageEnhance.Sharpness blends away from.
_SMOOTH = np.array([[1, 1, 1], [1, 5, 1], [1, 1, 1]], dtype=np.float32) / 13.0


def _blend(canvas: _Canvas, degenerate: np.ndarray, factor: float) -> None:
    """`degenerate + factor * (image - degenerate)`, rounded (Pillow truncates: at most 1 level apart)."""
    import cv2

    canvas.color = cv2.addWeighted(canvas.color, float(factor), degenerate, 1.0 - float(factor), 0.0)


def _color(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    """Saturation: blend with the pixel's own grey. OpenCV's grey weights round like Pillow's
    to within a level; 5x faster than ImageEnhance.Color here."""
    if canvas.gray:  # a grey image has no saturation to change
        return
    import cv2

    gray = cv2.cvtColor(cv2.cvtColor(canvas.color, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
    _blend(canvas, gray, op["factor"])


def _sharpness(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    """Blend with Pillow's SMOOTH blur, which leaves the outermost pixels as they are."""
    import cv2

    image = canvas.color
    smooth = cv2.filter2D(image, -1, _SMOOTH, borderType=cv2.BORDER_REPLICATE)
    smooth[[0, -1]] = image[[0, -1]]
    smooth[:, [0, -1]] = image[:, [0, -1]]
    _blend(canvas, smooth, op["factor"])


# -- geometry ---------------------------------------------------------------------------------------


def _move(canvas: _Canvas, geometry: Geometry, move: Callable[[np.ndarray, tuple], np.ndarray]) -> None:
    """Run `move(plane, fill)` on the colour channels and, with its own fill, on alpha."""
    canvas.color = move(canvas.color, (geometry.fill,) * (1 if canvas.gray else 3))
    if canvas.alpha is not None:
        canvas.alpha = move(canvas.alpha, (0 if geometry.transparent_fill else 255,))


def _warp(canvas: _Canvas, geometry: Geometry, matrix: tuple[float, ...]) -> None:
    """Warp by Pillow's inverse affine `matrix` (output pixel -> input point), as torchvision's
    PIL path does; OpenCV runs it (as fast as Pillow nearest, 3x faster bilinear, no conversion).

    Pillow samples at pixel centres (x + 0.5) and floors; OpenCV at (x, y) and rounds: shifting
    the offset by (a + b - 1) / 2 makes both sample the same points, up to OpenCV's 1/1024 px
    fixed point (nearest: a few pixels in a thousand can land one pixel over on a rotation).
    """
    import cv2

    a, b, c, d, e, f = matrix
    shifted = np.array([[a, b, c + (a + b - 1) / 2], [d, e, f + (d + e - 1) / 2]], dtype=np.float64)
    flags = (cv2.INTER_NEAREST if geometry.interpolation == "nearest" else cv2.INTER_LINEAR) | cv2.WARP_INVERSE_MAP

    def warp(plane: np.ndarray, fill: tuple) -> np.ndarray:
        size = (plane.shape[1], plane.shape[0])
        return cv2.warpAffine(plane, shifted, size, flags=flags, borderMode=cv2.BORDER_CONSTANT, borderValue=fill)

    _move(canvas, geometry, warp)


def _shift(canvas: _Canvas, geometry: Geometry, dx: int, dy: int) -> None:
    """A whole-pixel translation is a crop plus a constant border: exact and twice as fast as a warp."""
    import cv2

    def shift(plane: np.ndarray, fill: tuple) -> np.ndarray:
        height, width = plane.shape[:2]
        kept = plane[max(0, -dy) : max(0, height - max(0, dy)), max(0, -dx) : max(0, width - max(0, dx))]
        if kept.size == 0:
            out = np.empty_like(plane)
            out[...] = fill if plane.ndim == 3 else fill[0]
            return out
        borders = (max(0, dy), max(0, -dy), max(0, dx), max(0, -dx))
        return cv2.copyMakeBorder(kept, *borders, cv2.BORDER_CONSTANT, value=fill + (0,) * (4 - len(fill)))

    _move(canvas, geometry, shift)


def rotate_matrix(degrees: float, width: int, height: int) -> tuple[float, ...]:
    """Pillow's `Image.rotate` inverse matrix: counter-clockwise about the image centre."""
    angle = -math.radians(degrees)
    cos, sin = round(math.cos(angle), 15), round(math.sin(angle), 15)
    cx, cy = width / 2.0, height / 2.0
    return (cos, sin, cx - cos * cx - sin * cy, -sin, cos, cy + sin * cx - cos * cy)


def shear_matrix(shear: float, axis: str) -> tuple[float, ...]:
    """Pillow's inverse affine coefficients for a shear about the top-left corner.

    The shear angle goes through degrees as in torchvision (`shear=[degrees(atan(s)), 0]`),
    so the coefficients match its float rounding exactly.
    """
    angle = math.radians(math.degrees(math.atan(shear)))
    if axis == "x":
        return (1.0, math.tan(angle), 0.0, 0.0, 1.0, 0.0)
    return (1.0, 0.0, 0.0, -(math.sin(-angle) / math.cos(angle)), math.cos(-angle) / math.cos(angle), 0.0)


def _shear(canvas: _Canvas, geometry: Geometry, matrix: tuple[float, ...]) -> None:
    if geometry.interpolation == "nearest":  # Pillow's fixed-point points, exactly
        _move(canvas, geometry, lambda plane, fill: pillow_shear(plane, matrix, fill))
    else:
        _warp(canvas, geometry, matrix)


def _shear_x(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    _shear(canvas, geometry, shear_matrix(op["shear"], "x"))


def _shear_y(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    _shear(canvas, geometry, shear_matrix(op["shear"], "y"))


def _translate_x(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    _shift(canvas, geometry, int(op["pixels"]), 0)


def _translate_y(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    _shift(canvas, geometry, 0, int(op["pixels"]))


def _rotate(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    height, width = canvas.color.shape[:2]
    _warp(canvas, geometry, rotate_matrix(op["degrees"], width, height))


KERNELS: dict[str, Callable[[_Canvas, dict, Geometry], None]] = {
    "Identity": _identity,
    "ShearX": _shear_x,
    "ShearY": _shear_y,
    "TranslateX": _translate_x,
    "TranslateY": _translate_y,
    "Rotate": _rotate,
    "Brightness": _brightness,
    "Color": _color,
    "Contrast": _contrast,
    "Sharpness": _sharpness,
    "Posterize": _posterize,
    "Solarize": _solarize,
    "AutoContrast": _autocontrast,
    "Equalize": _equalize,
    "Invert": _invert,
}


def run_ops(image: np.ndarray, ops: list[dict], params: dict) -> np.ndarray:
    """Apply recorded sub-ops in order; `params` carries the fill and interpolation.

    Returns a new C-contiguous array (never the input itself).
    """
    geometry = Geometry.from_params(params)
    canvas = _Canvas(image)
    for op in ops:
        kernel = KERNELS.get(op.get("op")) if isinstance(op, dict) else None
        if kernel is None:
            raise ReplayError(f"unknown policy sub-op {op!r}; known: {', '.join(KERNELS)}")
        kernel(canvas, op, geometry)
    out = canvas.result()
    return out.copy() if np.shares_memory(out, image) else out
