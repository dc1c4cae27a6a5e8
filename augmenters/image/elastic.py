"""Elastic deformation (imgaug's ElasticTransformation): a smooth random displacement field."""

from __future__ import annotations

import numpy as np

from ..core.augmenter import uniform
from ..core.params import Choice, FloatRange, Int, Seed, Spec, passed_through, range_rules
from ..core.registry import register
from ._imgaug_compat import ImgaugAugmenter, run_seeded, seed_param

# imgaug's ElasticTransformation takes scipy-style modes and spline orders.
_MODES = {"constant": "constant", "reflect": "reflect", "replicate": "nearest", "wrap": "wrap"}
_ORDERS = {"nearest": 0, "bilinear": 1, "bicubic": 3}


@register("elastic")
class Elastic(ImgaugAugmenter):
    modality = "image"
    family = "geometry"
    description = "Push pixels around by a smooth random field: alpha sets the strength, sigma the smoothness."
    caution = "Bends straight lines and letters; strong settings make shapes unrecognisable."
    keeps_size = True
    spec = Spec(
        FloatRange("alpha", default=(20.0, 50.0), min=0.0, max=500.0, unit="px", help="Displacement strength"),
        FloatRange("sigma", default=(4.0, 6.0), min=0.5, max=50.0, unit="px", help="Smoothness of the field"),
        Choice("border", default="reflect", choices=tuple(_MODES), help="How pixels outside the image are filled"),
        Int("fill", default=0, min=0, max=255, help="Grey level of the fill when border is constant"),
        Choice("interpolation", default="bilinear", choices=tuple(_ORDERS), help="Resampling filter"),
    )

    def sample(self, settings, data, rng):
        return {
            "alpha": uniform(rng, settings["alpha"], 2),
            "sigma": uniform(rng, settings["sigma"], 2),
            "seed": seed_param(rng),
            "border": settings["border"],
            "fill": settings["fill"],
            "interpolation": settings["interpolation"],
        }

    def param_rules(self, settings, data):
        return {**range_rules(settings, "alpha", "sigma"), "seed": Seed(), **passed_through(settings, "border", "fill", "interpolation")}

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        # Alpha is moved with the colour: the field is the same for every channel.
        def build(iaa):
            return iaa.ElasticTransformation(
                alpha=float(params["alpha"]),
                sigma=float(params["sigma"]),
                order=_ORDERS[params["interpolation"]],
                mode=_MODES[params["border"]],
                cval=int(params["fill"]),
            )

        return run_seeded(build, data, params["seed"])
