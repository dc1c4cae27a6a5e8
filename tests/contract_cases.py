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
    # The mixed texts' one Korean adjective (좋다) already has 정말 before it, which the default
    # list would refuse to stack on; these two may go after it.
    "ko_word_insert": lambda _: {"adverbs": ["아주", "꽤"]},
}


# Fewer seeds for the bounds contract where every `sample` is a full model run: back-translation's
# params are settings passed through plus one record per sentence, which 20 seeds cover as well
# as 200 (200 took 3 minutes of the suite, 10 under load).
RULE_SEEDS: dict[str, int] = {"back_translation": 20}

# Settings that change what `sample` draws, checked against the op's param_rules too.
CONTRACT_VARIANTS: list[tuple[str, dict]] = [
    ("pad", {"same_on_all_sides": True, "padding": [1, 9]}),
    ("affine", {"keep_aspect": False, "scale": [0.5, 2.0], "shear_y": [-20, 20]}),
    ("color_jitter", {"random_order": False}),
    ("crop", {"height": 80, "width": 30, "padding": 2}),
    ("center_crop", {"height": 51, "width": 17}),
    ("center_crop", {"scale": 0.5}),
    ("resize", {"height": 0, "width": 37}),
    ("resize", {"height": 21, "width": 0}),
    ("random_resized_crop", {"scale": [0.01, 0.05], "ratio": [3.0, 5.0], "height": 20, "width": 30}),
    ("gaussian_blur", {"kernel_size": 6}),
    ("cutout", {"count": [1, 6], "fill": ["zero", "mean", "noise"], "area": [0.05, 0.6]}),
    ("salt_and_pepper", {"per_channel": True, "values": "imgaug_soft"}),
    ("randaugment", {"num_ops": 4, "magnitude": 3, "num_magnitude_bins": 5}),
    ("trivial_augment", {"num_magnitude_bins": 7}),
    ("autoaugment", {"policy": "svhn"}),
    ("autoaugment", {"policy": "cifar10"}),
    ("augmix", {"chain_depth": 2, "all_ops": False, "mixture_width": 5, "severity": 10}),
    ("word_swap", {"window": 3, "aug_p": 0.5}),
    ("word_delete", {"aug_p": 0.9, "aug_max": 100}),
    ("word_crop", {"aug_p": 0.9, "aug_max": 100}),
    ("char_swap", {"keep_first_last": True, "aug_word_p": 0.5}),
]


def image_inputs() -> dict[str, Any]:
    return {
        "rgb": make_photo_like(48, 64, 3, seed=1),
        "gray": make_photo_like(40, 56, 1, seed=2),
        "rgba": make_photo_like(36, 52, 4, seed=3),
    }


def text_inputs() -> dict[str, Any]:
    return {"mixed": SAMPLE_TEXT, "plain": "augmentation makes small datasets go further when every change is recorded"}


# Ops that only touch Korean get Korean inputs (mixed with other scripts, which must stay as they are).
KOREAN = {
    "korean": "오늘 서울은 맑고 기온은 20도입니다. 철수가 어제 친구와 함께 학교에 갔다. 정말 맛있는 음식을 먹었다.",
    "mixed_korean": "우리는 주말에 한강 공원에서 자전거를 탔다 🙂 — then we went home.\n날씨가 좋아서 사람들이 많았다!",
}


def inputs_for(modality: str, name: str = "") -> dict[str, Any]:
    if name.startswith("ko_"):
        return dict(KOREAN)
    return image_inputs() if modality == "image" else text_inputs()


def partner_for(data: Any) -> Partner:
    """A partner of the same kind and shape, with its own label."""
    if isinstance(data, str):
        return Partner(id="partner-text", data="A second sentence to mix with.", label="b")
    channels = 1 if data.ndim == 2 else data.shape[2]
    other = make_photo_like(data.shape[0], data.shape[1], channels, seed=99)[::-1].copy()
    return Partner(id="partner-image", data=other, label="b")
