"""Move the four corners inward by random amounts and warp (torchvision's RandomPerspective)."""

from __future__ import annotations

import numpy as np

from ..core.augmenter import Augmenter
from ..core.params import Check, Float, Spec
from ..core.registry import register
from ._image import border_params, border_rules, border_settings, cv2_border, cv2_interpolation


def perspective_matrix(corners: list, height: int, width: int) -> np.ndarray:
    """The forward homography (pixel-centre coordinates, for cv2.warpPerspective) of
    torchvision's `F.perspective(startpoints=image corners, endpoints=corners)`.

    torchvision solves for the homography on point coordinates where pixel i spans [i, i + 1)
    and samples at pixel centres i + 0.5; OpenCV puts pixel i at i. Solving on the same numbers
    and moving half a pixel either side gives torchvision's warp (a homography does not commute
    with that half-pixel shift, so skipping it moves distorted regions by up to half a pixel).
    """
    import cv2

    source = np.float32([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]])
    homography = cv2.getPerspectiveTransform(source, np.float32(corners)).astype(np.float64)
    half = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [0.0, 0.0, 1.0]])
    back = np.array([[1.0, 0.0, -0.5], [0.0, 1.0, -0.5], [0.0, 0.0, 1.0]])
    return back @ homography @ half


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

    def param_rules(self, settings, data):
        h, w = data.shape[:2]
        dx, dy = int(settings["distortion"] * (w // 2)), int(settings["distortion"] * (h // 2))
        # Each corner moves inward by at most (dx, dy) from where it was.
        ranges = [((0, dx), (0, dy)), ((w - 1 - dx, w - 1), (0, dy)), ((w - 1 - dx, w - 1), (h - 1 - dy, h - 1)), ((0, dx), (h - 1 - dy, h - 1))]

        def inward(corners: list) -> bool:
            return len(corners) == 4 and all(
                isinstance(x, int) and isinstance(y, int) and xr[0] <= x <= xr[1] and yr[0] <= y <= yr[1]
                for (x, y), (xr, yr) in zip(corners, ranges)
            )

        return {"corners": Check(inward, "four corners each moved inward by at most distortion x half the side"), **border_rules(settings)}

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        import cv2

        h, w = data.shape[:2]
        matrix = perspective_matrix(params["corners"], h, w)
        mode, value = cv2_border(params, data)
        flags = cv2_interpolation(params["interpolation"])
        return cv2.warpPerspective(data, matrix, (w, h), flags=flags, borderMode=mode, borderValue=value)
