"""Move the four corners inward by random amounts and warp (torchvision's RandomPerspective)."""

from __future__ import annotations

import numpy as np

from ..core.augmenter import Augmenter
from ..core.params import Float, Spec
from ..core.registry import register
from ._image import border_params, border_settings, cv2_border, cv2_interpolation


@register("perspective")
class Perspective(Augmenter):
    modality = "image"
    family = "geometry"
    backend = "opencv"
    description = "A random perspective warp: each corner moves inward by up to distortion x half the side."
    caution = "Strong distortion skews text and straight edges; keep it small for documents."
    keeps_size = True
    spec = Spec(
        Float("distortion", default=0.3, min=0.0, max=1.0, unit="fraction", help="How far corners may move, as a fraction of half the side"),
        *border_settings(),
    )

    def sample(self, settings, data, rng):
        h, w = data.shape[:2]
        dx, dy = int(settings["distortion"] * (w // 2)), int(settings["distortion"] * (h // 2))

        def inward(limit: int) -> int:
            return int(rng.integers(0, limit, endpoint=True))

        corners = [  # where the top-left, top-right, bottom-right and bottom-left corners go
            [inward(dx), inward(dy)],
            [w - 1 - inward(dx), inward(dy)],
            [w - 1 - inward(dx), h - 1 - inward(dy)],
            [inward(dx), h - 1 - inward(dy)],
        ]
        return {"corners": corners, **border_params(settings)}

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        import cv2

        h, w = data.shape[:2]
        source = np.float32([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]])
        matrix = cv2.getPerspectiveTransform(source, np.float32(params["corners"]))
        mode, value = cv2_border(params, data)
        flags = cv2_interpolation(params["interpolation"])
        return cv2.warpPerspective(data, matrix, (w, h), flags=flags, borderMode=mode, borderValue=value)
