"""The Gradio app: Image, Text, Augmenters and Export tabs over the same Pipeline the CLI runs.

Module-level `demo` so tests and Hugging Face Spaces can import it; `launch()` starts it.
Layout and wiring only: every handler is a plain function in `app.handlers`, and the
pipeline builder's controls come from the specs through `app.widgets.CONTROLS`.
"""

from __future__ import annotations

import functools
import gc
import inspect
import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

if not __package__:  # run as a script, as Hugging Face Spaces does (app_file: app/ui.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# Gradio summarises its queue analytics (a pandas table of up to 10,000 events) after every
# event by default: 7-17 ms of CPU each, for a monitoring page. Every 100 events is plenty.
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "100")

import gradio as gr  # noqa: E402

from augmenters import AugplayError, locale, registry  # noqa: E402

from app import builder, cache_pruning, catalogue, handlers, hub_handlers, textdiff  # noqa: E402
from app.limits import Limits, current  # noqa: E402
from app.messages import localize, session_language  # noqa: E402
from app.previews import cache_dir, serve_as_static  # noqa: E402
from app.ui_catalogue import CATALOGUE_CSS, Target, catalogue_table, catalogue_view  # noqa: E402
from app.ui_export import export_tab  # noqa: E402
from app.ui_text import I18N, t  # noqa: E402
from app.session_queue import order_per_session  # noqa: E402
from app.widgets import KEYED, commit_triggers, control_for, typed_number, typed_slider  # noqa: E402

ASSETS = Path(__file__).resolve().parent / "assets"
EXAMPLES = sorted(str(p) for p in ASSETS.glob("*.jpg"))
PRIVATE = dict(api_visibility="private")
# Edits read the session's pipeline and write it back, and a value typed just before a click
# (Remove, Augment) is committed by the same click. Run concurrently, an edit could be lost or
# an Augment could use the pipeline from before the edit. Everything that reads or writes the
# pipeline shares one group, run one event per session at a time in the order the events were
# made (app/session_queue.py), while different sessions share the cores.
EDIT_GROUP = "pipeline"
EDIT = dict(concurrency_id=EDIT_GROUP, concurrency_limit=max(2, os.cpu_count() or 1))

CSS = """
.augplay-variants { width: 100%; border-collapse: collapse; }
.augplay-variants td, .augplay-variants th { padding: 4px 8px; border-bottom: 1px solid var(--border-color-primary); text-align: left; vertical-align: top; }
.augplay-variants ins { background: #c8f7c5; color: #0b3d0b; text-decoration: none; }
.augplay-variants del { background: #fbd0d0; color: #5c0b0b; }
.augplay-variants tr.below { opacity: 0.45; }
.op-unavailable { opacity: 0.55; }
.setting-help { font-size: 0.85em; opacity: 0.8; margin-top: -6px; }
"""


# -- the pipeline builder -----------------------------------------------------------------


def _restructure(action: Callable[..., dict]) -> Callable[..., tuple[dict, int]]:
    """Edits that change which steps exist also bump the layout counter, which re-renders the builder."""

    def run(state: dict, version: int, *args: Any) -> tuple[dict, int]:
        return handlers.edit(action, state, *args), version + 1

    return run


@dataclass(frozen=True)
class _Binding:
    """One setting's controls tied to the pipeline: how an edit is applied, and how the value is shown."""

    components: list
    combine: Callable[..., Any]  # control values -> the value (None while half typed)
    show: Callable[[Any], list]  # the value -> control values
    apply: Callable[[dict, Any], dict]  # (state, value) -> new state; raises AugplayError when refused
    read: Callable[[dict], Any]  # state -> the value the pipeline runs
    position: builder.Position
    name: str
    title: gr.components.Component | None = None  # a header that shows the value (a group's "pick 1–2 of")
    title_of: Callable[[dict], str] | None = None


def _unfinished(binding: _Binding, state: dict) -> str:
    return f"{builder.where(state, binding.position)}: {binding.name!r} was left empty or unfinished"


def _tentative(binding: _Binding, key: str) -> Callable[..., tuple]:
    """A keystroke: a valid value is committed at once; an invalid one waits, noted, for the user to leave the box.

    The note also keeps the value from before the typing began: a refusal snaps back to it,
    not to "99" on the way to "999".
    """

    def run(state: dict, pending: dict, *values: Any) -> tuple:
        pending = dict(pending or {})
        note = {"was": binding.read(state), **pending.get(key, {}), "error": None}
        value = binding.combine(*values)
        new = gr.skip()
        if value is None:  # "-" or "": not a value yet (and a slider would turn it into its minimum on leaving)
            note["error"] = _unfinished(binding, state)
        else:
            try:
                new = binding.apply(state, value)
            except AugplayError as exc:  # "1" on the way to "150": refused only if still there on leaving
                note["error"] = str(exc)
        return new, {**pending, key: note}

    return run


def _final(binding: _Binding, key: str, index: int) -> Callable[..., tuple]:
    """The user left box `index` (or picked an option): commit, or refuse with a message and snap back.

    Only that box is set again: its partner (the other end of a low/high pair) may be the box
    the user is typing in now. The noted refusal wins over what the box holds, because a
    slider's number box clamps 999 to its maximum on leaving: committing that 180 would
    change the value without a word.
    """

    def run(state: dict, pending: dict, *values: Any) -> tuple:
        pending = dict(pending or {})
        note = pending.pop(key, None) or {"was": binding.read(state), "error": None}
        message, new = note["error"], state
        if message is None:
            value = binding.combine(*values)
            if value is None:
                message = _unfinished(binding, state)
            else:
                try:
                    new = binding.apply(state, value)
                except AugplayError as exc:
                    message = str(exc)
        if message:
            gr.Warning(localize(message))
            new = binding.apply(state, note["was"])  # back to the value before the typing began
        title = [binding.title_of(new)] if binding.title is not None else []
        return (new, pending, binding.show(binding.read(new))[index], *title)

    return run


def _bind(binding: _Binding, state: gr.State, pending: gr.State, key: str) -> None:
    """After every edit, accepted or refused, the controls show exactly what the pipeline runs.

    Every keystroke is tried at once (committing on blur alone is not enough: it fires as the
    user clicks Augment, and the browser may send the click first); a refusal snaps back only
    when the user is done with the box, so typing "150" is not refused at its "1".
    """
    inputs = [state, pending, *binding.components]
    title = [binding.title] if binding.title is not None else []
    quiet = dict(show_progress="hidden", **PRIVATE, **EDIT)
    for index, component in enumerate(binding.components):
        # A keystroke sets nothing on the box (an update, even gr.skip(), would make Gradio
        # rebuild the component for the session, losing `typed_slider`'s pass-through).
        outputs = [state, pending, component, *title]
        triggers = commit_triggers(component)
        if triggers:
            component.input(_tentative(binding, key), inputs, [state, pending], trigger_mode="always_last", **quiet)
        else:
            component.input(_final(binding, key, index), inputs, outputs, trigger_mode="always_last", **quiet)
        for trigger in triggers:  # a later leave replaces one still waiting (a click's release, then a blur's)
            trigger(_final(binding, key, index), inputs, outputs, trigger_mode="always_last", **quiet)


def _step_header(step: dict, title: str, layout: gr.State, key: str) -> None:
    augmenter = registry.get(step["op"])
    health = hub_handlers.step_health(step)
    language = session_language()  # the builder renders per session, so its words can follow the browser
    lines = [f"**{title} · `{augmenter.name}`** ({augmenter.family}) — {locale.description(augmenter, language)}"]
    if augmenter.caution:
        lines.append(f"⚠ {locale.caution(augmenter, language)}")
    if not health.ok:
        lines.append(f"⛔ {health.status}: {health.reason}")
    gr.Markdown("\n\n".join(lines), elem_classes=[] if health.ok else ["op-unavailable"])
    missing = hub_handlers.missing_models(step)
    if missing and not current().space:  # a Space gets its models from preload_from_hub
        button = gr.Button(t("download_models"), size="sm", variant="primary", key=f"{key}-download")
        # A bumped layout re-renders the builder: the step shows its new status without a restart.
        button.click(functools.partial(hub_handlers.download_models, tuple(missing)), [layout], [layout], **PRIVATE)


def _probability_slider(node: dict, position: builder.Position, state: gr.State, pending: gr.State, key: str) -> None:
    """The `p` of a step or a group."""
    p = typed_slider(0.0, 1.0, value=node.get("p", 1.0), step=0.05, label=t("probability"), key=f"{key}-p", **KEYED)
    binding = _Binding(
        [p],
        lambda v: v,
        lambda v: [v],
        lambda s, v: builder.set_probability(s, position, v),
        lambda s: builder.node_at(s, position).get("p", 1.0),
        position,
        "p",
    )
    _bind(binding, state, pending, f"{key}-p")


def _step_controls(step: dict, position: builder.Position, state: gr.State, pending: gr.State, key: str) -> None:
    augmenter = registry.get(step["op"])
    _probability_slider(step, position, state, pending, key)
    language = session_language()
    for param in augmenter.spec:
        value = step["settings"].get(param.name, param.default_value)
        shown = replace(param, help=locale.setting_help(augmenter, param, language))
        control = control_for(shown, value, f"{key}-{param.name}")
        binding = _Binding(
            control.components,
            control.combine,
            control.show,
            lambda s, v, name=param.name: builder.set_setting(s, position, name, v),
            lambda s, name=param.name: builder.node_at(s, position)["settings"][name],
            position,
            param.name,
        )
        _bind(binding, state, pending, f"{key}-{param.name}")


def _weight_control(node: dict, position: builder.Position, state: gr.State, pending: gr.State, key: str) -> None:
    """A one_of option's weight: its chance relative to the other options'."""
    i, j = position
    box = typed_number(
        value=builder.group_weights(node)[j], minimum=0, label=t("weight"), key=f"{key}-weight", **KEYED
    )
    binding = _Binding(
        [box],
        lambda v: v,
        lambda v: [v],
        lambda s, v: builder.set_weight(s, position, v),
        lambda s: builder.group_weights(builder.node_at(s, (i, None)))[j],
        position,
        "weight",
    )
    _bind(binding, state, pending, f"{key}-weight")


def _count_controls(node: dict, i: int, title: gr.Markdown, state: gr.State, pending: gr.State, key: str) -> None:
    """How many options a some_of group applies, low to high."""
    low, high = builder.group_count(node)
    size = len(node["some_of"])
    with gr.Row():
        boxes = [
            typed_number(value=v, minimum=0, maximum=size, label=t(label), key=f"{key}-n-{label}", **KEYED)
            for v, label in ((low, "count_low"), (high, "count_high"))
        ]
    binding = _Binding(
        boxes,
        lambda a, b: None if a is None or b is None else [a, b],
        list,
        lambda s, v: builder.set_count(s, i, v),
        lambda s: builder.group_count(builder.node_at(s, (i, None))),
        (i, None),
        "n",
        title,
        lambda s: _group_title(builder.node_at(s, (i, None)), i),
    )
    _bind(binding, state, pending, f"{key}-n")


def _group_title(node: dict, i: int) -> str:
    return f"**{i + 1} · {builder.group_title(node)}** (`{builder.group_kind(node)}`)"


def _edit_buttons(i: int, count: int, grouped: bool, state: gr.State, layout: gr.State, key: str) -> None:
    with gr.Row():
        actions = [
            ("up", builder.move, (i, -1), i > 0),
            ("down", builder.move, (i, 1), i < count - 1),
            ("group_next", builder.group_with_next, (i,), i < count - 1),
            ("ungroup", builder.ungroup, (i,), grouped),
            ("remove", builder.remove, ((i, None),), True),
        ]
        for name, action, args, enabled in actions:
            if not enabled:
                continue
            button = gr.Button(t(name), size="sm", key=f"{key}-{name}")
            button.click(
                lambda s, v, a=action, x=args: _restructure(a)(s, v, *x),
                [state, layout],
                [state, layout],
                **PRIVATE,
                **EDIT,
            )


def _render_builder(state: gr.State, layout: gr.State, pending: gr.State, prefix: str, demo_load) -> None:
    @gr.render(inputs=[state], triggers=[layout.change, demo_load])
    def steps_view(current_state: dict):
        nodes = current_state.get("steps", [])
        if not nodes:
            gr.Markdown(t("empty_pipeline"))
        for i, node in enumerate(nodes):
            kind = builder.group_kind(node)
            key = f"{prefix}-{i}"
            with gr.Group(key=f"{key}-box"):
                if not kind:
                    _step_header(node, f"{i + 1}", layout, key)
                    _step_controls(node, (i, None), state, pending, f"{key}-{node['op']}")
                    _edit_buttons(i, len(nodes), False, state, layout, key)
                    continue
                title = gr.Markdown(_group_title(node, i))
                _probability_slider(node, (i, None), state, pending, key)
                if kind == "some_of":
                    _count_controls(node, i, title, state, pending, key)
                for j, child in enumerate(node[kind]):
                    with gr.Accordion(f"{i + 1}.{j + 1} {child['op']}", open=True, key=f"{key}-{j}-acc"):
                        _step_header(child, f"{i + 1}.{j + 1}", layout, f"{key}-{j}")
                        if kind == "one_of":
                            _weight_control(node, (i, j), state, pending, f"{key}-{j}")
                        _step_controls(child, (i, j), state, pending, f"{key}-{j}-{child['op']}")
                        remove = gr.Button(t("remove"), size="sm", key=f"{key}-{j}-remove")
                        remove.click(
                            lambda s, v, pos=(i, j): _restructure(builder.remove)(s, v, pos),
                            [state, layout],
                            [state, layout],
                            **PRIVATE,
                            **EDIT,
                        )
                _edit_buttons(i, len(nodes), True, state, layout, key)


def pipeline_editor(
    modality: str, demo_load, seed: gr.Number, count: gr.Slider, code_inputs: list, code_fn: Callable[..., Any]
) -> tuple[gr.State, gr.State]:
    """Preset picker, add-step, the rendered steps, YAML load/save and 'show code'.

    `code_fn(pipeline, seed, n, *code_inputs)` gives the code; the inputs name the user's files.
    Returns the pipeline state and the layout counter (bumped to re-render the steps).
    """
    state = gr.State(builder.empty(modality))
    layout = gr.State(0)
    pending = gr.State({})  # per control: why the value being typed cannot be taken (yet)
    with gr.Row():
        preset = gr.Dropdown(
            catalogue.presets_for(modality), value=None, label=t("preset"), scale=2, elem_id=f"{modality}-preset"
        )
        op = gr.Dropdown(catalogue.catalogue_choices(modality), value=None, label=t("add_op"), scale=2)
        add = gr.Button(t("add_step"), scale=1)
    with gr.Column(elem_id=f"{modality}-builder"):
        _render_builder(state, layout, pending, modality, demo_load)
    with gr.Accordion(t("yaml_view"), open=False):
        yaml_view = gr.Code(
            handlers.pipeline_yaml(builder.empty(modality)),
            language="yaml",
            label=t("yaml_view"),
            interactive=False,
            elem_id=f"{modality}-yaml",
        )
        with gr.Row():
            yaml_in = gr.File(label=t("yaml_upload"), file_types=[".yaml", ".yml"], type="filepath")
            with gr.Column():
                save = gr.Button(t("yaml_save"))
                yaml_out = gr.File(label=t("yaml_file"), interactive=False)
    with gr.Accordion(t("show_code"), open=False):
        code_button = gr.Button(t("show_code"), elem_id=f"{modality}-show-code")
        python_code = gr.Code(language="python", label=t("python_code"), interactive=False)
        cli_code = gr.Code(language="shell", label=t("cli_code"), interactive=False)

    preset.input(
        _api(lambda s, v, name: (handlers.load_preset(name, modality), v + 1), "pipeline", "layout", "preset"),
        [state, layout, preset],
        [state, layout],
        api_name=f"{modality}_load_preset",
        **EDIT,
    )
    add.click(
        _api(_restructure(lambda s, name: handlers.add_step(s, name)), "pipeline", "layout", "op"),
        [state, layout, op],
        [state, layout],
        api_name=f"{modality}_add_step",
        **EDIT,
    )
    yaml_in.upload(
        _api(lambda s, v, path: (handlers.load_yaml(path, modality), v + 1), "pipeline", "layout", "yaml_file"),
        [state, layout, yaml_in],
        [state, layout],
        api_name=f"{modality}_load_yaml",
        **EDIT,
    )
    save.click(handlers.save_yaml, state, yaml_out, api_name=f"{modality}_save_yaml", **EDIT)
    code_button.click(
        code_fn, [state, seed, count, *code_inputs], [python_code, cli_code], api_name=f"{modality}_show_code", **EDIT
    )
    state.change(handlers.pipeline_yaml, state, yaml_view, api_name=f"{modality}_pipeline_yaml")
    layout.change(dict, None, pending, **PRIVATE)  # new controls: nothing half typed in them
    return state, layout


def seed_row(limits: Limits, prefix: str, count_label: str) -> tuple[gr.Number, gr.Slider]:
    with gr.Row():
        # No rounding (precision): 3.7 is refused when it is used, not run as seed 4 while the box says 3.7.
        seed = gr.Number(value=0, minimum=0, maximum=handlers.UI_MAX_SEED, label=t("seed"), scale=2)
        reseed = gr.Button(t("new_seed"), scale=1)
        count = typed_slider(
            1, limits.max_samples, value=min(8, limits.max_samples), step=1, label=t(count_label), scale=3
        )
    reseed.click(handlers.new_seed, None, seed, api_name=f"{prefix}_new_seed")
    count.input(handlers.note_count, count, None, trigger_mode="always_last", show_progress="hidden", **PRIVATE)
    return seed, count


def _picked(evt: gr.SelectData) -> int:
    return int(evt.index)


def _api(fn: Callable[..., Any], *names: str, optional: tuple[str, ...] = ()) -> Callable[..., Any]:
    """`fn` called with the event's inputs, under parameter names gradio_client and the API page show.

    Names in `optional` default to None, so a client may leave them out.
    """

    def run(*args: Any) -> Any:
        return fn(*args)

    run.__name__ = fn.__name__
    run.__doc__ = fn.__doc__
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    run.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(name, kind, default=None if name in optional else inspect.Parameter.empty) for name in names]
    )
    return run


def _with_source(handler: Callable[..., Any], n_sources: int, *names: str) -> Callable[..., Any]:
    """The handler gets one image path: the upload or, locally, the typed path, whichever is given."""

    def run(*args: Any) -> Any:
        path = next((value for value in args[:n_sources] if value), None)
        return handler(path, *args[n_sources:])

    run.__name__ = handler.__name__
    source_names = ("image", "local_path")[:n_sources]
    return _api(run, *source_names, *names, optional=("partner",))


def _image_code(n_sources: int) -> Callable[..., Any]:
    """Show code for the Image tab, naming the uploaded (or typed-path) file and the partner."""

    def image_code(state: dict, seed: Any, n: Any, *files: str | None):
        *paths, partner_path = files
        path = next((value for value in paths if value), None)
        return handlers.show_code(state, seed, n, path, partner_path)

    files = (*("image", "local_path")[:n_sources], "partner")
    return _api(image_code, "pipeline", "seed", "n", *files, optional=files)


def _detail_or_clear(path: str | None, state: dict, seed: Any, index: Any, partner: str | None):
    """Index -1 means no sample is selected (a new grid): clear the before/after."""
    if index is None or int(index) < 0:
        return None, None
    return handlers.sample_detail(path, state, seed, index, partner)


# -- tabs ---------------------------------------------------------------------------------


def image_tab(limits: Limits, demo_load) -> tuple[gr.State, gr.JSON, gr.State, gr.State, gr.File]:
    with gr.Row():
        with gr.Column(scale=1):
            upload = gr.File(label=t("input_image"), file_types=["image"], type="filepath", elem_id="image-input")
            gr.Examples([[p] for p in EXAMPLES], inputs=[upload], label=t("examples"))
            # A server path is a local convenience only: a Space never offers it (DESIGN §6).
            local_path = None if limits.space else gr.Textbox(label=t("local_path"), placeholder="/path/to/image.jpg")
            preview = gr.Image(label=t("input_preview"), interactive=False, height=220, format="jpeg")
            input_info = gr.Markdown(elem_id="image-input-info")
            with gr.Accordion(t("partner_box"), open=False):
                partner = gr.File(label=t("partner_image"), file_types=["image"], type="filepath")
                gr.Examples([[p] for p in EXAMPLES], inputs=[partner], label=t("examples"))
        sources = [upload] if local_path is None else [upload, local_path]
        with gr.Column(scale=2):
            seed, count = seed_row(limits, "image", "samples")
            run = gr.Button(t("augment"), variant="primary", elem_id="image-augment")
            state, layout = pipeline_editor("image", demo_load, seed, count, [*sources, partner], _image_code(len(sources)))
    grid = gr.Gallery(
        label=t("grid"),
        columns=4,
        height="auto",
        object_fit="contain",
        format="jpeg",
        elem_id="image-grid",
        interactive=False,
    )
    selected = gr.Number(value=-1, precision=0, label=t("selected"), interactive=False, visible=False)
    with gr.Row():
        compare = gr.ImageSlider(
            label=t("before_after"), type="filepath", format="jpeg", interactive=False, elem_id="image-compare"
        )
        with gr.Column():
            record = gr.JSON(label=t("record"), elem_id="image-record", open=True)
            pin = gr.Button(t("pin"))
            pins = gr.JSON(value=[], label=t("pins"))
    records = gr.JSON(visible=False)

    upload.change(_api(handlers.show_input, "image"), upload, preview, api_name="image_show_input")
    upload.change(handlers.describe_input, upload, input_info, **PRIVATE)
    if local_path is not None:
        local_path.submit(_api(handlers.show_input, "path"), local_path, preview, api_name="image_show_local")
        local_path.submit(handlers.describe_input, local_path, input_info, **PRIVATE)
    augment = run.click(
        _with_source(handlers.augment_image, len(sources), "pipeline", "seed", "n", "partner"),
        [*sources, state, seed, count, partner],
        [grid, records],
        api_name="augment_image",
        **EDIT,
    )
    # A new grid: the old before/after no longer applies. Set in the page: a server round trip here
    # would take a connection and the server's time while the browser fetches the grid's files.
    augment.success(None, None, selected, js="() => -1", **PRIVATE)
    # After an error, no old grid under the message: it is not what this input and pipeline give.
    augment.failure(lambda: ([], None, -1), None, [grid, records, selected], **PRIVATE)
    grid.select(_picked, None, selected, **PRIVATE)
    selected.change(
        _with_source(_detail_or_clear, len(sources), "pipeline", "seed", "index", "partner"),
        [*sources, state, seed, selected, partner],
        [compare, record],
        api_name="image_sample_detail",
        **EDIT,
    )
    pin_files = gr.State({})  # source name -> server paths of pinned samples' inputs (never shown)
    pin.click(
        _api(handlers.pin_sample, "pins", "pipeline", "seed", "index"),
        [pins, state, seed, selected],
        pins,
        api_name="image_pin_sample",
        **EDIT,
    ).success(
        lambda *args: handlers.attach_pin_files(
            *args[len(sources) :], path=next((value for value in args[: len(sources)] if value), None)
        ),
        [*sources, pins, pin_files, partner],
        [pins, pin_files],
        **PRIVATE,
    )
    return state, pins, pin_files, layout, upload


def text_tab(limits: Limits, demo_load) -> tuple[gr.State, gr.State, gr.Textbox]:
    with gr.Row():
        with gr.Column(scale=1):
            text = gr.Textbox(
                value="The quick brown fox jumps over the lazy dog.",
                lines=3,
                max_length=limits.max_text_chars,
                label=t("text_input"),
                elem_id="text-input",
            )
            mode = gr.Radio(
                [(t("mode_lines"), "lines"), (t("mode_whole"), "whole")],
                value="lines",
                label=t("text_mode"),
                elem_id="text-mode",
            )
            seed, count = seed_row(limits, "text", "variants")
            with gr.Row():
                run = gr.Button(t("augment"), variant="primary", elem_id="text-augment", scale=3)
                min_similarity = gr.Slider(0.0, 1.0, value=0.0, step=0.01, label=t("min_similarity"), scale=2)
            table = gr.HTML(label=t("variants_table"), elem_id="text-variants")
            with gr.Accordion(t("records"), open=False):
                rows = gr.JSON(label=t("records"))
        with gr.Column(scale=1):
            code = _api(
                lambda s, seed_value, n, text_value, mode_value: handlers.show_code(
                    s, seed_value, n, None, None, text_value, mode_value
                ),
                "pipeline",
                "seed",
                "n",
                "text",
                "mode",
            )
            state, layout = pipeline_editor("text", demo_load, seed, count, [text, mode], code)

    def augment_text(text: str, pipeline: dict, seed: Any, n: Any, min_similarity: float, mode: str = "lines"):
        result = handlers.augment_text(text, pipeline, seed, n, mode)
        return result, textdiff.text_table(text, result, min_similarity)

    run.click(
        augment_text, [text, state, seed, count, min_similarity, mode], [rows, table], api_name="augment_text", **EDIT
    ).failure(
        lambda: (None, ""), None, [rows, table], **PRIVATE
    )  # no old variants under the error: they are not what this text and pipeline give
    min_similarity.change(
        _api(textdiff.text_table, "text", "rows", "min_similarity"),
        [text, rows, min_similarity],
        table,
        api_name="text_filter",
    )
    return state, layout, text


def augmenters_tab(targets: dict[str, Target], image_input: gr.File, text_input: gr.Textbox, tabs: gr.Tabs, shown_on) -> None:
    gr.Markdown(t("catalogue_intro"))
    catalogue_view(targets, image_input, text_input, tabs, shown_on, EXAMPLES)
    catalogue_table()


def analytics_opt_in() -> bool:
    """Gradio's telemetry and version check run only if the user asks (GRADIO_ANALYTICS_ENABLED=True).

    Decided here, when the Blocks is built at import, not by `launch()`: a Space imports this
    module and launches it without ever calling our `launch()`.
    """
    return os.environ.get("GRADIO_ANALYTICS_ENABLED") == "True"


def build(limits: Limits) -> gr.Blocks:
    serve_as_static()
    cache_pruning.start(cache_dir(), first_after_s=cache_pruning.FIRST_AFTER_S)  # previews and exports are not Gradio's to delete
    with gr.Blocks(title="augplay", delete_cache=(cache_pruning.CHECK_EVERY_S, cache_pruning.MAX_AGE_S), analytics_enabled=analytics_opt_in()) as blocks:
        gr.Markdown(t("intro"))
        with gr.Tabs() as tabs:
            with gr.Tab(t("tab_image"), id="image"):
                image_state, pins, pin_files, image_layout, image_input = image_tab(limits, blocks.load)
            with gr.Tab(t("tab_text"), id="text"):
                text_state, text_layout, text_input = text_tab(limits, blocks.load)
            with gr.Tab(t("tab_augmenters"), id="augmenters", elem_id="augmenters-tab") as augmenters:
                targets = {
                    "image": Target(image_state, image_layout, "image"),
                    "text": Target(text_state, text_layout, "text"),
                }
                augmenters_tab(targets, image_input, text_input, tabs, augmenters.select)
            with gr.Tab(t("tab_export"), id="export"):
                export_tab(limits, image_state, text_state, pins, pin_files)
    _progress_on_render_inputs(blocks)
    return blocks


def _progress_on_render_inputs(blocks: gr.Blocks) -> None:
    """Show a re-render's progress on its first input (the builder's state, the catalogue's search
    box), not over the column it renders into.

    On every status change of any event, Gradio's page refreshes the loading state of each
    component that ever showed progress, and for a column it snapshots every component inside.
    With the builders' columns among them, an Augment click cost ~100 ms of the page's JS, ~70 ms
    of it in those snapshots (Chromium's profiler, 10 clicks: 1.0 s -> 0.28 s in Gradio's clones).
    `show_progress_on` is an event's own setting; `gr.render` just does not take it."""
    for fn in blocks.fns.values():
        if fn.renderable is not None and fn.inputs:
            fn.show_progress_on = [fn.inputs[0]]


demo = build(current())


def launch_options(limits: Limits) -> dict:
    """`launch()` keyword arguments: Space mode adds tighter caps and no monitoring endpoint."""
    options: dict[str, Any] = dict(max_file_size=limits.max_file_size, i18n=I18N, css=CSS + CATALOGUE_CSS, show_error=False)
    if limits.space:
        options["enable_monitoring"] = False
    return options


def launch(host: str = "127.0.0.1", port: int = 7860, *, block: bool = True) -> gr.Blocks:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    limits = current()
    demo.queue(max_size=limits.queue_size, default_concurrency_limit=2)
    if not order_per_session(demo._queue, EDIT_GROUP):  # keep the order, at the price of parallel users
        for fn in demo.fns.values():
            if fn.concurrency_id == EDIT_GROUP:
                fn.concurrency_limit = 1
    demo.launch(server_name=host, server_port=port, prevent_thread_lock=True, **launch_options(limits))
    # What exists now (Gradio, numpy, the Blocks, the server: ~300k objects) lives as long as the
    # app. Frozen, the cyclic GC stops walking it: a full collection took ~170 ms here, a stall
    # that lands on whoever is waiting for a preview grid at the time.
    gc.freeze()
    if block:
        demo.block_thread()
    return demo


if __name__ == "__main__":
    launch(
        host=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"), port=int(os.environ.get("GRADIO_SERVER_PORT", "7860"))
    )
