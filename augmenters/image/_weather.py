"""A vectorised renderer of imgaug 0.4.0's Rain and Snowflakes layers (imgaug/augmenters/weather.py).

imgaug draws each layer as: salt noise at a reduced resolution, gated by an 8x8 Beta field,
cubic-upscaled to full size, (snow) Gaussian-blurred, motion-blurred by a rotated ramp kernel
of length speed * max(H, W), then blended (rain: alpha towards a drop grey; snow: a sum and a
max). Rain and Snowflakes run 1 to 3 such layers. That costs 25-90 ms at 512x512 because every
step runs at full resolution in float and the blur kernel is up to 200 px long.

The same layers here, drawn from one numpy Generator built from the recorded seed:
- noise is sparse: only its points are drawn, in a canvas sheared so that the streaks run
  straight down, where the ramp kernel is three running-sum box filters (a staircase that
  keeps the ramp's mass and head) — O(1) per pixel whatever the streak length;
- one affine warp per layer shears the canvas back to the layer's angle;
- everything runs on the layer grid: snow's reduced resolution (the flakes' own scale), and
  for rain half the rows (streaks are at least 0.04 * size long, so smooth along y); layers
  are combined there into two uint8 planes and upscaled once;
- the final blend is two saturating uint8 passes over the image.
Not byte-equal to imgaug (its noise comes from its own RNG), but the same statistics:
tests/test_weather.py holds the two to coarse measures over many seeds.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Callable

import numpy as np

# imgaug's Salt value: 255 * (0.5 + |Beta(0.5, 0.5) - 0.5|). Beta(0.5, 0.5) = sin^2(pi U / 2), so the
# value is 255 * (0.5 + |cos(pi U)| / 2): an inverse-CDF table over 256 equal-probability bins.
_SALT = np.floor(255 * (0.5 + np.abs(np.cos(np.pi * (np.arange(256) + 0.5) / 256)) / 2)).astype(np.float32)
_GATE_CELLS = 8  # imgaug's gate_noise_size
_BOXES = 3  # boxes in the ramp's staircase
_SCRATCH = threading.local()


def _scratch(slot: str, shape: tuple, dtype=np.float32) -> np.ndarray:
    """A work plane reused by this thread's later calls (never returned to a caller): on this
    VM the page faults of a fresh 1 MB array cost about as much as the arithmetic on it."""
    planes = _SCRATCH.__dict__.setdefault("planes", {})
    key = (slot, shape, np.dtype(dtype).str)
    plane = planes.get(key)
    if plane is None:
        if len(planes) > 64:  # many image sizes in one thread: start over rather than grow
            planes.clear()
        plane = planes[key] = np.empty(shape, dtype=dtype)
    return plane


@dataclass(frozen=True)
class LayerKind:
    """The per-layer ranges imgaug's Rain and Snowflakes wrappers give their layers."""

    density_uniformity: tuple[float, float]
    size_uniformity: tuple[float, float]
    max_angle: float
    blur_sigma_fraction: tuple[float, float]
    rows_per_cell: int  # grid rows per low-resolution row: rain's streaks allow 2


RAIN = LayerKind((0.8, 1.0), (0.2, 0.5), 15.0, (0.001, 0.001), 2)
SNOW = LayerKind((0.3, 0.9), (0.4, 0.8), 30.0, (0.0001, 0.001), 1)
RAIN_DENSITY = (0.03, 0.14)  # imgaug's Rain draws each layer's density; Snowflakes takes the setting


@dataclass(frozen=True)
class Grid:
    """Where layers are drawn: `rows` x `cols` cells covering an image of `height` x `width`."""

    height: int
    width: int
    rows: int
    cols: int
    pixels_per_cell: float  # low-resolution pixels a cell stands for (rain: 2)

    @classmethod
    def for_image(cls, height: int, width: int, size: float, rows_per_cell: int) -> "Grid":
        scale = float(np.clip(1.0 - size, 0.001, 1.0))  # imgaug: flake_size / drop_size -> downscale
        low_h, low_w = max(1, int(height * scale)), max(1, int(width * scale))
        rows = max(1, -(-low_h // rows_per_cell))
        return cls(height, width, rows, low_w, low_h / rows)

    @property
    def dy(self) -> float:  # image rows per grid row
        return self.height / self.rows

    @property
    def dx(self) -> float:  # image columns per grid column
        return self.width / self.cols


def motion_length(speed: float, height: int, width: int) -> int:
    """imgaug's motion-blur kernel size (0: no blur): int(speed * max side), odd, at least 3."""
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
    """One layer's motion-blurred, gated salt noise on `grid`, written to `out` (float32).

    `shade` maps the noise (float32, imgaug's [0, 255] scale) pointwise, in place, before it is
    sheared into the grid: on the canvas, which has fewer cells than the grid."""
    import cv2

    theta = math.radians(angle)
    length = (kernel - 1) * math.cos(theta) / grid.dy if kernel else 0.0  # streak, in grid rows
    # Along a streak the field is smooth: the canvas keeps >= 8 rows per streak, the warp
    # interpolates between them (along the streak, so nothing smears across it).
    stretch = max(1, int(length // 8))
    # Shear that turns a vertical canvas column into a line `angle` degrees from vertical
    # (positive: leaning like "/", as imgaug's rotated kernel), in grid cells per grid row.
    slope = math.tan(theta) * grid.dy / grid.dx
    margin = int(math.ceil(abs(slope) * max(grid.rows - 1, 0))) + 1
    height, width = -(-grid.rows // stretch) + 1, grid.cols + margin
    canvas = _salt(rng, height, width, density, grid.pixels_per_cell * stretch, density_uniformity)
    if sigma > 0.25:  # below that, imgaug's kernel is all but a single tap
        canvas = cv2.GaussianBlur(canvas, (0, 0), sigma)
    field = shade(_ramp_up(canvas, length / stretch))
    to_canvas = np.float32([[1.0, slope, margin if slope < 0 else 0], [0.0, 1.0 / stretch, 0.0]])
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    return cv2.warpAffine(field, to_canvas, (grid.cols, grid.rows), dst=out, flags=flags, borderMode=cv2.BORDER_REFLECT_101)


def _salt(rng: np.random.Generator, height: int, width: int, density: float, pixels: float, uniformity: float) -> np.ndarray:
    """imgaug's gated Salt noise, float32: each pixel a salt value with probability `density`,
    times a Beta(1, 1 - uniformity) field cubic-upscaled from 8x8 cells (fewer flakes in some
    areas). A cell standing for `pixels` pixels holds their mean, so mean and contrast stay."""
    import cv2

    cells = height * width
    count = int(rng.binomial(max(1, round(cells * pixels)), min(density, 1.0)))
    # Uniform pixels fall in uniform cells: draw cells directly (32-bit words, multiply-shift).
    where = rng.bit_generator.random_raw(count // 2 + 1).view(np.uint32)[:count].astype(np.uint64)
    where *= np.uint64(cells)
    where >>= np.uint64(32)
    salt = _SALT[rng.bit_generator.random_raw(count // 8 + 1).view(np.uint8)[:count]]
    sums = np.bincount(where.view(np.int64), weights=salt, minlength=cells).reshape(height, width)
    gate = rng.beta(1.0, max(1.0 - uniformity, 1e-6), size=(_GATE_CELLS, _GATE_CELLS)).astype(np.float32)
    # Cubic from 8x8 as imgaug, then linear the rest of the way: the same smooth field, cheaper.
    gate = np.clip(cv2.resize(gate, (4 * _GATE_CELLS, 4 * _GATE_CELLS), interpolation=cv2.INTER_CUBIC), 0.0, 1.0)
    gate = cv2.resize(gate * np.float32(1.0 / pixels), (width, height), dst=_scratch("gate", (height, width)), interpolation=cv2.INTER_LINEAR)
    canvas = _scratch("canvas", (height, width))
    return np.multiply(sums, gate, out=canvas, casting="unsafe")  # cell mean x gate, as float32
    return canvas


def _ramp_up(canvas: np.ndarray, length: float) -> tuple[np.ndarray, float]:
    """imgaug's motion-blur ramp (weight 1 at the streak's lower end down to 0 `length` rows
    above) as a staircase of running-sum box filters looking down: a point lights the rows above
    it, brightest on its own row. Box j of n is (2j-1)/(2n) of the length, so each step sits at
    the ramp's midpoint. Returns a scratch plane."""
    import cv2

    lengths = sorted({max(1, round(length * (2 * j - 1) / (2 * _BOXES))) for j in range(1, _BOXES + 1)})
    if lengths == [1]:
        return canvas
    out, box = _scratch("ramp", canvas.shape), _scratch("box", canvas.shape)
    for index, size in enumerate(lengths):
        cv2.boxFilter(canvas, -1, (1, size), dst=box if index else out, anchor=(0, 0), normalize=False, borderType=cv2.BORDER_REFLECT_101)
        if index:
            cv2.add(out, box, dst=out)
    out *= np.float32(1.0 / sum(lengths))
    return out


# -- the two effects ---------------------------------------------------------------------------


def rain(color: np.ndarray, drop_size: float, speed: float, seed: int) -> np.ndarray:
    """imgaug's Rain(drop_size, speed) on a uint8 (H, W) or (H, W, 1|3) image: 1-3 layers of streaks,
    each blended towards its drop grey by 1.3 * the streak field (a new array)."""
    import cv2

    if color.ndim == 3 and color.shape[2] == 1:  # cv2 drops a single channel axis: work on the plane
        return rain(color[..., 0], drop_size, speed, seed)[..., None]
    rng = np.random.default_rng(seed)  # a local generator from the recorded seed, not global state
    height, width = color.shape[:2]
    grid = Grid.for_image(height, width, drop_size, RAIN.rows_per_cell)
    kernel = motion_length(speed, height, width)
    keep = np.empty((grid.rows, grid.cols), dtype=np.float32)  # share of the image left, over the layers
    paint = None  # grey laid down (premultiplied), once layers differ in grey; else grey * (1 - keep)
    greys: list[float] = []

    def shade(noise: np.ndarray) -> np.ndarray:  # noise -> 1 - alpha, alpha = min(1.3 * noise / 255, 1) as imgaug
        greys.append(_drop_grey(noise))
        noise *= np.float32(-1.3 / 255.0)
        noise += 1.0
        return np.maximum(noise, 0.0, out=noise)

    for layer in range(int(rng.integers(1, 4))):
        density = rng.uniform(*RAIN_DENSITY)
        uniformity = rng.uniform(*RAIN.density_uniformity)
        angle = rng.uniform(-RAIN.max_angle, RAIN.max_angle)
        left = streak_field(rng, grid, density, uniformity, angle, kernel, 0.0, shade, keep if layer == 0 else _scratch("left", keep.shape))
        if layer == 0:
            continue
        if paint is None and greys[-1] != greys[0]:
            paint = (1.0 - keep) * np.float32(greys[0])
        if paint is not None:  # paint * (1 - a) + grey * a
            paint -= greys[-1]
            paint *= left
            paint += greys[-1]
        keep *= left
    keep8 = cv2.convertScaleAbs(keep, alpha=255.0)
    paint8 = cv2.convertScaleAbs(paint) if paint is not None else cv2.LUT(keep8, _grey_table(greys[0]))
    # out = image * keep + paint, in two saturating uint8 passes.
    out = cv2.multiply(color, _full(keep8, color), scale=1.0 / 255.0)
    return cv2.add(out, _full(paint8, color), dst=out)


def _grey_table(grey: float) -> np.ndarray:
    """uint8 keep -> grey * (1 - keep), rounded."""
    return np.rint(grey * (1.0 - np.arange(256) / 255.0)).astype(np.uint8)


def _drop_grey(noise: np.ndarray) -> float:
    """imgaug's drop grey: 110 + 130 mod (sum of the first 1000 noise values), a pseudo-random
    pick that is 240 unless the noise there is faint. Here over the layer's own first 1000
    values, so grey and colour images get the same grey."""
    total = float(np.rint(noise.ravel()[:1000]).sum())
    return 110.0 + 130.0 % (total if total > 0 else 1.0)


def snow(color: np.ndarray, density: float, flake_size: float, speed: float, seed: int) -> np.ndarray:
    """imgaug's Snowflakes(density, flake_size, speed) on a uint8 (H, W) or (H, W, 1|3) image: 1-3
    layers, each added (glow) and max-blended (flakes) after imgaug's contrast curve (a new array)."""
    import cv2

    if color.ndim == 3 and color.shape[2] == 1:
        return snow(color[..., 0], density, flake_size, speed, seed)[..., None]
    rng = np.random.default_rng(seed)
    height, width = color.shape[:2]
    grid = Grid.for_image(height, width, flake_size, SNOW.rows_per_cell)
    kernel = motion_length(speed, height, width)
    shape = (grid.rows, grid.cols)
    glow = np.zeros(shape, dtype=np.uint8)
    flakes = np.zeros_like(glow)
    for _ in range(int(rng.integers(1, 4))):
        uniformity = rng.uniform(*SNOW.density_uniformity)
        size_uniformity = rng.uniform(*SNOW.size_uniformity)
        angle = rng.uniform(-SNOW.max_angle, SNOW.max_angle)
        sigma = float(np.clip(max(height, width) * rng.uniform(*SNOW.blur_sigma_fraction), 0.5, 3.75))
        field = streak_field(rng, grid, density, uniformity, angle, kernel, sigma / grid.dx, _same, _scratch("snow", shape))
        noise = cv2.convertScaleAbs(field)
        add, top = _snow_tables(size_uniformity, speed)
        # Layer after layer, v -> max(min(v + add, 255), top) composes to the same form:
        # add sums (saturating), and the earlier top is lifted by the later add.
        add_layer = cv2.LUT(noise, add)
        flakes = cv2.max(cv2.add(flakes, add_layer), cv2.LUT(noise, top))
        glow = cv2.add(glow, add_layer)
    out = cv2.add(color, _full(glow, color))
    return cv2.max(out, _full(flakes, color), dst=out)


def _same(noise: np.ndarray) -> np.ndarray:
    return noise


def _snow_tables(size_uniformity: float, speed: float) -> tuple[np.ndarray, np.ndarray]:
    """imgaug's flake curve on a uint8 noise value: gamma contrast (gain 1 + 2 (1 - u)), times
    1 + 5 (1 - u); then times 0.1 + 20 speed for the glow added and 1 + 20 speed for the flakes."""
    ramp = np.linspace(0, 1.0, num=256, dtype=np.float32)
    gamma = np.clip(ramp ** np.float32(1.0 + 2 * (1 - size_uniformity)) * 255, 0, 255).astype(np.uint8)
    curve = gamma.astype(np.float32) * np.float32(1.0 + 5 * (1 - size_uniformity))
    add = np.clip(curve * np.float32(0.1 + 20 * speed), 0, 255).astype(np.uint8)
    top = np.clip(curve * np.float32(1.0 + 20 * speed), 0, 255).astype(np.uint8)
    return add, top


def _full(plane: np.ndarray, color: np.ndarray) -> np.ndarray:
    """A uint8 grid plane at `color`'s size and channels (a scratch plane: use it before the next
    call), so cv2's saturating arithmetic takes both."""
    import cv2

    height, width = color.shape[:2]
    if plane.shape != (height, width):
        plane = cv2.resize(plane, (width, height), dst=_scratch("full", (height, width), np.uint8), interpolation=cv2.INTER_LINEAR)
    if color.ndim == 2:
        return plane
    channels = color.shape[2]
    out = _scratch("channels", color.shape, np.uint8)
    if channels == 3:
        return cv2.cvtColor(plane, cv2.COLOR_GRAY2RGB, dst=out)
    out[...] = plane[..., None]
    return out
