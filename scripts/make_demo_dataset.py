"""Generates the Export tab's demo datasets (committed under app/assets/demo/): licence-clean by construction.

- `shapes/<class>/*.jpg`: circles, squares and triangles on noisy backgrounds, 96x96,
  deliberately imbalanced (8/6/4) so balancing has something to do.
- `reviews.csv`: short product reviews written for augplay, with a label column
  (English and Korean, quotes, commas, an emoji), for the text export.
Run `python scripts/make_demo_dataset.py` to rebuild them; the output is the same every time.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1] / "app" / "assets" / "demo"
COUNTS = {"circle": 8, "square": 6, "triangle": 4}
SIZE = 96
REVIEWS = [
    ("The battery lasts two full days and the screen is bright.", "positive"),
    ("Arrived broken, and support never answered my emails.", "negative"),
    ('The "quick start" guide was clear, and setup took five minutes.', "positive"),
    ("Too loud for a small flat; I returned it.", "negative"),
    ("Great value for the price, would buy again 👍", "positive"),
    ("The strap snapped after a week of light use.", "negative"),
    ("배송이 빠르고 포장도 꼼꼼했어요.", "positive"),
    ("화면이 너무 어두워서 실망했습니다.", "negative"),
    ("Comfortable, light, and it fits in any bag.", "positive"),
    ("Instructions were missing, so assembly took an hour.", "negative"),
]


def shape_image(kind: str, rng: np.random.Generator) -> Image.Image:
    background = rng.integers(40, 216, size=3)
    pixels = np.clip(background + rng.normal(0, 12, size=(SIZE, SIZE, 3)), 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels)
    draw = ImageDraw.Draw(image)
    colour = tuple(int(c) for c in (255 - background + rng.integers(-30, 31, size=3)) % 256)
    r = int(rng.integers(18, 34))
    cx, cy = (int(v) for v in rng.integers(r + 4, SIZE - r - 4, size=2))
    if kind == "circle":
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
    elif kind == "square":
        draw.rectangle([cx - r, cy - r, cx + r, cy + r], fill=colour)
    else:
        draw.polygon([(cx, cy - r), (cx - r, cy + r), (cx + r, cy + r)], fill=colour)
    return image


def main() -> None:
    shapes = ROOT / "shapes"
    shutil.rmtree(shapes, ignore_errors=True)
    rng = np.random.default_rng(20261201)
    for kind, count in COUNTS.items():
        (shapes / kind).mkdir(parents=True)
        for i in range(count):
            shape_image(kind, rng).save(shapes / kind / f"{kind}_{i:02d}.jpg", quality=90)
    with open(ROOT / "reviews.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["text", "label"])
        writer.writerows(REVIEWS)
    print(f"wrote {sum(COUNTS.values())} images and {len(REVIEWS)} reviews under {ROOT}")


if __name__ == "__main__":
    main()
