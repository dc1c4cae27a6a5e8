"""What each augmenter does to the current input, small: the Augmenters tab's thumbnails and sample sentences.

Each op runs alone, with its default settings, seed 0, through the same `Pipeline` the
previews use, on a copy of the input shrunk to THUMB_SIDE px. Results are kept per
(op, input content), so browsing or searching the catalogue renders nothing twice.
"""

from __future__ import annotations

import hashlib
import logging
import threading

import numpy as np

from augmenters import AugplayError, Pipeline, registry
from augmenters.core.augmenter import Partner

from . import builder
from .previews import write_preview

logger = logging.getLogger("augplay.app")

THUMB_SIDE = 128
SAMPLE_SENTENCE = "The quick brown fox jumps over the lazy dog."
SEED = 0

_lock = threading.Lock()
_cache: dict[tuple[str, str], str | None] = {}


def shrink(image: np.ndarray, side: int = THUMB_SIDE) -> np.ndarray:
    """The image with its longer side at most `side` px (area filter: no aliasing)."""
    import cv2

    h, w = image.shape[:2]
    scale = side / max(h, w)
    if scale >= 1:
        return image
    return cv2.resize(image, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)


def _single(op: str) -> Pipeline:
    augmenter = registry.get(op)
    return builder.to_pipeline(builder.add_step(builder.empty(augmenter.modality), op))


def _key(op: str, *parts: bytes) -> tuple[str, str]:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return op, digest.hexdigest()


def _cached(key: tuple[str, str], make) -> str | None:
    with _lock:
        if key in _cache:
            return _cache[key]
    try:
        value = make()
    except AugplayError as exc:  # an op that cannot run on this input shows no thumbnail, not an error
        logger.info("catalogue: %s skipped: %s", key[0], exc)
        value = None
    with _lock:
        _cache[key] = value
    return value


def image_thumbnail(op: str, image: np.ndarray, partner: np.ndarray) -> str | None:
    """A served file of `op` applied to `image` (already shrunk); None if the op cannot run here."""
    if not registry.get(op).health().ok:
        return None

    def make() -> str:
        pipeline = _single(op)
        partners = Partner("partner", shrink(partner), "partner") if pipeline.needs_partner else None
        out, _ = pipeline(image, seed=SEED, index=0, partners=partners, source="catalogue")
        return write_preview(out, f"thumb_{op}")

    return _cached(_key(op, image.tobytes(), str(image.shape).encode(), partner.tobytes()), make)


def text_sample(op: str, sentence: str) -> str | None:
    """`sentence` as `op` rewrites it; None if the op cannot run here (a missing model or word list)."""
    if not registry.get(op).health().ok:
        return None

    def make() -> str:
        out, _ = _single(op)(sentence, seed=SEED, index=0, source="catalogue")
        return out

    return _cached(_key(op, sentence.encode("utf-8")), make)
