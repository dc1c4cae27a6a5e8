"""Shared by mixup and cutmix: bring a partner image to the image's size and mode before mixing."""

from __future__ import annotations

import numpy as np


def _channels(image: np.ndarray) -> int:
    return 1 if image.ndim == 2 else image.shape[2]


def match_partner(image: np.ndarray, partner: np.ndarray) -> np.ndarray:
    """The partner resized (bilinear) to the image's height x width and converted to its mode.

    An RGBA partner mixed into RGB loses its alpha; an RGB partner mixed into RGBA is opaque.
    """
    import cv2

    h, w = image.shape[:2]
    if partner.shape[:2] != (h, w):
        partner = cv2.resize(partner, (w, h), interpolation=cv2.INTER_LINEAR)
    have, want = _channels(partner), _channels(image)
    if have != want:
        convert = {
            (1, 3): cv2.COLOR_GRAY2RGB,
            (1, 4): cv2.COLOR_GRAY2RGBA,
            (3, 1): cv2.COLOR_RGB2GRAY,
            (3, 4): cv2.COLOR_RGB2RGBA,
            (4, 1): cv2.COLOR_RGBA2GRAY,
            (4, 3): cv2.COLOR_RGBA2RGB,
        }[(have, want)]
        partner = cv2.cvtColor(partner, convert)
    return np.ascontiguousarray(partner)


def partner_rules(image: np.ndarray, partner: np.ndarray) -> dict:
    """The partner note is a fact about the two images, nothing drawn."""
    from ..core.params import Is

    return {key: Is(value) for key, value in partner_note(image, partner).items()}


def partner_note(image: np.ndarray, partner: np.ndarray) -> dict:
    """What happened to the partner, for the record: its original size if it had to be resized."""
    return {"partner_size": [int(partner.shape[0]), int(partner.shape[1])], "resized": partner.shape[:2] != image.shape[:2]}


def mix_summary(params: dict, *shown: str) -> str:
    """A mix in a caption: the label weight is the record's `labels`, shown once in front of the
    caption, so neither lambda nor `self_weight` is repeated here; only what else was drawn."""
    notes = [*shown, "partner resized" if params.get("resized") else ""]
    return ", ".join(n for n in notes if n)
