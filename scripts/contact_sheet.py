"""Contact sheet of every image op: one row per op, the original then a few seeds, on a real photo.

    python scripts/contact_sheet.py [--out docs/image_ops_sheet.jpg] [--seeds 4] [--tile 128]

Each op runs alone through `Pipeline` with its default settings (mixing ops get a second photo as partner).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from augmenters import Partner, Pipeline, registry  # noqa: E402

LABEL_WIDTH = 170


def _photos(size: int) -> tuple[np.ndarray, np.ndarray]:
    from skimage import data

    def square(image: np.ndarray) -> np.ndarray:
        h, w = image.shape[:2]
        side = min(h, w)
        y0, x0 = (h - side) // 2, (w - side) // 2
        return cv2.resize(image[y0 : y0 + side, x0 : x0 + side], (size, size), interpolation=cv2.INTER_AREA)

    return square(data.astronaut()), square(data.chelsea())


def _tile(image: np.ndarray, tile: int) -> np.ndarray:
    """Fit any output (other sizes, grey, alpha) into a tile x tile RGB square on white."""
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)
    elif image.shape[2] == 4:
        alpha = image[:, :, 3:4].astype(np.float32) / 255
        image = (image[:, :, :3] * alpha + 255 * (1 - alpha)).astype(np.uint8)
    h, w = image.shape[:2]
    scale = tile / max(h, w)
    resized = cv2.resize(image, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    canvas = np.full((tile, tile, 3), 255, np.uint8)
    y0, x0 = (tile - resized.shape[0]) // 2, (tile - resized.shape[1]) // 2
    canvas[y0 : y0 + resized.shape[0], x0 : x0 + resized.shape[1]] = resized
    return canvas


def _label(text: str, tile: int) -> np.ndarray:
    strip = np.full((tile, LABEL_WIDTH, 3), 255, np.uint8)
    cv2.putText(strip, text, (6, tile // 2 + 6), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (20, 20, 20), 1, cv2.LINE_AA)
    return strip


def sheet(seeds: int, tile: int) -> np.ndarray:
    photo, other = _photos(256)
    partner = Partner(id="chelsea", data=other, label="cat")
    rows = []
    for aug in registry.all("image"):
        if not aug.health().ok:
            continue
        pipeline = Pipeline([{"op": aug.name}], name=f"sheet_{aug.name}")
        partners = [partner] if aug.needs_partner else None
        tiles = [_tile(photo, tile)]
        tiles += [_tile(pipeline(photo, seed=1, index=i, partners=partners)[0], tile) for i in range(seeds)]
        rows.append(np.hstack([_label(aug.name, tile), *tiles]))
    return np.vstack(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "image_ops_sheet.jpg"))
    parser.add_argument("--seeds", type=int, default=4)
    parser.add_argument("--tile", type=int, default=128)
    args = parser.parse_args(argv)
    image = sheet(args.seeds, args.tile)
    ok = cv2.imwrite(args.out, cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 82])
    if not ok:
        raise SystemExit(f"could not write {args.out}")
    print(f"wrote {args.out} ({image.shape[1]}x{image.shape[0]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
