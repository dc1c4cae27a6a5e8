"""The app's own cleanup of previews, exports, evaluations and saved YAML in Gradio's cache."""

from __future__ import annotations

import os
import time
from pathlib import Path

from app import cache_pruning

DAY = 24 * 3600


def _touch(path: Path, age_s: float, now: float, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    os.utime(path, (now - age_s, now - age_s))
    return path


def _age_dirs(root: Path, age_s: float, now: float) -> None:
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        os.utime(folder, (now - age_s, now - age_s))


def _gone_within(path: Path, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return not path.exists()


def test_old_entries_go_and_recent_ones_stay(tmp_path: Path) -> None:
    now = time.time()
    old_preview = _touch(tmp_path / "a" / "sample_000.jpg", 2 * DAY, now)
    new_preview = _touch(tmp_path / "b" / "sample_000.jpg", 60, now)
    old_export = _touch(tmp_path / "exports" / "k1" / "cats" / "001.jpg", 2 * DAY, now)
    # An export still being written: one file is fresh, deep inside, the rest old.
    _touch(tmp_path / "exports" / "k2" / "cats" / "001.jpg", 2 * DAY, now)
    running = _touch(tmp_path / "exports" / "k2" / "dogs" / "007.jpg", 5, now)
    old_yaml = _touch(tmp_path / "yaml" / "h1" / "pipeline.yaml", 2 * DAY, now)
    old_eval = _touch(tmp_path / "evaluations" / "e1" / "evaluation.json", 2 * DAY, now)
    _age_dirs(tmp_path, 2 * DAY, now)

    removed = cache_pruning.prune(tmp_path, DAY, now=now)

    assert not old_preview.exists() and not old_export.exists() and not old_yaml.exists() and not old_eval.exists()
    assert new_preview.exists() and running.exists()
    assert (tmp_path / "exports").is_dir() and (tmp_path / "yaml").is_dir()  # the group folders stay
    assert sorted(p.name for p in removed) == ["a", "e1", "h1", "k1"]


def test_a_link_is_removed_without_following_it(tmp_path: Path) -> None:
    now = time.time()
    outside = _touch(tmp_path / "outside" / "keep.txt", 2 * DAY, now)
    root = tmp_path / "cache"
    root.mkdir()
    link = root / "link"
    link.symlink_to(outside.parent, target_is_directory=True)
    os.utime(link, (now - 2 * DAY, now - 2 * DAY), follow_symlinks=False)

    cache_pruning.prune(root, DAY, now=now)

    assert not link.is_symlink() and outside.exists()


def test_a_missing_cache_folder_is_no_error(tmp_path: Path) -> None:
    assert cache_pruning.prune(tmp_path / "never-made", DAY) == []


def test_the_background_pruning_runs_at_start_and_stops(tmp_path: Path) -> None:
    now = time.time()
    old = _touch(tmp_path / "c" / "sample_000.jpg", 2 * DAY, now)
    _age_dirs(tmp_path, 2 * DAY, now)
    stop = cache_pruning.start(tmp_path, every_s=0.05, max_age_s=DAY)
    try:
        assert _gone_within(old, 10)
    finally:
        stop.set()


def test_the_first_prune_waits_and_the_thread_runs_at_the_lowest_priority(tmp_path: Path) -> None:
    import threading

    now = time.time()
    old = _touch(tmp_path / "d" / "sample_000.jpg", 2 * DAY, now)
    _age_dirs(tmp_path, 2 * DAY, now)
    before = set(threading.enumerate())  # the app's own pruning thread may run in this process too
    stop = cache_pruning.start(tmp_path, every_s=0.05, max_age_s=DAY, first_after_s=0.6)
    try:
        time.sleep(0.2)
        assert old.exists()  # not yet: the app's first users come first
        [thread] = [t for t in set(threading.enumerate()) - before if t.name == "augplay-cache-pruning"]
        assert os.getpriority(os.PRIO_PROCESS, thread.native_id) == 19
        assert _gone_within(old, 10)
    finally:
        stop.set()


def test_newest_mtime_sees_a_fresh_file_deep_in_an_old_tree(tmp_path: Path) -> None:
    now = time.time()
    _touch(tmp_path / "e" / "a" / "b" / "old.jpg", 2 * DAY, now)
    _touch(tmp_path / "e" / "a" / "b" / "c" / "new.jpg", 30, now)
    _age_dirs(tmp_path, 2 * DAY, now)
    assert now - cache_pruning.newest_mtime(tmp_path / "e") < 60
    assert now - cache_pruning.newest_mtime(tmp_path / "e" / "a" / "b" / "old.jpg") > DAY
