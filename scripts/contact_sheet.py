"""Render docs/contact_sheet.jpg: one row per registered image augmenter, a few seeds each.

Generated from the registry, so a new op appears here with no change to this script.
Run: .venv/bin/python scripts/contact_sheet.py [--out docs/contact_sheet.jpg]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from augmenters import Partner, Pipeline, registry  # noqa: E402
from augmenters.io import encode_image, write_bytes_atomic  # noqa: E402

TILE = 128
LABEL_WIDTH = 150
SEEDS = (0, 1, 2, 3)


def sample_photo(name: str) -> np.ndarray:
    """A real photo shipped with scikit-image, cropped square and shrunk to one tile."""
    from skimage import data

    image = getattr(data, name)()
    side = min(image.shape[:2])
    top, left = (image.shape[0] - side) // 2, (image.shape[1] - side) // 2
    square = Image.fromarray(image[top : top + side, left : left + side]).resize((TILE, TILE), Image.LANCZOS)
    return np.asarray(square.convert("RGB"))


def tile(image: np.ndarray) -> Image.Image:
    pil = Image.fromarray(image).convert("RGB")
    pil.thumbnail((TILE, TILE))
    canvas = Image.new("RGB", (TILE, TILE), (240, 240, 240))
    canvas.paste(pil, ((TILE - pil.width) // 2, (TILE - pil.height) // 2))
    return canvas


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="docs/contact_sheet.jpg")
    args = parser.parse_args()

    photo = sample_photo("astronaut")
    partners = [Partner(id="chelsea", data=sample_photo("chelsea"), label="cat")]
    names = [n for n in registry.names("image") if registry.get(n).health().ok]
    sheet = Image.new("RGB", (LABEL_WIDTH + TILE * (len(SEEDS) + 1), TILE * (len(names) + 1)), "white")
    draw = ImageDraw.Draw(sheet)
    draw.text((8, TILE // 2), "augmenter", fill="black")
    sheet.paste(tile(photo), (LABEL_WIDTH, 0))
    for k, seed in enumerate(SEEDS):
        draw.text((LABEL_WIDTH + TILE * (k + 1) + 8, TILE // 2), f"seed {seed}", fill="black")
    for row, name in enumerate(names, start=1):
        pipeline = Pipeline([{"op": name}])
        draw.text((8, row * TILE + TILE // 2 - 6), name, fill="black")
        sheet.paste(tile(photo), (LABEL_WIDTH, row * TILE))
        for k, seed in enumerate(SEEDS):
            out, _ = pipeline(photo, seed=seed, partners=partners if pipeline.needs_partner else None, label="astronaut")
            sheet.paste(tile(out), (LABEL_WIDTH + TILE * (k + 1), row * TILE))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(args.out, encode_image(np.asarray(sheet), "jpeg", quality=85))
    print(f"wrote {args.out}: {len(names)} augmenters x {len(SEEDS)} seeds")


if __name__ == "__main__":
    main()
