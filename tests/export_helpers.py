"""Inputs and checks the export tests share: small generated datasets, file-tree digests, JSONL reading."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from PIL import Image

from .conftest import make_photo_like

SIZE = (40, 56)  # height, width: small enough that an export of dozens of rows takes well under a second


def write_jpeg(path: Path, seed: int, size: tuple[int, int] = SIZE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(make_photo_like(*size, 3, seed=seed)).save(path, format="JPEG", quality=90)
    return path


def make_class_folders(root: Path, counts: dict[str, int], *, seed: int = 0) -> Path:
    """`root/<class>/<class>_<i>.jpg`, each a different picture; returns `root`."""
    n = seed
    for label, count in counts.items():
        for i in range(count):
            write_jpeg(root / label / f"{label}_{i}.jpg", seed=n)
            n += 1
    return root


def tree_digest(folder: Path, skip: tuple[str, ...] = ("summary.json",)) -> dict[str, str]:
    """sha256 of every file under `folder` (hidden ones too) by relative path, except the names in `skip`."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in skip
    }


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def metadata(out: Path) -> list[dict]:
    return read_jsonl(out / "metadata.jsonl")


def summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def sigkill_after_rows(process: subprocess.Popen, journal: Path, rows: int, timeout: float = 60) -> None:
    """SIGKILL a running `augplay export` once its journal holds `rows` finished rows."""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if journal.exists() and journal.read_bytes().count(b"\n") >= rows:
                break
            time.sleep(0.005)
        if process.poll() is not None:
            pytest.fail(f"the export ended before it could be killed (exit {process.returncode}): {process.stderr.read()}")
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.kill()  # no-op after SIGKILL; stops it should the poll above time out
        process.wait(timeout=30)
        process.stderr.close()
