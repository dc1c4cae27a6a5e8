"""Side by side for rain and snow: imgaug's renderer, augplay's fast one, and Albumentations.

    python scripts/weather_sheet.py [--out docs/weather_sheet.jpg]

Each row is one photo, one setting and one seed: the two augplay columns run the same op with
the same sampled params (only `renderer` differs); Albumentations' RandomRain / RandomSnow run
with their defaults and the same seed. Tiles are 1:1 crops, so streaks are not averaged away.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from augmenters import Pipeline  # noqa: E402

SIZE = 256
LABEL_WIDTH = 230
HEADER = 34
# (op, photo, settings, seed): settings inside the ops' default ranges, fixed so that rows differ.
ROWS = [
    ("rain", "astronaut", {"drop_size": 0.015, "speed": 0.1}, 1),
    ("rain", "chelsea", {"drop_size": 0.01, "speed": 0.2}, 2),
    ("rain", "coffee", {"drop_size": 0.02, "speed": 0.05}, 3),
    ("snow", "astronaut", {"density": 0.04, "flake_size": 0.45, "speed": 0.02}, 1),
    ("snow", "chelsea", {"density": 0.075, "flake_size": 0.6, "speed": 0.03}, 2),
    ("snow", "coffee", {"density": 0.02, "flake_size": 0.3, "speed": 0.01}, 3),
]
COLUMNS = ("imgaug 0.4.0", "augplay fast", "Albumentations 2.0.8")


def _photo(name: str) -> np.ndarray:
    from skimage import data

    image = getattr(data, name)()
    h, w = image.shape[:2]
    side = min(h, w)
    y0, x0 = (h - side) // 2, (w - side) // 2
    return np.ascontiguousarray(cv2.resize(image[y0 : y0 + side, x0 : x0 + side], (SIZE, SIZE), interpolation=cv2.INTER_AREA))


def _augplay(op: str, image: np.ndarray, settings: dict, seed: int, renderer: str) -> np.ndarray:
    fixed = {key: [value, value] for key, value in settings.items()}
    out, _ = Pipeline([{"op": op, "settings": {**fixed, "renderer": renderer}}], name=f"{op}_{renderer}")(image, seed=seed)
    return out


def _albumentations(op: str, image: np.ndarray, seed: int) -> np.ndarray:
    import albumentations as A

    transform = A.RandomRain(p=1.0) if op == "rain" else A.RandomSnow(p=1.0)
    return A.Compose([transform], seed=seed)(image=image)["image"]


def _text(strip: np.ndarray, lines: list[str], top: int) -> None:
    for index, line in enumerate(lines):
        cv2.putText(strip, line, (8, top + 22 * index), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (20, 20, 20), 1, cv2.LINE_AA)


def sheet() -> np.ndarray:
    header = np.full((HEADER, LABEL_WIDTH + len(COLUMNS) * SIZE, 3), 255, np.uint8)
    for index, title in enumerate(COLUMNS):
        cv2.putText(header, title, (LABEL_WIDTH + index * SIZE + 8, 23), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (20, 20, 20), 1, cv2.LINE_AA)
    rows = [header]
    for op, photo, settings, seed in ROWS:
        image = _photo(photo)
        label = np.full((SIZE, LABEL_WIDTH, 3), 255, np.uint8)
        _text(label, [f"{op} on {photo}", *(f"{k} {v}" for k, v in settings.items()), f"seed {seed}"], 40)
        tiles = [
            _augplay(op, image, settings, seed, "imgaug"),
            _augplay(op, image, settings, seed, "fast"),
            _albumentations(op, image, seed),
        ]
        rows.append(np.hstack([label, *tiles]))
    return np.vstack(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "weather_sheet.jpg"))
    args = parser.parse_args(argv)
    image = sheet()
    cv2.imwrite(args.out, cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 90])
    print(f"wrote {args.out} ({image.shape[1]}x{image.shape[0]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
