"""How much one request may ask for: generous locally, tighter on a public Hugging Face Space."""

from __future__ import annotations

import os
from dataclasses import dataclass

from augmenters.loader import DEFAULT_MAX_PIXELS


@dataclass(frozen=True)
class Limits:
    space: bool  # running as a Hugging Face Space (SPACE_ID is set)
    max_samples: int
    max_file_size: str  # Gradio's upload cap, e.g. "20mb"
    max_file_bytes: int
    max_pixels: int
    max_text_chars: int
    max_text_rows: int  # lines × variants the Text tab shows at once
    max_yaml_bytes: int
    queue_size: int
    # Export tab: checked on the server, whatever the browser sends.
    max_export_items: int
    max_export_variants: int
    max_export_bytes: int
    max_export_workers: int


LOCAL = Limits(
    space=False,
    max_samples=16,
    max_file_size="50mb",
    max_file_bytes=50 * 1024 * 1024,
    max_pixels=DEFAULT_MAX_PIXELS,  # the loader's own cap: the app allows what the CLI allows
    max_text_chars=20_000,
    max_text_rows=256,
    max_yaml_bytes=256 * 1024,
    queue_size=64,
    max_export_items=1_000_000,
    max_export_variants=100,
    max_export_bytes=50 * 1024**3,
    max_export_workers=max(1, os.cpu_count() or 1),
)

SPACE = Limits(
    space=True,
    max_samples=8,
    max_file_size="10mb",
    max_file_bytes=10 * 1024 * 1024,
    max_pixels=12_000_000,
    max_text_chars=2_000,
    max_text_rows=64,
    max_yaml_bytes=64 * 1024,
    queue_size=16,
    max_export_items=500,
    max_export_variants=10,
    max_export_bytes=200 * 1024**2,
    max_export_workers=2,
)


def current() -> Limits:
    return SPACE if os.environ.get("SPACE_ID") else LOCAL
