"""The sub-op kernels the policy augmenters chain, applied from recorded params with no RNG.

Semantics follow torchvision v2 functional on PIL images (PIL's ImageOps / ImageEnhance),
bit for bit. Backends were picked by measurement on a 512x512 photo, one thread:
Pillow for affine warps, Color and Sharpness; 256-entry lookup tables through OpenCV for the
point ops, their tables computed exactly as Pillow computes them but without its Python loops
and slow RGB histogram. A `_Canvas` converts between the two only when a kernel needs the other.
RGBA: colour ops touch the colour channels only; geometric ops move alpha too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ..core.errors import ReplayError
from ..core.params import Choice, Flag, Int
from ._image import join_alpha, split_alpha

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


@dataclass(frozen=True)
class Geometry:
    fill: int
    transparent_fill: bool
    interpolation: str

    @classmethod
    def from_params(cls, params: dict) -> "Geometry":
        return cls(int(params["fill"]), bool(params["transparent_fill"]), str(params["interpolation"]))


class _Canvas:
    """The colour channels as a numpy array or a PIL image (converted lazily), plus alpha."""

    def __init__(self, image: np.ndarray):
        self._array, self.alpha = split_alpha(image)
        self._pil: Any = None
        self.gray = image.ndim == 2

    def array(self) -> np.ndarray:
        if self._array is None:
            self._array = np.asarray(self._pil)
        return self._array

    def pil(self) -> Any:
        if self._pil is None:
            from PIL import Image

            self._pil = Image.fromarray(np.ascontiguousarray(self._array))
        return self._pil

    def set_array(self, array: np.ndarray) -> None:
        self._array, self._pil = array, None

    def set_pil(self, image: Any) -> None:
        self._array, self._pil = None, image

    def result(self) -> np.ndarray:
        return np.ascontiguousarray(join_alpha(self.array(), self.alpha))


# -- point ops: lookup tables ----------------------------------------------------------------

_LEVELS = np.arange(256)


def _apply_lut(canvas: _Canvas, lut: np.ndarray) -> None:
    """One table (256,) for all channels, or one per channel (channels, 256)."""
    import cv2

    image = canvas.array()
    lut = lut.astype(np.uint8)
    if lut.ndim == 2:
        lut = lut[0] if image.ndim == 2 else np.ascontiguousarray(lut.T).reshape(1, 256, image.shape[2])
    canvas.set_array(cv2.LUT(image, lut))


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


def autocontrast_lut(histogram: np.ndarray) -> np.ndarray:
    """ImageOps.autocontrast's table for one channel: stretch [darkest, lightest] to [0, 255]."""
    used = np.flatnonzero(histogram)
    lo, hi = (int(used[0]), int(used[-1])) if used.size else (0, 0)
    if hi <= lo:
        return _LEVELS.astype(np.uint8)
    scale = 255.0 / (hi - lo)
    offset = -lo * scale
    return np.clip(np.trunc(_LEVELS * scale + offset), 0, 255).astype(np.uint8)


def _per_channel(canvas: _Canvas, table: Callable[[np.ndarray], np.ndarray]) -> None:
    hist = _histograms(canvas.array())
    _apply_lut(canvas, np.stack([table(h) for h in hist]))


def _brightness(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    _apply_lut(canvas, blend_lut(0, op["factor"]))


def _contrast(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    # Pillow's mean grey uses its own RGB->L rounding: ask Pillow for it so the result is exact.
    gray = canvas.pil() if canvas.gray else canvas.pil().convert("L")
    counts = np.asarray(gray.histogram(), dtype=np.int64)
    mean = int(float((counts * _LEVELS).sum()) / counts.sum() + 0.5)
    _apply_lut(canvas, blend_lut(mean, op["factor"]))


def _posterize(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    mask = ~(2 ** (8 - int(op["bits"])) - 1)
    _apply_lut(canvas, _LEVELS & mask)


def _solarize(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    _apply_lut(canvas, np.where(_LEVELS < op["threshold"], _LEVELS, 255 - _LEVELS))


def _invert(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    _apply_lut(canvas, 255 - _LEVELS)


def _equalize(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    _per_channel(canvas, equalize_lut)


def _autocontrast(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    _per_channel(canvas, autocontrast_lut)


def _identity(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    return None


# -- Pillow ops -------------------------------------------------------------------------------


def _color(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    if canvas.gray:  # a grey image has no saturation to change
        return
    from PIL import ImageEnhance

    canvas.set_pil(ImageEnhance.Color(canvas.pil()).enhance(op["factor"]))


def _sharpness(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    from PIL import ImageEnhance

    canvas.set_pil(ImageEnhance.Sharpness(canvas.pil()).enhance(op["factor"]))


def _resample(geometry: Geometry) -> Any:
    from PIL import Image

    return Image.Resampling.NEAREST if geometry.interpolation == "nearest" else Image.Resampling.BILINEAR


def _warp(canvas: _Canvas, geometry: Geometry, warp: Callable[[Any, Any], Any]) -> None:
    """Run `warp(pil_image, fillcolor)` on the colour channels and, with its own fill, on alpha."""
    from PIL import Image

    fill = geometry.fill if canvas.gray else (geometry.fill,) * 3
    canvas.set_pil(warp(canvas.pil(), fill))
    if canvas.alpha is not None:
        alpha_fill = 0 if geometry.transparent_fill else 255
        canvas.alpha = np.asarray(warp(Image.fromarray(np.ascontiguousarray(canvas.alpha)), alpha_fill))


def shear_matrix(shear: float, axis: str) -> tuple[float, ...]:
    """Pillow's inverse affine coefficients for a shear about the top-left corner.

    The shear angle goes through degrees as in torchvision (`shear=[degrees(atan(s)), 0]`),
    so the coefficients match its float rounding exactly.
    """
    angle = math.radians(math.degrees(math.atan(shear)))
    if axis == "x":
        return (1.0, math.tan(angle), 0.0, 0.0, 1.0, 0.0)
    return (1.0, 0.0, 0.0, -(math.sin(-angle) / math.cos(angle)), math.cos(-angle) / math.cos(angle), 0.0)


def _affine(canvas: _Canvas, geometry: Geometry, matrix: tuple[float, ...]) -> None:
    from PIL import Image

    resample = _resample(geometry)
    _warp(canvas, geometry, lambda im, fill: im.transform(im.size, Image.Transform.AFFINE, matrix, resample, fillcolor=fill))


def _shear_x(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    _affine(canvas, geometry, shear_matrix(op["shear"], "x"))


def _shear_y(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    _affine(canvas, geometry, shear_matrix(op["shear"], "y"))


def _translate_x(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    _affine(canvas, geometry, (1.0, 0.0, -float(op["pixels"]), 0.0, 1.0, 0.0))


def _translate_y(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    _affine(canvas, geometry, (1.0, 0.0, 0.0, 0.0, 1.0, -float(op["pixels"])))


def _rotate(canvas: _Canvas, op: dict, geometry: Geometry) -> None:
    resample = _resample(geometry)
    _warp(canvas, geometry, lambda im, fill: im.rotate(op["degrees"], resample, fillcolor=fill))


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
