"""Small real datasets for the evaluation tests: scikit-learn's bundled 8x8 digits as class folders, a text CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
from scripts.make_digits import write_digits  # noqa: F401  (the tests' image data)

UPSIDE_DOWN = """schema: 1
name: upside_down
modality: image
description: Every image turned upside down (a 6 becomes a 9 that is still labelled 6).
caution: Destroys digit labels; for testing the evaluation.
steps:
  - op: hflip
  - op: vflip
"""


TOPICS = {
    "sport": "match goal team coach league players score season stadium referee".split(),
    "food": "recipe garlic oven sauce flavour dinner bread pasta kitchen spicy".split(),
    "tech": "laptop software battery screen update keyboard chip app network cloud".split(),
}


def write_text_csv(path: Path, per_class: int, seed: int = 0) -> Path:
    """Short sentences whose topic words give the class away, with shared filler words."""
    rng = np.random.default_rng(seed)
    filler = "the a really very today we it this was and but so".split()
    rows = []
    for label, words in TOPICS.items():
        for i in range(per_class):
            picked = list(rng.choice(words, size=3)) + list(rng.choice(filler, size=5))
            rows.append([f"{label}-{i}", " ".join(rng.permutation(picked)), label])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "label"])
        writer.writerows(rows)
    return path


def without_timing(report: dict) -> dict:
    return {key: value for key, value in report.items() if key != "timing"}
