"""Rotate, translate, scale and shear in one warp (the Keras ImageDataGenerator family of moves)."""

from __future__ import annotations

import math

import numpy as np

from ..core.augmenter import Augmenter, uniform
from ..core.params import WHOLE, Check, Flag, FloatRange, Spec, Within, range_rules
from ..core.registry import register
from ._image import border_params, border_rules, border_settings, warp_affine


def affine_matrix(params: dict, height: int, width: int) -> np.ndarray:
    """Forward 2x3 matrix about the centre, composed as torchvision's `F.affine`: shear x, then
    shear y, then scale, then rotate, then translate (`R · S · SHy · SHx`, its `RotateScaleShear`).

    Signs follow torchvision and Albumentations: positive `shear_x` moves the top of a vertical
    line right and its bottom left; positive `shear_y` moves the right end of a horizontal line
    up. `angle` turns counter-clockwise, as `rotate`, `F.rotate` and Albumentations do
    (`F.affine` alone turns clockwise: `F.affine(angle=-a)` is ours).
    """
    a = math.radians(params["angle"])
    # Image rows grow downwards, so [[cos, sin], [-sin, cos]] turns counter-clockwise on screen.
    rotation = np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])
    shear_x = np.array([[1.0, -math.tan(math.radians(params["shear_x"]))], [0.0, 1.0]])
    shear_y = np.array([[1.0, 0.0], [-math.tan(math.radians(params["shear_y"])), 1.0]])
    scale = np.diag([params["scale_x"], params["scale_y"]])
    linear = rotation @ scale @ shear_y @ shear_x
    center = np.array([(width - 1) / 2.0, (height - 1) / 2.0])
    shift = np.array([params["translate_x"] * width, params["translate_y"] * height])
    offset = center + shift - linear @ center
    return np.hstack([linear, offset[:, None]])


@register("affine")
class Affine(Augmenter):
    modality = "image"
    family = "geometry"
    backend = "opencv"
    description = "One affine warp: rotation, translation, zoom and shear drawn from ranges; the size is kept."
    caution = "Strong shifts or zooms push content out of frame; shear distorts shapes that carry meaning (text, digits)."
    keeps_size = True
    spec = Spec(
        FloatRange("angle", default=(-15.0, 15.0), min=-180.0, max=180.0, unit="degrees", help="Rotation, counter-clockwise"),
        FloatRange("translate_x", default=(-0.1, 0.1), min=-1.0, max=1.0, unit="fraction", help="Horizontal shift as a fraction of the width"),
        FloatRange("translate_y", default=(-0.1, 0.1), min=-1.0, max=1.0, unit="fraction", help="Vertical shift as a fraction of the height"),
        FloatRange("scale", default=(0.9, 1.1), min=0.05, max=10.0, unit="factor", help="Zoom; above 1 enlarges"),
        Flag("keep_aspect", default=True, help="One zoom for both axes; off draws x and y zoom separately (as Keras does)"),
        FloatRange("shear_x", default=(-10.0, 10.0), min=-80.0, max=80.0, unit="degrees", help="Horizontal shear angle; positive leans vertical lines right at the top (as torchvision)"),
        FloatRange("shear_y", default=(0.0, 0.0), min=-80.0, max=80.0, unit="degrees", help="Vertical shear angle; positive lifts the right end of horizontal lines (as torchvision)"),
        *border_settings(),
    )

    def sample(self, settings, data, rng):
        scale_x = uniform(rng, settings["scale"], 4)
        scale_y = scale_x if settings["keep_aspect"] else uniform(rng, settings["scale"], 4)
        return {
            "angle": uniform(rng, settings["angle"], 2),
            "translate_x": uniform(rng, settings["translate_x"], 4),
            "translate_y": uniform(rng, settings["translate_y"], 4),
            "scale_x": scale_x,
            "scale_y": scale_y,
            "shear_x": uniform(rng, settings["shear_x"], 2),
            "shear_y": uniform(rng, settings["shear_y"], 2),
            **border_params(settings),
        }

    def param_rules(self, settings, data):
        rules = {
            **range_rules(settings, "angle", "translate_x", "translate_y", "shear_x", "shear_y"),
            "scale_x": Within(*settings["scale"]),
            "scale_y": Within(*settings["scale"]),
            **border_rules(settings),
        }
        if settings["keep_aspect"]:
            rules[WHOLE] = Check(lambda p: p["scale_x"] == p["scale_y"], "one zoom for both axes")
        return rules

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        h, w = data.shape[:2]
        return warp_affine(data, affine_matrix(params, h, w), (w, h), params)
