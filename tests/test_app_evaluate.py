"""The Export tab's "Does it help?" panel: the same evaluation as `augplay evaluate`, limits on the server."""

from __future__ import annotations

from pathlib import Path

import gradio as gr
import pytest
from gradio_client import Client

from app import builder, evaluate_handlers

from app.previews import cache_dir

from .app_server import running_app


def _check(kind="demo_images", choice="light", seed=0, variants=1, seeds=1, holdout=0.3, budget=2, **kw):
    args = dict(
        source=kind, upload=None, local_path=None, pipeline=choice, image_state=builder.empty("image"),
        text_state=builder.empty("text"), seed=seed, text_column="", label_column="",
        variants=variants, seeds=seeds, holdout=holdout, budget_minutes=budget,
    )
    args.update(kw)
    return evaluate_handlers.run_evaluation(*args.values())


def test_the_panel_gives_a_verdict_a_chart_and_a_per_class_table():
    summary, chart, table = _check()
    assert summary.startswith("**") and ("Helps" in summary or "Hurts" in summary or "No measurable difference" in summary)
    assert "no held-out item" in summary and str(cache_dir()) not in summary  # no server path shown
    assert Path(chart).read_bytes()[:4] == b"\x89PNG"
    assert [row[0] for row in table] == ["circle", "square", "triangle"]
    assert all(len(row) == 6 for row in table)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("holdout", 1.5, "held-out fraction must be from 0.05 to 0.9"),
        ("seeds", 0, "Seeds must be a whole number from 1 to 20"),
        ("budget", -1, "time budget must be above 0"),
        ("variants", 2.5, "Variants per item must be a whole number"),
    ],
)
def test_bad_values_get_a_message_naming_the_field(field, value, message):
    with pytest.raises(gr.Error, match=message):
        _check(**{field: value})


def test_the_endpoint_through_gradio_client():
    with running_app() as url:
        client = Client(url, verbose=False)
        summary, chart, table = client.predict(
            "demo_images", None, None, "light", 0, "", "", 1, 1, 0.3, 2, api_name="/evaluate"
        )
    assert "held-out accuracy" in summary and Path(chart).suffix == ".png"
    assert [row[0] for row in table["data"]] == ["circle", "square", "triangle"]
