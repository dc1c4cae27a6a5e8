"""Salt-and-pepper noise (imgaug's SaltAndPepper): a fraction of pixels set to black or white."""

from __future__ import annotations

import numpy as np

from ..core.augmenter import uniform
from ..core.params import Flag, FloatRange, Spec
from ..core.registry import register
from ._image import on_color
from ._imgaug_compat import ImgaugAugmenter, run_seeded, seed_param


@register("salt_and_pepper")
class SaltAndPepper(ImgaugAugmenter):
    modality = "image"
    family = "noise"
    description = "Replace a random fraction of pixels with white (salt) or black (pepper)."
    caution = "Dots can look like real specks (dust, cells, stars) in scientific images."
    keeps_size = True
    spec = Spec(
        FloatRange("amount", default=(0.01, 0.05), min=0.0, max=1.0, unit="fraction", help="Share of pixels replaced"),
        Flag("per_channel", default=False, help="Replace channels independently (coloured specks)"),
    )

    def sample(self, settings, data, rng):
        return {"amount": uniform(rng, settings["amount"], 4), "per_channel": settings["per_channel"], "seed": seed_param(rng)}

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        def build(iaa):
            return iaa.SaltAndPepper(p=float(params["amount"]), per_channel=bool(params["per_channel"]))

        return on_color(data, lambda color: run_seeded(build, color, params["seed"]))
