"""Rotate by a random angle, keeping the size or expanding to fit the whole image."""

from __future__ import annotations

import math

import numpy as np

from ..core.augmenter import Augmenter, uniform
from ..core.params import Flag, FloatRange, Spec, passed_through, range_rules
from ..core.registry import register
from ._image import border_params, border_rules, border_settings, warp_affine


def expanded_size(width: int, height: int, angle: float) -> tuple[int, int]:
    """(width, height) of the canvas that holds the whole rotated image, computed as Pillow's
    `Image.rotate(expand=True)` does (torchvision's tensor kernel agrees): the rotated corners'
    extent, ceil of the maximum minus floor of the minimum, about the centre (w/2, h/2).

    The extent is symmetric about a centre that may sit on a pixel edge, so this can be one
    pixel more than ceil(w·|cos| + h·|sin|)."""
    rad = -math.radians(angle)
    cos, sin = round(math.cos(rad), 15), round(math.sin(rad), 15)  # Pillow's rounding
    cx, cy = width / 2.0, height / 2.0
    corners = [(x - cx, y - cy) for x, y in ((0, 0), (width, 0), (width, height), (0, height))]
    xs = [cos * x + sin * y + cx for x, y in corners]
    ys = [-sin * x + cos * y + cy for x, y in corners]
    return math.ceil(max(xs)) - math.floor(min(xs)), math.ceil(max(ys)) - math.floor(min(ys))


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

    def param_rules(self, settings, data):
        return {**range_rules(settings, "angle"), **passed_through(settings, "expand"), **border_rules(settings)}

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        import cv2

        angle = float(params["angle"])
        quarter_turns = angle / 90.0
        # Exact multiples of 90° are lossless transposes; interpolation would only blur them.
        if quarter_turns.is_integer() and (params["expand"] or int(quarter_turns) % 2 == 0 or data.shape[0] == data.shape[1]):
            return np.rot90(data, k=int(quarter_turns) % 4).copy()  # a new array, even at 0°
        h, w = data.shape[:2]
        center = ((w - 1) / 2.0, (h - 1) / 2.0)
        matrix = cv2.getRotationMatrix2D(center, angle, 1.0)
        out_w, out_h = w, h
        if params["expand"]:
            out_w, out_h = expanded_size(w, h, angle)
            matrix[0, 2] += (out_w - 1) / 2.0 - center[0]
            matrix[1, 2] += (out_h - 1) / 2.0 - center[1]
        return warp_affine(data, matrix, (out_w, out_h), params)
