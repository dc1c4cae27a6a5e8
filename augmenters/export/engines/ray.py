"""The Ray engine: an export's rows on Ray actors, on this machine or a Ray cluster.

A pool of `--workers` actors (one `Worker` each, so models load once per actor) renders and
writes each item's rows with exactly the code the local engine runs, and returns the journal
entries to the driver, which keeps the journal and writes the final files. Output files are
therefore identical to the local engine's. Every node must see the input and the output folder
at the same paths (shared storage). Imported only when `--engine ray` is asked for:
`import augmenters` never loads Ray.

Two ways to feed the actors, both sending item keys only (each actor reads its images from the
shared storage itself, and gets the pipeline and the item listing once per export):
- up to `RAY_DATA_MIN_ITEMS` items, a warm pool (`ray_pool.py`): actors started once per driver
  process and reused by every later export, chunks of keys sent straight to them;
- bigger exports, Ray Data (`ray_data.py`): the item list as a dataset, an autoscaling actor pool
  started for the export, whose start-up is small against the run.
"""

from __future__ import annotations

import logging
import os
from typing import Iterator, Sequence

from ...core.errors import InputError
from ..plan import Row
from ..worker import WorkContext

# No usage reporting to Anyscale, whichever way Ray is started (DESIGN: no telemetry).
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
os.environ.setdefault("RAY_USAGE_STATS_PROMPT_ENABLED", "0")

# Below this many items the warm pool wins (no per-export actor start, no dataset planning;
# measured in bench/export.py); above it Ray Data's autoscaling and back-pressure are worth it.
RAY_DATA_MIN_ITEMS = 20_000


def _ray():
    try:
        import ray
    except ImportError:
        raise InputError("--engine ray needs Ray: pip install 'augplay[ray]' (or pip install 'ray[data]')") from None
    return ray


def start(address: str | None, workers: int) -> None:
    """Join a cluster at `address`, or start a local Ray with `workers` CPUs (once per process)."""
    ray = _ray()
    if ray.is_initialized():
        return
    options = dict(include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
    if address:
        ray.init(address=address, **options)
    else:  # no runtime_env: the actors can then use the workers Ray starts with itself
        ray.init(num_cpus=max(1, workers), num_gpus=0, **options)


def run(
    tasks: Sequence[tuple[str, list[Row]]], context: WorkContext, workers: int = 1, address: str | None = None
) -> Iterator[list[dict]]:
    """Yield each task's journal entries as it finishes (in any order). Closing the iterator stops the work."""
    if not tasks:
        return
    start(address, workers)
    from . import ray_pool

    if len(tasks) < RAY_DATA_MIN_ITEMS:
        yield from ray_pool.run_pool(tasks, context, workers)
        return
    from .ray_data import run_dataset

    with ray_pool.without_pool():  # its actors would hold the CPUs the dataset's actors need
        yield from run_dataset(tasks, context, workers)
