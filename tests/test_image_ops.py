"""Focused numeric checks on image ops, where a wrong formula would still pass the contract tests."""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest

from augmenters import Partner, Pipeline, registry
from augmenters.pipeline import step_rng

from .conftest import make_photo_like
from .contract_cases import image_inputs, partner_for

IMAGE_OPS = registry.names(modality="image")
IMGAUG_OPS = ["elastic", "salt_and_pepper", "rain", "snow", "fog"]
# Ops that run imgaug only under some settings: those settings.
IMGAUG_CHOICES = {"salt_and_pepper": {"values": "imgaug_soft"}, "rain": {"renderer": "imgaug"}, "snow": {"renderer": "imgaug"}}
# Every imgaug path, and the default path of the ops that have a choice.
IMGAUG_CASES = [(n, {}) for n in IMGAUG_OPS] + [(n, dict(s)) for n, s in IMGAUG_CHOICES.items() if n != "salt_and_pepper"]


def _run(name: str, data: np.ndarray, seed: int = 0, partner: Partner | None = None, **settings) -> tuple[np.ndarray, dict]:
    aug = registry.get(name)
    settings = aug.validate_settings(settings)
    extra = {"partner": partner} if partner is not None else {}
    params = aug.sample(settings, data, step_rng(seed, 0, 0), **extra)
    return aug.apply(data, params, **extra), params


# -- mixing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(40))
def test_cutmix_label_weight_is_the_exact_pasted_area(seed):
    image = make_photo_like(37, 53, 3, seed=1)
    partner = Partner(id="p", data=np.full_like(image, 0), label="b")
    image = np.maximum(image, 1)  # so every pasted pixel (0) is told apart from the original
    out, params = _run("cutmix", image, seed, partner=partner)
    pasted = int(np.count_nonzero(np.all(out == 0, axis=-1)))
    x0, y0, x1, y1 = params["box"]
    assert pasted == max(0, x1 - x0) * max(0, y1 - y0)
    assert params["self_weight"] == 1.0 - pasted / (37 * 53)


def test_cutmix_soft_labels_in_the_record_follow_the_area():
    image = make_photo_like(32, 32, 3, seed=1)
    pipeline = Pipeline.load("cutmix")
    _, record = pipeline(image, seed=3, partners=[Partner(id="dog.png", data=image[::-1].copy(), label="dog")], label="cat")
    step = record["steps"][0]
    weight = step["params"]["self_weight"]
    assert step["partner"] == {"id": "dog.png", "label": "dog"}
    assert record["labels"] == {"cat": weight, "dog": 1.0 - weight}


def test_mixup_is_the_weighted_average():
    image = make_photo_like(20, 30, 3, seed=1)
    other = make_photo_like(20, 30, 3, seed=2)
    out, params = _run("mixup", image, 5, partner=Partner(id="p", data=other), alpha=1.0)
    lam = params["lam"]
    assert params["self_weight"] == lam
    expected = lam * image.astype(np.float64) + (1 - lam) * other.astype(np.float64)
    assert np.abs(out.astype(np.float64) - expected).max() <= 1.0


@pytest.mark.parametrize("name", ["mixup", "cutmix"])
@pytest.mark.parametrize("partner_shape", [(80, 40, 3), (20, 30), (33, 17, 4)])
def test_partner_of_another_size_or_mode_is_resized_and_converted(name, partner_shape):
    image = make_photo_like(24, 36, 3, seed=1)
    channels = partner_shape[2] if len(partner_shape) == 3 else 1
    partner = Partner(id="p", data=make_photo_like(partner_shape[0], partner_shape[1], channels, seed=4))
    out, params = _run(name, image, 1, partner=partner)
    assert out.shape == image.shape
    assert params["resized"] is True and params["partner_size"] == list(partner_shape[:2])


# -- geometry -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["rgb", "gray", "rgba"])
@pytest.mark.parametrize("angle", [90.0, -90.0, 180.0])
def test_rotate_by_quarter_turns_with_expand_is_a_transpose(kind, angle):
    image = image_inputs()[kind]
    out, _ = _run("rotate", image, angle=[angle, angle], expand=True)
    assert np.array_equal(out, np.rot90(image, k=int(angle // 90) % 4))


def test_affine_with_only_an_angle_equals_rotate():
    image = make_photo_like(40, 60, 3, seed=1)
    fixed = dict(angle=[17.0, 17.0], border="reflect")
    rotated, _ = _run("rotate", image, **fixed)
    warped, _ = _run("affine", image, translate_x=[0, 0], translate_y=[0, 0], scale=[1, 1], shear_x=[0, 0], **fixed)
    assert np.array_equal(rotated, warped)


@pytest.mark.parametrize("seed", range(30))
def test_crop_box_stays_inside_the_padded_image(seed):
    image = make_photo_like(30, 41, 3, seed=1)
    out, params = _run("crop", image, seed, height=24, width=32, padding=4)
    x0, y0, x1, y1 = params["box"]
    assert (x1 - x0, y1 - y0) == (32, 24) and out.shape == (24, 32, 3)
    assert -4 <= x0 and x1 <= 41 + 4 and -4 <= y0 and y1 <= 30 + 4
    inner = image[max(y0, 0) : min(y1, 30), max(x0, 0) : min(x1, 41)]
    top, left = max(0, -y0), max(0, -x0)
    assert np.array_equal(out[top : top + inner.shape[0], left : left + inner.shape[1]], inner)


@pytest.mark.parametrize("seed", range(30))
def test_random_resized_crop_box_is_inside_the_image(seed):
    image = make_photo_like(30, 41, 3, seed=1)
    out, params = _run("random_resized_crop", image, seed, height=16, width=20)
    x0, y0, x1, y1 = params["box"]
    assert 0 <= x0 < x1 <= 41 and 0 <= y0 < y1 <= 30
    assert out.shape == (16, 20, 3)


@pytest.mark.parametrize(
    "settings, size",
    [({"height": 50, "width": 70}, (50, 70)), ({"height": 60, "width": 0}, (60, 80)), ({"height": 0, "width": 20}, (15, 20))],
)
def test_resize_sizes(settings, size):
    out, params = _run("resize", make_photo_like(30, 40, 3, seed=1), **settings)
    assert out.shape[:2] == size and params["size"] == list(size)


def test_center_crop_larger_than_the_image_pads_transparent_black():
    image = make_photo_like(10, 10, 4, seed=1)
    out, params = _run("center_crop", image, height=14, width=12)
    assert params["box"] == [-1, -2, 11, 12]
    assert np.array_equal(out[2:12, 1:11], image)
    assert not out[0].any() and not out[:, 0].any()


def test_pad_transparent_fill_on_rgba():
    image = make_photo_like(10, 12, 4, seed=1)
    out, p = _run("pad", image, 2, padding=[3, 3])
    assert out.shape == (16, 18, 4)
    assert np.array_equal(out[3:13, 3:15], image)
    assert (out[0, :, 3] == 0).all()


# -- modes and alpha ------------------------------------------------------------------------


@pytest.mark.parametrize("name", IMAGE_OPS)
@pytest.mark.parametrize("kind", ["gray", "rgba"])
def test_mode_is_kept(name, kind):
    aug = registry.get(name)
    data = image_inputs()[kind]
    partner = partner_for(data) if aug.needs_partner else None
    out, _ = _run(name, data, 3, partner=partner)
    assert out.ndim == data.ndim and out.shape[2:] == data.shape[2:]


COLOR_ONLY = ["color_jitter", "grayscale", "gamma", "gaussian_noise", "salt_and_pepper", "jpeg_compression", "rain", "snow", "fog", "cutout"]


@pytest.mark.parametrize("name", COLOR_ONLY)
def test_colour_ops_leave_alpha_alone(name):
    data = image_inputs()["rgba"]
    out, _ = _run(name, data, 2)
    assert np.array_equal(out[:, :, 3], data[:, :, 3])
    assert not np.array_equal(out[:, :, :3], data[:, :, :3]) or name == "grayscale"


def test_grayscale_gives_equal_channels_and_keeps_rgb():
    out, _ = _run("grayscale", make_photo_like(12, 14, 3, seed=1))
    assert out.shape == (12, 14, 3)
    assert np.array_equal(out[:, :, 0], out[:, :, 1]) and np.array_equal(out[:, :, 1], out[:, :, 2])


def test_gamma_keeps_black_and_white():
    image = np.array([[0, 128, 255]], dtype=np.uint8)
    out, params = _run("gamma", image, gamma=[2.0, 2.0])
    assert out.tolist() == [[0, 64, 255]]


# -- imgaug: exact under threads -----------------------------------------------------------


@pytest.mark.parametrize("name, settings", IMGAUG_CASES)
def test_imgaug_ops_are_deterministic_under_threads(name, settings):
    aug = registry.get(name)
    image = make_photo_like(40, 50, 3, seed=7)
    settings = aug.validate_settings(settings)
    params = [aug.sample(settings, image, step_rng(seed, 0, 0)) for seed in range(8)]
    expected = [aug.apply(image, p) for p in params]
    results: dict[int, list] = {0: [], 1: []}

    def worker(slot: int) -> None:
        for _ in range(3):
            results[slot].append([aug.apply(image, p) for p in params])

    threads = [threading.Thread(target=worker, args=(slot,)) for slot in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for runs in results.values():
        for outputs in runs:
            assert all(np.array_equal(a, b) for a, b in zip(outputs, expected))
    assert len({p["seed"] for p in params}) == len(params)


# -- kernels --------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(7, 9), (7, 9, 3), (5, 6, 4)])
def test_lut_gives_the_same_bytes_with_and_without_stringzilla(shape, monkeypatch):
    from augmenters.image import _lut

    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, size=shape, dtype=np.uint8)
    table = rng.integers(0, 256, size=256, dtype=np.uint8)
    fast = _lut.apply_lut(image, table)
    monkeypatch.setattr(_lut, "_translate", False)  # force the cv2.LUT fallback
    slow = _lut.apply_lut(image, table)
    assert np.array_equal(fast, table[image]) and np.array_equal(slow, table[image])
    assert fast.flags.c_contiguous and slow.flags.c_contiguous


def test_gaussian_noise_has_the_asked_standard_deviation():
    flat = np.full((200, 200, 3), 128, dtype=np.uint8)
    out, params = _run("gaussian_noise", flat, 0, sigma=[12.0, 12.0])
    noise = out.astype(np.float64) - 128
    assert abs(noise.mean()) < 0.1 and abs(noise.std() - 12.0) < 0.1


@pytest.mark.parametrize("name, settings", IMGAUG_CASES)
def test_imgaug_ops_on_grey_equal_running_on_rgb_and_back(name, settings):
    import cv2

    aug = registry.get(name)
    gray = make_photo_like(40, 50, 1, seed=5)
    params = aug.sample(aug.validate_settings(settings), gray, step_rng(3, 0, 0))
    via_rgb = cv2.cvtColor(aug.apply(cv2.cvtColor(gray, cv2.COLOR_GRAY2RGB), params), cv2.COLOR_RGB2GRAY)
    assert np.array_equal(aug.apply(gray, params), via_rgb)


def test_imgaug_ops_are_disabled_with_the_reason_when_imgaug_cannot_load(monkeypatch):
    from augmenters.image import _imgaug_compat

    monkeypatch.setattr(_imgaug_compat, "_state", {"error": "imgaug cannot be imported here (ImportError: test)"})
    # salt_and_pepper, rain and snow need imgaug only for their imgaug choices.
    for name, choice in IMGAUG_CHOICES.items():
        aug = registry.get(name)
        type(aug).reset_health()
        assert aug.health_for(aug.validate_settings(choice)).status == "disabled"
        assert aug.health_for(aug.validate_settings({})).ok
    ops = [registry.get(name) for name in IMGAUG_OPS if name not in IMGAUG_CHOICES]
    try:
        for aug in ops:
            type(aug).reset_health()
            assert aug.health().status == "disabled"
            assert "ImportError: test" in aug.health().reason
        type(registry.get("rotate")).reset_health()
        assert registry.get("rotate").health().ok
    finally:
        for aug in ops:
            type(aug).reset_health()


def test_hue_shift_of_half_a_turn_turns_red_into_cyan():
    from augmenters.image.color_jitter import adjust_hue

    red = np.zeros((2, 3, 3), dtype=np.uint8)
    red[..., 0] = 255
    assert adjust_hue(red, 0.5).reshape(-1, 3).tolist() == [[0, 255, 255]] * 6
    assert np.array_equal(adjust_hue(red, 0.0), red)


@pytest.mark.parametrize("name, settings", [(n, {}) for n in IMGAUG_OPS if n not in IMGAUG_CHOICES] + list(IMGAUG_CHOICES.items()))
def test_imgaug_ops_leave_imgaugs_global_rng_alone(name, settings):
    # Rain and Snowflakes draw their layers' seeds from imgaug's global RNG while being built;
    # it is put back, and the output never depends on it.
    from augmenters.image._imgaug_compat import load_imgaug

    load_imgaug()  # imgaug imports only after the NumPy 2 aliases are restored
    import imgaug.random as iarandom

    aug = registry.get(name)
    image = make_photo_like(40, 50, 3, seed=7)
    params = aug.sample(aug.validate_settings(settings), image, step_rng(2, 0, 0))
    global_rng = iarandom.get_global_rng()
    before = json.dumps(global_rng.state, sort_keys=True, default=str)
    first = aug.apply(image, params)
    assert json.dumps(global_rng.state, sort_keys=True, default=str) == before
    saved = global_rng.state
    try:
        global_rng.set_state_(iarandom.RNG(12345).state)
        assert np.array_equal(aug.apply(image, params), first)
    finally:
        global_rng.set_state_(saved)
