"""Pipeline semantics: seeding, groups, probabilities, records, replay, labels, errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from augmenters import (
    Augmenter,
    Float,
    FloatRange,
    Partner,
    Pipeline,
    PipelineError,
    ReplayError,
    Spec,
    register,
    registry,
)
from augmenters.core.augmenter import uniform
from augmenters.core.errors import DuplicateAugmenterError, SettingsError, UnknownAugmenterError

from .conftest import make_photo_like

TEXT = "one two three four five six seven eight nine ten eleven twelve"


@pytest.fixture(scope="module")
def image():
    return make_photo_like(32, 40, 3)


@pytest.fixture(scope="module")
def blend_op():
    """A throwaway mixing op, to test partner handling and soft labels in the pipeline."""

    @register("test_blend")
    class Blend(Augmenter):
        modality = "image"
        family = "mix"
        description = "test only"
        needs_partner = True
        spec = Spec(FloatRange("self_weight", default=(0.3, 0.7), min=0.0, max=1.0, help="share of the original"))

        def sample(self, settings, data, rng, partner):
            return {"self_weight": uniform(rng, settings["self_weight"], 3)}

        def apply(self, data, params, partner):
            w = params["self_weight"]
            return np.rint(data * w + partner.data * (1 - w)).astype(np.uint8)

    yield "test_blend"
    registry.unregister("test_blend")


def test_same_seed_and_index_reproduce_everything(image):
    pipeline = Pipeline.load("light")
    a = pipeline(image, seed=7, index=2)
    b = pipeline(image, seed=7, index=2)
    assert np.array_equal(a[0], b[0]) and a[1] == b[1]
    assert a[1]["seed"] == 7 and a[1]["index"] == 2 and a[1]["pipeline"] == "light"


def test_index_changes_the_sample_but_not_other_samples(image):
    pipeline = Pipeline.load("light")
    records = [pipeline(image, seed=7, index=i)[1] for i in range(4)]
    assert len({json.dumps(r["steps"]) for r in records}) == 4
    # sample 3 alone equals sample 3 after the others: no hidden state between calls
    assert pipeline(image, seed=7, index=3)[1] == records[3]


def test_a_step_draw_never_shifts_another_step(image):
    """Changing one step's p or settings leaves every other step's params as they were."""
    base = Pipeline([{"op": "rotate"}, {"op": "color_jitter"}])
    changed = Pipeline([{"op": "rotate", "p": 0.0}, {"op": "color_jitter"}])
    more = Pipeline([{"op": "rotate", "settings": {"angle": [-90, 90]}}, {"op": "color_jitter"}, {"op": "hflip"}])
    for seed in range(5):
        jitter = base(image, seed=seed)[1]["steps"][1]
        assert changed(image, seed=seed)[1]["steps"][1] == jitter
        assert more(image, seed=seed)[1]["steps"][1] == jitter


def test_probability_is_honoured(image):
    pipeline = Pipeline([{"op": "hflip", "p": 0.3}])
    fired = sum(pipeline(image, seed=1, index=i)[1]["steps"][0]["applied"] for i in range(1000))
    assert 250 <= fired <= 350


def test_one_of_picks_exactly_one_and_records_it(image):
    pipeline = Pipeline([{"one_of": [{"op": "hflip"}, {"op": "rotate"}], "weights": [1, 3]}])
    picks = []
    for i in range(400):
        out, record = pipeline(image, seed=3, index=i)
        entry = record["steps"][0]
        assert entry["group"] == "one_of" and len(entry["chosen"]) == 1 and len(entry["steps"]) == 1
        assert entry["steps"][0]["op"] == ["hflip", "rotate"][entry["chosen"][0]]
        assert np.array_equal(pipeline.replay(image, record), out)
        picks.append(entry["chosen"][0])
    assert 0.65 <= np.mean(picks) <= 0.85  # weights 1:3


def test_some_of_applies_between_low_and_high_in_random_order(image):
    pipeline = Pipeline([{"some_of": ["hflip", "rotate", "color_jitter"], "n": [1, 2]}])
    orders = set()
    for i in range(200):
        out, record = pipeline(image, seed=4, index=i)
        chosen = record["steps"][0]["chosen"]
        assert 1 <= len(chosen) <= 2 and len(set(chosen)) == len(chosen)
        orders.add(tuple(chosen))
        assert np.array_equal(pipeline.replay(image, json.loads(json.dumps(record))), out)
    assert (0, 1) in orders and (1, 0) in orders


def test_replay_needs_no_rng_and_refuses_foreign_records(image):
    light = Pipeline.load("light")
    out, record = light(image, seed=9)
    assert np.array_equal(light.replay(image, record), out)
    other = Pipeline([{"op": "hflip"}])
    with pytest.raises(ReplayError, match="not in pipeline"):
        other.replay(image, record)
    with pytest.raises(ReplayError, match="no 'steps'"):
        light.replay(image, {"seed": 1})


def test_replay_detects_text_that_does_not_match_the_record():
    # TEXT is number words, which word ops protect by default.
    pipeline = Pipeline([{"op": "word_delete", "settings": {"aug_p": 0.3, "protect": False}}])
    _, record = pipeline(TEXT, seed=1)
    with pytest.raises(ReplayError, match="word_delete"):
        pipeline.replay("completely different words here", record)


def test_mixing_records_partner_and_soft_labels(image, blend_op):
    pipeline = Pipeline([{"op": blend_op}])
    partners = [Partner("cat_1.jpg", make_photo_like(32, 40, 3, seed=5), "cat"), Partner("dog_2.jpg", image[::-1].copy(), "dog")]
    out, record = pipeline(image, seed=2, partners=partners, label="bird")
    step = record["steps"][0]
    w = step["params"]["self_weight"]
    assert step["partner"]["id"] in ("cat_1.jpg", "dog_2.jpg")
    assert record["labels"] == {"bird": w, step["partner"]["label"]: pytest.approx(1 - w)}
    assert sum(record["labels"].values()) == pytest.approx(1.0)
    assert np.array_equal(pipeline.replay(image, record, partners=partners), out)
    with pytest.raises(ReplayError, match="partner"):
        pipeline.replay(image, record)
    with pytest.raises(PipelineError, match="partners="):
        pipeline(image, seed=2)


def test_wrong_data_is_refused_clearly(image):
    with pytest.raises(PipelineError, match="uint8 numpy array"):
        Pipeline.load("light")("not an image", seed=1)
    with pytest.raises(PipelineError, match="uint8"):
        Pipeline.load("light")(image.astype(np.float32), seed=1)
    with pytest.raises(PipelineError, match="take a str"):
        Pipeline.load("word_noise")(image, seed=1)
    with pytest.raises(PipelineError, match="seed must be"):
        Pipeline.load("light")(image, seed=-1)


def test_settings_errors_name_file_step_and_field(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "schema: 1\nname: bad\nmodality: text\ndescription: x\nsteps:\n"
        "  - op: word_swap\n  - op: word_delete\n    settings: {aug_p: 1.5}\n",
        encoding="utf-8",
    )
    with pytest.raises(PipelineError) as err:
        Pipeline.load(str(bad))
    assert str(err.value) == f"{bad}, step 2 (word_delete): 'aug_p' = 1.5 is above its maximum 1.0"


@pytest.mark.parametrize(
    "steps, message",
    [
        ([{"op": "nope"}], "unknown augmenter 'nope'"),
        ([{"op": "rotate", "settings": {"angel": 3}}], "unknown setting 'angel'"),
        ([{"op": "rotate", "settings": {"angle": [10, -10]}}], "low 10.0 is above high -10.0"),
        ([{"op": "rotate", "settings": {"angle": "big"}}], "not a .low, high. pair"),
        ([{"op": "rotate", "p": 2}], "'p' = 2 must be a number from 0 to 1"),
        ([{"op": "rotate", "when": 1}], "unknown key 'when'"),
        ([{"op": "rotate"}, {"op": "word_swap"}], "'word_swap' is a text augmenter, but this pipeline works on image"),
        ([{"some_of": ["hflip"], "n": [0, 3]}], "'n' = \\[0, 3\\]"),
        ([{"one_of": []}], "non-empty list"),
    ],
)
def test_invalid_pipelines_are_refused(steps, message):
    with pytest.raises(PipelineError, match=message):
        Pipeline.from_dict({"schema": 1, "name": "x", "steps": steps}, source="x.yaml")


def test_schema_and_yaml_errors():
    with pytest.raises(PipelineError, match="schema 2 is not supported"):
        Pipeline.from_dict({"schema": 2, "steps": [{"op": "hflip"}]})
    with pytest.raises(PipelineError, match="not valid YAML at line"):
        Pipeline.from_yaml("steps: [op: hflip\n  - x: {")
    with pytest.raises(PipelineError, match="'steps' must be a non-empty list"):
        Pipeline.from_yaml("name: x\n")


def test_spec_validation_messages():
    spec = Spec(Float("aug_p", default=0.1, min=0, max=1, help="h"))
    with pytest.raises(SettingsError, match=r"^op: 'aug_p' = 'x' is not a number$"):
        spec.validate({"aug_p": "x"}, "op")
    assert spec.validate({"aug_p": 1}, "op") == {"aug_p": 1.0}


def test_register_refuses_duplicates_and_unknown_names():
    with pytest.raises(DuplicateAugmenterError, match="'rotate' is taken"):

        @register("rotate")
        class Impostor(Augmenter):
            modality = "image"

    with pytest.raises(UnknownAugmenterError, match="unknown augmenter 'rotat'"):
        registry.get("rotat")
    assert registry.get("rotate").__class__.__name__ == "Rotate"
