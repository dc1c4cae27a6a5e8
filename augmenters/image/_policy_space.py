"""Magnitude tables of the policy augmenters, and how one sub-op is drawn and recorded.

A space maps each sub-op to how its magnitude grows with the level (bin index) and whether
a random sign applies, as torchvision's `_AUGMENTATION_SPACE` tables define them:
- STANDARD: AutoAugment and RandAugment (Cubuk et al. 2019, 2020).
- WIDE: TrivialAugmentWide (Müller & Hutter 2021), larger ranges.
- AUGMIX: AugMix (Hendrycks et al. 2020); the last four only with `all_ops`.
The drawn sub-op is recorded in human units (degrees, pixels, factor, bits, threshold), and
`_policy_ops` applies exactly that record.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..core.params import Check


@dataclass(frozen=True)
class Magnitude:
    """How one sub-op's magnitude depends on the level.

    kind: "none" (no magnitude), "linear" (0 → top), "width"/"height" (0 → top × image side),
    "posterize" (bits from `top` down by `span`), "solarize" (threshold fraction 1 → 0).
    """

    kind: str
    top: float = 0.0
    signed: bool = False
    span: float = 0.0


_NONE = Magnitude("none")
_FACTOR = ("Brightness", "Color", "Contrast", "Sharpness")


def _geometry(shear: float, translate: float, rotate: float, per_side: bool) -> dict[str, Magnitude]:
    """Shear factor, translation (pixels, or a fraction of the side when `per_side`), degrees."""
    x_kind, y_kind = ("width", "height") if per_side else ("linear", "linear")
    return {
        "ShearX": Magnitude("linear", shear, signed=True),
        "ShearY": Magnitude("linear", shear, signed=True),
        "TranslateX": Magnitude(x_kind, translate, signed=True),
        "TranslateY": Magnitude(y_kind, translate, signed=True),
        "Rotate": Magnitude("linear", rotate, signed=True),
    }


def _enhance(top: float) -> dict[str, Magnitude]:
    """Brightness, Color, Contrast, Sharpness: factor 1 ± magnitude."""
    return {name: Magnitude("linear", top, signed=True) for name in _FACTOR}


def _tone(posterize_bits: int, posterize_span: int) -> dict[str, Magnitude]:
    return {
        "Posterize": Magnitude("posterize", posterize_bits, span=posterize_span),
        "Solarize": Magnitude("solarize"),
        "AutoContrast": _NONE,
        "Equalize": _NONE,
    }


STANDARD: dict[str, Magnitude] = {**_geometry(0.3, 150.0 / 331.0, 30.0, True), **_enhance(0.9), **_tone(8, 4)}

# AutoAugment's tables may also invert; RandAugment may also do nothing.
AUTOAUGMENT: dict[str, Magnitude] = {**STANDARD, "Invert": _NONE}
RANDAUGMENT: dict[str, Magnitude] = {"Identity": _NONE, **STANDARD}

WIDE: dict[str, Magnitude] = {"Identity": _NONE, **_geometry(0.99, 32.0, 135.0, False), **_enhance(0.99), **_tone(8, 6)}

AUGMIX_PARTIAL: dict[str, Magnitude] = {**_geometry(0.3, 1.0 / 3.0, 30.0, True), **_tone(4, 4)}
AUGMIX_ALL: dict[str, Magnitude] = {**AUGMIX_PARTIAL, **_enhance(0.9)}
AUGMIX_LEVELS = 10  # AugMix's severity picks among the first `severity` of 10 levels

# How each sub-op's magnitude is written in a record, and to how many digits.
_SHEAR = ("ShearX", "ShearY")
_TRANSLATE = ("TranslateX", "TranslateY")


def linspace32(start: float, end: float, bins: int) -> np.ndarray:
    """`torch.linspace(start, end, bins)` in float32, bit for bit: torch counts up from `start`
    for the first half and down from `end` for the second, each value one fused multiply-add
    (computed here in float64, where the product is exact, then rounded once)."""
    start32, end32 = np.float32(start), np.float32(end)
    if bins == 1:
        return np.array([start32])
    step = float((end32 - start32) / np.float32(bins - 1))
    index = np.arange(bins)
    up = float(start32) + step * index
    down = float(end32) - step * (bins - 1 - index)
    return np.where(index < bins // 2, up, down).astype(np.float32)


def magnitudes(magnitude: Magnitude, bins: int, height: int, width: int) -> np.ndarray | None:
    """The value of each level (bin), exactly as torchvision's float32 tables hold them (level 15
    of TrivialAugment's 31 translate bins is 15.999999, which truncates to 15 px); None for ops
    without one."""
    if magnitude.kind == "none":
        return None
    if magnitude.kind == "linear":
        return linspace32(0.0, magnitude.top, bins)
    if magnitude.kind == "width":
        return linspace32(0.0, magnitude.top * width, bins)
    if magnitude.kind == "height":
        return linspace32(0.0, magnitude.top * height, bins)
    if magnitude.kind == "posterize":
        # float32 and round-half-to-even, as torch computes it, so the bit counts agree exactly
        steps = np.arange(bins).astype(np.float32) / np.float32((bins - 1) / magnitude.span)
        return np.round(np.float32(magnitude.top) - steps).astype(np.int64)
    if magnitude.kind == "solarize":
        return linspace32(1.0, 0.0, bins)
    raise ValueError(f"unknown magnitude kind {magnitude.kind!r}")


def _short(value: float) -> float:
    """A float32 value as the shortest decimal that is still that float32 (0.2, 15.999999):
    readable in a record, and the same number torchvision computes with."""
    return float(str(np.float32(value)))


def record(name: str, level: int | None, value: float | None, negative: bool) -> dict:
    """A sub-op in human units; `apply` needs nothing else.

    `value` is the table's float32 magnitude; records keep it to float32 precision (not rounded
    further), so replay computes with the numbers torchvision's policies use."""
    entry: dict = {"op": name}
    if value is None:
        return entry
    entry["level"] = int(level)  # type: ignore[arg-type]
    signed = -float(value) if negative and value else float(value)  # never a "-0.0" in a record
    if name in _SHEAR:
        entry["shear"] = _short(signed)
    elif name in _TRANSLATE:
        entry["pixels"] = int(signed)  # torchvision truncates toward zero
    elif name == "Rotate":
        entry["degrees"] = _short(signed)
    elif name in _FACTOR:
        entry["factor"] = _short(1.0 + signed)  # Pillow blends with a C float
    elif name == "Posterize":
        entry["bits"] = int(value)
    elif name == "Solarize":
        # Pillow inverts the levels i with not (i < 255·m): the first of them is the threshold.
        # (torchvision's tensor path compares in float32, which can round 153.0000023 down
        # to 153 and invert one level more; see docs/reference-agreement.md.)
        entry["threshold"] = math.ceil(255.0 * float(value))
    else:
        raise ValueError(f"sub-op {name!r} takes no magnitude")
    return entry


# How each recorded magnitude reads in a caption: "Rotate 12°", "Posterize 5 bits".
_UNITS = {"degrees": "{}°", "pixels": "{} px", "bits": "{} bits", "factor": "×{}", "shear": "{}", "threshold": "≥{}"}


def short_form(op: dict) -> str:
    """One recorded sub-op as a human reads it, numbers to 4 significant digits."""
    from ..core.summary import number

    shown = [_UNITS[key].format(number(value)) for key, value in op.items() if key in _UNITS]
    return " ".join([str(op.get("op")), *shown])


def short_forms(ops: list[dict]) -> str:
    """`Rotate 12° · Posterize 5 bits`; a policy that applied nothing says so."""
    return " · ".join(short_form(op) for op in ops) if ops else "no sub-op applied"


def draw(
    space: dict[str, Magnitude], name: str, level: int | None, bins: int, size: tuple[int, int], rng: np.random.Generator
) -> dict:
    """Record sub-op `name` at `level`; a signed magnitude is negated half the time.

    The sign is drawn for every sub-op, signed or not, so each sub-op takes a fixed number of
    draws and what follows in the stream does not depend on which op came first.
    """
    magnitude = space[name]
    negative = bool(rng.random() <= 0.5) and magnitude.signed
    values = magnitudes(magnitude, bins, *size)
    if values is None:
        return record(name, None, None, False)
    return record(name, level, float(values[level]), negative)


def draw_any(
    space: dict[str, Magnitude], bins: int, size: tuple[int, int], rng: np.random.Generator, level: int | None = None,
    levels: int | None = None,
) -> dict:
    """A sub-op picked uniformly from `space`, at `level`, or else at a level drawn from the first
    `levels` bins. Draws level, op, then sign, each every time: a fixed number of draws per sub-op."""
    drawn = int(rng.integers(levels or bins))
    names = tuple(space)
    name = names[int(rng.integers(len(names)))]
    return draw(space, name, drawn if level is None else level, bins, size, rng)


def sub_op_rule(space: dict[str, Magnitude], bins: int, size: tuple[int, int], levels: int | None = None) -> Check:
    """The bounds contract for one recorded sub-op: a name from `space`, a level below `levels`
    (default: all `bins`), and exactly the record `draw` makes of that level's magnitude, either sign."""

    def valid(op: object) -> bool:
        name = op.get("op") if isinstance(op, dict) else None
        if name not in space:
            return False
        values = magnitudes(space[name], bins, *size)
        if values is None:
            return op == {"op": name}
        level = op.get("level")
        if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level < (levels or bins):
            return False
        value = float(values[level])
        return op in (record(name, level, value, False), record(name, level, value, space[name].signed))

    return Check(valid, f"a sub-op of the table ({len(space)} ops, {bins} bins) recorded at its level's magnitude")
