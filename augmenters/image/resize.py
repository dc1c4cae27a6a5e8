"""Resize to a fixed size, or to a height or width keeping the aspect ratio."""

from __future__ import annotations

import numpy as np

from ..core.augmenter import Augmenter
from ..core.errors import SettingsError
from ..core.params import Check, Choice, Flag, Int, Spec, passed_through
from ..core.registry import register
from ._image import resize


@register("resize")
class Resize(Augmenter):
    modality = "image"
    family = "geometry"
    backend = "opencv+torchvision"
    description = "Resize to height x width; set one of them to 0 to keep the aspect ratio."
    caution = "Changing the aspect ratio stretches shapes; heavy downscaling loses small details."
    deterministic = True
    spec = Spec(
        Int("height", default=224, min=0, max=16384, unit="px", help="Output height; 0 follows the width and the aspect ratio"),
        Int("width", default=224, min=0, max=16384, unit="px", help="Output width; 0 follows the height and the aspect ratio"),
        Choice("interpolation", default="bilinear", choices=("nearest", "bilinear", "bicubic", "area"), help="Resampling filter ('area' is best for shrinking)"),
        Flag("antialias", default=True, help="Bilinear/bicubic: smooth while shrinking, as torchvision and Pillow do (off: OpenCV's faster, aliased resize)"),
    )

    def sample(self, settings, data, rng):
        h, w = data.shape[:2]
        th, tw = settings["height"], settings["width"]
        if not th and not tw:
            raise SettingsError("resize: set height, width or both (both are 0)")
        if not th:
            th = max(1, int(round(h * tw / w)))
        if not tw:
            tw = max(1, int(round(w * th / h)))
        return {"size": [th, tw], "interpolation": settings["interpolation"], "antialias": settings["antialias"]}

    def param_rules(self, settings, data):
        h, w = data.shape[:2]
        th, tw = settings["height"], settings["width"]

        def keeps_aspect(size: list) -> bool:
            # A side set to 0 follows the other side and the aspect ratio, to the nearest pixel.
            height, width = size
            return (not th or height == th) and (not tw or width == tw) and (th and tw or abs(height * w - width * h) <= max(h, w))

        return {"size": Check(keeps_aspect, "the set sides, the other one keeping the aspect ratio"),
                **passed_through(settings, "interpolation", "antialias")}

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        height, width = params["size"]
        # Records made before `antialias` existed replay as they were made (no antialiasing).
        return resize(data, height, width, params["interpolation"], params.get("antialias", False))
