"""One table from spec type to Gradio controls: how the builder turns any op's spec into widgets.

Each entry builds the control(s) for one setting and says how their values combine
back into the setting's value. `app/` never asks which op a setting belongs to.
"""

from __future__ import annotations

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


@dataclass(frozen=True)
class Control:
    components: list  # the Gradio components, in the order `combine` takes their values
    combine: Callable[..., Any]  # component values -> the setting's value


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
    common = dict(label=_label(param, suffix), info=param.help if not suffix else None, key=key, **KEYED)
    if _bounded(param):
        step = 1 if whole else (getattr(param, "step", None) or _fine_step(param.min, param.max, value))
        return gr.Slider(param.min, param.max, value=value, step=step, **common)
    return gr.Number(value=value, precision=0 if whole else None, minimum=param.min, maximum=param.max, **common)


def _scalar(whole: bool) -> Callable[[Param, Any, str], Control]:
    def build(param: Param, value: Any, key: str) -> Control:
        cast = int if whole else float
        return Control([_number(param, value, key, whole)], lambda v: cast(v) if v is not None else v)

    return build


def _range(whole: bool) -> Callable[[Param, Any, str], Control]:
    def build(param: Param, value: Any, key: str) -> Control:
        lo, hi = value
        with gr.Row():
            low = _number(param, lo, f"{key}-low", whole, " low")
            high = _number(param, hi, f"{key}-high", whole, " high")
        if param.help:
            gr.Markdown(param.help, elem_classes=["setting-help"])
        cast = int if whole else float
        return Control([low, high], lambda a, b: [cast(a), cast(b)])

    return build


def _choice(param: Param, value: Any, key: str) -> Control:
    dropdown = gr.Dropdown(list(param.choices), value=value, label=_label(param), info=param.help, key=key, **KEYED)
    return Control([dropdown], lambda v: v)


def _multi_choice(param: Param, value: Any, key: str) -> Control:
    boxes = gr.CheckboxGroup(
        list(param.choices), value=list(value), label=_label(param), info=param.help, key=key, **KEYED
    )
    return Control([boxes], lambda v: list(v or []))


def _flag(param: Param, value: Any, key: str) -> Control:
    box = gr.Checkbox(value=bool(value), label=_label(param), info=param.help, key=key, **KEYED)
    return Control([box], bool)


def _text(param: Param, value: Any, key: str) -> Control:
    box = gr.Textbox(value=value, label=_label(param), info=param.help, max_length=param.max_length, key=key, **KEYED)
    return Control([box], lambda v: v or "")


def _text_list(param: Param, value: Any, key: str) -> Control:
    box = gr.Textbox(
        value="\n".join(value), lines=3, label=_label(param, " (one per line)"), info=param.help, key=key, **KEYED
    )
    return Control([box], lambda v: [line for line in (v or "").splitlines() if line.strip()])


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
