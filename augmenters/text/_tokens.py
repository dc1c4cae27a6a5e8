"""Tokenisation that round-trips: joining the tokens gives back the input byte for byte.

Every character lands in exactly one token: a word (letters, digits, combining marks,
inner apostrophes and hyphens, any script), a run of whitespace, or one grapheme
cluster of anything else (punctuation, an emoji with its modifiers and joiners).
Ops edit word tokens and leave everything else untouched.

The `regex` module (a dependency of transformers) is used because its `\\w` includes
combining marks, so Hindi words or decomposed accents ("cafe\\u0301") stay one word.
"""

from __future__ import annotations

import regex

_TOKEN = regex.compile(r"\w+(?:['’\-]\w+)*|\s+|(?![\w\s])\X")
_WORD_START = regex.compile(r"\w")  # the first alternative wins, so a token starting with \w is a word


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text)


def is_word(token: str) -> bool:
    first = token[:1]
    if first.isalpha() or first.isdecimal():  # fast path: letters and decimal digits are always \w
        return True
    return bool(first) and not first.isspace() and _WORD_START.match(first) is not None


def is_single_word(text: str) -> bool:
    """True when the text tokenises as exactly one word, so an edit keeps the token layout."""
    if text.isalnum():  # the common case, and letters and digits are always one \w+ run
        return True
    tokens = _TOKEN.findall(text)
    return len(tokens) == 1 and is_word(tokens[0])


def is_plain_space(token: str) -> bool:
    """Spaces only: safe to drop beside a deleted word (a tab or line break is layout, kept)."""
    return bool(token) and not token.strip(" ")


def word_indices(tokens: list[str]) -> list[int]:
    """Positions of the word tokens inside the token list."""
    return [i for i, tok in enumerate(tokens) if is_word(tok)]


def words(text: str) -> list[str]:
    return [t for t in tokenize(text) if is_word(t)]


def choose(rng, n_items: int, k: int) -> list[int]:
    """k distinct indices of n_items, ascending. rng.permutation is ~4x faster than rng.choice(replace=False)."""
    return sorted(int(j) for j in rng.permutation(n_items)[:k])


def count_to_change(n_items: int, aug_p: float, aug_min: int, aug_max: int) -> int:
    """How many of `n_items` to touch: aug_p of them, at least aug_min, at most aug_max (nlpaug's rule)."""
    n = int(round(aug_p * n_items))
    n = max(aug_min, min(aug_max, n))
    return max(0, min(n, n_items))


def match_case(template: str, word: str) -> str:
    """Give `word` the casing pattern of `template`: UPPER, Title or as it is."""
    if len(template) > 1 and template.isupper():
        return word.upper()
    if template[:1].isupper() and (len(template) == 1 or template[1:].islower()):
        return word[:1].upper() + word[1:]
    return word
