"""Shared fixtures: small deterministic images and texts every modality's tests use."""

from __future__ import annotations

import os

import numpy as np
import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")


def make_photo_like(height: int = 48, width: int = 64, channels: int = 3, seed: int = 0) -> np.ndarray:
    """Smooth gradients plus texture: enough structure that every op visibly changes it."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    base = [
        (x * 255 // max(width - 1, 1)),
        (y * 255 // max(height - 1, 1)),
        ((x + y) * 127 // max(width + height - 2, 1) + 64),
        np.full_like(x, 255),
    ]
    planes = [np.clip(b + rng.integers(-20, 21, size=b.shape), 0, 255) for b in base[:channels]]
    if channels == 4:  # a real alpha ramp, so ops that must keep alpha can be checked
        planes[3] = np.clip(100 + x * 155 // max(width - 1, 1), 0, 255)
    image = np.stack(planes, axis=-1).astype(np.uint8)
    return image[:, :, 0].copy() if channels == 1 else image


@pytest.fixture(scope="session")
def rgb_image() -> np.ndarray:
    return make_photo_like(48, 64, 3)


SAMPLE_TEXT = (
    "The quick brown fox jumps over the lazy dog, and the dog doesn't care.  "
    "Ein schöner Tag in Köln!\n오늘은 날씨가 정말 좋다 🙂 — it's 3 o'clock."
)


@pytest.fixture(scope="session", autouse=True)
def tiny_models_dir(tmp_path_factory):
    """Tiny stand-ins for the default models, in $AUGPLAY_MODELS_DIR as a user would lay them out."""
    from augmenters import registry

    from .tiny_models import install_default_models

    root = install_default_models(tmp_path_factory.mktemp("models"))
    before = os.environ.get("AUGPLAY_MODELS_DIR")
    os.environ["AUGPLAY_MODELS_DIR"] = str(root)
    for augmenter in registry.all():
        type(augmenter).reset_health()
    yield root
    if before is None:
        os.environ.pop("AUGPLAY_MODELS_DIR", None)
    else:
        os.environ["AUGPLAY_MODELS_DIR"] = before


def assert_replays_without(monkeypatch, forbidden: str, pipeline, data, made) -> None:
    """Every (output, record) in `made` replays to the same output (the record through JSON, as
    stored) while `forbidden` (a dotted path to a model call) raises if it is called."""
    import json

    def refuse(*_args, **_kwargs):
        raise AssertionError(f"replay must not call {forbidden}")

    monkeypatch.setattr(forbidden, refuse)
    for out, record in made:
        assert pipeline.replay(data, json.loads(json.dumps(record))) == out
