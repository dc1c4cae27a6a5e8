"""An export that dies, a disk that fills up, a bug: the run can always be finished, and says what happened."""

from __future__ import annotations

import os
import random
import signal
import subprocess

import pytest

from augmenters.export.journal import JOURNAL, LOCK

from ..cli_helpers import cli_env, run_cli, start_cli
from ..export_helpers import make_class_folders, sigkill_after_rows, tree_digest, write_jpeg

EXPORT = ("export", "--pipeline", "light", "--variants", "6", "--seed", "11")


def test_killed_at_several_random_points_then_resumed_equals_an_uninterrupted_run(tmp_path):
    data = make_class_folders(tmp_path / "data", {"a": 15, "b": 15})  # 30 items x 6 variants = 180 rows
    args = (*EXPORT, "--input", str(data))
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    assert run_cli(*args, "--out", str(whole)).returncode == 0
    journal = killed / JOURNAL

    # A kill before the first row is written (listing, planning, pool start), then kills after
    # random numbers of rows, each run resuming the one before: the seed makes the points fixed.
    process = start_cli(*args, "--out", str(killed))
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    process.stderr.close()
    points = sorted(random.Random(12).sample(range(5, 175), 3))
    for rows in points:
        process = start_cli(*args, "--out", str(killed))
        sigkill_after_rows(process, journal, rows)
        assert process.returncode == -signal.SIGKILL
        assert not (killed / "metadata.jsonl").exists()
    result = run_cli(*args, "--out", str(killed))
    assert result.returncode == 0, result.stderr
    assert tree_digest(killed) == tree_digest(whole)  # hidden files included: no journal, lock or *.part
    assert not list(killed.rglob("*.part")) and not journal.exists() and not (killed / LOCK).exists()


@pytest.fixture
def small_disk(tmp_path):
    """A real 3 MB tmpfs (needs root, as in CI): the export meets a genuine ENOSPC."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; tests/test_export.py covers a full disk with a failing writer")
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_disk_that_fills_up_stops_cleanly_and_resumes_once_space_is_freed(tmp_path, small_disk):
    data = tmp_path / "data"
    for n in range(20):
        write_jpeg(data / "ab"[n % 2] / f"{n}.jpg", seed=n, size=(128, 160))
    args = (*EXPORT, "--input", str(data), "--format", "png")  # 120 PNG rows, ~50 KB each: twice the disk
    whole = tmp_path / "whole"
    assert run_cli(*args, "--out", str(whole)).returncode == 0
    out = small_disk / "out"
    env = {**cli_env(), "AUGPLAY_MIN_FREE_MB": "0"}  # no safety margin: the writes themselves hit ENOSPC
    full = subprocess.run(
        [*_cli(), *args, "--out", str(out)], env=env, capture_output=True, text=True, timeout=300, cwd=_root()
    )
    assert full.returncode == 4, full.stderr
    assert "the disk is full" in full.stderr and "run the same command again to resume" in full.stderr
    assert "Traceback" not in full.stderr and full.stderr.count("\n") == 1, full.stderr
    assert not list(out.rglob("*.part")) and not (out / "metadata.jsonl").exists()
    done = (out / JOURNAL).read_text(encoding="utf-8").count("\n")
    assert 0 < done < 120

    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)  # space is freed
    resumed = subprocess.run(
        [*_cli(), *args, "--out", str(out)], env=env, capture_output=True, text=True, timeout=300, cwd=_root()
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"({done} from an earlier run)" in resumed.stdout
    assert tree_digest(out) == tree_digest(whole)


def _cli() -> list[str]:
    import sys

    return [sys.executable, "-m", "app.cli"]


def _root():
    from ..cli_helpers import REPO_ROOT

    return REPO_ROOT


def test_an_internal_error_exits_3_with_one_line_and_the_traceback_in_a_file(monkeypatch, capsys):
    from app import cli

    def broken(args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(cli.COMMANDS, "list", broken)
    assert cli.main(["list"]) == cli.EXIT_INTERNAL == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error (a bug in augplay, not in your input): ZeroDivisionError" in err
    saved = err.split("traceback saved to ")[1].split(" ")[0]
    with open(saved, encoding="utf-8") as file:
        assert "ZeroDivisionError: division by zero" in file.read() and "def broken" not in err
    os.unlink(saved)
    with pytest.raises(ZeroDivisionError):  # --debug: the traceback itself
        cli.main(["--debug", "list"])
