"""Writes `requirements.txt` for a Hugging Face Space from pyproject.toml's runtime dependencies.

Spaces install requirements.txt before the repository is copied in, so it cannot say `.`;
this keeps it a copy of `[project].dependencies`. Run `python -m app.space_files` after
changing the dependencies (a test fails until you do).
"""

from __future__ import annotations

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


if __name__ == "__main__":
    (ROOT / "requirements.txt").write_text(requirements_text(), encoding="utf-8")
    print("wrote requirements.txt")
