"""Text and preset hazards through `augplay export`/`validate` and the app: a clear line each, nothing lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from ..app_server import running_app
from ..cli_helpers import run_cli

MIXED = (
    "שלום עולם and e\u0301t\u0301e\u0301 with combining marks\n"
    "🙂🙂 emoji 👩‍👩‍👧 family here\n"
    "오늘은 날씨가 정말 좋다 그래서 산책을 했다\n"
    "supercalifragilistic" + "x" * 300 + " word\n"
    "ctrl \x07 bell \x1b[31m red\n"
)

# name -> (file content, exit code, what stderr says, {row source: error fragment}, rows written)
TEXT_FILES = {
    "empty.txt": (b"", 2, "no rows of text found", {}, 0),
    "whitespace.txt": (b"   \n\t\n \n", 2, "no rows of text found", {}, 0),
    "invalid_utf8.txt": (b"caf\xe9 au lait\n", 2, "is not UTF-8 (byte offset 3); save it as UTF-8", {}, 0),
    "ten_mb_line.txt": (b"word " * 2_100_000, 1, "1 rows failed", {"0": "10,500,000 characters is above the 1,000,000 limit"}, 0),
    "nul.txt": (b"good line\na\x00b\n", 1, "1 rows failed", {"1": "the text contains NUL bytes"}, 1),
    "mixed_scripts.txt": (MIXED.encode(), 0, "", {}, 5),
    "no_text_column.csv": (b"title,label\nhello world,a\n", 2, "no 'text' column; name the text column with --text-column (columns: title, label)", {}, 0),
    "ragged.csv": (
        b'text,label\nhello there world,a\nragged,b,extra,cols\nshort\n"quoted, with comma and\nnewline inside",c\n',
        1, "2 rows failed", {"1": "has 4 fields where the header has 2", "2": "has 1 field where the header has 2"}, 2,
    ),
    "broken.jsonl": (
        b'{"text": "good line one", "label": "a"}\n{"text": broken\n{"text": "good line two", "label": "b"}\n',
        1, "1 rows failed", {"1": "line 2 is not valid JSON"}, 2,
    ),
}


@pytest.mark.parametrize("name", list(TEXT_FILES))
def test_text_files_through_augplay_export(name, tmp_path):
    content, code, says, failed, written = TEXT_FILES[name]
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / "out"
    result = run_cli("export", "--pipeline", "word_noise", "--input", str(path), "--out", str(out), "--variants", "1")
    assert result.returncode == code and says in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") <= 1
    if code == 2:
        assert not out.exists()
        return
    errors = {e["source"]: e["error"] for e in map(json.loads, _lines(out / "errors.jsonl"))}
    assert sorted(errors) == sorted(failed) and all(failed[k] in errors[k] for k in failed), errors
    rows = _rows(out, name)
    assert len(rows) == written
    if name == "mixed_scripts.txt":  # RTL, combining marks, emoji, Korean, a 320-letter word, control characters
        assert [r["source_id"] for r in rows] == ["0", "1", "2", "3", "4"]
        assert all(r["text"].strip() for r in rows)
    if name == "ragged.csv":  # a quoted field keeps its comma and its newline, through the CSV written back
        assert [r["source_id"] for r in rows] == ["0", "3"] and "\nnewline inside" in rows[1]["text"]


def _rows(out: Path, name: str) -> list[dict]:
    """The exported rows: a table is written back in its own format and name; a .txt gives metadata.jsonl."""
    if name.endswith(".jsonl"):
        return [json.loads(line) for line in _lines(out / name)]
    if name.endswith(".csv"):
        import csv

        with open(out / name, newline="", encoding="utf-8") as file:
            return list(csv.DictReader(file))
    return [json.loads(line) for line in _lines(out / "metadata.jsonl")]


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


PRESETS = {
    "alias_bomb.yaml": (
        "schema: 1\nname: bomb\nmodality: image\n"
        + 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
        + "".join(f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdef", "bcdefg"))
        + "steps: [{op: hflip}]\n",
        "unknown key 'a'",
    ),
    "python_tag.yaml": (
        'schema: 1\nname: x\nmodality: image\nsteps:\n  - !!python/object/apply:os.system ["echo pwned"]\n',
        "not valid YAML at line 5",
    ),
    "unknown_op.yaml": ("schema: 1\nname: x\nmodality: image\nsteps:\n  - op: no_such_op\n", "unknown augmenter 'no_such_op'"),
    "out_of_range.yaml": (
        "schema: 1\nname: x\nmodality: image\nsteps:\n  - op: rotate\n    settings: {angle: [-500, 10]}\n",
        "step 1 (rotate): 'angle' = -500.0 is below its minimum -180.0",
    ),
    "wrong_types.yaml": (
        'schema: 1\nname: x\nmodality: image\nsteps:\n  - op: rotate\n    p: "often"\n',
        "step 1 (rotate): 'p' = 'often' must be a number from 0 to 1",
    ),
    "not_a_mapping.yaml": ("- just\n- a list\n", "expected a mapping"),
}


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_through_augplay_validate(name, tmp_path):
    text, says = PRESETS[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = run_cli("validate", str(path), timeout=60)
    assert result.returncode == 2 and says in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1 and "pwned" not in result.stdout + result.stderr


def test_text_and_presets_through_the_app(tmp_path):
    with running_app() as url:
        client = Client(url, verbose=False)
        client.predict("word_noise", api_name="/text_load_preset")
        for text, says in [
            ("", "Type or paste some text"),
            ("   \n\t ", "Type or paste some text"),
            ("word " * 5000, "above the 20,000 limit"),
            ("a\x00b", "NUL"),
        ]:
            with pytest.raises(AppError) as refused:
                client.predict(text, 0, 2, 0.0, "lines", api_name="/augment_text")
            assert says in str(refused.value) and "Traceback" not in str(refused.value), str(refused.value)
        rows, _ = client.predict(MIXED, 3, 2, 0.0, "lines", api_name="/augment_text")
        assert len(rows) == 10 and {r["line"] for r in rows} == {"0", "1", "2", "3", "4"}
        for name, (text, says) in PRESETS.items():
            path = tmp_path / name
            path.write_text(text, encoding="utf-8")
            with pytest.raises(AppError) as refused:
                client.predict(handle_file(str(path)), api_name="/image_load_yaml")
            message = str(refused.value)
            assert says in message and str(tmp_path) not in message and "pwned" not in message, (name, message)
        client.predict("light", api_name="/image_load_preset")  # still serving
