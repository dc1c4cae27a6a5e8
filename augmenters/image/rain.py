"""Rain streaks: imgaug's Rain layers, drawn by augplay's vectorised renderer (or imgaug's own)."""

from __future__ import annotations

import functools

import numpy as np

from ..core.augmenter import uniform
from ..core.params import FloatRange, Seed, Spec, passed_through, range_rules
from ..core.registry import register
from ._image import on_color
from ._imgaug_compat import run_seeded, seed_param
from ._lut import apply_lut
from ._scratch import scratch
from ._weather import RAIN, Grid, as_channels, layer_count, motion_length, streak_field, upscale
from ._weather_op import WeatherOp, renderer_of, renderer_setting


RAIN_DENSITY = (0.03, 0.14)  # imgaug's Rain draws each layer's density


def rain(color: np.ndarray, drop_size: float, speed: float, seed: int) -> np.ndarray:
    """imgaug's Rain(drop_size, speed) on uint8 (H, W) or (H, W, 1|3): 1-3 layers of streaks, each
    blending the image towards its drop grey by 1.3 * its noise / 255 (at most 1). A new array."""
    import cv2

    if color.ndim == 3 and color.shape[2] == 1:  # cv2 drops a lone channel axis: work on the plane
        return rain(color[..., 0], drop_size, speed, seed)[..., None]
    rng = np.random.default_rng(seed)  # a local generator from the recorded seed, not global state
    grid = Grid.for_image(*color.shape[:2], drop_size, RAIN.rows_per_cell, full_width=True)
    kernel = motion_length(speed, *color.shape[:2])
    keep = scratch("keep", (grid.rows, grid.cols))  # share of the image left after the layers so far
    paint = None  # grey laid down (premultiplied) once layers differ in grey; until then grey * (1 - keep)
    greys: list[float] = []

    for layer in range(layer_count(rng)):
        density = rng.uniform(*RAIN_DENSITY)
        uniformity = rng.uniform(*RAIN.density_uniformity)
        angle = rng.uniform(-RAIN.max_angle, RAIN.max_angle)
        # the field is 1 - alpha: 1 - 1.3 * noise / 255, clipped at 0
        field = keep if layer == 0 else scratch("left", keep.shape)
        left = streak_field(
            rng, grid, density, uniformity, angle, kernel, 0.0, field, tone=(-1.3 / 255.0, 1.0),
            peek=lambda noise: greys.append(_drop_grey(noise)),
        )
        if layer == 0:
            continue
        if paint is None and greys[-1] != greys[0]:
            paint = np.multiply(np.subtract(1.0, keep, out=scratch("paint", keep.shape)), np.float32(greys[0]), out=scratch("paint", keep.shape))
        if paint is not None:  # paint * (1 - alpha) + grey * alpha
            paint -= np.float32(greys[-1])
            paint *= left
            paint += np.float32(greys[-1])
        keep *= left
    height, width = color.shape[:2]
    keep8 = upscale(cv2.convertScaleAbs(keep, dst=scratch("keep8", keep.shape, np.uint8), alpha=255.0), height, width, "keep_full")
    if paint is None:
        paint8 = apply_lut(keep8, _grey_table(greys[0]), out=scratch("paint_full", (height, width), np.uint8))
    else:
        paint8 = upscale(cv2.convertScaleAbs(paint, dst=scratch("paint8", keep.shape, np.uint8)), height, width, "paint_full")
    # image * keep + paint, in two saturating uint8 passes
    out = cv2.multiply(color, as_channels(keep8, color), scale=1.0 / 255.0)
    return cv2.add(out, as_channels(paint8, color), dst=out)


def _drop_grey(noise: np.ndarray) -> float:
    """imgaug's drop grey: 110 + 130 mod (the sum of the first 1000 noise values), a pseudo-random
    pick that is 240 unless the noise there is faint. Here the layer's own first 1000 values
    (imgaug counts channels too), so grey and colour images get the same grey."""
    total = float(np.rint(noise[:1000]).sum())
    return 110.0 + 130.0 % (total if total > 0 else 1.0)


@functools.lru_cache(maxsize=256)
def _grey_table(grey: float) -> np.ndarray:
    """uint8 keep -> grey * (1 - keep), rounded: the paint when every layer has the same grey."""
    return np.rint(grey * (1.0 - np.arange(256) / 255.0)).astype(np.uint8)


@register("rain")
class Rain(WeatherOp):
    description = "Draw falling rain streaks; drop size and speed (streak length) come from ranges."
    caution = "Synthetic rain looks like real rain only from afar; it can hide small objects."
    spec = Spec(
        FloatRange("drop_size", default=(0.01, 0.02), min=0.001, max=0.2, unit="fraction", help="Drop size relative to the image"),
        FloatRange("speed", default=(0.04, 0.2), min=0.0, max=1.0, unit="fraction", help="Fall speed: longer streaks when higher"),
        renderer_setting("rain"),
    )

    def sample(self, settings, data, rng):
        return {
            "drop_size": uniform(rng, settings["drop_size"], 4),
            "speed": uniform(rng, settings["speed"], 4),
            "seed": seed_param(rng),
            "renderer": settings["renderer"],
        }

    def param_rules(self, settings, data):
        return {**range_rules(settings, "drop_size", "speed"), **passed_through(settings, "renderer"), "seed": Seed()}

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        drop_size, speed, seed = float(params["drop_size"]), float(params["speed"]), int(params["seed"])
        if renderer_of(params) == "fast":
            return on_color(data, lambda color: rain(color, drop_size, speed, seed))

        def build(iaa):
            return iaa.Rain(drop_size=drop_size, speed=speed)

        # imgaug's weather ops take 1 or 3 channels: RGBA keeps its alpha aside.
        return on_color(data, lambda color: run_seeded(build, color, seed))
