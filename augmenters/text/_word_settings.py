"""The 'how much to change' settings the word and char ops share."""

from __future__ import annotations

from ..core.params import Float, Int


def amount_settings(what: str = "words", p: float = 0.1, most: int = 10) -> tuple:
    return (
        Float("aug_p", default=p, min=0.0, max=1.0, step=0.01, help=f"Fraction of {what} to change"),
        Int("aug_min", default=1, min=0, max=1000, help=f"Change at least this many {what}"),
        Int("aug_max", default=most, min=0, max=100000, help=f"Change at most this many {what}"),
    )
