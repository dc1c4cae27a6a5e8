"""The pipeline builder's state and its edits, as plain functions on plain data.

The state is the pipeline's own dict form (`Pipeline.to_dict()`), so what the UI holds
is exactly what YAML saves and what the CLI runs. A step is addressed by a position
`(i, j)`: node `i` of the pipeline, child `j` of a group (or `None` for a plain step).
Every edit returns a new state and leaves the old one alone, and an edit of a named
pipeline (a preset, a loaded file) renames it `<name> (edited)` with `based_on: <name>`,
so records, pins and saved files never claim to be the preset they no longer are.
"""

from __future__ import annotations

import copy
import functools
from typing import Any, Callable

from augmenters import Pipeline, registry
from augmenters.core.errors import PipelineError
from augmenters.pipeline import GROUP_KINDS, SCHEMA_VERSION, parse_node

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


EDITED = "{name} (edited)"


def edited(before: dict, after: dict) -> dict:
    """`after`, renamed as an edit of `before` when its steps changed and it had a name of its own."""
    name = before.get("name") or "custom"
    if after.get("steps") == before.get("steps") or name == "custom" or before.get("based_on"):
        return after
    return {**after, "name": EDITED.format(name=name), "based_on": name}


def _edit(action: Callable[..., dict]) -> Callable[..., dict]:
    @functools.wraps(action)
    def run(state: dict, *args: Any) -> dict:
        return edited(state, action(state, *args))

    return run


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


@_edit
def add_step(state: dict, op: str) -> dict:
    augmenter = registry.get(op)
    if augmenter.modality != state["modality"]:
        raise PipelineError(f"{op} is a {augmenter.modality} augmenter; this pipeline works on {state['modality']}")
    new = _copy(state)
    new["steps"].append({"op": op, "p": 1.0, "settings": augmenter.default_settings()})
    return new


@_edit
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


@_edit
def set_probability(state: dict, position: Position, p: float) -> dict:
    """The same check and wording as a YAML file's `p`: `step 2 (rotate): 'p' = 1.5 must be …`."""
    new = _copy(state)
    target = node_at(new, position)
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0.0 <= p <= 1.0:
        raise PipelineError(f"{where(state, position)}: 'p' = {p!r} must be a number from 0 to 1")
    target["p"] = float(p)
    return new


def node_at(state: dict, position: Position) -> dict:
    """A plain step, a group (`(i, None)` on a group) or a group's option."""
    i, j = position
    return _node(state, i) if j is None else step_at(state, position)


def describe_node(node: dict) -> str:
    return group_kind(node) or node["op"]


def _set_group(state: dict, i: int, key: str, value: Any) -> dict:
    """Set a group's `weights` or `n`, checked by the pipeline's own parser (the YAML wording)."""
    new = _copy(state)
    node = _node(new, i)
    if not group_kind(node):
        raise PipelineError(f"step {i + 1} is not a group")
    candidate = {**node, key: value}
    parsed = parse_node(candidate, f"step {i + 1} ({group_kind(node)})").to_dict()
    new["steps"][i] = {**candidate, key: parsed[key]}  # as the pipeline holds it: 3 -> 3.0
    return new


@_edit
def set_weight(state: dict, position: Position, weight: Any) -> dict:
    """One option's weight in a one_of group (the others keep theirs; unset weights are all 1)."""
    i, j = position
    node = _node(state, i)
    kind = group_kind(node)
    if kind != "one_of" or j is None or not 0 <= j < len(node[kind]):
        raise PipelineError(f"{describe_position(position)} is not an option of a one_of group")
    weights = list(node.get("weights") or [1.0] * len(node[kind]))
    weights[j] = weight
    return _set_group(state, i, "weights", weights)


@_edit
def set_count(state: dict, i: int, n: Any) -> dict:
    """How many options a some_of group applies: [low, high]."""
    return _set_group(state, i, "n", n)


def group_weights(node: dict) -> list[float]:
    kind = group_kind(node)
    return list(node.get("weights") or [1.0] * len(node[kind]))


def group_count(node: dict) -> list[int]:
    return list(node.get("n") or [1, len(node["some_of"])])


def group_title(node: dict) -> str:
    """Human words for a group: "pick one of", "pick 1–2 of"."""
    if group_kind(node) == "one_of":
        return "pick one of"
    low, high = group_count(node)
    return f"pick {low} of" if low == high else f"pick {low}–{high} of"


def where(state: dict, position: Position) -> str:
    """`step 2 (rotate)`, `step 3.1 (hflip)`, `step 4 (one_of)`: how messages name a place, as YAML errors do."""
    return f"{describe_position(position)} ({describe_node(node_at(state, position))})"


@_edit
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
    if "weights" in node:  # the removed option's weight goes with it
        del node["weights"][j]
    if "n" in node:  # a some_of group cannot apply more options than it has
        node["n"] = [min(v, len(node[kind])) for v in node["n"]]
    if len(node[kind]) == 1:
        new["steps"][i] = node[kind][0]
    return new


@_edit
def move(state: dict, i: int, delta: int) -> dict:
    """Move node `i` up (-1) or down (+1); moving past either end is a no-op."""
    new = _copy(state)
    _node(new, i)
    target = i + delta
    if 0 <= target < len(new["steps"]):
        steps = new["steps"]
        steps[i], steps[target] = steps[target], steps[i]
    return new


@_edit
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


@_edit
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
