"""Age-based cleanup of augplay's folder in Gradio's cache: previews, exports, evaluations, saved YAML.

Gradio's `delete_cache` removes only the files it copied into its cache itself. Previews are
served where they are written (a static folder, see `previews.serve_as_static`) and an export is
a whole folder of which Gradio only ever sees the ZIP, so without this a long-running app (a
Space) would keep every preview and export forever. An entry goes once nothing in it has been
written for `max_age_s`; an export still being written keeps touching its files and stays.
"""

from __future__ import annotations

import os
import shutil
import stat
import threading
import time
from pathlib import Path

CHECK_EVERY_S = 3600  # the same schedule as the app's Gradio `delete_cache`
MAX_AGE_S = 24 * 3600
FIRST_AFTER_S = 300  # the app's first prune: a (Space) start is when people first wait for previews
GROUPS = ("exports", "evaluations", "yaml")  # folders of entries; every other child is one entry


def newest_mtime(path: Path) -> float:
    """The latest modification time in a file or folder tree (links not followed)."""
    info = path.lstat()
    return max(info.st_mtime, _newest_inside(path)) if stat.S_ISDIR(info.st_mode) else info.st_mtime


def _newest_inside(folder: str | Path) -> float:
    # os.scandir's entries carry their type: one stat a file, no Path objects (a Space's cache
    # holds tens of thousands of previews, and this runs in the server's process).
    newest = 0.0
    with os.scandir(folder) as found:
        for entry in found:
            try:
                newest = max(newest, entry.stat(follow_symlinks=False).st_mtime)
                if entry.is_dir(follow_symlinks=False):
                    newest = max(newest, _newest_inside(entry.path))
            except FileNotFoundError:  # removed while we looked
                continue
    return newest


def entries(root: Path) -> list[Path]:
    found = []
    for child in root.iterdir() if root.is_dir() else []:
        if child.name in GROUPS and child.is_dir() and not child.is_symlink():
            found.extend(child.iterdir())
        else:
            found.append(child)
    return found


def prune(root: Path, max_age_s: float = MAX_AGE_S, now: float | None = None) -> list[Path]:
    """Remove the entries under `root` untouched for longer than `max_age_s`; returns them."""
    now = time.time() if now is None else now
    removed = []
    for entry in entries(root):
        try:
            if now - newest_mtime(entry) <= max_age_s:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed.append(entry)
        except OSError:  # in use, vanished or not ours to remove: try again next round
            continue
    return removed


def start(root: Path, every_s: float = CHECK_EVERY_S, max_age_s: float = MAX_AGE_S, first_after_s: float = 0.0) -> threading.Event:
    """Prune after `first_after_s`, then every `every_s`, in a daemon thread at the lowest CPU
    priority; set the returned event to stop it."""
    stop = threading.Event()

    def loop() -> None:
        _lowest_priority()
        if stop.wait(first_after_s):
            return
        while True:
            prune(root, max_age_s)
            if stop.wait(every_s):
                return

    threading.Thread(target=loop, name="augplay-cache-pruning", daemon=True).start()
    return stop


def _lowest_priority() -> None:
    """Lower this thread's priority (Linux nices threads one by one): a prune walks the whole
    cache, and a person waiting for a preview grid should not wait for it."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    except (AttributeError, OSError):  # not Linux, or not allowed: run at the usual priority
        pass
