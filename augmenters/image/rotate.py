"""Rotate by a random angle, keeping the size or expanding to fit the whole image."""

from __future__ import annotations

import math

import numpy as np

from ..core.augmenter import Augmenter, uniform
from ..core.params import Flag, FloatRange, Spec
from ..core.registry import register
from ._image import border_params, border_settings, warp_affine


@register("rotate")
class Rotate(Augmenter):
    modality = "image"
    family = "geometry"
    backend = "opencv"
    description = "Rotate counter-clockwise by an angle drawn from a range."
    caution = "Large angles move content out of frame; labels tied to orientation (digits 6/9, arrows) can flip meaning."
    spec = Spec(
        FloatRange("angle", default=(-30.0, 30.0), min=-180.0, max=180.0, unit="degrees", help="Rotation angle range"),
        Flag("expand", default=False, help="Grow the canvas so no corner is cut off (the size changes)"),
        *border_settings(),
    )

    def sample(self, settings, data, rng):
        return {"angle": uniform(rng, settings["angle"], 2), "expand": settings["expand"], **border_params(settings)}

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        import cv2

        angle = float(params["angle"])
        quarter_turns = angle / 90.0
        # Exact multiples of 90° are lossless transposes; interpolation would only blur them.
        if quarter_turns.is_integer() and (params["expand"] or int(quarter_turns) % 2 == 0 or data.shape[0] == data.shape[1]):
            return np.ascontiguousarray(np.rot90(data, k=int(quarter_turns) % 4))
        h, w = data.shape[:2]
        center = ((w - 1) / 2.0, (h - 1) / 2.0)
        matrix = cv2.getRotationMatrix2D(center, angle, 1.0)
        out_w, out_h = w, h
        if params["expand"]:
            cos, sin = abs(math.cos(math.radians(angle))), abs(math.sin(math.radians(angle)))
            out_w = int(math.ceil(w * cos + h * sin - 1e-9))
            out_h = int(math.ceil(w * sin + h * cos - 1e-9))
            matrix[0, 2] += (out_w - 1) / 2.0 - center[0]
            matrix[1, 2] += (out_h - 1) / 2.0 - center[1]
        return warp_affine(data, matrix, (out_w, out_h), params)
