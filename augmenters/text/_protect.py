"""Words the word-level ops leave alone: numbers, dates and times, amounts, URLs, e-mails, code, names.

A synonym for "second" ("2d"), a typo in "3pm" or a swapped URL changes facts, not wording. The
`protect` setting (on by default) guards these; `protect_patterns` (regexes) and `protect_words`
add more, and stay in force when `protect` is off. Each op records the words it protected.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from ..core.params import Flag, TextList
from ._tokens import is_word

# Spans of text whose words are protected; digits are caught per word below.
_DEFAULT_SPANS = regex.compile(
    r"(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)\]]"  # URLs, without the sentence's closing punctuation
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|`[^`\n]+`"  # code spans
    r"|\b\w+(?:_\w+)+\b"  # snake_case identifiers
)
# Number words, ordinals, months and weekdays: a synonym or typo changes a fact.
NUMBER_WORDS = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
    thousand million billion trillion dozen half quarter first second third fourth fifth sixth seventh
    eighth ninth tenth eleventh twelfth twentieth hundredth thousandth once twice noon midnight
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday""".split()
)
_SENTENCE_END = frozenset(".!?…。？！\n")
_OPENERS = frozenset("\"'“‘«([{-—– \t\r")


@dataclass(frozen=True)
class Patterns(TextList):
    """A list of regular expressions; one that does not compile is refused when the settings are checked."""

    def validate(self, value: Any) -> list:
        items = super().validate(value)
        for item in items:
            try:
                regex.compile(item)
            except regex.error as exc:
                raise ValueError(f"{item!r} is not a regular expression ({exc})") from None
        return items


def protect_settings() -> tuple:
    return (
        Flag(
            "protect",
            default=True,
            help="Leave numbers, ordinals, dates and times, amounts, URLs, e-mails, code and mid-sentence names alone",
        ),
        Patterns("protect_patterns", default=(), help="More regular expressions: words inside a match are left alone"),
        TextList("protect_words", default=(), help="More words to leave alone (case-insensitive)"),
    )


@lru_cache(maxsize=256)
def _compiled(patterns: tuple[str, ...]):
    return [regex.compile(p) for p in patterns]


def _is_name(tokens: list[str], i: int) -> bool:
    """A capitalised word that does not start a sentence (or an acronym anywhere)."""
    word = tokens[i]
    if not word[:1].isupper():
        return False
    if len(word) > 1 and word.isupper():
        return True
    for j in range(i - 1, -1, -1):
        tok = tokens[j]
        if any(ch in _SENTENCE_END for ch in tok):
            return False
        if is_word(tok):
            return True
        if not all(ch in _OPENERS for ch in tok):
            return True  # a comma, a colon: still inside the sentence
    return False  # the text's first word


def split(tokens: list[str], where: list[int], settings: dict) -> tuple[list[int], list[int]]:
    """(protected word positions, the others), both ascending."""
    guarded = protected_positions(tokens, where, settings)
    taken = set(guarded)
    return guarded, [k for k in range(len(where)) if k not in taken]


def protected_positions(tokens: list[str], where: list[int], settings: dict) -> list[int]:
    """Word positions (indices into `where`) that the op must not touch, ascending."""
    defaults = settings.get("protect", False)
    patterns = ([_DEFAULT_SPANS] if defaults else []) + _compiled(tuple(settings.get("protect_patterns", ())))
    extra = {w.lower() for w in settings.get("protect_words", ())}
    if not patterns and not extra:
        return []
    text = "".join(tokens)
    starts, at = [], 0
    for tok in tokens:
        starts.append(at)
        at += len(tok)
    spans = [m.span() for p in patterns for m in p.finditer(text) if m.end() > m.start()]
    out = []
    for k, i in enumerate(where):
        word, lo, hi = tokens[i], starts[i], starts[i] + len(tokens[i])
        if (
            word.lower() in extra
            or any(a < hi and lo < b for a, b in spans)
            or (defaults and (any(ch.isdigit() for ch in word) or word.lower() in NUMBER_WORDS or _is_name(tokens, i)))
        ):
            out.append(k)
    return out
