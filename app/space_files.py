"""Writes the Hugging Face Space files that copy facts from elsewhere: `requirements.txt` and the
`preload_from_hub:` list in README.md's front matter.

Spaces install requirements.txt before the repository is copied in, so it cannot say `.`;
this keeps it a copy of `[project].dependencies`. `preload_from_hub` lists the models the ops'
default settings name (augmenters.hub.default_model_ids), so a Space starts with them in its
HF cache. Run `python -m app.space_files` after changing either (a test fails until you do).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = (
    "# Hugging Face Space: augplay's runtime dependencies, copied from pyproject.toml's\n"
    "# [project].dependencies by `python -m app.space_files` (a test keeps them equal).\n"
)


def requirements_text(pyproject: Path = ROOT / "pyproject.toml") -> str:
    dependencies = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    return HEADER + "".join(f"{dep}\n" for dep in dependencies)


def readme_with_preload(readme: str, model_ids: list[str]) -> str:
    """README.md with its front matter's `preload_from_hub:` block set to `model_ids`."""
    block = "preload_from_hub:\n" + "".join(f"- {model_id}\n" for model_id in model_ids)
    front_end = readme.index("\n---\n", 4) + 1  # the closing line of the front matter
    front, body = readme[:front_end], readme[front_end:]
    front = re.sub(r"preload_from_hub:\n(?:- .*\n)*", "", front)
    return front + block + body


if __name__ == "__main__":
    from augmenters.hub import default_model_ids

    (ROOT / "requirements.txt").write_text(requirements_text(), encoding="utf-8")
    readme = ROOT / "README.md"
    readme.write_text(readme_with_preload(readme.read_text(encoding="utf-8"), default_model_ids()), encoding="utf-8")
    print("wrote requirements.txt and README.md's preload_from_hub")
