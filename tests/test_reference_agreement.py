"""Every image op against torchvision v2 functional and Albumentations 2.0.8 (tests/reference_cases.py).

Ops run through a one-step Pipeline with pinned ranges, exactly as a user would run them;
where augplay differs on purpose, the case says how and docs/reference-agreement.md lists it.
"""

from __future__ import annotations

import copy
import math
import sys
from pathlib import Path

import albumentations as A
import numpy as np
import pytest
import torch
from PIL import Image
from torchvision.transforms import v2
from torchvision.transforms.v2 import InterpolationMode
from torchvision.transforms.v2 import functional as F

from augmenters import Pipeline, registry
from augmenters.image._policy_ops import KERNELS

from .reference import fixed, from_tensor, photo, psnr, to_tensor
from .reference_cases import CASES, CHECKED_BY, NO_COUNTERPART, Case, markdown_table


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case_agrees_with_its_reference(case: Case):
    db, diff, ours, theirs = case.measure()
    if case.min_psnr == math.inf:
        np.testing.assert_array_equal(ours, theirs, err_msg=f"{case.id}: {case.difference or 'expected equal bytes'}")
    else:
        assert db >= case.min_psnr, f"{case.id}: {db:.1f} dB below the floor {case.min_psnr} dB"
    if case.max_diff is not None:
        assert diff <= case.max_diff, f"{case.id}: levels differ by {diff}"


def test_every_image_op_has_a_reference_or_says_why_not():
    ops = set(registry.names(modality="image"))
    covered = {case.op for case in CASES} | set(CHECKED_BY)
    assert set(NO_COUNTERPART).isdisjoint(covered), "an op with a reference cannot also claim to have none"
    assert all(len(reason) > 40 for reason in NO_COUNTERPART.values()), "say why there is no counterpart"
    missing = ops - covered - set(NO_COUNTERPART)
    assert not missing, f"no reference case and no 'no counterpart' entry for: {sorted(missing)}"
    assert covered | set(NO_COUNTERPART) <= ops, "entries for ops that are not registered"
    # Every policy sub-op kernel is one of torchvision's policy ops, compared by the policy tests.
    spaces = (v2.AutoAugment, v2.RandAugment, v2.TrivialAugmentWide, v2.AugMix)
    assert set(KERNELS) <= {name for space in spaces for name in space._AUGMENTATION_SPACE}
    module = sys.modules[__name__]
    for op, checked in CHECKED_BY.items():
        assert callable(getattr(module, checked.test, None)), f"{op}: {checked.test} is not a test in this module"


def test_docs_table_is_the_measured_one():
    # docs/reference-agreement.md shows `python -m tests.reference_cases`; a changed kernel or
    # floor that is not re-measured there fails here.
    doc = (Path(__file__).resolve().parents[1] / "docs" / "reference-agreement.md").read_text(encoding="utf-8")
    begin, end = "<!-- agreement-table:begin -->", "<!-- agreement-table:end -->"
    assert doc.split(begin)[1].split(end)[0].strip() == markdown_table()


# -- noise: same statistics (positions come from different RNGs) -----------------------------------


@pytest.mark.parametrize("amount", [0.02, 0.1, 0.37])
def test_salt_and_pepper_counts_equal_albumentations(amount):
    # Albumentations picks floor(H·W·amount) pixels without replacement, floor(half) of them salt,
    # and sets all channels; so does augplay. The positions differ (each its own seeded RNG).
    image = np.full((60, 80, 3), 128, dtype=np.uint8)
    ours, _ = fixed("salt_and_pepper", image, amount=amount)
    transform = A.SaltAndPepper(amount=(amount, amount), salt_vs_pepper=(0.5, 0.5), p=1)
    transform.set_random_seed(0)
    theirs = transform(image=image)["image"]
    for out in (ours, theirs):
        assert set(np.unique(out).tolist()) <= {0, 128, 255}
    for level in (0, 255):
        assert int((ours == level).all(axis=2).sum()) == int((theirs == level).all(axis=2).sum()), level


def test_gaussian_noise_spread_equals_torchvision():
    # Same sigma, same unit: augplay's sigma is in grey levels, torchvision's in [0, 1] floats.
    flat = np.full((256, 256, 3), 128, dtype=np.uint8)
    ours, _ = fixed("gaussian_noise", flat, sigma=12.0)
    generator = torch.Generator().manual_seed(0)
    tensor = to_tensor(flat).float() / 255.0
    noise = torch.randn(tensor.shape, generator=generator) * (12.0 / 255.0)
    theirs = (tensor + noise).clamp(0, 1).mul(255).round().to(torch.uint8)  # F.gaussian_noise's recipe, seeded
    np.testing.assert_allclose(ours.astype(float).std(), from_tensor(theirs).astype(float).std(), rtol=0.01)
    np.testing.assert_allclose(ours.astype(float).mean(), 128.0, atol=0.1)
    generator = torch.Generator().manual_seed(0)
    assert F.gaussian_noise(tensor, sigma=12.0 / 255.0).std().item() == pytest.approx(12.0 / 255.0, rel=0.02)


# -- policies: each applied sub-op, end to end, against torchvision's own policy code ------------------

# Level differences torchvision's PIL path and augplay's kernels may show (see docs/policies.md):
# Color and Sharpness blend through OpenCV (rounding where Pillow truncates).
PIL_TOLERANCE = {"Color": 2, "Sharpness": 1}
POLICIES = {
    "randaugment": ({"num_ops": 1}, v2.RandAugment),
    "trivial_augment": ({}, v2.TrivialAugmentWide),
    "autoaugment": ({}, v2.AutoAugment),
}


def _torchvision_magnitude(transform_class, op: dict, bins: int, size: tuple[int, int]) -> float:
    """The magnitude torchvision's policy uses at the recorded level, with the recorded sign."""
    table, signed = transform_class._AUGMENTATION_SPACE[op["op"]]
    values = table(bins, *size)
    if values.ndim == 0:
        return 0.0
    magnitude = float(values[op["level"]].item())
    value = next(v for k, v in op.items() if k not in ("op", "level"))
    negative = value < 0 or (op["op"] in ("Brightness", "Color", "Contrast", "Sharpness") and value < 1)
    return -magnitude if signed and negative else magnitude


def _replay_prefix(pipeline: Pipeline, image: np.ndarray, record: dict, count: int) -> np.ndarray:
    """The output after the first `count` recorded sub-ops, through the public replay."""
    prefix = copy.deepcopy(record)
    prefix["steps"][0]["params"]["ops"] = record["steps"][0]["params"]["ops"][:count]
    return pipeline.replay(image, prefix)


@pytest.mark.parametrize("policy", sorted(POLICIES))
def test_policy_sub_ops_equal_torchvision_pil(policy):
    # Each applied sub-op is compared with torchvision's own policy code on the same input (the
    # output of the sub-ops before it), so a level of rounding in one does not compound.
    settings, transform_class = POLICIES[policy]
    transform = transform_class(interpolation=InterpolationMode.NEAREST, fill=128)
    pipeline = Pipeline([{"op": policy, "settings": settings}])
    image = photo(48, 64, seed=3)
    seen: set[tuple[str, bool]] = set()
    for seed in range(400 if policy != "autoaugment" else 600):
        out, record = pipeline(image, seed=seed)
        params = record["steps"][0]["params"]
        bins = params.get("num_magnitude_bins", 10)
        before = image
        for count, op in enumerate(params["ops"], 1):
            magnitude = _torchvision_magnitude(transform_class, op, bins, (48, 64)) if "level" in op else 0.0
            theirs = transform._apply_image_or_video_transform(
                Image.fromarray(before), op["op"], magnitude, transform.interpolation, transform._fill
            )
            theirs = np.asarray(theirs)
            ours = _replay_prefix(pipeline, image, record, count)
            if op["op"] == "Rotate":  # OpenCV resolves sample points to 1/1024 px, Pillow to 1/65536
                assert (ours != theirs).any(axis=2).mean() < 0.03, (seed, op)
            else:
                assert np.abs(ours.astype(int) - theirs.astype(int)).max() <= PIL_TOLERANCE.get(op["op"], 0), (seed, op)
            seen.add((op["op"], magnitude < 0))
            before = ours
        np.testing.assert_array_equal(before, out)
    expected = set(transform_class._AUGMENTATION_SPACE)
    if policy == "autoaugment":  # the ImageNet table uses a subset of the space
        expected = {name for sub_policy in transform._policies for name, _, _ in sub_policy}
    assert {name for name, _ in seen} == expected
    signed = {name for name, (_, is_signed) in transform_class._AUGMENTATION_SPACE.items() if is_signed}
    if policy != "autoaugment":
        assert {name for name, negative in seen if negative} == signed - {"Identity"}


def test_augmix_equals_torchvision_recipe():
    # torchvision's AugMix runs its sub-ops on tensors, mixes in float32 and truncates; augplay's
    # sub-ops follow the PIL path (docs/policies.md; bilinear warps and blends round differently),
    # so the mix agrees to a PSNR floor.
    transform = v2.AugMix(interpolation=InterpolationMode.BILINEAR, fill=128)
    pipeline = Pipeline([{"op": "augmix"}])
    image = photo(48, 64, seed=4)
    floors = []
    for seed in range(20):
        out, record = pipeline(image, seed=seed)
        params = record["steps"][0]["params"]
        mix = np.float32(params["original_weight"]) * to_tensor(image).float()
        for chain in params["chains"]:
            augmented = to_tensor(image)
            for op in chain["ops"]:
                magnitude = _torchvision_magnitude(v2.AugMix, op, 10, (48, 64)) if "level" in op else 0.0
                augmented = transform._apply_image_or_video_transform(augmented, op["op"], magnitude, transform.interpolation, transform._fill)
            mix += np.float32(chain["weight"]) * augmented.float()
        floors.append(psnr(out, from_tensor(mix.clamp(0, 255).to(torch.uint8))))
    assert min(floors) >= 40.0 and np.median(floors) >= 55.0, floors  # measured: 44.0 and 61.9 dB
