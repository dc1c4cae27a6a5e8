"""Shared image plumbing for the plugins: alpha handling and border/fill settings."""

from __future__ import annotations

import numpy as np

from ..core.params import Choice, Flag, Int

BORDER_MODES = ("constant", "reflect", "replicate", "wrap")
INTERPOLATIONS = ("nearest", "bilinear", "bicubic")


def border_settings(default_mode: str = "constant") -> tuple:
    """The border controls every geometric op shares, so they read the same everywhere."""
    return (
        Choice("border", default=default_mode, choices=BORDER_MODES, help="How pixels outside the image are filled"),
        Int("fill", default=0, min=0, max=255, help="Grey level of the fill when border is constant"),
        Flag("transparent_fill", default=True, help="RGBA images: make the constant fill transparent"),
        Choice("interpolation", default="bilinear", choices=INTERPOLATIONS, help="Resampling filter"),
    )


def border_params(settings: dict) -> dict:
    return {k: settings[k] for k in ("border", "fill", "transparent_fill", "interpolation")}


def cv2_border(params: dict, image: np.ndarray) -> tuple[int, tuple]:
    """cv2 border mode and value for `image`, honouring transparent fill on RGBA."""
    import cv2

    mode = {
        "constant": cv2.BORDER_CONSTANT,
        "reflect": cv2.BORDER_REFLECT_101,
        "replicate": cv2.BORDER_REPLICATE,
        "wrap": cv2.BORDER_WRAP,
    }[params["border"]]
    fill = params["fill"]
    channels = 1 if image.ndim == 2 else image.shape[2]
    value = [fill] * channels
    if channels == 4:
        value[3] = 0 if params.get("transparent_fill", True) else 255
    return mode, tuple(value)


def cv2_interpolation(name: str) -> int:
    import cv2

    return {"nearest": cv2.INTER_NEAREST, "bilinear": cv2.INTER_LINEAR, "bicubic": cv2.INTER_CUBIC}[name]


def split_alpha(image: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Colour ops work on the colour channels and leave alpha alone."""
    if image.ndim == 3 and image.shape[2] == 4:
        return np.ascontiguousarray(image[:, :, :3]), image[:, :, 3]
    return image, None


def join_alpha(color: np.ndarray, alpha: np.ndarray | None) -> np.ndarray:
    if alpha is None:
        return color
    return np.dstack([color, alpha])
