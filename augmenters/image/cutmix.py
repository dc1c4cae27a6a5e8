"""CutMix: paste a box from a partner; the label weights are the exact pasted area fraction."""

from __future__ import annotations

import math

import numpy as np

from ..core.augmenter import Augmenter, Partner
from ..core.params import WHOLE, Box, Check, Float, Spec, Within
from ..core.registry import register
from ..core.summary import value
from ._mix import match_partner, mix_summary, partner_note, partner_rules


def cutmix_box(h: int, w: int, lam: float, rng: np.random.Generator) -> list:
    """The CutMix paper's box: sides sqrt(1 - lambda) of the image's, centred anywhere, clipped to the image."""
    cut = math.sqrt(1.0 - lam)
    bw, bh = int(w * cut), int(h * cut)
    cx, cy = int(rng.integers(w)), int(rng.integers(h))
    return [max(cx - bw // 2, 0), max(cy - bh // 2, 0), min(cx + bw // 2, w), min(cy + bh // 2, h)]


@register("cutmix")
class CutMix(Augmenter):
    modality = "image"
    family = "mix"
    backend = "numpy"
    description = "Paste a random box of a partner image; labels mix by the exact share of pasted pixels."
    caution = "The box may cover the object or paste only background; needs soft labels. Partners are resized to this image."
    needs_partner = True
    keeps_size = True
    spec = Spec(
        Float("alpha", default=1.0, min=0.01, max=100.0, help="Beta(alpha, alpha) for lambda, which sets the box size"),
    )

    def sample(self, settings, data, rng, *, partner: Partner):
        h, w = data.shape[:2]
        lam = round(float(rng.beta(settings["alpha"], settings["alpha"])), 4)
        box = cutmix_box(h, w, lam, rng)
        pasted = (box[2] - box[0]) * (box[3] - box[1])
        # The clipped box, not lambda, decides the label: weight = share of original pixels left.
        return {"lam": lam, "box": box, "self_weight": 1.0 - pasted / (h * w), **partner_note(data, partner.data)}

    def param_rules(self, settings, data, *, partner: Partner):
        h, w = data.shape[:2]

        def weight(params: dict) -> bool:
            x0, y0, x1, y1 = params["box"]
            return params["self_weight"] == 1.0 - (x1 - x0) * (y1 - y0) / (h * w)

        return {
            "lam": Within(0.0, 1.0),
            "box": Box((0, 0, w, h), nonempty=False),
            "self_weight": Within(0.0, 1.0),
            WHOLE: Check(weight, "a label weight equal to the share of original pixels left"),
            **partner_rules(data, partner.data),
        }

    def summarize(self, params: dict, settings: dict | None = None) -> str:
        return mix_summary(params, f"box {value(params['box'])}")

    def apply(self, data: np.ndarray, params: dict, *, partner: Partner) -> np.ndarray:
        x0, y0, x1, y1 = params["box"]
        out = data.copy()
        if x1 > x0 and y1 > y0:
            out[y0:y1, x0:x1] = match_partner(data, partner.data)[y0:y1, x0:x1]
        return out
