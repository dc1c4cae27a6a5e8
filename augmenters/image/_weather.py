"""A vectorised renderer of the layers imgaug 0.4.0's Rain and Snowflakes draw (imgaug/augmenters/weather.py).

imgaug draws a layer as: Salt noise at a reduced resolution, gated by an 8x8 Beta field,
cubic-upscaled to full size, (snow) Gaussian-blurred, motion-blurred by a rotated ramp kernel
speed * max(H, W) long, then blended (rain.py, snow.py). Every step runs at full resolution
and the kernel is up to 200 px long: 25-90 ms a 512x512 image.

The same layer here, every random quantity drawn from one numpy Generator:
- the noise goes into a canvas sheared so that streaks run straight down; only its points are
  drawn (snow), or how many of a cell's pixels are salt (rain: the field is smooth along a
  streak, so a canvas row stands for several image rows, 8-16 of them a streak); there
  imgaug's ramp is one column filter of at most 17 rows;
- one affine warp per layer shears the canvas back to the layer's angle, onto the layer grid:
  snow's reduced resolution (the flakes' own scale), rain's full width but a third of the rows
  (its streaks are at least 0.04 of the image long, within 15 deg of vertical). For rain the
  same warp stretches the noise from the reduced to the full width (linearly: imgaug's bicubic
  stretch, 1-2 % at the default drop sizes, widened streaks across more than the shear's own
  interpolation does); the callers combine layers there and upscale once.
Not byte-equal to imgaug (its noise comes from its own RNG); tests/test_weather.py holds the
statistics of the two together.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._lut import apply_lut
from ._scratch import scratch

_GATE_CELLS = 8  # imgaug's gate_noise_size
_ROWS_PER_STREAK = 8  # canvas rows along one streak, at least (the warp interpolates between them)


@dataclass(frozen=True)
class Layers:
    """The per-layer ranges imgaug's Rain and Snowflakes give their 1-3 layers."""

    density_uniformity: tuple[float, float]
    size_uniformity: tuple[float, float]
    max_angle: float
    blur_sigma_fraction: tuple[float, float]
    rows_per_cell: int  # low-resolution rows a grid row stands for


RAIN = Layers((0.8, 1.0), (0.2, 0.5), 15.0, (0.001, 0.001), 3)  # imgaug's RainLayer ignores the last two ranges
SNOW = Layers((0.3, 0.9), (0.4, 0.8), 30.0, (0.0001, 0.001), 1)


def layer_count(rng: np.random.Generator) -> int:
    """imgaug's SomeOf((1, 3)) over three identical layers."""
    return int(rng.integers(1, 4))


@dataclass(frozen=True)
class Grid:
    """Where layers are drawn: `rows` x `cols` cells over an image of `height` x `width`, from
    noise drawn `noise_cols` wide (imgaug's reduced resolution)."""

    height: int
    width: int
    rows: int
    cols: int
    pixels_per_cell: float  # low-resolution pixels a cell stands for
    noise_cols: int

    @classmethod
    def for_image(cls, height: int, width: int, size: float, rows_per_cell: int, full_width: bool) -> "Grid":
        """`full_width`: columns at the image's width, the noise stretched to it by the shear's
        warp (rain's thin streaks); else the grid is the reduced resolution (snow)."""
        scale = min(max(1.0 - size, 0.001), 1.0)  # imgaug: flake_size / drop_size -> downscale
        low_h, low_w = max(1, int(height * scale)), max(1, int(width * scale))
        rows = max(1, -(-low_h // rows_per_cell))
        return cls(height, width, rows, width if full_width else low_w, low_h / rows, low_w)

    @property
    def dy(self) -> float:  # image rows a grid row
        return self.height / self.rows

    @property
    def dx(self) -> float:  # image columns a grid column
        return self.width / self.cols


def motion_length(speed: float, height: int, width: int) -> int:
    """imgaug's motion-blur kernel size (0: no blur): int(speed * longer side), odd, at least 3."""
    k = int(speed * max(height, width))
    if k <= 1:
        return 0
    k = max(k, 3)
    return k if k % 2 else k + 1


def streak_field(
    rng: np.random.Generator,
    grid: Grid,
    density: float,
    density_uniformity: float,
    angle: float,
    kernel: int,
    sigma: float,
    out: np.ndarray,
    tone: tuple[float, float] = (1.0, 0.0),
    peek: Callable[[np.ndarray], None] | None = None,
) -> np.ndarray:
    """One layer's gated, motion-blurred salt noise on `grid`, written to `out` (float32).

    `tone` = (scale, offset): the field is max(scale * noise + offset, 0), the noise on imgaug's
    0-255 scale; it is applied in the blur's own pass, on the canvas (fewer cells than the grid).
    `peek`, if given, sees the blurred noise's first 1000 values (rain's drop grey reads them)."""
    import cv2

    theta = math.radians(angle)
    length = (kernel - 1) * math.cos(theta) / grid.dy if kernel else 0.0  # the streak, in grid rows
    stretch = max(1, int(length // _ROWS_PER_STREAK))  # grid rows a canvas row
    rows = -(-grid.rows // stretch) + 1
    canvas = salt(rng, rows, grid.noise_cols, density, grid.pixels_per_cell * stretch, density_uniformity)
    if sigma > 0.25:  # below that imgaug's Gaussian kernel is all but one tap
        canvas = cv2.GaussianBlur(canvas, (0, 0), sigma, dst=scratch("gauss", canvas.shape))
    # The shear turns a canvas column into a line `angle` degrees from vertical (positive leans
    # like "/", as imgaug's rotated kernel). The noise is stationary and the gate periodic
    # across, so the canvas wraps around: the blur writes into the middle of a wider canvas and
    # the columns the shear reaches past an edge are copied from the other side (warpAffine's
    # own BORDER_WRAP costs twice as much).
    sx = grid.noise_cols / grid.cols  # canvas columns a grid column: the warp stretches the noise
    slope = math.tan(theta) * grid.dy / grid.dx * sx  # canvas columns a grid row
    reach = int(math.ceil(abs(slope) * grid.rows)) + 2
    first = -reach if slope < 0 else 0
    wide, field = _wide_canvas(rows, canvas.shape[1], reach, before=slope < 0)
    scale, offset = tone
    _ramp_up(canvas, length / stretch, kernel - 1, scale, offset, out=field)
    if peek is not None:
        head = field[: -(-1000 // field.shape[1])].ravel()[:1000]
        peek((head - np.float32(offset)) / np.float32(scale))
    _wrap(wide, field, reach, before=slope < 0)
    if scale < 0 or offset < 0:  # the noise is >= 0: only a negative scale or offset goes below 0
        np.maximum(wide, 0.0, out=wide)
    to_canvas = np.float32([[sx, slope, 0.5 * sx - 0.5 - first], [0.0, 1.0 / stretch, 0.0]])
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    return cv2.warpAffine(wide, to_canvas, (grid.cols, grid.rows), dst=out, flags=flags, borderMode=cv2.BORDER_REFLECT_101)


def _wide_canvas(rows: int, cols: int, reach: int, before: bool) -> tuple[np.ndarray, np.ndarray]:
    """A (scratch) canvas `reach` columns wider than `cols`, and the view where the field goes."""
    if reach > cols:  # a tall, narrow image at a steep angle wraps more than once: np.take, below
        return scratch("wide", (rows, cols + reach)), scratch("unwrapped", (rows, cols))
    wide = scratch("wide", (rows, cols + reach))
    return wide, (wide[:, reach:] if before else wide[:, :cols])


def _wrap(wide: np.ndarray, field: np.ndarray, reach: int, before: bool) -> None:
    """Fill `wide`'s extra columns with the field's other side (`field` is inside `wide`, or
    a separate array when the reach is wider than the field)."""
    cols = field.shape[1]
    if reach > cols:
        columns = np.arange(-reach, cols) if before else np.arange(cols + reach)
        np.take(field, columns, axis=1, mode="wrap", out=wide)
    elif before:
        wide[:, :reach] = field[:, cols - reach :]
    else:
        wide[:, cols:] = field[:, :reach]


def salt(rng: np.random.Generator, height: int, width: int, density: float, pixels: float, uniformity: float) -> np.ndarray:
    """imgaug's gated Salt noise as a float32 (scratch) canvas: each pixel a salt value with
    probability `density`, times the gate; a cell standing for `pixels` pixels holds their mean."""
    import cv2

    gate_cells = gate(rng, uniformity)
    canvas = scratch("canvas", (height, width))
    if pixels <= 1.0:
        weights = cv2.resize(gate_cells, (width, height), dst=scratch("gate", (height, width)), interpolation=cv2.INTER_LINEAR)
        return np.multiply(_sparse_salt(rng, canvas, density), weights, out=canvas)
    # Several pixels a cell (rain): how many of them are salt, Binomial(pixels, density), from a
    # random byte through its inverse CDF; times the mean salt value. The salt values' own
    # spread is ~4 % of the cell's variance (most of it is the count), and counts rarer than
    # 1/512 are rounded away.
    # (a fractional `pixels` rounds up and thins the density, keeping the mean; the density is
    # rounded to 1/1024 so that the tables repeat, and are built once)
    whole = math.ceil(pixels)
    table = _count_table(whole, round(1024 * min(1.0, density * pixels / whole)) / 1024)
    counts = apply_lut(_random_bytes(rng, height * width).reshape(height, width), table, out=scratch("counts", (height, width), np.uint8))
    gate_cells *= np.float32(_SALT_MEAN / pixels)  # on the 16x16 cells: one pass fewer at full size
    weights = cv2.resize(gate_cells, (width, height), dst=scratch("gate", (height, width)), interpolation=cv2.INTER_LINEAR)
    return np.multiply(counts, weights, out=canvas, dtype=np.float32)


def _sparse_salt(rng: np.random.Generator, canvas: np.ndarray, density: float) -> np.ndarray:
    """Salt at one pixel a cell (snow): only the lit cells are drawn (with replacement, enough
    of them that the expected number of distinct cells is imgaug's count), into `canvas`."""
    cells = canvas.size
    count = int(rng.binomial(cells, min(density, 1.0)))
    count = int(round(-cells * math.log1p(-min(count, cells - 0.5) / cells)))
    where = np.multiply(rng.random(out=scratch("uniform", (count,), np.float64)), cells, out=scratch("uniform", (count,), np.float64))
    where = np.floor(where, out=scratch("where", (count,), np.int64), casting="unsafe")
    values = np.take(_SALT, _random_bytes(rng, count), out=scratch("values", (count,), np.float32))
    canvas.fill(0.0)
    canvas.ravel()[where] = values
    return canvas


def _random_bytes(rng: np.random.Generator, count: int) -> np.ndarray:
    """`count` uniform random bytes from the generator's raw 64-bit words (cheaper than rng.bytes)."""
    return rng.bit_generator.random_raw(-(-count // 8)).view(np.uint8)[:count]


@functools.lru_cache(maxsize=4096)
def _count_table(pixels: int, density: float) -> np.ndarray:
    """A random byte -> how many of `pixels` pixels are salt: Binomial(pixels, density)'s inverse CDF."""
    pmf = [(1.0 - density) ** pixels]
    for k in range(pixels):
        pmf.append(pmf[-1] * (pixels - k) / (k + 1) * density / max(1.0 - density, 1e-12))
    return np.searchsorted(np.cumsum(pmf), (np.arange(256) + 0.5) / 256).clip(0, pixels).astype(np.uint8)


# imgaug's Salt value is 255 * (0.5 + |Beta(0.5, 0.5) - 0.5|), floored. Beta(0.5, 0.5) is
# sin^2(pi U / 2) for a uniform U, so the value is 255 * (0.5 + |cos(pi U)| / 2): a table over
# 256 equal-probability bins of U, indexed by a random byte.
_SALT = np.floor(255 * (0.5 + np.abs(np.cos(np.pi * (np.arange(256) + 0.5) / 256)) / 2)).astype(np.float32)  # whole numbers: exact
_SALT_MEAN = float(_SALT.mean())


def gate(rng: np.random.Generator, uniformity: float) -> np.ndarray:
    """imgaug's gate: Beta(1, 1 - uniformity) on 8x8 cells, cubic-upscaled, clipped to [0, 1];
    here to 16x16 (the caller stretches it linearly) and periodic across, as the canvas wraps."""
    cells = rng.beta(1.0, max(1.0 - uniformity, 1e-6), size=(_GATE_CELLS, _GATE_CELLS))
    up = _CUBIC_UP @ cells @ _CUBIC_UP_WRAPPED.T
    return np.minimum(np.maximum(up, 0.0, out=up), 1.0, out=up).astype(np.float32)


def _cubic_upsampling(cells: int, wrap: bool) -> np.ndarray:
    """The matrix of OpenCV's bicubic (a = -0.75) resize from `cells` to 2 * `cells` samples
    along one axis, clamped at the edges or periodic: the gate's upscale as two small products."""
    a = -0.75
    side = 2 * cells
    matrix = np.zeros((side, cells))
    for out in range(side):
        x = (out + 0.5) / 2 - 0.5
        base = math.floor(x)
        t = x - base
        weights = [
            ((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a,
            ((a + 2) * t - (a + 3)) * t * t + 1,
            ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1,
        ]
        weights.append(1.0 - sum(weights))
        for offset, weight in zip(range(-1, 3), weights):
            source = base + offset
            source = source % cells if wrap else min(max(source, 0), cells - 1)
            matrix[out, source] += weight
    return matrix


_CUBIC_UP = _cubic_upsampling(_GATE_CELLS, wrap=False)
_CUBIC_UP_WRAPPED = _cubic_upsampling(_GATE_CELLS, wrap=True)


def _ramp_up(canvas: np.ndarray, length: float, taps: int, scale: float, offset: float, out: np.ndarray) -> np.ndarray:
    """imgaug's motion blur: a ramp of `taps` weights, 1 at the streak's lower end down towards 0
    `length` rows above, looking down (a point lights the rows above it, brightest its own);
    times `scale`, plus `offset`, in the same pass; written to `out` (may be a view). The taps
    spread linearly over the rows they fall between; `length` is below 2 * _ROWS_PER_STREAK."""
    import cv2

    if length < 0.5 or taps < 1:
        return cv2.addWeighted(canvas, scale, canvas, 0.0, offset, dst=out)
    kernel = _ramp_kernel(length, taps) * np.float32(scale)
    return cv2.filter2D(canvas, -1, kernel, dst=out, anchor=(0, 0), delta=offset, borderType=cv2.BORDER_REFLECT_101)


def _ramp_kernel(length: float, taps: int) -> np.ndarray:
    """The ramp as a column kernel over `length` rows: tap t (weight 1 - t / taps) lands at
    t * length / taps rows, split linearly between the two rows it falls between."""
    t = np.arange(taps)
    at = t * (length / taps)
    low = at.astype(np.int64)  # at >= 0: truncation is the floor
    part = at - low
    weight = 1.0 - t / taps
    size = int(math.floor(length)) + 2
    rows = np.bincount(low, weight * (1.0 - part), size) + np.bincount(low + 1, weight * part, size)
    rows = rows[: int(np.flatnonzero(rows)[-1]) + 1]
    return (rows / rows.sum()).astype(np.float32).reshape(-1, 1)


def upscale(plane: np.ndarray, height: int, width: int, slot: str, cubic: bool = False) -> np.ndarray:
    """A uint8 grid plane at the image size (bilinear, or bicubic as imgaug; a scratch array)."""
    import cv2

    if plane.shape == (height, width):
        return plane
    flags = cv2.INTER_CUBIC if cubic else cv2.INTER_LINEAR
    return cv2.resize(plane, (width, height), dst=scratch(slot, (height, width), np.uint8), interpolation=flags)


def as_channels(plane: np.ndarray, color: np.ndarray) -> np.ndarray:
    """A full-size uint8 plane with `color`'s channels, so cv2's saturating arithmetic takes
    both (a scratch array: use it before the next call)."""
    import cv2

    if color.ndim == 2:
        return plane
    out = scratch("channels", color.shape, np.uint8)
    if color.shape[2] == 3:
        return cv2.cvtColor(plane, cv2.COLOR_GRAY2RGB, dst=out)
    out[...] = plane[..., None]
    return out
