"""The Export tab's layout and wiring; what the buttons do lives in `app.export_handlers`."""

from __future__ import annotations

import gradio as gr

from app import evaluate_handlers, export_handlers
from augmenters.evaluate.report import PER_CLASS_HEADERS
from app.limits import Limits
from app.ui_text import t


def export_tab(
    limits: Limits, image_state: gr.State, text_state: gr.State, pins: gr.JSON | None = None, pin_files: gr.State | None = None
) -> None:
    gr.Markdown(t("export_intro"))
    with gr.Row():
        with gr.Column(scale=1):
            kind = gr.Radio(
                export_handlers.source_choices(limits), value="demo_images", label=t("export_source"), elem_id="export-source"
            )
            upload = gr.File(
                label=t("export_upload"), file_types=list(export_handlers.UPLOAD_SUFFIXES), type="filepath", elem_id="export-upload"
            )
            # A server path is a local convenience only: a Space never offers it (DESIGN §6).
            local = (
                None
                if limits.space
                else gr.Textbox(label=t("export_local"), placeholder="/path/to/dataset", elem_id="export-local")
            )
            choice = gr.Dropdown(
                export_handlers.pipeline_choices(), value=export_handlers.FROM_IMAGE_TAB, label=t("export_pipeline"), elem_id="export-pipeline"
            )
            with gr.Row():
                # No rounding and no bounds in the browser: 2.5 or -1 must reach the server and get its
                # message (which names the field), not be rounded to 2 or refused by Gradio anonymously.
                variants = gr.Number(value=2, precision=None, step=1, label=t("export_variants"), elem_id="export-variants")
                seed = gr.Number(value=0, precision=None, step=1, label=t("export_seed"), elem_id="export-seed")
                fmt = gr.Dropdown(["same", "jpeg", "png", "webp"], value="same", label=t("export_format"), elem_id="export-format")
            with gr.Row():
                originals = gr.Checkbox(False, label=t("export_originals"), elem_id="export-originals")
                balance = gr.Checkbox(False, label=t("export_balance"), elem_id="export-balance")
            workers = gr.Slider(1, limits.max_export_workers, value=1, step=1, label=t("export_workers"), elem_id="export-workers")
            engines = export_handlers.engine_choices(limits)
            engine = gr.Radio(engines, value="local", label=t("export_engine"), visible=len(engines) > 1, elem_id="export-engine")
            with gr.Accordion(t("export_text_columns"), open=False):
                text_column = gr.Textbox(label=t("export_text_column"), elem_id="export-text-column")
                label_column = gr.Textbox(label=t("export_label_column"), elem_id="export-label-column")
            with gr.Row():
                estimate = gr.Button(t("export_estimate"), elem_id="export-estimate")
                start = gr.Button(t("export_start"), variant="primary", elem_id="export-start")
            if pins is not None:
                with gr.Accordion(t("export_pins"), open=False):
                    gr.Markdown(t("export_pins_help"))
                    pins_button = gr.Button(t("export_pins_button"), elem_id="export-pins")
                    pins_summary = gr.Markdown(elem_id="export-pins-summary")
                    pins_download = gr.File(label=t("export_download"), interactive=False, elem_id="export-pins-download")
        with gr.Column(scale=1):
            summary = gr.Markdown(label=t("export_summary"), elem_id="export-summary")
            download = gr.File(label=t("export_download"), interactive=False, elem_id="export-download")
            gallery = gr.Gallery(label=t("export_samples"), columns=4, height="auto", interactive=False, elem_id="export-gallery")
            rows = gr.JSON(label=t("export_rows"), elem_id="export-rows")
            if export_handlers.push_offered(limits):
                with gr.Accordion(t("push_button"), open=False):
                    repo = gr.Textbox(label=t("push_repo"), elem_id="export-push-repo")
                    public = gr.Checkbox(False, label=t("push_public"), elem_id="export-push-public")
                    push = gr.Button(t("push_button"), elem_id="export-push")
                    pushed = gr.Markdown(elem_id="export-push-result")

    # What the user does says where the data comes from: an upload or a typed path selects that source,
    # and the pipeline follows the dataset's kind when it was the other tab's (images vs text).
    upload.upload(export_handlers.after_upload, [upload, choice], [kind, choice], queue=False, api_visibility="private")
    kind.input(export_handlers.after_source, [kind, choice], choice, queue=False, api_visibility="private")
    if local is not None:
        local.change(export_handlers.after_local, local, kind, queue=False, api_visibility="private")

    local_box = [local] if local is not None else [gr.State(None)]
    inputs = [
        kind, upload, *local_box, choice, image_state, text_state, variants, seed, fmt, originals, balance, workers,
        text_column, label_column, engine,
    ]
    outputs = [summary, download, gallery, rows]
    # A new request first clears the last result (an error must not sit beside the previous run's ZIP)
    # and Start waits until the run is over: a double click does not start the same export twice.
    run = start.click(export_handlers.started, None, [*outputs, start], queue=False, api_visibility="private").then(
        export_handlers.run_export, inputs, outputs, api_name="export_dataset", concurrency_limit=2
    )
    # Both, not `.then`: this Gradio's browser code runs a `.then` after a success only, and a
    # Start left disabled after an error would leave no way to correct the value and retry.
    for after in (run.success, run.failure):
        after(export_handlers.finished, None, start, queue=False, api_visibility="private")
    estimate.click(export_handlers.estimate_export, inputs, summary, api_name="export_estimate")
    evaluate_panel(inputs[:6] + [seed, text_column, label_column])
    if export_handlers.push_offered(limits):
        push.click(export_handlers.push_export, [*inputs, repo, public], pushed, api_visibility="private")
    if pins is not None:
        pins_button.click(
            export_handlers.export_pins, [pins, pin_files, fmt], [pins_summary, pins_download], api_visibility="private"
        )


def evaluate_panel(dataset_inputs: list) -> None:
    """"Does it help?": the chosen dataset and pipeline, trained without and with its variants."""
    with gr.Accordion(t("evaluate_title"), open=False, elem_id="evaluate-panel"):
        gr.Markdown(t("evaluate_help"))
        with gr.Row():
            variants = gr.Number(value=4, precision=None, step=1, label=t("export_variants"), elem_id="evaluate-variants")
            seeds = gr.Number(value=3, precision=None, step=1, label=t("evaluate_seeds"), elem_id="evaluate-seeds")
            holdout = gr.Number(value=0.2, precision=None, step=0.05, label=t("evaluate_holdout"), elem_id="evaluate-holdout")
            budget = gr.Number(value=5, precision=None, step=1, label=t("evaluate_budget"), elem_id="evaluate-budget")
        button = gr.Button(t("evaluate_start"), variant="primary", elem_id="evaluate-start")
        with gr.Row():
            summary = gr.Markdown(elem_id="evaluate-summary")
            chart = gr.Image(label=t("evaluate_chart"), type="filepath", format="png", interactive=False, elem_id="evaluate-chart")
        table = gr.Dataframe(headers=PER_CLASS_HEADERS, label=t("evaluate_per_class"), interactive=False, elem_id="evaluate-per-class")
    button.click(
        evaluate_handlers.run_evaluation,
        [*dataset_inputs, variants, seeds, holdout, budget],
        [summary, chart, table],
        api_name="evaluate",
        concurrency_limit=1,
    )
