"""Policy augmenters: tables, magnitude bins and every sub-op kernel checked against torchvision v2."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch
from PIL import Image
from torchvision.transforms import v2
from torchvision.transforms.v2 import functional as F

from augmenters import Pipeline, registry
from augmenters.core.errors import PipelineError, ReplayError, SettingsError
from augmenters.image import _policy_space as space
from augmenters.image._policy_ops import KERNELS, run_ops
from augmenters.image._policy_tables import POLICIES
from augmenters.image.augmix import mixing_weights
from augmenters.pipeline import step_rng

from .conftest import make_photo_like

GEOMETRY = {"fill": 128, "transparent_fill": True, "interpolation": "nearest"}

# A couple of magnitudes per sub-op, in the units records carry.
SUB_OPS = (
    [{"op": "ShearX", "shear": s} for s in (0.3, -0.1667, 0.99)]
    + [{"op": "ShearY", "shear": s} for s in (0.3, -0.1667, 0.99)]
    + [{"op": "TranslateX", "pixels": p} for p in (7, -13)]
    + [{"op": "TranslateY", "pixels": p} for p in (7, -13)]
    + [{"op": "Rotate", "degrees": d} for d in (12.5, -30.0, 135.0)]
    + [{"op": name, "factor": f} for name in ("Brightness", "Color", "Contrast", "Sharpness") for f in (0.1, 0.7, 1.9)]
    + [{"op": "Posterize", "bits": b} for b in (0, 2, 4, 7, 8)]
    + [{"op": "Solarize", "threshold": t} for t in (0.0, 113.33, 255.0)]
    + [{"op": "AutoContrast"}, {"op": "Equalize"}, {"op": "Invert"}, {"op": "Identity"}]
)


def _id(op: dict) -> str:
    return "-".join(str(v) for v in op.values())


def torchvision_reference(image, op: dict, interpolation: str, fill: int):
    """The sub-op as torchvision's AutoAugment family calls v2 functional (`_apply_image_or_video_transform`)."""
    name = op["op"]
    geometry = {"interpolation": interpolation, "fill": fill}
    if name == "ShearX":
        shear = [math.degrees(math.atan(op["shear"])), 0.0]
        return F.affine(image, angle=0.0, translate=[0, 0], scale=1.0, shear=shear, center=[0, 0], **geometry)
    if name == "ShearY":
        shear = [0.0, math.degrees(math.atan(op["shear"]))]
        return F.affine(image, angle=0.0, translate=[0, 0], scale=1.0, shear=shear, center=[0, 0], **geometry)
    if name == "TranslateX":
        return F.affine(image, angle=0.0, translate=[op["pixels"], 0], scale=1.0, shear=[0.0, 0.0], **geometry)
    if name == "TranslateY":
        return F.affine(image, angle=0.0, translate=[0, op["pixels"]], scale=1.0, shear=[0.0, 0.0], **geometry)
    if name == "Rotate":
        return F.rotate(image, angle=op["degrees"], **geometry)
    enhance = {
        "Brightness": F.adjust_brightness,
        "Color": F.adjust_saturation,
        "Contrast": F.adjust_contrast,
        "Sharpness": F.adjust_sharpness,
    }
    if name in enhance:
        return enhance[name](image, op["factor"])
    if name == "Posterize":
        return F.posterize(image, bits=op["bits"])
    if name == "Solarize":
        return F.solarize(image, threshold=op["threshold"])
    plain = {"AutoContrast": F.autocontrast, "Equalize": F.equalize, "Invert": F.invert, "Identity": lambda x: x}
    return plain[name](image)


def _images(channels: int) -> list[np.ndarray]:
    """A textured photo, a low-contrast one (autocontrast/equalize have work to do) and a flat one."""
    photo = make_photo_like(37, 53, channels, seed=7)
    return [photo, (photo // 4 + 100).astype(np.uint8), np.full_like(photo, 7)]


def _to_tensor(image: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(image[None] if image.ndim == 2 else np.ascontiguousarray(image.transpose(2, 0, 1)))


def _from_tensor(tensor: torch.Tensor) -> np.ndarray:
    array = tensor.numpy()
    return array[0] if array.shape[0] == 1 else array.transpose(1, 2, 0)


# -- tables and magnitudes -------------------------------------------------------------------


@pytest.mark.parametrize("policy", ["imagenet", "cifar10", "svhn"])
def test_autoaugment_tables_match_the_published_ones(policy):
    theirs = v2.AutoAugment(v2.AutoAugmentPolicy(policy))._policies
    assert [tuple(map(tuple, sub)) for sub in theirs] == list(POLICIES[policy])


@pytest.mark.parametrize(
    "transform, ours",
    [
        (v2.AutoAugment, space.AUTOAUGMENT),
        (v2.RandAugment, space.RANDAUGMENT),
        (v2.TrivialAugmentWide, space.WIDE),
        (v2.AugMix, space.AUGMIX_ALL),
    ],
    ids=["autoaugment", "randaugment", "trivial_augment", "augmix"],
)
def test_magnitude_bins_map_as_torchvision(transform, ours):
    theirs = transform._AUGMENTATION_SPACE
    assert list(ours) == list(theirs)  # same sub-ops, so "uniform over the space" means the same
    for bins in (2, 5, 10, 11, 31, 64):
        for height, width in ((512, 512), (37, 53)):
            for name, (table, signed) in theirs.items():
                assert ours[name].signed == signed, name
                expected = table(bins, height, width)
                got = space.magnitudes(ours[name], bins, height, width)
                if expected is None:
                    assert got is None, name
                else:
                    # Bit for bit: truncating 15.999999 px must give 15, as in torchvision.
                    assert got.dtype.kind == expected.numpy().dtype.kind, name
                    np.testing.assert_array_equal(got, expected.numpy(), err_msg=f"{name}, {bins} bins")


def test_augmix_partial_space_is_torchvisions():
    assert list(space.AUGMIX_PARTIAL) == list(v2.AugMix._PARTIAL_AUGMENTATION_SPACE)


def test_records_are_in_human_units():
    # Magnitudes are torchvision's float32 table values, written as the shortest decimal of that float32.
    assert space.record("Rotate", 9, 30.0, True) == {"op": "Rotate", "level": 9, "degrees": -30.0}
    assert space.record("ShearX", 5, float(np.float32(0.3 * 5 / 9)), False) == {"op": "ShearX", "level": 5, "shear": 0.16666667}
    assert space.record("TranslateY", 9, 232.02, True) == {"op": "TranslateY", "level": 9, "pixels": -232}
    assert space.record("Color", 4, float(np.float32(0.4)), True) == {"op": "Color", "level": 4, "factor": 0.6}
    assert space.record("Posterize", 8, 4, False) == {"op": "Posterize", "level": 8, "bits": 4}
    # Solarize records the first level it inverts (Pillow inverts every level not below 255·m).
    assert space.record("Solarize", 5, 4 / 9, False) == {"op": "Solarize", "level": 5, "threshold": 114}
    assert space.record("Solarize", 12, float(np.float32(0.6)), False)["threshold"] == 154  # 153.0000023 > 153
    assert space.record("Equalize", None, None, False) == {"op": "Equalize"}
    assert space.record("ShearY", 0, 0.0, True) == {"op": "ShearY", "level": 0, "shear": 0.0}  # never -0.0


# -- kernels against torchvision v2 functional ----------------------------------------------------


# Kernels that differ from Pillow by design, with the largest difference in levels and why:
# Color and Sharpness blend through OpenCV, which rounds where Pillow truncates (and Color's
# grey uses OpenCV's weights, a level off at times): 5x faster.
BLEND_TOLERANCE = {"Color": 2, "Sharpness": 1}
GEOMETRIC = ("ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate")
EXACT_OPS = [op for op in SUB_OPS if op["op"] not in (*BLEND_TOLERANCE, "Rotate")]


@pytest.mark.parametrize("channels", [1, 3], ids=["L", "RGB"])
@pytest.mark.parametrize("op", EXACT_OPS, ids=_id)
def test_kernel_equals_torchvision_on_pil_exactly(op, channels):
    # torchvision v2 on PIL images calls Pillow (ImageOps, ImageEnhance, Image.transform); our
    # lookup tables, shears (nearest) and translations compute exactly the same, faster.
    for image in _images(channels):
        for fill in (0, 128):
            ours = run_ops(image, [op], {**GEOMETRY, "fill": fill})
            theirs = np.asarray(torchvision_reference(Image.fromarray(image), op, "nearest", fill))
            np.testing.assert_array_equal(ours, theirs)


POINT_OPS = (
    [{"op": "Solarize", "threshold": t} for t in (0.0, 0.5, 127.5, 128.0, 254.9, 255.0)]
    + [{"op": "Posterize", "bits": b} for b in range(9)]
    + [{"op": "Brightness", "factor": f} for f in (0.0, 0.01, 0.3333, 1.0, 1.5, 1.99)]
    + [{"op": "Contrast", "factor": f} for f in (0.0, 0.01, 0.3333, 1.5, 1.99)]
)


@pytest.mark.parametrize("op", POINT_OPS, ids=_id)
def test_point_kernels_exact_on_every_level(op):
    # A ramp holds all 256 levels, so every entry of the lookup table or bit trick is checked.
    ramp = np.arange(256, dtype=np.uint8).reshape(16, 16)
    for image in (ramp, np.dstack([ramp, ramp[::-1], ramp.T])):
        ours = run_ops(image, [op], GEOMETRY)
        np.testing.assert_array_equal(ours, np.asarray(torchvision_reference(Image.fromarray(image), op, "nearest", 0)))


@pytest.mark.parametrize("channels", [1, 3], ids=["L", "RGB"])
@pytest.mark.parametrize("op", [op for op in SUB_OPS if op["op"] in BLEND_TOLERANCE], ids=_id)
def test_blend_kernels_within_a_level_of_pil(op, channels):
    for image in _images(channels):
        ours = run_ops(image, [op], GEOMETRY).astype(int)
        theirs = np.asarray(torchvision_reference(Image.fromarray(image), op, "nearest", 128)).astype(int)
        assert np.abs(ours - theirs).max() <= BLEND_TOLERANCE[op["op"]]


@pytest.mark.parametrize("channels", [1, 3], ids=["L", "RGB"])
@pytest.mark.parametrize("op", [op for op in SUB_OPS if op["op"] == "Rotate"], ids=_id)
def test_rotate_nearest_samples_pillows_points(op, channels):
    # OpenCV resolves sample points to 1/1024 px, Pillow to 1/65536: where a point falls that
    # close to a pixel edge the two pick neighbouring pixels. At 135 degrees a whole diagonal of
    # points shares one fraction, so ties come in runs: 2% of pixels here, under 1% otherwise
    # (torchvision's own tensor kernel differs from its PIL one by as much).
    image = make_photo_like(64, 48, channels, seed=2)
    ours = run_ops(image, [op], GEOMETRY)
    theirs = np.asarray(torchvision_reference(Image.fromarray(image), op, "nearest", 128))
    differ = ours != theirs
    assert (differ if channels == 1 else differ.any(axis=2)).mean() < (0.03 if op["degrees"] == 135.0 else 0.01)


def _inside(op: dict, shape: tuple) -> np.ndarray:
    """Pixels whose bilinear sample and its neighbours lie well inside the source image."""
    import cv2

    ones = run_ops(np.full(shape[:2], 255, np.uint8), [op], {**GEOMETRY, "fill": 0, "interpolation": "bilinear"})
    return cv2.erode((ones == 255).astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)


@pytest.mark.parametrize("channels", [1, 3], ids=["L", "RGB"])
@pytest.mark.parametrize("op", [op for op in SUB_OPS if op["op"] in GEOMETRIC], ids=_id)
def test_bilinear_geometry_within_a_level_of_pil(op, channels):
    # Inside the image OpenCV's 5-bit interpolation weights round differently from Pillow's
    # (one level at most); along the border OpenCV blends towards the fill where Pillow clamps.
    image = make_photo_like(64, 48, channels, seed=2)
    bilinear = {**GEOMETRY, "interpolation": "bilinear"}
    ours = run_ops(image, [op], bilinear).astype(int)
    theirs = np.asarray(torchvision_reference(Image.fromarray(image), op, "bilinear", 128)).astype(int)
    inside = _inside(op, image.shape)
    assert inside.mean() > 0.3
    assert np.abs(ours - theirs)[inside].max() <= 1


# Where torchvision's tensor kernels differ from its PIL ones, and by how much (max level difference):
# grey is computed with truncation on tensors but rounded in Pillow (Color, Contrast's mean), the
# tensor Sharpness and AutoContrast round where Pillow truncates.
TENSOR_TOLERANCE = {"Color": 2, "Contrast": 1, "Sharpness": 1, "AutoContrast": 1}


@pytest.mark.parametrize("channels", [1, 3], ids=["L", "RGB"])
@pytest.mark.parametrize("op", [op for op in SUB_OPS if op["op"] != "Rotate"], ids=_id)
def test_kernel_close_to_torchvision_on_tensors(op, channels):
    for image in _images(channels):
        ours = run_ops(image, [op], GEOMETRY)
        theirs = _from_tensor(torchvision_reference(_to_tensor(image), op, "nearest", 128))
        assert np.abs(ours.astype(int) - theirs).max() <= TENSOR_TOLERANCE.get(op["op"], 0)


@pytest.mark.parametrize("degrees", [12.5, -30.0, 135.0])
def test_rotate_matches_tensor_kernel_but_for_half_pixel_ties(degrees):
    # Nearest-neighbour sampling positions that fall on a pixel edge round differently in
    # grid_sample and Pillow: up to ~1.5% of pixels here (the rest are equal).
    image = make_photo_like(64, 48, 3, seed=2)
    op = {"op": "Rotate", "degrees": degrees}
    ours = run_ops(image, [op], GEOMETRY)
    theirs = _from_tensor(torchvision_reference(_to_tensor(image), op, "nearest", 128))
    assert (ours != theirs).any(axis=2).mean() < 0.02


def test_kernel_table_covers_every_space():
    for table in (space.AUTOAUGMENT, space.RANDAUGMENT, space.WIDE, space.AUGMIX_ALL):
        assert set(table) <= set(KERNELS)


def test_rgba_colour_ops_keep_alpha_and_match_rgb():
    rgba = make_photo_like(36, 52, 4, seed=3)
    for op in SUB_OPS:
        out = run_ops(rgba, [op], GEOMETRY)
        expected_rgb = run_ops(np.ascontiguousarray(rgba[:, :, :3]), [op], GEOMETRY)
        np.testing.assert_array_equal(out[:, :, :3], expected_rgb)
        if op["op"] not in ("ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate"):
            np.testing.assert_array_equal(out[:, :, 3], rgba[:, :, 3])


@pytest.mark.parametrize("transparent, alpha_fill", [(True, 0), (False, 255)])
def test_geometry_moves_alpha_and_fills_it(transparent, alpha_fill):
    rgba = make_photo_like(36, 52, 4, seed=3)
    out = run_ops(rgba, [{"op": "TranslateX", "pixels": 10}], {**GEOMETRY, "transparent_fill": transparent})
    np.testing.assert_array_equal(out[:, 10:, 3], rgba[:, :-10, 3])
    assert (out[:, :10, 3] == alpha_fill).all()
    assert (out[:, :10, :3] == 128).all()


def test_fill_setting_is_used():
    image = make_photo_like(20, 30, 3, seed=1)
    out = run_ops(image, [{"op": "TranslateY", "pixels": -25}], {**GEOMETRY, "fill": 17})
    assert (out == 17).all()


def test_unknown_sub_op_in_a_record_is_refused():
    with pytest.raises(ReplayError, match="unknown policy sub-op"):
        run_ops(make_photo_like(8, 8, 3), [{"op": "Warp"}], GEOMETRY)


@pytest.mark.parametrize("channels", [1, 3, 4])
def test_views_work_like_their_copies(channels):
    image = make_photo_like(30, 40, channels, seed=5)
    view = image[::-1, 5:]
    ops = [{"op": "Rotate", "degrees": 10.0}, {"op": "Equalize"}, {"op": "Solarize", "threshold": 100.0}]
    np.testing.assert_array_equal(run_ops(view, ops, GEOMETRY), run_ops(view.copy(), ops, GEOMETRY))


def test_run_ops_never_returns_the_input():
    image = make_photo_like(16, 16, 3)
    out = run_ops(image, [{"op": "Identity"}], GEOMETRY)
    assert out is not image and not np.shares_memory(out, image)
    np.testing.assert_array_equal(out, image)


# -- samplers ------------------------------------------------------------------------------------


def _sample(name: str, settings: dict, data: np.ndarray, seed: int) -> dict:
    aug = registry.get(name)
    return aug.sample(aug.validate_settings(settings), data, step_rng(seed, 0, 0))


@pytest.mark.parametrize("policy", ["imagenet", "cifar10", "svhn"])
def test_autoaugment_records_name_real_sub_ops_from_the_table(policy):
    image = make_photo_like(48, 64, 3)
    table = POLICIES[policy]
    chosen = set()
    for seed in range(300):
        params = _sample("autoaugment", {"policy": policy}, image, seed)
        index = params["sub_policy"]["index"]
        chosen.add(index)
        assert params["policy"] == policy
        assert params["sub_policy"]["table"] == [list(sub_op) for sub_op in table[index]]
        # The applied ops are a subsequence of the sub-policy, at its levels and magnitudes.
        remaining = list(table[index])
        for op in params["ops"]:
            while remaining and (remaining[0][0], remaining[0][2]) != (op["op"], op.get("level")):
                remaining.pop(0)
            assert remaining, f"{op} is not in sub-policy {index} of {policy}"
            name, _, level = remaining.pop(0)
            assert op.get("level") == level
            if level is not None:
                values = space.magnitudes(space.AUTOAUGMENT[name], 10, 48, 64)
                assert op == space.record(name, level, float(values[level]), negative=_is_negative(op))
    assert chosen == set(range(len(table)))  # every sub-policy is reachable


def _is_negative(op: dict) -> bool:
    value = next(v for k, v in op.items() if k not in ("op", "level"))
    return value < 0 or (op["op"] in ("Brightness", "Color", "Contrast", "Sharpness") and value < 1)


def test_autoaugment_sub_op_probabilities_show_in_the_records():
    # ImageNet sub-policy 7 is (Posterize p=0.8, Equalize p=1.0): Equalize always fires.
    image = make_photo_like(48, 64, 3)
    fired = {"Posterize": 0, "Equalize": 0}
    seen = 0
    for seed in range(2000):
        params = _sample("autoaugment", {"policy": "imagenet"}, image, seed)
        if params["sub_policy"]["index"] == 7:
            seen += 1
            for op in params["ops"]:
                fired[op["op"]] += 1
    assert fired["Equalize"] == seen
    assert 0.65 * seen < fired["Posterize"] < 0.95 * seen


@pytest.mark.parametrize("num_ops", [0, 1, 2, 3, 5])
def test_randaugment_applies_exactly_n_ops_at_magnitude_m(num_ops):
    image = make_photo_like(48, 64, 3)
    settings = {"num_ops": num_ops, "magnitude": 7, "num_magnitude_bins": 11}
    pipeline = Pipeline([{"op": "randaugment", "settings": settings}])
    for seed in range(40):
        out, record = pipeline(image, seed=seed)
        ops = record["steps"][0]["params"]["ops"]
        assert len(ops) == num_ops
        for op in ops:
            assert op["op"] in space.RANDAUGMENT
            assert op.get("level", 7) == 7
        np.testing.assert_array_equal(out, run_ops(image, ops, GEOMETRY))


def test_randaugment_magnitude_must_fit_the_bins():
    with pytest.raises(SettingsError, match="'magnitude' = 31 must be below 'num_magnitude_bins' = 31"):
        registry.get("randaugment").validate_settings({"magnitude": 31})


def test_trivial_augment_applies_one_op_at_a_uniform_bin():
    image = make_photo_like(48, 64, 3)
    levels, names = set(), set()
    for seed in range(600):
        ops = _sample("trivial_augment", {"num_magnitude_bins": 5}, image, seed)["ops"]
        assert len(ops) == 1
        names.add(ops[0]["op"])
        if "level" in ops[0]:
            levels.add(ops[0]["level"])
    assert names == set(space.WIDE)
    assert levels == set(range(5))


def test_augmix_weights_are_convex_and_sum_to_one():
    for seed in range(200):
        original, chains = mixing_weights(step_rng(seed, 0, 0), alpha=0.5, width=4)
        weights = [original, *chains]
        assert all(w >= 0 for w in weights)
        assert sum(weights) == pytest.approx(1.0, abs=1e-9)


def test_augmix_output_is_the_recorded_convex_mix():
    image = make_photo_like(48, 64, 3)
    settings = {"mixture_width": 3, "chain_depth": -1, "severity": 3}
    for seed in range(10):
        params = _sample("augmix", settings, image, seed)
        assert params["original_weight"] + sum(c["weight"] for c in params["chains"]) == pytest.approx(1.0, abs=1e-9)
        assert len(params["chains"]) == 3
        mix = np.float32(params["original_weight"]) * image.astype(np.float32)
        for chain in params["chains"]:
            assert 1 <= len(chain["ops"]) <= 3
            assert all(op.get("level", 0) < 3 for op in chain["ops"])
            mix += np.float32(chain["weight"]) * run_ops(image, chain["ops"], params).astype(np.float32)
        out = registry.get("augmix").apply(image, params)
        np.testing.assert_array_equal(out, np.clip(mix, 0, 255).astype(np.uint8))
        mixed = [image, *(run_ops(image, c["ops"], params) for c in params["chains"])]
        # A convex mix stays within what it mixes (truncation may take one level off).
        assert (out.astype(int) >= np.minimum.reduce(mixed).astype(int) - 1).all()
        assert (out <= np.maximum.reduce(mixed)).all()


def test_augmix_fixed_depth_and_partial_ops():
    image = make_photo_like(48, 64, 3)
    for seed in range(30):
        params = _sample("augmix", {"chain_depth": 2, "all_ops": False, "mixture_width": 2}, image, seed)
        for chain in params["chains"]:
            assert len(chain["ops"]) == 2
            assert {op["op"] for op in chain["ops"]} <= set(space.AUGMIX_PARTIAL)


@pytest.mark.parametrize("name", ["autoaugment", "randaugment", "trivial_augment", "augmix"])
def test_records_replay_exactly_after_a_json_round_trip(name):
    image = make_photo_like(48, 64, 3)
    pipeline = Pipeline([{"op": name}])
    for seed in range(15):
        out, record = pipeline(image, seed=seed)
        np.testing.assert_array_equal(pipeline.replay(image, json.loads(json.dumps(record))), out)


def test_randaugment_refuses_a_magnitude_beyond_the_bins_in_a_preset_too():
    with pytest.raises(PipelineError, match=r"step 1 \(randaugment\): 'magnitude' = 12 must be below"):
        Pipeline([{"op": "randaugment", "settings": {"magnitude": 12, "num_magnitude_bins": 10}}])


# -- every table magnitude, against torchvision's PIL path -------------------------------------------


def _table_shears() -> list[float]:
    """Every shear a policy can record: each level of each space's table, both signs."""
    values = set()
    for table, bins in ((space.STANDARD, 10), (space.STANDARD, 31), (space.WIDE, 31), (space.AUGMIX_ALL, 10)):
        for level, value in enumerate(space.magnitudes(table["ShearX"], bins, 48, 64)):
            for negative in (False, True):
                values.add(space.record("ShearX", level, float(value), negative)["shear"])
    return sorted(values)


@pytest.mark.parametrize("name", ["ShearX", "ShearY"])
def test_nearest_shears_equal_torchvision_pil_at_every_table_magnitude(name):
    # Pillow samples in 16.16 fixed point; OpenCV's 1/1024 steps picked the neighbouring pixel on
    # rows that fall exactly on a pixel edge (shear 0.2: every 5th row), so shears run Pillow's
    # own integer arithmetic.
    image = make_photo_like(64, 80, 3, seed=2)
    mismatched = []
    for shear in _table_shears():
        op = {"op": name, "shear": shear}
        ours = run_ops(image, [op], GEOMETRY)
        theirs = np.asarray(torchvision_reference(Image.fromarray(image), op, "nearest", 128))
        if not np.array_equal(ours, theirs):
            mismatched.append(shear)
    assert len(_table_shears()) > 100 and mismatched == []


@pytest.mark.parametrize("bins", [10, 31])
def test_solarize_thresholds_equal_torchvision_pil_at_every_level(bins):
    # torchvision passes 255 * float32 magnitude to Pillow, which keeps level i when i < threshold.
    ramp = np.arange(256, dtype=np.uint8).reshape(16, 16)
    table = v2.TrivialAugmentWide._AUGMENTATION_SPACE["Solarize"][0](bins, 16, 16)
    for level in range(bins):
        magnitude = float(table[level].item())
        op = space.record("Solarize", level, magnitude, False)
        theirs = np.asarray(F.solarize(Image.fromarray(ramp), threshold=255.0 * magnitude))
        np.testing.assert_array_equal(run_ops(ramp, [op], GEOMETRY), theirs, err_msg=f"level {level}")


def test_trivial_augment_translate_at_level_15_is_15_pixels():
    # torchvision's float32 table holds 15.999999 at level 15 of 31 (0 to 32 px); int() gives 15.
    image = make_photo_like(48, 64, 3)
    found = 0
    for seed in range(3000):
        op = _sample("trivial_augment", {}, image, seed)["ops"][0]
        if op["op"] in ("TranslateX", "TranslateY") and op["level"] == 15:
            assert abs(op["pixels"]) == 15
            found += 1
    assert found >= 2
