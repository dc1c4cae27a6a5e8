"""What the app's Hub buttons do: download a step's missing models, push a finished export.

Thin adapters over `augmenters.hub`; errors become `gr.Error` with the hub's one-line message.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import gradio as gr

from augmenters import AugplayError, hub, registry
from augmenters.core.augmenter import Health
from augmenters.models import resolve

from .limits import current


def step_health(step: dict) -> Health:
    """The step's health for its own settings (a model setting names its own model)."""
    augmenter = registry.get(step["op"])
    try:
        return augmenter.health_for(step.get("settings", {}))
    except AugplayError:  # settings being edited: the defaults' status until they are valid
        return augmenter.health()


def missing_models(step: dict) -> list[str]:
    """Hub ids the step needs that are not on this machine (folders cannot be downloaded)."""
    try:
        needed = registry.get(step["op"]).models_for(step.get("settings", {}))
    except AugplayError:
        return []
    return [m for m in needed if not m.startswith((".", "/", "~")) and resolve(m) is None]


def download_models(model_ids: Sequence[str], layout: int, progress=gr.Progress(track_tqdm=True)) -> int:
    """Pull the models (local app only), then bump the layout so the builder shows the new status."""
    if current().space:
        raise gr.Error("Models are preloaded on a Space; downloads are for the local app.", print_exception=False)
    try:
        hub.pull_many(list(model_ids))
    except AugplayError as exc:
        raise gr.Error(str(exc), print_exception=False) from None
    gr.Info(f"Downloaded {', '.join(model_ids)}")
    return layout + 1


def push_export(folder: Path | None, repo_id: str, public: bool) -> str:
    """Push a finished export folder; returns a Markdown line with the repo's URL."""
    if folder is None:
        raise gr.Error("Export a dataset first, then push it.", print_exception=False)
    if not (repo_id or "").strip():
        raise gr.Error("Give the dataset repo as your-name/dataset-name.", print_exception=False)
    try:
        url = hub.push(folder, repo_id.strip(), private=not public)
    except AugplayError as exc:
        raise gr.Error(str(exc), print_exception=False) from None
    return f"Pushed to [{repo_id.strip()}]({url}) ({'public' if public else 'private'})."
