"""What one worker does for one item: render its rows, write image files, return journal entries.

Every engine (in-process, the local process pool, Ray) calls `run_task`, so the files do not
depend on which engine or how many workers ran them.
"""

from __future__ import annotations

import errno
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from ..io import write_bytes_atomic
from ..pipeline import Pipeline
from .plan import Row
from .render import Encoding, Failed, Rendered, describe_error, render_variants
from .sources import Item, Source
from .writers import text_columns


@dataclass(frozen=True)
class WorkContext:
    """Everything a worker needs, sent once per process."""

    pipeline: dict
    source: Source
    seed: int
    encoding: Encoding
    root: str
    classes: tuple[str, ...]
    text_column: str = "text"
    input_columns: tuple[str, ...] = ()


class Worker:
    """Holds the rebuilt pipeline and the source in one process (models load once per worker)."""

    def __init__(self, context: WorkContext):
        self.context = context
        self.pipeline = Pipeline.from_dict(context.pipeline, source="pipeline.yaml")
        self.root = Path(context.root)
        self.columns = text_columns(list(context.input_columns))

    def run_task(self, task: tuple[str, list[Row]]) -> list[dict]:
        item_id, rows = task
        source = self.context.source
        item = source.get(item_id)
        entries: list[dict] = []
        variants = [row for row in rows if row.k is not None]
        try:  # decoded once for the original's check and every variant
            data, load_error = source.load(item), None
        except Exception as exc:  # unreadable (permissions, a vanished file) fails this item's rows only
            data, load_error = None, describe_error(exc)
        results = (
            render_variants(
                self.pipeline, source, item, [r.k for r in variants], self.context.seed, self.context.encoding, data=data
            )
            if load_error is None
            else [Failed(item, r.k, load_error) for r in variants]
        )
        jobs = [(row, None) for row in rows if row.k is None] + list(zip(variants, results))
        for row, result in jobs:
            try:
                entries.append(self._original(item, row, load_error) if result is None else self._entry(row, result))
            except OSError as exc:
                if exc.errno in (errno.ENOSPC, errno.EDQUOT):  # stop the run; it resumes once there is space
                    entries.append({"fatal": "the disk is full"})
                    return entries
                # Any other write problem (a name the file system refuses, permissions) fails this row only.
                entries.append({"key": row.key, "item": row.item_id, "k": row.k, "error": f"could not write: {exc.strerror or exc}"})
        return entries

    # -- one row ----------------------------------------------------------------------
    def _entry(self, row: Row, result: Rendered | Failed) -> dict:
        base = {"key": row.key, "item": row.item_id, "k": row.k}
        if isinstance(result, Failed):
            return {**base, "error": result.error}
        record = json.loads(json.dumps(result.record))  # exactly what a reader of the files gets back
        if record.get("failed"):
            return {**base, "dropped": record["failed"]}
        label = result.item.label
        if result.data is not None:
            write_bytes_atomic(self._target(row.name), result.data, durable=False)
            return {**base, "label": label, "record": record, "meta": self._image_meta(row, label, record)}
        return {**base, "label": label, "record": record, "row": self._text_row(result.item, row, result.output, record)}

    def _original(self, item: Item, row: Row, load_error: str | None) -> dict:
        base = {"key": row.key, "item": row.item_id, "k": None}
        if load_error:  # an original that does not decode is not copied
            return {**base, "error": load_error}
        if item.path is not None:
            write_bytes_atomic(self._target(row.name), item.path.read_bytes(), durable=False)
            return {**base, "label": item.label, "meta": self._image_meta(row, item.label, None)}
        return {**base, "label": item.label, "row": self._text_row(item, row, item.text or "", None)}

    def _target(self, name: str) -> Path:
        path = self.root.joinpath(*name.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def _soft_label(self, label: str | None, record: dict | None) -> list[float] | None:
        if not self.context.classes or label is None:
            return None
        weights = (record or {}).get("labels") or {label: 1.0}
        return [float(weights.get(name, 0.0)) for name in self.context.classes]

    def _image_meta(self, row: Row, label: str | None, record: dict | None) -> dict:
        return {
            "file_name": row.name,
            "label": label,
            "soft_label": self._soft_label(label, record),
            "source": row.item_id,
            "seed": None if record is None else self.context.seed,
            "k": row.k,
            "original": record is None,
            "record": json.dumps(record or {}, ensure_ascii=False, sort_keys=False),
        }

    def _text_row(self, item: Item, row: Row, text: str, record: dict | None) -> dict:
        names = self.columns
        out = dict(item.fields) if item.fields else {}
        out[self.context.text_column] = text
        out[names["source_id"]] = item.id
        out[names["seed"]] = None if record is None else self.context.seed
        out[names["k"]] = row.k
        out[names["similarity"]] = None if record is None else record.get("similarity")
        out[names["record"]] = json.dumps(record or {}, ensure_ascii=False)
        return out


# -- per-process state for pool engines ----------------------------------------------------

_WORKER: Worker | None = None


def pin_threads() -> None:
    """One math thread per worker process: N processes on N cores, not N x N threads (DESIGN §8).

    The environment variables cover libraries loaded later (torch reads OMP_NUM_THREADS when it
    loads); libraries already loaded are pinned directly. Importing torch here just to pin it
    would cost each worker ~2 s of start-up for pipelines that never use it.
    """
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = "1"
    import cv2  # cheap (~40 ms), and most image ops use it

    cv2.setNumThreads(0)
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(1)


def init_process(context: WorkContext) -> None:
    global _WORKER
    pin_threads()
    _WORKER = Worker(context)


def run_in_process(task: tuple[str, list[Row]]) -> list[dict]:
    assert _WORKER is not None, "init_process was not called in this worker"
    return _WORKER.run_task(task)
