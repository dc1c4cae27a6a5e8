"""Writes scikit-learn's bundled 8x8 digits as a class-folder PNG dataset (no download): `augplay evaluate`'s test data.

`python scripts/make_digits.py OUT --per-class 50` gives `OUT/digit_<d>/<d>_<i>.png`, the first
50 digits of each class, each pixel scaled to a 2x2 block (16x16 images). Same output every time.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np


def write_digits(root: Path, per_class: int, scale: int = 2) -> Path:
    from PIL import Image
    from sklearn.datasets import load_digits

    digits = load_digits()
    seen: dict[int, int] = {}
    for image, label in zip(digits.images, digits.target):
        n = seen.get(int(label), 0)
        if n >= per_class:
            continue
        seen[int(label)] = n + 1
        pixels = np.kron((image * 255 / 16).clip(0, 255).astype(np.uint8), np.ones((scale, scale), np.uint8))
        path = Path(root) / f"digit_{label}" / f"{label}_{n:03d}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(pixels).save(path)
    return Path(root)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--per-class", type=int, default=50, help="digits per class (at most 174)")
    parser.add_argument("--scale", type=int, default=2, help="each pixel becomes a scale x scale block")
    args = parser.parse_args()
    write_digits(Path(args.out), args.per_class, args.scale)
    print(f"wrote {args.per_class} digits per class to {args.out}")
