"""The Gradio app: Image, Text, Augmenters and Export tabs over the same Pipeline the CLI runs.

Module-level `demo` so tests and Hugging Face Spaces can import it; `launch()` starts it.
Layout and wiring only: every handler is a plain function in `app.handlers`, and the
pipeline builder's controls come from the specs through `app.widgets.CONTROLS`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Callable

if not __package__:  # run as a script, as Hugging Face Spaces does (app_file: app/ui.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import gradio as gr  # noqa: E402

from augmenters import registry  # noqa: E402

from app import builder, catalogue, handlers, textdiff  # noqa: E402
from app.limits import Limits, current  # noqa: E402
from app.ui_export import export_tab  # noqa: E402
from app.ui_text import I18N, t  # noqa: E402
from app.widgets import KEYED, control_for  # noqa: E402

ASSETS = Path(__file__).resolve().parent / "assets"
EXAMPLES = sorted(str(p) for p in ASSETS.glob("*.jpg"))
PRIVATE = dict(api_visibility="private")
# Edits read the session's pipeline and write it back, and a value typed just before a click
# (Remove, Augment) is committed by the same click. Run concurrently, an edit could be lost or
# an Augment could use the pipeline from before the edit. One queue for everything that reads
# or writes the pipeline keeps each session's events in the order they were made.
EDIT = dict(concurrency_id="pipeline", concurrency_limit=1)

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


def _setter(position: builder.Position, name: str, combine: Callable[..., Any]) -> Callable[..., dict]:
    def run(state: dict, *values: Any) -> dict:
        if any(value is None for value in values):  # a number box half typed ("-", ""): not a value yet
            return gr.skip()
        return handlers.edit(builder.set_setting, state, position, name, combine(*values))

    return run


def _probability_setter(position: builder.Position) -> Callable[[dict, float], dict]:
    def run(state: dict, p: float) -> dict:
        if p is None:
            return gr.skip()
        return handlers.edit(builder.set_probability, state, position, p)

    return run


def _on_user_edit(component: gr.components.Component, fn: Callable[..., Any], inputs: list, state: gr.State) -> None:
    """Commit every user input as it happens, the latest one winning while edits queue up.

    Committing on blur or release is not enough: those fire as the user clicks Augment, and
    the browser may send the click first, so the samples would use the value before the edit.
    """
    component.input(fn, inputs, state, trigger_mode="always_last", **PRIVATE, **EDIT)


def _step_header(step: dict, title: str) -> None:
    augmenter = registry.get(step["op"])
    health = augmenter.health()
    lines = [f"**{title} · `{augmenter.name}`** ({augmenter.family}) — {augmenter.description}"]
    if augmenter.caution:
        lines.append(f"⚠ {augmenter.caution}")
    if not health.ok:
        lines.append(f"⛔ {health.status}: {health.reason}")
    gr.Markdown("\n\n".join(lines), elem_classes=[] if health.ok else ["op-unavailable"])


def _probability_slider(node: dict, position: builder.Position, state: gr.State, key: str) -> None:
    """The `p` of a step or a group."""
    p = gr.Slider(0.0, 1.0, value=node.get("p", 1.0), step=0.05, label=t("probability"), key=f"{key}-p", **KEYED)
    _on_user_edit(p, _probability_setter(position), [state, p], state)


def _step_controls(step: dict, position: builder.Position, state: gr.State, key: str) -> None:
    augmenter = registry.get(step["op"])
    _probability_slider(step, position, state, key)
    for param in augmenter.spec:
        value = step["settings"].get(param.name, param.default_value)
        control = control_for(param, value, f"{key}-{param.name}")
        for component in control.components:
            _on_user_edit(
                component, _setter(position, param.name, control.combine), [state, *control.components], state
            )


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


def _render_builder(state: gr.State, layout: gr.State, prefix: str, demo_load) -> None:
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
                    _step_header(node, f"{i + 1}")
                    _step_controls(node, (i, None), state, f"{key}-{node['op']}")
                    _edit_buttons(i, len(nodes), False, state, layout, key)
                    continue
                gr.Markdown(f"**{i + 1} · {kind}**")
                _probability_slider(node, (i, None), state, key)
                for j, child in enumerate(node[kind]):
                    with gr.Accordion(f"{i + 1}.{j + 1} {child['op']}", open=True, key=f"{key}-{j}-acc"):
                        _step_header(child, f"{i + 1}.{j + 1}")
                        _step_controls(child, (i, j), state, f"{key}-{j}-{child['op']}")
                        remove = gr.Button(t("remove"), size="sm", key=f"{key}-{j}-remove")
                        remove.click(
                            lambda s, v, pos=(i, j): _restructure(builder.remove)(s, v, pos),
                            [state, layout],
                            [state, layout],
                            **PRIVATE,
                            **EDIT,
                        )
                _edit_buttons(i, len(nodes), True, state, layout, key)


def pipeline_editor(modality: str, demo_load, seed: gr.Number, count: gr.Slider) -> gr.State:
    """Preset picker, add-step, the rendered steps, YAML load/save and 'show code'."""
    state = gr.State(builder.empty(modality))
    layout = gr.State(0)
    with gr.Row():
        preset = gr.Dropdown(
            catalogue.presets_for(modality), value=None, label=t("preset"), scale=2, elem_id=f"{modality}-preset"
        )
        op = gr.Dropdown(catalogue.catalogue_choices(modality), value=None, label=t("add_op"), scale=2)
        add = gr.Button(t("add_step"), scale=1)
    with gr.Column(elem_id=f"{modality}-builder"):
        _render_builder(state, layout, modality, demo_load)
    with gr.Accordion(t("yaml_view"), open=False):
        yaml_view = gr.Code(
            handlers.pipeline_yaml(builder.empty(modality)), language="yaml", label=t("yaml_view"), interactive=False
        )
        with gr.Row():
            yaml_in = gr.File(label=t("yaml_upload"), file_types=[".yaml", ".yml"], type="filepath")
            with gr.Column():
                save = gr.Button(t("yaml_save"))
                yaml_out = gr.File(label=t("yaml_file"), interactive=False)
    with gr.Accordion(t("show_code"), open=False):
        code_button = gr.Button(t("show_code"))
        python_code = gr.Code(language="python", label=t("python_code"), interactive=False)
        cli_code = gr.Code(language="shell", label=t("cli_code"), interactive=False)

    preset.input(
        lambda s, v, name: (handlers.load_preset(name, modality), v + 1),
        [state, layout, preset],
        [state, layout],
        api_name=f"{modality}_load_preset",
        **EDIT,
    )
    add.click(
        _restructure(lambda s, name: handlers.add_step(s, name)),
        [state, layout, op],
        [state, layout],
        api_name=f"{modality}_add_step",
        **EDIT,
    )
    yaml_in.upload(
        lambda s, v, path: (handlers.load_yaml(path, modality), v + 1),
        [state, layout, yaml_in],
        [state, layout],
        api_name=f"{modality}_load_yaml",
        **EDIT,
    )
    save.click(handlers.save_yaml, state, yaml_out, api_name=f"{modality}_save_yaml", **EDIT)
    code_button.click(
        handlers.show_code, [state, seed, count], [python_code, cli_code], api_name=f"{modality}_show_code", **EDIT
    )
    state.change(handlers.pipeline_yaml, state, yaml_view, api_name=f"{modality}_pipeline_yaml")
    return state


def seed_row(limits: Limits, prefix: str, count_label: str) -> tuple[gr.Number, gr.Slider]:
    with gr.Row():
        seed = gr.Number(value=0, precision=0, minimum=0, maximum=handlers.UI_MAX_SEED, label=t("seed"), scale=2)
        reseed = gr.Button(t("new_seed"), scale=1)
        count = gr.Slider(
            1, limits.max_samples, value=min(8, limits.max_samples), step=1, label=t(count_label), scale=3
        )
    reseed.click(handlers.new_seed, None, seed, api_name=f"{prefix}_new_seed")
    return seed, count


def _picked(evt: gr.SelectData) -> int:
    return int(evt.index)


def _with_source(handler: Callable[..., Any], n_sources: int) -> Callable[..., Any]:
    """The handler gets one image path: the upload or, locally, the typed path, whichever is given."""

    def run(*args: Any) -> Any:
        path = next((value for value in args[:n_sources] if value), None)
        return handler(path, *args[n_sources:])

    return run


def _detail_or_clear(path: str | None, state: dict, seed: Any, index: Any, partner: str | None):
    """Index -1 means no sample is selected (a new grid): clear the before/after."""
    if index is None or int(index) < 0:
        return None, None
    return handlers.sample_detail(path, state, seed, index, partner)


# -- tabs ---------------------------------------------------------------------------------


def image_tab(limits: Limits, demo_load) -> gr.State:
    with gr.Row():
        with gr.Column(scale=1):
            upload = gr.File(label=t("input_image"), file_types=["image"], type="filepath", elem_id="image-input")
            gr.Examples([[p] for p in EXAMPLES], inputs=[upload], label=t("examples"))
            # A server path is a local convenience only: a Space never offers it (DESIGN §6).
            local_path = None if limits.space else gr.Textbox(label=t("local_path"), placeholder="/path/to/image.jpg")
            preview = gr.Image(label=t("input_preview"), interactive=False, height=220, format="jpeg")
            with gr.Accordion(t("partner_box"), open=False):
                partner = gr.File(label=t("partner_image"), file_types=["image"], type="filepath")
                gr.Examples([[p] for p in EXAMPLES], inputs=[partner], label=t("examples"))
        with gr.Column(scale=2):
            seed, count = seed_row(limits, "image", "samples")
            run = gr.Button(t("augment"), variant="primary", elem_id="image-augment")
            state = pipeline_editor("image", demo_load, seed, count)
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

    sources = [upload] if local_path is None else [upload, local_path]
    upload.change(handlers.show_input, upload, preview, api_name="image_show_input")
    if local_path is not None:
        local_path.submit(handlers.show_input, local_path, preview, api_name="image_show_local")
    run.click(
        _with_source(handlers.augment_image, len(sources)),
        [*sources, state, seed, count, partner],
        [grid, records],
        api_name="augment_image",
        **EDIT,
    ).success(
        lambda: -1, None, selected, **PRIVATE
    )  # a new grid: the old before/after no longer applies
    grid.select(_picked, None, selected, **PRIVATE)
    selected.change(
        _with_source(_detail_or_clear, len(sources)),
        [*sources, state, seed, selected, partner],
        [compare, record],
        api_name="image_sample_detail",
        **EDIT,
    )
    pin.click(handlers.pin_sample, [pins, state, seed, selected], pins, api_name="image_pin_sample", **EDIT)
    return state


def text_tab(limits: Limits, demo_load) -> gr.State:
    with gr.Row():
        with gr.Column(scale=1):
            text = gr.Textbox(
                value="The quick brown fox jumps over the lazy dog.",
                lines=3,
                max_length=limits.max_text_chars,
                label=t("text_input"),
                elem_id="text-input",
            )
            seed, count = seed_row(limits, "text", "variants")
            with gr.Row():
                run = gr.Button(t("augment"), variant="primary", elem_id="text-augment", scale=3)
                min_similarity = gr.Slider(0.0, 1.0, value=0.0, step=0.01, label=t("min_similarity"), scale=2)
            table = gr.HTML(label=t("variants_table"), elem_id="text-variants")
            with gr.Accordion(t("records"), open=False):
                rows = gr.JSON(label=t("records"))
        with gr.Column(scale=1):
            state = pipeline_editor("text", demo_load, seed, count)

    def run_text(text_value, state_value, seed_value, n, threshold):
        result = handlers.augment_text(text_value, state_value, seed_value, n)
        return result, textdiff.text_table(text_value, result, threshold)

    run.click(run_text, [text, state, seed, count, min_similarity], [rows, table], api_name="augment_text", **EDIT)
    min_similarity.change(textdiff.text_table, [text, rows, min_similarity], table, api_name="text_filter")
    return state


def augmenters_tab() -> None:
    gr.Markdown(t("catalogue_intro"))
    with gr.Row():
        modality = gr.Radio(["all", "image", "text"], value="all", label="modality", scale=3)
        refresh = gr.Button(t("refresh"), size="sm", scale=1)
    table = gr.Dataframe(
        value=catalogue.catalogue_rows(),
        headers=catalogue.CATALOGUE_COLUMNS,
        datatype=["str", "str", "str", "str", "str", "markdown", "str"],
        column_widths=["11%", "7%", "8%", "8%", "14%", "32%", "20%"],
        interactive=False,
        wrap=True,
        max_height=2400,
        label=t("catalogue"),
    )
    refresh.click(lambda m: catalogue.catalogue_rows(None if m == "all" else m), modality, table, api_name="catalogue")
    modality.change(lambda m: catalogue.catalogue_rows(None if m == "all" else m), modality, table, **PRIVATE)


def build(limits: Limits) -> gr.Blocks:
    with gr.Blocks(title="augplay", delete_cache=(3600, 24 * 3600)) as blocks:
        gr.Markdown(t("intro"))
        with gr.Tabs():
            with gr.Tab(t("tab_image"), id="image"):
                image_state = image_tab(limits, blocks.load)
            with gr.Tab(t("tab_text"), id="text"):
                text_state = text_tab(limits, blocks.load)
            with gr.Tab(t("tab_augmenters"), id="augmenters"):
                augmenters_tab()
            with gr.Tab(t("tab_export"), id="export"):
                export_tab(limits, image_state, text_state)
    return blocks


demo = build(current())


def launch_options(limits: Limits) -> dict:
    """`launch()` keyword arguments: Space mode adds tighter caps and no monitoring endpoint."""
    options: dict[str, Any] = dict(max_file_size=limits.max_file_size, i18n=I18N, css=CSS, show_error=False)
    if limits.space:
        options["enable_monitoring"] = False
    return options


def launch(host: str = "127.0.0.1", port: int = 7860, *, block: bool = True) -> gr.Blocks:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    limits = current()
    demo.queue(max_size=limits.queue_size, default_concurrency_limit=2)
    demo.launch(server_name=host, server_port=port, prevent_thread_lock=not block, **launch_options(limits))
    return demo


if __name__ == "__main__":
    launch(
        host=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"), port=int(os.environ.get("GRADIO_SERVER_PORT", "7860"))
    )
