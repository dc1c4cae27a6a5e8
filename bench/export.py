"""Export throughput against the codec floor, measured in one run on one generated dataset.

Dataset: N photo-like JPEGs (500x375, quality 90) in 4 class folders, made at the start.
Reference (the floor): the same files read, decoded, re-encoded as JPEG q90 and written,
with no augmentation, in 1 and in 2 processes (same start method and pool as the engine).
Measured: `augmenters.export.export_dataset` (what `augplay export` runs: source listing,
plan, render, atomic writes, journal, metadata, card, summary) with an `hflip`-only
pipeline and with the `keras_imagedatagenerator` preset, 1 and 2 workers, `--format same`.
Every row is the best of --repeats runs (each into a fresh folder).
Goals: hflip-only on 2 workers >= 0.70 x the 2-process floor; 1 -> 2 workers >= 1.7x.

With `--engine ray`: the same exports on a local Ray with 2 CPUs against the local engine with
2 workers, in the same run: the warm actor pool, then the Ray Data path (used for big exports) on
the same data, in --repeats rounds of (local, ray) each; the median ratio and its spread. Ray's
start-up (ray.init, the pool's actors) is timed apart and not in the rows.
Goal: Ray >= 0.8 x local once started.

    python bench/export.py [--images 400] [--repeats 2] [--engine local|ray] [--scratch /dev/shm]
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from augmenters import Pipeline  # noqa: E402
from augmenters.export import ExportOptions, export_dataset  # noqa: E402

CLASSES = ("alpha", "beta", "gamma", "delta")
WIDTH, HEIGHT, QUALITY = 500, 375, 90


def _filesystem(path: Path) -> str:
    """The file system type holding `path` (from /proc/mounts), for the report."""
    try:
        best, kind = "", "unknown"
        for line in Path("/proc/mounts").read_text().splitlines():
            _, point, fstype, *_ = line.split()
            if str(path).startswith(point) and len(point) > len(best):
                best, kind = point, fstype
        return kind
    except OSError:
        return "unknown"


def make_dataset(root: Path, count: int) -> list[Path]:
    """Smooth gradients, blobs and sensor-like noise: JPEG sizes close to real photos (~40-60 KB)."""
    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    paths = []
    for i in range(count):
        a, b, c = rng.uniform(0.3, 1.5, 3)
        base = np.stack(
            [
                128 + 90 * np.sin(x / (40 * a) + i),
                128 + 90 * np.cos(y / (35 * b) - i),
                128 + 90 * np.sin((x + y) / (50 * c)),
            ],
            axis=-1,
        )
        image = np.clip(base + rng.normal(0, 14, base.shape), 0, 255).astype(np.uint8)
        folder = root / CLASSES[i % len(CLASSES)]
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"img_{i:04d}.jpg"
        Image.fromarray(image).save(path, quality=QUALITY)
        paths.append(path)
    return paths


def _floor_one(job: tuple[str, str]) -> int:
    src, dst = job
    with Image.open(src) as image:
        pixels = np.asarray(image.convert("RGB"))
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=QUALITY)
    Path(dst).parent.mkdir(parents=True, exist_ok=True)
    Path(dst).write_bytes(buffer.getvalue())
    return 1


def codec_floor(paths: list[Path], root: Path, out: Path, processes: int) -> float:
    """Seconds to decode + re-encode + write every file: no augmentation, no bookkeeping."""
    jobs = [(str(p), str(out / p.relative_to(root))) for p in paths]
    start = time.perf_counter()
    if processes == 1:
        for job in jobs:
            _floor_one(job)
    else:
        from augmenters.export.engines.local import _context, chunk_size, worker_environment

        with worker_environment():  # the engine's start method, worker environment and chunking: like with like
            pool = _context().Pool(processes)
        with pool:
            for _ in pool.imap_unordered(_floor_one, jobs, chunksize=chunk_size(len(jobs), processes)):
                pass
    return time.perf_counter() - start


STEADY: dict[str, float] = {}  # the last export's rows/s between its first and last finished row


def augplay_export(pipeline: Pipeline, root: Path, out: Path, workers: int, engine: str) -> float:
    marks: list[tuple[float, int]] = []
    start = time.perf_counter()
    result = export_dataset(
        pipeline, root, out, ExportOptions(variants=1, seed=1), workers=workers, engine=engine,
        progress=lambda done, total: marks.append((time.perf_counter(), done)),
    )
    elapsed = time.perf_counter() - start
    (t0, n0), (t1, n1) = marks[1], marks[-1]  # marks[0] is the call before any row
    STEADY["rows_per_s"] = (n1 - n0) / (t1 - t0) if t1 > t0 else float("nan")
    if result.failed:
        raise SystemExit(f"bench: {result.failed} rows failed: {result.errors[:2]}")
    return elapsed


def _rounds(pipeline: Pipeline, root: Path, scratch: Path, repeats: int) -> tuple[list, list]:
    """`repeats` rounds of (local, ray), each into a fresh folder: on a shared machine the load
    drifts, so each round's ratio compares runs made seconds apart. Per round: (whole, steady)."""
    ratios, rates = [], []
    for r in range(repeats):
        timed = {}
        for engine in ("local", "ray"):
            out = scratch / f"round{time.monotonic_ns()}_{r}"
            timed[engine] = (augplay_export(pipeline, root, out, 2, engine), STEADY["rows_per_s"])
            shutil.rmtree(out, ignore_errors=True)
        (local, local_rate), (on_ray, ray_rate) = timed["local"], timed["ray"]
        ratios.append((local / on_ray, ray_rate / local_rate))
        rates.append((local_rate, ray_rate))
    return ratios, rates


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}x ({min(values):.2f}-{max(values):.2f})"


def ray_vs_local(paths, root: Path, scratch: Path, repeats: int, *pipelines: Pipeline) -> None:
    from augmenters.export.engines import ray as ray_engine
    from augmenters.export.engines import ray_pool

    started = time.perf_counter()
    ray_engine.start(None, 2)
    ray_init = time.perf_counter() - started
    ray_pool.warm_pool(2, wait=True)
    actors = time.perf_counter() - started - ray_init
    print(f"\nRay start-up, once per process, not in the rows below: ray.init {ray_init:.1f} s, 2 actors {actors:.1f} s")
    print(f"\nRay on 2 CPUs / local engine with 2 workers, throughput: median of {repeats} rounds (min-max);")
    print("whole = the export's wall time, steady = rows/s from its first finished row to its last. local")
    print("starts its 2 worker processes inside each export; ray pool = the warm actor pool (every export")
    print("after a process's first); ray data = the Ray Data path (exports of")
    print(f">= {ray_engine.RAY_DATA_MIN_ITEMS} items), which starts its actors inside each export.\n")
    print("| pipeline | ray path | ray / local, whole | ray / local, steady | steady rows/s, local / ray | goal |")
    print("|---|---|---:|---:|---:|---:|")
    threshold = ray_engine.RAY_DATA_MIN_ITEMS
    try:
        for path, min_items in (("pool", threshold), ("data", 0)):
            ray_engine.RAY_DATA_MIN_ITEMS = min_items  # 0: every export through Ray Data
            for pipeline in pipelines:
                ratios, rates = _rounds(pipeline, root, scratch, repeats)
                local_rate = statistics.median(r[0] for r in rates)
                ray_rate = statistics.median(r[1] for r in rates)
                print(
                    f"| {pipeline.name} | {path} | {_spread([r[0] for r in ratios])} | {_spread([r[1] for r in ratios])} | "
                    f"{local_rate:.0f} / {ray_rate:.0f} | {'>= 0.8x steady' if path == 'pool' else ''} |"
                )
    finally:
        ray_engine.RAY_DATA_MIN_ITEMS = threshold


def best(fn, repeats: int, scratch: Path) -> float:
    times = []
    for r in range(repeats):
        out = scratch / f"run{time.monotonic_ns()}_{r}"
        times.append(fn(out))
        shutil.rmtree(out, ignore_errors=True)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=400)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--engine", choices=["local", "ray"], default="local")
    parser.add_argument(
        "--scratch", help="folder for the dataset and outputs (default: the system temp dir); /dev/shm takes the disk out"
    )
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="augplay-bench-export-", dir=args.scratch))
    try:
        root = scratch / "input"
        paths = make_dataset(root, args.images)
        size = sum(p.stat().st_size for p in paths) / len(paths) / 1024
        print(f"dataset: {len(paths)} JPEGs {WIDTH}x{HEIGHT} q{QUALITY}, {size:.0f} KB each, {len(CLASSES)} classes")
        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, load {os.getloadavg()[0]:.2f}")
        print(f"scratch: {scratch} ({_filesystem(scratch)})")
        hflip = Pipeline([{"op": "hflip"}], name="hflip_only")
        keras = Pipeline.load("keras_imagedatagenerator")
        if args.engine == "ray":
            ray_vs_local(paths, root, scratch, args.repeats, hflip, keras)
            return
        rows: dict[str, float] = {}
        for n in (1, 2):
            rows[f"floor x{n}"] = best(lambda out, n=n: codec_floor(paths, root, out, n), args.repeats, scratch)
        for name, pipeline in (("hflip", hflip), ("keras", keras)):
            for n in (1, 2):
                rows[f"{name} x{n}"] = best(
                    lambda out, p=pipeline, n=n: augplay_export(p, root, out, n, "local"), args.repeats, scratch
                )
        print("\n| run | seconds | images/s |")
        print("|---|---:|---:|")
        for name, seconds in rows.items():
            label = name if name.startswith("floor") else f"augplay export {name.replace(' x', ', workers ')}"
            print(f"| {label} | {seconds:.2f} | {len(paths) / seconds:.0f} |")
        ratio = lambda a, b: rows[b] / rows[a]  # noqa: E731  throughput of a over b
        print("\n| ratio | value | goal |")
        print("|---|---:|---:|")
        print(f"| hflip export, 2 workers / floor, 2 processes | {ratio('hflip x2', 'floor x2'):.2f}x | >= 0.70x |")
        print(f"| hflip export, 1 worker / floor, 1 process | {ratio('hflip x1', 'floor x1'):.2f}x | |")
        print(f"| keras export, 2 workers / floor, 2 processes | {ratio('keras x2', 'floor x2'):.2f}x | |")
        print(f"| hflip export, 2 workers / 1 worker | {ratio('hflip x2', 'hflip x1'):.2f}x | >= 1.7x |")
        print(f"| keras export, 2 workers / 1 worker | {ratio('keras x2', 'keras x1'):.2f}x | >= 1.7x |")
        print(f"| floor, 2 processes / 1 process | {ratio('floor x2', 'floor x1'):.2f}x | |")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
