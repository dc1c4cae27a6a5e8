"""How much meaning the text ops keep, against random word replacement at the same changed fraction.

On 40 held-out English sentences (bench/data/fidelity_en.txt, written for this bench and used
nowhere else) × 3 variants, each op and preset is run through the Pipeline; every variant gets
the project's own MiniLM similarity to its source and the fraction of words changed. The
baseline replaces, in each sentence, as many random words as that op's variant changed by
random words from the other sentences, so both columns sit at the same changed fraction.

    python bench/text_fidelity.py [--variants 3] [--seed 0] [--only synonyms,eda]
"""

from __future__ import annotations

import argparse
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


def pipeline_for(spec):
    from augmenters import Pipeline, registry
    from augmenters.pipeline import Step

    if isinstance(spec, str):
        return Pipeline.load(spec)
    return Pipeline([Step(op=spec["op"], p=1.0, settings=registry.get(spec["op"]).validate_settings(spec["settings"]))], name=spec["op"])


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default="", help="comma-separated substrings of row names")
    parser.add_argument("--sentences", type=int, default=40, help="use the first N sentences (quick checks)")
    args = parser.parse_args()

    from augmenters.similarity import changed_words, similarities
    from augmenters.text._tokens import words

    sentences = [s for s in SENTENCES.read_text(encoding="utf-8").splitlines() if s.strip()][: args.sentences]
    pool = sorted({w.lower() for s in sentences for w in words(s)})
    rng = np.random.default_rng(args.seed)
    wanted = [w for w in args.only.split(",") if w]
    print(f"{len(sentences)} sentences × {args.variants} variants, seed {args.seed}\n")
    print("| op / preset | changed | mean sim | p10 sim | random baseline changed | mean sim | p10 sim | s/sample |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, spec in CASES:
        if wanted and not any(w in name for w in wanted):
            continue
        pipeline = pipeline_for(spec)
        changed, sims, base_changed, base_sources, base_outputs = [], [], [], [], []
        started = time.perf_counter()
        for i, source in enumerate(sentences):
            for k in range(args.variants):
                out, record = pipeline(source, seed=args.seed, index=i * args.variants + k)
                changed.append(record["changed"])
                sims.append(record["similarity"])
                base = random_replacement(source, record["changed"], pool, rng)
                base_sources.append(source)
                base_outputs.append(base)
                base_changed.append(changed_words(source, base)[0])
        per_sample = (time.perf_counter() - started) / len(changed)
        base_sims = similarities(base_sources, base_outputs)
        mean, p10 = summarise(sims)
        bmean, bp10 = summarise(base_sims)
        print(
            f"| {name} | {np.mean(changed):.3f} | {mean:.3f} | {p10:.3f} | {np.mean(base_changed):.3f} "
            f"| {bmean:.3f} | {bp10:.3f} | {per_sample:.3f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
