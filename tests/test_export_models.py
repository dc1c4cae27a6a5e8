"""Model-based text ops through the export engine: the tiny local models, workers, exact replay."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from augmenters import Pipeline
from augmenters.export import ExportOptions, export_dataset, replay_row

ROWS = [
    ("The weather was lovely, so we walked to the old harbour.", "pos"),
    ('She said "never again" and, honestly, meant it.', "neg"),
    ("오늘은 날씨가 정말 좋다 🙂 and the river was calm.", "pos"),
    ("Please return the form by Friday.", "neg"),
]


def _csv(path: Path) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerows(ROWS)
    return path


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "summary.json"
    }


def test_back_translation_and_contextual_exports_replay_exactly_with_workers(tmp_path):
    data = _csv(tmp_path / "reviews.csv")
    pipeline = Pipeline.from_dict(
        {
            "name": "paraphrase",
            "steps": [
                {"op": "back_translation", "settings": {"decoding": "sampling", "max_length": 48}},
                {"op": "contextual_substitute", "p": 0.5},
            ],
        }
    )
    options = ExportOptions(variants=2, seed=4)
    one = export_dataset(pipeline, data, tmp_path / "one", options, workers=1)
    two = export_dataset(pipeline, data, tmp_path / "two", options, workers=2)
    assert one.failed == two.failed == 0 and one.written == 8
    assert _files(tmp_path / "one") == _files(tmp_path / "two")
    with open(tmp_path / "two" / "reviews.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["label"] for r in rows] == ["pos", "pos", "neg", "neg", "pos", "pos", "neg", "neg"]
    assert all(r["similarity"] for r in rows)
    for n in range(len(rows)):  # replay re-applies the recorded paraphrase: no model is run again
        replayed = replay_row(tmp_path / "two", n)
        assert replayed.identical is True and replayed.data.decode("utf-8") == rows[n]["text"]
