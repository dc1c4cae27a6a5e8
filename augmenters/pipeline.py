"""Seeded pipelines with provenance: `pipeline(data, seed, index, source=ID) -> (output, record)`.

Randomness: one SeedSequence per (seed, source id, sample index) and one child stream per
step, keyed by the step's position, so one step's draw count never shifts another's and a
sample does not depend on what ran before it, nor on which other items a dataset holds. `replay(data, record)` re-applies the
recorded params with no RNG at all.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Protocol, Sequence, Union

import numpy as np
import yaml

from .core.augmenter import Augmenter, Partner
from .core.errors import AugmenterUnavailableError, AugplayError, PipelineError, ReplayError, SettingsError
from .core.registry import registry

SCHEMA_VERSION = 1
GROUP_KINDS = ("one_of", "some_of")
MAX_SEED = 2**63 - 1
MAX_ATTEMPTS = 5  # how often a text sample under min_similarity is drawn again
LABEL_DIGITS = 12  # soft-label weights lose float noise (1 - 0.9994 = 0.0006000000000000449), keep exact ratios
# Re-draws live under this spawn-key branch; step positions never get this large.
_RETRY_BRANCH = 2**31


# -- structure ---------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One augmenter with its probability and validated settings."""

    op: str
    p: float = 1.0
    settings: dict = field(default_factory=dict)

    @property
    def augmenter(self) -> Augmenter:
        return registry.get(self.op)

    def to_dict(self) -> dict:
        return {"op": self.op, "p": self.p, "settings": copy.deepcopy(self.settings)}


@dataclass(frozen=True)
class Group:
    """`one_of` picks one child (by `weights`); `some_of` picks k in `n` children, in random order."""

    kind: str
    steps: tuple[Step, ...]
    p: float = 1.0
    n: tuple[int, int] | None = None  # some_of only
    weights: tuple[float, ...] | None = None  # one_of only

    def to_dict(self) -> dict:
        out: dict[str, Any] = {self.kind: [s.to_dict() for s in self.steps], "p": self.p}
        if self.n is not None:
            out["n"] = list(self.n)
        if self.weights is not None:
            out["weights"] = list(self.weights)
        return out


Node = Union[Step, Group]


class PartnerSource(Protocol):
    """Where mixing ops get their second sample: drawn with the step's rng, found again by id."""

    def draw(self, rng: np.random.Generator) -> Partner: ...

    def get(self, partner_id: str) -> Partner: ...


class PartnerList:
    """The simplest partner source: a fixed list (a dataset, or the images a user uploaded)."""

    def __init__(self, partners: Sequence[Partner]):
        self._partners = list(partners)
        self._by_id = {p.id: p for p in self._partners}
        if len(self._by_id) != len(self._partners):
            raise PipelineError("partner ids must be unique")

    def draw(self, rng: np.random.Generator) -> Partner:
        if not self._partners:
            raise PipelineError("no partner samples to mix with")
        return self._partners[int(rng.integers(len(self._partners)))]

    def get(self, partner_id: str) -> Partner:
        try:
            return self._by_id[partner_id]
        except KeyError:
            raise ReplayError(f"the record mixes with partner {partner_id!r}, which was not supplied") from None


def as_partner_source(partners: PartnerSource | Sequence[Partner] | Partner | None) -> PartnerSource | None:
    if partners is None or hasattr(partners, "draw"):
        return partners  # type: ignore[return-value]
    if isinstance(partners, Partner):
        return PartnerList([partners])
    return PartnerList(list(partners))


# -- parsing -------------------------------------------------------------------------


def _check_probability(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise PipelineError(f"{where}: 'p' = {value!r} must be a number from 0 to 1")
    return float(value)


def _parse_step(raw: Any, where: str) -> Step:
    if isinstance(raw, str):
        raw = {"op": raw}
    if not isinstance(raw, dict) or "op" not in raw:
        raise PipelineError(f"{where}: a step needs an 'op' (an augmenter name), got {raw!r}")
    extra = sorted(set(raw) - {"op", "p", "settings"})
    if extra:
        raise PipelineError(f"{where}: unknown key {extra[0]!r} (a step has op, p, settings)")
    op = raw["op"]
    if not isinstance(op, str):
        raise PipelineError(f"{where}: 'op' must be an augmenter name, got {op!r}")
    where = f"{where} ({op})"
    try:
        augmenter = registry.get(op)
    except AugplayError as exc:
        raise PipelineError(f"{where}: {exc}") from None
    settings = raw.get("settings") or {}
    if not isinstance(settings, dict):
        raise PipelineError(f"{where}: 'settings' must be a mapping of setting names to values")
    p = _check_probability(raw.get("p", 1.0), where)
    try:
        validated = augmenter.validate_settings(settings, where)
    except SettingsError as exc:
        raise PipelineError(str(exc)) from None
    return Step(op=op, p=p, settings=validated)


def _parse_node(raw: Any, where: str) -> Node:
    kinds = [k for k in GROUP_KINDS if isinstance(raw, dict) and k in raw]
    if not kinds:
        return _parse_step(raw, where)
    if len(kinds) > 1:
        raise PipelineError(f"{where}: a group is either one_of or some_of, not both")
    kind = kinds[0]
    extra = sorted(set(raw) - {kind, "p", "n", "weights"})
    if extra:
        raise PipelineError(f"{where}: unknown key {extra[0]!r} in a {kind} group")
    children = raw[kind]
    if not isinstance(children, list) or not children:
        raise PipelineError(f"{where}: {kind} needs a non-empty list of steps")
    steps = tuple(_parse_step(child, f"{where}.{j + 1}") for j, child in enumerate(children))
    p = _check_probability(raw.get("p", 1.0), where)
    n = weights = None
    if kind == "some_of":
        if "weights" in raw:
            raise PipelineError(f"{where}: 'weights' belongs to one_of; some_of takes 'n'")
        n_raw = raw.get("n", [1, len(steps)])
        if isinstance(n_raw, int) and not isinstance(n_raw, bool):
            n_raw = [n_raw, n_raw]
        if (
            not isinstance(n_raw, (list, tuple))
            or len(n_raw) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in n_raw)
            or not 0 <= n_raw[0] <= n_raw[1] <= len(steps)
        ):
            raise PipelineError(f"{where}: 'n' = {n_raw!r} must be [low, high] with 0 <= low <= high <= {len(steps)}")
        n = (int(n_raw[0]), int(n_raw[1]))
    else:
        if "n" in raw:
            raise PipelineError(f"{where}: 'n' belongs to some_of; one_of picks exactly one step")
        if "weights" in raw:
            w = raw["weights"]
            if (
                not isinstance(w, list)
                or len(w) != len(steps)
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0 for v in w)
                or sum(w) <= 0
            ):
                raise PipelineError(f"{where}: 'weights' must be {len(steps)} non-negative numbers, not all zero")
            weights = tuple(float(v) for v in w)
    return Group(kind=kind, steps=steps, p=p, n=n, weights=weights)


def parse_node(raw: Any, where: str) -> Node:
    """One step or group from its dict form, checked as a YAML file's would be (`where` starts each message)."""
    return _parse_node(raw, where)


def _iter_steps(nodes: Iterable[Node]) -> Iterable[Step]:
    for node in nodes:
        if isinstance(node, Group):
            yield from node.steps
        else:
            yield node


# -- data checks ---------------------------------------------------------------------------


def check_data(data: Any, modality: str) -> None:
    """Refuse data of the wrong kind before any op sees it."""
    if modality == "image":
        if not isinstance(data, np.ndarray) or data.dtype != np.uint8:
            raise PipelineError(
                "image pipelines take a uint8 numpy array (use augmenters.load_image to read a file), "
                f"got {type(data).__name__}{'' if not isinstance(data, np.ndarray) else ' of ' + str(data.dtype)}"
            )
        if not (data.ndim == 2 or (data.ndim == 3 and data.shape[2] in (3, 4))) or 0 in data.shape:
            raise PipelineError(f"image array must be HxW, HxWx3 or HxWx4, got shape {data.shape}")
    elif modality == "text":
        if not isinstance(data, str):
            raise PipelineError(f"text pipelines take a str, got {type(data).__name__}")


def source_key(source: str) -> int:
    """A source item's stable id (a relative path, a text row id) as 128 bits of entropy."""
    return int.from_bytes(hashlib.sha256(source.encode("utf-8")).digest()[:16], "big")


def step_rng(seed: int, index: int, *path: int, source: str | None = None) -> np.random.Generator:
    """The stream of one step of one sample: independent of every other step, sample and item.

    With a `source` id the stream depends on (seed, source, index), so a dataset row keeps its
    randomness when other files are added or workers run in another order.
    """
    entropy = seed if source is None else [seed, source_key(source)]
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy, spawn_key=(index, *path))))


def _check_seed(seed: Any, index: Any) -> tuple[int, int]:
    for name, value in (("seed", seed), ("index", index)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= value <= MAX_SEED:
            raise PipelineError(f"{name} must be a whole number from 0 to {MAX_SEED}, got {value!r}")
    return int(seed), int(index)


# -- the pipeline ------------------------------------------------------------------------


class Pipeline:
    """An ordered list of steps and groups, with a name and a modality."""

    def __init__(
        self,
        steps: Sequence[Node | dict | str],
        *,
        name: str = "custom",
        modality: str | None = None,
        description: str = "",
        caution: str = "",
        based_on: str = "",
        source: str = "pipeline",
        min_similarity: float | None = None,
        max_attempts: int = MAX_ATTEMPTS,
    ):
        nodes = [
            node if isinstance(node, (Step, Group)) else _parse_node(node, f"{source}, step {i + 1}")
            for i, node in enumerate(steps)
        ]
        ops = list(_iter_steps(nodes))
        if not ops:
            raise PipelineError(f"{source}: a pipeline needs at least one step")
        modality = modality or registry.get(ops[0].op).modality
        for step in ops:
            kind = registry.get(step.op).modality
            if kind != modality:
                raise PipelineError(f"{source}: {step.op!r} is a {kind} augmenter, but this pipeline works on {modality}")
        if min_similarity is not None:
            if modality != "text":
                raise PipelineError(f"{source}: 'min_similarity' applies to text pipelines only")
            if isinstance(min_similarity, bool) or not isinstance(min_similarity, (int, float)) or not -1 <= min_similarity <= 1:
                raise PipelineError(f"{source}: 'min_similarity' must be a number from -1 to 1, got {min_similarity!r}")
            min_similarity = float(min_similarity)
        if isinstance(max_attempts, bool) or not isinstance(max_attempts, int) or max_attempts < 1:
            raise PipelineError(f"{source}: 'max_attempts' must be a whole number of at least 1, got {max_attempts!r}")
        self.min_similarity = min_similarity
        self.max_attempts = max_attempts
        self.steps: tuple[Node, ...] = tuple(nodes)
        self.name = name
        self.modality = modality
        self.description = description
        self.caution = caution
        self.based_on = based_on  # the preset or file this one was edited from ("" when it is its own)

    # -- construction / serialisation -------------------------------------------------
    @classmethod
    def from_dict(cls, raw: Any, source: str = "pipeline") -> "Pipeline":
        if not isinstance(raw, dict):
            raise PipelineError(f"{source}: expected a mapping with 'steps', got {type(raw).__name__}")
        schema = raw.get("schema", SCHEMA_VERSION)
        if schema != SCHEMA_VERSION:
            raise PipelineError(f"{source}: schema {schema!r} is not supported (this augplay reads schema {SCHEMA_VERSION})")
        extra = sorted(
            set(raw) - {"schema", "name", "based_on", "modality", "description", "caution", "steps", "min_similarity"}
        )
        if extra:
            raise PipelineError(f"{source}: unknown key {extra[0]!r}")
        steps = raw.get("steps")
        if not isinstance(steps, list) or not steps:
            raise PipelineError(f"{source}: 'steps' must be a non-empty list")
        modality = raw.get("modality")
        if modality is not None and modality not in ("image", "text"):
            raise PipelineError(f"{source}: 'modality' must be image or text, got {modality!r}")
        texts = {k: raw.get(k, "") for k in ("name", "based_on", "description", "caution")}
        for key, value in texts.items():
            if not isinstance(value, str):
                raise PipelineError(f"{source}: {key!r} must be text")
        return cls(
            steps,
            name=texts["name"] or "custom",
            modality=modality,
            description=texts["description"].strip(),
            caution=texts["caution"].strip(),
            based_on=texts["based_on"],
            source=source,
            min_similarity=raw.get("min_similarity"),
        )

    @classmethod
    def from_yaml(cls, text: str, source: str = "pipeline.yaml") -> "Pipeline":
        try:
            raw = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = f" at line {mark.line + 1}" if mark is not None else ""
            raise PipelineError(f"{source}: not valid YAML{at}") from None
        return cls.from_dict(raw, source=source)

    @classmethod
    def load(cls, name_or_path: str | Path) -> "Pipeline":
        """A preset by name (`light`) or a YAML file by path."""
        from presets import PRESET_DIR, preset_path  # the presets package owns where presets live

        path = Path(name_or_path)
        if not path.is_file():
            path = preset_path(str(name_or_path))
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise PipelineError(f"{path.name}: not a UTF-8 text file") from None
        source = f"presets/{path.name}" if path.parent == PRESET_DIR else str(path)
        return cls.from_yaml(text, source=source)

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"schema": SCHEMA_VERSION, "name": self.name}
        if self.based_on:
            out["based_on"] = self.based_on
        out |= {
            "modality": self.modality,
            "description": self.description,
            "caution": self.caution,
            "steps": [node.to_dict() for node in self.steps],
        }
        if self.min_similarity is not None:
            out["min_similarity"] = self.min_similarity
        return out

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True, default_flow_style=None, width=100)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pipeline) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        ops = ", ".join(s.op for s in _iter_steps(self.steps))
        return f"<Pipeline {self.name} ({self.modality}): {ops}>"

    @property
    def needs_partner(self) -> bool:
        return any(registry.get(s.op).needs_partner for s in _iter_steps(self.steps))

    def ops(self) -> list[str]:
        return [s.op for s in _iter_steps(self.steps)]

    def check_available(self) -> None:
        """Refuse to run when a step's augmenter is disabled or misses the model its settings name."""
        for step in _iter_steps(self.steps):
            health = registry.get(step.op).health_for(step.settings)
            if not health.ok:
                raise AugmenterUnavailableError(f"{step.op} cannot run here ({health.status}): {health.reason}")

    # -- running -------------------------------------------------------------------
    def __call__(
        self,
        data: Any,
        seed: int = 0,
        index: int = 0,
        *,
        partners: PartnerSource | Sequence[Partner] | Partner | None = None,
        label: Any = None,
        source: str | None = None,
    ) -> tuple[Any, dict]:
        """One sample. `source` is the item's stable id (file name, relative path, text row id):
        with it, the sample depends on (seed, source, index) only. Prefer calling through
        `augmenters.export.render_item`, which every preview and export uses."""
        seed, index = _check_seed(seed, index)
        if source is not None and not isinstance(source, str):
            raise PipelineError(f"source must be an id string (a file name or row id), got {source!r}")
        check_data(data, self.modality)
        partner_source = as_partner_source(partners)
        record: dict[str, Any] = {"schema": SCHEMA_VERSION, "pipeline": self.name, "seed": seed}
        if source is not None:
            record["source"] = source
        record["index"] = index
        key = _Key(seed, index, source)
        if self.modality != "text":
            out, steps, labels = self._draw(data, key, (), partner_source, label)
            return out, _finish(record, steps, labels)
        return self._draw_text(data, key, partner_source, label, record)

    def _draw(
        self, data: Any, key: "_Key", branch: tuple, partners: PartnerSource | None, label: Any
    ) -> tuple[Any, list, dict | None]:
        """One pass through the steps, every stream under `branch` (empty for the first attempt)."""
        run = _Run(partners, label, key, branch)
        entries = []
        out = data
        for i, node in enumerate(self.steps):
            if isinstance(node, Group):
                out, entry = run.group(node, out, i, f"step {i + 1}")
            else:
                out, entry = run.step(node, out, (i,), f"step {i + 1}")
            entries.append(entry)
        return out, entries, run.labels

    def _draw_text(
        self, data: str, key: "_Key", partners: PartnerSource | None, label: Any, record: dict
    ) -> tuple[str, dict]:
        """Text samples carry meaning scores; under `min_similarity` they are drawn again, then marked failed."""
        from .similarity import score

        attempts = self.max_attempts if self.min_similarity is not None else 1
        best = None
        for attempt in range(attempts):
            branch = () if attempt == 0 else (_RETRY_BRANCH, attempt)
            out, steps, labels = self._draw(data, key, branch, partners, label)
            scores = score(data, out)
            if scores["similarity"] is None and self.min_similarity is not None:
                raise AugmenterUnavailableError(
                    "min_similarity needs the meaning score, which this text cannot get: "
                    f"{scores['similarity_unavailable'].removeprefix('not scored: ')}; leave min_similarity out for it"
                )
            if best is None or scores["similarity"] > best[3]["similarity"]:
                best = (out, steps, labels, scores, attempt)
            if self.min_similarity is None or scores["similarity"] >= self.min_similarity:
                break
        out, steps, labels, scores, attempt = best  # type: ignore[misc]
        if self.min_similarity is not None:
            record["attempt"] = attempt
        _finish(record, steps, labels)
        record.update(scores)
        if self.min_similarity is not None and scores["similarity"] < self.min_similarity:
            record["failed"] = (
                f"similarity {scores['similarity']} < {self.min_similarity} after {attempts} attempts"
            )
        return out, record

    def replay(
        self, data: Any, record: dict, *, partners: PartnerSource | Sequence[Partner] | Partner | None = None
    ) -> Any:
        """Re-apply a record's params (no RNG). The record must come from this pipeline."""
        ops = [e.get("op") for e in _iter_record_ops(record)]
        allowed = set(self.ops())
        stray = [op for op in ops if op not in allowed]
        if stray:
            raise ReplayError(f"the record applies {stray[0]!r}, which is not in pipeline {self.name!r}")
        check_data(data, self.modality)
        return replay_record(data, record, partners=partners)


def _finish(record: dict, steps: list, labels: dict | None) -> dict:
    record["steps"] = steps
    if labels is not None:
        record["labels"] = labels
    return record


@dataclass(frozen=True)
class _Key:
    """What a sample's randomness depends on: the run seed, the item's id and the sample index."""

    seed: int
    index: int
    source: str | None


class _Run:
    """State of one call: its random streams, partners to draw from and the running soft labels."""

    def __init__(self, partners: PartnerSource | None, label: Any, key: _Key, branch: tuple):
        self.partners = partners
        self.labels: dict | None = {str(label): 1.0} if label is not None else None
        self.key = key
        self.branch = branch

    def rng(self, *path: int) -> np.random.Generator:
        return step_rng(self.key.seed, self.key.index, *self.branch, *path, source=self.key.source)

    def step(self, step: Step, data: Any, path: tuple[int, ...], where: str) -> tuple[Any, dict]:
        augmenter = registry.get(step.op)
        # A deterministic op that always fires would draw nothing: skip building its stream
        # (the outputs are identical either way; it is most of a flip's cost at 512x512).
        lazy = step.p >= 1.0 and augmenter.deterministic and not augmenter.needs_partner
        rng = None if lazy else self.rng(*path)
        fired = lazy or bool(rng.random() < step.p)  # always drawn, so p never shifts the params' stream
        entry: dict[str, Any] = {"op": step.op, "applied": fired, "params": {}}
        if not fired:
            return data, entry
        try:
            if augmenter.needs_partner:
                if self.partners is None:
                    raise PipelineError(f"{step.op} mixes two samples: pass partners= (a dataset or a second image)")
                partner = self.partners.draw(rng)
                params = augmenter.sample(step.settings, data, rng, partner=partner)
                out = augmenter.apply(data, params, partner=partner)
                entry["partner"] = {"id": partner.id, "label": _json_label(partner.label)}
                self._mix_labels(params, partner)
            else:
                params = augmenter.sample(step.settings, data, rng)
                out = augmenter.apply(data, params)
        except AugplayError as exc:
            raise type(exc)(f"{where} ({step.op}): {exc}") from exc
        except Exception as exc:
            raise AugplayError(f"{where} ({step.op}) failed: {type(exc).__name__}: {exc}") from exc
        entry["params"] = params
        return out, entry

    def group(self, group: Group, data: Any, i: int, where: str) -> tuple[Any, dict]:
        rng = self.rng(i)
        fired = bool(rng.random() < group.p)
        entry: dict[str, Any] = {"group": group.kind, "applied": fired, "chosen": [], "steps": []}
        if not fired:
            return data, entry
        if group.kind == "one_of":
            weights = np.asarray(group.weights or [1.0] * len(group.steps), dtype=float)
            chosen = [int(rng.choice(len(group.steps), p=weights / weights.sum()))]
        else:
            lo, hi = group.n  # type: ignore[misc]
            k = int(rng.integers(lo, hi, endpoint=True))
            chosen = [int(j) for j in rng.permutation(len(group.steps))[:k]]
        entry["chosen"] = chosen
        out = data
        for j in chosen:
            out, child = self.step(group.steps[j], out, (i, j), f"{where}.{j + 1}")
            entry["steps"].append(child)
        return out, entry

    def _mix_labels(self, params: dict, partner: Partner) -> None:
        if self.labels is None and partner.label is None:
            return  # unlabelled data: there are no labels to mix (the weight is in the params)
        weight = float(params["self_weight"])
        if self.labels is None:
            self.labels = {}
        mixed = {k: v * weight for k, v in self.labels.items()}
        if partner.label is not None:
            key = str(partner.label)
            mixed[key] = mixed.get(key, 0.0) + (1.0 - weight)
        self.labels = {k: round(v, LABEL_DIGITS) for k, v in mixed.items()}


def _json_label(label: Any) -> Any:
    return label if label is None or isinstance(label, (str, int, float, bool)) else str(label)


def _iter_record_ops(record: dict) -> Iterable[dict]:
    if not isinstance(record, dict) or not isinstance(record.get("steps"), list):
        raise ReplayError("not an augplay record: it has no 'steps' list")
    for entry in record["steps"]:
        if not isinstance(entry, dict):
            raise ReplayError(f"record step {entry!r} is not a mapping")
        if "group" in entry:
            yield from entry.get("steps", [])
        else:
            yield entry


def replay_record(
    data: Any, record: dict, *, partners: PartnerSource | Sequence[Partner] | Partner | None = None
) -> Any:
    """Apply exactly what a record says was applied; no pipeline or RNG needed."""
    source = as_partner_source(partners)
    out = data
    for entry in _iter_record_ops(record):
        if not entry.get("applied"):
            continue
        op = entry.get("op")
        try:
            augmenter = registry.get(op)
        except AugplayError as exc:
            raise ReplayError(str(exc)) from None
        params = entry.get("params", {})
        try:
            if augmenter.needs_partner:
                partner_id = (entry.get("partner") or {}).get("id")
                if source is None:
                    raise ReplayError(f"{op} in this record mixes with partner {partner_id!r}: pass partners=")
                out = augmenter.apply(out, params, partner=source.get(partner_id))
            else:
                out = augmenter.apply(out, params)
        except AugplayError:
            raise
        except Exception as exc:
            raise ReplayError(f"replaying {op} with {json.dumps(params)[:200]} failed: {type(exc).__name__}: {exc}") from exc
    return out
