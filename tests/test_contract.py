"""The augmenter contract, checked on every registered augmenter (new ops are covered automatically)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from augmenters import Pipeline, registry
from augmenters.core.augmenter import Augmenter
from augmenters.core.params import WHOLE, FloatRange
from augmenters.pipeline import Step, step_rng

from .contract_cases import CONTRACT_SETTINGS, CONTRACT_VARIANTS, RULE_SEEDS, inputs_for, partner_for

ALL = registry.names()
N_BOUND_SEEDS = 200


@pytest.fixture(scope="module")
def settings_for(tmp_path_factory):
    cache: dict[str, dict] = {}

    def get(name: str) -> dict:
        if name not in cache:
            overrides = CONTRACT_SETTINGS[name](tmp_path_factory) if name in CONTRACT_SETTINGS else {}
            cache[name] = registry.get(name).validate_settings(overrides)
        return cache[name]

    return get


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape and np.array_equal(a, b)
    return a == b


def _one_step(name: str, settings: dict, p: float = 1.0) -> Pipeline:
    return Pipeline([Step(op=name, p=p, settings=settings)], name=f"only_{name}")


def _call(pipeline: Pipeline, data, seed: int, index: int = 0):
    partners = [partner_for(data)] if pipeline.needs_partner else None
    return pipeline(data, seed=seed, index=index, partners=partners, label="a")


def _readonly(data):
    if isinstance(data, np.ndarray):
        data = data.copy()
        data.flags.writeable = False
    return data


def test_every_plugin_module_imports():
    assert registry.import_errors == {}


def test_registry_has_the_foundation_ops():
    assert {"rotate", "hflip", "color_jitter", "word_swap", "word_delete"} <= set(ALL)


@pytest.mark.parametrize("name", ALL)
def test_metadata_and_defaults(name):
    aug = registry.get(name)
    assert aug.name == name
    assert aug.modality in ("image", "text")
    assert aug.family and aug.description
    defaults = aug.validate_settings({})
    assert defaults == aug.default_settings()
    assert aug.validate_settings(defaults) == defaults  # validating twice changes nothing
    described = aug.describe()
    assert json.loads(json.dumps(described)) == described
    assert described["status"] in ("ok", "needs_model", "disabled")
    for param in described["params"]:
        assert param["help"], f"{name}.{param['name']} needs help text for the UI"


@pytest.mark.parametrize("name", ALL)
def test_health_is_ok_in_ci(name):
    # CI installs every dependency, data file and test model: nothing may be quietly unavailable.
    health = registry.get(name).health()
    assert health.status == "ok", f"{name}: {health.status}: {health.reason}"


def rule_problems(aug, settings: dict, data, params: dict, extra: dict) -> list[str]:
    """What is wrong with `params` by the op's declared rules; a key without a rule is wrong too."""
    rules = dict(aug.param_rules(settings, data, **extra))
    whole = rules.pop(WHOLE, None)
    problems = [f"param {key!r} has no rule in param_rules" for key in sorted(set(params) - set(rules))]
    problems += [f"rule for {key!r}, which sample does not return" for key in sorted(set(rules) - set(params))]
    for key in sorted(set(rules) & set(params)):
        problem = rules[key].problem(params[key])
        if problem:
            problems.append(f"{key}: {problem}")
    if whole is not None and not problems:
        problem = whole.problem(params)
        if problem:
            problems.append(f"params as a whole: {problem}")
    return problems


def _check_rules(name: str, settings: dict, seeds: int) -> None:
    aug = registry.get(name)
    for kind, data in inputs_for(aug.modality, name).items():
        extra = {"partner": partner_for(data)} if aug.needs_partner else {}
        for seed in range(seeds if kind != "rgba" else 20):
            params = aug.sample(settings, data, step_rng(seed, 0, 0), **extra)
            assert json.loads(json.dumps(params)) == params, f"{name}: params must be plain JSON"
            problems = rule_problems(aug, settings, data, params, extra)
            assert problems == [], f"{name} on {kind}, seed {seed}: {problems}"


@pytest.mark.parametrize("name", ALL)
def test_sampled_params_follow_the_declared_rules_and_are_json(name, settings_for):
    # Every op declares how each drawn param relates to its settings (Augmenter.param_rules).
    _check_rules(name, settings_for(name), RULE_SEEDS.get(name, N_BOUND_SEEDS))


@pytest.mark.parametrize("name, overrides", CONTRACT_VARIANTS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CONTRACT_VARIANTS)])
def test_rules_hold_for_other_settings_too(name, overrides):
    # Flags that change what is drawn (one pad for all sides, one zoom, a fixed order, ...).
    _check_rules(name, registry.get(name).validate_settings(overrides), 50)


def test_an_op_without_rules_for_its_params_fails_the_contract():
    class Forgetful(Augmenter):
        modality = "image"

        def sample(self, settings, data, rng):
            return {"angle": 3.0}

    class Partial(Forgetful):
        def param_rules(self, settings, data):
            return {}

    data = inputs_for("image")["rgb"]
    with pytest.raises(NotImplementedError, match="declare param_rules"):
        rule_problems(Forgetful(), {}, data, {"angle": 3.0}, {})
    assert rule_problems(Partial(), {}, data, {"angle": 3.0}, {}) == ["param 'angle' has no rule in param_rules"]
    assert rule_problems(registry.get("rotate"), registry.get("rotate").validate_settings({"angle": [0, 10]}), data,
                         {"angle": 11.0, "expand": False, "border": "constant", "fill": 0, "transparent_fill": True,
                          "interpolation": "bilinear"}, {}) == ["angle: 11.0 is outside [0.0, 10.0]"]


@pytest.mark.parametrize("name", ALL)
def test_different_seeds_give_different_outputs(name, settings_for):
    aug = registry.get(name)
    if aug.deterministic:
        assert not any(isinstance(p, FloatRange) for p in aug.spec), "a deterministic op has nothing to draw"
        return
    pipeline = _one_step(name, settings_for(name))
    for kind, data in inputs_for(aug.modality, name).items():
        outputs = [_call(pipeline, data, seed=s)[0] for s in range(6)]
        distinct = [o for i, o in enumerate(outputs) if not any(_same(o, outputs[j]) for j in range(i))]
        assert len(distinct) >= 3, f"{name} on {kind}: seeds 0-5 gave only {len(distinct)} distinct outputs"


@pytest.mark.parametrize("name", ALL)
def test_replay_reproduces_output(name, settings_for):
    pipeline = _one_step(name, settings_for(name))
    for data in inputs_for(pipeline.modality, name).values():
        for seed in (0, 1, 2):
            out, record = _call(pipeline, data, seed=seed)
            record = json.loads(json.dumps(record))  # a record read back from disk
            partners = [partner_for(data)] if pipeline.needs_partner else None
            assert _same(pipeline.replay(data, record, partners=partners), out)


@pytest.mark.parametrize("name", ALL)
def test_p_zero_is_identity(name, settings_for):
    pipeline = _one_step(name, settings_for(name), p=0.0)
    for data in inputs_for(pipeline.modality, name).values():
        out, record = _call(pipeline, data, seed=5)
        assert _same(out, data)
        assert record["steps"][0]["applied"] is False


@pytest.mark.parametrize("name", ALL)
def test_apply_never_mutates_its_input(name, settings_for):
    aug = registry.get(name)
    for data in inputs_for(aug.modality, name).values():
        frozen = _readonly(data)  # an in-place write would raise here
        before = frozen.copy() if isinstance(frozen, np.ndarray) else frozen
        extra = {"partner": partner_for(data)} if aug.needs_partner else {}
        params = aug.sample(settings_for(name), frozen, step_rng(4, 0, 0), **extra)
        aug.apply(frozen, params, **extra)
        assert _same(frozen, before)


@pytest.mark.parametrize("name", ALL)
def test_output_type_and_shape_as_declared(name, settings_for):
    aug = registry.get(name)
    pipeline = _one_step(name, settings_for(name))
    for data in inputs_for(aug.modality, name).values():
        for seed in range(5):
            out, _ = _call(pipeline, data, seed=seed)
            if aug.modality == "text":
                assert isinstance(out, str)
                continue
            assert isinstance(out, np.ndarray) and out.dtype == np.uint8
            assert out.flags.c_contiguous, f"{name}: outputs must be C-contiguous arrays"
            # A new array, always: writing to the output must never change the input (p = 0 aside).
            assert not np.shares_memory(out, data), f"{name}: the output is a view of the input"
            if aug.keeps_mode:
                assert out.ndim == data.ndim and out.shape[2:] == data.shape[2:], f"{name} changed the image mode"
            if aug.keeps_size:
                assert out.shape[:2] == data.shape[:2], f"{name} declares keeps_size but changed the size"
