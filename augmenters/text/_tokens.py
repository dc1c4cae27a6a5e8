"""Tokenisation that round-trips: joining the tokens gives back the input byte for byte.

Every character lands in exactly one token: a word (letters, digits, inner apostrophes
and hyphens, any script), a run of whitespace, or a single other character (punctuation,
emoji). Ops edit word tokens and leave everything else untouched.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\w+(?:['’\-]\w+)*|\s+|[^\w\s]")


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text)


def is_word(token: str) -> bool:
    return bool(token) and (token[0].isalnum() or token[0] == "_")


def word_indices(tokens: list[str]) -> list[int]:
    """Positions of the word tokens inside the token list."""
    return [i for i, tok in enumerate(tokens) if is_word(tok)]


def words(text: str) -> list[str]:
    return [t for t in tokenize(text) if is_word(t)]


def count_to_change(n_items: int, aug_p: float, aug_min: int, aug_max: int) -> int:
    """How many of `n_items` to touch: aug_p of them, at least aug_min, at most aug_max (nlpaug's rule)."""
    n = int(round(aug_p * n_items))
    n = max(aug_min, min(aug_max, n))
    return max(0, min(n, n_items))
