"""Tile captions: each op's own short form, numbers to 4 significant digits, records untouched."""

from __future__ import annotations

import copy
import re

import numpy as np
import pytest

from app.previews import caption
from augmenters import Pipeline, registry
from augmenters.core.augmenter import Partner
from augmenters.core.summary import generic, number

from .conftest import make_photo_like

POLICIES = ("autoaugment", "randaugment", "trivial_augment", "augmix")
_DECIMAL = re.compile(r"\d+\.\d+")


def _too_long(text: str) -> list[str]:
    """Decimals in `text` with more than 4 significant digits (whole numbers stay whole)."""
    return [m for m in _DECIMAL.findall(text) if len(m.replace(".", "").lstrip("0")) > 4]


@pytest.mark.parametrize(
    "value, shown",
    [
        (0.7312345678901234, "0.7312"),
        (123.456, "123.5"),
        (12.5, "12.5"),
        (-0.06666667, "-0.06667"),
        (0.000123456, "0.0001235"),
        (15.999999, "16"),
        (1.0, "1"),
        (1234, "1234"),  # whole numbers (pixels, box corners) stay whole
        (0.1 + 0.2, "0.3"),
    ],
)
def test_numbers_are_cut_to_four_significant_digits(value, shown):
    assert number(value) == shown


def test_generic_summary_leaves_out_flags_choices_and_echoed_settings():
    params = {"angle": 12.345678, "expand": False, "border": "reflect", "fill": 0, "box": [1, 2, 3, 4]}
    assert generic(params, {"fill": 0}) == "angle=12.35, box=[1, 2, 3, 4]"
    assert generic({"values": list(range(9))}) == "values=[9 items]"


def test_policy_caption_names_the_applied_sub_ops_not_the_table():
    record = {
        "index": 2,
        "steps": [
            {
                "op": "autoaugment",
                "applied": True,
                "params": {
                    "policy": "imagenet",
                    "sub_policy": {"index": 3, "table": [["Rotate", 0.6, 8], ["Posterize", 0.6, 5]]},
                    "ops": [{"op": "Rotate", "level": 8, "degrees": 12.000001}, {"op": "Posterize", "level": 5, "bits": 5}],
                    "fill": 128,
                    "transparent_fill": True,
                    "interpolation": "nearest",
                },
            }
        ],
    }
    shown = caption(record)
    assert shown == "#2 autoaugment(Rotate 12° · Posterize 5 bits)"
    assert "sub_policy" not in shown


@pytest.mark.parametrize("name", POLICIES)
def test_every_policy_caption_lists_its_recorded_sub_ops_in_short_form(name):
    augmenter = registry.get(name)
    image = make_photo_like(48, 64, 3)
    for seed in range(6):
        params = augmenter.sample(augmenter.default_settings(), image, np.random.default_rng(seed))
        kept = copy.deepcopy(params)
        text = augmenter.summarize(params, augmenter.default_settings())
        assert params == kept  # the record is not touched
        ops = [op for chain in params.get("chains", [params]) for op in chain["ops"]]
        for op in ops:
            assert op["op"] in text
        assert "{" not in text and "level" not in text and not _too_long(text), text


def _mixed(name: str, seed: int) -> dict:
    image, other = make_photo_like(40, 50, 3), make_photo_like(30, 30, 3)
    _, record = Pipeline.load(name)(image, seed=seed, partners=Partner("b.jpg", other, "dog"), label="cat")
    return record


@pytest.mark.parametrize("name", ["cutmix", "mixup"])
def test_mixing_captions_show_one_label_weight_to_four_digits(name):
    for seed in range(5):
        record = _mixed(name, seed)
        text = caption(record, Pipeline.load(name).to_dict())
        params = record["steps"][0]["params"]
        assert f"[cat {number(params['self_weight'])}, dog {number(record['labels']['dog'])}]" in text
        assert "lam" not in text and "self_weight" not in text  # the weight is shown once, in front
        assert not _too_long(text), text
    assert "box [" in caption(_mixed("cutmix", 0))


def test_captions_of_every_image_preset_keep_numbers_short():
    image, other = make_photo_like(48, 64, 3), make_photo_like(48, 64, 3)
    for name in ("light", "keras_imagedatagenerator", "geometric_strong", "autoaugment_imagenet", "trivial_augment"):
        pipeline = Pipeline.load(name)
        for seed in range(3):
            partners = Partner("b.jpg", other, "b") if pipeline.needs_partner else None
            _, record = pipeline(image, seed=seed, partners=partners)
            text = caption(record, pipeline.to_dict())
            assert not _too_long(text), text
