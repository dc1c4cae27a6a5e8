"""Mixup: a weighted average of the image and a partner, lambda ~ Beta(alpha, alpha)."""

from __future__ import annotations

import numpy as np

from ..core.augmenter import Augmenter, Partner
from ..core.params import WHOLE, Check, Float, Spec, Within
from ..core.registry import register
from ._mix import match_partner, mix_summary, partner_note, partner_rules


@register("mixup")
class Mixup(Augmenter):
    modality = "image"
    family = "mix"
    backend = "opencv"
    description = "Blend with a partner image: lambda x image + (1 - lambda) x partner; labels mix the same way."
    caution = "Produces images no camera takes; needs soft labels (the record carries them). Partners are resized to this image."
    needs_partner = True
    keeps_size = True
    spec = Spec(
        Float("alpha", default=0.2, min=0.01, max=100.0, help="Beta(alpha, alpha) shape: small values keep lambda near 0 or 1"),
    )

    def sample(self, settings, data, rng, *, partner: Partner):
        lam = round(float(rng.beta(settings["alpha"], settings["alpha"])), 4)
        return {"lam": lam, "self_weight": lam, **partner_note(data, partner.data)}

    def param_rules(self, settings, data, *, partner: Partner):
        return {
            "lam": Within(0.0, 1.0),
            "self_weight": Within(0.0, 1.0),
            WHOLE: Check(lambda p: p["self_weight"] == p["lam"], "a label weight equal to lambda"),
            **partner_rules(data, partner.data),
        }

    def summarize(self, params: dict, settings: dict | None = None) -> str:
        return mix_summary(params)

    def apply(self, data: np.ndarray, params: dict, *, partner: Partner) -> np.ndarray:
        import cv2

        other = match_partner(data, partner.data)
        lam = float(params["lam"])
        return cv2.addWeighted(data, lam, other, 1.0 - lam, 0.0)
