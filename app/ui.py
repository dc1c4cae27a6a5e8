"""The Gradio app. Module-level `demo` so tests and Hugging Face Spaces can import it.

Placeholder until the playground issue lands: one preset, one image, a grid of samples.
"""

from __future__ import annotations

import os

import gradio as gr

from augmenters import AugplayError, Pipeline, load_image
from presets import names as preset_names


def augment_image(path: str | None, preset: str, seed: float, n: float):
    if not path:
        raise gr.Error("Upload an image first.")
    try:
        image = load_image(path)
        pipeline = Pipeline.load(preset)
        samples = pipeline.sample_many(image, seed=int(seed), n=int(n))
    except AugplayError as exc:
        raise gr.Error(str(exc)) from None
    return [(out, f"#{rec['index']}") for out, rec in samples]


with gr.Blocks(title="augplay") as demo:
    gr.Markdown("# augplay\nSee what an augmentation does, seeded and on record.")
    with gr.Tab("Image"):
        upload = gr.File(label="Image", file_types=["image"], type="filepath")
        image_presets = [n for n in preset_names() if Pipeline.load(n).modality == "image"]
        preset = gr.Dropdown(image_presets, value=image_presets[0] if image_presets else None, label="Preset")
        seed = gr.Number(value=0, precision=0, label="Seed")
        count = gr.Slider(1, 16, value=8, step=1, label="Samples")
        run = gr.Button("Augment", variant="primary")
        grid = gr.Gallery(label="Samples", columns=4, format="jpeg")
        run.click(augment_image, [upload, preset, seed, count], grid, api_name="augment_image")


def launch(host: str = "127.0.0.1", port: int = 7860) -> None:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    demo.queue(max_size=32).launch(server_name=host, server_port=port, show_error=False)


if __name__ == "__main__":
    launch()
