"""Gamma curve: out = 255 * (in / 255) ** gamma, through a lookup table."""

from __future__ import annotations

import numpy as np

from ..core.augmenter import Augmenter, uniform
from ..core.params import FloatRange, Spec, range_rules
from ..core.registry import register
from ._image import on_color
from ._lut import apply_lut


def gamma_lut(gamma: float) -> np.ndarray:
    levels = np.arange(256, dtype=np.float64) / 255.0
    return np.clip(np.rint(255.0 * levels**gamma), 0, 255).astype(np.uint8)


@register("gamma")
class Gamma(Augmenter):
    modality = "image"
    family = "color"
    backend = "stringzilla"
    description = "Brighten (gamma < 1) or darken (gamma > 1) mid-tones; black and white stay put."
    caution = "Changes intensities that carry meaning in medical or scientific images."
    keeps_size = True
    spec = Spec(
        FloatRange("gamma", default=(0.7, 1.5), min=0.05, max=10.0, unit="exponent", help="1 keeps the image"),
    )

    def sample(self, settings, data, rng):
        return {"gamma": uniform(rng, settings["gamma"], 3)}

    def param_rules(self, settings, data):
        return range_rules(settings, "gamma")

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        lut = gamma_lut(float(params["gamma"]))
        return on_color(data, lambda color: apply_lut(color, lut))
