"""Mirror top to bottom."""

from __future__ import annotations

import numpy as np

from ..core.augmenter import Augmenter
from ..core.registry import register


@register("vflip")
class VerticalFlip(Augmenter):
    modality = "image"
    family = "geometry"
    backend = "opencv"
    description = "Mirror the image top to bottom."
    caution = "Natural photos are rarely upside down: a flipped sky or face teaches the model something false."
    deterministic = True
    keeps_size = True

    def sample(self, settings, data, rng):
        return {}

    def param_rules(self, settings, data):
        return {}  # nothing is drawn

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        import cv2

        return cv2.flip(data, 0)
