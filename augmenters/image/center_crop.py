"""Cut the centre of the image (the evaluation crop of ImageNet models)."""

from __future__ import annotations

import numpy as np

from ..core.augmenter import Augmenter
from ..core.params import All, Box, Check, Float, Int, Spec
from ..core.registry import register
from ._image import crop_box

# Outside the image (a crop larger than it) is black, and transparent on RGBA, as torchvision pads.
_PAD = {"border": "constant", "fill": 0, "transparent_fill": True}


def _offset(side: int, window: int) -> int:
    """Where the window starts. A smaller window drops the odd pixel on the bottom/right (as
    Albumentations; torchvision rounds half to even, see docs/reference-agreement.md); a larger
    one pads the odd pixel bottom/right, as torchvision and Albumentations both do."""
    return (side - window) // 2 if window <= side else -((window - side) // 2)


@register("center_crop")
class CenterCrop(Augmenter):
    modality = "image"
    family = "geometry"
    backend = "numpy"
    description = "Keep the central window; a window larger than the image is padded with black."
    caution = "Objects near the edges are cut away."
    deterministic = True
    spec = Spec(
        Int("height", default=0, min=0, max=16384, unit="px", help="Window height; 0 uses scale"),
        Int("width", default=0, min=0, max=16384, unit="px", help="Window width; 0 uses scale"),
        Float("scale", default=0.875, min=0.01, max=4.0, unit="fraction", help="Window side as a fraction of the image side (when height/width are 0)"),
    )

    def sample(self, settings, data, rng):
        h, w = data.shape[:2]
        th = settings["height"] or max(1, int(round(h * settings["scale"])))
        tw = settings["width"] or max(1, int(round(w * settings["scale"])))
        y0, x0 = _offset(h, th), _offset(w, tw)
        return {"box": [x0, y0, x0 + tw, y0 + th]}

    def param_rules(self, settings, data):
        h, w = data.shape[:2]
        th = settings["height"] or max(1, int(round(h * settings["scale"])))
        tw = settings["width"] or max(1, int(round(w * settings["scale"])))

        def centred(box: list) -> bool:
            # Right margin minus left margin (negative margins: padding): 0, or 1 when the odd
            # pixel is cropped on the right, or -1 when it is padded on the right. Same for y.
            x0, y0, x1, y1 = box
            return (w - x1) - x0 in ((0, 1) if tw <= w else (0, -1)) and (h - y1) - y0 in ((0, 1) if th <= h else (0, -1))

        region = (-tw, -th, w + tw, h + th)  # the real constraints are the size and the centring
        return {"box": All(Box(region, size=(tw, th)), Check(centred, "centred, the odd pixel bottom/right"))}

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        return crop_box(data, params["box"], _PAD)
