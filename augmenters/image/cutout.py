"""Random erasing (cutout): blank out rectangles of random area and aspect ratio."""

from __future__ import annotations

import math

import numpy as np

from ..core.augmenter import Augmenter, integer
from ..core.params import All, Box, Check, FloatRange, IntRange, Items, MultiChoice, OneOf, Seed, Spec
from ..core.registry import register
from ._image import fits_area_and_ratio, on_color

FILLS = ("zero", "mean", "noise")
ATTEMPTS = 10  # as torchvision's RandomErasing: a box that does not fit is redrawn, then skipped


def erase(color: np.ndarray, boxes: list, fill: str, seed: int) -> np.ndarray:
    import cv2

    out = color.copy()
    if fill == "mean":
        channels = 1 if color.ndim == 2 else color.shape[2]
        value = np.rint(cv2.mean(color)[:channels]).astype(np.uint8)
    noise_rng = np.random.default_rng(seed) if fill == "noise" else None  # local, from the recorded seed
    for x0, y0, x1, y1 in boxes:
        region = out[y0:y1, x0:x1]
        if fill == "zero":
            region[...] = 0
        elif fill == "mean":
            region[...] = value.reshape(region.shape[2:] or ())
        else:
            region[...] = noise_rng.integers(0, 256, size=region.shape, dtype=np.uint8)
    return out


@register("cutout")
class Cutout(Augmenter):
    modality = "image"
    family = "erase"
    backend = "numpy"
    description = "Erase a few rectangles (random area and aspect ratio) with black, the mean colour or noise."
    caution = "A box can cover exactly the part the label depends on."
    keeps_size = True
    spec = Spec(
        IntRange("count", default=(1, 1), min=1, max=50, unit="boxes", help="How many rectangles"),
        FloatRange("area", default=(0.02, 0.2), min=0.0001, max=1.0, unit="fraction", help="Each box's area as a fraction of the image"),
        FloatRange("ratio", default=(0.3, 3.3), min=0.05, max=20.0, unit="w/h", help="Each box's aspect ratio (width / height)"),
        MultiChoice("fill", default=("zero",), choices=FILLS, help="What fills a box; one is drawn per image"),
    )

    def sample(self, settings, data, rng):
        h, w = data.shape[:2]
        log_ratio = (math.log(settings["ratio"][0]), math.log(settings["ratio"][1]))
        boxes = []
        for _ in range(integer(rng, settings["count"])):
            for _ in range(ATTEMPTS):
                target = h * w * float(rng.uniform(*settings["area"]))
                aspect = math.exp(float(rng.uniform(*log_ratio)))
                bw, bh = int(round(math.sqrt(target * aspect))), int(round(math.sqrt(target / aspect)))
                if 0 < bw <= w and 0 < bh <= h:
                    x0, y0 = int(rng.integers(0, w - bw, endpoint=True)), int(rng.integers(0, h - bh, endpoint=True))
                    boxes.append([x0, y0, x0 + bw, y0 + bh])
                    break
        fill = settings["fill"][int(rng.integers(len(settings["fill"])))]
        return {"boxes": boxes, "fill": fill, "seed": int(rng.integers(2**31 - 1))}

    def param_rules(self, settings, data):
        h, w = data.shape[:2]

        def drawn(box: list) -> bool:
            return fits_area_and_ratio(box, h * w, settings["area"], settings["ratio"])

        # A box that misses ten times is skipped, so there may be fewer boxes than drawn.
        box = All(Box((0, 0, w, h)), Check(drawn, "a box of the area and ratio ranges"))
        return {"boxes": Items(box, most=settings["count"][1]), "fill": OneOf(tuple(settings["fill"])), "seed": Seed()}

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        return on_color(data, lambda color: erase(color, params["boxes"], params["fill"], params["seed"]))
