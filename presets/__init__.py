"""Named pipelines as YAML data files; this module only finds them (augmenters.Pipeline loads them)."""

from __future__ import annotations

from pathlib import Path

PRESET_DIR = Path(__file__).resolve().parent
_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_-")


def names() -> list[str]:
    """Every shipped preset, by file stem."""
    return sorted(p.stem for p in PRESET_DIR.glob("*.yaml"))


def preset_path(name: str) -> Path:
    """The file of a shipped preset; a clear error for an unknown name (never a path escape)."""
    from augmenters.core.errors import PipelineError

    if not name or set(name) - _NAME_CHARS:
        raise PipelineError(f"{name!r} is neither a file nor a preset name; presets: {', '.join(names())}")
    path = PRESET_DIR / f"{name}.yaml"
    if not path.is_file():
        raise PipelineError(f"no preset named {name!r}; presets: {', '.join(names())}")
    return path
