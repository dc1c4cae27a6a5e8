"""Text ops beyond the contract: untouched text stays byte-identical, and each op only makes its own kind of change."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import regex

from augmenters import Pipeline, PipelineError, ReplayError, SettingsError, registry
from augmenters.pipeline import step_rng
from augmenters.text import _nlpaug_data, _wordnet
from augmenters.text._tokens import is_word, match_case, tokenize, word_indices
from augmenters.text.ocr_error import confusions

from .test_contract import settings_for  # noqa: F401  (the contract tests' settings, as a fixture)

ROOT = Path(__file__).resolve().parent.parent
TEXT_OPS = registry.names("text")
# Tabs, double spaces, CRLF, German, Korean, Hindi (combining marks), a decomposed accent, emoji with joiners.
MIXED = (
    "The quick brown fox jumps over the lazy dog, and the dog doesn't care.  Ein schöner Tag in Köln!\n"
    "오늘은 날씨가 정말 좋다 🙂 — it's 3 o'clock.\tनमस्ते दुनिया, cafe\u0301 au lait… 👨‍👩‍👧 (family)\r\n"
    "Small datasets go further: every change is recorded; nothing is lost?"
)


def _python(*args: str) -> subprocess.CompletedProcess:
    """Run this tree's code in a fresh interpreter, as a user would."""
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "GRADIO_ANALYTICS_ENABLED": "False"}
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def _run(name: str, settings: dict, text: str, seed: int) -> tuple[str, dict]:
    aug = registry.get(name)
    params = aug.sample(settings, text, step_rng(seed, 0, 0))
    return aug.apply(text, params), params


def _kind(token: str) -> str:
    return "word" if is_word(token) else "space" if token.isspace() else "other"


# -- tokeniser -------------------------------------------------------------------------------------


def test_tokens_round_trip_on_random_unicode():
    pools = [
        "abcXYZ019_'’-",
        " \t\n\r\u00a0\u3000",
        ".,;:!?()[]{}—…«»\"",
        "äöüßéçñ\u0301\u0308",
        "오늘날씨가좋다",
        "नमस्तेदुनिया",
        "🙂👨\u200d👩\u200d👧🏽️",
    ]
    rng = np.random.default_rng(0)
    for _ in range(2000):
        chars = [pools[int(rng.integers(len(pools)))] for _ in range(int(rng.integers(0, 40)))]
        text = "".join(p[int(rng.integers(len(p)))] for p in chars)
        tokens = tokenize(text)
        assert "".join(tokens) == text
        assert all(is_word(t) == (regex.match(r"\w", t) is not None) for t in tokens)  # is_word's fast path agrees


def test_tokens_keep_words_and_emoji_whole():
    assert tokenize("नमस्ते cafe\u0301 👨‍👩‍👧 it's") == ["नमस्ते", " ", "cafe\u0301", " ", "👨‍👩‍👧", " ", "it's"]


def test_match_case():
    assert [match_case(t, "speedy") for t in ("quick", "Quick", "QUICK", "q")] == ["speedy", "Speedy", "SPEEDY", "speedy"]


# -- registry-wide: untouched text stays byte-identical ----------------------------------------------


@pytest.mark.parametrize("name", [n for n in TEXT_OPS if registry.get(n).family != "sentence"])
def test_untouched_text_is_byte_identical(name, settings_for):
    """Word and char ops edit words only: punctuation, emoji and other words come out as they went in.

    Sentence-level ops (back-translation) rewrite everything and are left out by their family.
    """
    settings = settings_for(name)
    source = tokenize(MIXED)
    changed_any = False
    for seed in range(25):
        out, params = _run(name, settings, MIXED, seed)
        tokens = tokenize(out)
        assert [t for t in tokens if _kind(t) == "other"] == [t for t in source if _kind(t) == "other"]
        # Layout (tabs, line breaks) stays; only runs of plain spaces may go or come beside words.
        assert [t for t in tokens if _kind(t) == "space" and t.strip(" ")] == [
            t for t in source if _kind(t) == "space" and t.strip(" ")
        ]
        changed_any = changed_any or out != MIXED
        if "changes" in params and params["changes"] and "position" in params["changes"][0]:
            # In-place word edits: the input with just the recorded words replaced, nothing else.
            where, expected = word_indices(source), list(source)
            for change in params["changes"]:
                assert source[where[change["position"]]] == change["word"]
                expected[where[change["position"]]] = change.get("replacement", change.get("synonym"))
            assert "".join(expected) == out
    assert changed_any, f"{name} never changed the mixed text in 25 seeds"


def test_text_ops_leave_global_random_state_alone(settings_for):
    py_state, np_state = random.getstate(), np.random.get_state()
    for name in TEXT_OPS:
        _run(name, settings_for(name), MIXED, seed=1)
    assert random.getstate() == py_state
    after = np.random.get_state()
    assert after[0] == np_state[0] and np.array_equal(after[1], np_state[1]) and after[2:] == np_state[2:]


# -- WordNet ---------------------------------------------------------------------------------------


def _wordnet_lemmas(word: str) -> set[str]:
    from nltk.corpus import wordnet

    return {name.replace("_", " ").lower() for s in wordnet.synsets(word) for name in s.lemma_names()}


def test_synonym_swap_uses_real_wordnet_and_keeps_case():
    aug = registry.get("synonym_swap")
    # WordNet and case alone: no scoring in context, no name protection ("Quick Dog" mid-text).
    settings = aug.validate_settings({"aug_p": 1.0, "senses": 1, "context": False, "protect": False})
    assert aug.apply("The quick dog ran fast.", aug.sample(settings, "The quick dog ran fast.", step_rng(0, 0, 0))) == (
        "The speedy domestic dog ran fast."
    )
    loud = "THE QUICK DOG RAN FAST!"
    assert aug.apply(loud, aug.sample(settings, loud, step_rng(0, 0, 0))) == "THE SPEEDY DOMESTIC DOG RAN FAST!"
    title = "Quick dogs, Quick Dog"
    assert aug.apply(title, aug.sample(settings, title, step_rng(0, 0, 0))) == "Speedy dogs, Speedy Domestic dog"

    wide = aug.validate_settings({"aug_p": 1.0, "senses": 0, "context": False})
    seen = set()
    for seed in range(40):
        params = aug.sample(wide, "The quick dog ran fast", step_rng(seed, 0, 0))
        for change in params["changes"]:
            assert change["word"] in ("quick", "dog", "fast")  # "The" is a stopword; "ran" is inflected
            assert change["synonym"].lower() in _wordnet_lemmas(change["word"])
            seen.add(change["synonym"])
    assert len(seen) >= 6  # real variety, not one fixed substitute


def test_synonym_swap_inflected_forms_only_when_asked():
    aug = registry.get("synonym_swap")
    settings = aug.validate_settings({"aug_p": 1.0, "inflected": True, "senses": 0})
    params = aug.sample(settings, "ran", step_rng(0, 0, 0))
    assert params["changes"][0]["synonym"].lower() in _wordnet_lemmas("run")


def test_synonym_insert_adds_synonyms_of_words_in_the_text():
    aug = registry.get("synonym_insert")
    settings = aug.validate_settings({"aug_p": 0.5, "senses": 0})
    text = "The quick dog ran fast."
    for seed in range(20):
        params = aug.sample(settings, text, step_rng(seed, 0, 0))
        out = aug.apply(text, params)
        assert params["inserted"]
        for item in params["inserted"]:
            assert item["synonym"].lower() in _wordnet_lemmas(item["of"]["word"])
        original = tokenize(text)
        kept = [t for t in tokenize(out)]
        assert len(kept) == len(original) + sum(2 * len(i["synonym"].split(" ")) for i in params["inserted"])
        assert out.endswith(".")


def test_wordnet_missing_disables_synonym_ops_with_a_clear_reason(monkeypatch, tmp_path):
    monkeypatch.setattr(_wordnet, "nltk_search_paths", lambda: [tmp_path])
    monkeypatch.setattr(_wordnet, "debian_source", lambda: None)
    monkeypatch.setenv("AUGPLAY_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("synonym_swap", "synonym_insert"):
        health = registry.get(name).check_health()
        assert health.status == "disabled"
        assert "WordNet not found: run make setup" in health.reason and "apt-get install wordnet-base" in health.reason


SPACE_WORDNET = """
import json, nltk
from augmenters.text import _wordnet
nltk.data.path[:] = []  # as on a Space: no nltk_data anywhere, only Debian's wordnet-base
_wordnet.nltk_search_paths = lambda: []
from augmenters import Pipeline, registry
health = registry.get("synonym_swap").health()
out, record = Pipeline([{"op": "synonym_swap", "settings": {"aug_p": 1.0}}])("The happy dog runs home.", seed=0)
print(json.dumps({"status": health.status, "reason": health.reason, "out": out, "path": nltk.data.path[0]}))
"""


def test_synonyms_work_where_only_debian_wordnet_is_installed(tmp_path):
    """A Space installs packages.txt but runs no `make setup`: WordNet is copied into a cache at first use."""
    from augmenters.text._wordnet_files import debian_source

    assert debian_source() is not None, "wordnet-base is in packages.txt and scripts/setup.sh"
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "AUGPLAY_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", SPACE_WORDNET], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["status"] == "ok", result["reason"]
    assert result["out"] != "The happy dog runs home."
    assert result["path"] == str(tmp_path / "cache" / "nltk_data")
    folder = tmp_path / "cache" / "nltk_data" / "corpora" / "wordnet"
    assert all((folder / name).is_file() and not (folder / name).is_symlink() for name in _wordnet.WORDNET_FILES)


def test_install_wordnet_copies_files_nltk_loads(tmp_path):
    done = _python("scripts/install_wordnet.py", "--data-dir", str(tmp_path), "--copy")
    assert "dog: dog, domestic_dog, Canis_familiaris" in done.stdout
    folder = tmp_path / "corpora" / "wordnet"
    assert all((folder / name).is_file() and not (folder / name).is_symlink() for name in _wordnet.WORDNET_FILES)


# -- nlpaug-data ops -------------------------------------------------------------------------------


def _changed_chars(change: dict) -> list[tuple[str, str]]:
    assert len(change["word"]) == len(change["replacement"])
    return [(a, b) for a, b in zip(change["word"], change["replacement"]) if a != b]


def test_keyboard_typo_only_uses_neighbouring_keys():
    aug = registry.get("keyboard_typo")
    keys = _nlpaug_data.keyboard("en")
    settings = aug.validate_settings({"aug_word_p": 1.0, "aug_word_max": 100, "aug_char_p": 0.5})
    total = 0
    for seed in range(30):
        for change in aug.sample(settings, MIXED, step_rng(seed, 0, 0))["changes"]:
            for old, new in _changed_chars(change):
                assert new.lower() in keys[old.lower()], (old, new)
                assert new.isupper() == old.isupper() and new.isalpha() == old.isalpha()
                total += 1
    assert total > 100


def test_spelling_error_only_uses_dictionary_entries():
    aug = registry.get("spelling_error")
    table = _nlpaug_data.spelling()
    settings = aug.validate_settings({"aug_p": 1.0, "aug_max": 100})
    total = 0
    for seed in range(30):
        for change in aug.sample(settings, MIXED, step_rng(seed, 0, 0))["changes"]:
            word, new = change["word"], change["replacement"]
            if word in table:
                assert new in table[word]
            else:
                assert new in {match_case(word, v) for v in table[word.lower()]}
            total += 1
    assert total > 100


def test_spelling_dictionary_is_clean_and_ordered():
    table = _nlpaug_data.spelling()
    assert len(table) > 5000
    assert "the" in table and "because" in table
    for key, values in table.items():
        assert list(values) == sorted(set(values)) and key not in values
        assert all(len(tokenize(v)) == 1 and not any(ch.isdigit() for ch in v) for v in values)


def _ocr_explains(word: str, new: str, table: dict) -> bool:
    """Can `new` be read off `word` by replacing non-overlapping confusable pieces?"""
    if not word:
        return not new
    if new[:1] == word[:1] and _ocr_explains(word[1:], new[1:], table):
        return True
    for size in (1, 2):
        for read in table.get(word[:size], ()):
            if new.startswith(read) and _ocr_explains(word[size:], new[len(read) :], table):
                return True
    return False


def test_ocr_error_uses_confusions_including_multi_letter_ones():
    aug = registry.get("ocr_error")
    table = confusions()
    assert "m" in table["rn"] and "rn" in table["m"] and "d" in table["cl"] and "O" in table["0"]
    settings = aug.validate_settings({"aug_word_p": 1.0, "aug_word_max": 100, "aug_char_p": 0.5})
    multi = 0
    for seed in range(30):
        for change in aug.sample(settings, "modern clocks in 1990 were worn down", step_rng(seed, 0, 0))["changes"]:
            assert _ocr_explains(change["word"], change["replacement"], table), change
            multi += len(change["word"]) != len(change["replacement"])
    assert multi > 0


# -- char ops --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["char_insert", "char_substitute", "char_swap", "char_delete", "keyboard_typo"])
def test_char_ops_respect_min_chars_and_keep_first_last(name):
    aug = registry.get(name)
    settings = aug.validate_settings({"aug_word_p": 1.0, "aug_word_max": 100, "keep_first_last": True, "min_chars": 5})
    for seed in range(30):
        for change in aug.sample(settings, MIXED, step_rng(seed, 0, 0))["changes"]:
            word, new = change["word"], change["replacement"]
            assert len(word) >= 5
            assert new[0] == word[0] and new[-1] == word[-1]


def test_char_delete_never_empties_a_word_and_insert_uses_the_alphabet():
    delete = registry.get("char_delete")
    settings = delete.validate_settings({"aug_char_p": 1.0, "aug_char_max": 100, "min_chars": 1})
    for seed in range(20):
        out, _ = _run("char_delete", settings, "a bb ccc", seed)
        assert len(out.split(" ")) == 3 and all(out.split(" "))
    insert = registry.get("char_insert")
    digits = insert.validate_settings({"characters": ["digits"], "aug_word_p": 1.0})
    for seed in range(20):
        for change in insert.sample(digits, "letters only here", step_rng(seed, 0, 0))["changes"]:
            assert set(change["replacement"]) - set(change["word"]) <= set("0123456789")


def test_word_edit_replay_refuses_other_text():
    aug = registry.get("char_swap")
    params = aug.sample(aug.default_settings(), "Augmentation helps", step_rng(0, 0, 0))
    with pytest.raises(ReplayError, match="char_swap: the text has no"):
        aug.apply("Something else entirely", params)


# -- word ops --------------------------------------------------------------------------------------


def test_word_crop_stays_inside_a_clause():
    aug = registry.get("word_crop")
    # Number words are protected by default; this test is about clauses.
    settings = aug.validate_settings({"aug_p": 0.5, "aug_max": 100, "protect": False})
    text = "one two three, four five six seven! eight"
    for seed in range(30):
        params = aug.sample(settings, text, step_rng(seed, 0, 0))
        out = aug.apply(text, params)
        assert out.count(",") == 1 and out.count("!") == 1 and "  " not in out
        assert " ".join(params["words"]) in ("one two three", "four five six seven", "two three", "five six seven",
                                             "four five six", "five six", "six seven", "four five")


# -- reserved_swap ---------------------------------------------------------------------------------


def test_reserved_swap_swaps_within_groups_on_whole_words():
    aug = registry.get("reserved_swap")
    settings = aug.validate_settings(
        {"groups": ["FWD, Fwd, FW", "Thank you, Thanks, Thx"], "aug_p": 1.0, "aug_max": 100}
    )
    text = "FWD: Thank you! FWDX and Thanks, fwd"
    outputs = set()
    for seed in range(30):
        params = aug.sample(settings, text, step_rng(seed, 0, 0))
        assert [c["term"] for c in params["changes"]] == ["FWD", "Thank you", "Thanks"]  # not FWDX, not fwd
        for change in params["changes"]:
            group = ["FWD", "Fwd", "FW"] if change["term"] == "FWD" else ["Thank you", "Thanks", "Thx"]
            assert change["replacement"] in group and change["replacement"] != change["term"]
        out = aug.apply(text, params)
        assert out.endswith(" FWDX and " + params["changes"][2]["replacement"] + ", fwd")
        outputs.add(out)
    assert len(outputs) == 8  # 2 x 2 x 2 choices

    loose = aug.validate_settings({"groups": ["FWD, Fwd, FW"], "aug_p": 1.0, "case_sensitive": False})
    params = aug.sample(loose, "fwd it", step_rng(0, 0, 0))
    assert params["changes"][0]["term"] == "fwd" and params["changes"][0]["replacement"] in ("FW",)
    with pytest.raises(ReplayError, match="reserved_swap: the text has no 'fwd' at character 0"):
        aug.apply("nothing here", params)


@pytest.mark.parametrize(
    "groups, message",
    [(["FWD"], "group 1 .* at least two terms"), (["a, b", "b, c"], "'b' is in group 1 and group 2")],
)
def test_reserved_swap_refuses_bad_groups(groups, message):
    with pytest.raises(SettingsError, match=message):
        registry.get("reserved_swap").validate_settings({"groups": groups})
    with pytest.raises(PipelineError, match=message):
        Pipeline([{"op": "reserved_swap", "settings": {"groups": groups}}])


# -- presets through the CLI -------------------------------------------------------------------------


def _preview(out: Path) -> list[dict]:
    text = "The quick brown fox jumps over the lazy dog."
    _python("-m", "app", "preview", "--pipeline", "eda", "--input", text, "--n", "5", "--seed", "3", "--out", str(out))
    return [json.loads(line) for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]


def test_eda_preview_gives_five_different_variants_again_and_again(tmp_path):
    first, second = _preview(tmp_path / "a"), _preview(tmp_path / "b")
    assert first == second
    outputs = [r["output"] for r in first]
    assert len(set(outputs)) == 5 and "The quick brown fox jumps over the lazy dog." not in outputs
    assert (tmp_path / "a" / "records.jsonl").read_bytes() == (tmp_path / "b" / "records.jsonl").read_bytes()


def test_word_delete_keeps_line_breaks_and_tabs():
    aug = registry.get("word_delete")
    text = "first\nsecond\tthird line"
    for k, word in enumerate(["first", "second", "third"]):
        out = aug.apply(text, {"deleted": [{"position": k, "word": word}]})
        assert out.count("\n") == 1 and out.count("\t") == 1, out


def test_every_keyboard_layout_loads_and_types_in_its_script():
    aug = registry.get("keyboard_typo")
    samples = {"uk": "привіт світе", "he": "שלום עולם", "th": "สวัสดีครับ", "de": "schöne Grüße"}
    for layout in _nlpaug_data.KEYBOARD_LAYOUTS:
        settings = aug.validate_settings({"layout": layout, "aug_word_p": 1.0, "min_chars": 1})
        text = samples.get(layout, "keyboard typing")
        outs = {aug.apply(text, aug.sample(settings, text, step_rng(seed, 0, 0))) for seed in range(5)}
        assert len(outs - {text}) >= 2, layout


def test_missing_nlpaug_data_disables_with_the_file_named(monkeypatch, tmp_path):
    monkeypatch.setattr(_nlpaug_data, "resource", lambda *parts: tmp_path.joinpath("res", *parts))
    health = registry.get("spelling_error").check_health()
    assert health.status == "disabled" and "word/spelling/spelling_en.txt is missing" in health.reason
