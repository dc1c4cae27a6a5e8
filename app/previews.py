"""Preview images as files Gradio serves as they are: JPEG q90, PNG only when alpha matters.

Gradio would re-encode arrays as WebP (~25 ms for 512²) or JPEG at quality 75; writing
the bytes ourselves into its upload cache keeps previews fast and byte-identical to
`augplay preview --format jpeg`, and Gradio then serves the file without copying it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from augmenters import AugplayError, registry
from augmenters.core import summary
from augmenters.io import encode_image

CAPTION_CHARS = 180


def preview_format(image: np.ndarray) -> str:
    """PNG keeps transparency; everything else is JPEG (DESIGN §8)."""
    has_alpha = image.ndim == 3 and image.shape[2] == 4 and bool((image[:, :, 3] < 255).any())
    return "png" if has_alpha else "jpeg"


def encode_preview(image: np.ndarray) -> tuple[bytes, str]:
    fmt = preview_format(image)
    return encode_image(image, fmt), "png" if fmt == "png" else "jpg"


def cache_dir() -> Path:
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder()) / "augplay"


def serve_as_static() -> None:
    """Let Gradio serve the preview folder as it is, without checking each returned file.

    For every file an event returns, Gradio resolves its path against the allowed, created and
    static folders and then offers it to its cache: about 1.5 ms a file, 8 files a grid. Our
    previews already live in Gradio's upload folder under content-hash names, so marking the
    folder static skips that work and changes nothing about who can fetch what (DESIGN §9).
    """
    import gradio as gr

    gr.set_static_paths([cache_dir()])
    _check_first()


def _check_first() -> None:
    """Put the preview folder first among Gradio's static paths.

    Gradio tests a returned file, and again a fetched one, against each static path in order,
    resolving both paths every time (~0.4 ms a pair here); its own icons come first otherwise,
    so every preview paid for three pairs, twice. `_StaticFiles` is Gradio's private list: if it
    is gone, the order stays Gradio's (slower, not wrong)."""
    try:
        from gradio.data_classes import _StaticFiles
    except ImportError:
        return
    paths = getattr(_StaticFiles, "all_paths", None)
    ours = cache_dir().resolve()
    if isinstance(paths, list) and ours in paths:
        paths.remove(ours)
        paths.insert(0, ours)


def write_preview(image: np.ndarray, stem: str = "sample") -> str:
    """Write into a folder named by the content hash, so equal previews share one file."""
    return write_preview_bytes(*encode_preview(image), stem)


def write_preview_bytes(data: bytes, ext: str, stem: str = "sample") -> str:
    """Encoded bytes (from the export engine's render path) as a file Gradio serves as it is."""
    folder = cache_dir() / hashlib.sha256(data).hexdigest()[:32]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.{ext}"
    if not path.exists():
        path.write_bytes(data)
    return str(path)


def _describe_entry(entry: dict, node: dict | None) -> list[str]:
    if "group" in entry:
        options = (node or {}).get(entry["group"], [])
        chosen = entry.get("chosen", [])
        return [
            part
            for j, child in zip(chosen, entry.get("steps", []))
            for part in _describe_entry(child, options[j] if j < len(options) else None)
        ]
    if not entry.get("applied"):
        return []
    shown = _summary(entry["op"], entry.get("params") or {}, (node or {}).get("settings", {}))
    return [f"{entry['op']}({shown})" if shown else entry["op"]]


def _summary(op: str, params: dict, settings: dict) -> str:
    """The augmenter's own short form; a record of an op not registered here still reads as key=value."""
    try:
        augmenter = registry.get(op)
    except AugplayError:
        return summary.generic(params, settings)
    return augmenter.summarize(params, settings)


def caption(record: dict, pipeline: dict | None = None) -> str:
    """`#3 rotate(angle=12.5) · hflip`, label weights first for mixing ops; shortened to fit a tile.

    Each step reads as its augmenter summarizes it (a policy's sub-ops, numbers to 4
    significant digits); the record itself stays exact. With the pipeline (its dict form),
    settings echoed unchanged into the params are left out.
    """
    nodes = (pipeline or {}).get("steps", [])
    entries = record.get("steps", [])
    parts = [
        part for i, entry in enumerate(entries) for part in _describe_entry(entry, nodes[i] if i < len(nodes) else None)
    ]
    labels = record.get("labels")
    weights = "[" + ", ".join(f"{k} {summary.number(v)}" for k, v in labels.items()) + "] " if labels else ""
    text = f"#{record['index']} {weights}" + (" · ".join(parts) if parts else "unchanged")
    return text if len(text) <= CAPTION_CHARS else text[: CAPTION_CHARS - 1] + "…"
