"""Typed parameter specs: the one place an augmenter's settings are declared.

The UI renders controls from these, presets are validated against them and the
docs table is generated from them. A spec never holds a sampled value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, ClassVar, Sequence

from .errors import SettingsError


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_int(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and value.is_integer()


@dataclass(frozen=True)
class Param:
    """Base of all setting specs. `validate` returns the normalised value or raises ValueError."""

    name: str
    help: str = ""
    unit: str = ""
    type: ClassVar[str] = "param"

    @property
    def default_value(self) -> Any:
        return getattr(self, "default")

    def validate(self, value: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> dict[str, Any]:
        """JSON-safe description, as `augplay list --json` prints it."""
        return {
            "name": self.name,
            "type": self.type,
            "default": self.default_value,
            "min": getattr(self, "min", None),
            "max": getattr(self, "max", None),
            "choices": list(getattr(self, "choices", ()) or ()) or None,
            "unit": self.unit,
            "help": self.help,
        }


def _check_bounds(value: float, lo: float | None, hi: float | None, what: str = "") -> None:
    if lo is not None and value < lo:
        raise ValueError(f"{what}{value!r} is below its minimum {lo!r}")
    if hi is not None and value > hi:
        raise ValueError(f"{what}{value!r} is above its maximum {hi!r}")


@dataclass(frozen=True)
class Float(Param):
    """One number the user fixes (e.g. a probability per word)."""

    default: float = 0.0
    min: float | None = None
    max: float | None = None
    step: float | None = None
    type: ClassVar[str] = "float"

    def validate(self, value: Any) -> float:
        if not _is_number(value):
            raise ValueError(f"{value!r} is not a number")
        _check_bounds(float(value), self.min, self.max)
        return float(value)


@dataclass(frozen=True)
class Int(Param):
    default: int = 0
    min: int | None = None
    max: int | None = None
    type: ClassVar[str] = "int"

    def validate(self, value: Any) -> int:
        if not _is_int(value):
            raise ValueError(f"{value!r} is not a whole number")
        _check_bounds(int(value), self.min, self.max)
        return int(value)


@dataclass(frozen=True)
class FloatRange(Param):
    """A [low, high] interval inside [min, max] that `sample` draws from."""

    default: tuple[float, float] = (0.0, 0.0)
    min: float | None = None
    max: float | None = None
    step: float | None = None
    type: ClassVar[str] = "float_range"
    _cast: ClassVar[Any] = float

    @property
    def default_value(self) -> list:
        return list(self.default)

    def validate(self, value: Any) -> list:
        if _is_number(value):  # a single number means a fixed value
            value = [value, value]
        if not isinstance(value, (list, tuple)) or len(value) != 2:
            raise ValueError(f"{value!r} is not a [low, high] pair")
        lo, hi = value
        check = _is_int if self._cast is int else _is_number
        for bound in (lo, hi):
            if not check(bound):
                kind = "a whole number" if self._cast is int else "a number"
                raise ValueError(f"{bound!r} in {list(value)!r} is not {kind}")
        lo, hi = self._cast(lo), self._cast(hi)
        if lo > hi:
            raise ValueError(f"low {lo!r} is above high {hi!r}")
        _check_bounds(lo, self.min, self.max)
        _check_bounds(hi, self.min, self.max)
        return [lo, hi]


@dataclass(frozen=True)
class IntRange(FloatRange):
    default: tuple[int, int] = (0, 0)
    min: int | None = None
    max: int | None = None
    type: ClassVar[str] = "int_range"
    _cast: ClassVar[Any] = int


@dataclass(frozen=True)
class Choice(Param):
    default: Any = None
    choices: tuple = ()
    type: ClassVar[str] = "choice"

    def validate(self, value: Any) -> Any:
        if value not in self.choices:
            options = ", ".join(repr(c) for c in self.choices)
            raise ValueError(f"{value!r} is not one of {options}")
        return value


@dataclass(frozen=True)
class MultiChoice(Param):
    """A subset of fixed options (e.g. which fills cutout may draw from)."""

    default: tuple = ()
    choices: tuple = ()
    type: ClassVar[str] = "multi_choice"

    @property
    def default_value(self) -> list:
        return list(self.default)

    def validate(self, value: Any) -> list:
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            raise ValueError(f"{value!r} is not a list of options")
        for item in value:
            if item not in self.choices:
                options = ", ".join(repr(c) for c in self.choices)
                raise ValueError(f"{item!r} is not one of {options}")
        if not value:
            raise ValueError("needs at least one option")
        return [c for c in self.choices if c in value]  # canonical order, no repeats


@dataclass(frozen=True)
class Flag(Param):
    default: bool = False
    type: ClassVar[str] = "flag"

    def validate(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise ValueError(f"{value!r} is not true or false")
        return value


@dataclass(frozen=True)
class Text(Param):
    """Free text, e.g. a model id or a local directory."""

    default: str = ""
    max_length: int = 4096
    type: ClassVar[str] = "text"

    def validate(self, value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not text")
        if len(value) > self.max_length:
            raise ValueError(f"text of {len(value)} characters is longer than {self.max_length}")
        return value


@dataclass(frozen=True)
class TextList(Param):
    """A list of strings (e.g. groups of interchangeable terms, one group per item)."""

    default: tuple[str, ...] = ()
    max_items: int = 10_000
    type: ClassVar[str] = "text_list"

    @property
    def default_value(self) -> list:
        return list(self.default)

    def validate(self, value: Any) -> list:
        if isinstance(value, str) or not isinstance(value, (list, tuple)):
            raise ValueError(f"{value!r} is not a list of text")
        if len(value) > self.max_items:
            raise ValueError(f"{len(value)} items is more than {self.max_items}")
        for item in value:
            if not isinstance(item, str):
                raise ValueError(f"item {item!r} is not text")
        return list(value)


@dataclass(frozen=True)
class Spec:
    """The ordered settings of one augmenter."""

    params: tuple[Param, ...] = field(default_factory=tuple)

    def __init__(self, *params: Param):
        names = [p.name for p in params]
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate setting names in spec: {names}")
        object.__setattr__(self, "params", tuple(params))

    def __iter__(self):
        return iter(self.params)

    def __len__(self) -> int:
        return len(self.params)

    def get(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def names(self) -> list[str]:
        return [p.name for p in self.params]

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default_value for p in self.params}

    def validate(self, settings: dict[str, Any] | None, where: str) -> dict[str, Any]:
        """Fill defaults, normalise types, and refuse unknown or out-of-range values.

        `where` names the op (and file/step) so the message says where to look.
        """
        settings = dict(settings or {})
        unknown = sorted(set(settings) - set(self.names()))
        if unknown:
            known = ", ".join(self.names()) or "none"
            raise SettingsError(f"{where}: unknown setting {unknown[0]!r} (known: {known})")
        out: dict[str, Any] = {}
        for param in self.params:
            if param.name not in settings:
                out[param.name] = param.default_value
                continue
            try:
                out[param.name] = param.validate(settings[param.name])
            except ValueError as exc:
                raise SettingsError(f"{where}: {param.name!r} = {exc}") from None
        return out


def describe_spec(params: Sequence[Param]) -> list[dict[str, Any]]:
    return [p.describe() for p in params]


# -- the bounds contract: what a sampled param may be, given the settings and the data ---------------
#
# Every augmenter declares one rule per key its `sample` returns (`Augmenter.param_rules`);
# the contract tests draw many seeds and check each param against its rule.

WHOLE = "*"  # a rule under this key checks the params as a whole: relations between keys


@dataclass(frozen=True)
class Rule:
    """What one sampled param may be. `problem(value)` says what is wrong, or None."""

    def problem(self, value: Any) -> str | None:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class Within(Rule):
    """A number in [lo, hi] (a range setting's [low, high], or a bound derived from settings)."""

    lo: float
    hi: float

    def problem(self, value: Any) -> str | None:
        if not _is_number(value):
            return f"{value!r} is not a number"
        return None if self.lo <= value <= self.hi else f"{value!r} is outside [{self.lo!r}, {self.hi!r}]"


@dataclass(frozen=True)
class Is(Rule):
    """Exactly this value (a setting passed through, or a value the settings fix)."""

    value: Any

    def problem(self, value: Any) -> str | None:
        return None if value == self.value and type(value) is type(self.value) else f"{value!r} is not {self.value!r}"


@dataclass(frozen=True)
class OneOf(Rule):
    choices: tuple

    def problem(self, value: Any) -> str | None:
        return None if value in self.choices else f"{value!r} is not one of {list(self.choices)!r}"


@dataclass(frozen=True)
class Seed(Rule):
    """A recorded seed for a local generator: a whole number in [0, limit); None when `optional`."""

    limit: int = 2**31 - 1
    optional: bool = False

    def problem(self, value: Any) -> str | None:
        if value is None and self.optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < self.limit:
            return f"{value!r} is not a seed in [0, {self.limit})"
        return None


@dataclass(frozen=True)
class Box(Rule):
    """[x0, y0, x1, y1] of whole pixels inside `region` (x0, y0, x1, y1), of `size` (w, h) if given."""

    region: tuple
    size: tuple | None = None
    nonempty: bool = True

    def problem(self, value: Any) -> str | None:
        if not isinstance(value, list) or len(value) != 4 or not all(_is_int(v) and isinstance(v, int) for v in value):
            return f"{value!r} is not a box [x0, y0, x1, y1] of whole pixels"
        x0, y0, x1, y1 = value
        rx0, ry0, rx1, ry1 = self.region
        if not (rx0 <= x0 and ry0 <= y0 and x1 <= rx1 and y1 <= ry1):
            return f"box {value!r} leaves the region {list(self.region)!r}"
        if x1 - x0 < int(self.nonempty) or y1 - y0 < int(self.nonempty):
            return f"box {value!r} is empty"
        if self.size is not None and (x1 - x0, y1 - y0) != tuple(self.size):
            return f"box {value!r} is not {self.size[0]}x{self.size[1]}"
        return None


@dataclass(frozen=True)
class Items(Rule):
    """A list of `least` to `most` items, each following `rule`."""

    rule: Rule
    most: int
    least: int = 0

    def problem(self, value: Any) -> str | None:
        if not isinstance(value, list):
            return f"{value!r} is not a list"
        if not self.least <= len(value) <= self.most:
            return f"{len(value)} items, expected {self.least} to {self.most}"
        for index, item in enumerate(value):
            problem = self.rule.problem(item)
            if problem:
                return f"item {index}: {problem}"
        return None


@dataclass(frozen=True)
class Fields(Rule):
    """A mapping with exactly these keys, each following its rule."""

    rules: dict

    def problem(self, value: Any) -> str | None:
        if not isinstance(value, dict) or set(value) != set(self.rules):
            keys = sorted(value) if isinstance(value, dict) else value
            return f"{keys!r} does not have exactly the keys {sorted(self.rules)!r}"
        for key, rule in self.rules.items():
            problem = rule.problem(value[key])
            if problem:
                return f"{key}: {problem}"
        return None


@dataclass(frozen=True)
class Check(Rule):
    """Escape hatch for relations the rules above cannot say: `test(value)` must hold; `what`
    names it in plain words for the failure message."""

    test: Any
    what: str

    def problem(self, value: Any) -> str | None:
        return None if self.test(value) else f"{value!r} is not {self.what}"


@dataclass(frozen=True)
class All(Rule):
    rules: tuple

    def __init__(self, *rules: Rule):
        object.__setattr__(self, "rules", rules)

    def problem(self, value: Any) -> str | None:
        return next((p for p in (rule.problem(value) for rule in self.rules) if p), None)


def range_rules(settings: dict[str, Any], *names: str) -> dict[str, Rule]:
    """`Within(low, high)` for params drawn from range settings of the same name."""
    return {name: Within(*settings[name]) for name in names}


def passed_through(settings: dict[str, Any], *names: str) -> dict[str, Rule]:
    """`Is(setting)` for params that copy a setting unchanged."""
    return {name: Is(settings[name]) for name in names}
