"""ZIP inputs opened as if hostile (DESIGN §9): refused whole, nothing written outside the sandbox, no output.

Every archive is built here with `zipfile`, entry by entry, so each one carries exactly one
trick; a legitimate class-folder archive (bare, or wrapped in one folder beside `__MACOSX/`)
exports exactly like the folder it was made from.
"""

from __future__ import annotations

import io
import tempfile
import warnings
import zipfile
from pathlib import Path

import pytest

from augmenters import InputError, Pipeline
from augmenters.export import ExportOptions, SourceLimits, export_dataset, replay_row
from augmenters.export.zipsafe import UnsafeArchiveError

from .cli_helpers import run_cli
from .export_helpers import make_class_folders, metadata, tree_digest

IMAGES = {"cats": 2, "dogs": 1}


@pytest.fixture
def pets(tmp_path) -> Path:
    return make_class_folders(tmp_path / "pets", IMAGES)


@pytest.fixture
def sandbox(tmp_path, monkeypatch) -> Path:
    """The temp folder archives are extracted under: ours, so the test sees all it holds."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def entries_of(folder: Path, prefix: str = "") -> list[tuple[str, bytes]]:
    return [(prefix + p.relative_to(folder).as_posix(), p.read_bytes()) for p in sorted(folder.rglob("*.jpg"))]


def build_zip(path: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes]], *, encrypt: str | None = None) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns about the duplicate names we add on purpose
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries:
                archive.writestr(name, data)
                if encrypt is not None and archive.filelist[-1].filename == encrypt:
                    archive.filelist[-1].flag_bits |= 0x1  # the "encrypted" bit, as in the central directory
    return path


def export_light(archive: Path, out: Path, limits: SourceLimits = SourceLimits()):
    return export_dataset(Pipeline.load("light"), archive, out, ExportOptions(variants=2, seed=1), limits=limits)


def symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o120777 << 16  # S_IFLNK | rwx: unzip would create a link to the entry's text
    return info


def hostile_cases(tmp_path: Path) -> dict[str, tuple[list, str]]:
    """name -> (entries after the good images, what the refusal says)."""
    outside = (tmp_path / "escaped.jpg").as_posix()
    return {
        "dotdot": ([("../escaped.jpg", b"x")], "points outside the archive"),
        "dotdot-deep": ([("cats/../../escaped.jpg", b"x")], "points outside the archive"),
        "dotdot-backslash": ([("cats\\..\\..\\escaped.jpg", b"x")], "points outside the archive"),
        "absolute": ([(outside, b"x")], "has an absolute path"),
        "drive-slash": ([("C:/escaped.jpg", b"x")], "has an absolute path"),
        "drive-backslash": ([("C:\\Windows\\escaped.jpg", b"x")], "has an absolute path"),
        "drive-relative": ([("d:escaped.jpg", b"x")], "has an absolute path"),
        "symlink": ([(symlink("cats/link.jpg"), b"/etc/passwd")], "is a symbolic link"),
        "duplicate": ([("cats/cats_0.jpg", b"second copy")], "'cats/cats_0.jpg' appears twice"),
        "duplicate-normalised": ([("cats/./cats_0.jpg", b"second copy")], "'cats/cats_0.jpg' appears twice"),
        "bomb": ([("cats/bomb.jpg", bytes(50 * 1024 * 1024))], "(a zip bomb?)"),
    }


@pytest.mark.parametrize("case", list(hostile_cases(Path("/x"))))
def test_hostile_archives_are_refused_and_write_nothing(case, pets, tmp_path, sandbox):
    entries, says = hostile_cases(tmp_path)[case]
    archive = build_zip(tmp_path / "in.zip", entries_of(pets) + entries)
    before = tree_digest(tmp_path, skip=())
    out = tmp_path / "out"
    with pytest.raises(UnsafeArchiveError, match=r"^in\.zip: entry .*; refused") as refusal:
        export_light(archive, out)
    assert says in str(refusal.value)
    assert not out.exists()  # refused before the output folder is made
    assert list(sandbox.iterdir()) == []  # the sandbox is gone again
    assert tree_digest(tmp_path, skip=()) == before  # and nothing landed anywhere else


def test_encrypted_entries_and_archive_wide_limits_are_refused(pets, tmp_path, sandbox):
    good = entries_of(pets)
    out = tmp_path / "out"
    blanks = [(f"cats/blank{i}.jpg", bytes(1024 * 1024)) for i in range(40)]  # each under the per-entry ratio floor
    cases = [
        (build_zip(tmp_path / "locked.zip", good, encrypt="cats/cats_1.jpg"), SourceLimits(), "locked.zip: entry 'cats/cats_1.jpg' is encrypted"),
        (build_zip(tmp_path / "many.zip", good), SourceLimits(max_zip_entries=2), "many.zip: 3 entries is above the 2 limit"),
        (tmp_path / "many.zip", SourceLimits(max_zip_bytes=len(good[0][1]) + 1), "many.zip: unpacks to more than"),
        (build_zip(tmp_path / "spread.zip", good + blanks), SourceLimits(), "spread.zip: unpacks to 42 MB from 0.05 MB"),
    ]
    for archive, limits, says in cases:
        with pytest.raises(UnsafeArchiveError) as refusal:
            export_light(archive, out, limits)
        assert str(refusal.value).startswith(says)
        assert not out.exists() and list(sandbox.iterdir()) == []

    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"PK\x03\x04 but not really a zip")
    clash = build_zip(tmp_path / "clash.zip", good + [("cats/cats_0.jpg/inner.jpg", b"x")])  # a file, then a folder of that name
    for archive, says in ((fake, "fake.zip: not a readable ZIP archive"), (clash, "clash.zip: the archive is damaged")):
        with pytest.raises(InputError) as refusal:
            export_light(archive, out)
        assert str(refusal.value).startswith(says)
        assert not out.exists() and list(sandbox.iterdir()) == []


def test_the_cli_refuses_a_hostile_archive_in_one_line(pets, tmp_path):
    archive = build_zip(tmp_path / "evil.zip", entries_of(pets) + [("../escaped.jpg", b"x")])
    out = tmp_path / "out"
    result = run_cli("export", "--pipeline", "light", "--input", str(archive), "--out", str(out))
    assert result.returncode == 2
    assert result.stderr == "augplay: error: evil.zip: entry '../escaped.jpg' points outside the archive ('..'); refused\n"
    assert not out.exists() and not (tmp_path / "escaped.jpg").exists()


def test_class_folder_archives_export_like_the_folder(pets, tmp_path, sandbox):
    """Bare, or wrapped in one folder with macOS litter beside it: the same rows as the folder itself."""
    folder = export_light(pets, tmp_path / "from-folder")
    assert folder.written == 6 and folder.failed == 0
    rows = metadata(tmp_path / "from-folder")
    assert [(r["label"], r["source"]) for r in rows[::2]] == [
        ("cats", "cats/cats_0.jpg"), ("cats", "cats/cats_1.jpg"), ("dogs", "dogs/dogs_0.jpg"),
    ]  # fmt: skip
    images = tree_digest(tmp_path / "from-folder", skip=("metadata.jsonl", "summary.json", "README.md", "augplay-export.json"))

    dirs = [(zipfile.ZipInfo("pets/"), b""), (zipfile.ZipInfo("pets/cats/"), b""), (zipfile.ZipInfo("pets/dogs/"), b"")]
    litter = [
        ("__MACOSX/pets/cats/._cats_0.jpg", b"\x00\x05\x16\x07AppleDouble"),
        ("__MACOSX/pets/._cats", b"\x00\x05\x16\x07"),
        ("pets/.DS_Store", b"Bud1"),
        ("pets/cats/notes.txt", b"not an image"),
    ]
    archives = {
        "bare": build_zip(tmp_path / "bare.zip", entries_of(pets)),
        "wrapped": build_zip(tmp_path / "wrapped.zip", dirs + entries_of(pets, "pets/") + litter),
    }
    for name, archive in archives.items():
        out = tmp_path / name
        result = export_light(archive, out)
        assert (result.written, result.failed) == (6, 0), name
        assert metadata(out) == rows, name
        assert tree_digest(out, skip=("metadata.jsonl", "summary.json", "README.md", "augplay-export.json")) == images
        assert list(sandbox.iterdir()) == [], name  # the extraction is removed after the run
        replayed = replay_row(out, 3)  # replay extracts the archive again
        assert replayed.identical is True and replayed.row["source"] == "cats/cats_1.jpg"
        assert list(sandbox.iterdir()) == []


def test_a_legit_archive_through_the_cli(pets, tmp_path):
    archive = build_zip(tmp_path / "pets.zip", entries_of(pets, "pets/") + [("__MACOSX/pets/._x.jpg", b"\x00")])
    out = tmp_path / "out"
    result = run_cli("export", "--pipeline", "light", "--input", str(archive), "--out", str(out), "--include-originals")
    assert result.returncode == 0, result.stderr
    rows = metadata(out)
    assert [(r["file_name"], r["label"]) for r in rows if r["original"]] == [
        ("cats/cats_0.jpg", "cats"), ("cats/cats_1.jpg", "cats"), ("dogs/dogs_0.jpg", "dogs"),
    ]  # fmt: skip
    zipped = {name.removeprefix("pets/"): data for name, data in entries_of(pets, "pets/")}
    assert all((out / r["file_name"]).read_bytes() == zipped[r["file_name"]] for r in rows if r["original"])
    assert len(rows) == 6 and "pets.zip" in (out / "README.md").read_text(encoding="utf-8")
