"""Falling snowflakes: imgaug's Snowflakes layers, drawn by augplay's vectorised renderer (or imgaug's own)."""

from __future__ import annotations

import numpy as np

from ..core.augmenter import uniform
from ..core.params import FloatRange, Seed, Spec, passed_through, range_rules
from ..core.registry import register
from ._image import on_color
from ._imgaug_compat import run_seeded, seed_param
from ._weather import snow
from ._weather_op import WeatherOp, renderer_of, renderer_setting


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
