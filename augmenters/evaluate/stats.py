"""Scores and their uncertainty: accuracy, macro-F1, per-class recall, the paired bootstrap, the verdict.

The interval resamples the held-out items (and, with several seeds, the seeds) with
replacement and recomputes the mean paired difference (augmented minus baseline, on the
same items and the same seeds) each time: it says how much the difference could move on
another draw of test items and training runs of the same size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BOOTSTRAP_STREAM = 0xB007
REPLICATES = 4000
LEVEL = 0.95


def accuracy(predicted: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean(predicted == truth)) if len(truth) else 0.0


def macro_f1(predicted: np.ndarray, truth: np.ndarray, classes: int) -> float:
    """The mean over classes of F1 (a class never predicted nor present scores 0, as scikit-learn's default)."""
    scores = []
    for c in range(classes):
        tp = np.sum((predicted == c) & (truth == c))
        fp = np.sum((predicted == c) & (truth != c))
        fn = np.sum((predicted != c) & (truth == c))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
    return float(np.mean(scores))


def per_class_recall(predicted: np.ndarray, truth: np.ndarray, classes: int) -> np.ndarray:
    return np.array([float(np.mean(predicted[truth == c] == c)) if np.any(truth == c) else np.nan for c in range(classes)])


@dataclass(frozen=True)
class Interval:
    difference: float  # mean paired difference in accuracy (a fraction: 0.012 = 1.2 points)
    low: float
    high: float
    level: float
    replicates: int


def paired_bootstrap(baseline_correct: np.ndarray, augmented_correct: np.ndarray, seed: int) -> Interval:
    """Percentile interval of the mean paired accuracy difference. Inputs: (seeds, items) arrays of 0/1."""
    diff = augmented_correct.astype(np.float64) - baseline_correct.astype(np.float64)
    seeds, items = diff.shape
    rng = np.random.default_rng(np.random.SeedSequence([seed, BOOTSTRAP_STREAM]))
    # An item drawn m times counts m times: multinomial counts give every replicate at once.
    counts = rng.multinomial(items, np.full(items, 1.0 / items), size=REPLICATES)
    per_seed = counts @ diff.T / items  # (replicates, seeds)
    if seeds > 1:
        picks = rng.integers(0, seeds, size=(REPLICATES, seeds))
        per_seed = np.take_along_axis(per_seed, picks, axis=1)
    means = per_seed.mean(axis=1)
    tail = (1 - LEVEL) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return Interval(float(diff.mean()), float(low), float(high), LEVEL, REPLICATES)


def points(value: float) -> str:
    """A difference in accuracy as signed percentage points."""
    return f"{value * 100:+.1f}"


def verdict(interval: Interval, heldout: int, seeds: int) -> dict:
    """Plain words that claim no more than the interval supports."""
    span = f"{points(interval.low)} to {points(interval.high)} points ({interval.level:.0%} interval)"
    scope = f"on {heldout} held-out items, {seeds} seed(s), with a small model trained from scratch"
    if interval.low > 0:
        word = "helps"
        text = f"Helps: held-out accuracy rose by {points(interval.difference)[1:]} points, {span}, all above 0, {scope}."
    elif interval.high < 0:
        word = "hurts"
        text = f"Hurts: held-out accuracy fell by {points(interval.difference)[1:]} points, {span}, all below 0, {scope}."
    else:
        word = "no measurable difference"
        text = (
            f"No measurable difference: the change is {points(interval.difference)} points, but the interval, {span}, "
            f"includes 0, {scope}. More held-out items or seeds would narrow it."
        )
    return {"word": word, "text": text}
