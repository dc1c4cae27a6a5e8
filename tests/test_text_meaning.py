"""Text that keeps its meaning: protected tokens, synonyms scored in context, Korean ops on Kiwi,
and a similarity score that says when it cannot judge. Sentences here are the tests' own (the
fidelity bench has its own held-out set)."""

from __future__ import annotations

import json

import pytest
import regex

from augmenters import Pipeline, SettingsError, registry
from augmenters.core.errors import AugmenterUnavailableError
from augmenters.pipeline import Step, step_rng
from augmenters.text import _hangul, _kiwi
from augmenters.text._tokens import tokenize, words

from app.textdiff import text_table

from .conftest import assert_replays_without

GUARDED = (
    "On the second floor, Maria booked 3 rooms at 3pm on May 4th for $12.50 each; "
    "details at https://example.org/rooms?id=7 or desk@example.org, run `make book` first."
)
# What must come out verbatim whatever the op does.
VERBATIM = ("second", "Maria", "3", "3pm", "May", "4th", "$12.50", "https://example.org/rooms?id=7",
            "desk@example.org", "`make book`")
WORD_OPS = ("synonym_swap", "synonym_insert", "word_swap", "word_delete", "word_crop", "spelling_error")
KOREAN = "지난 주말에 민수는 동생과 함께 도서관에서 책을 빌렸다. 날씨가 맑아서 공원도 산책했다."
KOREAN_MIXED = "우리는 아침에 커피를 마셨다 ☕ — then we left.\n오후에는 비가 많이 내렸다!"


def _run(name: str, text: str, seed: int, **settings) -> tuple[str, dict]:
    aug = registry.get(name)
    params = aug.sample(aug.validate_settings(settings), text, step_rng(seed, 0, 0))
    return aug.apply(text, params), json.loads(json.dumps(params))


# -- protected tokens ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", WORD_OPS)
def test_protected_tokens_never_change_over_200_seeds(name):
    extra = {"context": False} if name.startswith("synonym") else {}  # protection does not depend on scoring
    for seed in range(200):
        out, params = _run(name, GUARDED, seed, aug_p=0.5, aug_max=100, **extra)
        assert out != GUARDED or seed, f"{name} changed nothing on seed 0"
        for piece in VERBATIM:
            assert piece in out, f"{name}, seed {seed}: {piece!r} was changed: {out!r}"
        assert {"second", "Maria", "3pm", "May", "4th", "https", "desk", "make", "book"} <= set(params["protected"])


def test_protect_can_be_turned_off_and_extended():
    changed = {_run("spelling_error", GUARDED, s, aug_p=1.0, aug_max=100, protect=False)[0] for s in range(5)}
    assert any("Maria" not in out or "second" not in out for out in changed)
    for seed in range(50):
        out, params = _run("word_delete", "The quick fox runs to the old barn today.", seed, aug_p=0.9, aug_max=100,
                           protect_words=["fox"], protect_patterns=[r"old\s+barn"])
        assert "fox" in out and "old barn" in out and params["protected"] == ["fox", "old", "barn", "today"]
    with pytest.raises(SettingsError, match="not a regular expression"):
        registry.get("word_swap").validate_settings({"protect_patterns": ["(unclosed"]})


# -- synonyms in context ----------------------------------------------------------------------------


def test_synonyms_fit_the_sentence_and_replay_needs_no_model(monkeypatch):
    text = "She returned the phone call after lunch and thanked him for the good deed."
    settings = registry.get("synonym_swap").validate_settings({"aug_p": 0.15})
    pipeline = Pipeline([Step(op="synonym_swap", p=1.0, settings=settings)])
    made = [pipeline(text, seed=0, index=i) for i in range(8)]
    for out, record in made:
        params = record["steps"][0]["params"]
        assert params["context"] == "scored"
        assert all(change["fit"] >= 0.25 for change in params["changes"])
    assert len({out for out, _ in made}) >= 2

    assert_replays_without(monkeypatch, "augmenters.similarity.similarities", pipeline, text, made)


def test_synonyms_on_text_the_scorer_cannot_read_are_unscored_and_say_why():
    text = "Привет, как дела у тебя сегодня? The weather is fine."
    _, params = _run("synonym_swap", text, 0, aug_p=0.5)
    assert params["context"].startswith("not scored:") and "Cyrillic" in params["context"]
    assert all(change["fit"] is None for change in params["changes"])


# -- honest similarity ------------------------------------------------------------------------------


def test_korean_gets_no_similarity_and_min_similarity_refuses():
    from augmenters.similarity import score

    scores = score(KOREAN, KOREAN.replace("책을", "잡지를"))
    assert scores["similarity"] is None and "Hangul (Korean)" in scores["similarity_unavailable"]
    assert score("The cat sat.", "The cat sat down.")["similarity"] > 0.5  # English is still scored
    pipeline = Pipeline.load("ko_eda")
    out, record = pipeline(KOREAN, seed=1, index=0)
    assert record["similarity"] is None and record["similarity_unavailable"].startswith("not scored:")
    strict = Pipeline(pipeline.steps, name="strict", modality="text", min_similarity=0.7)
    with pytest.raises(AugmenterUnavailableError, match="min_similarity needs the meaning score, which this text cannot get: .*English only.*Hangul"):
        strict(KOREAN, seed=1, index=0)


def test_text_tab_shows_not_scored():
    record = {"similarity_unavailable": "not scored: the similarity model reads English only"}
    rows = [{"index": 0, "text": "b", "similarity": None, "changed": 0.5, "record": record}]
    table = text_table("a", rows, 0.7)
    assert "not scored</span>" in table and "min_similarity cannot filter it" in table and "English only" in table


# -- Korean on Kiwi ---------------------------------------------------------------------------------


def _attached(text: str) -> list[str]:
    """Particles (J*) and endings (E*) that Kiwi finds at the start of a word: they came loose."""
    loose = []
    for m in _kiwi.morphemes(text):
        if m.tag[:1] in "JE" and (m.start == 0 or text[m.start - 1].isspace()):
            loose.append(m.form)
    return loose


def _non_hangul(text: str) -> list[str]:
    return [t for t in tokenize(text) if not _kiwi.is_hangul_word(t) and not t.isspace()]


@pytest.mark.parametrize("name", ("ko_word_delete", "ko_word_swap", "ko_word_crop", "ko_word_insert"))
def test_korean_word_ops_keep_particles_attached(name):
    adverbs = set(registry.get("ko_word_insert").default_settings()["adverbs"])
    outputs = set()
    for text in (KOREAN, KOREAN_MIXED):
        assert _attached(text) == []
        for seed in range(40):
            out, _ = _run(name, text, seed, aug_p=0.3)
            outputs.add(out)
            assert _attached(out) == [], f"{name}, seed {seed}: {out!r}"
            assert set(words(out)) <= set(words(text)) | adverbs  # whole words move, nothing is rewritten
            assert _non_hangul(out) == _non_hangul(text)  # emoji, punctuation, English untouched
            # every clause keeps its predicate: the sentence-final words stay
            assert "빌렸다" in out or "빌렸다" not in text
    # A crop takes the longest run that fits; these texts have one adjective for an adverb to go before.
    assert len(outputs) >= {"ko_word_crop": 4, "ko_word_insert": 8}.get(name, 10)


def test_jamo_arithmetic_round_trips_every_syllable():
    for code in range(0xAC00, 0xD7A4):
        assert _hangul.join(*_hangul.split(chr(code))) == chr(code)


def test_korean_typos_are_valid_syllables_and_only_touch_hangul():
    seen_kinds = set()
    for seed in range(200):
        out, params = _run("ko_keyboard_typo", KOREAN_MIXED, seed, aug_p=0.5, jamo_max=2)
        assert _non_hangul(out) == _non_hangul(KOREAN_MIXED)
        for change in params["changes"]:
            new = change["replacement"]
            assert all(_hangul.is_syllable(ch) or not regex.match(r"\p{Hangul}", ch) for ch in new)
            assert len(new) == len(change["word"])
            seen_kinds.add(sum(a != b for a, b in zip(new, change["word"])))
    assert out != KOREAN_MIXED and {1, 2} <= seen_kinds


def test_korean_typos_make_each_kind_of_slip():
    from augmenters.text.ko_keyboard_typo import slips

    found = dict(slips("먹어", ["neighbour", "shift", "drop_final", "move_final"]))
    assert "머거" in found["move_final"] and "머어" in found["drop_final"]
    assert "멱어" in found["neighbour"] or "벅어" in found["neighbour"]
    assert "먺어" in found["shift"]  # ㄱ -> ㄲ as a 받침


def test_korean_spacing_only_moves_spaces():
    outputs = set()
    for seed in range(60):
        out, params = _run("ko_spacing", KOREAN_MIXED, seed, join_p=0.3, split_p=0.3)
        outputs.add(out)
        assert out.replace(" ", "") == KOREAN_MIXED.replace(" ", "")
        assert _non_hangul(out) == _non_hangul(KOREAN_MIXED)
        assert all(item["at"] > 0 for item in params["split"])
    assert len(outputs) >= 10


@pytest.mark.parametrize("preset", ("ko_eda", "ko_typos", "ko_spacing"))
def test_korean_presets_vary_and_replay(preset):
    pipeline = Pipeline.load(preset)
    made = [pipeline(KOREAN, seed=3, index=i) for i in range(6)]
    assert len({out for out, _ in made}) >= 3
    for out, record in made:
        assert pipeline.replay(KOREAN, json.loads(json.dumps(record))) == out
    untouched, _ = pipeline("Only English here, nothing to do.", seed=3, index=0)
    assert untouched == "Only English here, nothing to do."
