"""Mirror left to right."""

from __future__ import annotations

import numpy as np

from ..core.augmenter import Augmenter
from ..core.registry import register


@register("hflip")
class HorizontalFlip(Augmenter):
    modality = "image"
    family = "geometry"
    backend = "opencv"
    description = "Mirror the image left to right."
    caution = "Mirrors text and handedness: avoid on documents, medical images with laterality, or signs."
    deterministic = True
    keeps_size = True

    def sample(self, settings, data, rng):
        return {}

    def param_rules(self, settings, data):
        return {}  # nothing is drawn

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        import cv2

        return cv2.flip(data, 1)
