"""A fixed, stratified held-out split of the ORIGINAL items: the same seed always gives the same split."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from ..core.errors import InputError
from ..export.sources import Item

SPLIT_STREAM = 0x5B17  # keeps the split's stream apart from the training streams drawn from the same seed


@dataclass(frozen=True)
class Split:
    train: tuple[str, ...]  # item ids, in source order
    heldout: tuple[str, ...]
    classes: tuple[str, ...]

    def digest(self) -> str:
        """Names the split: two evaluations with the same digest trained and tested on the same items."""
        text = "\n".join(self.train) + "\n--\n" + "\n".join(self.heldout)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def stratified_holdout(items: list[Item], fraction: float, seed: int) -> Split:
    """Per class, `fraction` of its items (at least one, never all) held out; drawn from `seed` alone."""
    if not 0 < fraction < 1:
        raise InputError(f"--holdout must be a fraction between 0 and 1 (e.g. 0.2), got {fraction}")
    usable = [item for item in items if item.error is None]
    unlabelled = [item.id for item in usable if item.label is None]
    if unlabelled:
        raise InputError(
            f"evaluation needs a label on every item ({len(unlabelled)} have none, e.g. {unlabelled[0]!r}): "
            "use class sub-folders, or a label column"
        )
    by_class: dict[str, list[str]] = defaultdict(list)
    for item in sorted(usable, key=lambda i: i.id):  # by id: the split never depends on listing order
        by_class[item.label].append(item.id)
    if len(by_class) < 2:
        raise InputError(f"evaluation needs at least two classes; the input has {len(by_class)}")
    small = sorted(label for label, ids in by_class.items() if len(ids) < 2)
    if small:
        raise InputError(f"every class needs at least 2 items (one to train on, one to test on); too few in: {', '.join(small)}")
    held: set[str] = set()
    for label, ids in sorted(by_class.items()):
        count = min(len(ids) - 1, max(1, int(round(fraction * len(ids)))))
        # Keyed by the class name, so adding a class never reshuffles another class's split.
        key = int.from_bytes(hashlib.sha256(label.encode("utf-8")).digest()[:8], "big")
        rng = np.random.default_rng(np.random.SeedSequence([seed, SPLIT_STREAM, key]))
        held.update(ids[j] for j in rng.permutation(len(ids))[:count])
    order = [item.id for item in usable]
    return Split(
        train=tuple(i for i in order if i not in held),
        heldout=tuple(i for i in order if i in held),
        classes=tuple(sorted(by_class)),
    )
