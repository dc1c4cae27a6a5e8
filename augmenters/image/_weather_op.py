"""What rain and snow share as plugins: the `renderer` choice, what old records mean, and health."""

from __future__ import annotations

from ..core.augmenter import Augmenter, Health
from ..core.params import Choice
from ._imgaug_compat import imgaug_health

RENDERERS = ("fast", "imgaug")


def renderer_setting(layers: str) -> Choice:
    return Choice(
        "renderer",
        default="fast",
        choices=RENDERERS,
        help=f"fast: augplay's vectorised drawing of imgaug's {layers} layers; imgaug: imgaug's own (slow, needs imgaug)",
    )


def renderer_of(params: dict) -> str:
    """Which renderer a record asks for. Records made before the choice existed were drawn by
    imgaug, so they replay with imgaug: the same bytes as when they were made."""
    return params.get("renderer", "imgaug")


class WeatherOp(Augmenter):
    """Base of rain and snow: imgaug is needed only when a pipeline picks its renderer."""

    modality = "image"
    family = "weather"
    backend = "numpy+opencv"
    keeps_size = True

    def health_for(self, settings: dict) -> Health:
        return imgaug_health() if settings.get("renderer") == "imgaug" else self.health()
