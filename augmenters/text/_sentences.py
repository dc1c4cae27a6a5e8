"""Split text into sentences and the exact separators between them, so it joins back byte for byte.

Sentence-level model ops (back-translation) rewrite the sentences and keep every separator,
so newlines, double spaces and the text's leading and trailing whitespace survive.
"""

from __future__ import annotations

import re

# After sentence-final punctuation (Latin or CJK) followed by spaces, or at any line break.
_SEPARATOR = re.compile(r"((?<=[.!?…。！？])\s+|\s*\n\s*)")
_EDGES = re.compile(r"^(\s*)(.*?)(\s*)$", re.DOTALL)


def split(text: str) -> list[str]:
    """Pieces alternating sentence, separator, sentence, ...; `"".join(split(t)) == t`.

    Even positions are sentences (possibly empty at the edges), odd positions separators.
    """
    lead, body, trail = _EDGES.match(text).groups()  # type: ignore[union-attr]
    pieces = _SEPARATOR.split(body) if body else [""]
    pieces[0] = lead + pieces[0]
    pieces[-1] = pieces[-1] + trail
    return pieces


def is_translatable(sentence: str) -> bool:
    """A sentence with at least one letter or digit; others (emoji, dashes, blanks) stay as they are."""
    return any(ch.isalnum() for ch in sentence)


def core(sentence: str) -> tuple[str, str, str]:
    """(leading whitespace, the sentence, trailing whitespace)."""
    return _EDGES.match(sentence).groups()  # type: ignore[return-value,union-attr]
