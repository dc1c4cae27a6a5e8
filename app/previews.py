"""Preview images as files Gradio serves as they are: JPEG q90, PNG only when alpha matters.

Gradio would re-encode arrays as WebP (~25 ms for 512²) or JPEG at quality 75; writing
the bytes ourselves into its upload cache keeps previews fast and byte-identical to
`augplay preview --format jpeg`, and Gradio then serves the file without copying it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np

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


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)) and len(value) > 4:
        return f"[{len(value)} items]"
    if isinstance(value, dict):
        return "{…}"
    return json.dumps(value, ensure_ascii=False)


def _drawn(params: dict, settings: dict) -> dict:
    """The values the op drew: not flags or choices, not a setting echoed back as it was set."""
    return {
        k: v for k, v in params.items() if not isinstance(v, (bool, str)) and not (k in settings and settings[k] == v)
    }


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
    drawn = _drawn(entry.get("params") or {}, (node or {}).get("settings", {}))
    shown = ", ".join(f"{k}={_short(v)}" for k, v in drawn.items())
    return [f"{entry['op']}({shown})" if shown else entry["op"]]


def caption(record: dict, pipeline: dict | None = None) -> str:
    """`#3 rotate(angle=12.5) · hflip`, label weights first for mixing ops; shortened to fit a tile.

    With the pipeline (its dict form), settings echoed unchanged into the params are left out.
    """
    nodes = (pipeline or {}).get("steps", [])
    entries = record.get("steps", [])
    parts = [
        part for i, entry in enumerate(entries) for part in _describe_entry(entry, nodes[i] if i < len(nodes) else None)
    ]
    labels = record.get("labels")
    weights = "[" + ", ".join(f"{k} {v:.2f}" for k, v in labels.items()) + "] " if labels else ""
    text = f"#{record['index']} {weights}" + (" · ".join(parts) if parts else "unchanged")
    return text if len(text) <= CAPTION_CHARS else text[: CAPTION_CHARS - 1] + "…"
