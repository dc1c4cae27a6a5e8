"""How much meaning the text ops keep, against random word replacement at the same changed fraction.

On 40 held-out English sentences (bench/data/fidelity_en.txt, written for this bench and used
nowhere else) × 3 variants, each op and preset is run through the Pipeline; every variant gets
the project's own MiniLM similarity to its source and the fraction of words changed. The
baseline replaces, in each sentence, as many random words as that op's variant changed by
random words from the other sentences, so both columns sit at the same changed fraction.

An op and its "as before" row do not change the same share of words by themselves (fewer
synonyms fit than the settings ask for), so for each pair in MATCHED the bench also runs each
side with its rate (`aug_p`, `aug_max`) scaled until its changed fraction lands on the other
side's (within 0.01, a few tries), and says whether the goal holds at the old fraction.

    python bench/text_fidelity.py [--variants 3] [--seed 0] [--only synonyms,eda]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SENTENCES = Path(__file__).resolve().parent / "data" / "fidelity_en.txt"

# (row name, pipeline: a preset name or one step's {op, settings})
# The "as before" rows are the ops as they were before context scoring and protected tokens,
# measured in the same run: WordNet's most frequent sense, drawn at random.
BEFORE = {"context": False, "senses": 1, "protect": False}
CASES: list[tuple[str, object]] = [
    ("synonym_swap (as before)", {"op": "synonym_swap", "settings": BEFORE}),
    ("synonym_swap", {"op": "synonym_swap", "settings": {}}),
    ("synonym_insert (as before)", {"op": "synonym_insert", "settings": BEFORE}),
    ("synonym_insert", {"op": "synonym_insert", "settings": {}}),
    ("word_swap", {"op": "word_swap", "settings": {}}),
    ("word_delete", {"op": "word_delete", "settings": {}}),
    ("preset synonyms (as before)", {"op": "synonym_swap", "settings": {**BEFORE, "aug_p": 0.2, "aug_max": 5}}),
    ("preset synonyms", "synonyms"),
    ("preset eda", "eda"),
]
# (new row, its "as before" row): each is also measured at the other's changed fraction.
MATCHED = [("preset synonyms", "preset synonyms (as before)")]
GOAL = {"mean": 0.90, "p10": 0.80, "tolerance": 0.02}  # issue 15: at the same changed fraction (±0.02)
_CLOSE = 0.01  # how near a scaled run must land on its target fraction
_TRIES = 4


def pipeline_for(spec, scale: float = 1.0):
    """The row's pipeline; `scale` multiplies every step's `aug_p` (capped at 1) and `aug_max`."""
    from augmenters import Pipeline

    if isinstance(spec, str):
        raw = Pipeline.load(spec).to_dict()
    else:
        raw = {"schema": 1, "name": spec["op"], "modality": "text", "steps": [{"op": spec["op"], "p": 1.0, "settings": spec["settings"]}]}
    if scale != 1.0:
        for step in raw["steps"]:
            settings = step.setdefault("settings", {})
            settings.update(rates(step["op"], settings, scale))
    return Pipeline.from_dict(raw)


def rates(op: str, settings: dict, scale: float) -> dict:
    """The step's `aug_p` and `aug_max` times `scale` (its defaults where the step leaves them out)."""
    from augmenters import registry

    full = registry.get(op).validate_settings(settings)
    return {"aug_p": round(min(1.0, full["aug_p"] * scale), 4), "aug_max": max(1, math.ceil(full["aug_max"] * scale))}


def random_replacement(source: str, fraction: float, pool: list[str], rng: np.random.Generator) -> str:
    """`source` with round(fraction × words) random words replaced by random words of `pool`."""
    from augmenters.text._tokens import choose, tokenize, word_indices

    tokens = tokenize(source)
    where = word_indices(tokens)
    m = min(len(where), int(round(fraction * len(where))))
    for k in choose(rng, len(where), m):
        word = tokens[where[k]]
        new = word
        while new.lower() == word.lower():
            new = pool[int(rng.integers(len(pool)))]
        tokens[where[k]] = new
    return "".join(tokens)


def summarise(sims: list[float]) -> tuple[float, float]:
    values = np.asarray(sims, dtype=float)
    return float(values.mean()), float(np.percentile(values, 10))


def measure(pipeline, sentences: list[str], variants: int, seed: int, pool: list[str], rng: np.random.Generator) -> dict:
    """Changed fraction, mean and p10 similarity of the pipeline's variants and of the random baseline."""
    from augmenters.similarity import _embeddings, changed_words, similarities

    _embeddings._items.clear()  # every row pays for its own scoring: s/sample compares like with like
    changed, sims, base_changed, base_sources, base_outputs = [], [], [], [], []
    started = time.perf_counter()
    for i, source in enumerate(sentences):
        for k in range(variants):
            out, record = pipeline(source, seed=seed, index=i * variants + k)
            changed.append(record["changed"])
            sims.append(record["similarity"])
            base = random_replacement(source, record["changed"], pool, rng)
            base_sources.append(source)
            base_outputs.append(base)
            base_changed.append(changed_words(source, base)[0])
    per_sample = (time.perf_counter() - started) / len(changed)
    mean, p10 = summarise(sims)
    bmean, bp10 = summarise(similarities(base_sources, base_outputs))
    return {"changed": float(np.mean(changed)), "mean": mean, "p10": p10, "base_changed": float(np.mean(base_changed)),
            "base_mean": bmean, "base_p10": bp10, "per_sample": per_sample}


def row(name: str, m: dict) -> str:
    return (
        f"| {name} | {m['changed']:.3f} | {m['mean']:.3f} | {m['p10']:.3f} | {m['base_changed']:.3f} "
        f"| {m['base_mean']:.3f} | {m['base_p10']:.3f} | {m['per_sample']:.3f} |"
    )


def matched(spec, target: float, first: dict, measure_at) -> tuple[float, dict]:
    """(scale, result): the spec's rates scaled until its changed fraction is within _CLOSE of
    `target`, starting from `first` (its result unscaled); at most _TRIES more runs."""
    scale, result = 1.0, first
    for _ in range(_TRIES):
        if abs(result["changed"] - target) <= _CLOSE or result["changed"] <= 0:
            break
        scale *= target / result["changed"]
        before, result = result, measure_at(pipeline_for(spec, scale))
        if abs(result["changed"] - before["changed"]) < 0.002:
            break  # saturated: every word with a fitting synonym already changes
    return scale, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default="", help="comma-separated substrings of row names")
    parser.add_argument("--sentences", type=int, default=40, help="use the first N sentences (quick checks)")
    args = parser.parse_args()

    from augmenters.text._tokens import words

    sentences = [s for s in SENTENCES.read_text(encoding="utf-8").splitlines() if s.strip()][: args.sentences]
    pool = sorted({w.lower() for s in sentences for w in words(s)})
    rng = np.random.default_rng(args.seed)
    wanted = [w for w in args.only.split(",") if w]
    print(f"{len(sentences)} sentences × {args.variants} variants, seed {args.seed}\n")
    print("| op / preset | changed | mean sim | p10 sim | random baseline changed | mean sim | p10 sim | s/sample |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")

    def measure_at(pipeline) -> dict:
        return measure(pipeline, sentences, args.variants, args.seed, pool, rng)

    results: dict[str, dict] = {}
    specs = dict(CASES)
    for name, spec in CASES:
        if wanted and not any(w in name for w in wanted):
            continue
        results[name] = measure_at(pipeline_for(spec))
        print(row(name, results[name]), flush=True)

    verdicts = []
    for new, old in MATCHED:
        if new not in results or old not in results:
            continue
        for this, other in ((new, old), (old, new)):
            target = results[other]["changed"]
            scale, result = matched(specs[this], target, results[this], measure_at)
            if scale == 1.0:
                how = f"within {_CLOSE} as it is: the row above"
            else:
                settings = rates(*_first_step(specs[this]), scale)
                how = f"aug_p {settings['aug_p']}, aug_max {settings['aug_max']}"
            print(row(f"{this} at {other}'s changed fraction ({how})", result), flush=True)
            if this == new:
                verdicts.append(verdict(new, old, result, target))
    for line in verdicts:
        print("\n" + line)


def _first_step(spec) -> tuple[str, dict]:
    """(op, settings) of the spec's first step, the one whose rates are scaled."""
    from augmenters import Pipeline

    if isinstance(spec, str):
        step = Pipeline.load(spec).to_dict()["steps"][0]
        return step["op"], step.get("settings", {})
    return spec["op"], spec["settings"]


def verdict(new: str, old: str, result: dict, target: float) -> str:
    """Whether the goal holds for `new` at `old`'s changed fraction."""
    near = abs(result["changed"] - target) <= GOAL["tolerance"]
    met = near and result["mean"] >= GOAL["mean"] and result["p10"] >= GOAL["p10"]
    return (
        f"Goal (mean >= {GOAL['mean']}, p10 >= {GOAL['p10']} at {old}'s changed fraction {target:.3f} ± {GOAL['tolerance']}): "
        f"{'MET' if met else 'NOT MET'} by {new}: changed {result['changed']:.3f}"
        f"{'' if near else ' (outside the tolerance)'}, mean {result['mean']:.3f}, p10 {result['p10']:.3f}"
    )


if __name__ == "__main__":
    main()
