"""back_translation through the CTranslate2 engine, on tiny Marian models converted by the op itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from augmenters import Pipeline
from augmenters.core.errors import AugmenterUnavailableError
from augmenters.text import _ct2
from augmenters.text.back_translation import back_translate_batch

from .tiny_models import build_tiny_bert, build_tiny_marian

REPO_ROOT = Path(__file__).resolve().parents[1]
TEXT = "The quick brown fox jumps over the lazy dog.  The dog does not care!\nIt is a good day."
# One sampled back-translation through CTranslate2, printed as JSON: run in a fresh process.
RUN_ONE = """
import json, sys
from augmenters import Pipeline
steps = [{"op": "back_translation", "settings": json.loads(sys.argv[1])}]
out, record = Pipeline(steps)(sys.argv[2], seed=5)
print(json.dumps([out, record]))
"""


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> tuple[str, str]:
    """A tiny en -> xx -> en pair whose sampled outputs end after ~10 tokens."""
    root = tmp_path_factory.mktemp("ct2-models")
    forward = build_tiny_marian(root / "en-xx", seed=20, eos_bias=1.3)
    backward = build_tiny_marian(root / "xx-en", seed=21, eos_bias=1.3, into_english=True)
    return str(forward), str(backward)


def _settings(pair, **over) -> dict:
    return {"forward_model": pair[0], "backward_model": pair[1], "decoding": "sampling", "max_length": 48,
            "engine": "ctranslate2", **over}


def _run_in_process(settings: dict, hash_seed: str) -> list:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", RUN_ONE, json.dumps(settings), TEXT],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_sampling_is_deterministic_across_processes(pair):
    settings = _settings(pair)
    first = _run_in_process(settings, "1")
    assert first == _run_in_process(settings, "2")
    assert first[1]["steps"][0]["params"]["engine"] == "ctranslate2"


def test_same_seed_same_output_in_one_process_and_seeds_differ(pair):
    pipeline = Pipeline([{"op": "back_translation", "settings": _settings(pair)}])
    out, record = pipeline(TEXT, seed=3)
    # A cached translator would carry CTranslate2's per-thread generator from call to call.
    assert pipeline(TEXT, seed=3) == (out, record)
    assert pipeline(TEXT, seed=3) == (out, record)
    outputs = {pipeline(TEXT, seed=seed)[0] for seed in range(4)}
    assert len(outputs) > 1
    params = record["steps"][0]["params"]
    assert params["engine"] == "ctranslate2"
    assert [s["source"] for s in params["sentences"]] == [
        "The quick brown fox jumps over the lazy dog.", "The dog does not care!", "It is a good day."
    ]


def test_a_sentence_over_max_length_is_kept_not_truncated(pair):
    long = "The quick brown fox jumps over the lazy dog near the river bank today."
    _, record = Pipeline([{"op": "back_translation", "settings": _settings(pair, max_length=8)}])(long, seed=0)
    assert record["steps"][0]["params"]["sentences"] == [
        {"source": long, "pivot": "", "output": long, "skipped": "longer than max_length (8 tokens)"}
    ]


def test_replay_needs_no_model(pair, tmp_path):
    settings = _settings(pair)
    out, record = Pipeline([{"op": "back_translation", "settings": settings}])(TEXT, seed=9)
    record = json.loads(json.dumps(record))
    gone = {**settings, "forward_model": str(tmp_path / "nowhere"), "backward_model": str(tmp_path / "nowhere")}
    assert Pipeline([{"op": "back_translation", "settings": gone}]).replay(TEXT, record) == out


@pytest.mark.parametrize(
    ("engine", "decoding", "ran"),
    [
        ("transformers", "greedy", "transformers"),
        ("ctranslate2", "sampling", "ctranslate2"),
        ("auto", "greedy", "ctranslate2"),
        ("auto", "beam", "ctranslate2"),
        ("auto", "sampling", "transformers"),  # a seeded CTranslate2 call costs a fresh Translator
    ],
)
def test_record_names_the_engine_that_ran(pair, engine, decoding, ran):
    settings = _settings(pair, engine=engine, decoding=decoding)
    out, record = Pipeline([{"op": "back_translation", "settings": settings}])(TEXT, seed=1)
    assert record["steps"][0]["params"]["engine"] == ran
    assert Pipeline([{"op": "back_translation", "settings": settings}])(TEXT, seed=1) == (out, record)


def test_greedy_matches_transformers_fp32(tmp_path):
    """Same model, same precision, greedy: the engines write the same tokens (unbiased: they run to length)."""
    pair = (str(build_tiny_marian(tmp_path / "en-xx", seed=22)), str(build_tiny_marian(tmp_path / "xx-en", seed=23, into_english=True)))
    texts = ["The quick brown fox jumps over the lazy dog.", "It is a good day.", "They read a book in the morning."]
    params = {"forward": pair[0], "backward": pair[1], "decoding": "greedy", "num_beams": 1, "temperature": 1.0,
              "top_k": 50, "max_length": 40, "batch_size": 2, "quantize": False, "seed": None}
    torch_out = back_translate_batch(texts, {**params, "engine": "transformers"})
    ct2_out = back_translate_batch(texts, {**params, "engine": "ctranslate2"})
    assert [r["pivot"] for r in ct2_out] == [r["pivot"] for r in torch_out]
    assert all(len(r["pivot"]) > 20 for r in ct2_out)


def test_converted_once_into_the_cache(pair, tmp_path, monkeypatch):
    monkeypatch.setenv("AUGPLAY_MODELS_DIR", str(tmp_path / "models"))
    folder = _ct2.convert(pair[0], "int8")
    assert folder.is_relative_to(tmp_path / "models" / ".ct2") and (folder / "model.bin").is_file()
    stamp = (folder / "model.bin").stat().st_mtime_ns
    assert _ct2.convert(pair[0], "int8") == folder
    assert (folder / "model.bin").stat().st_mtime_ns == stamp


def test_a_model_that_does_not_convert_gives_a_human_message(tmp_path):
    bert = str(build_tiny_bert(tmp_path / "bert"))  # a masked LM is no translator
    with pytest.raises(AugmenterUnavailableError) as caught:
        _ct2.resolve_engine("ctranslate2", (bert,), quantize=True)
    message = str(caught.value)
    assert message.startswith(f"{bert}: CTranslate2 could not convert this model (")
    assert "use engine 'transformers'" in message and "Traceback" not in message
    assert _ct2.resolve_engine("auto", (bert,), quantize=True) == "transformers"


def test_no_writable_cache_falls_back_under_auto_and_says_why_otherwise(pair, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("AUGPLAY_MODELS_DIR", str(blocker))  # .ct2 cannot be made under a file
    with pytest.raises(AugmenterUnavailableError, match="no writable folder for its CTranslate2 copy.*AUGPLAY_MODELS_DIR"):
        _ct2.resolve_engine("ctranslate2", pair, quantize=True)
    settings = _settings(pair, engine="auto", decoding="greedy")
    _, record = Pipeline([{"op": "back_translation", "settings": settings}])(TEXT, seed=1)
    assert record["steps"][0]["params"]["engine"] == "transformers"


def test_ctranslate2_missing(monkeypatch, pair):
    monkeypatch.setattr(_ct2, "available", lambda: False)
    assert _ct2.resolve_engine("auto", pair, quantize=True) == "transformers"
    with pytest.raises(AugmenterUnavailableError, match="pip install ctranslate2"):
        _ct2.resolve_engine("ctranslate2", pair, quantize=True)
