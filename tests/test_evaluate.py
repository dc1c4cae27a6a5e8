"""`augplay evaluate` on real data: scikit-learn's digits as class folders (small training split), and a text CSV."""

from __future__ import annotations

import json

import numpy as np
import pytest

from augmenters import Pipeline
from augmenters.core.errors import InputError
from augmenters.evaluate import EvaluationOptions, evaluate
from augmenters.evaluate.data import LeakError, leak_check
from augmenters.evaluate.run import _cap, make_plan_for, workspace
from augmenters.evaluate.split import Split, stratified_holdout
from augmenters.evaluate.stats import Interval, paired_bootstrap, verdict
from augmenters.export import Item

from .cli_helpers import run_cli
from .evaluate_helpers import UPSIDE_DOWN, without_timing, write_digits, write_text_csv

# 30 digits a class, 80 % held out: 6 training originals a class, 240 held-out items. 16-pixel inputs keep it CI-sized.
FAST = dict(holdout=0.8, seeds=2, variants=3, image_size=16)


@pytest.fixture(scope="module")
def digits(tmp_path_factory):
    return write_digits(tmp_path_factory.mktemp("digits"), per_class=30)


@pytest.fixture(scope="module")
def light_run(digits, tmp_path_factory):
    out = tmp_path_factory.mktemp("light") / "eval"
    return evaluate(Pipeline.load("light"), digits, EvaluationOptions(**FAST), out=out)


def test_end_to_end_report_chart_and_card(light_run):
    report, out = light_run.report, light_run.out
    assert json.loads((out / "evaluation.json").read_text()) == report
    assert (out / "evaluation.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    card = (out / "export" / "README.md").read_text()
    assert card.count("## Does it help?") == 1 and report["verdict"]["text"] in card
    assert report["split"]["train_items"] == 60 and report["split"]["heldout_items"] == 240
    assert report["options"]["seeds_run"] == 2 and len(report["runs"]) == 2
    assert report["verdict"]["word"] in ("helps", "hurts", "no measurable difference")
    o = report["overall"]
    assert o["interval"]["low"] <= o["difference"] <= o["interval"]["high"]
    assert [c["class"] for c in report["per_class"]] == [f"digit_{i}" for i in range(10)]
    assert all(c["heldout"] == 24 and c["train"] == 6 for c in report["per_class"])
    assert report["export"] == {"rows_written": 180, "rows_failed": 0}


def test_heldout_items_never_reach_training(light_run):
    report, out = light_run.report, light_run.out
    heldout = set(report["split"]["heldout_ids"])
    rows = [json.loads(line) for line in (out / "export" / "metadata.jsonl").read_text().splitlines()]
    assert len(rows) == 180
    assert not {row["source"] for row in rows} & heldout
    trained = {p.relative_to(out / "train").as_posix() for p in (out / "train").rglob("*.png")}
    assert len(trained) == 60 and not trained & heldout
    assert report["leak_check"]["heldout_items_in_training"] == 0


def test_both_arms_take_the_same_steps_from_the_same_start(light_run):
    report = light_run.report
    steps = report["training"]["steps_per_arm"]
    assert steps >= 200
    for run in report["runs"]:
        assert run["baseline"]["steps"] == run["augmented"]["steps"] == steps  # the optimiser's own counter
        assert run["baseline"]["training_examples"] == 60 and run["augmented"]["training_examples"] == 240
    assert report["training"]["equal_steps"] and report["training"]["same_initial_weights"]


def test_same_seed_same_numbers(light_run, digits):
    again = evaluate(Pipeline.load("light"), digits, EvaluationOptions(**FAST))
    assert without_timing(again.report) == without_timing(light_run.report)


def test_a_label_destroying_pipeline_is_reported_as_harmful(digits, tmp_path):
    pipeline_file = tmp_path / "upside_down.yaml"
    pipeline_file.write_text(UPSIDE_DOWN)
    report = evaluate(Pipeline.load(str(pipeline_file)), digits, EvaluationOptions(**FAST)).report
    assert report["verdict"]["word"] == "hurts"
    assert report["overall"]["interval"]["high"] < 0
    assert report["verdict"]["text"].startswith("Hurts:")


def test_mixing_partners_come_from_training_items_only(digits, tmp_path):
    options = EvaluationOptions(holdout=0.8, seeds=1, variants=2, image_size=16, epochs=1)
    result = evaluate(Pipeline.load("mixup"), digits, options, out=tmp_path / "mix")
    heldout = set(result.report["split"]["heldout_ids"])
    partners = []
    for line in (tmp_path / "mix" / "export" / "metadata.jsonl").read_text().splitlines():
        row = json.loads(line)
        partners += [step["partner"]["id"] for step in json.loads(row["record"])["steps"] if "partner" in step]
        assert abs(sum(row["soft_label"]) - 1) < 1e-6
    assert len(partners) == 120 and not set(partners) & heldout
    assert result.report["leak_check"]["partners_checked"] == 120


def test_leak_check_refuses_a_heldout_source_or_partner():
    split = Split(train=("a/1.png", "b/1.png"), heldout=("a/2.png",), classes=("a", "b"))
    assert leak_check([{"source": "a/1.png", "record": {"steps": []}}], split)["variant_rows"] == 1
    with pytest.raises(LeakError, match="a/2.png"):
        leak_check([{"source": "a/2.png", "record": {"steps": []}}], split)
    with pytest.raises(LeakError, match="a/2.png"):
        leak_check([{"source": "a/1.png", "record": {"steps": [{"partner": {"id": "a/2.png"}}]}}], split)


def test_text_evaluation_on_a_small_csv(tmp_path):
    data = write_text_csv(tmp_path / "topics.csv", per_class=12)  # every text variant is also scored by MiniLM: keep it small
    options = EvaluationOptions(holdout=0.25, seeds=3, variants=1, id_column="id")
    result = evaluate(Pipeline.load("word_noise"), data, options, out=tmp_path / "eval")
    report = result.report
    assert report["modality"] == "text" and report["split"]["heldout_items"] == 9
    assert report["options"]["seeds_run"] == 1 and any("deterministic" in cut for cut in report["cuts"])
    assert report["training"]["augmented_examples"] == 27 + 27
    assert not {r["source"] for r in _csv(tmp_path / "eval" / "export" / "train.csv")} & set(report["split"]["heldout_ids"])
    assert report["overall"]["baseline_accuracy"] > 0.8  # topic words give the class away
    assert (tmp_path / "eval" / "evaluation.png").exists()


def _csv(path):
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        return [{"source": row["source_id"]} for row in csv.DictReader(handle)]


def test_cli_prints_an_estimate_then_the_verdict_and_json(digits, tmp_path):
    done = run_cli(
        "evaluate", "--pipeline", "light", "--input", str(digits), "--holdout", "0.8", "--seeds", "1",
        "--variants", "1", "--epochs", "1", "--image-size", "16", "--json", "--out", str(tmp_path / "e"),
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["pipeline"] == "light" and report["options"]["seeds_run"] == 1
    assert "evaluating 'light' on 300 items" in done.stderr and "about" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_out_folder_is_reused_only_with_the_same_arguments(tmp_path):
    arguments = {"input": "/data", "pipeline": {"name": "light"}, "variants": 4, "seed": 0, "split": "abc"}
    with workspace(tmp_path / "e", arguments) as root:
        (root / "evaluation.json").write_text("{}")
    with workspace(tmp_path / "e", arguments):  # the same request: its export is reused
        pass
    with pytest.raises(InputError, match=r"\(split, variants differ\)"):
        with workspace(tmp_path / "e", {**arguments, "variants": 2, "split": "def"}):
            pass
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not empty"):
        with workspace(tmp_path / "other", arguments):
            pass


def test_budget_cuts_seeds_then_steps_and_says_so():
    assert _cap(1000, 10, 0.01, 3, 300) == (3, 300, [])
    # 10 s fixed + 30 s a seed (2 arms x 300 steps x 0.05 s): one seed fits a minute, its steps stay.
    assert _cap(60, 10, 0.05, 3, 300) == (1, 300, ["budget: 3 seeds cut to 1"])
    seeds, steps, cuts = _cap(20, 10, 0.05, 3, 300)
    assert (seeds, steps) == (1, 100) and cuts == ["budget: 3 seeds cut to 1", "budget: 300 steps per arm cut to 100"]


def test_plan_under_a_tight_budget(digits):
    plan = make_plan_for(Pipeline.load("light"), digits, EvaluationOptions(**FAST, budget_minutes=0.01))
    assert plan.seeds == 1 and plan.steps == 50 and any("cut" in cut for cut in plan.cuts)


def test_split_is_stratified_fixed_and_refuses_what_it_cannot_split():
    items = [Item(id=f"{c}/{i}.png", label=c) for c in "ab" for i in range(10)] + [Item(id="c/0.png", label="c"), Item(id="c/1.png", label="c")]
    split = stratified_holdout(items, 0.2, seed=5)
    shuffled = stratified_holdout(list(reversed(items)), 0.2, seed=5)  # listing order never changes who is held out
    assert set(split.heldout) == set(shuffled.heldout) and split.digest() != "" 
    assert sorted(i.split("/")[0] for i in split.heldout) == ["a", "a", "b", "b", "c"]
    assert split != stratified_holdout(items, 0.2, seed=6)
    with pytest.raises(InputError, match="at least 2 items"):
        stratified_holdout(items + [Item(id="d/0.png", label="d")], 0.2, seed=0)
    with pytest.raises(InputError, match="label"):
        stratified_holdout(items + [Item(id="x.png")], 0.2, seed=0)


def test_verdict_never_overclaims():
    assert verdict(Interval(0.01, -0.005, 0.03, 0.95, 100), 200, 3)["word"] == "no measurable difference"
    assert verdict(Interval(0.02, 0.004, 0.03, 0.95, 100), 200, 3)["word"] == "helps"
    hurts = verdict(Interval(-0.05, -0.08, -0.02, 0.95, 100), 200, 3)
    assert hurts["word"] == "hurts" and "fell by 5.0 points" in hurts["text"]


def test_bootstrap_is_seeded_and_paired():
    rng = np.random.default_rng(0)
    base = rng.random((3, 200)) < 0.8
    same = paired_bootstrap(base, base, seed=1)
    assert same.low == same.high == same.difference == 0.0  # identical predictions: no difference, no spread
    better = base | (rng.random((3, 200)) < 0.3)
    a, b = paired_bootstrap(base, better, seed=1), paired_bootstrap(base, better, seed=1)
    assert a == b and 0 < a.low < a.difference < a.high
