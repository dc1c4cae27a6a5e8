"""The pipeline builder's state and its edits, as plain functions on plain data.

The state is the pipeline's own dict form (`Pipeline.to_dict()`), so what the UI holds
is exactly what YAML saves and what the CLI runs. A step is addressed by a position
`(i, j)`: node `i` of the pipeline, child `j` of a group (or `None` for a plain step).
Every edit returns a new state and leaves the old one alone.
"""

from __future__ import annotations

import copy
from typing import Any

from augmenters import Pipeline, registry
from augmenters.core.errors import PipelineError
from augmenters.pipeline import GROUP_KINDS, SCHEMA_VERSION

Position = tuple[int, "int | None"]


def empty(modality: str) -> dict:
    return {
        "schema": SCHEMA_VERSION,
        "name": "custom",
        "modality": modality,
        "description": "",
        "caution": "",
        "steps": [],
    }


def from_pipeline(pipeline: Pipeline) -> dict:
    return pipeline.to_dict()


def group_kind(node: dict) -> str | None:
    return next((kind for kind in GROUP_KINDS if kind in node), None)


def _copy(state: dict) -> dict:
    return copy.deepcopy(state)


def _node(state: dict, i: int) -> dict:
    steps = state["steps"]
    if not 0 <= i < len(steps):
        raise PipelineError(f"there is no step {i + 1} (the pipeline has {len(steps)})")
    return steps[i]


def step_at(state: dict, position: Position) -> dict:
    i, j = position
    node = _node(state, i)
    kind = group_kind(node)
    if j is None:
        if kind:
            raise PipelineError(f"step {i + 1} is a {kind} group, not a single op")
        return node
    if not kind or not 0 <= j < len(node[kind]):
        raise PipelineError(f"step {i + 1} has no option {j + 1}")
    return node[kind][j]


def add_step(state: dict, op: str) -> dict:
    augmenter = registry.get(op)
    if augmenter.modality != state["modality"]:
        raise PipelineError(f"{op} is a {augmenter.modality} augmenter; this pipeline works on {state['modality']}")
    new = _copy(state)
    new["steps"].append({"op": op, "p": 1.0, "settings": augmenter.default_settings()})
    return new


def set_setting(state: dict, position: Position, name: str, value: Any) -> dict:
    """Validate one value against the op's spec; the message names the step and field."""
    new = _copy(state)
    step = step_at(new, position)
    param = registry.get(step["op"]).spec.get(name)
    if param is None:
        raise PipelineError(f"{step['op']} has no setting {name!r}")
    try:
        step["settings"][name] = param.validate(value)
    except ValueError as exc:
        raise PipelineError(f"{describe_position(position)} ({step['op']}): {name!r} = {exc}") from None
    return new


def set_probability(state: dict, position: Position, p: float) -> dict:
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0.0 <= p <= 1.0:
        raise PipelineError(f"{describe_position(position)}: p = {p!r} must be a number from 0 to 1")
    new = _copy(state)
    i, j = position
    target = _node(new, i) if j is None else step_at(new, position)
    target["p"] = float(p)
    return new


def remove(state: dict, position: Position) -> dict:
    """Remove a step or a whole group; a group left with one option becomes that step."""
    new = _copy(state)
    i, j = position
    node = _node(new, i)
    if j is None:
        del new["steps"][i]
        return new
    kind = group_kind(node)
    step_at(new, position)
    del node[kind][j]
    node.pop("weights", None)  # weights are per option; drop them rather than misalign them
    node.pop("n", None)
    if len(node[kind]) == 1:
        new["steps"][i] = node[kind][0]
    return new


def move(state: dict, i: int, delta: int) -> dict:
    """Move node `i` up (-1) or down (+1); moving past either end is a no-op."""
    new = _copy(state)
    _node(new, i)
    target = i + delta
    if 0 <= target < len(new["steps"]):
        steps = new["steps"]
        steps[i], steps[target] = steps[target], steps[i]
    return new


def group_with_next(state: dict, i: int) -> dict:
    """Merge node `i` and the node after it into one `one_of` group (the pipeline picks one)."""
    new = _copy(state)
    node = _node(new, i)
    if i + 1 >= len(new["steps"]):
        raise PipelineError(f"step {i + 1} is the last one: there is no next step to group it with")
    nxt = new["steps"][i + 1]
    options = node[group_kind(node)] if group_kind(node) else [node]
    options = options + (nxt[group_kind(nxt)] if group_kind(nxt) else [nxt])
    p = node.get("p", 1.0) if group_kind(node) else 1.0
    new["steps"][i : i + 2] = [{"one_of": options, "p": p}]
    return new


def ungroup(state: dict, i: int) -> dict:
    new = _copy(state)
    node = _node(new, i)
    kind = group_kind(node)
    if not kind:
        raise PipelineError(f"step {i + 1} is not a group")
    new["steps"][i : i + 1] = node[kind]
    return new


def to_pipeline(state: dict) -> Pipeline:
    """The runnable pipeline; an empty builder gets a message, not a stack trace."""
    if not state.get("steps"):
        raise PipelineError("the pipeline is empty: add a step or pick a preset first")
    return Pipeline.from_dict(state, source="pipeline")


def describe_position(position: Position) -> str:
    i, j = position
    return f"step {i + 1}" if j is None else f"step {i + 1}.{j + 1}"
