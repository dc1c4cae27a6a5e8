"""Shared parts of the character ops: their settings and how they pick characters in a word."""

from __future__ import annotations

import string
from typing import Any, Callable, Sequence

import numpy as np

from ..core.params import Flag, Float, Int, MultiChoice
from ._tokens import choose, count_to_change
from ._word_edits import WordEdit

ALPHABETS = {"lower": string.ascii_lowercase, "upper": string.ascii_uppercase, "digits": string.digits}


def char_settings(char_p: float = 0.3, word_p: float = 0.3) -> tuple:
    """nlpaug's RandomCharAug knobs, under the same names."""
    return (
        Float("aug_char_p", default=char_p, min=0.0, max=1.0, step=0.01, help="Fraction of characters to change in a chosen word"),
        Int("aug_char_min", default=1, min=0, max=100, help="Change at least this many characters per chosen word"),
        Int("aug_char_max", default=10, min=0, max=1000, help="Change at most this many characters per chosen word"),
        Float("aug_word_p", default=word_p, min=0.0, max=1.0, step=0.01, help="Fraction of words to change"),
        Int("aug_word_min", default=1, min=0, max=1000, help="Change at least this many words"),
        Int("aug_word_max", default=10, min=0, max=100000, help="Change at most this many words"),
        Int("min_chars", default=4, min=1, max=100, help="Leave words shorter than this alone"),
        Flag("keep_first_last", default=False, help="Never touch a word's first and last character"),
    )


def alphabet_setting() -> MultiChoice:
    return MultiChoice(
        "characters",
        default=("lower",),
        choices=tuple(ALPHABETS),
        help="Which characters may be written (nlpaug's default is all three)",
    )


def alphabet(settings: dict[str, Any]) -> str:
    return "".join(ALPHABETS[name] for name in settings["characters"])


class CharEdit(WordEdit):
    """A word op that changes a few characters of each chosen word."""

    family = "char"
    word_amount = ("aug_word_p", "aug_word_min", "aug_word_max")

    def slots(self, word: str, settings: dict[str, Any]) -> list[int]:
        """Indices this op may act on, before `keep_first_last`: letters and digits, not apostrophes."""
        return [i for i, ch in enumerate(word) if ch.isalnum()]

    def positions(self, word: str, settings: dict[str, Any]) -> list[int]:
        slots = self.slots(word, settings)
        if settings["keep_first_last"]:
            slots = [i for i in slots if 0 < i < len(word) - 1]
        return slots

    def eligible(self, word: str, settings: dict[str, Any]) -> bool:
        return len(word) >= settings["min_chars"] and bool(self.positions(word, settings))

    def pick(self, word: str, settings: dict[str, Any], rng: np.random.Generator, limit: int | None = None) -> list[int]:
        """Chosen positions, ascending: aug_char_p of the word's length within [min, max]."""
        slots = self.positions(word, settings)
        n = count_to_change(len(word), settings["aug_char_p"], settings["aug_char_min"], settings["aug_char_max"])
        n = min(n, len(slots), len(word) if limit is None else limit)
        if n <= 0:
            return []
        return [slots[j] for j in choose(rng, len(slots), n)]


def substitute_chars(
    word: str, chosen: list[int], options_for: Callable[[str], Sequence[str]], rng: np.random.Generator
) -> str | None:
    """Replace each chosen character by one of `options_for(char)`; None when nothing could be replaced.

    One uniform draw per word, not one Generator call per character: the calls dominate the cost.
    """
    chars = list(word)
    changed = False
    for i, u in zip(chosen, rng.random(len(chosen)).tolist()):
        options = options_for(chars[i])
        if options:
            chars[i] = options[int(u * len(options))]
            changed = True
    return "".join(chars) if changed else None
