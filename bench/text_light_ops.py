"""Sentences per second of augplay's light text ops against nlpaug's equivalent augmenter, same run, same 200 sentences.

Both sides get the same settings (nlpaug's defaults where they differ from ours) and are
called once per sentence, as a pipeline calls them: augplay's time includes building the
per-sentence Generator and the record. Loading data (dictionaries, WordNet) is done before
timing on both sides. Best of `--repeat` runs.

    .venv/bin/python bench/text_light_ops.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from augmenters import registry  # noqa: E402
from augmenters.pipeline import step_rng  # noqa: E402
from augmenters.text import _nlpaug_data  # noqa: E402

N_SENTENCES = 200
SUBJECTS = "the customer|my old laptop|our support team|this small app|the delivery driver|a friendly nurse|the new update|her brother".split("|")
VERBS = "fixed|broke|answered|ignored|loved|returned|cancelled|praised|delayed|described|checked|ordered".split("|")
OBJECTS = "the broken screen|every single request|a quick refund|the lazy brown dog|two large pizzas|the monthly report|an important message|the wrong package".split("|")
TAILS = "yesterday|after three weeks|without any warning|in the morning|because it was late|with great care|for no reason|before the meeting".split("|")
ENDINGS = (".", "!", "?", ", thanks.", ". FWD to the team.")


def sentences(n: int = N_SENTENCES, seed: int = 0) -> list[str]:
    """Review-like sentences of 10-25 words with punctuation, the same on every run."""
    rng = np.random.default_rng(seed)
    pick = lambda items: items[int(rng.integers(len(items)))]  # noqa: E731
    out = []
    for _ in range(n):
        first = f"{pick(SUBJECTS)} {pick(VERBS)} {pick(OBJECTS)} {pick(TAILS)}"
        second = f" and {pick(SUBJECTS)} {pick(VERBS)} {pick(OBJECTS)}" if rng.random() < 0.6 else ""
        out.append((first + second)[0].upper() + (first + second)[1:] + pick(ENDINGS))
    return out


def nlpaug_refs() -> dict[str, tuple[Callable[[], object], dict]]:
    """augplay op -> (nlpaug augmenter factory, augplay settings that match its defaults)."""
    import nlpaug.augmenter.char as nac
    import nlpaug.augmenter.word as naw

    spelling = str(_nlpaug_data.resource("word", "spelling", "spelling_en.txt"))
    char = {"aug_char_p": 0.3, "aug_word_p": 0.3, "characters": ["lower", "upper", "digits"]}
    words = {"aug_p": 0.3, "aug_max": 10}
    return {
        "char_insert": (lambda: nac.RandomCharAug(action="insert"), char),
        "char_substitute": (lambda: nac.RandomCharAug(action="substitute"), char),
        "char_swap": (lambda: nac.RandomCharAug(action="swap"), {"aug_char_p": 0.3, "aug_word_p": 0.3}),
        "char_delete": (lambda: nac.RandomCharAug(action="delete"), {"aug_char_p": 0.3, "aug_word_p": 0.3}),
        "keyboard_typo": (lambda: nac.KeyboardAug(), {"symbols": True}),
        "ocr_error": (lambda: nac.OcrAug(), {"aug_char_min": 2, "min_chars": 1}),
        "spelling_error": (lambda: naw.SpellingAug(dict_path=spelling), words),
        "word_swap": (lambda: naw.RandomWordAug(action="swap"), words),
        "word_delete": (lambda: naw.RandomWordAug(action="delete"), words),
        "word_crop": (lambda: naw.RandomWordAug(action="crop"), words),
        "reserved_swap": (
            lambda: naw.ReservedAug(reserved_tokens=[["FWD", "Fwd", "FW"], ["thanks", "thank you", "thx"]]),
            {"groups": ["FWD, Fwd, FW", "thanks, thank you, thx"], "aug_p": 0.3},
        ),
    }


def rates(runners: list[Callable[[int, str], object]], texts: list[str], repeat: int) -> list[float]:
    """Sentences per CPU second of each runner, best of `repeat`, alternating the runners.

    Both sides are single-threaded, so process CPU time is what they cost; wall time on a
    shared 2-core machine mostly measures the neighbours.
    """
    best = [float("inf")] * len(runners)
    for _ in range(repeat):
        for k, run_one in enumerate(runners):
            start = time.process_time()
            for i, text in enumerate(texts):
                run_one(i, text)
            best[k] = min(best[k], time.process_time() - start)
    return [len(texts) / b for b in best]


def augplay_runner(name: str, settings: dict) -> Callable[[int, str], object]:
    aug = registry.get(name)
    valid = aug.validate_settings(settings)

    def run_one(i: int, text: str) -> str:
        return aug.apply(text, aug.sample(valid, text, step_rng(0, i, 0)))

    return run_one


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = sentences()
    refs = nlpaug_refs()
    print(f"{len(texts)} sentences, {np.mean([len(t.split()) for t in texts]):.1f} words on average; best of {args.repeat}")
    print(f"{'op':<16} {'augplay s/s':>12} {'nlpaug s/s':>11} {'ratio':>7}  reference  (sentences per CPU second)")
    for name in registry.names("text"):
        aug = registry.get(name)
        if aug.family == "sentence" or not aug.health().ok or aug.backend not in ("python", "nlpaug-data", "nltk-wordnet"):
            continue  # model ops have their own benchmark (bench/text_ops.py)
        make_ref, settings = refs.get(name, (None, {}))
        ours = augplay_runner(name, settings)
        ours(0, texts[0])  # load dictionaries / WordNet before timing
        if make_ref is None:
            (ours_rate,) = rates([ours], texts, args.repeat)
            print(f"{name:<16} {ours_rate:>12.0f} {'-':>11} {'-':>7}  none (nlpaug's SynonymAug needs a POS tagger NLTK cannot download here)")
            continue
        ref = make_ref()
        ref.augment(texts[0])
        ours_rate, ref_rate = rates([ours, lambda i, text: ref.augment(text)], texts, args.repeat)
        print(f"{name:<16} {ours_rate:>12.0f} {ref_rate:>11.0f} {ours_rate / ref_rate:>6.2f}x  nlpaug {type(ref).__name__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
