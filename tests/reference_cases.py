"""Which reference each image op is compared with, and how closely it must agree.

Every registered image op appears here once: as one or more `Case`s (pixels compared with
torchvision v2 functional, tensor or PIL, or Albumentations 2.0.8), in `CHECKED_BY` (a test in
test_reference_agreement.py that compares statistics or runs policy sub-ops), or in
`NO_COUNTERPART` with the reason. A new op in none of them fails `test_every_image_op_has_a_reference`.

    python -m tests.reference_cases    # print the measured agreement, as docs/reference-agreement.md shows it
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import albumentations as A
import cv2
import numpy as np
from torchvision.transforms.v2 import InterpolationMode
from torchvision.transforms.v2 import functional as F

from .reference import fixed, photo, psnr, tv_pil, tv_tensor

NEAREST, BILINEAR = InterpolationMode.NEAREST, InterpolationMode.BILINEAR
EXACT = math.inf
STILL = dict(angle=0, translate_x=0, translate_y=0, scale=1, shear_x=0, shear_y=0)


@dataclass(frozen=True)
class Case:
    """augplay's `op` with pinned `settings` against `reference(image, params)`.

    `params` are the params augplay sampled (a crop's box, a pad's sides), so a case also checks
    that the recorded values mean what the reference means by them. `min_psnr` is EXACT (bytes
    equal) or a floor in dB; `max_diff` optionally caps the largest level difference.
    """

    op: str
    name: str
    settings: dict
    library: str
    reference: Callable[[np.ndarray, dict], np.ndarray]
    min_psnr: float = EXACT
    max_diff: int | None = None
    convention: str = ""
    difference: str = ""
    shape: tuple = (72, 96, 3)
    seed: int = 0
    tags: tuple = field(default=())

    @property
    def id(self) -> str:
        return f"{self.op}-{self.name}"

    def image(self) -> np.ndarray:
        return photo(*self.shape[:2], self.shape[2] if len(self.shape) == 3 else 1)

    def measure(self) -> tuple[float, int, np.ndarray, np.ndarray]:
        """(PSNR in dB, largest level difference, ours, theirs)."""
        image = self.image()
        ours, params = fixed(self.op, image, seed=self.seed, **self.settings)
        theirs = np.asarray(self.reference(image, params))
        assert ours.shape == theirs.shape, f"{self.id}: shape {ours.shape} vs {theirs.shape}"
        diff = int(np.abs(ours.astype(int) - theirs.astype(int)).max()) if ours.size else 0
        return psnr(ours, theirs), diff, ours, theirs


def _alb(transform) -> Callable[[np.ndarray, dict], np.ndarray]:
    return lambda image, params: transform(image=image)["image"]


def _box_crop(image: np.ndarray, params: dict) -> np.ndarray:
    """torchvision's crop of the recorded box [x0, y0, x1, y1] (it pads where the box leaves the image)."""
    x0, y0, x1, y1 = params["box"]
    return tv_tensor(F.crop, image, top=y0, left=x0, height=y1 - y0, width=x1 - x0)


def _tv_pad(mode: str) -> Callable[[np.ndarray, dict], np.ndarray]:
    def run(image: np.ndarray, params: dict) -> np.ndarray:
        sides = [params["left"], params["top"], params["right"], params["bottom"]]
        return tv_tensor(F.pad, image, padding=sides, fill=params["fill"], padding_mode=mode)

    return run


def _tv_resized_crop(image: np.ndarray, params: dict) -> np.ndarray:
    x0, y0, x1, y1 = params["box"]
    return tv_tensor(F.resized_crop, image, top=y0, left=x0, height=y1 - y0, width=x1 - x0, size=params["size"])


def _fill(value: int) -> int | None:
    """torchvision's fill for a constant border. With a fill given, its bilinear warps blend edge
    pixels towards it a second time (a coverage mask times the zero-padded sample); fill=None
    pads with 0 once, as OpenCV does. So a black fill is asked for as None."""
    return None if value == 0 else value


def _tv_affine(interpolation: InterpolationMode) -> Callable[[np.ndarray, dict], np.ndarray]:
    def run(image: np.ndarray, params: dict) -> np.ndarray:
        h, w = image.shape[:2]
        return tv_tensor(
            F.affine,
            image,
            angle=-params["angle"],  # F.affine turns clockwise, augplay (like F.rotate) counter-clockwise
            translate=[params["translate_x"] * w, params["translate_y"] * h],
            scale=params["scale_x"],
            shear=[params["shear_x"], params["shear_y"]],
            interpolation=interpolation,
            fill=_fill(params["fill"]),
        )

    return run


def _tv_perspective(image: np.ndarray, params: dict) -> np.ndarray:
    h, w = image.shape[:2]
    start = [[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]]
    return tv_tensor(F.perspective, image, startpoints=start, endpoints=params["corners"], interpolation=BILINEAR, fill=_fill(params["fill"]))


def _tv_erase(image: np.ndarray, params: dict) -> np.ndarray:
    import torch

    out = image
    for x0, y0, x1, y1 in params["boxes"]:
        out = tv_tensor(F.erase, out, i=y0, j=x0, h=y1 - y0, w=x1 - x0, v=torch.tensor(0, dtype=torch.uint8))
    return out


def _cv2_jpeg(image: np.ndarray, params: dict) -> np.ndarray:
    """Albumentations' ImageCompression hands RGB to cv2.imencode as if it were BGR; this is the same
    codec with the channels in the order libjpeg expects, which is what augplay does."""
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, params["quality"]])
    return cv2.cvtColor(cv2.imdecode(data, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def _quiet(function, *args, **kwargs):
    """torchvision 0.29 warns that its JPEG codec moves to TorchCodec; the codec is what we compare."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return function(*args, **kwargs)


def _hue_turn(turns: float) -> dict:
    return dict(brightness=1, contrast=1, saturation=1, hue=turns, random_order=False)


JITTER = dict(brightness=1, contrast=1, saturation=1, hue=0, random_order=False)

CASES: list[Case] = [
    # -- geometry ---------------------------------------------------------------------------
    Case("hflip", "tensor", {}, "torchvision tensor", lambda im, p: tv_tensor(F.horizontal_flip, im)),
    Case("hflip", "albumentations", {}, "Albumentations", _alb(A.HorizontalFlip(p=1))),
    Case("vflip", "tensor", {}, "torchvision tensor", lambda im, p: tv_tensor(F.vertical_flip, im)),
    Case("vflip", "albumentations", {}, "Albumentations", _alb(A.VerticalFlip(p=1))),
    Case(
        "rotate", "quarter", dict(angle=90), "torchvision tensor", lambda im, p: tv_tensor(F.rotate, im, angle=90.0),
        convention="positive angle turns counter-clockwise", shape=(64, 64, 3),
    ),
    Case(
        "rotate", "tensor-bilinear", dict(angle=30, border="constant"), "torchvision tensor",
        lambda im, p: tv_tensor(F.rotate, im, angle=30.0, interpolation=BILINEAR), min_psnr=80.0, max_diff=1,
        difference="OpenCV's fixed-point bilinear weights vs grid_sample's float weights: a level on a few pixels",
    ),
    Case(
        "rotate", "expand", dict(angle=30, expand=True, border="constant"), "torchvision tensor",
        lambda im, p: tv_tensor(F.rotate, im, angle=30.0, interpolation=BILINEAR, expand=True), min_psnr=80.0, max_diff=1,
        convention="expanded canvas = Pillow's ceil(max) - floor(min) of the turned corners",
    ),
    Case(
        "rotate", "albumentations", dict(angle=30, border="constant"), "Albumentations",
        _alb(A.Rotate(limit=(30, 30), border_mode=cv2.BORDER_CONSTANT, fill=0, p=1)),
        convention="both turn about pixel (w - 1) / 2, (h - 1) / 2 through the same OpenCV warp",
    ),
    Case(
        "affine", "nearest", dict(angle=20, shear_x=10, shear_y=-7, scale=1.1, translate_x=0.125, translate_y=-0.0625, interpolation="nearest"),
        "torchvision tensor", _tv_affine(NEAREST), shape=(96, 128, 3),
        convention="R·S·SHy·SHx about the centre; +shear_x leans the top right; angle counter-clockwise (F.affine: -angle)",
    ),
    Case(
        "affine", "bilinear", dict(angle=-35, shear_x=-12, shear_y=15, scale=0.8, translate_x=-0.25, translate_y=0.125),
        "torchvision tensor", _tv_affine(BILINEAR), shape=(96, 128, 3),
    ),
    Case(
        "affine", "albumentations-shear", {**STILL, "shear_x": 12, "interpolation": "nearest"}, "Albumentations",
        _alb(A.Affine(shear={"x": (12, 12), "y": (0, 0)}, interpolation=0, p=1)), shape=(96, 128, 3),
        convention="shear signs as Albumentations",
    ),
    Case(
        "affine", "albumentations-rotate-scale-move", {**STILL, "angle": 25, "scale": 1.2, "translate_x": 0.125, "translate_y": 0.125},
        "Albumentations",
        _alb(A.Affine(rotate=(25, 25), scale=(1.2, 1.2), translate_px={"x": (16, 16), "y": (12, 12)}, interpolation=1, p=1)),
        shape=(96, 128, 3),
        difference="with both shears and a rotation Albumentations shears after rotating, with one combined "
        "[[1, tan x], [tan y, 1]] matrix; augplay composes as torchvision (shear x, shear y, scale, rotate)",
    ),
    Case("perspective", "tensor", dict(distortion=0.3), "torchvision tensor", _tv_perspective, min_psnr=80.0, max_diff=1, seed=3,
         convention="recorded corners are F.perspective's endpoints, startpoints [0, 0] ... [w - 1, h - 1] as RandomPerspective passes them"),
    Case("crop", "box", dict(height=40, width=50, padding=4), "torchvision tensor", _box_crop, seed=5,
         convention="recorded box [x0, y0, x1, y1] in input pixels; negative = inside the padding"),
    Case("crop", "albumentations", dict(height=40, width=50, padding=0), "Albumentations",
         lambda im, p: A.Crop(*p["box"], p=1)(image=im)["image"], seed=2),
    Case("pad", "constant", dict(padding=[0, 9], fill=17), "torchvision tensor", _tv_pad("constant"), seed=4,
         convention="recorded sides left/top/right/bottom = F.pad's [left, top, right, bottom]"),
    Case("pad", "reflect", dict(padding=[0, 9], border="reflect"), "torchvision tensor", _tv_pad("reflect"), seed=6,
         convention="reflect = F.pad 'reflect' (edge pixel not repeated)"),
    Case("pad", "replicate", dict(padding=[0, 9], border="replicate"), "torchvision tensor", _tv_pad("edge"), seed=7),
    Case("pad", "albumentations", dict(padding=[5, 5], fill=3), "Albumentations", _alb(A.Pad(padding=5, fill=3, p=1))),
    Case("center_crop", "smaller", dict(height=40, width=60), "torchvision tensor",
         lambda im, p: tv_tensor(F.center_crop, im, output_size=[40, 60])),
    Case("center_crop", "larger-odd", dict(height=75, width=99), "torchvision tensor",
         lambda im, p: tv_tensor(F.center_crop, im, output_size=[75, 99]),
         convention="odd padding pixel bottom/right"),
    Case("center_crop", "albumentations", dict(height=75, width=41), "Albumentations",
         _alb(A.CenterCrop(75, 41, pad_if_needed=True, border_mode=cv2.BORDER_CONSTANT, fill=0, p=1)),
         convention="odd cropped pixel bottom/right (window starts at floor((side - window) / 2))",
         difference="torchvision starts at round-half-even((side - window) / 2): one pixel later when side - window is 3 mod 4"),
    Case("random_resized_crop", "tensor", dict(scale=[0.3, 0.6], height=32, width=40), "torchvision tensor", _tv_resized_crop, seed=1,
         convention="recorded box + size = F.resized_crop(top, left, height, width, size), antialiased"),
    Case("resize", "shrink", dict(height=30, width=40), "torchvision tensor", lambda im, p: tv_tensor(F.resize, im, size=[30, 40]),
         convention="antialiased when shrinking (torchvision's default)"),
    Case("resize", "shrink-pil", dict(height=30, width=40), "torchvision PIL", lambda im, p: tv_pil(F.resize, im, size=[30, 40]),
         min_psnr=70.0, max_diff=1, difference="Pillow's and torch's antialiased kernels round differently (one level)"),
    Case("resize", "enlarge", dict(height=100, width=150), "torchvision tensor", lambda im, p: tv_tensor(F.resize, im, size=[100, 150]),
         min_psnr=50.0, max_diff=1, difference="enlarging runs OpenCV's bilinear (11-bit weights), 5x faster"),
    Case("resize", "albumentations", dict(height=30, width=40, antialias=False), "Albumentations",
         _alb(A.Resize(30, 40, interpolation=cv2.INTER_LINEAR, p=1)), convention="antialias off = OpenCV's bilinear"),
    # -- colour ------------------------------------------------------------------------------
    Case("color_jitter", "brightness", {**JITTER, "brightness": 1.3}, "torchvision tensor",
         lambda im, p: tv_tensor(F.adjust_brightness, im, brightness_factor=1.3), min_psnr=50.0, max_diff=1,
         difference="rounds where torch truncates"),
    Case("color_jitter", "contrast", {**JITTER, "contrast": 0.6}, "torchvision tensor",
         lambda im, p: tv_tensor(F.adjust_contrast, im, contrast_factor=0.6), min_psnr=45.0, max_diff=1,
         difference="rounds where torch truncates; the mean grey is OpenCV's"),
    Case("color_jitter", "saturation", {**JITTER, "saturation": 1.6}, "torchvision tensor",
         lambda im, p: tv_tensor(F.adjust_saturation, im, saturation_factor=1.6), min_psnr=50.0, max_diff=1,
         difference="OpenCV's fixed-point grey and blend round where torch truncates"),
    Case("color_jitter", "hue", _hue_turn(0.1), "torchvision tensor",
         lambda im, p: tv_tensor(F.adjust_hue, im, hue_factor=0.1), min_psnr=45.0, max_diff=6,
         convention="positive hue turns red towards yellow and green",
         difference="OpenCV's 8-bit HSV keeps hue in 180 steps (2 degrees) and rounds S and V"),
    Case("grayscale", "tensor", {}, "torchvision tensor", lambda im, p: tv_tensor(F.rgb_to_grayscale, im, num_output_channels=3),
         min_psnr=48.0, max_diff=1, difference="OpenCV's fixed-point luma rounds, torch truncates"),
    Case("grayscale", "albumentations", {}, "Albumentations", _alb(A.ToGray(method="weighted_average", p=1))),
    Case("gamma", "tensor", dict(gamma=1.8), "torchvision tensor", lambda im, p: tv_tensor(F.adjust_gamma, im, gamma=1.8),
         min_psnr=50.0, max_diff=1, difference="rounds where torch truncates"),
    Case("gamma", "albumentations", dict(gamma=0.6), "Albumentations", _alb(A.RandomGamma(gamma_limit=(60, 60), p=1)),
         min_psnr=48.0, max_diff=1, difference="rounds the table where Albumentations' float pow truncates"),
    Case("gaussian_blur", "tensor", dict(sigma=1.5, kernel_size=9), "torchvision tensor",
         lambda im, p: tv_tensor(F.gaussian_blur, im, kernel_size=[9, 9], sigma=[1.5, 1.5]),
         convention="kernel_size and sigma mean the same; borders reflect without repeating the edge"),
    Case("gaussian_blur", "albumentations", dict(sigma=1.5, kernel_size=9), "Albumentations",
         _alb(A.GaussianBlur(blur_limit=(9, 9), sigma_limit=(1.5, 1.5), p=1)),
         difference="sepFilter2D vs cv2.GaussianBlur's bit-exact path: equal here, up to one level elsewhere"),
    Case("jpeg_compression", "opencv", dict(quality=[60, 60]), "OpenCV codec (Albumentations' path)", _cv2_jpeg,
         difference="Albumentations' ImageCompression passes RGB to cv2.imencode as BGR, mixing chroma wrongly"),
    Case("jpeg_compression", "tensor", dict(quality=[60, 60]), "torchvision tensor", lambda im, p: _quiet(tv_tensor, F.jpeg, im, quality=60),
         convention="quality means libjpeg's quality (same tables, 4:2:0)"),
    Case("cutout", "erase", dict(count=[2, 2], fill=["zero"]), "torchvision tensor", _tv_erase, seed=3,
         convention="recorded boxes [x0, y0, x1, y1] = F.erase(i=y0, j=x0, h=y1-y0, w=x1-x0)"),
]

@dataclass(frozen=True)
class Checked:
    """An op compared by a test of its own in test_reference_agreement.py (statistics, or policy
    sub-ops run end to end), with what it measured, for the docs table."""

    test: str
    reference: str
    agreement: str
    convention: str = ""
    difference: str = ""


_POLICY = Checked(
    "test_policy_sub_ops_equal_torchvision_pil",
    "torchvision PIL (its policy code, float32 tables)",
    "every applied sub-op exact, except Color ≤ 2 and Sharpness ≤ 1 levels, Rotate < 3 % of pixels",
    "records carry torchvision's magnitude at the level, with its sign",
    "Color/Sharpness blend through OpenCV (round vs truncate); nearest Rotate samples at 1/1024 px; "
    "Solarize follows the PIL path (the tensor path can invert one level more)",
)

CHECKED_BY: dict[str, Checked] = {
    "salt_and_pepper": Checked(
        "test_salt_and_pepper_counts_equal_albumentations", "Albumentations SaltAndPepper",
        "equal counts of white and black pixels (positions: different seeded RNGs)",
        "floor(H·W·amount) pixels, half salt, all channels", "imgaug's Beta greys only as values: imgaug_soft",
    ),
    "gaussian_noise": Checked(
        "test_gaussian_noise_spread_equals_torchvision", "torchvision F.gaussian_noise recipe",
        "standard deviation within 1 %", "sigma in grey levels (torchvision: sigma / 255 on floats)",
    ),
    "autoaugment": _POLICY,
    "randaugment": _POLICY,
    "trivial_augment": _POLICY,
    "augmix": Checked(
        "test_augmix_equals_torchvision_recipe", "torchvision tensor (AugMix's recipe, recorded weights)",
        "≥ 40 dB (median 62 dB over 20 seeds)", "float32 mix, truncated, as torchvision",
        "sub-ops follow the PIL path; torchvision's AugMix runs them on tensors",
    ),
}

NO_COUNTERPART: dict[str, str] = {
    "elastic": "imgaug's displacement field comes from its own RNG and smoothing; torchvision's F.elastic and "
    "Albumentations' ElasticTransform take or draw other fields, so there are no shared params to pin",
    "rain": "imgaug's layered particle renderer; Albumentations' RandomRain draws straight line segments: a different effect",
    "snow": "imgaug's Snowflakes layers; Albumentations' RandomSnow brightens regions: a different effect",
    "fog": "imgaug's cloud layer; Albumentations' RandomFog draws circles: a different effect",
    "mixup": "torchvision's MixUp mixes float batches with λ from torch's global RNG; the blend formula is checked in test_image_ops",
    "cutmix": "torchvision's CutMix works on float batches with torch's global RNG; the pasted area = label weight is checked in test_image_ops",
}


def markdown_table() -> str:
    """The table docs/reference-agreement.md shows, measured now."""
    rows = [
        "| op | reference | agreement measured | convention checked | deliberate differences |",
        "|---|---|---|---|---|",
    ]
    for case in CASES:
        db, diff, _, _ = case.measure()
        shown = "exact" if db == math.inf else f"{db:.1f} dB, max {diff} level{'s' if diff != 1 else ''}"
        rows.append(f"| `{case.op}` ({case.name}) | {case.library} | {shown} | {case.convention or '—'} | {case.difference or '—'} |")
    for op, checked in sorted(CHECKED_BY.items()):
        rows.append(f"| `{op}` | {checked.reference} | {checked.agreement} | {checked.convention or '—'} | {checked.difference or '—'} |")
    for op, reason in sorted(NO_COUNTERPART.items()):
        rows.append(f"| `{op}` | no counterpart | — | — | {reason} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown_table())
