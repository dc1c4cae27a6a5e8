"""Crop a random area and aspect ratio, then resize (the Inception / ImageNet training crop)."""

from __future__ import annotations

import math

import numpy as np

from ..core.augmenter import Augmenter
from ..core.params import All, Box, Check, Choice, Flag, FloatRange, Int, Is, Spec, passed_through
from ..core.registry import register
from ._image import fits_area_and_ratio, resize

ATTEMPTS = 10  # as torchvision: after ten misses, fall back to a centre crop


def _fallback_box(h: int, w: int, ratio: list) -> list:
    """The centre crop torchvision uses when no sampled box fits: the whole image, clamped to the ratio range."""
    aspect = w / h
    if aspect < ratio[0]:
        cw, ch = w, int(round(w / ratio[0]))
    elif aspect > ratio[1]:
        ch, cw = h, int(round(h * ratio[1]))
    else:
        cw, ch = w, h
    x0, y0 = (w - cw) // 2, (h - ch) // 2
    return [x0, y0, x0 + cw, y0 + ch]


@register("random_resized_crop")
class RandomResizedCrop(Augmenter):
    modality = "image"
    family = "geometry"
    backend = "opencv+torchvision"
    description = "Cut a window of random area and aspect ratio, then resize it to a fixed size."
    caution = "Small scales can crop the labelled object out entirely; aspect changes stretch shapes."
    spec = Spec(
        FloatRange("scale", default=(0.08, 1.0), min=0.001, max=1.0, unit="fraction", help="Window area as a fraction of the image"),
        FloatRange("ratio", default=(0.75, 1.3333), min=0.05, max=20.0, unit="w/h", help="Window aspect ratio (width / height)"),
        Int("height", default=0, min=0, max=16384, unit="px", help="Output height; 0 keeps the input height"),
        Int("width", default=0, min=0, max=16384, unit="px", help="Output width; 0 keeps the input width"),
        Choice("interpolation", default="bilinear", choices=("nearest", "bilinear", "bicubic", "area"), help="Resampling filter"),
        Flag("antialias", default=True, help="Bilinear/bicubic: smooth while shrinking, as torchvision does (off: OpenCV's faster, aliased resize)"),
    )

    def sample(self, settings, data, rng):
        h, w = data.shape[:2]
        area = h * w
        log_ratio = (math.log(settings["ratio"][0]), math.log(settings["ratio"][1]))
        box = None
        for _ in range(ATTEMPTS):
            target = area * float(rng.uniform(*settings["scale"]))
            aspect = math.exp(float(rng.uniform(*log_ratio)))
            cw, ch = int(round(math.sqrt(target * aspect))), int(round(math.sqrt(target / aspect)))
            if 0 < cw <= w and 0 < ch <= h:
                y0 = int(rng.integers(0, h - ch, endpoint=True))
                x0 = int(rng.integers(0, w - cw, endpoint=True))
                box = [x0, y0, x0 + cw, y0 + ch]
                break
        if box is None:
            box = _fallback_box(h, w, settings["ratio"])
        size = [settings["height"] or h, settings["width"] or w]
        return {"box": box, "size": size, "interpolation": settings["interpolation"], "antialias": settings["antialias"]}

    def param_rules(self, settings, data):
        h, w = data.shape[:2]
        fallback = _fallback_box(h, w, settings["ratio"])

        def drawn(box: list) -> bool:
            return box == fallback or fits_area_and_ratio(box, h * w, settings["scale"], settings["ratio"])

        return {
            "box": All(Box((0, 0, w, h)), Check(drawn, "a box of the scale and ratio ranges, or the centre fallback")),
            "size": Is([settings["height"] or h, settings["width"] or w]),
            **passed_through(settings, "interpolation", "antialias"),
        }

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        x0, y0, x1, y1 = params["box"]
        height, width = params["size"]
        # A new array even when the box is the whole image at the same size (never a view).
        # Records made before `antialias` existed replay as they were made (no antialiasing).
        return resize(data[y0:y1, x0:x1], height, width, params["interpolation"], params.get("antialias", False))
