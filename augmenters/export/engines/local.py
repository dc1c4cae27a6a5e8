"""The local engine: the rows of an export on this machine, in this process or a pool of processes."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
from contextlib import contextmanager
from typing import Iterator, Sequence

from ..plan import Row
from ..worker import Worker, WorkContext, init_process, run_in_process


def _context():
    # forkserver: workers fork from a clean server process, never from a parent that already
    # runs threads (the app's server, torch's pools), which fork can deadlock.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


# A fresh worker process maps every image-sized buffer (> 128 KB) anew and pays its page faults
# on each allocation; a forked or long-lived process has raised glibc's threshold already.
# Measured on 2 cores, 500x375 JPEGs, hflip: 183 rows/s per fresh worker vs 294 with these.
WORKER_MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": str(64 * 1024**2), "MALLOC_TRIM_THRESHOLD_": str(256 * 1024**2)}


def tune_malloc() -> None:
    """WORKER_MALLOC_ENV's settings applied inside a process already running (a Ray actor), through
    glibc's mallopt, which those variables set at start; elsewhere (not glibc) nothing to do."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    m_trim_threshold, m_mmap_threshold = -1, -3  # from glibc's malloc.h
    libc.mallopt(m_mmap_threshold, int(WORKER_MALLOC_ENV["MALLOC_MMAP_THRESHOLD_"]))
    libc.mallopt(m_trim_threshold, int(WORKER_MALLOC_ENV["MALLOC_TRIM_THRESHOLD_"]))


@contextmanager
def worker_environment():
    """The workers' environment while they start (a user's own settings win); the parent's is restored."""
    added = {k: v for k, v in WORKER_MALLOC_ENV.items() if k not in os.environ}
    os.environ.update(added)
    try:
        yield
    finally:
        for key in added:
            os.environ.pop(key, None)


def chunk_size(tasks: int, workers: int) -> int:
    """Items per message to a worker: one at a time costs ~25 % on small images (measured, 2 cores),
    as the pool's handler threads compete with the workers; big chunks delay the last worker."""
    return max(1, min(16, tasks // (workers * 8)))


def run(tasks: Sequence[tuple[str, list[Row]]], context: WorkContext, workers: int = 1) -> Iterator[list[dict]]:
    """Yield each task's journal entries as it finishes (in any order). Closing the iterator stops the pool."""
    if workers <= 1 or len(tasks) <= 1:
        worker = Worker(context)
        for task in tasks:
            yield worker.run_task(task)
        return
    with worker_environment():
        pool = _context().Pool(min(workers, len(tasks)), initializer=init_process, initargs=(context,))
    with pool:
        yield from pool.imap_unordered(run_in_process, tasks, chunksize=chunk_size(len(tasks), workers))
