"""Salt-and-pepper noise: a fraction of pixels set to pure white (255) or pure black (0).

The default does what the name says, as Albumentations' `SaltAndPepper` and scikit-image's
`random_noise(mode="s&p")` do. imgaug's `SaltAndPepper` draws its values from
Beta(0.5, 0.5)·255 (only ~6 % of them end up exactly 0 or 255): a softer look, kept as the
`imgaug_soft` choice of `values`.
"""

from __future__ import annotations

import numpy as np

from ..core.augmenter import Augmenter, Health, uniform
from ..core.params import Choice, Flag, FloatRange, Seed, Spec, passed_through, range_rules
from ..core.registry import register
from ._image import on_color
from ._imgaug_compat import imgaug_health, run_seeded, seed_param

VALUES = ("black_white", "imgaug_soft")


def salt_and_pepper(color: np.ndarray, amount: float, seed: int, per_channel: bool) -> np.ndarray:
    """A copy of `color` with floor(amount · n) of its n pixels (or values, `per_channel`) replaced,
    half of them (rounded down) by 255 and the rest by 0; which ones comes from `seed`.

    As Albumentations: an exact count, chosen without replacement, the same pixels in every channel."""
    noise_rng = np.random.default_rng(seed)  # a local generator from the recorded seed, not global state
    shape = color.shape if per_channel or color.ndim == 2 else color.shape[:2]
    size = int(np.prod(shape))
    count = int(size * amount)
    picked = noise_rng.choice(size, size=count, replace=False)
    salt = count // 2
    out = color.copy()
    # A (H, W) pick on an (H, W, C) image sets all channels of a pixel: white or black specks.
    flat = out.reshape(size, -1)
    flat[picked[:salt]] = 255
    flat[picked[salt:]] = 0
    return out


@register("salt_and_pepper")
class SaltAndPepper(Augmenter):
    modality = "image"
    family = "noise"
    backend = "numpy"
    description = "Replace a random fraction of pixels with white (salt) or black (pepper)."
    caution = "Dots can look like real specks (dust, cells, stars) in scientific images."
    keeps_size = True
    spec = Spec(
        FloatRange("amount", default=(0.01, 0.05), min=0.0, max=1.0, unit="fraction", help="Share of pixels replaced"),
        Flag("per_channel", default=False, help="Replace channels independently (coloured specks)"),
        Choice(
            "values",
            default="black_white",
            choices=VALUES,
            help="black_white: exactly 0 and 255, half each; imgaug_soft: imgaug's Beta(0.5, 0.5) greys (needs imgaug)",
        ),
    )

    def health_for(self, settings: dict) -> Health:
        if settings.get("values") == "imgaug_soft":
            return imgaug_health()
        return self.health()

    def sample(self, settings, data, rng):
        return {
            "amount": uniform(rng, settings["amount"], 4),
            "per_channel": settings["per_channel"],
            "values": settings["values"],
            "seed": seed_param(rng),
        }

    def param_rules(self, settings, data):
        return {**range_rules(settings, "amount"), **passed_through(settings, "per_channel", "values"), "seed": Seed()}

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        amount, per_channel, seed = float(params["amount"]), bool(params["per_channel"]), int(params["seed"])
        # Records made before `values` existed replay with imgaug, as they were made.
        if params.get("values", "imgaug_soft") == "black_white":
            return on_color(data, lambda color: salt_and_pepper(color, amount, seed, per_channel))

        def build(iaa):
            return iaa.SaltAndPepper(p=amount, per_channel=per_channel)

        return on_color(data, lambda color: run_seeded(build, color, seed))
