"""Run discipline for an export folder: one writer at a time, resume after any crash, refuse a mix-up.

- A lock (`fcntl.flock` on `.augplay.lock`) refuses a second export into the same folder and
  is released by the OS when its process dies, even by SIGKILL.
- `augplay-export.json` holds the arguments that shape the files; a re-run with other
  arguments into the same folder is refused with what differs.
- `.augplay-journal.jsonl` gets one flushed line per finished row; a re-run skips those rows.
  A line cut short by a crash is ignored (that row is simply made again). When the run
  finishes, the final files are written from the journal in plan order and it is removed.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from ..core.errors import AugplayError, InputError
from ..io import write_text_atomic
from .writers import SUMMARY

RUN_FILE = "augplay-export.json"
JOURNAL = ".augplay-journal.jsonl"
LOCK = ".augplay.lock"
MIN_FREE_BYTES = 64 * 1024 * 1024  # stop cleanly below this, before a write fails half-way
MIN_FREE_ENV = "AUGPLAY_MIN_FREE_MB"  # a smaller (or larger) margin for small disks


def min_free_bytes() -> int:
    value = os.environ.get(MIN_FREE_ENV, "").strip()
    try:
        return int(float(value) * 1024 * 1024) if value else MIN_FREE_BYTES
    except ValueError:
        raise AugplayError(f"{MIN_FREE_ENV}={value!r} is not a number of megabytes") from None


class ExportBusyError(AugplayError):
    """Another export is writing into the same folder right now."""


class DiskFullError(AugplayError):
    """The disk is (almost) full; the export stopped cleanly and can be resumed."""


def check_free_space(folder: Path, need: int = 0) -> None:
    free = shutil.disk_usage(folder).free
    if free < min_free_bytes() + need:
        raise DiskFullError(
            f"only {free / 1e6:,.0f} MB free on the disk holding {folder}; "
            f"free some space, then run the same command again to resume"
        )


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict) and prefix != "pipeline":  # a pipeline is named as a whole, not step by step
        out: dict[str, Any] = {}
        for key, inner in value.items():
            out.update(_flat(inner, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


def describe_differences(old: dict, new: dict) -> str:
    """`options.variants was 3, now 2; pipeline differs` — what a user changed, in their terms."""
    before, after = _flat(old), _flat(new)
    keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    parts = []
    for key in keys[:4]:
        a, b = before.get(key), after.get(key)
        if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
            parts.append(f"{key} differs")
        else:
            parts.append(f"{key} was {a!r}, now {b!r}")
    return "; ".join(parts)


class ExportFolder:
    """The output folder of one export run. Use as a context manager; it holds the lock while open."""

    def __init__(self, root: str | os.PathLike, fingerprint: dict):
        self.root = Path(root)
        self.fingerprint = fingerprint
        self.done: dict[str, dict] = {}
        self.complete = False
        self._lock_fd: int | None = None
        self._journal = None

    # -- opening --------------------------------------------------------------------
    def __enter__(self) -> "ExportFolder":
        if self.root.exists() and not self.root.is_dir():
            raise InputError(f"{self.root}: exists and is not a folder")
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock()
        try:
            self._check_owner()
            if self.complete:  # nothing to do; leave the finished files exactly as they are
                return self
            self._remove_partial_files()
            write_text_atomic(self.root / RUN_FILE, json.dumps(self.fingerprint, indent=2, ensure_ascii=False) + "\n")
            self.done = self._read_journal()
            self._journal = open(self.root / JOURNAL, "a", encoding="utf-8")
        except BaseException:
            # A refused run (other arguments, a folder that is not an export) must leave the
            # folder as it found it: no stray lock file in a finished export or a user's folder.
            self._release()
            raise
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        self._release()

    def _release(self) -> None:
        if self._lock_fd is not None:
            (self.root / LOCK).unlink(missing_ok=True)  # a stale one (after SIGKILL) is harmless: flock decides
        self._unlock()

    def _lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks here; one export per folder is then up to the user
            return
        path = self.root / LOCK
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise ExportBusyError(
                    f"another augplay export is writing into {self.root} right now; wait for it to finish or pick another folder"
                ) from None
            # The holder unlinks the lock file as it leaves: a lock won on a file already unlinked
            # guards nothing (a third run would lock a new file at the same path), so take it again.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(path))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        self._lock_fd = fd

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing releases the flock
            self._lock_fd = None

    def _check_owner(self) -> None:
        run_file = self.root / RUN_FILE
        if run_file.exists():
            try:
                old = json.loads(run_file.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                raise InputError(f"{run_file} is damaged; pick an empty folder") from None
            if old != self.fingerprint:
                raise InputError(
                    f"{self.root} holds an export made with other arguments ({describe_differences(old, self.fingerprint)}); "
                    "pick an empty folder, or repeat the original command to resume it"
                )
            # Finished = the journal is gone *and* the summary (written last) is there: a run killed
            # between writing RUN_FILE and opening its journal has neither, and must simply start over.
            self.complete = not (self.root / JOURNAL).exists() and (self.root / SUMMARY).exists()
            return
        others = [p.name for p in self.root.iterdir() if p.name != LOCK]
        if others:
            raise InputError(
                f"{self.root} is not empty and holds no augplay export ({others[0]!r}, …); pick an empty or new folder"
            )

    def _remove_partial_files(self) -> None:
        """Temp files of a run that was killed mid-write: never part of the result."""
        for path in self.root.rglob(".*.part"):
            path.unlink(missing_ok=True)

    def _read_journal(self) -> dict[str, dict]:
        path = self.root / JOURNAL
        done: dict[str, dict] = {}
        if not path.exists():
            return done
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if not line.endswith("\n"):
                    break  # cut short by a crash: that row is made again
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if "error" in entry:
                    continue  # failed rows are tried again on resume (a fixed file is then picked up)
                done[entry["key"]] = entry
        if path.stat().st_size and not done:
            path.write_text("", encoding="utf-8")
        return done

    # -- running --------------------------------------------------------------------
    def record(self, entry: dict) -> None:
        assert self._journal is not None
        self._journal.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._journal.flush()

    def sync(self) -> None:
        if self._journal is not None:
            os.fsync(self._journal.fileno())

    def finish(self) -> None:
        """The final files are written: the journal goes, and the folder counts as complete."""
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        (self.root / JOURNAL).unlink(missing_ok=True)
        self.complete = True
