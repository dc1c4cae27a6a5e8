""""Does it help?": train a small model with and without a pipeline's variants and compare, honestly.

- `split`: a fixed, stratified held-out split of the original items.
- `data`: the training originals exported through the export engine, and the arms' data.
- `models`: a small CPU CNN (images) and TF-IDF + logistic regression (text).
- `stats`: accuracy, macro-F1, per-class changes, the paired bootstrap interval, the verdict.
- `report`: `evaluation.json`, the chart, the dataset-card section, the plain-words summary.
- `run`: all of it, with a time estimate, progress and a time budget.

Nothing here is imported by `augmenters` itself: torch and scikit-learn load only when asked for.
"""

from .run import EvaluationOptions, Evaluation, estimate_evaluation, evaluate

__all__ = ["Evaluation", "EvaluationOptions", "estimate_evaluation", "evaluate"]
