"""Re-encode as JPEG at a random quality, to teach robustness to compression artefacts."""

from __future__ import annotations

import numpy as np

from ..core.augmenter import Augmenter, integer
from ..core.params import IntRange, Spec, range_rules
from ..core.registry import register
from ._image import on_color


def jpeg_round_trip(color: np.ndarray, quality: int) -> np.ndarray:
    import cv2

    # OpenCV's codec expects BGR; encoding RGB as if it were BGR would mix chroma wrongly.
    bgr = color if color.ndim == 2 else cv2.cvtColor(color, cv2.COLOR_RGB2BGR)
    ok, encoded = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise RuntimeError("OpenCV could not encode the image as JPEG")
    flag = cv2.IMREAD_GRAYSCALE if color.ndim == 2 else cv2.IMREAD_COLOR
    decoded = cv2.imdecode(encoded, flag)
    return decoded if color.ndim == 2 else cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB)


@register("jpeg_compression")
class JpegCompression(Augmenter):
    modality = "image"
    family = "noise"
    backend = "opencv"
    description = "Encode and decode as JPEG at a quality drawn from a range (alpha is kept lossless)."
    caution = "Low qualities smear fine text and thin lines."
    keeps_size = True
    spec = Spec(
        IntRange("quality", default=(30, 90), min=1, max=100, unit="JPEG quality", help="100 is best, 1 is worst"),
    )

    def sample(self, settings, data, rng):
        return {"quality": integer(rng, settings["quality"])}

    def param_rules(self, settings, data):
        return range_rules(settings, "quality")

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        return on_color(data, lambda color: jpeg_round_trip(color, params["quality"]))
