"""The Augmenters tab as a visual catalogue: every op on the current input, searchable, one click to add.

Cards come from the registry (name, family, description, caution, status in the session's
language) with a thumbnail of the op applied to the Image tab's input, or a before/after
sentence for text ops (`app.thumbnails`). *Add to pipeline* edits the Image or Text tab's
builder exactly as its own Add step does. The table below keeps the `catalogue` API endpoint.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Callable

import gradio as gr

from augmenters import AugplayError, load_image, locale, registry

from . import catalogue, handlers, textdiff, thumbnails
from .messages import session_language
from .ui_text import t, word

CATALOGUE_CSS = """
.op-card { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 6px; }
.op-card-name, .op-card-name * { white-space: nowrap; word-break: keep-all; overflow-wrap: normal; }
.op-card .sample-text { font-size: 0.9em; }
.op-card .sample-text ins { background: #c8f7c5; color: #0b3d0b; text-decoration: none; }
.op-card .sample-text del { background: #fbd0d0; color: #5c0b0b; }
"""


@dataclass(frozen=True)
class Target:
    """A tab's builder that *Add to pipeline* edits: its pipeline state and layout counter."""

    state: gr.State
    layout: gr.State
    tab_id: str


def matches(augmenter, query: str, language: str) -> bool:
    """Name, family, description (English or the session's language) contain every word of the query."""
    haystack = " ".join(
        [augmenter.name, augmenter.family, augmenter.description, locale.description(augmenter, language)]
    ).lower()
    return all(part in haystack for part in (query or "").lower().split())


def _current_image(path: str | None, fallback: str) -> Any:
    """The Image tab's input (shrunk), or the first example while none is loaded or it cannot be read."""
    for candidate in (path, fallback):
        if not candidate:
            continue
        try:
            return thumbnails.shrink(handlers.read_image(candidate))
        except (AugplayError, gr.Error):
            continue
    return None


def _status_line(augmenter, language: str) -> str:
    health = augmenter.health()
    if health.ok:
        return f"✓ {word('status_ok', language)}"
    return f"⛔ {health.status}: {html.escape(health.reason)}"


def _card_text(augmenter, language: str) -> str:
    lines = [f"<span class='op-card-name'>**`{augmenter.name}`**</span> · {augmenter.family}"]
    lines.append(locale.description(augmenter, language))
    if augmenter.caution:
        lines.append(f"⚠ {locale.caution(augmenter, language)}")
    lines.append(_status_line(augmenter, language))
    return "\n\n".join(lines)


def _sample_html(augmenter, sentence: str, language: str) -> str:
    after = thumbnails.text_sample(augmenter.name, sentence)
    if after is None:
        return f"<div class='sample-text'><i>{html.escape(word('no_sample', language))}</i></div>"
    return (
        f"<div class='sample-text'><b>{word('sample_before', language)}</b> {html.escape(sentence)}<br>"
        f"<b>{word('sample_after', language)}</b> {textdiff.diff_html(sentence, after)}</div>"
    )


def _adder(target: Target, op: str) -> Callable[..., tuple]:
    def add(state: dict, version: int) -> tuple:
        return handlers.edit(lambda s: handlers.add_step(s, op), state), version + 1, gr.Tabs(selected=target.tab_id)

    return add


def catalogue_view(
    targets: dict[str, Target], image_input: gr.File, text_input: gr.Textbox, tabs: gr.Tabs, shown_on, examples: list[str]
) -> None:
    """The search box and the cards; re-rendered when the search, the input or the tab changes."""
    with gr.Row():
        query = gr.Textbox(label=t("catalogue_search"), placeholder="rotate, noise, 노이즈…", scale=3, elem_id="catalogue-search")
        modality = gr.Radio(
            [(t("modality_all"), "all"), (t("modality_image"), "image"), (t("modality_text"), "text")],
            value="all",
            label=t("modality"),
            scale=2,
        )
    fallback = examples[0] if examples else None
    partner_path = examples[1] if len(examples) > 1 else fallback

    @gr.render(inputs=[query, modality, image_input, text_input], triggers=[query.submit, modality.change, shown_on])
    def cards(query_value: str, modality_value: str, image_path: str | None, text_value: str | None):
        language = session_language()
        picked = [
            a
            for a in registry.all(None if modality_value == "all" else modality_value)
            if matches(a, query_value, language)
        ]
        if not picked:
            gr.Markdown(word("catalogue_none", language))
            return
        image = _current_image(image_path, fallback)
        partner = load_image(partner_path) if partner_path else image
        sentence = next((line.strip() for line in (text_value or "").splitlines() if line.strip()), thumbnails.SAMPLE_SENTENCE)
        with gr.Row(equal_height=False):
            for augmenter in picked:
                with gr.Column(min_width=220, elem_classes=["op-card"], elem_id=f"op-card-{augmenter.name}"):
                    if augmenter.modality == "image":
                        thumb = thumbnails.image_thumbnail(augmenter.name, image, partner) if image is not None else None
                        gr.Image(
                            thumb, height=THUMB_HEIGHT, show_label=False, interactive=False, container=False,
                            buttons=[], format="jpeg",
                        )
                    else:
                        gr.HTML(_sample_html(augmenter, sentence, language))
                    gr.Markdown(_card_text(augmenter, language))
                    target = targets[augmenter.modality]
                    add = gr.Button(t("add_to_pipeline"), size="sm", elem_id=f"add-{augmenter.name}")
                    add.click(
                        _adder(target, augmenter.name),
                        [target.state, target.layout],
                        [target.state, target.layout, tabs],
                        api_visibility="private",
                        concurrency_id="pipeline",
                        concurrency_limit=1,
                    )


THUMB_HEIGHT = thumbnails.THUMB_SIDE + 8


def catalogue_table() -> None:
    """Every op as a table, and the `catalogue` API endpoint (gradio_client: `modality` -> rows)."""
    with gr.Accordion(t("catalogue"), open=False):
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

    def catalogue_rows(modality: str):
        return catalogue.catalogue_rows(None if modality == "all" else modality)

    refresh.click(catalogue_rows, modality, table, api_name="catalogue")
    modality.change(catalogue_rows, modality, table, api_visibility="private")
