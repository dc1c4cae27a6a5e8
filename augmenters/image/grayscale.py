"""Remove colour, keeping the image's mode (RGB stays three equal channels)."""

from __future__ import annotations

import numpy as np

from ..core.augmenter import Augmenter
from ..core.registry import register
from ._image import on_color


def _to_gray_rgb(color: np.ndarray) -> np.ndarray:
    import cv2

    if color.ndim == 2:
        return color.copy()
    return cv2.cvtColor(cv2.cvtColor(color, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)


@register("grayscale")
class Grayscale(Augmenter):
    modality = "image"
    family = "color"
    backend = "opencv"
    description = "Convert to grey (ITU-R 601 luma) and back to the input's mode; alpha is kept."
    caution = "Useless, or harmful, when colour is the label (ripeness, stains, signal lights)."
    deterministic = True
    keeps_size = True

    def sample(self, settings, data, rng):
        return {}

    def param_rules(self, settings, data):
        return {}  # nothing is drawn

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        return on_color(data, _to_gray_rgb)
