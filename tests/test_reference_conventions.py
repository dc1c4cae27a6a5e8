"""Conventions a user carries between augplay, torchvision and Albumentations, checked with markers
(a dot or a line whose output position is predicted), and the disagreements a cross-check found.

Every op runs through a one-step Pipeline with pinned ranges (`reference.fixed`).
"""

from __future__ import annotations

import math

import albumentations as A
import numpy as np
import pytest
from torchvision.transforms.v2 import InterpolationMode
from torchvision.transforms.v2 import functional as F

from augmenters import registry

from .reference import brightest_x, centroid, dot, fixed, horizontal_line, photo, psnr, tv_pil, tv_tensor, vertical_line

NEAREST = InterpolationMode.NEAREST
AFFINE_STILL = dict(angle=0, translate_x=0, translate_y=0, scale=1, shear_x=0, shear_y=0, border="constant", fill=0)


# -- affine: shear signs, composition order, angle direction ------------------------------------


@pytest.mark.parametrize("degrees", [10.0, -10.0, 25.0])
def test_affine_shear_x_leans_a_vertical_line_as_torchvision_and_albumentations(degrees):
    # Positive shear_x moves the top of a vertical line right and the bottom left, about the centre.
    line = vertical_line(101, 121, 60)
    out, _ = fixed("affine", line, **{**AFFINE_STILL, "shear_x": degrees, "interpolation": "nearest"})
    lean = math.tan(math.radians(degrees)) * 50  # 50 rows from the centre row to the top row
    assert abs(brightest_x(out[0]) - (60 + lean)) <= 0.5
    assert abs(brightest_x(out[-1]) - (60 - lean)) <= 0.5
    theirs = tv_tensor(F.affine, line, angle=0.0, translate=[0, 0], scale=1.0, shear=[degrees, 0.0], interpolation=NEAREST)
    albumentations = A.Affine(shear={"x": (degrees, degrees), "y": (0, 0)}, interpolation=0, p=1)(image=line)["image"]
    np.testing.assert_array_equal(out, theirs)
    np.testing.assert_array_equal(out, albumentations)


@pytest.mark.parametrize("degrees", [10.0, -15.0])
def test_affine_shear_y_lifts_the_right_end_of_a_horizontal_line(degrees):
    line = horizontal_line(101, 121, 50)
    out, _ = fixed("affine", line, **{**AFFINE_STILL, "shear_y": degrees, "interpolation": "nearest"})
    lift = math.tan(math.radians(degrees)) * 60  # 60 columns from the centre to the right edge
    assert abs(brightest_x(out[:, -1]) - (50 - lift)) <= 0.5
    assert abs(brightest_x(out[:, 0]) - (50 + lift)) <= 0.5
    theirs = tv_tensor(F.affine, line, angle=0.0, translate=[0, 0], scale=1.0, shear=[0.0, degrees], interpolation=NEAREST)
    albumentations = A.Affine(shear={"x": (0, 0), "y": (degrees, degrees)}, interpolation=0, p=1)(image=line)["image"]
    np.testing.assert_array_equal(out, theirs)
    np.testing.assert_array_equal(out, albumentations)


AFFINE_CASES = [
    dict(angle=20.0, shear_x=10.0, shear_y=-7.0, scale=1.1, translate_x=0.125, translate_y=-0.0625),
    dict(angle=-35.0, shear_x=-12.0, shear_y=15.0, scale=0.8, translate_x=-0.25, translate_y=0.125),
]


@pytest.mark.parametrize("case", AFFINE_CASES, ids=["a", "b"])
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
def test_affine_composes_as_torchvision(case, interpolation):
    # Shear x, then shear y, then scale, then rotate (torchvision's R·S·SHy·SHx). Our angle turns
    # counter-clockwise like F.rotate; F.affine's turns clockwise, hence angle=-a.
    image = photo(96, 128)
    out, _ = fixed("affine", image, **case, border="constant", fill=0, interpolation=interpolation)
    theirs = tv_tensor(
        F.affine,
        image,
        angle=-case["angle"],
        translate=[case["translate_x"] * 128, case["translate_y"] * 96],
        scale=case["scale"],
        shear=[case["shear_x"], case["shear_y"]],
        interpolation=InterpolationMode(interpolation),
    )
    # OpenCV's warp and torch's grid_sample sample the same points here; bilinear weights may round
    # differently, so bilinear has a floor rather than equality.
    if interpolation == "nearest":
        np.testing.assert_array_equal(out, theirs)
    else:
        assert psnr(out, theirs) >= 45.0


def test_affine_and_rotate_turn_counter_clockwise_like_f_rotate_and_albumentations():
    # A dot right of the centre moves up (smaller y) when turned +90 degrees counter-clockwise.
    marker = dot(61, 61, 30, 50)
    for op in ("rotate", "affine"):
        settings = dict(angle=90, interpolation="nearest") if op == "rotate" else {**AFFINE_STILL, "angle": 90, "interpolation": "nearest"}
        out, _ = fixed(op, marker, **settings)
        assert centroid(out) == (10.0, 30.0), op
    np.testing.assert_array_equal(tv_tensor(F.rotate, marker, angle=90.0), fixed("rotate", marker, angle=90)[0])
    np.testing.assert_array_equal(A.Rotate(limit=(90, 90), p=1)(image=marker)["image"], fixed("rotate", marker, angle=90)[0])


def test_affine_translate_moves_right_and_down():
    marker = dot(40, 50, 20, 25)
    out, _ = fixed("affine", marker, **{**AFFINE_STILL, "translate_x": 0.2, "translate_y": -0.25, "interpolation": "nearest"})
    assert centroid(out) == (10.0, 35.0)


def test_affine_scale_moves_a_dot_away_from_the_centre():
    # The centre of a 41x61 image is pixel (20, 30); a dot 10 px right of it lands 20 px right at scale 2.
    out, _ = fixed("affine", dot(41, 61, 20, 40), **{**AFFINE_STILL, "scale": 2.0, "interpolation": "nearest"})
    y, x = centroid(out)
    assert y == pytest.approx(20.0, abs=0.5) and x == pytest.approx(50.0, abs=0.5)


# -- outputs are new arrays, even where nothing changes ------------------------------------------

NO_CHANGE = [
    ("rotate", {"angle": 0}),
    ("rotate", {"angle": 0, "expand": True}),
    ("crop", {"padding": 0}),
    ("center_crop", {"scale": 1.0}),
    ("pad", {"padding": 0}),
    ("random_resized_crop", {"scale": 1.0, "ratio": 64 / 48}),
    ("resize", {"height": 48, "width": 64}),
    ("affine", {**AFFINE_STILL, "interpolation": "nearest"}),
    ("gaussian_blur", {"sigma": 0}),
    ("salt_and_pepper", {"amount": 0}),
]


@pytest.mark.parametrize("op, settings", NO_CHANGE, ids=[f"{op}-{i}" for i, (op, _) in enumerate(NO_CHANGE)])
def test_an_op_that_changes_nothing_still_returns_a_new_array(op, settings):
    image = photo(48, 64)
    out, _ = fixed(op, image, **settings)
    np.testing.assert_array_equal(out, image)
    assert not np.shares_memory(out, image), f"{op} returned a view of its input"


# -- crops and pads: which side gets the odd pixel ------------------------------------------------


@pytest.mark.parametrize("size", [(13, 13), (13, 12), (11, 14)])
def test_center_crop_larger_than_the_image_pads_the_odd_pixel_bottom_right(size):
    image = photo(10, 10)
    out, params = fixed("center_crop", image, height=size[0], width=size[1])
    top, left = (size[0] - 10) // 2, (size[1] - 10) // 2
    np.testing.assert_array_equal(out[top : top + 10, left : left + 10], image)
    np.testing.assert_array_equal(out, tv_tensor(F.center_crop, image, output_size=list(size)))
    albumentations = A.CenterCrop(*size, pad_if_needed=True, border_mode=0, fill=0, p=1)(image=image)["image"]
    np.testing.assert_array_equal(out, albumentations)


@pytest.mark.parametrize("side, window", [(11, 8), (12, 9), (13, 8), (15, 8)])
def test_center_crop_smaller_than_the_image_drops_the_odd_pixel_bottom_right(side, window):
    # The window starts at floor((side - window) / 2), as Albumentations. torchvision rounds half
    # to even: one pixel further right/down when side - window is 3 mod 4 (docs/reference-agreement.md).
    image = photo(side, side)
    out, params = fixed("center_crop", image, height=window, width=window)
    start = (side - window) // 2
    assert params["box"] == [start, start, start + window, start + window]
    np.testing.assert_array_equal(out, A.CenterCrop(window, window, p=1)(image=image)["image"])
    theirs = tv_tensor(F.center_crop, image, output_size=[window, window])
    if (side - window) % 4 == 3:
        np.testing.assert_array_equal(out[1:, 1:], theirs[:-1, :-1])
    else:
        np.testing.assert_array_equal(out, theirs)


# -- salt and pepper: white and black ----------------------------------------------------------


@pytest.mark.parametrize("per_channel", [False, True])
@pytest.mark.parametrize("kind", [3, 1])
def test_salt_and_pepper_sets_exactly_the_amount_to_pure_white_or_black(per_channel, kind):
    image = np.full((60, 80, 3) if kind == 3 else (60, 80), 128, dtype=np.uint8)
    out, params = fixed("salt_and_pepper", image, amount=0.1, per_channel=per_channel)
    changed = out != image
    units = changed if per_channel or kind == 1 else changed.any(axis=2)
    count = int(units.size * 0.1)
    assert int(units.sum()) == count  # an exact count, as Albumentations' SaltAndPepper
    assert set(np.unique(out[changed]).tolist()) == {0, 255}
    white = (out == 255) if per_channel or kind == 1 else (out == 255).all(axis=2)
    assert int(white.sum()) == count // 2
    if kind == 3 and not per_channel:  # whole pixels turn white or black, never one channel
        assert (changed.all(axis=2) == changed.any(axis=2)).all()


def test_salt_and_pepper_imgaug_look_stays_available():
    image = np.full((60, 80, 3), 128, dtype=np.uint8)
    out, params = fixed("salt_and_pepper", image, amount=0.2, values="imgaug_soft")
    changed = out[out != image]
    assert params["values"] == "imgaug_soft" and changed.size > 0
    assert np.isin(changed, [0, 255]).mean() < 0.5  # imgaug's Beta(0.5, 0.5) greys


# -- rotate with expand: the canvas --------------------------------------------------------------


@pytest.mark.parametrize("height, width", [(20, 17), (37, 53), (64, 48), (33, 33)])
@pytest.mark.parametrize("angle", [0.5, 10.0, 17.3, 30.0, 45.0, 89.9, 135.0, -20.0, -170.0])
def test_rotate_expand_canvas_is_torchvisions(height, width, angle):
    image = photo(height, width)
    out, _ = fixed("rotate", image, angle=angle, expand=True)
    assert out.shape == tv_tensor(F.rotate, image, angle=angle, expand=True).shape
    assert out.shape == tv_pil(F.rotate, image, angle=angle, expand=True).shape


def test_rotate_expand_agrees_with_torchvision_pixels():
    image = photo(72, 96)
    out, _ = fixed("rotate", image, angle=30.0, expand=True, border="constant", fill=0)
    assert psnr(out, tv_tensor(F.rotate, image, angle=30.0, expand=True, interpolation=InterpolationMode.BILINEAR)) >= 40.0


# -- resize: antialiased when shrinking, as torchvision ------------------------------------------------


@pytest.mark.parametrize("size", [(30, 40), (17, 90), (100, 20)])
def test_resize_bilinear_matches_torchvision_default(size):
    image = photo(72, 96)
    out, params = fixed("resize", image, height=size[0], width=size[1])
    assert params["antialias"] is True
    np.testing.assert_array_equal(out, tv_tensor(F.resize, image, size=list(size)))
    assert psnr(out, tv_pil(F.resize, image, size=list(size))) >= 50.0  # Pillow's antialiased bilinear


@pytest.mark.parametrize("channels", [1, 3, 4])
@pytest.mark.parametrize("interpolation", ["bilinear", "bicubic"])
def test_resize_shrinks_every_mode_as_torchvision(channels, interpolation):
    image = photo(72, 96, channels)
    out, _ = fixed("resize", image, height=30, width=41, interpolation=interpolation)
    assert out.flags.c_contiguous and out.shape == (30, 41, *image.shape[2:])
    np.testing.assert_array_equal(out, tv_tensor(F.resize, image, size=[30, 41], interpolation=InterpolationMode(interpolation)))


def test_resize_without_antialias_is_opencvs_bilinear():
    import cv2

    image = photo(72, 96)
    out, _ = fixed("resize", image, height=30, width=40, antialias=False)
    np.testing.assert_array_equal(out, cv2.resize(image, (40, 30), interpolation=cv2.INTER_LINEAR))


def test_old_resize_records_replay_without_antialias():
    import cv2

    image = photo(72, 96)
    old = {"size": [30, 40], "interpolation": "bilinear"}  # a record from before `antialias`
    np.testing.assert_array_equal(registry.get("resize").apply(image, old), cv2.resize(image, (40, 30)))



# -- hue: which way the colour wheel turns ------------------------------------------------------


@pytest.mark.parametrize("turns, expected", [(1 / 6, (255, 255, 0)), (-1 / 6, (255, 0, 255)), (1 / 3, (0, 255, 0))])
def test_positive_hue_turns_red_towards_yellow_and_green_as_torchvision(turns, expected):
    red = np.zeros((4, 4, 3), dtype=np.uint8)
    red[..., 0] = 255
    settings = dict(brightness=1, contrast=1, saturation=1, hue=round(turns, 4), random_order=False)
    out, _ = fixed("color_jitter", red, **settings)
    theirs = tv_tensor(F.adjust_hue, red, hue_factor=round(turns, 4))
    assert np.abs(out[0, 0].astype(int) - np.array(expected)).max() <= 8
    assert np.abs(out.astype(int) - theirs.astype(int)).max() <= 8
