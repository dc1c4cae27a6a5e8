"""Random crop with optional padding first, as torchvision's RandomCrop(size, padding=…)."""

from __future__ import annotations

import numpy as np

from ..core.augmenter import Augmenter
from ..core.errors import SettingsError
from ..core.params import Box, Flag, Int, Spec
from ..core.registry import register
from ._image import border_params, border_rules, border_settings, crop_box


@register("crop")
class Crop(Augmenter):
    modality = "image"
    family = "geometry"
    backend = "numpy"
    description = "Pad each side, then cut a window of a fixed size at a random place (the classic CIFAR crop)."
    caution = "A small window can cut away the object the label names."
    spec = Spec(
        Int("height", default=0, min=0, max=16384, unit="px", help="Crop height; 0 keeps the image height"),
        Int("width", default=0, min=0, max=16384, unit="px", help="Crop width; 0 keeps the image width"),
        Int("padding", default=4, min=0, max=1024, unit="px", help="Padding added to every side before cropping"),
        Flag("pad_if_needed", default=True, help="Pad further when the crop is larger than the padded image"),
        *border_settings(interpolation=False),
    )

    def sample(self, settings, data, rng):
        h, w = data.shape[:2]
        pad = settings["padding"]
        th, tw = settings["height"] or h, settings["width"] or w
        # Extra padding (split evenly) when the window is larger than the padded image.
        extra_h, extra_w = max(0, th - h - 2 * pad), max(0, tw - w - 2 * pad)
        if (extra_h or extra_w) and not settings["pad_if_needed"]:
            raise SettingsError(
                f"crop {th}x{tw} is larger than the padded image {h + 2 * pad}x{w + 2 * pad}; turn on pad_if_needed"
            )
        top, left = -pad - extra_h // 2, -pad - extra_w // 2
        y0 = top + int(rng.integers(0, h + 2 * pad + extra_h - th, endpoint=True))
        x0 = left + int(rng.integers(0, w + 2 * pad + extra_w - tw, endpoint=True))
        return {"box": [x0, y0, x0 + tw, y0 + th], **border_params(settings)}

    def param_rules(self, settings, data):
        h, w = data.shape[:2]
        pad = settings["padding"]
        th, tw = settings["height"] or h, settings["width"] or w
        extra_h, extra_w = max(0, th - h - 2 * pad), max(0, tw - w - 2 * pad)
        # Inside the padded image (plus any pad_if_needed extra, split as sample splits it).
        region = (-pad - extra_w // 2, -pad - extra_h // 2, w + pad + extra_w - extra_w // 2, h + pad + extra_h - extra_h // 2)
        return {"box": Box(region, size=(tw, th)), **border_rules(settings)}

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        return crop_box(data, params["box"], params)
