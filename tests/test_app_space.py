"""The Hugging Face Space files: dependencies that match pyproject, and the app file that runs as a script."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

import yaml

from app.space_files import readme_with_preload, requirements_text
from augmenters.hub import default_model_ids

from .app_server import ROOT


def test_requirements_are_the_runtime_dependencies():
    written = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert written == requirements_text(), "requirements.txt is stale: run `python -m app.space_files`"
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert [line for line in written.splitlines() if line and not line.startswith("#")] == declared


def test_space_preloads_the_models_of_every_model_ops_defaults():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    front = yaml.safe_load(readme.split("---\n")[1])
    assert front["preload_from_hub"] == default_model_ids(), "stale: run `python -m app.space_files`"
    assert set(front["preload_from_hub"]) >= {"Helsinki-NLP/opus-mt-en-de", "Helsinki-NLP/opus-mt-de-en", "bert-base-uncased"}
    assert readme_with_preload(readme, default_model_ids()) == readme


def test_packages_txt_names_debian_packages():
    names = (ROOT / "packages.txt").read_text(encoding="utf-8").split()
    assert "wordnet-base" in names and all(name == name.lower() and " " not in name for name in names)


def test_app_file_runs_as_a_script_without_the_repo_on_the_path():
    """Spaces run `python app/ui.py`: it must find augplay from the file's own location."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    # run_name keeps it from launching; everything else is as `python ui.py` would import it.
    code = "import runpy; ns = runpy.run_path('ui.py', run_name='space_check'); print(type(ns['demo']).__name__)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT / "app",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("Blocks")
