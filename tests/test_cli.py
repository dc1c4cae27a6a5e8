"""The CLI end to end: list, preview (deterministic by seed), validate, one-line errors and exit codes."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from augmenters import Pipeline, load_image, registry

from .cli_helpers import run_cli
from .conftest import make_photo_like


@pytest.fixture(scope="module")
def photo(tmp_path_factory):
    path = tmp_path_factory.mktemp("in") / "photo.jpg"
    Image.fromarray(make_photo_like(96, 128, 3)).save(path, quality=92)
    return path


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_list_json_describes_every_augmenter():
    result = run_cli("list", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["name"] for r in rows] == registry.names()
    for row in rows:
        assert set(row) >= {"name", "modality", "family", "status", "reason", "caution", "params"}
        for param in row["params"]:
            assert set(param) >= {"name", "type", "default", "min", "max", "choices", "help"}
    text_only = json.loads(run_cli("list", "--modality", "text", "--json").stdout)
    assert {r["modality"] for r in text_only} == {"text"}


def test_list_table():
    result = run_cli("list")
    assert result.returncode == 0
    assert "rotate" in result.stdout and "ok" in result.stdout


def test_image_preview_is_deterministic_by_seed(photo, tmp_path):
    outs = {}
    for name, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        result = run_cli("preview", "--pipeline", "light", "--input", str(photo), "--n", "4", "--seed", seed, "--out", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
        outs[name] = _files(tmp_path / name)
    assert sorted(outs["a"]) == ["records.jsonl", "sample_000.png", "sample_001.png", "sample_002.png", "sample_003.png"]
    assert outs["a"] == outs["b"]
    for name in outs["a"]:
        assert outs["a"][name] != outs["c"][name]


def test_preview_samples_equal_the_python_api_and_replay(photo, tmp_path):
    assert run_cli("preview", "--pipeline", "light", "--input", str(photo), "--n", "3", "--seed", "5", "--out", str(tmp_path)).returncode == 0
    pipeline = Pipeline.load("light")
    image = load_image(photo)
    lines = (tmp_path / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    for index, line in enumerate(lines):
        row = json.loads(line)
        expected, record = pipeline(image, seed=5, index=index, source=photo.name)  # keyed by the file's id
        written = load_image(tmp_path / row["output"])
        assert np.array_equal(written, expected)
        assert {k: v for k, v in row.items() if k != "output"} == json.loads(json.dumps(record))
        assert np.array_equal(pipeline.replay(image, row), expected)


def test_text_preview(tmp_path):
    text = "The quick brown fox jumps over the lazy dog near the quiet river bank."
    runs = []
    for name in ("a", "b"):
        result = run_cli("preview", "--pipeline", "word_noise", "--input", text, "--n", "5", "--seed", "3", "--out", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
        runs.append(_files(tmp_path / name))
    assert runs[0] == runs[1]
    variants = (tmp_path / "a" / "samples.txt").read_text(encoding="utf-8").splitlines()
    assert len(variants) == 5 and len(set(variants)) >= 4
    records = [json.loads(line) for line in (tmp_path / "a" / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["output"] for r in records] == variants


def test_validate_ok_and_error_lines(tmp_path):
    good = run_cli("validate", "presets/light.yaml")
    assert good.returncode == 0 and good.stdout.startswith("ok:")
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: 1\nname: bad\nsteps:\n  - op: rotate\n    settings: {angle: [0, 400]}\n", encoding="utf-8")
    result = run_cli("validate", str(bad))
    assert result.returncode == 2
    assert result.stderr == f"augplay: error: {bad}, step 1 (rotate): 'angle' = 400.0 is above its maximum 180.0\n"
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (("preview", "--pipeline", "nope", "--input", "x", "--out", "o"), "no preset named 'nope'"),
        (("preview", "--pipeline", "light", "--input", "missing.jpg", "--out", "o"), "missing.jpg: no such file"),
        (("preview", "--pipeline", "light", "--input", "x.jpg", "--n", "0", "--out", "o"), "--n must be from 1 to 1000"),
        (("validate", "nowhere.yaml"), "nowhere.yaml: no such file"),
        (("frobnicate",), "invalid choice"),
    ],
)
def test_errors_are_one_line_with_exit_2(args, message, tmp_path):
    result = run_cli(*args)
    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("augplay: error:") and message in last
    assert "Traceback" not in result.stderr


def test_preview_refuses_a_corrupt_image(tmp_path):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    result = run_cli("preview", "--pipeline", "light", "--input", str(broken), "--out", str(tmp_path / "o"))
    assert result.returncode == 2
    assert result.stderr.startswith("augplay: error: broken.jpg:")


def test_preview_reports_samples_under_min_similarity_with_exit_1(tmp_path):
    # A similarity no variant can reach: every sample is kept, marked failed and listed.
    strict = tmp_path / "strict.yaml"
    strict.write_text(
        "schema: 1\nname: strict\nmodality: text\ndescription: x\nmin_similarity: 1.0\n"
        "steps:\n  - op: word_delete\n    settings: {aug_p: 0.5}\n",
        encoding="utf-8",
    )
    text = "Every sample here drops half of its words and cannot stay identical in meaning."
    result = run_cli("preview", "--pipeline", str(strict), "--input", text, "--n", "2", "--seed", "1", "--out", str(tmp_path / "o"))
    assert result.returncode == 1, result.stderr
    assert "2 of 2 samples failed" in result.stderr
    errors = [json.loads(line) for line in (tmp_path / "o" / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["index"] for e in errors] == [0, 1]
    assert all("after 5 attempts" in e["error"] for e in errors)
    records = [json.loads(line) for line in (tmp_path / "o" / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(r["failed"] for r in records)
