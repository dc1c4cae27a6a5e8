"""The Ray engine for big exports: the item list as a Ray dataset, rendered by an actor pool."""

from __future__ import annotations

import json
import logging
from typing import Iterator, Sequence

from ..plan import Row
from ..worker import Worker, WorkContext, pin_threads
from .local import chunk_size, tune_malloc


class RayWorker:
    """One actor: the rebuilt pipeline and the source, kept for every item the actor is given."""

    def __init__(self, context: WorkContext):
        tune_malloc()
        pin_threads()
        self.worker = Worker(context)

    def __call__(self, batch: dict) -> dict:
        out = []
        for item_id, rows in zip(batch["item"], batch["rows"]):
            task = (str(item_id), [Row(r["item_id"], r["k"], r["name"]) for r in json.loads(rows)])
            out.append(json.dumps(self.worker.run_task(task), ensure_ascii=False))
        return {"entries": out}


def run_dataset(tasks: Sequence[tuple[str, list[Row]]], context: WorkContext, workers: int) -> Iterator[list[dict]]:
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
