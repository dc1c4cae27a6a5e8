"""Inputs the registry-wide contract tests feed each augmenter.

Most ops need nothing special. An op that needs a model or data for tests (a tiny
local model, say) registers its settings here via `CONTRACT_SETTINGS`, keyed by name;
fixtures that must exist first (model dirs) are built by `prepare_contract_settings`.
"""

from __future__ import annotations

from typing import Any, Callable

from augmenters import Partner

from .conftest import SAMPLE_TEXT, make_photo_like

# op name -> callable(tmp_path_factory) -> settings overrides used by the contract tests
CONTRACT_SETTINGS: dict[str, Callable[[Any], dict]] = {
    # Groups with terms from both contract texts, so every seed has something to swap.
    "reserved_swap": lambda _: {
        "groups": ["dog, hound, pooch", "quick, fast, rapid", "small, tiny, little", "further, farther"],
        "aug_p": 0.5,
    },
    # The default model ids resolve to tiny models in $AUGPLAY_MODELS_DIR (conftest.tiny_models_dir);
    # a cap on outputs keeps the 400 sampled round trips of the bounds test quick.
    "back_translation": lambda _: {"max_length": 64},
}


def image_inputs() -> dict[str, Any]:
    return {
        "rgb": make_photo_like(48, 64, 3, seed=1),
        "gray": make_photo_like(40, 56, 1, seed=2),
        "rgba": make_photo_like(36, 52, 4, seed=3),
    }


def text_inputs() -> dict[str, Any]:
    return {"mixed": SAMPLE_TEXT, "plain": "augmentation makes small datasets go further when every change is recorded"}


def inputs_for(modality: str) -> dict[str, Any]:
    return image_inputs() if modality == "image" else text_inputs()


def partner_for(data: Any) -> Partner:
    """A partner of the same kind and shape, with its own label."""
    if isinstance(data, str):
        return Partner(id="partner-text", data="A second sentence to mix with.", label="b")
    channels = 1 if data.ndim == 2 else data.shape[2]
    other = make_photo_like(data.shape[0], data.shape[1], channels, seed=99)[::-1].copy()
    return Partner(id="partner-image", data=other, label="b")
