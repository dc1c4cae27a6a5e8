"""Project-wide rules: fast, model-free import; no global random state in library code."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from .cli_helpers import REPO_ROOT

HEAVY = ("torch", "transformers", "imgaug", "nlpaug", "nltk", "gradio", "cv2", "sentence_transformers", "ray")


def test_import_is_fast_and_loads_nothing_heavy():
    code = (
        "import sys, time; t = time.perf_counter(); import augmenters; "
        "dt = time.perf_counter() - t; "
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]; print(dt, heavy)"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=True)
    seconds, heavy = out.stdout.split(" ", 1)
    assert float(seconds) < 1.5
    assert heavy.strip() == "[]"


GLOBAL_RNG = re.compile(
    r"(?<![\w.])(np\.random\.(seed|rand|randn|randint|random|choice|uniform|normal|shuffle|permutation|beta|dirichlet)\(|"
    r"random\.(seed|random|choice|choices|randint|shuffle|uniform|sample|gauss|randrange)\(|"
    r"torch\.(manual_seed|rand|randn|randint|randperm|bernoulli|multinomial)\()"
)


def test_no_global_random_state_in_library_code():
    offenders = []
    for folder in ("augmenters", "app", "presets"):
        for path in sorted((REPO_ROOT / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("#", 1)[0]
                # torch's sampling functions are fine with an explicit torch.Generator
                if GLOBAL_RNG.search(code) and "generator=" not in code:
                    offenders.append(f"{path.relative_to(REPO_ROOT)}:{number}: {line.strip()}")
    assert offenders == []
