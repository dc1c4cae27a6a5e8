"""Helpers for comparing augplay's pixels with torchvision v2 and Albumentations 2.0.8.

augplay runs through the public path a user takes: a one-step `Pipeline` whose ranges are
pinned (low = high), so the op draws exactly the value the test names.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from PIL import Image

from augmenters import Pipeline

from .conftest import make_photo_like


def fixed(op: str, image: np.ndarray, seed: int = 0, **settings) -> tuple[np.ndarray, dict]:
    """Run `op` with these settings through a Pipeline; (output, the step's sampled params)."""
    out, record = Pipeline([{"op": op, "settings": settings}], name=f"fixed_{op}")(image, seed=seed)
    return out, record["steps"][0]["params"]


def to_tensor(image: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(image[None] if image.ndim == 2 else image.transpose(2, 0, 1)))


def from_tensor(tensor: torch.Tensor) -> np.ndarray:
    array = tensor.numpy()
    return np.ascontiguousarray(array[0] if array.shape[0] == 1 else array.transpose(1, 2, 0))


def tv_tensor(kernel, image: np.ndarray, **kwargs) -> np.ndarray:
    """A torchvision v2 functional kernel on the image as a uint8 tensor."""
    return from_tensor(kernel(to_tensor(image), **kwargs))


def tv_pil(kernel, image: np.ndarray, **kwargs) -> np.ndarray:
    """A torchvision v2 functional kernel on the image as a PIL image (Pillow underneath)."""
    return np.asarray(kernel(Image.fromarray(image), **kwargs)).copy()


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    assert a.shape == b.shape, f"shapes differ: {a.shape} vs {b.shape}"
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return math.inf if mse == 0 else 10.0 * math.log10(255.0**2 / mse)


def photo(height: int = 72, width: int = 96, channels: int = 3, seed: int = 7) -> np.ndarray:
    """A textured test image, lightly smoothed: bilinear kernels that differ only in how they
    round sub-pixel weights then differ by a level or two, not by the full texture contrast."""
    import cv2

    return cv2.GaussianBlur(make_photo_like(height, width, channels, seed=seed), (0, 0), 1.0)


# -- markers: tiny images whose expected output position is known ---------------------------


def canvas(height: int, width: int) -> np.ndarray:
    return np.zeros((height, width), dtype=np.uint8)


def dot(height: int, width: int, y: int, x: int) -> np.ndarray:
    image = canvas(height, width)
    image[y, x] = 255
    return image


def vertical_line(height: int, width: int, x: int) -> np.ndarray:
    image = canvas(height, width)
    image[:, x] = 255
    return image


def horizontal_line(height: int, width: int, y: int) -> np.ndarray:
    image = canvas(height, width)
    image[y, :] = 255
    return image


def centroid(image: np.ndarray) -> tuple[float, float]:
    """(y, x) of the brightness-weighted centre of a marker image."""
    weights = image.astype(np.float64) if image.ndim == 2 else image.astype(np.float64).sum(axis=2)
    ys, xs = np.mgrid[0 : weights.shape[0], 0 : weights.shape[1]]
    total = weights.sum()
    assert total > 0, "the marker left the image"
    return float((ys * weights).sum() / total), float((xs * weights).sum() / total)


def brightest_x(row: np.ndarray) -> float:
    """Sub-pixel x of a line's crossing of one row (brightness-weighted)."""
    xs = np.arange(row.shape[0])
    return float((xs * row.astype(np.float64)).sum() / row.astype(np.float64).sum())
