"""What the policy augmenters share: metadata, image size for magnitudes, and replay of a sub-op list."""

from __future__ import annotations

import numpy as np

from ..core.augmenter import Augmenter
from ._policy_ops import run_ops
from ._policy_space import short_forms


class PolicyAugmenter(Augmenter):
    """A learned or random policy of sub-ops; params list the sub-ops applied, in order (`ops`)."""

    modality = "image"
    family = "policy"
    backend = "opencv"
    caution = (
        "Solarize, invert, posterize and strong colour changes alter what colour means; "
        "shears and translations can push small objects out of frame."
    )
    keeps_size = True

    @staticmethod
    def size_of(data: np.ndarray) -> tuple[int, int]:
        """(height, width): translate magnitudes scale with the image side."""
        return int(data.shape[0]), int(data.shape[1])

    def apply(self, data: np.ndarray, params: dict) -> np.ndarray:
        return run_ops(data, params["ops"], params)

    def summarize(self, params: dict, settings: dict | None = None) -> str:
        """The sub-ops that ran, not the table they came from: `Rotate 12° · Posterize 5 bits`."""
        return short_forms(params.get("ops", []))
