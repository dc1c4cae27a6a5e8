"""`augplay preview` on a real-looking photo works for every image preset (mixing presets with --partner)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

import presets
from app.cli import main
from augmenters import Pipeline

from .conftest import make_photo_like

IMAGE_PRESETS = [name for name in presets.names() if Pipeline.load(name).modality == "image"]


def test_the_image_catalogue_presets_exist():
    assert {"keras_imagedatagenerator", "geometric_strong", "document_safe", "medical_safe", "mixup", "cutmix"} <= set(
        IMAGE_PRESETS
    )


@pytest.mark.parametrize("name", IMAGE_PRESETS)
def test_preview_writes_n_samples_and_records(name, tmp_path):
    photo, partner = tmp_path / "photo.png", tmp_path / "partner.jpg"
    Image.fromarray(make_photo_like(96, 128, 3, seed=1)).save(photo)
    Image.fromarray(make_photo_like(80, 60, 3, seed=2)).save(partner)
    out = tmp_path / "out"
    args = ["preview", "--pipeline", name, "--input", str(photo), "--n", "4", "--seed", "1", "--out", str(out)]
    if Pipeline.load(name).needs_partner:
        args += ["--partner", str(partner)]
    assert main(args) == 0
    records = [json.loads(line) for line in (out / "records.jsonl").read_text().splitlines()]
    assert [r["index"] for r in records] == [0, 1, 2, 3]
    for record in records:
        image = np.asarray(Image.open(out / record["output"]))
        assert image.dtype == np.uint8 and image.ndim == 3
        if Pipeline.load(name).needs_partner:
            assert record["steps"][0]["partner"]["id"] == "partner.jpg"


def test_keras_preset_matches_the_keras_settings():
    step = Pipeline.load("keras_imagedatagenerator").to_dict()["steps"][0]["settings"]
    assert step["angle"] == [-40.0, 40.0]
    assert step["translate_x"] == step["translate_y"] == [-0.2, 0.2]
    assert step["scale"] == [0.8, 1.2] and step["keep_aspect"] is False  # Keras zooms x and y separately
    assert step["shear_x"] == [-0.2, 0.2]  # Keras' shear_range is in degrees
    assert step["border"] == "replicate"  # fill_mode="nearest"
