"""Falling snowflakes: imgaug's Snowflakes layers, drawn by augplay's vectorised renderer (or imgaug's own)."""

from __future__ import annotations

import numpy as np

from ..core.augmenter import uniform
from ..core.params import FloatRange, Seed, Spec, passed_through, range_rules
from ..core.registry import register
from ._image import on_color
from ._imgaug_compat import run_seeded, seed_param
from ._lut import apply_lut
from ._scratch import scratch
from ._weather import SNOW, Grid, as_channels, layer_count, motion_length, streak_field, upscale
from ._weather_op import WeatherOp, renderer_of, renderer_setting


def snow(color: np.ndarray, density: float, flake_size: float, speed: float, seed: int) -> np.ndarray:
    """imgaug's Snowflakes(density, flake_size, speed) on uint8 (H, W) or (H, W, 1|3): 1-3 layers,
    each added to the image (glow) and max-blended with it (flakes) through imgaug's flake curve.
    A new array."""
    import cv2

    if color.ndim == 3 and color.shape[2] == 1:  # cv2 drops a lone channel axis: work on the plane
        return snow(color[..., 0], density, flake_size, speed, seed)[..., None]
    rng = np.random.default_rng(seed)  # a local generator from the recorded seed, not global state
    height, width = color.shape[:2]
    grid = Grid.for_image(height, width, flake_size, SNOW.rows_per_cell, full_width=False)
    kernel = motion_length(speed, height, width)
    shape, full = (grid.rows, grid.cols), (height, width)
    # Layer after layer, v -> max(min(v + add, 255), top) composes to the same form: the adds
    # sum (saturating) and an earlier top is lifted by the later adds. Exact in uint8. The
    # flake curve is steep (a gamma of 1.4-2.2): it runs after the upscale, as in imgaug, so
    # the flakes' soft rims stay dark.
    glow, flakes = scratch("glow", full, np.uint8), scratch("flakes", full, np.uint8)
    add, top = scratch("add", full, np.uint8), scratch("top", full, np.uint8)
    for layer in range(layer_count(rng)):
        uniformity = rng.uniform(*SNOW.density_uniformity)
        size_uniformity = rng.uniform(*SNOW.size_uniformity)
        angle = rng.uniform(-SNOW.max_angle, SNOW.max_angle)
        sigma = min(max(max(height, width) * rng.uniform(*SNOW.blur_sigma_fraction), 0.5), 3.75)
        field = streak_field(rng, grid, density, uniformity, angle, kernel, sigma / grid.dx, scratch("field", shape))
        noise = upscale(cv2.convertScaleAbs(field, dst=scratch("noise", shape, np.uint8)), height, width, "noise_full", cubic=True)
        add_table, top_table = _flake_tables(size_uniformity, speed)
        if layer == 0:  # over a black image: top >= add, so the flakes are top
            apply_lut(noise, add_table, out=glow)
            apply_lut(noise, top_table, out=flakes)
            continue
        apply_lut(noise, add_table, out=add)
        apply_lut(noise, top_table, out=top)
        cv2.max(cv2.add(flakes, add, dst=flakes), top, dst=flakes)
        cv2.add(glow, add, dst=glow)
    out = cv2.add(color, as_channels(glow, color))
    return cv2.max(out, as_channels(flakes, color), dst=out)


_LEVELS = np.linspace(0, 1.0, num=256, dtype=np.float32)  # imgaug's uint8 levels, as fractions


def _flake_tables(size_uniformity: float, speed: float) -> tuple[np.ndarray, np.ndarray]:
    """imgaug's flake curve on a uint8 noise value: gamma contrast (gain 1 + 2 (1 - u)), times
    1 + 5 (1 - u); then times 0.1 + 20 speed for the glow added and 1 + 20 speed for the flakes."""
    # imgaug's uint8 gamma table: floor(255 * (v / 255) ** gain), never above 255
    curve = np.floor(_LEVELS ** np.float32(1.0 + 2 * (1 - size_uniformity)) * np.float32(255))
    curve *= np.float32(1.0 + 5 * (1 - size_uniformity))
    add = np.minimum(curve * np.float32(0.1 + 20 * speed), 255).astype(np.uint8)
    top = np.minimum(curve * np.float32(1.0 + 20 * speed), 255).astype(np.uint8)
    return add, top


@register("snow")
class Snow(WeatherOp):
    description = "Draw falling snowflakes; density, flake size and speed come from ranges."
    caution = "Dense snow hides small objects; flakes can look like specks in scientific images."
    spec = Spec(
        FloatRange("density", default=(0.005, 0.075), min=0.0, max=1.0, unit="fraction", help="How many flakes"),
        FloatRange("flake_size", default=(0.2, 0.7), min=0.01, max=1.0, unit="fraction", help="Flake size (larger looks closer)"),
        FloatRange("speed", default=(0.007, 0.03), min=0.0, max=1.0, unit="fraction", help="Fall speed: motion blur length"),
        renderer_setting("snowflake"),
    )

    def sample(self, settings, data, rng):
        return {
            "density": uniform(rng, settings["density"], 4),
            "flake_size": uniform(rng, settings["flake_size"], 4),
            "speed": uniform(rng, settings["speed"], 4),
            "seed": seed_param(rng),
            "renderer": settings["renderer"],
        }

    def param_rules(self, settings, data):
        return {**range_rules(settings, "density", "flake_size", "speed"), **passed_through(settings, "renderer"), "seed": Seed()}

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        density, flake_size, speed = float(params["density"]), float(params["flake_size"]), float(params["speed"])
        seed = int(params["seed"])
        if renderer_of(params) == "fast":
            return on_color(data, lambda color: snow(color, density, flake_size, speed, seed))

        def build(iaa):
            return iaa.Snowflakes(density=density, flake_size=flake_size, speed=speed)

        return on_color(data, lambda color: run_seeded(build, color, seed))
