"""Every shipped preset: valid, complete, and exact through a YAML round trip."""

from __future__ import annotations

import json

import pytest
import yaml

import presets
from augmenters import Pipeline, PipelineError

from .contract_cases import inputs_for, partner_for

ALL_PRESETS = presets.names()


def test_foundation_presets_exist():
    assert {"light", "word_noise"} <= set(ALL_PRESETS)


@pytest.mark.parametrize("name", ALL_PRESETS)
def test_preset_file_is_complete(name):
    raw = yaml.safe_load(presets.preset_path(name).read_text(encoding="utf-8"))
    assert raw["schema"] == 1
    assert raw["name"] == name, "a preset's name is its file stem"
    assert raw["modality"] in ("image", "text")
    assert raw["description"].strip()
    assert "caution" in raw


@pytest.mark.parametrize("name", ALL_PRESETS)
def test_preset_round_trip_is_exact(name, tmp_path):
    pipeline = Pipeline.load(name)
    text = pipeline.to_yaml()
    again = Pipeline.from_yaml(text)
    assert again == pipeline
    assert again.to_yaml() == text
    saved = tmp_path / f"{name}.yaml"
    saved.write_text(text, encoding="utf-8")
    from_file = Pipeline.load(str(saved))
    for data in inputs_for(pipeline.modality).values():
        partners = [partner_for(data)] if pipeline.needs_partner else None
        for index in range(3):
            out1, rec1 = pipeline(data, seed=21, index=index, partners=partners)
            out2, rec2 = from_file(data, seed=21, index=index, partners=partners)
            assert json.dumps(rec1) == json.dumps({**rec2, "pipeline": rec1["pipeline"]})
            assert (out1 == out2).all() if hasattr(out1, "shape") else out1 == out2


def test_unknown_preset_names_the_choices():
    with pytest.raises(PipelineError, match="no preset named 'nope'.*light"):
        Pipeline.load("nope")


def test_preset_name_cannot_escape_the_folder():
    with pytest.raises(PipelineError, match="neither a file nor a preset"):
        Pipeline.load("../no_such_dir/light")
