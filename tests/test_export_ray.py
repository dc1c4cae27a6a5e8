"""The Ray engine (a local Ray on 2 CPUs, no network): the same files as the local engine, resume, failures."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from augmenters import Pipeline
from augmenters.export import ExportOptions, export_dataset
from augmenters.export.journal import JOURNAL

from .cli_helpers import REPO_ROOT, run_cli, start_cli
from .export_helpers import make_class_folders, sigkill_after_rows, tree_digest


@pytest.fixture(scope="module")
def local_ray():
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def images(tmp_path_factory):
    root = make_class_folders(tmp_path_factory.mktemp("ray") / "images", {"cats": 4, "dogs": 3})
    (root / "dogs" / "broken.jpg").write_bytes(b"\xff\xd8 not a jpeg")  # fails alone, listed in errors.jsonl
    return root


@pytest.mark.parametrize("preset", ["keras_imagedatagenerator", "mixup"])
def test_ray_writes_the_files_the_local_engine_writes(local_ray, images, tmp_path, preset):
    pipeline, options = Pipeline.load(preset), ExportOptions(variants=2, seed=6, include_originals=True)
    local = export_dataset(pipeline, images, tmp_path / "local", options, workers=2)
    ray_run = export_dataset(pipeline, images, tmp_path / "ray", options, workers=2, engine="ray")
    assert (ray_run.written, ray_run.failed) == (local.written, local.failed) and local.failed > 0
    assert tree_digest(tmp_path / "ray") == tree_digest(tmp_path / "local")
    assert ray_run.summary["engine"] == "ray" and "broken.jpg" in (tmp_path / "ray" / "errors.jsonl").read_text()


def test_one_warm_pool_serves_every_export_and_ray_data_the_big_ones(local_ray, images, tmp_path, monkeypatch):
    """Later exports reuse the actors, rebound to their pipeline, one export at a time even when two
    threads export at once (the app); big exports go through Ray Data."""
    from augmenters.export.engines import ray as ray_engine
    from augmenters.export.engines import ray_pool

    options, presets = ExportOptions(variants=2, seed=3), ("light", "keras_imagedatagenerator")
    for preset in presets:
        export_dataset(Pipeline.load(preset), images, tmp_path / f"local_{preset}", options, workers=2)
    pool = ray_pool.warm_pool(2)

    def on_ray(preset: str) -> None:
        export_dataset(Pipeline.load(preset), images, tmp_path / f"ray_{preset}", options, workers=2, engine="ray")

    with ThreadPoolExecutor(2) as threads:
        list(threads.map(on_ray, presets))
    assert ray_pool.warm_pool(2) is pool and len(pool.actors) == 2
    monkeypatch.setattr(ray_engine, "RAY_DATA_MIN_ITEMS", 1)
    export_dataset(Pipeline.load("light"), images, tmp_path / "data_light", options, workers=2, engine="ray")
    assert ray_pool._POOL is None  # stopped: its actors would hold the CPUs Ray Data's actors need
    assert tree_digest(tmp_path / "ray_light") == tree_digest(tmp_path / "local_light") == tree_digest(tmp_path / "data_light")
    assert tree_digest(tmp_path / "ray_keras_imagedatagenerator") == tree_digest(tmp_path / "local_keras_imagedatagenerator")


def test_ray_text_export_equals_local(local_ray, tmp_path):
    data = tmp_path / "notes.csv"
    with open(data, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerows([("A quiet morning by the lake, then rain.", "calm"), ("배송이 빠르고, 포장도 \"꼼꼼\"했어요 🙂", "ok"), ("", "empty")])
    pipeline, options = Pipeline.load("word_noise"), ExportOptions(variants=3, seed=2)
    export_dataset(pipeline, data, tmp_path / "local", options)
    result = export_dataset(pipeline, data, tmp_path / "ray", options, workers=2, engine="ray")
    assert result.written == 6 and result.failed == 3  # the empty row fails alone
    assert tree_digest(tmp_path / "ray") == tree_digest(tmp_path / "local")


def test_a_killed_ray_driver_resumes_to_the_same_files(images, tmp_path):
    """SIGKILL the driver mid-run (its local Ray goes with it), run the same command: nothing lost, nothing twice."""
    big = make_class_folders(tmp_path / "big", {"a": 12, "b": 12})
    args = ("export", "--pipeline", "light", "--input", str(big), "--variants", "8", "--seed", "4", "--workers", "2")
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    assert run_cli(*args, "--out", str(whole)).returncode == 0
    process = start_cli(*args, "--engine", "ray", "--out", str(killed))
    sigkill_after_rows(process, killed / JOURNAL, 16, timeout=180)
    result = run_cli(*args, "--engine", "ray", "--out", str(killed), timeout=600)
    assert result.returncode == 0, result.stderr
    assert "from an earlier run" in result.stdout
    assert tree_digest(killed) == tree_digest(whole)


def test_importing_the_library_and_the_app_never_imports_ray():
    code = "import sys, augmenters, augmenters.export, app.ui; print('ray' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "GRADIO_ANALYTICS_ENABLED": "False"}
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
