"""The Export tab's "Does it help?" panel: the same `augmenters.evaluate` the CLI runs, with the tab's inputs.

The evaluation lives in Gradio's cache in a folder named by its arguments, so the same
request twice reuses its export and only trains again. Limits are checked here, on the server.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import gradio as gr

from augmenters.evaluate import EvaluationOptions, evaluate
from augmenters.evaluate.report import per_class_rows, summary_markdown
from augmenters.evaluate.run import make_plan_for

from .export_handlers import _input_path, _pipeline, _source_limits, _whole, in_app_words
from .handlers import check_seed, human_errors
from .limits import current
from .previews import cache_dir

SPACE_MAX_SEEDS, SPACE_MAX_MINUTES = 3, 5.0  # a shared Space: a short, bounded check per request


def _fraction(value: Any) -> float:
    try:
        fraction = float(value)
    except (TypeError, ValueError):
        fraction = -1.0
    if not 0.05 <= fraction <= 0.9:
        raise gr.Error("The held-out fraction must be from 0.05 to 0.9 (e.g. 0.2).", print_exception=False)
    return fraction


def _minutes(value: Any, space: bool) -> float | None:
    if value in (None, "", 0):
        return SPACE_MAX_MINUTES if space else None
    try:
        minutes = float(value)
    except (TypeError, ValueError):
        minutes = -1.0
    most = SPACE_MAX_MINUTES if space else 600.0
    if not 0 < minutes <= most:
        raise gr.Error(f"The time budget must be above 0 and at most {most:g} minutes.", print_exception=False)
    return minutes


@human_errors
@in_app_words
def run_evaluation(
    source, upload, local_path, pipeline, image_state, text_state, seed, text_column, label_column,
    variants, seeds, holdout, budget_minutes, progress=gr.Progress(),
):  # parameter names are the gradio_client API's (docs/evaluate.md)
    """Train the small model without and with the pipeline's variants; the verdict, a chart and the per-class table."""
    limits = current()
    options = EvaluationOptions(
        variants=_whole(variants, "Variants per item", 1, min(100, limits.max_export_variants)),
        seeds=_whole(seeds, "Seeds", 1, SPACE_MAX_SEEDS if limits.space else 20),
        seed=check_seed(seed),
        holdout=_fraction(holdout),
        budget_minutes=_minutes(budget_minutes, limits.space),
        text_column=(text_column or "").strip() or None,
        label_column=(label_column or "").strip() or None,
    )
    pipeline = _pipeline(pipeline, image_state, text_state)
    input_path = _input_path(source, upload, local_path, limits)
    source_limits = _source_limits(limits)
    progress(0, desc="Estimating")
    plan = make_plan_for(pipeline, input_path, options, source_limits)
    key = json.dumps({"input": str(input_path.resolve()), "pipeline": pipeline.to_dict(), "options": repr(options)}, sort_keys=True)
    folder = cache_dir() / "evaluations" / hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]

    def report(done: int, total: int, stage: str) -> None:
        progress((done, total), desc=stage.capitalize(), unit="steps")

    result = evaluate(pipeline, input_path, options, out=folder, limits=source_limits, progress=report, plan=plan)
    return summary_markdown(result.report), str(result.chart), per_class_rows(result.report)
