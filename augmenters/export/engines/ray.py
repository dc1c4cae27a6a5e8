"""The Ray engine: an export's rows as a Ray Data pipeline, on this machine or a Ray cluster.

The item list becomes a Ray dataset; an actor pool of `RayWorker`s (one `Worker` each, so
models load once per actor) renders and writes each item's rows with exactly the code the
local engine runs, and streams the journal entries back to the driver, which keeps the
journal and writes the final files. Output files are therefore identical to the local
engine's. Every node must see the input and the output folder at the same paths (shared
storage). Imported only when `--engine ray` is asked for: `import augmenters` never loads Ray.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Iterator, Sequence

from ...core.errors import InputError
from ..plan import Row
from ..worker import Worker, WorkContext, pin_threads
from .local import chunk_size

# No usage reporting to Anyscale, whichever way Ray is started (DESIGN: no telemetry).
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
os.environ.setdefault("RAY_USAGE_STATS_PROMPT_ENABLED", "0")


def _ray():
    try:
        import ray
    except ImportError:
        raise InputError("--engine ray needs Ray: pip install 'augplay[ray]' (or pip install 'ray[data]')") from None
    return ray


class RayWorker:
    """One actor: the rebuilt pipeline and the source, kept for every item the actor is given."""

    def __init__(self, context: WorkContext):
        pin_threads()
        self.worker = Worker(context)

    def __call__(self, batch: dict) -> dict:
        out = []
        for item_id, rows in zip(batch["item"], batch["rows"]):
            task = (str(item_id), [Row(r["item_id"], r["k"], r["name"]) for r in json.loads(rows)])
            out.append(json.dumps(self.worker.run_task(task), ensure_ascii=False))
        return {"entries": out}


def start(address: str | None, workers: int) -> None:
    """Join a cluster at `address`, or start a local Ray with `workers` CPUs (once per process)."""
    ray = _ray()
    if ray.is_initialized():
        return
    from .local import WORKER_MALLOC_ENV

    options = dict(
        include_dashboard=False,
        log_to_driver=False,
        logging_level=logging.WARNING,
        runtime_env={"env_vars": WORKER_MALLOC_ENV},  # fresh worker processes: see engines/local.py
    )
    if address:
        ray.init(address=address, **options)
    else:
        ray.init(num_cpus=max(1, workers), **options)


def run(
    tasks: Sequence[tuple[str, list[Row]]], context: WorkContext, workers: int = 1, address: str | None = None
) -> Iterator[list[dict]]:
    if not tasks:
        return
    start(address, workers)
    from ray.data import ActorPoolStrategy, DataContext, from_items

    context_ = DataContext.get_current()
    context_.enable_progress_bars = False  # the CLI shows its own bar
    context_.print_on_execution_start = False
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    items = [
        {"item": item_id, "rows": json.dumps([{"item_id": r.item_id, "k": r.k, "name": r.name} for r in rows])}
        for item_id, rows in tasks
    ]
    dataset = from_items(items).map_batches(
        RayWorker,
        fn_constructor_kwargs={"context": context},
        batch_size=chunk_size(len(tasks), max(1, workers)),  # as the local engine: per-call overhead amortised
        compute=ActorPoolStrategy(size=max(1, workers)),
        num_cpus=1,
        batch_format="default",
    )
    for row in dataset.iter_rows():  # one row per item, streamed back as each batch finishes
        yield json.loads(row["entries"])
