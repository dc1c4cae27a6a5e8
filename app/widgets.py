"""One table from spec type to Gradio controls: how the builder turns any op's spec into widgets.

Each entry builds the control(s) for one setting and says how their values combine
back into the setting's value, and how a setting's value is shown in them again (a
refused edit snaps the controls back to what the pipeline holds). `app/` never asks
which op a setting belongs to.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any, Callable

import gradio as gr

from augmenters.core.params import Param

# A slider over more values than this is useless to drag; a number box is better.
MAX_SLIDER_SPAN = 1000
# Keys let a re-render reuse a control, but its value must come from the pipeline state:
# after a step is removed, another step can take over the same key. `interactive` must be
# explicit: inside @gr.render, Gradio 6.31 shows a control holding a non-empty value as disabled.
KEYED = dict(preserved_by_key=None, interactive=True)


def _as_typed(component: gr.components.Component) -> gr.components.Component:
    """The handler gets the typed value as it is, neither refused by Gradio's bounds check nor rounded.

    Gradio would refuse 999 before the handler runs, leaving 999 in the box; the handler must
    see it to refuse it *and* put the pipeline's value back. (An instance attribute, not a
    subclass: Gradio writes a `.pyi` file beside any module that defines a component class.)
    """
    component.preprocess = lambda payload: payload  # type: ignore[method-assign]
    return component


def typed_slider(*args: Any, **kwargs: Any) -> gr.Slider:
    """A slider whose typed values reach the handler as typed (see `_as_typed`)."""
    return _as_typed(gr.Slider(*args, **kwargs))


def typed_number(*args: Any, **kwargs: Any) -> gr.Number:
    """A number box whose typed values reach the handler as typed: the spec decides, not Gradio."""
    return _as_typed(gr.Number(*args, **kwargs))


@dataclass(frozen=True)
class Control:
    components: list  # the Gradio components, in the order `combine` takes their values
    combine: Callable[..., Any]  # component values -> the setting's value; None while half typed
    show: Callable[[Any], list]  # the setting's value -> the components' values


def commit_triggers(component: gr.components.Component) -> list:
    """The events that mean "the user is done with this box": a typed value is final only then.

    Each keystroke is tried as it comes (`.input`), but a value that is not valid yet ("1" on
    the way to "150", "-") is neither committed nor refused until the user leaves the box;
    dropdowns and checkboxes have no half-made values, so their `.input` is final.
    """
    if isinstance(component, gr.Slider):
        return [component.release]  # fires when the number box loses focus, or the thumb is let go
    if isinstance(component, (gr.Number, gr.Textbox)):
        return [component.blur, component.submit]
    return []


def _plain(text: str) -> str:
    """Help text as written. Gradio renders `info` as Markdown without backslash escapes, so the
    asterisks of "2*ceil(3*sigma)+1" would turn into italics: show them as the asterisk operator."""
    return text.replace("*", "\u2217")


def _label(param: Param, suffix: str = "") -> str:
    unit = f" ({param.unit})" if param.unit else ""
    return f"{param.name}{suffix}{unit}"


def _bounded(param: Param) -> bool:
    lo, hi = getattr(param, "min", None), getattr(param, "max", None)
    return lo is not None and hi is not None and hi - lo <= MAX_SLIDER_SPAN


def _decimals(value: float) -> int:
    text = repr(float(value))
    return 0 if "e" in text else len(text.split(".")[1].rstrip("0"))


def _fine_step(lo: float, hi: float, value: float) -> float:
    """About a thousandth of the range, fine enough that the minimum and the value sit on the grid.

    (0.2 on [0.01, 100] or a ratio of 1.3333 must stay reachable, not snap to a coarse step.)
    """
    span = hi - lo
    step = 10.0 ** math.floor(math.log10(span / 1000)) if span > 0 else 0.01
    places = max(_decimals(lo), _decimals(value))
    return min(step, 10.0**-places) if places else step


def _number(param: Param, value: Any, key: str, whole: bool, suffix: str = "") -> gr.components.Component:
    common = dict(label=_label(param, suffix), info=_plain(param.help) if param.help and not suffix else None, key=key, **KEYED)
    if _bounded(param):
        step = 1 if whole else (getattr(param, "step", None) or _fine_step(param.min, param.max, value))
        return typed_slider(param.min, param.max, value=value, step=step, **common)
    return typed_number(value=value, minimum=param.min, maximum=param.max, **common)


def _one(value: Any) -> list:
    return [value]


def _scalar(whole: bool) -> Callable[[Param, Any, str], Control]:
    def build(param: Param, value: Any, key: str) -> Control:
        # No cast: 3.5 typed into a whole-number setting is refused by the spec, not truncated to 3.
        return Control([_number(param, value, key, whole)], lambda v: v, _one)

    return build


def _range(whole: bool) -> Callable[[Param, Any, str], Control]:
    def build(param: Param, value: Any, key: str) -> Control:
        lo, hi = value
        with gr.Row():
            low = _number(param, lo, f"{key}-low", whole, " low")
            high = _number(param, hi, f"{key}-high", whole, " high")
        if param.help:  # as plain text: Markdown would eat the asterisks of "2*ceil(3*sigma)+1"
            gr.HTML(f"<div class='setting-help'>{html.escape(param.help)}</div>", padding=False)
        return Control([low, high], lambda a, b: None if a is None or b is None else [a, b], list)

    return build


def _choice(param: Param, value: Any, key: str) -> Control:
    dropdown = gr.Dropdown(list(param.choices), value=value, label=_label(param), info=_plain(param.help), key=key, **KEYED)
    return Control([dropdown], lambda v: v, _one)


def _multi_choice(param: Param, value: Any, key: str) -> Control:
    boxes = gr.CheckboxGroup(
        list(param.choices), value=list(value), label=_label(param), info=_plain(param.help), key=key, **KEYED
    )
    return Control([boxes], lambda v: list(v or []), lambda v: [list(v)])


def _flag(param: Param, value: Any, key: str) -> Control:
    box = gr.Checkbox(value=bool(value), label=_label(param), info=_plain(param.help), key=key, **KEYED)
    return Control([box], bool, _one)


def _text(param: Param, value: Any, key: str) -> Control:
    box = gr.Textbox(value=value, label=_label(param), info=_plain(param.help), max_length=param.max_length, key=key, **KEYED)
    return Control([box], lambda v: v or "", _one)


def _text_list(param: Param, value: Any, key: str) -> Control:
    box = gr.Textbox(
        value="\n".join(value), lines=3, label=_label(param, " (one per line)"), info=_plain(param.help), key=key, **KEYED
    )
    return Control(
        [box], lambda v: [line for line in (v or "").splitlines() if line.strip()], lambda v: ["\n".join(v)]
    )


CONTROLS: dict[str, Callable[[Param, Any, str], Control]] = {
    "float": _scalar(whole=False),
    "int": _scalar(whole=True),
    "float_range": _range(whole=False),
    "int_range": _range(whole=True),
    "choice": _choice,
    "multi_choice": _multi_choice,
    "flag": _flag,
    "text": _text,
    "text_list": _text_list,
}


def control_for(param: Param, value: Any, key: str) -> Control:
    try:
        build = CONTROLS[param.type]
    except KeyError:
        raise TypeError(f"no control for setting type {param.type!r}; add one to app.widgets.CONTROLS") from None
    return build(param, value, key)
