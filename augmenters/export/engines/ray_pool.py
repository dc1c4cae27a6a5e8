"""The Ray engine's warm pool: actors started once per driver process and reused by every export.

Starting an actor (a Python process that imports augplay) costs seconds; an export of a few
thousand cheap rows takes about as long. So the driver keeps one pool, keyed by its Ray session
and size, and each export only sends the actors its context (once, through the object store)
and then chunks of item keys; the actors read the images from the shared storage themselves.
The pool goes when Ray shuts down (at the driver's exit), or when an export is abandoned.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator, Sequence

from ..plan import Row
from ..worker import Worker, WorkContext, pin_threads
from .local import chunk_size, tune_malloc

IN_FLIGHT = 2  # chunks queued per actor: the next one is there when the current one ends


class PoolActor:
    """One process's worker, rebound to each export's context (models stay cached in the process)."""

    def __init__(self):
        tune_malloc()
        pin_threads()
        self.worker: Worker | None = None

    def ready(self) -> bool:
        return True

    def bind(self, context: WorkContext) -> None:
        self.worker = Worker(context)

    def run(self, tasks: list[tuple[str, list[Row]]]) -> list[list[dict]]:
        return [self.worker.run_task(task) for task in tasks]


class _Pool:
    def __init__(self, ray, key: tuple, size: int):
        self.key = key
        actor = ray.remote(num_cpus=1)(PoolActor)
        self.actors = [actor.remote() for _ in range(size)]


_POOL: _Pool | None = None
# The actors are bound to one export's context at a time: a second export in the same process
# (another thread of the app) waits for the first one, as it would for its CPUs anyway.
_LOCK = threading.RLock()


def warm_pool(workers: int, wait: bool = False) -> _Pool:
    """The pool for `workers` actors (at most the cluster's CPUs), started on first use;
    `wait`: return once every actor is up (to time the start apart from the rows)."""
    import ray

    global _POOL
    here = ray.get_runtime_context()
    size = max(1, min(workers, int(ray.cluster_resources().get("CPU", 1))))
    key = (here.get_node_id(), here.get_job_id(), size)
    with _LOCK:
        if _POOL is not None and _POOL.key != key:
            stop_pool()
        if _POOL is None:
            _POOL = _Pool(ray, key, size)
        if wait:
            ray.get([actor.ready.remote() for actor in _POOL.actors])
        return _POOL


def stop_pool() -> None:
    """Kill the pool's actors (when its Ray session is gone, they are already)."""
    import ray

    global _POOL
    with _LOCK:
        pool, _POOL = _POOL, None
        if pool is None or not ray.is_initialized():
            return
        here = ray.get_runtime_context()
        if pool.key[:2] == (here.get_node_id(), here.get_job_id()):
            for actor in pool.actors:
                ray.kill(actor)


@contextmanager
def without_pool() -> Iterator[None]:
    """The pool stopped, and kept from starting, while the caller runs other actors on its CPUs."""
    with _LOCK:
        stop_pool()
        yield


def run_pool(tasks: Sequence[tuple[str, list[Row]]], context: WorkContext, workers: int) -> Iterator[list[dict]]:
    with _LOCK:
        yield from _run_bound(tasks, context, workers)


def _run_bound(tasks: Sequence[tuple[str, list[Row]]], context: WorkContext, workers: int) -> Iterator[list[dict]]:
    import ray

    pool = warm_pool(workers)
    shared = ray.put(context)  # stored once, not once per actor or per chunk
    ray.get([actor.bind.remote(shared) for actor in pool.actors])  # a pipeline that does not build fails here
    size = chunk_size(len(tasks), len(pool.actors))
    chunks = iter([list(tasks[i : i + size]) for i in range(0, len(tasks), size)])
    pending = {}

    def feed(actor) -> None:
        chunk = next(chunks, None)
        if chunk is not None:
            pending[actor.run.remote(chunk)] = actor

    for _ in range(IN_FLIGHT):
        for actor in pool.actors:
            feed(actor)
    finished = False
    try:
        while pending:
            [ready], _ = ray.wait(list(pending), num_returns=1)
            feed(pending.pop(ready))
            yield from ray.get(ready)
        finished = True
    finally:
        if not finished:  # abandoned (an error, the disk full): the queued chunks must not run on
            stop_pool()
