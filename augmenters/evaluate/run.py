"""`evaluate`: split, export the training originals' variants, train both arms per seed, score, report.

Both arms of a seed start from the same initial weights and take the same number of
optimisation steps, so the augmented arm gets different data, not more training. The time
estimate comes first; `budget_minutes` caps the work (fewer seeds, then fewer steps) and the
report says what was cut.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from ..core.errors import InputError
from ..export import ExportOptions, SourceLimits, estimate as estimate_export
from ..export.run import open_for
from ..io import write_text_atomic
from ..pipeline import MAX_SEED, Pipeline
from . import data, models, report, stats
from .split import Split, stratified_holdout

ARGS_FILE = ".augplay-evaluate.json"
TEXT_SECONDS_PER_ROW = 0.0005  # TF-IDF + logistic regression on short texts, measured here
FEW_HELDOUT = 30  # below this, one item is more than 3 points of accuracy
MIN_STEPS = 200  # a small dataset still gets enough steps for both arms to settle (under-training favours the easier arm)
BUDGET_FLOOR_STEPS = 50  # below this a from-scratch CNN has barely started: a budget never cuts further
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class EvaluationOptions:
    variants: int = 4
    seeds: int = 3
    seed: int = 0
    holdout: float = 0.2
    budget_minutes: float | None = None
    epochs: float = 30.0  # passes over the training originals; sets the step count of BOTH arms
    image_size: int = models.IMAGE_SIZE
    batch: int = models.BATCH
    threads: int = 1
    workers: int = 1
    text_column: str | None = None
    label_column: str | None = None
    id_column: str | None = None

    def check(self) -> None:
        if not 1 <= self.variants <= 100:
            raise InputError(f"--variants must be from 1 to 100, got {self.variants}")
        if not 1 <= self.seeds <= 20:
            raise InputError(f"--seeds must be from 1 to 20, got {self.seeds}")
        if isinstance(self.seed, bool) or not 0 <= self.seed <= MAX_SEED:
            raise InputError(f"--seed must be a whole number from 0 to {MAX_SEED}, got {self.seed}")
        if not 0 < self.holdout < 1:
            raise InputError(f"--holdout must be a fraction between 0 and 1 (e.g. 0.2), got {self.holdout}")
        if self.budget_minutes is not None and not self.budget_minutes > 0:
            raise InputError(f"--budget-minutes must be above 0, got {self.budget_minutes}")
        if not 0 < self.epochs <= 1000:
            raise InputError(f"--epochs must be above 0 and at most 1000, got {self.epochs}")
        if not 8 <= self.image_size <= 128:
            raise InputError(f"the image size must be from 8 to 128 pixels, got {self.image_size}")

    def export_options(self) -> ExportOptions:
        return ExportOptions(text_column=self.text_column, label_column=self.label_column, id_column=self.id_column)


@dataclass
class Plan:
    """What will run, after the budget: the estimate's numbers and what was cut."""

    modality: str
    split: Split
    seeds: int
    steps: int  # per arm per seed (images); 0 for the text model, fitted to convergence
    estimate: dict
    cuts: list[str] = field(default_factory=list)


@dataclass
class Evaluation:
    report: dict
    out: Path | None = None
    chart: Path | None = None


def _open(pipeline: Pipeline, input_path, options: EvaluationOptions, limits: SourceLimits):
    options.check()
    pipeline.check_available()
    return open_for(pipeline, Path(input_path), options.export_options(), limits)


def planned_steps(train_items: int, options: EvaluationOptions) -> int:
    return max(MIN_STEPS, math.ceil(options.epochs * train_items / options.batch))


def make_plan(pipeline: Pipeline, input_path, source, options: EvaluationOptions, limits: SourceLimits) -> Plan:
    """Counts, a time estimate from a few real export rows and timed training steps, and the budget's cuts."""
    split = stratified_holdout(source.items, options.holdout, options.seed)
    export_est = estimate_export(pipeline, input_path, replace(options.export_options(), variants=options.variants), limits=limits)
    rows = len(split.train) * options.variants
    export_seconds = export_est["seconds_per_row"] * rows / max(1, min(options.workers, os.cpu_count() or 1))
    load_seconds = 0.001 * (len(source.items) + rows)  # decode + downscale of small files: ~1 ms each here
    seeds, steps, cuts = options.seeds, 0, []
    if source.modality == "image":
        steps = planned_steps(len(split.train), options)
        with models.fixed_threads(options.threads):
            step_seconds = models.time_cnn_step(len(split.classes), options.image_size, min(options.batch, len(split.train)))
        per_seed = 2 * steps * step_seconds
    else:
        if seeds > 1:
            cuts.append(f"the text model is deterministic (convex, fitted to convergence): 1 fit per arm, not {seeds} seeds")
            seeds = 1
        per_seed = TEXT_SECONDS_PER_ROW * (2 * len(split.train) + rows)  # both arms' fits
        step_seconds = 0.0
    fixed = export_seconds + load_seconds
    if options.budget_minutes is not None and source.modality == "image":
        seeds, steps, more = _cap(options.budget_minutes * 60, fixed, step_seconds, seeds, steps)
        cuts += more
        per_seed = 2 * steps * step_seconds
    total = fixed + seeds * per_seed
    estimate = {
        "items": len(source.items),
        "train_items": len(split.train),
        "heldout_items": len(split.heldout),
        "classes": len(split.classes),
        "variant_rows": rows,
        "seeds": seeds,
        "steps_per_arm": steps,
        "seconds_per_step": round(step_seconds, 5),
        "export_seconds": round(export_seconds, 1),
        "train_seconds": round(seeds * per_seed, 1),
        "total_seconds": round(total, 1),
    }
    if options.budget_minutes is not None and total > options.budget_minutes * 60 * 1.1:
        cuts.append(f"even cut down, this takes about {_spoken(total)}, above the {_spoken(options.budget_minutes * 60)} budget")
    return Plan(source.modality, split, seeds, steps, estimate, cuts)


def _spoken(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.1f} min"


def _cap(budget: float, fixed: float, step_seconds: float, seeds: int, steps: int) -> tuple[int, int, list[str]]:
    """Fewer seeds first (down to 1), then fewer steps (down to BUDGET_FLOOR_STEPS), until the estimate fits."""
    cuts = []
    per_seed = 2 * steps * step_seconds
    fit = max(1, int((budget - fixed) // per_seed)) if per_seed > 0 else seeds
    if fit < seeds:
        cuts.append(f"budget: {seeds} seeds cut to {fit}")
        seeds = fit
    if fixed + seeds * 2 * steps * step_seconds > budget and step_seconds > 0:
        fewer = max(BUDGET_FLOOR_STEPS, int((budget - fixed) / (2 * seeds * step_seconds)))
        if fewer < steps:
            cuts.append(f"budget: {steps} steps per arm cut to {fewer}")
            steps = fewer
    return seeds, steps, cuts


def make_plan_for(
    pipeline: Pipeline, input_path, options: EvaluationOptions = EvaluationOptions(), limits: SourceLimits = SourceLimits()
) -> Plan:
    """The plan and time estimate alone, before anything is written (pass it on to `evaluate`)."""
    source = _open(pipeline, input_path, options, limits)
    try:
        return make_plan(pipeline, input_path, source, options, limits)
    finally:
        source.close()


def estimate_evaluation(
    pipeline: Pipeline, input_path, options: EvaluationOptions = EvaluationOptions(), limits: SourceLimits = SourceLimits()
) -> dict:
    plan = make_plan_for(pipeline, input_path, options, limits)
    return {**plan.estimate, "cuts": plan.cuts}


@contextmanager
def workspace(out, arguments: dict) -> Iterator[Path]:
    """`out` (new, or an earlier evaluation with the same arguments: its export is reused), or a temp folder."""
    if out is None:
        with tempfile.TemporaryDirectory(prefix="augplay-evaluate-") as tmp:
            yield Path(tmp)
        return
    out = Path(out)
    marker = out / ARGS_FILE
    if out.exists() and any(out.iterdir()):
        if not marker.exists():
            raise InputError(f"{out} is not empty and holds no augplay evaluation: pick a new or empty folder")
        before = json.loads(marker.read_text(encoding="utf-8"))
        changed = sorted(k for k in arguments if before.get(k) != arguments[k])
        if changed:
            raise InputError(f"{out} holds an evaluation with other arguments ({', '.join(changed)} differ): pick a new folder")
    out.mkdir(parents=True, exist_ok=True)
    write_text_atomic(marker, json.dumps(arguments, indent=2, sort_keys=True) + "\n")
    yield out


def evaluate(
    pipeline: Pipeline,
    input_path,
    options: EvaluationOptions = EvaluationOptions(),
    *,
    out=None,
    limits: SourceLimits = SourceLimits(),
    progress: Progress | None = None,
    plan: Plan | None = None,
) -> Evaluation:
    """The whole evaluation; writes evaluation.json, the chart and the card section under `out` when given."""
    started = time.perf_counter()
    source = _open(pipeline, input_path, options, limits)
    try:
        plan = plan or make_plan(pipeline, input_path, source, options, limits)
        arguments = {
            "input": str(Path(input_path).resolve()),
            "pipeline": pipeline.to_dict(),
            "variants": options.variants,
            "seed": options.seed,
            "split": plan.split.digest(),
        }
        with workspace(out, arguments) as root:
            result = _evaluate(pipeline, source, plan, options, root, progress, started)
            if out is None:
                return Evaluation(result)
            chart = report.write(root, result)
            return Evaluation(result, root, chart)
    finally:
        source.close()


def _evaluate(pipeline, source, plan: Plan, options, root: Path, progress, started: float) -> dict:
    split, rows = plan.split, plan.estimate["variant_rows"]
    total = rows + plan.seeds * (2 * plan.steps if plan.modality == "image" else 2)
    done = 0

    def step(stage: str, n: int = 1) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total, stage)

    def exported(finished: int, _rows: int) -> None:
        if progress:
            progress(min(finished, rows), total, "making variants")

    features = models.image_features(options.image_size) if plan.modality == "image" else models.text_features
    t0 = time.perf_counter()
    arms = data.prepare(
        pipeline, source, split, root, variants=options.variants, seed=options.seed, workers=options.workers,
        features=features, progress=exported,
    )
    if not arms.originals or not arms.heldout:
        raise InputError(f"nothing left to {'train on' if not arms.originals else 'test on'}: {len(arms.skipped)} item(s) did not load")
    done = rows
    timing = {"export_and_load_seconds": round(time.perf_counter() - t0, 2)}
    classes = list(split.classes)
    truth = np.array([classes.index(e.target) for e in arms.heldout])
    runs, cuts = [], list(plan.cuts)
    if len(arms.heldout) < FEW_HELDOUT:
        cuts.append(f"only {len(arms.heldout)} held-out items: too few to see a small difference; hold out more or add data")
    budget = options.budget_minutes * 60 if options.budget_minutes is not None else None
    t0 = time.perf_counter()
    for run in range(plan.seeds):
        if budget is not None and run > 0 and time.perf_counter() - started > budget:
            cuts.append(f"budget: stopped after {run} of {plan.seeds} seeds (the time ran out)")
            break
        runs.append(_train_pair(plan, options, arms, classes, run, lambda n=1: step(f"training, seed {run + 1}", n)))
    timing["train_seconds"] = round(time.perf_counter() - t0, 2)
    timing["total_seconds"] = round(time.perf_counter() - started, 2)
    return report.build(
        pipeline=pipeline,
        input_name=Path(source.path).name if source.path else source.kind,
        options=options,
        plan=plan,
        arms=arms,
        classes=classes,
        truth=truth,
        runs=runs,
        cuts=cuts,
        timing=timing,
    )


def _train_pair(plan: Plan, options, arms: data.ArmData, classes: list[str], run: int, tick) -> dict:
    """Baseline then augmented, same seed, same init, same step count; predictions on the held-out items."""
    base, extra = arms.originals, arms.originals + arms.variants
    if plan.modality == "text":
        out = {}
        for arm, examples in (("baseline", base), ("augmented", extra)):
            fit = models.train_text([e.features for e in examples], [e.target for e in examples], [e.features for e in arms.heldout], classes)
            out[arm] = {"predictions": fit.predictions, "steps": None, "iterations": fit.iterations, "examples": len(examples)}
            tick()
        return out
    test_x = models.stack([e.features for e in arms.heldout])
    out = {}
    with models.fixed_threads(options.threads):
        for arm, examples in (("baseline", base), ("augmented", extra)):
            x = models.stack([e.features for e in examples])
            y = models.targets([e.target for e in examples], classes)
            fit = models.train_cnn(x, y, test_x, steps=plan.steps, seed=options.seed, run=run, batch=options.batch, tick=tick)
            out[arm] = {"predictions": fit.predictions, "steps": fit.steps, "final_loss": fit.final_loss, "examples": len(examples)}
    return out


