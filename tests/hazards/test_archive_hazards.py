"""Archives: every hostile kind refused in one line by the CLI and the app's Export tab, a legit one exported in full.

The entry-level cases (zip slip, links, duplicates, bombs) are built by tests/test_export_zip.py,
which checks the library; here the same archives and a few more go through `augplay export`
and the app's `/export_dataset` endpoint, where a user meets them.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from ..app_server import running_app
from ..cli_helpers import run_cli
from ..export_helpers import make_class_folders
from ..test_export_zip import build_zip, entries_of, hostile_cases


def more_cases(pets: Path, tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Archives the entry checks do not cover: whole-archive problems. name -> (archive, message)."""
    inner = build_zip(tmp_path / "inner.zip", entries_of(pets))
    cases = {
        "nested": (build_zip(tmp_path / "nested.zip", [("data/inner.zip", inner.read_bytes())]), "the archive holds no images"),
        "no-images": (build_zip(tmp_path / "notes.zip", [("readme.txt", b"hi"), ("data.csv", b"a,b\n")]), "the archive holds no images"),
        "encrypted": (build_zip(tmp_path / "locked.zip", entries_of(pets), encrypt="cats/cats_0.jpg"), "is encrypted"),
        "not-a-zip": (_write(tmp_path / "fake.zip", b"PK\x03\x04 this is not really a zip"), "not a readable ZIP archive"),
    }
    for name, (entries, says) in hostile_cases(tmp_path).items():
        cases[name] = (build_zip(tmp_path / f"{name}.zip", entries_of(pets) + entries), says)
    return cases


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def archives(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("archives")
    pets = make_class_folders(tmp / "pets", {"cats": 2, "dogs": 1})
    return pets, more_cases(pets, tmp), tmp


def test_the_cli_refuses_each_in_one_line_and_writes_nothing(archives):
    _, cases, tmp = archives
    for name, (archive, says) in cases.items():
        out = tmp / f"out-{name}"
        result = run_cli("export", "--pipeline", "light", "--input", str(archive), "--out", str(out))
        assert result.returncode == 2 and says in result.stderr, (name, result.stderr)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, (name, result.stderr)
        assert not out.exists(), name
    assert not (tmp.parent / "escaped.jpg").exists() and not (tmp / "escaped.jpg").exists()


def test_thousands_of_tiny_entries_fail_one_by_one_and_the_good_ones_export(archives, tmp_path):
    pets, _, _ = archives
    archive = build_zip(tmp_path / "many.zip", entries_of(pets) + [(f"dust/{i}.png", b"") for i in range(3000)])
    out = tmp_path / "out"
    result = run_cli("export", "--pipeline", "light", "--input", str(archive), "--out", str(out), "--variants", "1")
    assert result.returncode == 1 and "3000 rows failed" in result.stderr, result.stderr
    errors = (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(errors) == 3000 and all("the file is empty" in line for line in errors)
    assert len((out / "metadata.jsonl").read_text(encoding="utf-8").splitlines()) == 3


def test_non_utf8_names_and_a_legit_archive_export_in_full(archives, tmp_path):
    pets, _, _ = archives
    archive = tmp_path / "cp437.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name, data in entries_of(pets):
            z.writestr(name.replace("cats_0", "caf\u00e9"), data)  # stored with the UTF-8 flag
        info = zipfile.ZipInfo("dogs/\u00e9t\u00e9.jpg")
        info.flag_bits &= ~0x800  # no UTF-8 flag: the name is read as CP437, as old Windows tools write it
        z.writestr(info, entries_of(pets)[-1][1])
    out = tmp_path / "out"
    result = run_cli("export", "--pipeline", "light", "--input", str(archive), "--out", str(out), "--variants", "1")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in (out / "metadata.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 4 and {r["label"] for r in rows} == {"cats", "dogs"}


def test_the_app_refuses_each_with_the_same_words_and_no_server_path(archives):
    _, cases, _ = archives
    with running_app() as url:
        client = Client(url, verbose=False)
        for name, (archive, says) in cases.items():
            with pytest.raises(AppError) as refused:
                client.predict(
                    "upload", handle_file(str(archive)), None, "light", 1, 0, "jpeg", False, False, 1, "", "", "local",
                    api_name="/export_dataset",
                )
            message = str(refused.value)
            assert says in message, (name, message)
            # named by its file name, never by where the server keeps the upload
            assert message.startswith(f"{archive.name}: ") and "Traceback" not in message, (name, message)
            assert "gradio" not in message.replace(str(archive.parent), ""), (name, message)
        summary, _, _, _ = client.predict(  # still serving
            "demo_images", None, None, "light", 1, 0, "jpeg", False, False, 1, "", "", "local", api_name="/export_dataset"
        )
        assert "**18 rows**" in summary
