"""Policy augmenters vs torchvision's AutoAugment / RandAugment / TrivialAugmentWide / AugMix.

One 512x512 photo (skimage's astronaut), one thread. augplay runs through `Pipeline` (records
included) on the numpy array; torchvision runs its transform classes on a PIL image and on a
uint8 CHW tensor, with the same fill and interpolation. Times are CPU time of this process. Policies are random, so each figure is
the mean over many draws (the same count for everyone). Prints img/s and augplay's ratio to the
fastest reference.

Then, with --kernels, each sub-op kernel alone against torchvision v2 functional (how the
backends in `_policy_ops` were picked).

    python bench/policies.py [--n 300] [--rounds 3] [--kernels]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402
from skimage import data  # noqa: E402
from torchvision.transforms import v2  # noqa: E402

from augmenters import Pipeline  # noqa: E402
from augmenters.image._policy_ops import run_ops  # noqa: E402

FILL = 128

# One sub-op of each kind, at a typical magnitude, in the units records carry.
KERNEL_CASES = [
    {"op": "ShearX", "shear": 0.2},
    {"op": "TranslateX", "pixels": 40},
    {"op": "Rotate", "degrees": 20.0},
    {"op": "Brightness", "factor": 1.3},
    {"op": "Color", "factor": 1.3},
    {"op": "Contrast", "factor": 1.3},
    {"op": "Sharpness", "factor": 1.3},
    {"op": "Posterize", "bits": 4},
    {"op": "Solarize", "threshold": 128.0},
    {"op": "AutoContrast"},
    {"op": "Equalize"},
    {"op": "Invert"},
]

CASES = [
    # (label, augplay op + settings, torchvision transform, share of the draw count)
    ("autoaugment imagenet", ("autoaugment", {"policy": "imagenet"}),
     v2.AutoAugment(v2.AutoAugmentPolicy.IMAGENET, fill=FILL), 1.0),
    ("autoaugment cifar10", ("autoaugment", {"policy": "cifar10"}),
     v2.AutoAugment(v2.AutoAugmentPolicy.CIFAR10, fill=FILL), 1.0),
    ("autoaugment svhn", ("autoaugment", {"policy": "svhn"}), v2.AutoAugment(v2.AutoAugmentPolicy.SVHN, fill=FILL), 1.0),
    ("randaugment N=2 M=9", ("randaugment", {}), v2.RandAugment(fill=FILL), 1.0),
    ("trivial_augment", ("trivial_augment", {}), v2.TrivialAugmentWide(fill=FILL), 1.0),
    ("augmix", ("augmix", {}), v2.AugMix(fill=FILL), 0.25),
]


def per_second(run, n: int, rounds: int) -> float:
    """Best of `rounds` passes of n calls, timed in CPU seconds of this process: on a shared
    machine, wall time also counts the time other processes hold the core."""
    run(0)
    best = float("inf")
    for r in range(rounds):
        start = time.process_time()
        for i in range(n):
            run(r * n + i)
        best = min(best, time.process_time() - start)
    return n / best


def kernels(photo: np.ndarray, pil, tensor, n: int, rounds: int) -> None:
    from tests.test_policies import torchvision_reference  # the reference calls the tests check against

    print()
    print("sub-op kernels alone, microseconds per call (lower is better); nearest, fill 128")
    header = f"{'sub-op':<14}{'augplay':>9}{'tv PIL':>9}{'tv tensor':>11}{'ratio':>8}"
    print(header)
    print("-" * len(header))
    params = {"fill": FILL, "transparent_fill": True, "interpolation": "nearest"}
    for op in KERNEL_CASES:
        ours = 1e6 / per_second(lambda i: run_ops(photo, [op], params), n, rounds)
        on_pil = 1e6 / per_second(lambda i: torchvision_reference(pil, op, "nearest", FILL), n, rounds)
        on_tensor = 1e6 / per_second(lambda i: torchvision_reference(tensor, op, "nearest", FILL), n, rounds)
        print(f"{op['op']:<14}{ours:>9.0f}{on_pil:>9.0f}{on_tensor:>11.0f}{min(on_pil, on_tensor) / ours:>7.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="calls per pass (AugMix runs a quarter)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kernels", action="store_true", help="also time each sub-op kernel alone")
    args = parser.parse_args()
    torch.set_num_threads(1)
    cv2.setNumThreads(1)
    torch.manual_seed(0)  # the bench's own reference runs; augplay never touches this generator

    photo = np.ascontiguousarray(data.astronaut())
    pil = Image.fromarray(photo)
    tensor = torch.from_numpy(photo.transpose(2, 0, 1).copy())
    print(f"one {photo.shape[1]}x{photo.shape[0]} RGB photo, 1 thread; img/s (higher is better)")
    header = f"{'policy':<22}{'augplay':>10}{'tv PIL':>10}{'tv tensor':>11}{'ratio':>8}  (vs fastest reference)"
    print(header)
    print("-" * len(header))
    ratios = []
    for label, (op, settings), transform, share in CASES:
        n = max(10, int(args.n * share))
        pipeline = Pipeline([{"op": op, "settings": settings}], name=op)
        ours = per_second(lambda i: pipeline(photo, seed=0, index=i), n, args.rounds)
        on_pil = per_second(lambda i: transform(pil), n, args.rounds)
        on_tensor = per_second(lambda i: transform(tensor), n, args.rounds)
        ratio = ours / max(on_pil, on_tensor)
        ratios.append(ratio)
        print(f"{label:<22}{ours:>10.0f}{on_pil:>10.0f}{on_tensor:>11.0f}{ratio:>7.2f}x")
    print(f"geometric mean ratio: {float(np.exp(np.mean(np.log(ratios)))):.2f}x; lowest: {min(ratios):.2f}x")
    if args.kernels:
        kernels(photo, pil, tensor, max(10, args.n // 5), args.rounds)


if __name__ == "__main__":
    main()
