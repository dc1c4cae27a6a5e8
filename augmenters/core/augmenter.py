"""The augmenter contract: sample params from a Generator, apply them with no randomness.

Subclasses are stateless singletons (Gradio serves requests concurrently): a sampled
value lives in the returned params, never on `self`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np

from . import summary
from .params import Param, Rule, Spec

Status = Literal["ok", "needs_model", "disabled"]


@dataclass(frozen=True)
class Health:
    """Whether an augmenter can run here, and if not, what a user can do about it."""

    status: Status = "ok"
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True)
class Partner:
    """A second sample for mixing ops (mixup, cutmix): its id, data and label."""

    id: str
    data: Any
    label: Any = None


class Augmenter:
    """Base class. Declare the class attributes, then implement `sample` and `apply`.

    - `sample(settings, data, rng)` draws every random value from `rng` and returns
      JSON-safe params a human can read (the angle, the box, the replaced words).
    - `apply(data, params)` is deterministic and never mutates `data`.
    Ops with `needs_partner = True` get an extra keyword `partner: Partner` in both,
    and their params carry `self_weight`: the share of the original sample's label.
    """

    name: ClassVar[str] = ""
    modality: ClassVar[str] = ""  # "image" | "text"
    family: ClassVar[str] = ""  # geometry, color, noise, erase, mix, policy, weather, char, word, sentence
    description: ClassVar[str] = ""
    caution: ClassVar[str] = ""
    backend: ClassVar[str] = "numpy"
    spec: ClassVar[Spec] = Spec()
    needs_partner: ClassVar[bool] = False
    # True when every call with the same settings does the same thing (a flip):
    # the contract tests then do not expect different seeds to differ.
    deterministic: ClassVar[bool] = False
    # Declared output promises, checked by the contract tests.
    keeps_size: ClassVar[bool] = False
    keeps_mode: ClassVar[bool] = True

    _health_lock: ClassVar[threading.Lock] = threading.Lock()

    # -- the contract ---------------------------------------------------------
    def sample(self, settings: dict[str, Any], data: Any, rng: np.random.Generator) -> dict[str, Any]:
        raise NotImplementedError

    def apply(self, data: Any, params: dict[str, Any]) -> Any:
        raise NotImplementedError

    # -- health -----------------------------------------------------------------
    def check_health(self) -> Health:
        """Override to report a missing library, data file or model. Must not load models."""
        return Health()

    def health(self) -> Health:
        """Computed once per class on first use, so listing the catalogue stays cheap."""
        cls = type(self)
        cached = cls.__dict__.get("_health_cache")
        if cached is None:
            with Augmenter._health_lock:
                cached = cls.__dict__.get("_health_cache")
                if cached is None:
                    try:
                        cached = self.check_health()
                    except Exception as exc:  # a broken optional dependency must not break listing
                        cached = Health("disabled", f"{type(exc).__name__}: {exc}")
                    cls._health_cache = cached
        return cached

    def health_for(self, settings: dict[str, Any]) -> Health:
        """Health for these settings. Ops whose settings pick a model override this to check that model."""
        return self.health()

    def models_for(self, settings: dict[str, Any]) -> tuple[str, ...]:
        """The models (Hub ids or directories) a step with these settings needs; none for most ops."""
        return ()

    def default_models(self) -> tuple[str, ...]:
        """The models `augplay models pull --defaults` fetches for this op: its default settings' ones,
        plus any it picks by itself for some inputs (back-translation's Korean pair)."""
        return self.models_for(self.default_settings())

    def model_choices(self) -> tuple[str, ...]:
        """Every Hub model id the op's offered choices can use (`augplay models list`); defaults first."""
        return self.models_for(self.default_settings())

    @classmethod
    def reset_health(cls) -> None:
        """Forget the cached status (after installing a model, in tests)."""
        if "_health_cache" in cls.__dict__:
            delattr(cls, "_health_cache")

    # -- helpers ------------------------------------------------------------------
    def validate_settings(self, settings: dict[str, Any] | None, where: str | None = None) -> dict[str, Any]:
        return self.spec.validate(settings, where or self.name)

    def default_settings(self) -> dict[str, Any]:
        return self.spec.defaults()

    def param_rules(self, settings: dict[str, Any], data: Any, **partner: Any) -> dict[str, Rule]:
        """How each param `sample` returns relates to the settings (and the data): one `Rule`
        per key, e.g. `Within(*settings["angle"])`, `Is(settings["border"])`, `Box(...)`.

        The contract tests check every sampled param against its rule over many seeds, and a
        param without a rule fails them: declare this on every augmenter.
        """
        raise NotImplementedError(
            f"{self.name}: declare param_rules (how each sampled param relates to the settings); "
            "see augmenters/core/params.py for the rules"
        )

    def summarize(self, params: dict[str, Any], settings: dict[str, Any] | None = None) -> str:
        """What one call did, in a few words, for a caption ("" when nothing was drawn).

        The default lists the drawn values as key=value to 4 significant digits, leaving out
        flags, choices and settings echoed unchanged. Override where a record has structure a
        human reads differently (a policy's sub-ops, a mix's one label weight).
        """
        return summary.generic(params, settings)

    def describe(self) -> dict[str, Any]:
        health = self.health()
        return {
            "name": self.name,
            "modality": self.modality,
            "family": self.family,
            "status": health.status,
            "reason": health.reason,
            "caution": self.caution,
            "description": self.description,
            "backend": self.backend,
            "needs_partner": self.needs_partner,
            "params": [p.describe() for p in self.spec],
        }

    def __repr__(self) -> str:
        return f"<augmenter {self.name} ({self.modality}/{self.family})>"


def uniform(rng: np.random.Generator, bounds: list | tuple, digits: int | None = None) -> float:
    """Draw from [lo, hi]; rounded to `digits` so records stay readable and replay exact."""
    lo, hi = bounds
    value = float(lo) if lo == hi else float(rng.uniform(lo, hi))
    return round(value, digits) if digits is not None else value


def integer(rng: np.random.Generator, bounds: list | tuple) -> int:
    """Draw a whole number from the closed interval [lo, hi]."""
    lo, hi = bounds
    return int(lo) if lo == hi else int(rng.integers(lo, hi, endpoint=True))


__all__ = ["Augmenter", "Health", "Partner", "Param", "Spec", "uniform", "integer"]
