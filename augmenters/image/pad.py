"""Add a random number of pixels on each side."""

from __future__ import annotations

import numpy as np

from ..core.augmenter import Augmenter, integer
from ..core.params import WHOLE, Check, Flag, IntRange, Spec, Within
from ..core.registry import register
from ._image import border_params, border_rules, border_settings, crop_box

SIDES = ("left", "top", "right", "bottom")


@register("pad")
class Pad(Augmenter):
    modality = "image"
    family = "geometry"
    backend = "opencv"
    description = "Grow the canvas by a random border on each side (the size changes)."
    caution = "Reflected borders can duplicate objects near the edge."
    spec = Spec(
        IntRange("padding", default=(0, 32), min=0, max=2048, unit="px", help="Pixels added per side"),
        Flag("same_on_all_sides", default=False, help="Draw one amount for all four sides"),
        *border_settings(interpolation=False),
    )

    def sample(self, settings, data, rng):
        if settings["same_on_all_sides"]:
            amounts = dict.fromkeys(SIDES, integer(rng, settings["padding"]))
        else:
            amounts = {side: integer(rng, settings["padding"]) for side in SIDES}
        return {**amounts, **border_params(settings)}

    def param_rules(self, settings, data):
        rules = {side: Within(*settings["padding"]) for side in SIDES}
        if settings["same_on_all_sides"]:
            rules[WHOLE] = Check(lambda p: len({p[side] for side in SIDES}) == 1, "one amount on all sides")
        return {**rules, **border_rules(settings)}

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        h, w = data.shape[:2]
        box = [-params["left"], -params["top"], w + params["right"], h + params["bottom"]]
        return crop_box(data, box, params)
