"""Fog (imgaug's Fog cloud layer), blended with the original by a strength."""

from __future__ import annotations

import numpy as np

from ..core.augmenter import uniform
from ..core.params import FloatRange, Seed, Spec, range_rules
from ..core.registry import register
from ._image import on_color
from ._imgaug_compat import ImgaugAugmenter, run_seeded, seed_param


def _foggy(color: np.ndarray, strength: float, seed: int) -> np.ndarray:
    import cv2

    fogged = run_seeded(lambda iaa: iaa.Fog(), color, seed)
    if strength >= 1.0:
        return fogged
    return cv2.addWeighted(fogged, strength, color, 1.0 - strength, 0.0)


@register("fog")
class Fog(ImgaugAugmenter):
    modality = "image"
    family = "weather"
    description = "Lay a random fog layer over the image; strength blends it with the original."
    caution = "Lowers contrast: thin or faint structures may vanish."
    keeps_size = True
    spec = Spec(
        FloatRange("strength", default=(0.6, 1.0), min=0.0, max=1.0, unit="fraction", help="1 is imgaug's full fog, 0 none"),
    )

    def sample(self, settings, data, rng):
        return {"strength": uniform(rng, settings["strength"], 3), "seed": seed_param(rng)}

    def param_rules(self, settings, data):
        return {**range_rules(settings, "strength"), "seed": Seed()}

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        return on_color(data, lambda color: _foggy(color, float(params["strength"]), params["seed"]))
