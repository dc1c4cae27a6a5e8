"""The local engine: the rows of an export on this machine, in this process or a pool of processes."""

from __future__ import annotations

import multiprocessing
from typing import Iterator, Sequence

from ..plan import Row
from ..worker import Worker, WorkContext, init_process, run_in_process


def _context():
    # forkserver: workers fork from a clean server process, never from a parent that already
    # runs threads (the app's server, torch's pools), which fork can deadlock.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def run(tasks: Sequence[tuple[str, list[Row]]], context: WorkContext, workers: int = 1) -> Iterator[list[dict]]:
    """Yield each task's journal entries as it finishes (in any order). Closing the iterator stops the pool."""
    if workers <= 1 or len(tasks) <= 1:
        worker = Worker(context)
        for task in tasks:
            yield worker.run_task(task)
        return
    with _context().Pool(min(workers, len(tasks)), initializer=init_process, initargs=(context,)) as pool:
        yield from pool.imap_unordered(run_in_process, tasks, chunksize=1)
