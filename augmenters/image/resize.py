"""Resize to a fixed size, or to a height or width keeping the aspect ratio."""

from __future__ import annotations

import numpy as np

from ..core.augmenter import Augmenter
from ..core.errors import SettingsError
from ..core.params import Choice, Int, Spec
from ..core.registry import register
from ._image import cv2_interpolation


@register("resize")
class Resize(Augmenter):
    modality = "image"
    family = "geometry"
    backend = "opencv"
    description = "Resize to height x width; set one of them to 0 to keep the aspect ratio."
    caution = "Changing the aspect ratio stretches shapes; heavy downscaling loses small details."
    deterministic = True
    spec = Spec(
        Int("height", default=224, min=0, max=16384, unit="px", help="Output height; 0 follows the width and the aspect ratio"),
        Int("width", default=224, min=0, max=16384, unit="px", help="Output width; 0 follows the height and the aspect ratio"),
        Choice("interpolation", default="bilinear", choices=("nearest", "bilinear", "bicubic", "area"), help="Resampling filter ('area' is best for shrinking)"),
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
        return {"size": [th, tw], "interpolation": settings["interpolation"]}

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        import cv2

        height, width = params["size"]
        if data.shape[:2] == (height, width):
            return data.copy()
        return cv2.resize(data, (width, height), interpolation=cv2_interpolation(params["interpolation"]))
