"""What an evaluation says: the `evaluation.json` report, its chart, the dataset-card section, plain lines.

Every number in the report is a function of the arguments (same seed, same numbers), except
the `timing` block, which is wall time.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np

from ..io import write_bytes_atomic, write_text_atomic
from . import stats

REPORT, CHART = "evaluation.json", "evaluation.png"
CARD_HEADING = "## Does it help?"
DETERMINISM = (
    "Same seed, same split, same initial weights and batch order: the numbers repeat exactly on the same machine "
    "and torch build (training on a fixed thread count; every draw from seeded torch.Generator / numpy streams). "
    "Not bit-exact across machines: oneDNN's convolution kernels differ by CPU instruction set and their float sums "
    "round differently, which can flip a borderline prediction. The text model (TF-IDF + logistic regression, lbfgs) "
    "is deterministic."
)


def _r(value: float) -> float:
    return round(float(value), 6)


def build(*, pipeline, input_name, options, plan, arms, classes, truth, runs, cuts, timing) -> dict:
    n_classes = len(classes)
    base_correct = np.stack([r["baseline"]["predictions"] == truth for r in runs])
    aug_correct = np.stack([r["augmented"]["predictions"] == truth for r in runs])
    per_run = []
    for i, r in enumerate(runs):
        arms_out = {}
        for arm in ("baseline", "augmented"):
            got = r[arm]
            arms_out[arm] = {
                "accuracy": _r(stats.accuracy(got["predictions"], truth)),
                "macro_f1": _r(stats.macro_f1(got["predictions"], truth, n_classes)),
                "training_examples": got["examples"],
                "steps": got.get("steps"),
                **({"iterations": got["iterations"]} if "iterations" in got else {"final_loss": _r(got["final_loss"])}),
            }
        arms_out["difference"] = _r(arms_out["augmented"]["accuracy"] - arms_out["baseline"]["accuracy"])
        per_run.append({"seed_run": i, **arms_out})
    interval = stats.paired_bootstrap(base_correct, aug_correct, options.seed)
    recall_base = np.mean([stats.per_class_recall(r["baseline"]["predictions"], truth, n_classes) for r in runs], axis=0)
    recall_aug = np.mean([stats.per_class_recall(r["augmented"]["predictions"], truth, n_classes) for r in runs], axis=0)
    train_counts = {c: 0 for c in classes}
    for e in arms.originals:
        train_counts[e.target] += 1
    per_class = [
        {
            "class": c,
            "train": train_counts[c],
            "heldout": int(np.sum(truth == i)),
            "baseline_accuracy": _r(recall_base[i]),
            "augmented_accuracy": _r(recall_aug[i]),
            "change": _r(recall_aug[i] - recall_base[i]),
        }
        for i, c in enumerate(classes)
    ]
    mean = lambda arm, key: _r(np.mean([r[arm][key] for r in per_run]))  # noqa: E731
    steps_equal = all(r["baseline"]["steps"] == r["augmented"]["steps"] for r in per_run)
    return {
        "schema": 1,
        "modality": plan.modality,
        "input": input_name,
        "pipeline": pipeline.name,
        "pipeline_spec": pipeline.to_dict(),
        "options": {
            "variants": options.variants,
            "seeds_asked": options.seeds,
            "seeds_run": len(runs),
            "seed": options.seed,
            "holdout": options.holdout,
            "epochs": options.epochs,
            "budget_minutes": options.budget_minutes,
            "image_size": options.image_size if plan.modality == "image" else None,
            "batch": options.batch if plan.modality == "image" else None,
            "threads": options.threads,
        },
        "split": {
            "method": f"stratified: {options.holdout:g} of each class's ORIGINAL items held out (at least 1), drawn from seed {options.seed}",
            "train_items": len(arms.originals),
            "heldout_items": len(arms.heldout),
            "digest": plan.split.digest(),
            "heldout_ids": list(plan.split.heldout),
        },
        "leak_check": arms.leak_check,
        "training": {
            "model": _model_words(plan.modality, options),
            "steps_per_arm": plan.steps if plan.modality == "image" else None,
            "equal_steps": steps_equal,
            "same_initial_weights": plan.modality == "image",
            "baseline_examples": len(arms.originals),
            "augmented_examples": len(arms.originals) + len(arms.variants),
        },
        "runs": per_run,
        "overall": {
            "baseline_accuracy": mean("baseline", "accuracy"),
            "augmented_accuracy": mean("augmented", "accuracy"),
            "difference": _r(interval.difference),
            "interval": {
                "low": _r(interval.low),
                "high": _r(interval.high),
                "level": interval.level,
                "replicates": interval.replicates,
                "method": "paired bootstrap over held-out items"
                + (" and seeds" if len(runs) > 1 else "")
                + " of the mean accuracy difference (augmented minus baseline), percentile interval",
            },
            "baseline_macro_f1": mean("baseline", "macro_f1"),
            "augmented_macro_f1": mean("augmented", "macro_f1"),
        },
        "per_class": per_class,
        "verdict": stats.verdict(interval, len(arms.heldout), len(runs)),
        "cuts": cuts,
        "export": {"rows_written": arms.export.written, "rows_failed": arms.export.failed},
        "skipped_items": len(arms.skipped),
        "skipped_examples": arms.skipped[:10],
        "determinism": DETERMINISM,
        "timing": timing,
    }


def _model_words(modality: str, options) -> str:
    if modality == "text":
        return "TF-IDF (words and word pairs) + logistic regression, fitted to convergence in each arm"
    return (
        f"small CNN trained from scratch (2 conv layers, {options.image_size}x{options.image_size} RGB inputs), "
        f"Adam, batch {options.batch}; both arms take the same number of steps from the same initial weights"
    )


# -- words -----------------------------------------------------------------------------------


def pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def summary_markdown(result: dict) -> str:
    """The verdict, the headline table and what was held out: shown in the app and added to the card."""
    o, t, s = result["overall"], result["training"], result["split"]
    seeds = result["options"]["seeds_run"]
    steps = f", {t['steps_per_arm']} optimisation steps per arm" if t["steps_per_arm"] else ""
    lines = [
        f"**{result['verdict']['text']}**",
        "",
        f"| pipeline **{result['pipeline']}** | without augmentation | with augmentation |",
        "|---|---:|---:|",
        f"| held-out accuracy (mean of {seeds} seed{'s' if seeds != 1 else ''}) | {pct(o['baseline_accuracy'])} | {pct(o['augmented_accuracy'])} |",
        f"| held-out macro-F1 | {pct(o['baseline_macro_f1'])} | {pct(o['augmented_macro_f1'])} |",
        f"| training examples | {t['baseline_examples']} | {t['augmented_examples']} |",
        "",
        f"Difference {stats.points(o['difference'])} points, {o['interval']['level']:.0%} interval "
        f"{stats.points(o['interval']['low'])} to {stats.points(o['interval']['high'])} ({o['interval']['method']}).",
        "",
        f"Held out: {s['heldout_items']} original items ({s['method']}); trained on {s['train_items']} originals"
        f", and on those plus {result['options']['variants']} variant(s) each{steps}. {result['leak_check']['statement']}",
    ]
    lines += [f"\n- ⚠ {cut}" for cut in result["cuts"]]
    if result["skipped_items"]:
        lines.append(f"\n- ⚠ {result['skipped_items']} item(s) could not be loaded and were left out.")
    return "\n".join(lines)


def per_class_rows(result: dict) -> list[list]:
    return [
        [c["class"], c["train"], c["heldout"], pct(c["baseline_accuracy"]), pct(c["augmented_accuracy"]), stats.points(c["change"])]
        for c in result["per_class"]
    ]


PER_CLASS_HEADERS = ["class", "train", "held out", "without", "with", "change (points)"]


def lines(result: dict) -> list[str]:
    """The CLI's plain-text report."""
    out = [result["verdict"]["text"], ""]
    out.append(f"{'seed run':>8}  {'without':>8}  {'with':>8}  {'change':>7}")
    for r in result["runs"]:
        out.append(
            f"{r['seed_run']:>8}  {pct(r['baseline']['accuracy']):>8}  {pct(r['augmented']['accuracy']):>8}  {stats.points(r['difference']):>7}"
        )
    o = result["overall"]
    out.append(f"{'mean':>8}  {pct(o['baseline_accuracy']):>8}  {pct(o['augmented_accuracy']):>8}  {stats.points(o['difference']):>7}")
    out.append(
        f"macro-F1 {pct(o['baseline_macro_f1'])} -> {pct(o['augmented_macro_f1'])}; "
        f"{o['interval']['level']:.0%} interval {stats.points(o['interval']['low'])} to {stats.points(o['interval']['high'])} points"
    )
    out += ["", "per class (held-out accuracy):", "  ".join(f"{h:>10}" for h in PER_CLASS_HEADERS)]
    out += ["  ".join(f"{str(v):>10}" for v in row) for row in per_class_rows(result)]
    t = result["training"]
    out += ["", t["model"] + (f"; {t['steps_per_arm']} steps per arm" if t["steps_per_arm"] else "") + ".", result["leak_check"]["statement"]]
    out += [f"note: {cut}" for cut in result["cuts"]]
    if result["skipped_items"]:
        out.append(f"note: {result['skipped_items']} item(s) could not be loaded and were left out")
    return out


# -- files -----------------------------------------------------------------------------------


def chart(result: dict, path: Path) -> Path:
    """Accuracy without/with per seed (left) and the difference with its interval (right), as a small PNG."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    runs, o = result["runs"], result["overall"]
    fig = Figure(figsize=(8, 3), dpi=100, layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=[3, 2])
    x = np.arange(len(runs))
    base = [r["baseline"]["accuracy"] * 100 for r in runs]
    aug = [r["augmented"]["accuracy"] * 100 for r in runs]
    left.bar(x - 0.2, base, 0.4, label="without", color="#9aa5b1")
    left.bar(x + 0.2, aug, 0.4, label="with", color="#3b82f6")
    left.set_xticks(x, [f"seed {r['seed_run']}" for r in runs])
    low = min(base + aug)
    left.set_ylim(max(0, low - 10), max(base + aug) + 8)  # headroom for the legend above the bars
    left.set_ylabel("held-out accuracy (%)")
    left.legend(loc="upper left", fontsize=8, ncols=2)
    left.set_title(f"{result['pipeline']}: accuracy per seed", fontsize=10)
    word = result["verdict"]["word"]
    colour = {"helps": "#16a34a", "hurts": "#dc2626"}.get(word, "#6b7280")
    d, lo, hi = (o["difference"] * 100, o["interval"]["low"] * 100, o["interval"]["high"] * 100)
    right.errorbar([d], [0], xerr=[[d - lo], [hi - d]], fmt="o", color=colour, capsize=6, markersize=8)
    right.axvline(0, color="black", linewidth=1)
    reach = max(abs(lo), abs(hi), 1.0) * 1.3
    right.set_xlim(-reach, reach)
    right.set_yticks([])
    right.set_xlabel("with minus without (points)")
    right.set_title(f"{word} ({o['interval']['level']:.0%} interval)", fontsize=10, color=colour)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    write_bytes_atomic(path, buffer.getvalue())
    return path


def card_section(result: dict) -> str:
    return (
        f"{CARD_HEADING}\n\n"
        "A quick check made with `augplay evaluate`: a small model trained without and with this pipeline's "
        "variants, scored on held-out originals.\n\n"
        f"{summary_markdown(result)}\n\nFull numbers in `../{REPORT}`, chart in `../{CHART}` (the folder that holds this export).\n"
    )


def add_to_card(card: Path, result: dict) -> None:
    """The card's evaluation section, replacing an earlier one (a re-run reuses the export and its card)."""
    text = card.read_text(encoding="utf-8")
    text = text.split(f"\n{CARD_HEADING}\n", 1)[0].rstrip("\n")
    write_text_atomic(card, f"{text}\n\n{card_section(result)}")


def write(root: Path, result: dict) -> Path:
    """evaluation.json and evaluation.png beside the export, and the section in its card; returns the chart."""
    from .data import EXPORT_DIR

    write_text_atomic(root / REPORT, json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    path = chart(result, root / CHART)
    card = root / EXPORT_DIR / "README.md"
    if card.exists():
        add_to_card(card, result)
    return path
