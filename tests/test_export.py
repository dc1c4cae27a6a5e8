"""`augplay export` / `replay` / `preview --source` on image folders, end to end (DESIGN §5, issue 9).

Every input is generated here: a few 40x56 JPEGs in class folders. The CLI runs in a
subprocess (`run_cli`), the engine's Python entry points in this process.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from augmenters import InputError, Pipeline
from augmenters.export import Encoding, ExportOptions, Rendered, export_dataset, open_source, render_item
from augmenters.export.journal import JOURNAL, LOCK, ExportFolder

from .cli_helpers import run_cli, start_cli
from .export_helpers import make_class_folders, metadata, sigkill_after_rows, summary, tree_digest, write_jpeg

CLASSES = ["cats", "dogs"]
# Files every image export writes beside the images.
EXPORT_FILES = {"README.md", "augplay-export.json", "metadata.jsonl", "pipeline.yaml", "summary.json"}


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    """3 cats, 2 dogs; tests that change the input copy it first."""
    return make_class_folders(tmp_path_factory.mktemp("in") / "pets", {"cats": 3, "dogs": 2})


@pytest.fixture
def copied(dataset, tmp_path) -> Path:
    return Path(shutil.copytree(dataset, tmp_path / "pets"))


@pytest.fixture(scope="module")
def load_imagefolder(tmp_path_factory):
    """`datasets.load_dataset("imagefolder", data_dir=out)`, offline, with a cache of its own."""
    before = {name: os.environ.get(name) for name in ("HF_DATASETS_OFFLINE", "HF_HUB_OFFLINE")}
    os.environ.update(HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1")
    import datasets

    cache = tmp_path_factory.mktemp("hf-cache")

    def load(out: Path):
        return datasets.load_dataset("imagefolder", data_dir=str(out), split="train", cache_dir=str(cache))

    yield load
    for name, value in before.items():  # later tests (a fake Hub online) must not inherit offline mode
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def export(dataset: Path, out: Path, *args: str, pipeline: str = "light", variants: int = 2, seed: int = 1):
    return run_cli(
        "export", "--pipeline", pipeline, "--input", str(dataset), "--out", str(out),
        "--variants", str(variants), "--seed", str(seed), *args,
    )  # fmt: skip


def exported(dataset: Path, out: Path, *args: str, **kwargs) -> list[dict]:
    result = export(dataset, out, *args, **kwargs)
    assert result.returncode == 0, result.stderr
    return metadata(out)


def image_files(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*.jpg")}


def source_ids(dataset: Path) -> set[str]:
    return {p.relative_to(dataset).as_posix() for p in dataset.rglob("*.jpg")}


# -- the loaders read the folder as it is ---------------------------------------------------


def test_export_loads_in_datasets_and_torchvision(dataset, tmp_path, load_imagefolder):
    from torchvision.datasets import ImageFolder

    out = tmp_path / "out"
    result = export(dataset, out, "--include-originals")
    assert result.returncode == 0, result.stderr
    assert "wrote 15 rows to" in result.stdout
    rows = metadata(out)
    assert len(rows) == 15  # 5 originals + 2 variants each
    assert Counter(r["label"] for r in rows) == {"cats": 9, "dogs": 6}
    assert {r["file_name"] for r in rows} == image_files(out)
    assert {r["source"] for r in rows} == source_ids(dataset)
    assert all(r["label"] == r["file_name"].split("/")[0] for r in rows)
    assert sorted(p.name for p in out.iterdir()) == sorted(EXPORT_FILES | set(CLASSES))
    assert not (out / "errors.jsonl").exists()
    originals = [r for r in rows if r["original"]]
    assert sorted(r["file_name"] for r in originals) == sorted(source_ids(dataset))
    assert all(r["k"] is None and r["seed"] is None and json.loads(r["record"]) == {} for r in originals)
    for r in originals:  # copied as they are
        assert (out / r["file_name"]).read_bytes() == (dataset / r["source"]).read_bytes()
    assert [r["k"] for r in rows if not r["original"]] == [0, 1] * 5

    card = (out / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n")
    assert "| cats | 3 | 6 |" in card and "| dogs | 2 | 4 |" in card
    assert 'load_dataset("imagefolder"' in card and "ImageFolder(" in card

    ds = load_imagefolder(out)
    assert ds.num_rows == 15
    assert Counter(ds["label"]) == {"cats": 9, "dogs": 6}
    assert {"image", "label", "soft_label", "source", "seed", "k", "original", "record"} <= set(ds.column_names)
    from datasets import Image as ImageFeature

    paths = ds.cast_column("image", ImageFeature(decode=False))["image"]
    by_file = {Path(p["path"]).relative_to(out.resolve()).as_posix(): label for p, label in zip(paths, ds["label"])}
    assert by_file == {r["file_name"]: r["label"] for r in rows}  # each image carries its own row
    assert ds[0]["image"].size == (56, 40)

    folder = ImageFolder(str(out))
    assert folder.classes == CLASSES
    assert len(folder) == 15
    assert Counter(folder.targets) == {0: 9, 1: 6}
    assert {Path(path).relative_to(out).as_posix() for path, _ in folder.samples} == image_files(out)
    assert all(CLASSES[target] == Path(path).parent.name for path, target in folder.samples)


def test_mixup_soft_labels_sum_to_one_and_load(dataset, tmp_path, load_imagefolder):
    out = tmp_path / "out"
    rows = exported(dataset, out, pipeline="mixup", variants=3, seed=2)
    assert len(rows) == 15
    ids = source_ids(dataset)
    mixed = 0
    for row in rows:
        record = json.loads(row["record"])
        [step] = record["steps"]
        assert step["op"] == "mixup" and step["applied"]
        partner = step["partner"]["id"]
        assert partner in ids and partner != row["source"]  # drawn from the dataset, never itself
        assert step["partner"]["label"] == partner.split("/")[0]
        assert len(row["soft_label"]) == len(CLASSES)
        assert abs(sum(row["soft_label"]) - 1.0) <= 1e-6
        assert row["soft_label"] == [record["labels"].get(name, 0.0) for name in CLASSES]
        if partner.split("/")[0] != row["label"] and 0 < min(row["soft_label"]):
            mixed += 1
    assert mixed >= 2, "seed 2 should give some rows a real mix of both classes"
    assert summary(out)["classes_order"] == CLASSES

    ds = load_imagefolder(out)
    assert ds.num_rows == 15
    assert all(abs(sum(weights) - 1.0) <= 1e-6 for weights in ds["soft_label"])
    assert ds["soft_label"] == [r["soft_label"] for r in rows]


# -- row identity ---------------------------------------------------------------------------


@pytest.mark.parametrize("pipeline", ["light", "mixup"])
def test_one_and_two_workers_write_the_same_files(dataset, tmp_path, pipeline):
    trees = {}
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}"
        result = export(dataset, out, "--workers", workers, pipeline=pipeline, variants=3)
        assert result.returncode == 0, result.stderr
        assert summary(out)["workers"] == int(workers)
        trees[workers] = tree_digest(out)
    assert len(trees["1"]) == 15 + len(EXPORT_FILES) - 1  # summary.json left out
    assert trees["1"] == trees["2"]


def test_adding_a_file_changes_no_other_row(copied, tmp_path):
    before = exported(copied, tmp_path / "before", variants=2)
    files_before = tree_digest(tmp_path / "before", skip=tuple(EXPORT_FILES))
    write_jpeg(copied / "cats" / "cats_0b.jpg", seed=99)  # sorts between two existing items
    write_jpeg(copied / "dogs" / "a.jpg", seed=98)  # sorts first in its class
    after = exported(copied, tmp_path / "after", variants=2)
    files_after = tree_digest(tmp_path / "after", skip=tuple(EXPORT_FILES))

    new = {"cats/cats_0b.jpg", "dogs/a.jpg"}
    assert [r for r in after if r["source"] not in new] == before
    assert sorted(r["file_name"] for r in after if r["source"] in new) == [
        "cats/cats_0b__aug0.jpg", "cats/cats_0b__aug1.jpg", "dogs/a__aug0.jpg", "dogs/a__aug1.jpg",
    ]  # fmt: skip
    assert {name: digest for name, digest in files_after.items() if name in files_before} == files_before
    assert len(files_after) == len(files_before) + 4


# -- run discipline: kill and resume, the lock, refusals ------------------------------------


def test_sigkill_then_rerun_equals_an_uninterrupted_run(tmp_path):
    big = make_class_folders(tmp_path / "big", {"a": 20, "b": 20})
    args = ("export", "--pipeline", "light", "--input", str(big), "--variants", "10", "--seed", "4")
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    assert run_cli(*args, "--out", str(whole)).returncode == 0

    process = start_cli(*args, "--out", str(killed))
    journal = killed / JOURNAL
    sigkill_after_rows(process, journal, 40)
    assert process.returncode == -signal.SIGKILL
    assert journal.exists() and not (killed / "metadata.jsonl").exists()
    stale = killed / "a" / ".a_0__aug0.jpg.x1y2z3.part"  # what a write cut short leaves behind
    stale.write_bytes(b"half a jpeg")

    result = run_cli(*args, "--out", str(killed))
    assert result.returncode == 0, result.stderr
    resumed = re.search(r"wrote 400 rows \((\d+) from an earlier run\)", result.stdout)
    assert resumed and 40 <= int(resumed.group(1)) < 400, result.stdout
    assert summary(killed)["rows_resumed"] == int(resumed.group(1))
    assert tree_digest(killed) == tree_digest(whole)  # hidden files included: no journal, no lock, no *.part
    assert not list(killed.rglob("*.part")) and not journal.exists()


def test_a_full_disk_stops_cleanly_and_the_same_call_resumes(dataset, tmp_path, monkeypatch):
    import errno

    from augmenters.export import DiskFullError, worker

    real_write, writes = worker.write_bytes_atomic, []

    def fills_up(path, data, **kwargs):
        writes.append(path)
        if len(writes) > 4:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(path, data, **kwargs)

    call = (Pipeline.load("light"), dataset, tmp_path / "out", ExportOptions(variants=2, seed=1))
    monkeypatch.setattr(worker, "write_bytes_atomic", fills_up)
    with pytest.raises(DiskFullError, match="the disk is full under .*run the same command again to resume"):
        export_dataset(*call)
    out = tmp_path / "out"
    assert (out / JOURNAL).read_text(encoding="utf-8").count("\n") == 4
    assert not (out / "metadata.jsonl").exists() and not (out / LOCK).exists()

    monkeypatch.setattr(worker, "write_bytes_atomic", real_write)
    result = export_dataset(*call)
    assert (result.resumed, result.written, result.failed) == (4, 10, 0)
    export_dataset(call[0], dataset, tmp_path / "whole", call[3])
    assert tree_digest(out) == tree_digest(tmp_path / "whole")


def test_a_run_killed_before_its_journal_existed_starts_over(dataset, tmp_path):
    """Killed right after `augplay-export.json` was written: no journal, no summary; the re-run must redo it all."""
    out = tmp_path / "out"
    exported(dataset, out, variants=1)
    whole = tree_digest(out)
    for path in out.iterdir():
        if path.name != "augplay-export.json":
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    result = export(dataset, out, variants=1)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("wrote 5 rows to")
    assert tree_digest(out) == whole


def test_a_second_export_into_a_busy_folder_is_refused(dataset, tmp_path):
    out = tmp_path / "out"
    with ExportFolder(out, {"held": "by this test"}):
        result = export(dataset, out)
    assert result.returncode == 2
    assert result.stderr.startswith("augplay: error: another augplay export is writing into")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (out / "metadata.jsonl").exists()


def test_other_arguments_or_a_foreign_folder_are_refused(dataset, tmp_path):
    out = tmp_path / "out"
    exported(dataset, out, variants=2, seed=1)
    finished = tree_digest(out, skip=())
    again = export(dataset, out, variants=2, seed=1)
    assert again.returncode == 0 and "already a finished export" in again.stdout
    for args, kwargs, says in (
        ((), {"seed": 2}, "options.seed was 1, now 2"),
        ((), {"variants": 3}, "options.variants was 2, now 3"),
        ((), {"pipeline": "geometric_strong"}, "pipeline differs"),
        (("--format", "png"), {}, "options.encoding.format was 'same', now 'png'"),
    ):
        result = export(dataset, out, *args, **{"variants": 2, "seed": 1, **kwargs})
        assert result.returncode == 2, args
        assert "holds an export made with other arguments" in result.stderr and says in result.stderr
    assert tree_digest(out, skip=()) == finished  # a refused run touches nothing

    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    result = export(dataset, foreign)
    assert result.returncode == 2
    assert "is not empty and holds no augplay export ('notes.txt'" in result.stderr
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]


# -- replay and the shared render path --------------------------------------------------------


def test_replay_of_random_rows_is_byte_identical(dataset, tmp_path):
    out = tmp_path / "out"
    rows = exported(dataset, out, "--include-originals", pipeline="mixup", variants=2, seed=5)
    originals = [i for i, r in enumerate(rows) if r["original"]]
    variants = [i for i, r in enumerate(rows) if not r["original"]]
    picks = random.Random(9).sample(variants, 3) + random.Random(9).sample(originals, 1)
    for n in picks:
        target = tmp_path / f"row{n}.bin"
        result = run_cli("replay", "--export", str(out), "--row", str(n), "--out", str(target))
        assert result.returncode == 0, result.stderr
        assert "identical to the exported file" in result.stdout
        assert target.read_bytes() == (out / rows[n]["file_name"]).read_bytes()

    n = variants[0]  # a file changed after the export: replay rebuilds the original and says it differs (exit 1)
    edited = out / rows[n]["file_name"]
    made = edited.read_bytes()
    edited.write_bytes(b"edited")
    result = run_cli("replay", "--export", str(out), "--row", str(n), "--out", str(tmp_path / "again.jpg"))
    assert result.returncode == 1 and "differs from the exported one" in result.stderr
    assert (tmp_path / "again.jpg").read_bytes() == made
    result = run_cli("replay", "--export", str(out), "--row", str(len(rows)), "--out", str(tmp_path / "x"))
    assert result.returncode == 2 and f"the export has rows 0 to {len(rows) - 1}" in result.stderr


@pytest.mark.parametrize("pipeline", ["light", "mixup"])
def test_preview_render_item_and_export_agree(dataset, tmp_path, pipeline):
    item_id, seed = "cats/cats_1.jpg", 3
    rows = exported(dataset, tmp_path / "out", pipeline=pipeline, variants=2, seed=seed)
    preview = run_cli(
        "preview", "--pipeline", pipeline, "--input", str(dataset), "--source", item_id,
        "--format", "same", "--n", "2", "--seed", str(seed), "--out", str(tmp_path / "pv"),
    )  # fmt: skip
    assert preview.returncode == 0, preview.stderr
    records = [json.loads(line) for line in (tmp_path / "pv" / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    source = open_source(dataset)
    engine = Pipeline.load(pipeline)
    for k in (0, 1):
        [row] = [r for r in rows if r["source"] == item_id and r["k"] == k]
        exported_bytes = (tmp_path / "out" / row["file_name"]).read_bytes()
        rendered = render_item(engine, source, source.get(item_id), k, seed, Encoding(format="same"))
        assert isinstance(rendered, Rendered)
        assert rendered.data == exported_bytes
        assert (tmp_path / "pv" / f"sample_{k:03d}.jpg").read_bytes() == exported_bytes
        record = json.loads(row["record"])
        assert json.loads(json.dumps(rendered.record)) == record
        assert {key: v for key, v in records[k].items() if key != "output"} == record
        assert record["source"] == item_id and record["index"] == k and record["seed"] == seed
        if pipeline == "mixup":
            assert record["steps"][0]["partner"]["id"] in source_ids(dataset)


# -- failures, balancing, dry run, summary ---------------------------------------------------


def test_a_bad_image_is_listed_and_the_rest_exported(copied, tmp_path):
    (copied / "cats" / "broken.jpg").write_bytes(b"this is not a jpeg at all")
    good = (copied / "dogs" / "dogs_0.jpg").read_bytes()
    (copied / "dogs" / "cut.jpg").write_bytes(good[: len(good) // 3])
    out = tmp_path / "out"
    result = export(copied, out, variants=2)
    assert result.returncode == 1
    assert "4 rows failed" in result.stderr and "errors.jsonl" in result.stderr
    errors = {e["source"]: e for e in map(json.loads, (out / "errors.jsonl").read_text(encoding="utf-8").splitlines())}
    assert sorted(errors) == ["cats/broken.jpg", "dogs/cut.jpg"]
    assert errors["cats/broken.jpg"]["error"].startswith("cats/broken.jpg: not an image augplay reads")
    assert errors["dogs/cut.jpg"]["error"].startswith("dogs/cut.jpg: the file is damaged or truncated")
    assert all(e["k"] == [0, 1] and "Traceback" not in e["error"] for e in errors.values())
    rows = metadata(out)
    assert {r["source"] for r in rows} == source_ids(copied) - set(errors)
    assert len(rows) == 10 and image_files(out) == {r["file_name"] for r in rows}
    facts = summary(out)
    assert (facts["rows_planned"], facts["rows_written"], facts["rows_failed"], facts["items_failed"]) == (14, 10, 4, 2)
    assert "10 rows written, 4 failed" in (out / "README.md").read_text(encoding="utf-8")


def test_balance_brings_every_class_up_to_the_largest(dataset, tmp_path):
    out = tmp_path / "out"
    rows = exported(dataset, out, "--balance", "--include-originals", variants=1)
    assert Counter(r["label"] for r in rows) == {"cats": 6, "dogs": 6}
    dogs = Counter(r["source"] for r in rows if r["label"] == "dogs" and not r["original"])
    assert dogs == {"dogs/dogs_0.jpg": 2, "dogs/dogs_1.jpg": 2}
    assert summary(out)["balance"] == {
        "target_per_class": 6,
        "classes": {
            "cats": {"items": 3, "augmented": 3, "total": 6},
            "dogs": {"items": 2, "augmented": 4, "total": 6},
        },
    }


def test_dry_run_prints_counts_and_writes_nothing(dataset, tmp_path):
    out = tmp_path / "out"
    result = export(dataset, out, "--balance", variants=2)
    assert result.returncode == 0, result.stderr
    result = export(dataset, tmp_path / "dry", "--balance", "--dry-run", variants=2)
    assert result.returncode == 0, result.stderr
    assert "input: 5 items (cats 3, dogs 2)" in result.stdout
    assert "rows: 12 (12 augmented)" in result.stdout
    assert "balance dogs: 2 items -> 6 rows" in result.stdout
    assert re.search(r"estimate from 4 probe rows: [\d.]+ ms per row, about \d+ s with 1 worker\(s\), about [\d.]+ MB", result.stdout)
    assert not (tmp_path / "dry").exists()
    assert summary(out)["rows_written"] == 12


def test_summary_histograms_and_pipeline_yaml(dataset, tmp_path):
    out = tmp_path / "out"
    rows = exported(dataset, out, pipeline="light", variants=6, seed=7)
    records = [json.loads(r["record"]) for r in rows]
    facts = summary(out)
    assert (facts["rows_planned"], facts["rows_written"], facts["rows_failed"], facts["rows_dropped"]) == (30, 30, 0, 0)
    assert facts["classes"] == {"cats": {"augmented": 18}, "dogs": {"augmented": 12}}
    assert facts["wall_seconds"] > 0 and facts["workers"] == 1
    for op in ("rotate", "hflip", "color_jitter"):
        steps = [s for rec in records for s in rec["steps"] if s["op"] == op and s["applied"]]
        assert facts["params"][op]["fired"] == len(steps) > 0
    numbers, choices = defaultdict(list), defaultdict(Counter)
    for rec in records:
        for step in rec["steps"]:
            for name, value in step["params"].items():
                if isinstance(value, (bool, str)):
                    choices[step["op"], name][str(value)] += 1
                elif isinstance(value, (int, float)):
                    numbers[step["op"], name].append(value)
    assert ("rotate", "angle") in numbers and ("rotate", "interpolation") in choices
    for (op, name), values in numbers.items():  # every sampled number has its histogram
        stats = facts["params"][op]["params"][name]
        assert (stats["min"], stats["max"]) == (min(values), max(values))
        assert sum(stats["histogram"]["counts"]) == len(values)
        assert len(stats["histogram"]["edges"]) == len(stats["histogram"]["counts"]) + 1 == 11
    for (op, name), counts in choices.items():  # and every sampled choice its counts
        assert facts["params"][op]["params"][name]["counts"] == dict(counts)

    ran = Pipeline.load(out / "pipeline.yaml")
    assert ran.to_dict() == Pipeline.load("light").to_dict()
    source = open_source(dataset)
    for row, record in zip(rows[:3], records):
        rendered = render_item(ran, source, source.get(row["source"]), row["k"], 7, Encoding())
        assert rendered.data == (out / row["file_name"]).read_bytes()
        assert json.loads(json.dumps(rendered.record)) == record


def test_the_lock_is_never_won_on_a_file_already_unlinked(tmp_path, monkeypatch):
    """The holder unlinks `.augplay.lock` as it leaves: a run that opened the old file just before must lock the new one."""
    import fcntl

    real_flock, calls = fcntl.flock, []

    def flock_then_holder_leaves(fd, operation):
        real_flock(fd, operation)
        calls.append(fd)
        if len(calls) == 1:  # the previous holder unlinks the file we just locked
            (tmp_path / "out" / LOCK).unlink()

    monkeypatch.setattr(fcntl, "flock", flock_then_holder_leaves)
    with ExportFolder(tmp_path / "out", {}) as folder:
        assert len(calls) == 2
        assert os.path.samestat(os.fstat(folder._lock_fd), os.stat(tmp_path / "out" / LOCK))
    assert not (tmp_path / "out" / LOCK).exists()


def test_an_output_cap_holds_across_resumes(tmp_path):
    """The app's size cap (Space) stops an export; resuming it counts what is already on disk."""
    data = make_class_folders(tmp_path / "data", {"a": 6, "b": 6})
    options = ExportOptions(variants=3, seed=1)
    for _ in range(2):
        with pytest.raises(InputError, match="grew past its 20 KB limit"):
            export_dataset(Pipeline.load("light"), data, tmp_path / "out", options, max_output_bytes=20_000)
    assert not (tmp_path / "out" / "metadata.jsonl").exists()
