"""Rain streaks: imgaug's Rain layers, drawn by augplay's vectorised renderer (or imgaug's own)."""

from __future__ import annotations

import numpy as np

from ..core.augmenter import uniform
from ..core.params import FloatRange, Seed, Spec, passed_through, range_rules
from ..core.registry import register
from ._image import on_color
from ._imgaug_compat import run_seeded, seed_param
from ._weather import rain
from ._weather_op import WeatherOp, renderer_of, renderer_setting


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
