"""Where rain's and snow's time goes: the fast renderer's stages, per call, next to Albumentations.

    python bench/weather_stages.py [--calls 300]

Runs `rain` and `snow` through `Pipeline` with their default settings (as bench/image_ops.py) on
the same 512x512 and 1024x768 photos, one thread, calls alternated with Albumentations'
RandomRain / RandomSnow. Each stage is timed by wrapping the renderer's functions (CPU time of
this thread, so other processes on a busy machine count less); "other" is the rest of the call:
Pipeline, the blend of the layers and the final passes over the image.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from augmenters import Pipeline  # noqa: E402
from augmenters.image import _weather, rain, snow  # noqa: E402

# (module, function) -> stage name; nested stages are subtracted from their parents below.
STAGES = {
    (_weather, "salt"): "noise (salt points or counts, gate)",
    (_weather, "_ramp_up"): "motion blur (the ramp, one column filter)",
    (cv2, "warpAffine"): "shear warp onto the grid",
    (cv2, "GaussianBlur"): "gaussian (snow)",
}
PER_OP = {"upscale": "upscale to the image size", "streak_field": "streak_field"}


def _timed(table: dict[str, float], name: str, function):
    def wrapper(*args, **kwargs):
        start = time.thread_time()
        try:
            return function(*args, **kwargs)
        finally:
            table[name] = table.get(name, 0.0) + time.thread_time() - start

    return wrapper


def measure(op: str, image: np.ndarray, calls: int) -> tuple[dict[str, float], float]:
    import albumentations as A

    table: dict[str, float] = {}
    module = rain if op == "rain" else snow
    saved = []
    for (owner, attr), name in STAGES.items():
        saved.append((owner, attr, getattr(owner, attr)))
        setattr(owner, attr, _timed(table, name, getattr(owner, attr)))
    for attr, name in PER_OP.items():
        saved.append((module, attr, getattr(module, attr)))
        setattr(module, attr, _timed(table, name, getattr(module, attr)))
    pipeline = Pipeline([{"op": op}], name=f"stages_{op}")
    reference = A.RandomRain(p=1.0) if op == "rain" else A.RandomSnow(p=1.0)
    ours = theirs = 0.0
    try:
        for index in range(calls):
            cv2.setNumThreads(1)
            start = time.thread_time()
            pipeline(image, seed=0, index=index)
            ours += time.thread_time() - start
            # Albumentations calls cv2 too: keep its time out of the stage table.
            for owner, attr, function in saved[: len(STAGES)]:
                setattr(owner, attr, function)
            start = time.thread_time()
            reference(image=image)
            theirs += time.thread_time() - start
            for (owner, attr), name in STAGES.items():
                setattr(owner, attr, _timed(table, name, getattr(owner, attr)))
    finally:
        for owner, attr, function in saved:
            setattr(owner, attr, function)
    stages = {name: seconds / calls for name, seconds in table.items()}
    inner = sum(v for k, v in stages.items() if k in STAGES.values())
    stages["streak_field: the rest (wrap, shade, scratch)"] = stages.pop("streak_field", 0.0) - inner
    stages["other (Pipeline, layer blend, final passes)"] = ours / calls - sum(stages.values())
    return stages, (ours / calls, theirs / calls)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args(argv)
    cv2.setNumThreads(1)
    sys.path.insert(0, str(ROOT / "bench"))
    from image_ops import photos

    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    for size, image in photos().items():
        for op in ("rain", "snow"):
            stages, (ours, theirs) = measure(op, image, args.calls)
            print(f"\n{op} {size}: augplay {ours * 1e3:.2f} ms/call, Albumentations {theirs * 1e3:.2f} ms/call, ratio {theirs / ours:.2f}x")
            for name, seconds in sorted(stages.items(), key=lambda item: -item[1]):
                print(f"  {name:48s} {seconds * 1e3:6.2f} ms  {seconds / ours * 100:4.0f} %")
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
