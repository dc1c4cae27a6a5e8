"""Korean through the model ops: back-translation picks the ko -> en -> ko models by the text's
script, and the multilingual scorer is used for Korean when it is on this machine (tiny local
stand-ins under the real ids, laid out as `augplay models pull` leaves them)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from augmenters import Pipeline, hub, registry
from augmenters.core.errors import AugmenterUnavailableError
from augmenters.pipeline import Step

from .cli_helpers import REPO_ROOT
from .conftest import assert_replays_without
from .test_contract import rule_problems
from .tiny_models import DEFAULT_TRANSLATORS, KOREAN_TRANSLATORS, MULTILINGUAL_SCORER, build_tiny_sentence_encoder

KOREAN = "지난 주말에 민수는 동생과 함께 도서관에서 책을 빌렸다. 날씨가 맑아서 공원도 산책했다."
# Mostly Hangul with some English: decided per text, so the whole text goes the Korean way.
MIXED_KOREAN = "우리는 아침에 커피를 마셨다. 그리고 오후에는 도서관에 갔다 — then we left."
# Mostly English with one Korean word: the English way.
MIXED_ENGLISH = "We met at the library near the station and talked about 책 for an hour."


def back_translation(**settings) -> Pipeline:
    op = registry.get("back_translation")
    return Pipeline([Step(op="back_translation", p=1.0, settings=op.validate_settings(settings))])


def params_of(record: dict) -> dict:
    return record["steps"][0]["params"]


# -- back-translation ------------------------------------------------------------------------------


def test_korean_text_goes_through_the_korean_models_and_replays_without_them(monkeypatch, tmp_path):
    pipeline = back_translation()
    made = [pipeline(KOREAN, seed=0, index=i) for i in range(3)]
    for out, record in made:
        params = params_of(record)
        assert (params["language"], params["pivot"]) == ("ko", "en")
        assert (params["forward"], params["backward"]) == KOREAN_TRANSLATORS
        assert [item["source"] for item in params["sentences"]] == [
            "지난 주말에 민수는 동생과 함께 도서관에서 책을 빌렸다.", "날씨가 맑아서 공원도 산책했다."
        ]
    op = registry.get("back_translation")
    assert rule_problems(op, op.validate_settings({}), KOREAN, params_of(made[0][1]), {}) == []
    # The tiny models' random weights may end a sentence at once; the runs as a whole do translate.
    assert any(item["pivot"] for _, record in made for item in params_of(record)["sentences"])
    assert len({out for out, _ in made}) >= 2  # sampling: variants differ

    # Replay needs no model: none is on this machine now, and translating would fail.
    monkeypatch.setenv("AUGPLAY_MODELS_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))

    assert_replays_without(monkeypatch, "augmenters.text.back_translation.translate", pipeline, KOREAN, made)


def test_english_text_keeps_the_pivot_route():
    out, record = back_translation(pivot="de")("The dog runs to the old barn.", seed=1)
    params = params_of(record)
    assert (params["language"], params["pivot"]) == ("en", "de")
    assert (params["forward"], params["backward"]) == DEFAULT_TRANSLATORS


def test_mixed_text_is_decided_per_text_by_its_letters():
    korean = params_of(back_translation()(MIXED_KOREAN, seed=0)[1])
    english = params_of(back_translation()(MIXED_ENGLISH, seed=0)[1])
    assert (korean["language"], korean["forward"]) == ("ko", KOREAN_TRANSLATORS[0])
    assert (english["language"], english["forward"]) == ("en", DEFAULT_TRANSLATORS[0])


def test_the_language_and_model_settings_win(tiny_models_dir):
    forced = params_of(back_translation(language="en", pivot="de")(KOREAN, seed=0)[1])
    assert (forced["language"], forced["pivot"], forced["forward"]) == ("en", "de", DEFAULT_TRANSLATORS[0])
    folder = str(tiny_models_dir / KOREAN_TRANSLATORS[0].replace("/", "--"))
    chosen = params_of(back_translation(forward_model=folder)(KOREAN, seed=0)[1])
    assert (chosen["forward"], chosen["backward"]) == (folder, KOREAN_TRANSLATORS[1])
    assert registry.get("back_translation").models_for({"language": "ko"}) == KOREAN_TRANSLATORS


def test_missing_korean_models_are_named_with_the_command_that_fetches_them(monkeypatch, tmp_path, tiny_models_dir):
    models = tmp_path / "models"  # the English pair only, as after pulling just those
    for model_id in DEFAULT_TRANSLATORS:
        shutil.copytree(tiny_models_dir / model_id.replace("/", "--"), models / model_id.replace("/", "--"))
    monkeypatch.setenv("AUGPLAY_MODELS_DIR", str(models))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    pipeline = back_translation()
    pipeline.check_available()  # English text still runs: the step is ok
    pipeline("The dog runs.", seed=0)
    command = f"augplay models pull {KOREAN_TRANSLATORS[0]} {KOREAN_TRANSLATORS[1]}"
    with pytest.raises(AugmenterUnavailableError, match=command):
        pipeline(KOREAN, seed=0)
    with pytest.raises(AugmenterUnavailableError, match=command):
        back_translation(language="ko").check_available()


# -- the multilingual scorer ------------------------------------------------------------------------


@pytest.fixture()
def multilingual_scorer(tiny_models_dir):
    """The tiny scorer under its real id, as `augplay models pull` leaves it; removed afterwards."""
    folder = build_tiny_sentence_encoder(tiny_models_dir / MULTILINGUAL_SCORER.replace("/", "--"))
    yield folder
    shutil.rmtree(folder)


def test_korean_is_scored_by_the_multilingual_scorer_when_it_is_here(multilingual_scorer):
    from augmenters.similarity import SCORER, score

    variant = KOREAN.replace("책을", "잡지를")
    korean = score(KOREAN, variant)
    assert korean["scorer"] == MULTILINGUAL_SCORER and -1.0 <= korean["similarity"] < 1.0
    assert "similarity_unavailable" not in korean
    assert score(KOREAN, KOREAN)["similarity"] == 1.0
    english = score("The cat sat on the mat.", "The cat sat on a mat.")
    assert english["scorer"] == SCORER  # English keeps the English scorer

    # min_similarity now filters Korean: every record has a number and says which scorer made it.
    strict = Pipeline.load("ko_eda")
    strict = Pipeline(strict.steps, name="strict", modality="text", min_similarity=0.999)
    for index in range(3):
        out, record = strict(KOREAN, seed=2, index=index)
        assert isinstance(record["similarity"], float) and record["scorer"] == MULTILINGUAL_SCORER
        assert record["similarity"] >= 0.999 or record["failed"].endswith("after 5 attempts")
        assert strict.replay(KOREAN, json.loads(json.dumps(record))) == out


def test_without_the_multilingual_scorer_korean_says_how_to_get_a_score():
    from augmenters.similarity import score

    scores = score(KOREAN, KOREAN.replace("책을", "잡지를"))
    assert scores["similarity"] is None and "scorer" not in scores
    assert f"`augplay models pull {MULTILINGUAL_SCORER}`" in scores["similarity_unavailable"]
    strict = Pipeline(Pipeline.load("ko_eda").steps, name="strict", modality="text", min_similarity=0.7)
    with pytest.raises(AugmenterUnavailableError, match=f"augplay models pull {MULTILINGUAL_SCORER}"):
        strict(KOREAN, seed=1)


def test_models_list_shows_the_korean_models_and_the_scorer(tiny_models_dir):
    assert hub.default_model_ids()[:4] == [*DEFAULT_TRANSLATORS, *KOREAN_TRANSLATORS]
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "AUGPLAY_MODELS_DIR": str(tiny_models_dir)}
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "models", "list", "--json"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    for model_id in KOREAN_TRANSLATORS:
        assert rows[model_id]["default"] and rows[model_id]["ops"] == ["back_translation"]
        assert rows[model_id]["status"] == "present"
    scorer = rows[MULTILINGUAL_SCORER]
    assert scorer["default"] and scorer["ops"] == ["similarity"] and scorer["status"] == "missing"


def test_the_text_tab_says_how_to_get_a_score_in_both_languages():
    from app.textdiff import text_table
    from augmenters.similarity import score

    variant = KOREAN.replace("책을", "잡지를")
    rows = [{"index": 0, "text": variant, "similarity": None, "changed": 0.1, "record": score(KOREAN, variant)}]
    pull = f"`augplay models pull {MULTILINGUAL_SCORER}`"
    english, korean = text_table(KOREAN, rows, 0.7, language="en"), text_table(KOREAN, rows, 0.7, language="ko")
    assert "not scored</span>" in english and f"fetch a multilingual scorer with {pull} to score it" in english
    assert "점수 없음</span>" in korean and f"{pull}로 다국어 채점 모델을 받으면 점수가 나옵니다" in korean
    assert "reads English only" not in korean
