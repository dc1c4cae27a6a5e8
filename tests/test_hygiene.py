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


# Calls that draw from, or seed, a process-wide random state (or make an unseeded generator).
# Library code draws only from the numpy Generator `sample` is given, or from local generators
# built from a recorded seed.
GLOBAL_RNG_PATTERNS = {
    "numpy's global RNG": r"(?<![\w.])(np|numpy)\.random\.(?!default_rng\(|Generator\b|SeedSequence\b|PCG64|Philox|SFC64|MT19937|BitGenerator)\w+\(",
    "an unseeded generator": r"default_rng\(\s*(None\s*)?\)|(?<![\w.])random\.Random\(\s*\)|SystemRandom\(",
    "the random module's global state": r"(?<![\w.])random\.(seed|random|choice|choices|randint|shuffle|uniform|sample|gauss|normalvariate|randrange|getrandbits|betavariate|triangular)\(",
    "an import of the random module's functions": r"^\s*from\s+random\s+import\b",
    "torch's global RNG": r"(?<![\w.])torch\.(cuda\.)?(manual_seed(_all)?|seed|rand|randn|randint|randperm|bernoulli|multinomial|normal|poisson)\(",
    "torch's global RNG (*_like / in-place)": r"\b(rand_like|randn_like|randint_like)\(|\.(normal_|uniform_|random_|bernoulli_|exponential_|cauchy_|geometric_|log_normal_)\(",
    "torch with generator=None": r"generator\s*=\s*None",
    "imgaug's global RNG": r"(?<![\w.])(ia|imgaug|iarandom|imgaug\.random)\.seed\(",
    "OpenCV's global RNG": r"(?<![\w.])cv2\.(setRNGSeed|randn|randu|randShuffle)\(",
}
GLOBAL_RNG = {what: re.compile(pattern) for what, pattern in GLOBAL_RNG_PATTERNS.items()}
# torch's sampling functions are fine with an explicit torch.Generator on the same line.
TORCH_WITH_GENERATOR = re.compile(r"generator\s*=\s*(?!None)\w")


def global_rng_uses(code: str) -> list[str]:
    """What in this line of code touches global random state (empty when nothing does)."""
    found = [what for what, pattern in GLOBAL_RNG.items() if pattern.search(code)]
    if TORCH_WITH_GENERATOR.search(code):
        found = [what for what in found if what != "torch's global RNG"]
    return found


def test_the_global_rng_check_catches_what_it_should():
    bad = [
        "np.random.seed(0)", "numpy.random.shuffle(x)", "x = np.random.rand(3)", "np.random.standard_normal(4)",
        "rng = np.random.default_rng()", "rng = np.random.default_rng(None)", "r = random.Random()",
        "random.shuffle(items)", "from random import choice", "torch.manual_seed(1)", "torch.cuda.manual_seed_all(1)",
        "torch.randn(3)", "torch.normal(0, 1, size=(2,))", "torch.randn_like(t)", "t.normal_()", "t.uniform_(0, 1)",
        "torch.rand(2, generator=None)", "ia.seed(1)", "imgaug.random.seed(3)", "iarandom.seed(2)", "cv2.randn(a, 0, 1)",
        "cv2.setRNGSeed(3)", "random.SystemRandom()",
    ]
    good = [
        "rng.integers(10)", "np.random.default_rng(seed)", "np.random.Generator(np.random.PCG64(1))",
        "np.random.SeedSequence(entropy)", "random.Random(seed)", "torch.randn(3, generator=gen)",
        "self.random_state = x", "rng.permutation(4)", "augmenter.seed_(int(seed))", "rng.normal(0, 1)",
    ]
    assert [code for code in bad if not global_rng_uses(code)] == []
    assert {code: global_rng_uses(code) for code in good if global_rng_uses(code)} == {}


def test_no_global_random_state_in_library_code():
    offenders = []
    for folder in ("augmenters", "app", "presets"):
        for path in sorted((REPO_ROOT / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("#", 1)[0]
                for what in global_rng_uses(code):
                    offenders.append(f"{path.relative_to(REPO_ROOT)}:{number}: {what}: {line.strip()}")
    assert offenders == []
