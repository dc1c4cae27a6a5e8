"""ZIP inputs, opened as if hostile: every entry is checked before one byte is written.

`zipfile.extractall` renames `../` entries silently, lets duplicates overwrite and leaves
partial output on a bad entry (DESIGN §9). Here the whole listing is validated first (no
absolute paths, drive letters, `..`, symlinks, encrypted or duplicate entries; caps on
entry count, total size and compression ratio), then the images are copied into a fresh
sandbox folder that is removed again if anything fails.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from ..core.errors import InputError
from .sources import IGNORED_DIRS, ImageFolderSource, SourceLimits, is_image_name

MAX_RATIO = 200  # deflate reaches ~1000:1 on bombs; real images compress far less than 200:1
RATIO_FLOOR_BYTES = 1024 * 1024  # tiny entries may compress well (a blank PNG) without harm
_DRIVE = re.compile(r"^[A-Za-z]:")


class UnsafeArchiveError(InputError):
    """An archive refused as a whole: something in it tries to escape or to exhaust the machine."""


def safe_members(archive: zipfile.ZipFile, name: str, limits: SourceLimits) -> list[tuple[zipfile.ZipInfo, str]]:
    """The image entries to extract with their checked relative paths; raises on anything hostile."""
    infos = archive.infolist()
    if len(infos) > limits.max_zip_entries:
        raise UnsafeArchiveError(f"{name}: {len(infos):,} entries is above the {limits.max_zip_entries:,} limit")
    total = packed = 0
    seen: set[str] = set()
    keep = []
    for info in infos:
        raw = info.filename
        path = raw.replace("\\", "/")
        if path.startswith("/") or _DRIVE.match(path):
            raise UnsafeArchiveError(f"{name}: entry {raw!r} has an absolute path; refused")
        parts = [p for p in PurePosixPath(path).parts if p not in ("", ".")]
        if ".." in parts:
            raise UnsafeArchiveError(f"{name}: entry {raw!r} points outside the archive ('..'); refused")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UnsafeArchiveError(f"{name}: entry {raw!r} is a symbolic link; refused")
        if info.is_dir() or not parts:
            continue
        clean = "/".join(parts)
        if clean in seen:
            raise UnsafeArchiveError(f"{name}: entry {clean!r} appears twice; refused (which one would win?)")
        seen.add(clean)
        if info.flag_bits & 0x1:
            raise UnsafeArchiveError(f"{name}: entry {clean!r} is encrypted; augplay reads unencrypted archives only")
        total += info.file_size
        packed += info.compress_size
        if total > limits.max_zip_bytes:
            raise UnsafeArchiveError(f"{name}: unpacks to more than {limits.max_zip_bytes / 1e9:.1f} GB; refused")
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UnsafeArchiveError(
                f"{name}: entry {clean!r} expands {info.file_size / max(info.compress_size, 1):,.0f}x "
                "(a zip bomb?); refused"
            )
        hidden = any(p.startswith(".") or p in IGNORED_DIRS for p in parts)
        if not hidden and is_image_name(parts[-1]):
            keep.append((info, clean))
    # The per-entry ratio check spares entries under RATIO_FLOOR_BYTES, so thousands of 1 MB
    # entries of zeros (45 KB packed per 40 MB) would pass it and fill the disk: check the whole too.
    if total > RATIO_FLOOR_BYTES and total > MAX_RATIO * max(packed, 1):
        raise UnsafeArchiveError(
            f"{name}: unpacks to {total / 1e6:,.0f} MB from {packed / 1e6:,.2f} MB "
            f"({total / max(packed, 1):,.0f}x overall, a zip bomb?); refused"
        )
    return keep


def extract_images(path: Path, dest: Path, limits: SourceLimits) -> None:
    """Copy the archive's images into `dest` (an empty folder), after `safe_members` accepted it."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = safe_members(archive, path.name, limits)
            for info, rel in members:
                target = dest.joinpath(*rel.split("/"))
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as src, open(target, "xb") as out:
                    shutil.copyfileobj(src, out, 1024 * 1024)
    except zipfile.BadZipFile as exc:
        raise InputError(f"{path.name}: not a readable ZIP archive ({exc})") from None
    except (OSError, EOFError, ValueError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"{path.name}: the archive is damaged ({type(exc).__name__}: {exc})") from None


def dataset_root(folder: Path) -> Path:
    """A ZIP of `dataset/<class>/<image>` is read from `dataset/`: one wrapping folder is unwrapped."""
    entries = [e for e in folder.iterdir() if not e.name.startswith(".")]
    if len(entries) == 1 and entries[0].is_dir() and any(e.is_dir() for e in entries[0].iterdir()):
        return entries[0]
    return folder


class ZipSource(ImageFolderSource):
    """A class-folder (or flat) image set inside a ZIP, read from a sandbox extraction."""

    def __init__(self, path: str | os.PathLike, limits: SourceLimits = SourceLimits(), *, work_dir=None):
        self.archive = Path(path)
        self._sandbox = Path(tempfile.mkdtemp(prefix="augplay-zip-", dir=work_dir))
        try:
            extract_images(self.archive, self._sandbox, limits)
            if not any(self._sandbox.iterdir()):
                raise InputError(f"{self.archive.name}: the archive holds no images")
            super().__init__(dataset_root(self._sandbox), limits, kind="zip")
        except BaseException:
            shutil.rmtree(self._sandbox, ignore_errors=True)
            raise
        self._owner = os.getpid()

    def describe(self) -> str:
        return self.archive.name

    def close(self) -> None:
        if os.getpid() == self._owner:  # worker processes get a copy of this object; only the opener cleans up
            shutil.rmtree(self._sandbox, ignore_errors=True)
