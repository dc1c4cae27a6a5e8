"""A vectorised renderer of the layers imgaug 0.4.0's Rain and Snowflakes draw (imgaug/augmenters/weather.py).

imgaug draws a layer as: Salt noise at a reduced resolution, gated by an 8x8 Beta field,
cubic-upscaled to full size, (snow) Gaussian-blurred, motion-blurred by a rotated ramp kernel
speed * max(H, W) long, then blended (rain.py, snow.py). Every step runs at full resolution
and the kernel is up to 200 px long: 25-90 ms a 512x512 image.

The same layer here, every random quantity drawn from one numpy Generator:
- the noise goes into a canvas sheared so that streaks run straight down; only its points are
  drawn (snow), or how many of a cell's pixels are salt (rain: the field is smooth along a
  streak, so a canvas row stands for several image rows, 8 of them a streak); there imgaug's
  ramp is the ramp itself when short and a staircase of three running-sum box filters when
  long (O(1) a pixel, whatever the length);
- one affine warp per layer shears the canvas back to the layer's angle, onto the layer grid:
  snow's reduced resolution (the flakes' own scale), rain's full width but a third of the rows
  (its streaks are at least 0.04 of the image long, within 15 deg of vertical); the callers
  combine layers there and upscale once.
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
_BOXES = 3  # boxes in the staircase standing for a long ramp
_SHORT_RAMP = 12  # rows: up to this long, the ramp filters as it is
_ROWS_PER_STREAK = 8  # canvas rows along one streak (the warp interpolates between them)


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
        """`full_width`: columns at the image's width, the noise stretched to it before the blur,
        as imgaug does (rain's thin streaks); else the grid is the reduced resolution (snow)."""
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
    shade: Callable[[np.ndarray], np.ndarray],
    out: np.ndarray,
) -> np.ndarray:
    """One layer's gated, motion-blurred salt noise on `grid`, written to `out` (float32).

    `shade` maps the noise (float32, imgaug's 0-255 scale) pointwise, in place, before it is
    sheared onto the grid: on the canvas, which has fewer cells."""
    import cv2

    theta = math.radians(angle)
    length = (kernel - 1) * math.cos(theta) / grid.dy if kernel else 0.0  # the streak, in grid rows
    stretch = max(1, int(length // _ROWS_PER_STREAK))  # grid rows a canvas row
    rows = -(-grid.rows // stretch) + 1
    canvas = salt(rng, rows, grid.noise_cols, density, grid.pixels_per_cell * stretch, density_uniformity)
    if grid.noise_cols != grid.cols:  # imgaug's bicubic upscale of the noise, negative lobes clipped
        canvas = cv2.resize(canvas, (grid.cols, rows), dst=scratch("stretched", (rows, grid.cols)), interpolation=cv2.INTER_CUBIC)
        np.maximum(canvas, 0.0, out=canvas)
    if sigma > 0.25:  # below that imgaug's Gaussian kernel is all but one tap
        canvas = cv2.GaussianBlur(canvas, (0, 0), sigma, dst=scratch("gauss", canvas.shape))
    field = shade(_ramp_up(canvas, length / stretch, kernel - 1))
    # The shear turns a canvas column into a line `angle` degrees from vertical (positive leans
    # like "/", as imgaug's rotated kernel). The noise is stationary and the gate periodic
    # across, so the canvas wraps around: the columns the shear reaches past an edge are copied
    # from the other side (warpAffine's own BORDER_WRAP costs twice as much).
    slope = math.tan(theta) * grid.dy / grid.dx
    reach = int(math.ceil(abs(slope) * grid.rows)) + 2
    first = -reach if slope < 0 else 0
    wide = _wrapped(field, reach, before=slope < 0)
    to_canvas = np.float32([[1.0, slope, -first], [0.0, 1.0 / stretch, 0.0]])
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    return cv2.warpAffine(wide, to_canvas, (grid.cols, grid.rows), dst=out, flags=flags, borderMode=cv2.BORDER_REFLECT_101)


def _wrapped(field: np.ndarray, reach: int, before: bool) -> np.ndarray:
    """`field` with `reach` columns from its other side added before (or after) it."""
    rows, cols = field.shape
    if reach > cols:  # a tall, narrow image at a steep angle wraps more than once
        columns = np.arange(-reach, cols) if before else np.arange(cols + reach)
        return np.take(field, columns, axis=1, mode="wrap", out=scratch("wide", (rows, len(columns))))
    wide = scratch("wide", (rows, cols + reach))
    if before:
        wide[:, :reach], wide[:, reach:] = field[:, cols - reach :], field
    else:
        wide[:, :cols], wide[:, cols:] = field, field[:, :reach]
    return wide


def salt(rng: np.random.Generator, height: int, width: int, density: float, pixels: float, uniformity: float) -> np.ndarray:
    """imgaug's gated Salt noise as a float32 (scratch) canvas: each pixel a salt value with
    probability `density`, times the gate; a cell standing for `pixels` pixels holds their mean."""
    import cv2

    gate_cells = gate(rng, uniformity)
    weights = cv2.resize(gate_cells, (width, height), dst=scratch("gate", (height, width)), interpolation=cv2.INTER_LINEAR)
    canvas = scratch("canvas", (height, width))
    if pixels <= 1.0:
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
    weights *= np.float32(_SALT_MEAN / pixels)
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


def _ramp_up(canvas: np.ndarray, length: float, taps: int) -> np.ndarray:
    """imgaug's motion blur: a ramp of `taps` weights, 1 at the streak's lower end down towards 0
    `length` rows above, looking down (a point lights the rows above it, brightest its own).

    Short ramps (snow) are filtered with the ramp itself, its taps spread linearly over the rows
    they fall between; long ones (rain) with a staircase of running-sum boxes, O(1) a pixel
    whatever the length: box j of n is (2j - 1) / 2n of the length, each step at the ramp's midpoint."""
    import cv2

    if length < 0.5 or taps < 1:
        return canvas
    out = scratch("ramp", canvas.shape)
    if length <= _SHORT_RAMP:
        rows = np.zeros(int(math.floor(length)) + 2)
        for t in range(taps):
            at = t * length / taps
            low = int(at)
            rows[low] += (1 - t / taps) * (1 - (at - low))
            rows[low + 1] += (1 - t / taps) * (at - low)
        rows = rows[: int(np.flatnonzero(rows)[-1]) + 1]
        kernel = (rows / rows.sum()).astype(np.float32).reshape(-1, 1)
        return cv2.filter2D(canvas, -1, kernel, dst=out, anchor=(0, 0), borderType=cv2.BORDER_REFLECT_101)
    lengths = [max(1, round(length * (2 * j - 1) / (2 * _BOXES))) for j in range(1, _BOXES + 1)]
    box = scratch("box", canvas.shape)
    for index, size in enumerate(lengths):
        cv2.boxFilter(canvas, -1, (1, size), dst=box if index else out, anchor=(0, 0), normalize=False, borderType=cv2.BORDER_REFLECT_101)
        if index:
            cv2.add(out, box, dst=out)
    out *= np.float32(1.0 / sum(lengths))
    return out


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
