"""Additive Gaussian noise; the noise is drawn from a recorded seed so replay is exact."""

from __future__ import annotations

import numpy as np

from ..core.augmenter import Augmenter, uniform
from ..core.params import Flag, FloatRange, Spec
from ..core.registry import register
from ._image import on_color


def add_noise(color: np.ndarray, sigma: float, seed: int, per_channel: bool) -> np.ndarray:
    import cv2

    noise_rng = np.random.default_rng(seed)  # a local generator from the recorded seed, not global state
    shape = color.shape if per_channel or color.ndim == 2 else color.shape[:2]
    noise = noise_rng.standard_normal(shape, dtype=np.float32)
    noise *= sigma
    if noise.ndim < color.ndim:
        noise = cv2.merge([noise] * color.shape[2])
    # cv2.add rounds and saturates to uint8 in one pass.
    return cv2.add(color, noise, dtype=cv2.CV_8U)


@register("gaussian_noise")
class GaussianNoise(Augmenter):
    modality = "image"
    family = "noise"
    backend = "numpy+opencv"
    description = "Add zero-mean Gaussian noise with a standard deviation (in grey levels) drawn from a range."
    caution = "Strong noise hides fine texture that some labels depend on (defects, lesions)."
    keeps_size = True
    spec = Spec(
        FloatRange("sigma", default=(5.0, 20.0), min=0.0, max=255.0, unit="grey levels", help="Noise standard deviation"),
        Flag("per_channel", default=True, help="Independent noise per colour channel (off: the same noise on all)"),
    )

    def sample(self, settings, data, rng):
        return {
            "sigma": uniform(rng, settings["sigma"], 2),
            "per_channel": settings["per_channel"],
            "seed": int(rng.integers(2**31 - 1)),
        }

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        return on_color(data, lambda c: add_noise(c, float(params["sigma"]), params["seed"], params["per_channel"]))
