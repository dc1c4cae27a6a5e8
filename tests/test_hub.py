"""`augplay models list|pull` and `augplay push` with the real huggingface_hub client against a fake Hub.

The CLI runs in a subprocess: huggingface_hub reads HF_ENDPOINT and HF_HUB_OFFLINE at import, and the
test session's own environment has HF_HUB_OFFLINE set by other tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from augmenters import hub, models

from .cli_helpers import REPO_ROOT
from .export_helpers import make_class_folders
from .fake_hub import FakeHub
from .tiny_models import (
    DEFAULT_MASKED_LM,
    DEFAULT_TRANSLATORS,
    KOREAN_TRANSLATORS,
    MULTILINGUAL_SCORER,
    build_tiny_bert,
    build_tiny_marian,
    build_tiny_sentence_encoder,
    korean_text,
)

DEFAULTS = (*DEFAULT_TRANSLATORS, *KOREAN_TRANSLATORS, DEFAULT_MASKED_LM, MULTILINGUAL_SCORER)

TOKEN = "hf_fakeSECRETtoken0123456789"


@pytest.fixture(scope="module")
def tiny_repos(tmp_path_factory) -> dict[str, Path]:
    """The default model ids as folders a Hub repo would hold, plus files a pull must leave out."""
    root = tmp_path_factory.mktemp("repos")
    repos = {
        DEFAULT_TRANSLATORS[0]: build_tiny_marian(root / "en-de", seed=0, eos_bias=1.3),
        DEFAULT_TRANSLATORS[1]: build_tiny_marian(root / "de-en", seed=1, eos_bias=1.3),
        KOREAN_TRANSLATORS[0]: build_tiny_marian(root / "ko-en", seed=2, eos_bias=1.3, into_english=True, foreign=korean_text),
        KOREAN_TRANSLATORS[1]: build_tiny_marian(root / "en-ko", seed=3, eos_bias=1.3, foreign=korean_text),
        DEFAULT_MASKED_LM: build_tiny_bert(root / "bert"),
        MULTILINGUAL_SCORER: build_tiny_sentence_encoder(root / "scorer"),
    }
    for folder in repos.values():  # what real repos also carry: other weight formats, docs
        (folder / "pytorch_model.bin").write_bytes(b"not needed: safetensors is there")
        (folder / "tf_model.h5").write_bytes(b"not needed")
        (folder / "README.md").write_text("# a model card\n")
    return repos


@pytest.fixture()
def fake_hub(tiny_repos):
    with FakeHub(token=TOKEN) as server:
        for model_id, folder in tiny_repos.items():
            server.add_model(model_id, folder)
        yield server


def hub_env(tmp_path: Path, server: FakeHub | None, **over: str) -> dict[str, str]:
    """A user's online environment: empty HF cache, no models dir, a login token, the fake Hub as endpoint."""
    env = {k: v for k, v in os.environ.items() if k not in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE", "AUGPLAY_MODELS_DIR", "HF_HOME")}
    env.update(
        PYTHONPATH=str(REPO_ROOT),
        GRADIO_ANALYTICS_ENABLED="False",
        HF_HUB_CACHE=str(tmp_path / "hf-cache"),
        HF_TOKEN=TOKEN,
        HF_HUB_DISABLE_TELEMETRY="1",
    )
    if server is not None:
        env["HF_ENDPOINT"] = server.url
    env.update(over)
    return env


def augplay(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
    )
    assert TOKEN not in result.stdout + result.stderr
    return result


def statuses(env: dict[str, str]) -> dict[str, dict]:
    result = augplay(env, "list", "--modality", "text", "--json")
    assert result.returncode == 0, result.stderr
    return {row["name"]: row for row in json.loads(result.stdout)}


def one_line_error(result: subprocess.CompletedProcess) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("augplay: error:")]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def test_pull_defaults_into_an_empty_cache_turns_the_model_ops_ok(fake_hub, tmp_path):
    env = hub_env(tmp_path, fake_hub)
    before = statuses(env)
    reason = before["back_translation"]["reason"]
    assert before["back_translation"]["status"] == "needs_model"
    # Every model the step needs, where it looked, and the one command that fetches them.
    assert f"augplay models pull {DEFAULT_TRANSLATORS[0]} {DEFAULT_TRANSLATORS[1]}" in reason
    assert "$AUGPLAY_MODELS_DIR (not set)" in reason and str(tmp_path / "hf-cache") in reason
    assert before["contextual_substitute"]["status"] == "needs_model"

    fake_hub.cut_once.add("model.safetensors")  # the first weights download breaks half-way...
    result = augplay(env, "models", "pull", "--defaults")
    assert result.returncode == 0, result.stderr
    assert sorted(n for (_, path), n in fake_hub.gets.items() if path == "model.safetensors") == [1] * (len(DEFAULTS) - 1) + [2]  # ...and is retried

    after = statuses(env)
    for name in ("back_translation", "contextual_substitute", "contextual_insert"):
        assert after[name]["status"] == "ok", after[name]
    for model_id in DEFAULTS:
        snapshots = list((tmp_path / "hf-cache").glob(f"models--{model_id.replace('/', '--')}/snapshots/*"))
        assert len(snapshots) == 1
        names = sorted(p.name for p in snapshots[0].iterdir())
        assert "model.safetensors" in names and "config.json" in names
        assert not {"pytorch_model.bin", "tf_model.h5", "README.md"} & set(names)  # one weights format, no extras

    listed = json.loads(augplay(env, "models", "list", "--json").stdout)
    present = {row["id"]: row for row in listed if row["status"] == "present"}
    assert set(present) == set(DEFAULTS)
    assert all(row["default"] and row["size"] > 0 for row in present.values())

    out = tmp_path / "preview"
    result = augplay(env, "preview", "--pipeline", "back_translation", "--input", "The dog runs.", "--n", "1", "--out", str(out))
    assert result.returncode == 0, result.stderr
    record = json.loads((out / "records.jsonl").read_text().splitlines()[0])
    assert record["steps"][0]["params"]["forward"] == DEFAULT_TRANSLATORS[0]


def test_an_interrupted_pull_resumes_without_fetching_finished_files_again(fake_hub, tmp_path):
    env = hub_env(tmp_path, fake_hub)
    fake_hub.fail.add("model.safetensors")
    failed = augplay(env, "models", "pull", DEFAULT_MASKED_LM)
    assert failed.returncode == 2
    assert "answered 500" in one_line_error(failed)
    assert statuses(env)["contextual_substitute"]["status"] == "needs_model"  # config alone is not a model

    fake_hub.fail.clear()
    again = augplay(env, "models", "pull", DEFAULT_MASKED_LM)
    assert again.returncode == 0, again.stderr
    assert fake_hub.gets[(DEFAULT_MASKED_LM, "config.json")] == 1
    assert fake_hub.gets[(DEFAULT_MASKED_LM, "model.safetensors")] == 1
    assert statuses(env)["contextual_substitute"]["status"] == "ok"


def test_a_broken_connection_resumes_from_the_bytes_already_received(fake_hub, tmp_path):
    """huggingface_hub writes in 10 MiB chunks: a file cut after the first chunk goes on with a Range request."""
    import numpy as np

    big = tmp_path / "big"
    big.mkdir()
    (big / "config.json").write_text("{}")
    weights = np.random.default_rng(0).integers(0, 256, size=24 * 1024 * 1024, dtype=np.uint8).tobytes()
    (big / "model.safetensors").write_bytes(weights)
    fake_hub.add_model("test/big", big)
    fake_hub.cut_once.add("model.safetensors")
    result = augplay(hub_env(tmp_path, fake_hub), "models", "pull", "test/big")
    assert result.returncode == 0, result.stderr
    assert fake_hub.ranges == [("model.safetensors", 10 * 1024 * 1024)]
    pulled = next((tmp_path / "hf-cache").glob("models--test--big/snapshots/*/model.safetensors"))
    assert pulled.read_bytes() == weights


def test_pull_into_the_models_dir_when_it_is_set(fake_hub, tmp_path):
    env = hub_env(tmp_path, fake_hub, AUGPLAY_MODELS_DIR=str(tmp_path / "models"))
    result = augplay(env, "models", "pull", DEFAULT_TRANSLATORS[0])
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "models" / DEFAULT_TRANSLATORS[0].replace("/", "--")
    assert models.is_model_dir(folder) and str(folder) in result.stdout
    assert not (tmp_path / "hf-cache").exists() or not list((tmp_path / "hf-cache").glob("models--*/snapshots/*/*"))


def test_offline_and_unreachable_give_one_clear_line(fake_hub, tmp_path):
    offline = augplay(hub_env(tmp_path, fake_hub, HF_HUB_OFFLINE="1"), "models", "pull", DEFAULT_MASKED_LM)
    assert offline.returncode == 2
    assert "offline mode is on (HF_HUB_OFFLINE)" in one_line_error(offline)

    unreachable = augplay(hub_env(tmp_path, None, HF_ENDPOINT="http://127.0.0.1:9"), "models", "pull", DEFAULT_MASKED_LM)
    assert unreachable.returncode == 2
    assert "http://127.0.0.1:9 cannot be reached" in one_line_error(unreachable)

    unknown = augplay(hub_env(tmp_path, fake_hub), "models", "pull", "nobody/no-such-model")
    assert "no such repo" in one_line_error(unknown)


def test_resolve_finds_the_hf_cache_and_ignores_a_half_download(fake_hub, tmp_path, monkeypatch):
    env = hub_env(tmp_path, fake_hub)
    assert augplay(env, "models", "pull", DEFAULT_MASKED_LM).returncode == 0
    monkeypatch.delenv("AUGPLAY_MODELS_DIR", raising=False)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    found = models.resolve(DEFAULT_MASKED_LM)
    assert found is not None and found.parent.parent.name == "models--bert-base-uncased"
    (found / "model.safetensors").unlink()  # what an interrupted download leaves: config, no weights
    assert models.resolve(DEFAULT_MASKED_LM) is None


def test_files_to_fetch_takes_config_tokenizer_and_one_weights_format():
    repo = ["config.json", "tokenizer.json", "vocab.txt", "source.spm", "README.md", "onnx/model.onnx",
            "pytorch_model.bin", "model.safetensors", "tf_model.h5", "flax_model.msgpack", "rust_model.ot"]
    assert hub.files_to_fetch(repo) == ["config.json", "tokenizer.json", "vocab.txt", "source.spm", "model.safetensors"]
    assert hub.files_to_fetch(["config.json", "pytorch_model.bin", "tf_model.h5"]) == ["config.json", "pytorch_model.bin"]


def test_default_models_are_those_the_default_settings_name():
    assert hub.default_model_ids() == list(DEFAULTS)
    listed = {entry.id: entry for entry in hub.catalogue()}
    # Every offered back-translation pivot, both directions.
    assert {"Helsinki-NLP/opus-mt-en-zh", "Helsinki-NLP/opus-mt-zh-en"} <= set(listed)
    assert listed[DEFAULT_MASKED_LM].ops == ["contextual_insert", "contextual_substitute"]


# -- push -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def image_export(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("push")
    data = make_class_folders(root / "data", {"cat": 2, "dog": 2})
    out = root / "export"
    env = hub_env(root, None)
    result = augplay(env, "export", "--pipeline", "light", "--input", str(data), "--out", str(out), "--variants", "2")
    assert result.returncode == 0, result.stderr
    return out


def test_push_uploads_exactly_the_export_with_the_card_as_readme(fake_hub, image_export, tmp_path):
    env = hub_env(tmp_path, fake_hub)
    result = augplay(env, "push", str(image_export), "me/augmented")
    assert result.returncode == 0, result.stderr
    assert "private" in result.stdout
    repo = fake_hub.repos[("dataset", "me/augmented")]
    assert repo.private
    held = fake_hub.files("me/augmented")
    expected = {p.relative_to(image_export).as_posix() for p in image_export.rglob("*") if p.is_file()}
    expected -= {"augplay-export.json"}  # holds this machine's input path
    assert set(held) - {".gitattributes"} == expected
    assert {"README.md", "metadata.jsonl", "pipeline.yaml", "summary.json"} <= set(held)
    assert held["README.md"] == (image_export / "README.md").read_bytes()
    for name in expected:
        assert held[name] == (image_export / name).read_bytes()
    assert not any(TOKEN.encode() in data for data in held.values())

    public = augplay(env, "push", str(image_export), "me/open", "--public", "--revision", "v1")
    assert public.returncode == 0, public.stderr
    assert not fake_hub.repos[("dataset", "me/open")].private
    assert "README.md" in fake_hub.files("me/open", revision="v1")


LOAD_BACK = """
import json, sys, datasets
ds = datasets.load_dataset(sys.argv[1], split="train")
print(json.dumps({"rows": ds.num_rows, "columns": ds.column_names, "first": ds[0]["file_name"] if "file_name" in ds.column_names else None}))
"""


def test_a_pushed_export_loads_back_by_repo_id_with_datasets(fake_hub, image_export, tmp_path):
    env = hub_env(tmp_path, fake_hub, HF_HOME=str(tmp_path / "home"), HF_DATASETS_CACHE=str(tmp_path / "datasets"))
    assert augplay(env, "push", str(image_export), "me/loadable").returncode == 0
    done = subprocess.run(
        [sys.executable, "-c", LOAD_BACK, "me/loadable"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = json.loads(done.stdout.splitlines()[-1])
    rows = (image_export / "metadata.jsonl").read_text().splitlines()
    assert loaded["rows"] == len(rows)
    assert {"image", "label", "record"} <= set(loaded["columns"])


def test_push_refuses_without_a_login_and_a_non_export(fake_hub, image_export, tmp_path):
    no_token = augplay(hub_env(tmp_path, fake_hub, HF_TOKEN="", HF_HOME=str(tmp_path / "home")), "push", str(image_export), "me/x")
    assert "not logged in" in one_line_error(no_token)
    wrong = augplay(hub_env(tmp_path, fake_hub, HF_TOKEN="hf_wrong"), "push", str(image_export), "me/x")
    assert "answered 401" in one_line_error(wrong)
    (tmp_path / "plain").mkdir()
    plain = augplay(hub_env(tmp_path, fake_hub), "push", str(tmp_path / "plain"), "me/x")
    assert "not an augplay export" in one_line_error(plain)
    assert ("dataset", "me/x") not in fake_hub.repos


APP_DOWNLOAD = """
import json, sys
from app import hub_handlers
step = {"op": "back_translation", "settings": {}}
before = hub_handlers.missing_models(step)
layout = hub_handlers.download_models(before, 3)
print(json.dumps({"before": before, "after": hub_handlers.missing_models(step), "layout": layout,
                  "status": hub_handlers.step_health(step).status}))
"""


def test_the_apps_download_button_pulls_a_steps_models_and_the_step_turns_ok(fake_hub, tmp_path):
    """What the builder's Download button runs (local app): the same pull, then a re-render shows ok."""
    env = hub_env(tmp_path, fake_hub)
    done = subprocess.run([sys.executable, "-c", APP_DOWNLOAD], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.splitlines()[-1])
    assert result == {"before": list(DEFAULT_TRANSLATORS), "after": [], "layout": 4, "status": "ok"}
    assert TOKEN not in done.stdout + done.stderr
